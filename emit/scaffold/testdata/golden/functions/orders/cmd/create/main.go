// Command create is the AWS Lambda function that serves POST /orders for the
// orders service; it runs the monolith's example.com/tiny/web.Handler.Create
// (cmd/tiny/main.go:30:2).
package main

import (
	"log"
	"net/http"

	"github.com/aws/aws-lambda-go/lambda"

	"example.com/tiny/services/orders"
	"example.com/tiny/services/orders/internal/adapt"
)

func main() {
	if err := orders.Wire(); err != nil {
		log.Fatalf("wire: %v", err)
	}
	lambda.Start(adapt.HTTP(http.HandlerFunc(orders.Create)))
}
