// Package billing is the billing context of example.com/tiny as a service of
// its own.
//
// Routes serves its HTTP routes: handlers.go adapts each to the monolith's
// handler that served it. jobs.go holds its scheduled jobs and queue workers.
// Package api serves the calls other contexts make to it. Wire, in wire.go,
// builds what they need at cold start.
//
// The commands under cmd/ deploy it: one AWS Lambda function per entry point
// (template.yaml), and cmd/server, a plain net/http server for a container
// runtime. Its target runtime is function: request-driven entry points only.
package billing

import (
	"net/http"

	"example.com/tiny/services/billing/api"
	ordersclient "example.com/tiny/services/billing/clients/orders"
)

// Routes returns the context's HTTP routes as the monolith registered them, and
// its remote API under /rpc/.
func Routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /invoices/{id}", Invoice)
	api.Register(mux)
	return mux
}

// Deps are the contexts this one calls remotely; Wire sets them.
var Deps struct {
	// OrdersEvents sends messages to the orders context's queues
	// (clients/orders): MarkPaid.
	OrdersEvents ordersclient.Events
}

// Stores name the managed services that replace the monolith's in-process state
// and goroutines; template.yaml creates them and passes their names in the
// environment, which Wire reads.
var Stores struct {
	// SessionsTable (SESSIONS_TABLE) is a DynamoDB table with expiry (attribute
	// expires_at), in place of example.com/tiny/billing.sessions
	// (billing/session.go:14).
	SessionsTable string
	// RatesLookupCacheTable (RATES_LOOKUP_CACHE_TABLE) is a DynamoDB table with
	// expiry (attribute expires_at), in place of
	// github.com/patrickmn/go-cache.Cache (billing/rates.go:9).
	RatesLookupCacheTable string
	// RatesLookupCacheEndpoint (RATES_LOOKUP_CACHE_ENDPOINT) is the endpoint of
	// an optional ElastiCache (Redis or Valkey) cache for the same state: empty
	// unless the template's RatesLookupCacheEndpoint parameter is set.
	RatesLookupCacheEndpoint string
	// LedgerFilesBucket (LEDGER_FILES_BUCKET) is an S3 bucket, in place of
	// os.WriteFile (billing/ledger/export.go:30).
	LedgerFilesBucket string
	// OnPaymentQueueURL (ON_PAYMENT_QUEUE_URL) is the SQS queue that
	// ConsumeOnPayment reads: send it a message where the monolith published to
	// github.com/nats-io/nats.go.
	OnPaymentQueueURL string
	// DatabaseURL (DATABASE_URL) is the SQL database holding the context's
	// tables (see README.md: Data).
	DatabaseURL string
}
