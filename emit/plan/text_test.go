package plan

import "testing"

func TestText(t *testing.T) {
	tests := []struct{ got, want string }{
		{ShortName("example.com/shop/checkout.Service.Pay"), "checkout.Service.Pay"},
		{ShortName("main.run"), "main.run"},
		{FileLine("checkout/order.go:109:16"), "checkout/order.go:109"},
		{FileLine("checkout/order.go:109"), "checkout/order.go:109"},
		{FileLine("order.go"), "order.go"},
		{Thousands(0), "0"},
		{Thousands(999), "999"},
		{Thousands(1234567), "1,234,567"},
		{Thousands(-4500), "-4,500"},
		{EntryPoint{Kind: "http", Method: "GET", Route: "/orders/{id}"}.Label(), "GET /orders/{id}"},
		{EntryPoint{Kind: "grpc", Route: "shop.Orders"}.Label(), "gRPC shop.Orders"},
		{EntryPoint{Kind: "consumer", Decl: "example.com/shop/mail.Send"}.Label(), "consumer mail.Send"},
		{EntryPoint{Kind: "background", Ticker: true, Decl: "example.com/shop/relay.Relay.Run"}.Label(), "timed job relay.Relay.Run"},
		{EntryPoint{Kind: "background", Pos: "cmd/shop/main.go:86:2"}.Label(), "job at cmd/shop/main.go:86"},
		{EntryPoint{Kind: "main", Decl: "example.com/shop/cmd/shop.main"}.Label(), "main shop.main"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
