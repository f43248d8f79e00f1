// Package orders is the orders context of example.com/tiny as a service of its
// own.
//
// Routes serves its HTTP routes: handlers.go adapts each to the monolith's
// handler that served it. jobs.go holds its scheduled jobs and queue workers.
// Package api serves the calls other contexts make to it. Wire, in wire.go,
// builds what they need at cold start.
//
// The commands under cmd/ deploy it: one AWS Lambda function for every trigger
// (cmd/router) (template.yaml), and cmd/server, a plain net/http server for a
// container runtime. Its target runtime is container: the monolith runs
// background work here (example.com/tiny/orders.Sweeper.Run,
// example.com/tiny/orders.Service.notify); a container keeps it running,
// functions need it rebuilt on schedules and queues.
package orders

import (
	"net/http"

	billingclient "example.com/tiny/services/orders/clients/billing"
)

// Routes returns the context's HTTP routes as the monolith registered them.
func Routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", Create)
	mux.HandleFunc("GET /orders/{id}", Get)
	mux.HandleFunc("POST /orders/{id}/cancel", Cancel)
	mux.HandleFunc("/static/", Static)
	return mux
}

// Deps are the contexts this one calls remotely; Wire sets them.
var Deps struct {
	// Billing calls the billing context over HTTP (clients/billing): Audit,
	// Charge, Item.
	Billing billingclient.API
	// BillingEvents sends messages to the billing context's queues
	// (clients/billing): Refund.
	BillingEvents billingclient.Events
}

// Stores name the managed services that replace the monolith's in-process state
// and goroutines; template.yaml creates them and passes their names in the
// environment, which Wire reads.
var Stores struct {
	// NotifyQueueURL (NOTIFY_QUEUE_URL) is the SQS queue that ConsumeNotify
	// reads: send it a message where the monolith started orders.Service.notify
	// in a goroutine (orders/orders.go:88:2).
	NotifyQueueURL string
	// DatabaseURL (DATABASE_URL) is the SQL database holding the context's
	// tables (see README.md: Data).
	DatabaseURL string
}
