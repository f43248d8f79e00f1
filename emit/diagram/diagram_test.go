package diagram

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"decompose/analysis"
	"decompose/emit/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture: orders and shipping, a split store package, a kernel package.
func fixture() (*analysis.Model, *plan.Plan) {
	decl := func(pkg, name string) analysis.Decl {
		return analysis.Decl{ID: pkg + "." + name, Package: pkg, Name: name, Kind: analysis.KindFunc}
	}
	m := &analysis.Model{
		Decls: []analysis.Decl{
			decl("ex/orders", "Place"), decl("ex/shipping", "Ship"),
			decl("ex/store", "SaveOrder"), decl("ex/store", "SaveShipment"), decl("ex/money", "Add"),
		},
		Edges: []analysis.Edge{
			{From: "ex/orders.Place", To: "ex/store.SaveOrder", Kind: analysis.EdgeCall, Weight: 3},
			{From: "ex/shipping.Ship", To: "ex/store.SaveShipment", Kind: analysis.EdgeCall, Weight: 2},
			{From: "ex/orders.Place", To: "ex/shipping.Ship", Kind: analysis.EdgeCall, Weight: 1},
			{From: "ex/orders.Place", To: "ex/money.Add", Kind: analysis.EdgeCall, Weight: 4},
		},
	}
	p := &plan.Plan{
		Module: "ex",
		Contexts: []plan.Context{
			{Name: "orders", Packages: []string{"ex/orders"}, Members: []plan.Member{{Package: "ex/store", Decls: []string{"SaveOrder"}}}},
			{Name: "shipping", Packages: []string{"ex/shipping"}, Members: []plan.Member{{Package: "ex/store", Decls: []string{"SaveShipment"}}}},
		},
		SharedKernel: []string{"ex/money"},
		Split:        []string{"ex/store"},
		Contracts: []plan.Contract{
			{From: "orders", To: "shipping", Caller: "ex/orders.Place", Callee: "ex/shipping.Ship", Sites: 1, Async: 1, Style: "async"},
		},
		Findings: []plan.Finding{{Severity: "blocker", Contexts: []string{"shipping"}}},
	}
	return m, p
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(path, got, 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update after checking):\n%s", name, got)
	}
}

func TestContextMap(t *testing.T) {
	_, p := fixture()
	dot := ContextMap(p)
	golden(t, "contexts.dot", dot)
	s := string(dot)
	for _, want := range []string{
		`"orders" [label="orders\n2 packages, 0 entry points"]`,
		`"shipping" [label="shipping\n2 packages, 0 entry points\n1 blocker", color="#c0392b", penwidth=2]`,
		`"orders" -> "shipping" [label="1", style=dashed`,
		`"shared-kernel" [label="shared kernel\n1 package"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("context map lacks %s", want)
		}
	}
}

func TestPackages(t *testing.T) {
	m, p := fixture()
	dot := Packages(m, p)
	golden(t, "packages.dot", dot)
	s := string(dot)
	// each cluster holds exactly its packages; the split one in both
	for _, want := range []string{
		"subgraph \"cluster_orders\" {\n    label=\"orders\";\n    style=\"rounded,filled\";\n    fillcolor=\"#f5f7fa\";\n    \"orders|ex/orders\" [label=\"orders\"];\n    \"orders|ex/store\" [label=\"store (part)\"];\n  }",
		"subgraph \"cluster_shipping\" {\n    label=\"shipping\";\n    style=\"rounded,filled\";\n    fillcolor=\"#f5f7fa\";\n    \"shipping|ex/shipping\" [label=\"shipping\"];\n    \"shipping|ex/store\" [label=\"store (part)\"];\n  }",
		`"orders|ex/orders" -> "shipping|ex/shipping" [penwidth=1.7, color="#c0392b"]`,
		`"orders|ex/orders" -> "orders|ex/store"`,
		`"orders|ex/orders" -> "shared-kernel|ex/money"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("package graph lacks:\n%s", want)
		}
	}
}

func TestPackagesCapped(t *testing.T) {
	m := &analysis.Model{}
	p := &plan.Plan{Module: "ex", Contexts: []plan.Context{{Name: "big"}}}
	for i := 0; i < 2000; i++ {
		pkg := fmt.Sprintf("ex/p%04d", i)
		p.Contexts[0].Packages = append(p.Contexts[0].Packages, pkg)
		m.Decls = append(m.Decls, analysis.Decl{ID: pkg + ".F", Package: pkg, Name: "F"})
		if i > 0 {
			m.Edges = append(m.Edges, analysis.Edge{From: pkg + ".F", To: fmt.Sprintf("ex/p%04d.F", i-1), Kind: analysis.EdgeCall, Weight: 1})
		}
	}
	s := string(Packages(m, p))
	if n := strings.Count(s, " [label="); n != MaxNodes { // the drawn packages
		t.Errorf("%d package nodes, want %d", n, MaxNodes)
	}
	if !strings.Contains(s, "1940 packages and") || !strings.Contains(s, "edges not drawn") {
		t.Error("the note does not say what was left out")
	}
}

func TestSVG(t *testing.T) {
	m, p := fixture()
	ctx := context.Background()
	a, err := SVG(ctx, Packages(m, p))
	if err != nil {
		t.Fatal(err)
	}
	b, err := SVG(ctx, Packages(m, p))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("SVG rendering is not deterministic")
	}
	s := string(a)
	for _, want := range []string{
		`<g id="clust1" class="cluster">`, "<title>cluster_orders</title>", "<title>cluster_shipping</title>",
		"<title>cluster_shared&#45;kernel</title>",
		"<title>orders|ex/orders&#45;&gt;shipping|ex/shipping</title>", ">store (part)</text>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %s", want)
		}
	}
	if _, err := SVG(ctx, []byte("digraph {")); err == nil {
		t.Error("broken DOT rendered")
	}
}

func TestContextMapCapped(t *testing.T) {
	p := &plan.Plan{}
	for i := 0; i < 20; i++ {
		p.Contexts = append(p.Contexts, plan.Context{Name: fmt.Sprintf("c%02d", i)})
		for j := 0; j < 20; j++ {
			if i != j {
				p.Contracts = append(p.Contracts, plan.Contract{From: fmt.Sprintf("c%02d", i), To: fmt.Sprintf("c%02d", j), Sites: i + j, Style: "sync"})
			}
		}
	}
	s := string(ContextMap(p))
	if n := strings.Count(s, " -> "); n != MaxMapEdges {
		t.Errorf("%d edges drawn, want %d", n, MaxMapEdges)
	}
	if !strings.Contains(s, `-> "c19" [label="37"`) || !strings.Contains(s, "the 340 lightest of 380 context pairs are not drawn") {
		t.Error("the heaviest edges are not the ones kept, or the note is missing")
	}
}
