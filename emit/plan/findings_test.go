package plan

import (
	"reflect"
	"testing"

	"decompose/analysis/model"
	"decompose/cluster"
)

// A hand-built model: orders and shipping each own a package; the store
// package is split between them; util is kernel.
func findingsFixture() (*model.Model, *cluster.Decomposition) {
	decl := func(pkg, name string, kind model.DeclKind, recv string) model.Decl {
		id := pkg + "." + name
		if recv != "" {
			id = pkg + "." + recv + "." + name
		}
		return model.Decl{ID: id, Package: pkg, Name: name, Kind: kind, Recv: recv}
	}
	m := &model.Model{
		Decls: []model.Decl{
			decl("ex/orders", "Place", model.KindFunc, ""),
			decl("ex/orders", "count", model.KindVar, ""),
			decl("ex/shipping", "Ship", model.KindFunc, ""),
			decl("ex/store", "OrderStore", model.KindType, ""),
			decl("ex/store", "Save", model.KindMethod, "OrderStore"),
			decl("ex/store", "ShipmentStore", model.KindType, ""),
			decl("ex/store", "MarkShipped", model.KindMethod, "ShipmentStore"),
			decl("ex/util", "Conn", model.KindVar, ""),
			decl("ex/main", "main", model.KindFunc, ""),
		},
		Findings: []model.Finding{
			{Check: "global-mutable", Severity: model.SeverityWarning, Pos: "orders/o.go:3:5", Object: "ex/orders.count",
				Writers: []model.StateAccess{{Decl: "ex/orders.Place", Phase: model.PhaseRequest}},
				Readers: []model.StateAccess{{Decl: "ex/shipping.Ship", Phase: model.PhaseRequest}}},
			{Check: "global-singleton", Severity: model.SeverityWarning, Pos: "util/db.go:3:5", Object: "ex/util.Conn",
				Writers: []model.StateAccess{{Decl: "ex/main.main", Phase: model.PhaseStartup}},
				Readers: []model.StateAccess{{Decl: "ex/orders.Place"}, {Decl: "ex/shipping.Ship"}}},
			{Check: "sql-tables", Severity: model.SeverityInfo, Pos: "store/s.go:9:2"},
		},
		Tables: []model.TableAccess{
			{Table: "orders", Decl: "ex/store.OrderStore.Save", Write: true, Pos: "store/s.go:10:2"},
			{Table: "orders", Decl: "ex/store.ShipmentStore.MarkShipped", Write: true, Pos: "store/s.go:20:2"},
			{Table: "products", Decl: "ex/store.OrderStore.Save", Pos: "store/s.go:11:2"},
			{Table: "shipments", Decl: "ex/store.ShipmentStore.MarkShipped", Write: true, Pos: "store/s.go:21:2"},
			// a schema migration by the composition root owns nothing
			{Table: "shipments", Decl: "ex/main.main", Write: true, Pos: "main.go:5:2"},
		},
	}
	d := &cluster.Decomposition{
		Contexts: []cluster.Context{
			{Name: "orders", Packages: []string{"ex/orders"}, Members: []cluster.Member{{Package: "ex/store", Decls: []string{"OrderStore"}}}},
			{Name: "shipping", Packages: []string{"ex/shipping"}, Members: []cluster.Member{{Package: "ex/store", Decls: []string{"ShipmentStore"}}}},
		},
		Kernel: cluster.Kernel{Packages: []string{"ex/util"}, Infrastructure: []string{"ex/main"}},
	}
	return m, d
}

func TestLocate(t *testing.T) {
	m, d := findingsFixture()
	locate := Locate(m, d)
	for id, want := range map[string]string{
		"ex/orders.Place":                    "orders",
		"ex/store.OrderStore":                "orders",
		"ex/store.ShipmentStore.MarkShipped": "shipping",
		"ex/util.Conn":                       model.Kernel,
		"ex/main.main":                       model.Kernel,
		"ex/nowhere.X":                       "",
	} {
		if got := locate(id); got != want {
			t.Errorf("locate(%s) = %q, want %q", id, got, want)
		}
	}
}

func TestFindingsAndOwnership(t *testing.T) {
	m, d := findingsFixture()
	p := Build(m, d, DefaultConfig())
	bySubject := map[string]Finding{}
	for _, f := range p.Findings {
		bySubject[f.Object] = f
	}
	tests := []struct {
		object, severity string
		contexts         []string
	}{
		// written by orders while serving, read by shipping: the worst case
		{"ex/orders.count", "blocker", []string{"orders", "shipping"}},
		// set at start-up only: stays a warning
		{"ex/util.Conn", "warning", []string{"orders", model.Kernel, "shipping"}},
		{"table:orders", "blocker", []string{"orders", "shipping"}},
	}
	for _, tt := range tests {
		f, ok := bySubject[tt.object]
		if !ok {
			t.Errorf("%s: no finding", tt.object)
			continue
		}
		if f.Severity != tt.severity || !reflect.DeepEqual(f.Contexts, tt.contexts) {
			t.Errorf("%s: %s %v, want %s %v (%s)", tt.object, f.Severity, f.Contexts, tt.severity, tt.contexts, f.Basis)
		}
	}
	if _, ok := bySubject["table:products"]; ok {
		t.Error("a table read and written by one context is not a finding")
	}
	for _, f := range p.Findings {
		if f.Check == "sql-tables" {
			t.Error("per-query findings belong in data_ownership")
		}
	}
	if p.Findings[0].Severity != "blocker" || p.Findings[len(p.Findings)-1].Severity != "warning" {
		t.Errorf("findings not worst first: %+v", p.Findings)
	}
	want := []TableOwnership{
		{Table: "orders", Access: map[string]string{"orders": "w", "shipping": "w"}, Shared: true},
		{Table: "products", Access: map[string]string{"orders": "r"}},
		{Table: "shipments", Access: map[string]string{model.Kernel: "w", "shipping": "w"}, Owner: "shipping"},
	}
	if !reflect.DeepEqual(p.DataOwnership, want) {
		t.Errorf("data ownership:\n%+v\nwant\n%+v", p.DataOwnership, want)
	}
}

func TestContracts(t *testing.T) {
	m, d := findingsFixture()
	m.Decls[2].Signature = "func(id string) error"
	m.Edges = []model.Edge{
		{From: "ex/orders.Place", To: "ex/shipping.Ship", Kind: model.EdgeCall, Weight: 2, Async: 2, Pos: "orders/o.go:9:4"},
		{From: "ex/shipping.Ship", To: "ex/orders.Place", Kind: model.EdgeDynamicCall, Weight: 1, Pos: "shipping/s.go:3:1"},
		{From: "ex/orders.Place", To: "ex/util.Conn", Kind: model.EdgeRead, Weight: 1},
		{From: "ex/orders.Place", To: "ex/store.OrderStore.Save", Kind: model.EdgeCall, Weight: 1},
		{From: "ex/main.main", To: "ex/orders.Place", Kind: model.EdgeCall, Weight: 1},
	}
	got := Build(m, d, DefaultConfig()).Contracts
	want := []Contract{
		{From: "orders", To: "shipping", Caller: "ex/orders.Place", Callee: "ex/shipping.Ship", Signature: "func(id string) error", Sites: 2, Async: 2, Pos: "orders/o.go:9:4", Style: "async"},
		{From: "shipping", To: "orders", Caller: "ex/shipping.Ship", Callee: "ex/orders.Place", Sites: 1, Pos: "shipping/s.go:3:1", Style: "sync"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("contracts:\n%+v\nwant\n%+v", got, want)
	}
}
