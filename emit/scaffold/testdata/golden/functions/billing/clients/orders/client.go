// Package orders calls the orders context's remote API from billing: the calls
// that were in-process in example.com/tiny. Queue sends the calls whose every
// site was fire and forget as SQS messages.
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
package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Events are the messages billing sends to the orders context: calls whose
// every site was fire and forget (the results, if any, were never used).
type Events interface {
	// MarkPaid is the monolith's example.com/tiny/orders.Service.MarkPaid,
	// func(ctx context.Context, orderID int64, paidAt *time.Time) (bool,
	// error). Called from billing.Service.OnPayment (billing/billing.go:31:6).
	MarkPaid(ctx context.Context, orderID int64, paidAt *time.Time) error
}

// MarkPaidMessage is the message of MarkPaid: its arguments.
type MarkPaidMessage struct {
	OrderID int64      `json:"orderID"`
	PaidAt  *time.Time `json:"paidAt"`
}

// Sender puts a message body on the SQS queue at queueURL. With the AWS SDK for
// Go v2:
//
//	queue.Sender = SenderFunc(func(ctx context.Context, url string, body []byte) error {
//		_, err := sqsClient.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String(string(body))})
//		return err
//	})
type Sender interface {
	Send(ctx context.Context, queueURL string, body []byte) error
}

// SenderFunc is a function that is a Sender.
type SenderFunc func(ctx context.Context, queueURL string, body []byte) error

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, queueURL string, body []byte) error {
	return f(ctx, queueURL, body)
}

// Queue sends Events as JSON messages to the orders context's queues
// (template.yaml of orders outputs their URLs).
type Queue struct {
	Sender Sender
	// MarkPaidURL is the URL of MarkPaidQueue (ORDERS_MARK_PAID_QUEUE_URL).
	MarkPaidURL string
}

var _ Events = (*Queue)(nil)

// MarkPaid sends a MarkPaidMessage.
func (q *Queue) MarkPaid(ctx context.Context, orderID int64, paidAt *time.Time) error {
	return q.send(ctx, "MarkPaid", q.MarkPaidURL, MarkPaidMessage{OrderID: orderID, PaidAt: paidAt})
}

func (q *Queue) send(ctx context.Context, method, url string, m any) error {
	if q.Sender == nil {
		return fmt.Errorf("orders.%s: no Sender (set it in wire.go)", method)
	}
	if url == "" {
		return fmt.Errorf("orders.%s: no queue URL", method)
	}
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("orders.%s: %w", method, err)
	}
	return q.Sender.Send(ctx, url, body)
}
