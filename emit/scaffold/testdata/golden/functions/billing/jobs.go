package billing

import (
	"context"

	"example.com/tiny/services/billing/internal/adapt"
)

// OnPaymentConsumer handles one message body of OnPaymentQueue once Wire sets
// it: the monolith's message consumer
// example.com/tiny/billing.Service.OnPayment, registered with
// github.com/nats-io/nats.go at cmd/tiny/main.go:52:2: its messages now arrive
// on OnPaymentQueue.
var OnPaymentConsumer func(ctx context.Context, body []byte) error

// ConsumeOnPayment runs OnPaymentConsumer on one message; a failed message is
// delivered again, then goes to the dead-letter queue. Until OnPaymentConsumer
// is set it fails, saying so.
func ConsumeOnPayment(ctx context.Context, body []byte) error {
	if OnPaymentConsumer == nil {
		return adapt.NotWiredError("OnPaymentConsumer", "example.com/tiny/billing.Service.OnPayment")
	}
	return OnPaymentConsumer(ctx, body)
}
