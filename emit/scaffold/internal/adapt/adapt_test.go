package adapt

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

func TestHTTP(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders/{id}/items", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c, _ := r.Cookie("session")
		w.Header().Set("X-Id", r.PathValue("id"))
		http.SetCookie(w, &http.Cookie{Name: "seen", Value: "1"})
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery+" "+string(b)+" "+c.Value+" "+r.Header.Get("X-Trace")+" "+r.RemoteAddr)
	})
	e := events.APIGatewayV2HTTPRequest{
		RawPath:         "/orders/42/items",
		RawQueryString:  "a=1&b=2",
		Cookies:         []string{"session=abc", "other=x"},
		Headers:         map[string]string{"x-trace": "t1", "host": "api.example.com"},
		Body:            base64.StdEncoding.EncodeToString([]byte(`{"qty":2}`)),
		IsBase64Encoded: true,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", SourceIP: "203.0.113.9"},
		},
	}
	res, err := HTTP(mux)(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusCreated {
		t.Errorf("status %d, want 201; body %s", res.StatusCode, res.Body)
	}
	want := `POST /orders/42/items?a=1&b=2 {"qty":2} abc t1 203.0.113.9`
	if res.Body != want {
		t.Errorf("body %q, want %q", res.Body, want)
	}
	if res.Headers["X-Id"] != "42" {
		t.Errorf("X-Id %q, want 42", res.Headers["X-Id"])
	}
	if len(res.Cookies) != 1 || !strings.HasPrefix(res.Cookies[0], "seen=1") {
		t.Errorf("cookies %q", res.Cookies)
	}
}

func TestHTTPPathParameters(t *testing.T) {
	// one function per route: no ServeMux matched the path, the event's
	// path parameters fill r.PathValue
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.PathValue("id"))
	})
	res, _ := HTTP(h)(context.Background(), events.APIGatewayV2HTTPRequest{
		RawPath:        "/orders/7",
		PathParameters: map[string]string{"id": "7"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET"}},
	})
	if res.Body != "7" || res.StatusCode != http.StatusOK {
		t.Errorf("got %d %q, want 200 \"7\"", res.StatusCode, res.Body)
	}
}

func TestHTTPBinaryBody(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte{0xff, 0x00, 0xfe})
	})
	res, _ := HTTP(h)(context.Background(), events.APIGatewayV2HTTPRequest{RawPath: "/"})
	if !res.IsBase64Encoded || res.Body != base64.StdEncoding.EncodeToString([]byte{0xff, 0x00, 0xfe}) {
		t.Errorf("binary body not base64-encoded: %+v", res)
	}
}

func TestNotWired(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		NotWired(w, "GET /cart", "example.com/shop/handlers.Server.GetCart")
	})
	res, _ := HTTP(h)(context.Background(), events.APIGatewayV2HTTPRequest{RawPath: "/cart"})
	if res.StatusCode != http.StatusNotImplemented || !strings.Contains(res.Body, "handlers.Server.GetCart") {
		t.Errorf("got %d %q, want 501 naming the handler", res.StatusCode, res.Body)
	}
}

func TestSQS(t *testing.T) {
	consume := func(ctx context.Context, body []byte) error {
		if string(body) == "bad" {
			return errors.New("bad message")
		}
		return nil
	}
	res, err := SQS(consume)(context.Background(), events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "1", Body: "good"}, {MessageId: "2", Body: "bad"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.BatchItemFailures) != 1 || res.BatchItemFailures[0].ItemIdentifier != "2" {
		t.Errorf("failures %+v, want message 2 only", res.BatchItemFailures)
	}
}

func TestRouter(t *testing.T) {
	var ran []string
	rt := &Router{
		HTTP: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "http "+r.URL.Path) }),
		Jobs: map[string]func(context.Context) error{"sweep": func(context.Context) error {
			ran = append(ran, "sweep")
			return nil
		}},
		Queues: []Queue{{ARN: "arn:aws:sqs:eu-west-1:1:q", Consume: func(_ context.Context, b []byte) error {
			ran = append(ran, "queue "+string(b))
			return nil
		}}},
	}
	ctx := context.Background()
	out, err := rt.Handle(ctx, json.RawMessage(`{"version":"2.0","rawPath":"/x","requestContext":{"http":{"method":"GET"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if res, ok := out.(events.APIGatewayV2HTTPResponse); !ok || res.Body != "http /x" {
		t.Errorf("HTTP event: got %#v", out)
	}
	if _, err := rt.Handle(ctx, json.RawMessage(`{"job":"sweep"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Handle(ctx, json.RawMessage(`{"Records":[{"messageId":"1","body":"m","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:eu-west-1:1:q"}]}`)); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ran, ",") != "sweep,queue m" {
		t.Errorf("ran %q", ran)
	}
	for _, ev := range []string{`{"job":"nope"}`, `{"Records":[{"eventSource":"aws:sqs","eventSourceARN":"other"}]}`, `{}`} {
		if _, err := rt.Handle(ctx, json.RawMessage(ev)); !errors.Is(err, ErrUnknownEvent) {
			t.Errorf("%s: err %v, want ErrUnknownEvent", ev, err)
		}
	}
}

func TestDelay(t *testing.T) {
	now := time.Date(2026, 3, 1, 23, 59, 30, 500_000_000, time.FixedZone("CET", 3600))
	tests := []struct {
		d       time.Duration
		seconds int32
		at      string
	}{
		{0, 0, ""},
		{-time.Second, 0, ""},
		{time.Millisecond, 1, ""},
		{90 * time.Second, 90, ""},
		{15 * time.Minute, 900, ""},
		{15*time.Minute + time.Second, 0, "at(2026-03-01T23:14:32)"},
		{2 * time.Hour, 0, "at(2026-03-02T00:59:31)"},
	}
	for _, tt := range tests {
		seconds, at := Delay(now, tt.d)
		if seconds != tt.seconds || at != tt.at {
			t.Errorf("Delay(%v) = %d, %q; want %d, %q", tt.d, seconds, at, tt.seconds, tt.at)
		}
	}
}
