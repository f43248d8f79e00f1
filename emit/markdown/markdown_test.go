package markdown

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"decompose/emit/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func fixture() *plan.Plan {
	return &plan.Plan{
		Module: "example.com/shop",
		Contexts: []plan.Context{
			{Name: "orders", Packages: []string{"example.com/shop/orders"}, EntryPoints: []plan.EntryPoint{{Kind: "http"}}, Vocabulary: []string{"order"},
				Metrics: plan.ContextMetrics{Decls: 12, DependsOn: []string{"shipping"}}},
			{Name: "shipping", Packages: []string{"example.com/shop/shipping"}, Metrics: plan.ContextMetrics{Decls: 7}},
		},
		SharedKernel: []string{"example.com/shop/money"},
		Findings: []plan.Finding{
			{Check: "global-mutable", Severity: "blocker", Contexts: []string{"orders"}, Object: "example.com/shop/orders.cache", Pos: "orders/cache.go:9:5", Remedy: "a cache service | or a key-value store"},
			{Check: "global-init-only", Severity: "info", Object: "example.com/shop/orders.re"},
		},
		Contracts: []plan.Contract{
			{From: "orders", To: "shipping", Caller: "example.com/shop/orders.Pay", Callee: "example.com/shop/shipping.Ship", Sites: 2, Async: 2, Style: "async", Pos: "orders/pay.go:20:3"},
			{From: "shipping", To: "orders", Caller: "example.com/shop/shipping.Ship", Callee: "example.com/shop/orders.Get", Sites: 1, Style: "sync", Pos: "shipping/ship.go:8:2"},
		},
		DataOwnership: []plan.TableOwnership{
			{Table: "orders", Access: map[string]string{"orders": "rw", "shipping": "w"}, Shared: true},
			{Table: "shipments", Access: map[string]string{"shipping": "rw"}, Owner: "shipping"},
		},
	}
}

func TestRender(t *testing.T) {
	got := Render(fixture())
	golden := filepath.Join("testdata", "plan.md")
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(golden, got, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("plan.md differs from %s (go test -update after checking):\n%s", golden, got)
	}
	s := string(got)
	for _, must := range []string{
		"| `orders` |", "| `shipping` |", // every context
		"ctx_orders -.->|2| ctx_shipping", // async edge, dashed, with its sites
		"ctx_shipping -->|1| ctx_orders",  // sync edge
		"a cache service \\| or",          // a pipe cannot break the table
		"**shared**",
	} {
		if !strings.Contains(s, must) {
			t.Errorf("plan.md lacks %q", must)
		}
	}
	if strings.Contains(s, "orders.re") {
		t.Error("info findings are listed")
	}
}

func TestCaps(t *testing.T) {
	p := fixture()
	for i := 0; i < maxFindings+5; i++ {
		p.Findings = append(p.Findings, plan.Finding{Check: "timer", Severity: "warning", Object: "x"})
	}
	if s := string(Render(p)); !strings.Contains(s, "6 more in plan.yaml.") {
		t.Error("findings beyond the cap are not counted")
	}
}
