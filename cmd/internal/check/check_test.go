package check

import (
	"strings"
	"testing"

	"decompose/analysis/model"
)

// program is a hand-built program: orders calls billing through a contract;
// web is a split package whose parts belong to both.
func program() *model.Model {
	decl := func(pkg, name string, kind model.DeclKind, recv, sig, pos string) model.Decl {
		id := pkg + "." + name
		if recv != "" {
			id = pkg + "." + recv + "." + name
		}
		return model.Decl{ID: id, Package: pkg, Name: name, Kind: kind, Recv: recv, Signature: sig, Pos: pos}
	}
	const o, b, w, k = "m/orders", "m/billing", "m/web", "m/lib/log"
	m := &model.Model{
		Modules:  []model.Module{{Path: "m"}},
		Packages: []model.Package{{Path: b, Name: "billing"}, {Path: k, Name: "log"}, {Path: o, Name: "orders"}, {Path: w, Name: "web"}},
		Decls: []model.Decl{
			decl(b, "Service", model.KindType, "", "", "billing/b.go:1:6"),
			decl(b, "Charge", model.KindMethod, "Service", "func(r billing.Request) (billing.Receipt, error)", "billing/b.go:2:1"),
			decl(b, "Refund", model.KindMethod, "Service", "func(id int) error", "billing/b.go:3:1"),
			decl(b, "Request", model.KindType, "", "", "billing/b.go:4:6"),
			decl(b, "Card", model.KindType, "", "", "billing/b.go:5:6"),
			decl(b, "Receipt", model.KindType, "", "", "billing/b.go:6:6"),
			decl(b, "ledger", model.KindType, "", "", "billing/b.go:7:6"),
			decl(b, "ErrDeclined", model.KindVar, "", "", "billing/b.go:8:5"),
			decl(b, "charges", model.KindVar, "", "", "billing/b.go:9:5"),
			decl(b, "MaxAmount", model.KindConst, "", "", "billing/b.go:10:7"),
			decl(b, "init", model.KindFunc, "", "", "billing/b.go:11:6"),
			decl(k, "Print", model.KindFunc, "", "", "lib/log/log.go:1:6"),
			decl(o, "Place", model.KindFunc, "", "", "orders/o.go:1:6"),
			decl(o, "Cancel", model.KindFunc, "", "", "orders/o.go:2:6"),
			decl(w, "Server", model.KindType, "", "", "web/s.go:1:6"),
			decl(w, "PlaceOrder", model.KindMethod, "Server", "", "web/s.go:2:1"),
			decl(w, "Pay", model.KindMethod, "Server", "", "web/s.go:3:1"),
			decl(w, "status", model.KindFunc, "", "", "web/s.go:4:6"),
			decl(w, "Audit", model.KindFunc, "", "", "web/s.go:5:6"),
			decl(w, "cache", model.KindType, "", "", "web/s.go:6:6"),
			decl(w, "Get", model.KindMethod, "cache", "", "web/s.go:7:1"),
		},
		EntryPoints: []model.EntryPoint{{Kind: model.EntryHTTP, Method: "POST", Route: "/orders", Decl: w + ".Server.PlaceOrder", Package: w}},
	}
	edge := func(from, to string, kind model.EdgeKind, pos string) model.Edge {
		return model.Edge{From: from, To: to, Kind: kind, Weight: 1, Pos: pos}
	}
	m.Edges = []model.Edge{
		edge(w+".Server.PlaceOrder", o+".Place", model.EdgeCall, "web/s.go:2:10"),
		edge(o+".Place", b+".Service.Charge", model.EdgeCall, "orders/o.go:1:20"),         // the contract
		edge(o+".Place", b+".Service", model.EdgeTypeRef, "orders/o.go:1:30"),             // its receiver
		edge(o+".Place", b+".Request", model.EdgeTypeRef, "orders/o.go:1:40"),             // its signature
		edge(b+".Request", b+".Card", model.EdgeTypeRef, "billing/b.go:4:20"),             // a field of it
		edge(o+".Place", b+".Card", model.EdgeTypeRef, "orders/o.go:1:50"),                // allowed through Request
		edge(o+".Place", b+".ErrDeclined", model.EdgeRead, "orders/o.go:1:60"),            // a sentinel
		edge(o+".Place", b+".MaxAmount", model.EdgeRef, "orders/o.go:1:70"),               // a constant
		edge(o+".Place", k+".Print", model.EdgeCall, "orders/o.go:1:80"),                  // the kernel
		edge(b+".init", b+".ErrDeclined", model.EdgeWrite, "billing/b.go:11:10"),          // init only
		edge(b+".Service.Charge", b+".charges", model.EdgeWrite, "billing/b.go:2:10"),     // state
		edge(o+".Cancel", b+".Service.Refund", model.EdgeCall, "orders/o.go:2:10"),        // no contract
		edge(o+".Cancel", b+".ledger", model.EdgeTypeRef, "orders/o.go:2:20"),             // internal type
		edge(o+".Cancel", b+".charges", model.EdgeRead, "orders/o.go:2:30"),               // state of billing
		edge(o+".Cancel", b+".charges", model.EdgeWrite, "orders/o.go:2:40"),              // state of billing
		edge(w+".Server.Pay", w+".status", model.EdgeCall, "web/s.go:3:10"),               // split package, across
		edge(w+".Server.PlaceOrder", w+".Server.Pay", model.EdgeCall, "web/s.go:2:30"),    // split package, across
		edge(w+".Server.PlaceOrder", b+".Receipt", model.EdgeImplements, "web/s.go:2:40"), // never a dependency
	}
	return m
}

