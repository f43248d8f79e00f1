// Command mark-paid-events is the AWS Lambda function that consumes
// MarkPaidQueue, the messages of example.com/tiny/orders.Service.MarkPaid for
// the orders service; it runs the monolith's
// example.com/tiny/orders.Service.MarkPaid.
package main

import (
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"example.com/tiny/services/orders"
	"example.com/tiny/services/orders/api"
	"example.com/tiny/services/orders/internal/adapt"
)

func main() {
	if err := orders.Wire(); err != nil {
		log.Fatalf("wire: %v", err)
	}
	lambda.Start(adapt.SQS(api.ConsumeMarkPaid))
}
