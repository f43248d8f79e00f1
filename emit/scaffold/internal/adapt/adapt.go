// Package adapt turns AWS Lambda events into calls of plain Go code: API
// Gateway HTTP API (payload 2.0) requests into net/http requests served by an
// http.Handler, SQS batches into one call per message, EventBridge Scheduler
// invocations into a job, and, for a context deployed as one function, any of
// them into the right one.
package adapt

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// HTTP adapts h to an API Gateway HTTP API (payload format 2.0) handler. The
// request h sees carries the method, path, query, headers, cookies, body and
// source address of the event, and the route's path parameters, so that
// r.PathValue answers as it does behind a net/http ServeMux.
func HTTP(h http.Handler) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		r, err := Request(ctx, e)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusBadRequest, Body: err.Error()}, nil
		}
		w := NewResponseWriter()
		h.ServeHTTP(w, r)
		return w.Response(), nil
	}
}

// Request builds the net/http request of an HTTP API event.
func Request(ctx context.Context, e events.APIGatewayV2HTTPRequest) (*http.Request, error) {
	body := []byte(e.Body)
	if e.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(e.Body)
		if err != nil {
			return nil, fmt.Errorf("request body: %v", err)
		}
		body = b
	}
	method := e.RequestContext.HTTP.Method
	if method == "" {
		method = http.MethodGet
	}
	path := e.RawPath
	if path == "" {
		path = e.RequestContext.HTTP.Path
	}
	if path == "" {
		path = "/"
	}
	u := &url.URL{Path: path, RawQuery: e.RawQueryString}
	if p, err := url.PathUnescape(path); err == nil {
		u.Path, u.RawPath = p, path
	}
	r, err := http.NewRequestWithContext(ctx, method, "/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	r.URL = u
	r.RequestURI = u.RequestURI()
	for k, v := range e.Headers {
		// HTTP APIs join repeated headers with commas
		r.Header.Set(k, v)
	}
	if len(e.Cookies) > 0 {
		r.Header.Set("Cookie", strings.Join(e.Cookies, "; "))
	}
	r.Host = r.Header.Get("Host")
	if r.Host == "" {
		r.Host = e.RequestContext.DomainName
	}
	r.ContentLength = int64(len(body))
	r.RemoteAddr = e.RequestContext.HTTP.SourceIP
	for k, v := range e.PathParameters {
		r.SetPathValue(k, v)
	}
	return r, nil
}

// ResponseWriter records a response for an HTTP API.
type ResponseWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// NewResponseWriter returns an empty ResponseWriter.
func NewResponseWriter() *ResponseWriter {
	return &ResponseWriter{header: http.Header{}}
}

// Header returns the response headers.
func (w *ResponseWriter) Header() http.Header { return w.header }

// WriteHeader records the status code; only the first call counts.
func (w *ResponseWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

// Write appends to the body.
func (w *ResponseWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// Response is the recorded response as an HTTP API answer. Cookies go in
// their own field; a body that is not UTF-8 text is base64-encoded.
func (w *ResponseWriter) Response() events.APIGatewayV2HTTPResponse {
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	res := events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: map[string]string{}}
	for k, vs := range w.header {
		if http.CanonicalHeaderKey(k) == "Set-Cookie" {
			res.Cookies = append(res.Cookies, vs...)
			continue
		}
		res.Headers[k] = strings.Join(vs, ", ")
	}
	if _, ok := res.Headers["Content-Type"]; !ok && w.body.Len() > 0 {
		res.Headers["Content-Type"] = http.DetectContentType(w.body.Bytes())
	}
	if utf8.Valid(w.body.Bytes()) {
		res.Body = w.body.String()
	} else {
		res.Body = base64.StdEncoding.EncodeToString(w.body.Bytes())
		res.IsBase64Encoded = true
	}
	return res
}

// SQS adapts consume, called once per message body, to an SQS event source.
// Failed messages are reported one by one (the event source mapping needs
// ReportBatchItemFailures), so that only they are delivered again.
func SQS(consume func(ctx context.Context, body []byte) error) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	return func(ctx context.Context, e events.SQSEvent) (events.SQSEventResponse, error) {
		res := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
		for _, m := range e.Records {
			if err := consume(ctx, []byte(m.Body)); err != nil {
				log.Printf("message %s: %v", m.MessageId, err)
				res.BatchItemFailures = append(res.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			}
		}
		return res, nil
	}
}

// Schedule adapts job to an EventBridge Scheduler target; the schedule's
// payload is ignored.
func Schedule(job func(ctx context.Context) error) func(context.Context, json.RawMessage) error {
	return func(ctx context.Context, _ json.RawMessage) error {
		return job(ctx)
	}
}

// Every runs job every period until ctx is done, logging its failures: the
// schedule of a job in a long-running server.
func Every(ctx context.Context, period time.Duration, name string, job func(ctx context.Context) error) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := job(ctx); err != nil {
				log.Printf("%s: %v", name, err)
			}
		}
	}
}

