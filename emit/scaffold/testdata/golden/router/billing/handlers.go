package billing

import (
	"net/http"

	"example.com/tiny/services/billing/internal/adapt"
)

// InvoiceHandler serves GET /invoices/:id once Wire sets it to the code of the
// monolith's example.com/tiny/web.Handler.Invoice.
var InvoiceHandler http.Handler

// Invoice serves GET /invoices/:id, the route of the monolith's
// example.com/tiny/web.Handler.Invoice, registered at cmd/tiny/main.go:40:3
// with gin. Its handler takes a gin context: set the handler to a gin router
// holding this route (a gin router is an http.Handler), or rewrite it as an
// http.HandlerFunc. Until InvoiceHandler is set, it answers 501 Not
// Implemented.
func Invoice(w http.ResponseWriter, r *http.Request) {
	if InvoiceHandler == nil {
		adapt.NotWired(w, "GET /invoices/:id", "example.com/tiny/web.Handler.Invoice")
		return
	}
	InvoiceHandler.ServeHTTP(w, r)
}
