package billing

import (
	"os"

	ordersclient "example.com/tiny/services/billing/clients/orders"
)

// Wire builds the service at cold start, before the first request: the clients
// of the contexts it calls, the names of its stores, and, once their code has
// moved here, the handlers of its entry points. Until a handler is set, its
// route answers 501 Not Implemented and its job or consumer fails, saying what
// to wire.
//
// The handlers to set, and the monolith's code each takes over:
//   - InvoiceHandler: example.com/tiny/web.Handler.Invoice
//     (cmd/tiny/main.go:40:3)
//   - OnPaymentConsumer: example.com/tiny/billing.Service.OnPayment
//     (cmd/tiny/main.go:52:2)
//   - api.Impl: the callees of the context's remote API (see package api)
func Wire() error {
	// Set Sender to an SQS client (see ordersclient.Sender) to send orders's
	// messages.
	Deps.OrdersEvents = &ordersclient.Queue{
		MarkPaidURL: os.Getenv("ORDERS_MARK_PAID_QUEUE_URL"),
	}
	Stores.SessionsTable = os.Getenv("SESSIONS_TABLE")
	Stores.RatesLookupCacheTable = os.Getenv("RATES_LOOKUP_CACHE_TABLE")
	Stores.RatesLookupCacheEndpoint = os.Getenv("RATES_LOOKUP_CACHE_ENDPOINT")
	Stores.LedgerFilesBucket = os.Getenv("LEDGER_FILES_BUCKET")
	Stores.OnPaymentQueueURL = os.Getenv("ON_PAYMENT_QUEUE_URL")
	Stores.DatabaseURL = os.Getenv("DATABASE_URL")
	return nil
}
