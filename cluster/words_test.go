package cluster

import (
	"reflect"
	"testing"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"PlaceOrder", []string{"place", "order"}},
		{"HTTPServer", []string{"http", "server"}},
		{"getUserID", []string{"get", "user", "id"}},
		{"order_items", []string{"order", "items"}},
		{"/orders/{id}/lines", []string{"orders", "id", "lines"}},
		{"v2Orders", []string{"v", "orders"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := splitWords(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{
		"orders": "order", "categories": "category", "addresses": "address", "boxes": "box",
		"status": "status", "shipping": "shipping", "analysis": "analysis", "users": "user", "bus": "bus",
	} {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVocabWords(t *testing.T) {
	v := newVocab([]string{"Widget"})
	tests := []struct {
		in   string
		want []string
	}{
		{"OrderHandler", []string{"order"}},
		{"NewOrderStoreImpl", []string{"order"}},
		{"handleGetUsersJSON", []string{"user"}},
		{"ShippingService.QuoteShipments", []string{"shipping", "quote", "shipment"}},
		{"WidgetOrders", []string{"order"}},
		{"ctx", nil},
	}
	for _, tt := range tests {
		if got := v.words(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidName(t *testing.T) {
	for s, want := range map[string]bool{"orders": true, "v2": true, "shipping2": true, "": false, "Orders": false,
		"2fa": false, "order-s": false, "type": false, "func": false, "order_s": false} {
		if ValidName(s) != want {
			t.Errorf("ValidName(%q) = %v", s, !want)
		}
	}
}

func TestNames(t *testing.T) {
	m, _ := modularModel()
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range d.Contexts {
		names = append(names, c.Name)
	}
	if want := []string{"billing", "orders", "shipping"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names %v, want %v", names, want)
	}
}
