// Package billing calls the billing context's remote API from orders: the calls
// that were in-process in example.com/tiny. Client calls it over HTTP: POST
// {base URL}/rpc/{method} (the base URL is BILLING_URL in the environment).
// Queue sends the calls whose every site was fire and forget as SQS messages.
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
package billing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// API is what orders calls of the billing context.
type API interface {
	// Audit is the monolith's example.com/tiny/billing.Audit, func(in string,
	// cb func(int) error, ch chan int, r *http.Request) (int, error, error).
	// Called from orders.Service.Audit (orders/audit.go:5:2).
	Audit(ctx context.Context, inArg string, cb json.RawMessage, ch json.RawMessage, rArg Request) (int, error, error)
	// Charge is the monolith's example.com/tiny/billing.Service.Charge,
	// func(ctx context.Context, orderID int64, amount billing.Money, items
	// []*orders.Item, meta map[string]string) (billing.Receipt, error). Called
	// from orders.Service.Create (orders/orders.go:40:15).
	Charge(ctx context.Context, orderID int64, amount Money, items []OrdersItem, meta map[string]string) (Receipt, error)
	// Item is the monolith's example.com/tiny/billing/ledger.Item, func(id
	// int64) (ledger.Item, bool). Called from orders.Service.Create
	// (orders/orders.go:44:9).
	Item(ctx context.Context, id int64) (LedgerItem, bool, error)
}

// Events are the messages orders sends to the billing context: calls whose
// every site was fire and forget (the results, if any, were never used).
type Events interface {
	// Refund is the monolith's example.com/tiny/billing.Service.Refund,
	// func(ctx context.Context, orderID int64, reason error, at time.Time,
	// notes ...string) error. Called from orders.Service.Cancel
	// (orders/orders.go:70:5).
	Refund(ctx context.Context, orderID int64, reason error, at time.Time, notes ...string) error
}

// LedgerItem is ledger.Item in the monolith; it travels as the JSON the billing
// service reads or writes. Replace the alias with a struct of the fields you
// need.
type LedgerItem = json.RawMessage

// Money is billing.Money in the monolith; it travels as the JSON the billing
// service reads or writes. Replace the alias with a struct of the fields you
// need.
type Money = json.RawMessage

// OrdersItem is orders.Item in the monolith; it travels as the JSON the billing
// service reads or writes. Replace the alias with a struct of the fields you
// need.
type OrdersItem = json.RawMessage

// Receipt is billing.Receipt in the monolith; it travels as the JSON the
// billing service reads or writes. Replace the alias with a struct of the
// fields you need.
type Receipt = json.RawMessage

// Request is http.Request in the monolith; it travels as the JSON the billing
// service reads or writes. Replace the alias with a struct of the fields you
// need.
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

// Client calls the API over HTTP with JSON bodies.
type Client struct {
	// BaseURL is the billing service's URL, such as its HTTP API's endpoint.
	BaseURL string
	HTTP    *http.Client
}

var _ API = (*Client)(nil)

// New returns a Client of the service at baseURL; a nil hc is
// http.DefaultClient.
func New(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{BaseURL: baseURL, HTTP: hc}
}

// Audit calls billing.Audit remotely.
func (c *Client) Audit(ctx context.Context, inArg string, cb json.RawMessage, ch json.RawMessage, rArg Request) (int, error, error) {
	var out resAudit
	err := c.call(ctx, "Audit", reqAudit{In: inArg, Cb: cb, Ch: ch, R: rArg}, &out)
	return out.R0, errValue(out.R1), err
}

// Charge calls billing.Service.Charge remotely.
func (c *Client) Charge(ctx context.Context, orderID int64, amount Money, items []OrdersItem, meta map[string]string) (Receipt, error) {
	var out resCharge
	err := c.call(ctx, "Charge", reqCharge{OrderID: orderID, Amount: amount, Items: items, Meta: meta}, &out)
	return out.Result, err
}

// Item calls ledger.Item remotely.
func (c *Client) Item(ctx context.Context, id int64) (LedgerItem, bool, error) {
	var out resItem
	err := c.call(ctx, "Item", reqItem{ID: id}, &out)
	return out.R0, out.R1, err
}

// Error is a call the service answered with an error.
type Error struct {
	Method  string
	Status  int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("billing.%s: %d %s", e.Method, e.Status, e.Message)
}

func (c *Client) call(ctx context.Context, method string, in, out any) error {
	if c.BaseURL == "" {
		return fmt.Errorf("billing.%s: no base URL (set BILLING_URL)", method)
	}
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("billing.%s: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.BaseURL, "/")+"/rpc/"+method, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("billing.%s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("billing.%s: %w", method, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		e := &Error{Method: method, Status: res.StatusCode}
		b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
		var msg struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(b, &msg) == nil && msg.Error != "" {
			e.Message = msg.Error
		} else {
			e.Message = strings.TrimSpace(string(b))
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("billing.%s: results: %w", method, err)
	}
	return nil
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

// Queue sends Events as JSON messages to the billing context's queues
// (template.yaml of billing outputs their URLs).
type Queue struct {
	Sender Sender
	// RefundURL is the URL of RefundQueue (BILLING_REFUND_QUEUE_URL).
	RefundURL string
}

var _ Events = (*Queue)(nil)

// Refund sends a RefundMessage.
func (q *Queue) Refund(ctx context.Context, orderID int64, reason error, at time.Time, notes ...string) error {
	return q.send(ctx, "Refund", q.RefundURL, RefundMessage{OrderID: orderID, Reason: errText(reason), At: at, Notes: notes})
}

func (q *Queue) send(ctx context.Context, method, url string, m any) error {
	if q.Sender == nil {
		return fmt.Errorf("billing.%s: no Sender (set it in wire.go)", method)
	}
	if url == "" {
		return fmt.Errorf("billing.%s: no queue URL", method)
	}
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("billing.%s: %w", method, err)
	}
	return q.Sender.Send(ctx, url, body)
}
