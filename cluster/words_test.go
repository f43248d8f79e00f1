package cluster

import (
	"reflect"
	"strings"
	"testing"

	"decompose/analysis/model"
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
		"status": "status", "analysis": "analysis", "users": "user", "bus": "bus",
		"shipping": "ship", "shipments": "ship", "payment": "pay", "billing": "bill", "setting": "set",
		"string": "string", "thing": "thing", "processing": "process",
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
		{"ShippingService.QuoteShipments", []string{"ship", "quote"}},
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

func TestNamesFromServiceDirectory(t *testing.T) {
	// the catalog directory's code speaks of products, but the authors
	// named the service catalog; the orders directory is named as its code
	b := newBuilder(shop)
	for _, svc := range []struct{ dir, noun string }{{"catalog", "Product"}, {"orders", "Order"}} {
		root := shop + "/" + svc.dir
		b.typ(root + "." + svc.noun)
		b.typ(root + ".Service")
		for _, verb := range []string{"Get", "List", "Price", "Rate"} {
			id := root + ".Service." + verb + svc.noun
			b.method(id)
			b.edge(id, root+"."+svc.noun, model.EdgeTypeRef, 1)
			b.http(id, "GET", "/"+strings.ToLower(svc.noun)+"s/"+strings.ToLower(verb))
		}
		b.fn(root+"/store.Save"+svc.noun, "store.go")
		b.call(root+".Service.Get"+svc.noun, root+"/store.Save"+svc.noun)
	}
	m := b.model()
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range d.Contexts {
		names = append(names, c.Name)
	}
	if want := []string{"catalog", "orders"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names %v, want %v", names, want)
	}
}
