// Command on-payment is the AWS Lambda function that consumes OnPaymentQueue
// for the billing service; it runs the monolith's
// example.com/tiny/billing.Service.OnPayment (cmd/tiny/main.go:52:2).
package main

import (
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"example.com/tiny/services/billing"
	"example.com/tiny/services/billing/internal/adapt"
)

func main() {
	if err := billing.Wire(); err != nil {
		log.Fatalf("wire: %v", err)
	}
	lambda.Start(adapt.SQS(billing.ConsumeOnPayment))
}