const acceptedYAML = `schema: decompose/v1
contexts:
  - name: billing
    packages:
      - m/billing
    members:
      - package: m/web
        decls:
          - Server.Pay
  - name: orders
    packages:
      - m/orders
    members:
      - package: m/web
        decls:
          - Server.PlaceOrder
          - status
shared_kernel:
  - m/lib/...
kernel:
  members:
    - package: m/web
      decls:
        - Server
contracts:
  - from: orders
    to: billing
    caller: m/orders.Place
    callee: m/billing.Service.Charge
    style: sync
findings: []
`

func TestCheckRules(t *testing.T) {
	a, err := ParseAccepted("plan.yaml", []byte(acceptedYAML))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Check(program(), a, Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Reports {
		got = append(got, r.Pos+": "+r.text())
	}
	want := []string{
		"orders/o.go:2:10: orders → billing: orders.Cancel calls billing.Service.Refund, which no contract of the plan allows",
		"orders/o.go:2:20: orders → billing: orders.Cancel uses type billing.ledger, which no contract of orders carries, and orders does not depend on billing in the plan",
		"orders/o.go:2:30: orders → billing: orders.Cancel reads variable billing.charges, state of billing shared across future services",
		"orders/o.go:2:40: orders → billing: orders.Cancel writes variable billing.charges, state of billing shared across future services",
		"web/s.go:2:30: orders → billing: web.Server.PlaceOrder calls web.Server.Pay, which no contract of the plan allows (path: POST /orders → web.Server.PlaceOrder → web.Server.Pay)",
		"web/s.go:3:10: billing → orders: web.Server.Pay calls web.status, which no contract of the plan allows (path: POST /orders → web.Server.PlaceOrder → web.Server.Pay → web.status)",
		"web/s.go:5:6: new declaration web.Audit in split package web: no context owns it; list Audit under the members of a context or of the kernel in the plan",
		"web/s.go:6:6: new declaration web.cache in split package web: no context owns it; list cache under the members of a context or of the kernel in the plan",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Violations != len(want) {
		t.Errorf("%d violations, want %d", res.Violations, len(want))
	}
}

// TestCheckDependsOn: a context's metrics.depends_on accepts the types and
// function references of another, never its calls or its state.
func TestCheckDependsOn(t *testing.T) {
	a, err := ParseAccepted("plan.yaml", []byte(strings.Replace(acceptedYAML, "      - m/orders\n", "      - m/orders\n    metrics:\n      depends_on: [billing]\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Check(program(), a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Reports {
		if r.Rule == RuleBoundary && r.From == "orders" {
			got = append(got, r.Kind+" "+r.Target)
		}
	}
	want := "call m/billing.Service.Refund, read m/billing.charges, write m/billing.charges, call m/web.Server.Pay"
	if strings.Join(got, ", ") != want {
		t.Errorf("with depends_on: %s, want %s", strings.Join(got, ", "), want)
	}
	if _, err := ParseAccepted("plan.yaml", []byte(strings.Replace(acceptedYAML, "      - m/orders\n", "      - m/orders\n    metrics:\n      depends_on: [biling]\n", 1))); err == nil || err.Error() != `plan.yaml:14:20: context orders depends_on "biling", which is not a context of the plan` {
		t.Errorf("unknown context in depends_on: %v", err)
	}
}

func TestCheckAsyncContract(t *testing.T) {
	m := program()
	a, err := ParseAccepted("plan.yaml", []byte(strings.Replace(acceptedYAML, "style: sync", "style: async", 1)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Check(m, a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sync []string
	for _, r := range res.Reports {
		if r.Rule == RuleSyncOnAsync {
			sync = append(sync, r.Pos+": "+r.Message)
		}
	}
	want := "orders/o.go:1:20: orders → billing: orders.Place makes a call that waits for billing.Service.Charge, on an edge the plan made asynchronous; send it as an event or discard its result"
	if len(sync) != 1 || sync[0] != want {
		t.Errorf("sync-on-async reports %q, want %q", sync, want)
	}
	for _, r := range res.Reports {
		if r.Source == "m/orders.Cancel" && r.Target == "m/billing.Service.Refund" && !strings.HasSuffix(r.Message, ", and it waits where the plan makes every call from orders to billing asynchronous") {
			t.Errorf("a new waiting call on an asynchronous pair: %s", r.Message)
		}
	}
	// a site that does not wait keeps to the contract
	for i, e := range m.Edges {
		if e.To == "m/billing.Service.Charge" {
			m.Edges[i].Async = 1
		}
	}
	res, _ = Check(m, a, Options{})
	for _, r := range res.Reports {
		if r.Rule == RuleSyncOnAsync {
			t.Errorf("an async site reported: %s", r.Message)
		}
	}
}

func TestParseAcceptedErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"not yaml", "schema: decompose/v1\ncontexts: [\n", "plan.yaml:2: did not find expected node content"},
		{"not a mapping", "- a\n", "plan.yaml:1: not a plan: want a mapping with schema: decompose/v1"},
		{"other schema", "schema: decompose/v2\n", `plan.yaml:1:9: plan schema "decompose/v2", want "decompose/v1"`},
		{"wrong type", "schema: decompose/v1\ncontexts:\n  - name: a\n    packages: 3\n", "plan.yaml:4: cannot unmarshal !!int `3` into []string"},
		{"unknown key", "schema: decompose/v1\ncontexts:\n  - name: a\n    pakages: []\n", "plan.yaml:4: field pakages not found in type plan.Context"},
		{"two documents", "schema: decompose/v1\n---\nschema: decompose/v1\n", "plan.yaml: more than one YAML document (a line ---); only the first would be read"},
		{"no name", "schema: decompose/v1\ncontexts:\n  - packages: [m/a]\n", "plan.yaml:3:5: a context without a name"},
		{"kernel as context", "schema: decompose/v1\ncontexts:\n  - name: shared-kernel\n", "plan.yaml:3:11: shared-kernel names the shared kernel, not a context: list its packages under shared_kernel"},
		{"named twice", "schema: decompose/v1\ncontexts:\n  - name: a\n  - name: a\n", "plan.yaml:4:11: context a named twice (first at line 3)"},
		{"package twice", "schema: decompose/v1\ncontexts:\n  - name: a\n    packages: [m/a]\nshared_kernel:\n  - m/a\n", "plan.yaml:6:5: package m/a listed twice (first at line 4)"},
		{"decl twice", "schema: decompose/v1\ncontexts:\n  - name: a\n    members:\n      - package: m/w\n        decls: [X, Y]\n  - name: b\n    members:\n      - package: m/w\n        decls:\n          - Y\n", "plan.yaml:11:13: declaration m/w.Y listed twice (first at line 6)"},
		{"split and whole", "schema: decompose/v1\ncontexts:\n  - name: a\n    packages: [m/w]\n    members:\n      - package: m/w\n        decls: [X]\n", "plan.yaml:6:18: package m/w is split (members) and also listed whole at line 4"},
		{"contract to nowhere", "schema: decompose/v1\ncontexts:\n  - name: a\ncontracts:\n  - from: a\n    to: b\n    callee: m/b.F\n    style: sync\n", `plan.yaml:6:9: contract to: "b" is not a context of the plan`},
		{"contract style", "schema: decompose/v1\ncontexts:\n  - name: a\n  - name: b\ncontracts:\n  - from: a\n    to: b\n    callee: m/b.F\n    style: later\n", `plan.yaml:9:12: contract style "later", want sync or async`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAccepted("plan.yaml", []byte(tt.yaml))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v, want %s", err, tt.want)
			}
		})
	}
}

func TestStaleEntries(t *testing.T) {
	tests := []struct{ old, new, want string }{
		{"  - m/lib/...", "  - m/lib/...\n  - m/gone/...", "plan.yaml:20:5: pattern m/gone/... matches no package of the program"},
		{"      - m/orders", "      - m/order", "plan.yaml:12:9: package m/order is not in the program"},
		{"          - status", "          - statuz", "plan.yaml:17:13: m/web has no declaration statuz"},
	}
	for _, tt := range tests {
		a, err := ParseAccepted("plan.yaml", []byte(strings.Replace(acceptedYAML, tt.old, tt.new, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Check(program(), a, Options{Strict: true}); err == nil || err.Error() != tt.want {
			t.Errorf("error %v, want %s", err, tt.want)
		}
		if _, err := Check(program(), a, Options{}); err != nil {
			t.Errorf("not strict: %v", err)
		}
	}
}
