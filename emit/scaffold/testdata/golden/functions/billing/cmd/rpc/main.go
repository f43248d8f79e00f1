// Command rpc is the AWS Lambda function that serves the context's remote API
// (POST /rpc/{method}) for the billing service.
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
	lambda.Start(adapt.HTTP(api.Handler()))
}
