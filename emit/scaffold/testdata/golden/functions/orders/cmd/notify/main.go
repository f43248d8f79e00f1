// Command notify is the AWS Lambda function that consumes NotifyQueue for the
// orders service; it runs the monolith's example.com/tiny/orders.Service.notify
// (orders/orders.go:88:2).
package main

import (
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"example.com/tiny/services/orders"
	"example.com/tiny/services/orders/internal/adapt"
)

func main() {
	if err := orders.Wire(); err != nil {
		log.Fatalf("wire: %v", err)
	}
	lambda.Start(adapt.SQS(orders.ConsumeNotify))
}