// MaxQueueDelay is the longest delivery delay SQS gives a message
// (DelaySeconds).
const MaxQueueDelay = 15 * time.Minute

// Delay says how to send a message that is due d after now, in place of
// the monolith's one-shot timer: with SQS DelaySeconds when d is at most
// 15 minutes (at is ""), else as a one-time EventBridge Scheduler schedule
// with the expression at, "at(yyyy-mm-ddThh:mm:ss)" in UTC, whose target is
// the queue and whose input is the message body (delaySeconds is 0).
func Delay(now time.Time, d time.Duration) (delaySeconds int32, at string) {
	if d <= 0 {
		return 0, ""
	}
	if d <= MaxQueueDelay {
		return int32((d + time.Second - 1) / time.Second), ""
	}
	due := now.Add(d).UTC().Truncate(time.Second)
	if due.Before(now.Add(d)) {
		due = due.Add(time.Second) // never early
	}
	return 0, "at(" + due.Format("2006-01-02T15:04:05") + ")"
}

// Router is one function serving every trigger of a context: HTTP API
// requests, scheduled jobs (whose schedule sends {"job": name}) and SQS
// messages (told apart by their queue's ARN).
type Router struct {
	HTTP   http.Handler
	Jobs   map[string]func(ctx context.Context) error
	Queues []Queue
}

// Queue is a queue a Router consumes.
type Queue struct {
	// ARN is the queue's ARN, from the environment.
	ARN     string
	Consume func(ctx context.Context, body []byte) error
}

// ErrUnknownEvent is returned for an event a Router cannot place.
var ErrUnknownEvent = errors.New("unknown event")

// Handle dispatches one event.
func (rt *Router) Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct {
		Job     string `json:"job"`
		Records []struct {
			EventSource    string `json:"eventSource"`
			EventSourceARN string `json:"eventSourceARN"`
		} `json:"Records"`
		RequestContext struct {
			HTTP struct {
				Method string `json:"method"`
			} `json:"http"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnknownEvent, err)
	}
	switch {
	case probe.Job != "":
		job := rt.Jobs[probe.Job]
		if job == nil {
			return nil, fmt.Errorf("%w: no job %q", ErrUnknownEvent, probe.Job)
		}
		return nil, job(ctx)
	case len(probe.Records) > 0 && probe.Records[0].EventSource == "aws:sqs":
		arn := probe.Records[0].EventSourceARN
		for _, q := range rt.Queues {
			if q.ARN != "" && q.ARN == arn {
				var e events.SQSEvent
				if err := json.Unmarshal(raw, &e); err != nil {
					return nil, err
				}
				return SQS(q.Consume)(ctx, e)
			}
		}
		return nil, fmt.Errorf("%w: no consumer for queue %s", ErrUnknownEvent, arn)
	case probe.RequestContext.HTTP.Method != "" && rt.HTTP != nil:
		var e events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, err
		}
		return HTTP(rt.HTTP)(ctx, e)
	}
	return nil, ErrUnknownEvent
}

// NotWired answers 501 Not Implemented for a route whose handler is not set.
func NotWired(w http.ResponseWriter, route, decl string) {
	http.Error(w, route+" is not wired yet: set its handler to the code of "+decl+" (see wire.go)", http.StatusNotImplemented)
}

// NotWiredError is the error of a job or consumer whose code is not set.
func NotWiredError(name, decl string) error {
	return fmt.Errorf("%s is not wired yet: set it to the code of %s (see wire.go)", name, decl)
}
