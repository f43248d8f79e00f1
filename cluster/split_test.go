package cluster

import (
	"testing"

	"decompose/analysis"
)

func TestServerMethodsSplit(t *testing.T) {
	b := newBuilder(shop)
	b.typ(shop+"/handlers.Server", "server.go")
	for _, x := range []struct{ file, h1, h2, st, model, route string }{
		{"orders.go", "PlaceOrder", "ListOrders", "OrderStore", "Order", "/orders"},
		{"users.go", "Register", "GetUser", "UserStore", "User", "/users"},
	} {
		b.method(shop+"/handlers.Server."+x.h1, x.file)
		b.method(shop+"/handlers.Server."+x.h2, x.file)
		b.typ(shop+"/store."+x.st, x.file)
		b.method(shop+"/store."+x.st+".Save", x.file)
		b.method(shop+"/store."+x.st+".Find", x.file)
		b.typ(shop+"/store."+x.model, x.file)
		b.call(shop+"/handlers.Server."+x.h1, shop+"/store."+x.st+".Save")
		b.edge(shop+"/handlers.Server."+x.h2, shop+"/store."+x.st+".Find", analysis.EdgeCall, 2)
		b.http(shop+"/handlers.Server."+x.h1, "POST", x.route)
		b.http(shop+"/handlers.Server."+x.h2, "GET", x.route)
	}
	m := b.model()
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	pl := placement(t, m, d)
	orders, users := pl[shop+"/handlers.Server.PlaceOrder"], pl[shop+"/handlers.Server.Register"]
	if orders == "" || users == "" || orders == users {
		t.Fatalf("handler methods in %q and %q: %v", orders, users, groups(pl))
	}
	for _, id := range []string{"handlers.Server.ListOrders", "store.OrderStore", "store.Order"} {
		if pl[shop+"/"+id] != orders {
			t.Errorf("%s in %q, want %q", id, pl[shop+"/"+id], orders)
		}
	}
	for _, id := range []string{"handlers.Server.GetUser", "store.UserStore.Find", "store.User"} {
		if pl[shop+"/"+id] != users {
			t.Errorf("%s in %q, want %q", id, pl[shop+"/"+id], users)
		}
	}
	if len(d.Kernel.Members) != 1 || d.Kernel.Members[0].Decls[0] != "Server" {
		t.Errorf("the Server type is not kept shared: %+v", d.Kernel.Members)
	}
	var reason string
	for _, p := range d.Kernel.Placements {
		if p.Unit == shop+"/handlers.Server" {
			reason = p.Reason
		}
	}
	if reason != ReasonSharedType {
		t.Errorf("Server's reason %q, want %q", reason, ReasonSharedType)
	}
}
