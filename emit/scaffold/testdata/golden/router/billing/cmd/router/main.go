// Command router is the AWS Lambda function that serves every trigger of the
// context: its routes, remote API, schedules and queues for the billing
// service.
package main

import (
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"example.com/tiny/services/billing"
	"example.com/tiny/services/billing/api"
	"example.com/tiny/services/billing/internal/adapt"
)

func main() {
	if err := billing.Wire(); err != nil {
		log.Fatalf("wire: %v", err)
	}
	rt := &adapt.Router{
		HTTP: billing.Routes(),
		Queues: []adapt.Queue{
			{ARN: os.Getenv("ON_PAYMENT_QUEUE_ARN"), Consume: billing.ConsumeOnPayment},
			{ARN: os.Getenv("REFUND_QUEUE_ARN"), Consume: api.ConsumeRefund},
		},
	}
	lambda.Start(rt.Handle)
}
