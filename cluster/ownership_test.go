package cluster

import "testing"

// ownedModel has two services with routes of their own, orders and
// billing, a message bus library both use alike, a geo library only
// orders uses, and an events package of the orders folder that billing
// uses as much as orders does.
func ownedModel() *builder {
	b := newBuilder(shop)
	for _, svc := range []string{"orders", "billing"} {
		root := shop + "/" + svc
		b.fn(root + "/api.Handle")
		b.fn(root + "/api.decode")
		b.typ(root + "/store.Repo")
		b.method(root + "/store.Repo.Save")
		b.method(root + "/store.Repo.Find")
		b.call(root+"/api.Handle", root+"/api.decode")
		b.call(root+"/api.Handle", root+"/store.Repo.Save")
		b.call(root+"/api.Handle", root+"/store.Repo.Find")
		b.http(root+"/api.Handle", "POST", "/"+svc)
		b.fn(shop + "/pkg/bus.Publish")
		b.call(root+"/api.Handle", shop+"/pkg/bus.Publish")
	}
	b.fn(shop + "/pkg/geo.Distance")
	b.call(shop+"/orders/store.Repo.Save", shop+"/pkg/geo.Distance")
	b.typ(shop + "/orders/events.Placed")
	b.edge(shop+"/orders/api.Handle", shop+"/orders/events.Placed", "type", 1)
	b.edge(shop+"/billing/api.Handle", shop+"/orders/events.Placed", "type", 1)
	return b
}

func TestOwnership(t *testing.T) {
	m := ownedModel().model()
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	got := placement(t, m, d)
	for _, c := range []struct{ decl, sameAs, why string }{
		{shop + "/pkg/bus.Publish", "", "a library both services use alike is kernel"},
		{shop + "/orders/events.Placed", shop + "/orders/api.Handle", "a sub-package of a service's folder stays with it"},
	} {
		if got[c.decl] != got[c.sameAs] {
			t.Errorf("%s: in %q, want %q: %s", c.decl, got[c.decl], got[c.sameAs], c.why)
		}
	}
	if got[shop+"/orders/api.Handle"] == got[shop+"/billing/api.Handle"] {
		t.Errorf("orders and billing share context %q", got[shop+"/orders/api.Handle"])
	}
	if got[shop+"/pkg/geo.Distance"] == "" {
		t.Errorf("pkg/geo, used by one service only, is kernel")
	}
	for _, pl := range d.Kernel.Placements {
		if pl.Unit == shop+"/pkg/bus" && pl.Reason != ReasonLibrary && pl.Reason != ReasonSpread {
			t.Errorf("pkg/bus is kernel because %q", pl.Reason)
		}
	}
}

// TestServiceFolderHeld: a package of a service folder that the signals
// pull to another service stays with its folder, and the folder's main
// joins it.
func TestServiceFolderHeld(t *testing.T) {
	b := newBuilder(shop)
	for _, svc := range []string{"orders", "billing", "stock"} {
		root := shop + "/" + svc
		b.fn(root + "/internal/app.Handle")
		b.fn(root + "/internal/domain.Rule")
		b.call(root+"/internal/app.Handle", root+"/internal/domain.Rule")
		b.http(root+"/internal/app.Handle", "POST", "/"+svc)
		b.main(root+"/cmd/server", root+"/internal/app.Handle", shop+"/platform.Run")
	}
	b.fn(shop + "/platform.Run")
	// billing's domain rule is called far more by orders than by billing
	b.fn(shop + "/billing/internal/domain.Tax")
	b.edge(shop+"/orders/internal/app.Handle", shop+"/billing/internal/domain.Tax", "call", 9)
	b.call(shop+"/billing/internal/domain.Rule", shop+"/billing/internal/domain.Tax")
	m := b.model()
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	got := placement(t, m, d)
	if got[shop+"/billing/internal/domain.Tax"] != got[shop+"/billing/internal/app.Handle"] {
		t.Errorf("billing/internal/domain in %q, want billing's %q", got[shop+"/billing/internal/domain.Tax"], got[shop+"/billing/internal/app.Handle"])
	}
	for _, svc := range []string{"orders", "billing", "stock"} {
		if a, b := got[shop+"/"+svc+"/cmd/server.main"], got[shop+"/"+svc+"/internal/app.Handle"]; a != b {
			t.Errorf("%s/cmd/server in %q, want %q", svc, a, b)
		}
	}
}
