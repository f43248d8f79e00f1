package cluster

import (
	"slices"
	"testing"

	"decompose/analysis/model"
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
		b.edge(shop+"/handlers.Server."+x.h2, shop+"/store."+x.st+".Find", model.EdgeCall, 2)
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

func TestValueTypeInKernel(t *testing.T) {
	// money is a value type three services use, one of them most: a
	// library apart from every service, it goes to the shared kernel
	b := newBuilder(shop)
	b.typ(shop + "/money.Money")
	b.method(shop + "/money.Money.Add")
	b.fn(shop + "/money.New")
	b.call(shop+"/money.New", shop+"/money.Money")
	for _, svc := range []struct {
		dir, noun string
		uses      int
	}{{"billing", "Invoice", 6}, {"orders", "Order", 1}, {"shipping", "Parcel", 1}} {
		root := shop + "/" + svc.dir
		b.typ(root + "." + svc.noun)
		b.typ(root + ".Service")
		for _, verb := range []string{"Create", "Get", "List"} {
			id := root + ".Service." + verb + svc.noun
			b.method(id)
			b.edge(id, root+"."+svc.noun, model.EdgeTypeRef, 1)
			b.http(id, "GET", "/"+svc.dir+"/"+verb)
		}
		b.edge(root+"."+svc.noun, shop+"/money.Money", model.EdgeTypeRef, svc.uses)
		b.edge(root+".Service.Create"+svc.noun, shop+"/money.New", model.EdgeCall, svc.uses)
		b.edge(root+".Service.Get"+svc.noun, shop+"/money.Money.Add", model.EdgeCall, svc.uses)
	}
	m := b.model()
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	if !slices.Contains(d.Kernel.Packages, shop+"/money") {
		t.Errorf("money is not in the kernel: %v", groups(placement(t, m, d)))
	}
	if len(d.Contexts) != 3 {
		t.Errorf("%d contexts, want 3: %v", len(d.Contexts), groups(placement(t, m, d)))
	}
}
