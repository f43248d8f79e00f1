package orders

import (
	"net/http"

	"example.com/tiny/services/orders/internal/adapt"
)

// CreateHandler serves POST /orders once Wire sets it to the code of the
// monolith's example.com/tiny/web.Handler.Create.
var CreateHandler http.Handler

// Create serves POST /orders, the route of the monolith's
// example.com/tiny/web.Handler.Create, registered at cmd/tiny/main.go:30:2 with
// net/http. Its code moves into the handler unchanged: a
// func(http.ResponseWriter, *http.Request) is an http.HandlerFunc, and
// r.PathValue reads the route's parameters as before. Until CreateHandler is
// set, it answers 501 Not Implemented.
func Create(w http.ResponseWriter, r *http.Request) {
	if CreateHandler == nil {
		adapt.NotWired(w, "POST /orders", "example.com/tiny/web.Handler.Create")
		return
	}
	CreateHandler.ServeHTTP(w, r)
}

// GetHandler serves GET /orders/{id} once Wire sets it to the code of the
// monolith's example.com/tiny/web.Handler.Get.
var GetHandler http.Handler

// Get serves GET /orders/{id}, the route of the monolith's
// example.com/tiny/web.Handler.Get, registered at cmd/tiny/main.go:31:2 with
// net/http. Its code moves into the handler unchanged: a
// func(http.ResponseWriter, *http.Request) is an http.HandlerFunc, and
// r.PathValue reads the route's parameters as before. Until GetHandler is set,
// it answers 501 Not Implemented.
func Get(w http.ResponseWriter, r *http.Request) {
	if GetHandler == nil {
		adapt.NotWired(w, "GET /orders/{id}", "example.com/tiny/web.Handler.Get")
		return
	}
	GetHandler.ServeHTTP(w, r)
}

// CancelHandler serves POST /orders/{id}/cancel once Wire sets it to the code
// of the monolith's example.com/tiny/web.Handler.Cancel.
var CancelHandler http.Handler

// Cancel serves POST /orders/{id}/cancel, the route of the monolith's
// example.com/tiny/web.Handler.Cancel, registered at cmd/tiny/main.go:32:2 with
// chi. Its code moves into the handler unchanged: chi handlers are
// http.HandlerFuncs; read path parameters with r.PathValue instead of the
// router's helper. Until CancelHandler is set, it answers 501 Not Implemented.
func Cancel(w http.ResponseWriter, r *http.Request) {
	if CancelHandler == nil {
		adapt.NotWired(w, "POST /orders/{id}/cancel", "example.com/tiny/web.Handler.Cancel")
		return
	}
	CancelHandler.ServeHTTP(w, r)
}

// StaticHandler serves /static/ once Wire sets it to the code of the monolith's
// example.com/tiny/web.Handler.Static.
var StaticHandler http.Handler

// Static serves /static/, the route of the monolith's
// example.com/tiny/web.Handler.Static, registered at cmd/tiny/main.go:33:2 with
// net/http. Its code moves into the handler unchanged: a
// func(http.ResponseWriter, *http.Request) is an http.HandlerFunc, and
// r.PathValue reads the route's parameters as before. Until StaticHandler is
// set, it answers 501 Not Implemented.
func Static(w http.ResponseWriter, r *http.Request) {
	if StaticHandler == nil {
		adapt.NotWired(w, "/static/", "example.com/tiny/web.Handler.Static")
		return
	}
	StaticHandler.ServeHTTP(w, r)
}
