// Package api serves the billing context's remote API: the calls that orders
// made to it in-process in example.com/tiny. A call that waits for its outcome
// is POST /rpc/{method} with the arguments as a JSON object, answered 200 with
// the results as one, or with {"error": message} and an error status. A call
// whose every site was fire and forget is a message on an SQS queue of its own,
// consumed by a Consume function.
//
// A method of a type in the monolith keeps its receiver on the serving side: if
// the receiver is a value the caller owns (a money amount, say) rather than a
// service, pass it as a parameter or move its type to the shared kernel instead
// of calling it remotely.
//
// Types: the monolith's packages cannot be imported here, so each of its named
// types is an alias of json.RawMessage named after it, and its value travels as
// the JSON the other side encodes; replace an alias with a struct of the fields
// you use, here and in the other side's package. Basic types, time.Time,
// time.Duration, and slices, arrays, pointers and string- or integer-keyed maps
// of them stay as they are; an error travels as its message; functions,
// channels, interfaces with methods, generic instances and a context.Context
// other than the first parameter become json.RawMessage. Every method takes a
// context.Context first and returns an error last, added where the monolith's
// signature had none: a remote call can be cancelled and can fail.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"
)

// API is the billing context's remote API. Impl serves it.
type API interface {
	// Audit is the monolith's example.com/tiny/billing.Audit, func(in string,
	// cb func(int) error, ch chan int, r *http.Request) (int, error, error).
	// Called by example.com/tiny/orders.Service.Audit in orders
	// (orders/audit.go:5:2, 1 site).
	Audit(ctx context.Context, inArg string, cb json.RawMessage, ch json.RawMessage, rArg Request) (int, error, error)
	// Charge is the monolith's example.com/tiny/billing.Service.Charge,
	// func(ctx context.Context, orderID int64, amount billing.Money, items
	// []*orders.Item, meta map[string]string) (billing.Receipt, error). Called
	// by example.com/tiny/orders.Service.Create in orders
	// (orders/orders.go:40:15, 2 sites).
	Charge(ctx context.Context, orderID int64, amount Money, items []OrdersItem, meta map[string]string) (Receipt, error)
	// Item is the monolith's example.com/tiny/billing/ledger.Item, func(id
	// int64) (ledger.Item, bool). Called by
	// example.com/tiny/orders.Service.Create in orders (orders/orders.go:44:9,
	// 1 site).
	Item(ctx context.Context, id int64) (LedgerItem, bool, error)
	// Refund is the monolith's example.com/tiny/billing.Service.Refund,
	// func(ctx context.Context, orderID int64, reason error, at time.Time,
	// notes ...string) error. Called by example.com/tiny/orders.Service.Cancel
	// in orders (orders/orders.go:70:5, 1 site).
	Refund(ctx context.Context, orderID int64, reason error, at time.Time, notes ...string) error
}

// Impl serves the API once the service's Wire sets it to the code the
// monolith's callees move into; until then calls answer 501 Not Implemented and
// messages fail.
var Impl API

// LedgerItem is ledger.Item in the monolith; it travels as the JSON the callers
// send or expect. Replace the alias with a struct of the fields you need.
type LedgerItem = json.RawMessage

// Money is billing.Money in the monolith; it travels as the JSON the callers
// send or expect. Replace the alias with a struct of the fields you need.
type Money = json.RawMessage

// OrdersItem is orders.Item in the monolith; it travels as the JSON the callers
// send or expect. Replace the alias with a struct of the fields you need.
type OrdersItem = json.RawMessage

// Receipt is billing.Receipt in the monolith; it travels as the JSON the
// callers send or expect. Replace the alias with a struct of the fields you
// need.
type Receipt = json.RawMessage

// Request is http.Request in the monolith; it travels as the JSON the callers
// send or expect. Replace the alias with a struct of the fields you need.
type Request = json.RawMessage

type reqAudit struct {
	In string          `json:"in"`
	Cb json.RawMessage `json:"cb"`
	Ch json.RawMessage `json:"ch"`
	R  Request         `json:"r"`
}

type resAudit struct {
	R0 int    `json:"r0"`
	R1 string `json:"r1"`
}

type reqCharge struct {
	OrderID int64             `json:"orderID"`
	Amount  Money             `json:"amount"`
	Items   []OrdersItem      `json:"items"`
	Meta    map[string]string `json:"meta"`
}

type resCharge struct {
	Result Receipt `json:"result"`
}

type reqItem struct {
	ID int64 `json:"id"`
}

type resItem struct {
	R0 LedgerItem `json:"r0"`
	R1 bool       `json:"r1"`
}

// RefundMessage is the message of Refund: its arguments.
type RefundMessage struct {
	OrderID int64     `json:"orderID"`
	Reason  string    `json:"reason"`
	At      time.Time `json:"at"`
	Notes   []string  `json:"notes"`
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func errValue(s string) error {
	if s == "" {
		return nil
	}
	return errors.New(s)
}

// Handler serves the synchronous methods: POST /rpc/{method}.
func Handler() http.Handler {
	mux := http.NewServeMux()
	Register(mux)
	return mux
}

// Register adds the routes of the synchronous methods to mux.
func Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /rpc/Audit", serveAudit)
	mux.HandleFunc("POST /rpc/Charge", serveCharge)
	mux.HandleFunc("POST /rpc/Item", serveItem)
}

func serveAudit(w http.ResponseWriter, r *http.Request) {
	var in reqAudit
	if !decode(w, r, &in) {
		return
	}
	if Impl == nil {
		fail(w, http.StatusNotImplemented, "Audit is not wired yet: set api.Impl (see wire.go)")
		return
	}
	r0, r1, err := Impl.Audit(r.Context(), in.In, in.Cb, in.Ch, in.R)
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	reply(w, resAudit{R0: r0, R1: errText(r1)})
}

func serveCharge(w http.ResponseWriter, r *http.Request) {
	var in reqCharge
	if !decode(w, r, &in) {
		return
	}
	if Impl == nil {
		fail(w, http.StatusNotImplemented, "Charge is not wired yet: set api.Impl (see wire.go)")
		return
	}
	r0, err := Impl.Charge(r.Context(), in.OrderID, in.Amount, in.Items, in.Meta)
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	reply(w, resCharge{Result: r0})
}

func serveItem(w http.ResponseWriter, r *http.Request) {
	var in reqItem
	if !decode(w, r, &in) {
		return
	}
	if Impl == nil {
		fail(w, http.StatusNotImplemented, "Item is not wired yet: set api.Impl (see wire.go)")
		return
	}
	r0, r1, err := Impl.Item(r.Context(), in.ID)
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	reply(w, resItem{R0: r0, R1: r1})
}

func decode(w http.ResponseWriter, r *http.Request, in any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(in); err != nil {
		fail(w, http.StatusBadRequest, "arguments: "+err.Error())
		return false
	}
	return true
}

func reply(w http.ResponseWriter, out any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(out); err != nil {
		log.Printf("reply: %v", err)
	}
}

func fail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// ConsumeRefund handles one RefundMessage from RefundQueue: it calls
// Impl.Refund.
func ConsumeRefund(ctx context.Context, body []byte) error {
	var m RefundMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return fmt.Errorf("Refund message: %w", err)
	}
	if Impl == nil {
		return fmt.Errorf("Refund is not wired yet: set api.Impl (see wire.go)")
	}
	return Impl.Refund(ctx, m.OrderID, errValue(m.Reason), m.At, m.Notes...)
}
