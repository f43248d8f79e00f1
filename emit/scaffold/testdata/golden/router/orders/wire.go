package orders

import (
	"os"

	billingclient "example.com/tiny/services/orders/clients/billing"
)

// Wire builds the service at cold start, before the first request: the clients
// of the contexts it calls, the names of its stores, and, once their code has
// moved here, the handlers of its entry points. Until a handler is set, its
// route answers 501 Not Implemented and its job or consumer fails, saying what
// to wire.
//
// The handlers to set, and the monolith's code each takes over:
//   - CreateHandler: example.com/tiny/web.Handler.Create
//     (cmd/tiny/main.go:30:2)
//   - GetHandler: example.com/tiny/web.Handler.Get (cmd/tiny/main.go:31:2)
//   - CancelHandler: example.com/tiny/web.Handler.Cancel
//     (cmd/tiny/main.go:32:2)
//   - StaticHandler: example.com/tiny/web.Handler.Static
//     (cmd/tiny/main.go:33:2)
//   - SweeperRunJob: example.com/tiny/orders.Sweeper.Run
//     (cmd/tiny/main.go:20:2)
//   - NotifyConsumer: example.com/tiny/orders.Service.notify
//     (orders/orders.go:88:2)
//   - api.Impl: the callees of the context's remote API (see package api)
//
// The monolith ran this at start-up; each instance runs it at its cold start,
// here or in the moved packages' init functions:
//   - example.com/tiny/orders.init (orders/orders.go:12:6)
func Wire() error {
	Deps.Billing = billingclient.New(os.Getenv("BILLING_URL"), nil)
	// Set Sender to an SQS client (see billingclient.Sender) to send billing's
	// messages.
	Deps.BillingEvents = &billingclient.Queue{
		RefundURL: os.Getenv("BILLING_REFUND_QUEUE_URL"),
	}
	Stores.NotifyQueueURL = os.Getenv("NOTIFY_QUEUE_URL")
	Stores.DatabaseURL = os.Getenv("DATABASE_URL")
	return nil
}
