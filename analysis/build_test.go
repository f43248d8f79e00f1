package analysis

import (
	"context"
	"encoding/json"
	"testing"
)

func loadFixture(t *testing.T, archive, algo string, patterns ...string) *Model {
	t.Helper()
	dir := extract(t, archive)
	m, _, err := Analyze(context.Background(), Config{Dir: dir, Patterns: patterns}, algo)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEdges(t *testing.T) {
	m := loadFixture(t, "testdata/edges.txtar", "vta")
	const p = "example.com/edges/"
	edges := map[Edge]bool{}
	for _, e := range m.Edges {
		edges[Edge{From: e.From, To: e.To, Kind: e.Kind}] = true
	}
	tests := []struct {
		from, to string
		kind     EdgeKind
		want     bool
	}{
		{"mail.Send", "orders.Place", EdgeCall, true},
		{"mail.Send", "orders.Order", EdgeTypeRef, true},
		{"mail.Send", "orders.Notifier", EdgeTypeRef, true},
		{"mail.Send", "orders.MaxItems", EdgeRef, true},
		{"mail.Send", "mail.Mailer.Notify", EdgeRef, true},
		{"mail.Send", "mail.register", EdgeCall, true},
		{"mail.Mailer", "orders.Notifier", EdgeImplements, true},
		{"orders.Place", "orders.Notifier", EdgeCall, true},
		{"orders.Place", "mail.Mailer.Notify", EdgeDynamicCall, true},
		{"orders.Place", "orders.placed", EdgeWrite, true},
		{"orders.Place", "orders.count", EdgeWrite, true},
		{"orders.Place", "orders.mu", EdgeWrite, true},
		{"orders.Place", "orders.limit", EdgeRead, true},
		{"orders.Place", "orders.limit", EdgeWrite, false},
		{"orders.Count", "orders.count", EdgeRead, true},
		{"orders.Count", "orders.count", EdgeWrite, false},
		{"orders.limit", "orders.defaultLimit", EdgeCall, true},
		{"orders.defaultLimit", "orders.MaxItems", EdgeRef, true},
		{"orders.Order", "money.Amount", EdgeTypeRef, true},
		{"mail.register", "mail.Mailer.Notify", EdgeDynamicCall, true},
	}
	for _, tt := range tests {
		got := edges[Edge{From: p + tt.from, To: p + tt.to, Kind: tt.kind}]
		if got != tt.want {
			t.Errorf("edge %s -%s-> %s: got %v, want %v", tt.from, tt.kind, tt.to, got, tt.want)
		}
	}
	gen := map[string]bool{}
	for _, pkg := range m.Packages {
		for _, f := range pkg.Files {
			gen[f.Path] = f.Generated
		}
	}
	if !gen["mail/table_gen.go"] || gen["mail/mail.go"] {
		t.Errorf("generated files: %v", gen)
	}
	for _, d := range m.Decls {
		if d.ID == p+"mail.Templates" && !d.Generated {
			t.Errorf("%s not marked generated", d.ID)
		}
	}
}

// TestStaticHasNoDynamicCalls checks that the algorithm is honoured.
func TestStaticHasNoDynamicCalls(t *testing.T) {
	m := loadFixture(t, "testdata/edges.txtar", "static")
	for _, e := range m.Edges {
		if e.Kind == EdgeDynamicCall {
			t.Errorf("static algorithm produced %+v", e)
		}
	}
}

func TestAlgorithmsAgreeOnStaticEdges(t *testing.T) {
	var ref []byte
	for _, algo := range Algorithms {
		if algo == "rta" {
			continue // the fixture has no main package
		}
		m := loadFixture(t, "testdata/edges.txtar", algo)
		var static []Edge
		for _, e := range m.Edges {
			if e.Kind != EdgeDynamicCall {
				static = append(static, e)
			}
		}
		b, _ := json.Marshal(static)
		if ref == nil {
			ref = b
		} else if string(b) != string(ref) {
			t.Errorf("%s: static edges differ from the other algorithms'", algo)
		}
	}
}
