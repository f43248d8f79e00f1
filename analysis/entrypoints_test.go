package analysis

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"decompose/analysis/model"
)

func TestEntryPoints(t *testing.T) {
	dir := extract(t, "testdata/routers.txtar")
	m, _, err := Analyze(context.Background(), Config{Dir: dir, Patterns: []string{"./app/...", "./cmd/...", "./pb/..."}}, "vta")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range m.EntryPoints {
		got = append(got, fmt.Sprintf("%s %s %s %s -> %s", e.Kind, dash(e.Framework), dash(e.Method), dash(e.Route), strings.TrimPrefix(e.Decl, "example.com/routers/")))
	}
	sort.Strings(got)
	want := []string{
		"background go - - -> app.Health",
		"background go - - -> app.Routes",
		"background time.AfterFunc - - -> app.Routes",
		"consumer nats - payments.done -> app.OnPayment",
		"grpc grpc - Billing -> app.Billing",
		"http chi GET /admin/reports -> app.Health",
		"http chi GET /api/v2/orders -> app.Server.Orders",
		"http chi GET /chi/orders -> app.Server.Orders",
		"http chi GET /loose -> app.Health",
		"http chi POST /admin/users/new -> app.Users",
		"http chi POST /api/invoices -> app.Invoice",
		"http echo GET /echo/items/:id -> app.EchoItem",
		"http fiber GET /fiber/items -> app.FiberItem",
		"http gin GET /v1/carts -> app.ListCarts",
		"http gin PUT /v1/carts -> app.AddToCart",
		"http gorilla/mux - /admin/stats -> app.Health",
		"http gorilla/mux GET,HEAD /mux/users -> app.Users",
		"http net/http - /healthz -> app.Health",
		"http net/http - /metrics -> app.Health",
		"http net/http - /static/ -> app.Static.ServeHTTP",
		"http net/http DELETE /sessions -> app.Routes",
		"http net/http GET /orders/{id} -> app.Server.Orders",
		"http net/http POST /users -> app.Users",
		"init - - - -> cmd/app.init",
		"main - - - -> cmd/app.main",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entry points:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range m.EntryPoints {
		if e.Kind == model.EntryBackground && e.Framework == "go" && e.Decl == "example.com/routers/app.Routes" && !e.Ticker {
			t.Errorf("goroutine with a ticker not marked: %+v", e)
		}
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// TestTimedEntryPoints: a ticker, and a timer made in a loop or reset,
// recur; time.AfterFunc and a timer made once run once after a delay, with
// the data their function captured.
func TestTimedEntryPoints(t *testing.T) {
	dir := extract(t, "testdata/timers.txtar")
	m, _, err := Analyze(context.Background(), Config{Dir: dir, Patterns: []string{"./..."}}, "vta")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range m.EntryPoints {
		if e.Kind == model.EntryBackground {
			got[strings.TrimPrefix(e.Decl, "example.com/timers/")] = fmt.Sprintf("ticker=%v once=%v args=%q", e.Ticker, e.Once, e.Args)
		}
	}
	want := map[string]string{
		"app.Service.Hold": `ticker=true once=true args=["orderID int64" "note app.Note"]`,
		"app.Ticker":       `ticker=true once=false args=[]`,
		"app.Start":        `ticker=true once=true args=["id string"]`,
		"app.AfterInLoop":  `ticker=true once=false args=[]`,
		"app.TimerOnce":    `ticker=true once=true args=[]`,
		"app.TimerReset":   `ticker=true once=false args=[]`,
		"app.Plain":        `ticker=false once=false args=[]`,
	}
	for decl, w := range want {
		if got[decl] != w {
			t.Errorf("%s: %s, want %s", decl, got[decl], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d background entry points, want %d: %v", len(got), len(want), got)
	}
}
