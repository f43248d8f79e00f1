// Package api serves the orders context's remote API: the calls that billing
// made to it in-process in example.com/tiny. A call whose every site was fire
// and forget is a message on an SQS queue of its own, consumed by a Consume
// function.
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
	"fmt"
	"time"
)

// API is the orders context's remote API. Impl serves it.
type API interface {
	// MarkPaid is the monolith's example.com/tiny/orders.Service.MarkPaid,
	// func(ctx context.Context, orderID int64, paidAt *time.Time) (bool,
	// error). Called by example.com/tiny/billing.Service.OnPayment in billing
	// (billing/billing.go:31:6, 1 site).
	MarkPaid(ctx context.Context, orderID int64, paidAt *time.Time) (bool, error)
}

// Impl serves the API once the service's Wire sets it to the code the
// monolith's callees move into; until then calls answer 501 Not Implemented and
// messages fail.
var Impl API

// MarkPaidMessage is the message of MarkPaid: its arguments.
type MarkPaidMessage struct {
	OrderID int64      `json:"orderID"`
	PaidAt  *time.Time `json:"paidAt"`
}

// ConsumeMarkPaid handles one MarkPaidMessage from MarkPaidQueue: it calls
// Impl.MarkPaid.
func ConsumeMarkPaid(ctx context.Context, body []byte) error {
	var m MarkPaidMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return fmt.Errorf("MarkPaid message: %w", err)
	}
	if Impl == nil {
		return fmt.Errorf("MarkPaid is not wired yet: set api.Impl (see wire.go)")
	}
	_, err := Impl.MarkPaid(ctx, m.OrderID, m.PaidAt)
	return err
}
