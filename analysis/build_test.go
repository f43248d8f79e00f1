package analysis

import (
	"context"
	"encoding/json"
	"testing"

	"decompose/analysis/model"
)

func loadFixture(t *testing.T, archive, algo string, patterns ...string) *model.Model {
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
	edges := map[model.Edge]bool{}
	for _, e := range m.Edges {
		edges[model.Edge{From: e.From, To: e.To, Kind: e.Kind}] = true
	}
	tests := []struct {
		from, to string
		kind     model.EdgeKind
		want     bool
	}{
		{"mail.Send", "orders.Place", model.EdgeCall, true},
		{"mail.Send", "orders.Order", model.EdgeTypeRef, true},
		{"mail.Send", "orders.Notifier", model.EdgeTypeRef, true},
		{"mail.Send", "orders.MaxItems", model.EdgeRef, true},
		{"mail.Send", "mail.Mailer.Notify", model.EdgeRef, true},
		{"mail.Send", "mail.register", model.EdgeCall, true},
		{"mail.Mailer", "orders.Notifier", model.EdgeImplements, true},
		{"orders.Place", "orders.Notifier", model.EdgeCall, true},
		{"orders.Place", "mail.Mailer.Notify", model.EdgeDynamicCall, true},
		{"orders.Place", "orders.placed", model.EdgeWrite, true},
		{"orders.Place", "orders.count", model.EdgeWrite, true},
		{"orders.Place", "orders.mu", model.EdgeWrite, true},
		{"orders.Place", "orders.limit", model.EdgeRead, true},
		{"orders.Place", "orders.limit", model.EdgeWrite, false},
		{"orders.Count", "orders.count", model.EdgeRead, true},
		{"orders.Count", "orders.count", model.EdgeWrite, false},
		{"orders.limit", "orders.defaultLimit", model.EdgeCall, true},
		{"orders.defaultLimit", "orders.MaxItems", model.EdgeRef, true},
		{"orders.Order", "money.Amount", model.EdgeTypeRef, true},
		{"mail.register", "mail.Mailer.Notify", model.EdgeDynamicCall, true},
	}
	for _, tt := range tests {
		got := edges[model.Edge{From: p + tt.from, To: p + tt.to, Kind: tt.kind}]
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
		if e.Kind == model.EdgeDynamicCall {
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
		var static []model.Edge
		for _, e := range m.Edges {
			if e.Kind != model.EdgeDynamicCall {
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
