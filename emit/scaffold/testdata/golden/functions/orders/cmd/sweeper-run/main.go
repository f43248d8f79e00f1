// Command sweeper-run is the AWS Lambda function that runs the scheduled job
// SweeperRun for the orders service; it runs the monolith's
// example.com/tiny/orders.Sweeper.Run (cmd/tiny/main.go:20:2).
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
	lambda.Start(adapt.Schedule(orders.RunSweeperRun))
}
