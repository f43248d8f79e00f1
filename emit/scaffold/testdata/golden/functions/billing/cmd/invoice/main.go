// Command invoice is the AWS Lambda function that serves GET /invoices/{id} for
// the billing service; it runs the monolith's
// example.com/tiny/web.Handler.Invoice (cmd/tiny/main.go:40:3).
package main

import (
	"log"
	"net/http"

	"github.com/aws/aws-lambda-go/lambda"

	"example.com/tiny/services/billing"
	"example.com/tiny/services/billing/internal/adapt"
)

func main() {
	if err := billing.Wire(); err != nil {
		log.Fatalf("wire: %v", err)
	}
	lambda.Start(adapt.HTTP(http.HandlerFunc(billing.Invoice)))
}
