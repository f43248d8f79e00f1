// Command router is the AWS Lambda function that serves every trigger of the
// context: its routes, remote API, schedules and queues for the orders service.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"example.com/tiny/services/orders"
	"example.com/tiny/services/orders/api"
	"example.com/tiny/services/orders/internal/adapt"
)

func main() {
	if err := orders.Wire(); err != nil {
		log.Fatalf("wire: %v", err)
	}
	rt := &adapt.Router{
		HTTP: orders.Routes(),
		Jobs: map[string]func(context.Context) error{
			"sweeper-run": orders.RunSweeperRun,
		},
		Queues: []adapt.Queue{
			{ARN: os.Getenv("NOTIFY_QUEUE_ARN"), Consume: orders.ConsumeNotify},
			{ARN: os.Getenv("MARK_PAID_QUEUE_ARN"), Consume: api.ConsumeMarkPaid},
		},
	}
	lambda.Start(rt.Handle)
}
