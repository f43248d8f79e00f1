// Command refund-events is the AWS Lambda function that consumes RefundQueue,
// the messages of example.com/tiny/billing.Service.Refund for the billing
// service; it runs the monolith's example.com/tiny/billing.Service.Refund.
package main

import (
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"example.com/tiny/services/billing"
	"example.com/tiny/services/billing/api"
	"example.com/tiny/services/billing/internal/adapt"
)

func main() {
	if err := billing.Wire(); err != nil {
		log.Fatalf("wire: %v", err)
	}
	lambda.Start(adapt.SQS(api.ConsumeRefund))
}
