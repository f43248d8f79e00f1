package markdown

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"decompose/emit/english"
	"decompose/emit/golden"
	"decompose/emit/plan"
	"decompose/emit/plan/fixture"
)

func fixturePlan() *plan.Plan {
	return plan.Build(fixture.Model(), fixture.Decomposition(), plan.DefaultConfig())
}

func TestRender(t *testing.T) {
	tests := []struct {
		name   string
		golden string
		d      Diagrams
		must   []string
	}{
		{"own context map", "plan.md", Diagrams{}, []string{
			"ctx_orders -->|2| ctx_billing", // a sync edge with its sites
			"ctx_orders -.->|1| ctx_mail",   // an async edge, dashed
			"Drawn in `packages.svg`",       // no package graph given
			"ctx_auth[\"auth<br/>1 entry point<br/>stateful\"]",
		}},
		{"diagrams given", "plan-diagrams.md", Diagrams{
			ContextMap: "flowchart LR\n  a --> b\n",
			Packages:   "flowchart LR\n  subgraph orders\n    p1\n  end\n",
		}, []string{
			"```mermaid\nflowchart LR\n  a --> b\n```",
			"```mermaid\nflowchart LR\n  subgraph orders\n    p1\n  end\n```",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fixturePlan()
			got := Render(p, tt.d)
			golden.Check(t, filepath.Join("testdata", tt.golden), got)
			s := string(got)
			for _, must := range tt.must {
				if !strings.Contains(s, must) {
					t.Errorf("plan.md lacks %q", must)
				}
			}
			// every context, step, finding and table is there
			for _, c := range p.Contexts {
				if !strings.Contains(s, "| `"+c.Name+"` |") {
					t.Errorf("context %s missing from the summary", c.Name)
				}
			}
			for _, st := range p.Steps {
				if !strings.Contains(s, fmt.Sprintf("### Step %d: extract `%s` as %s", st.Order, st.Context, runtimeNoun(st.Runtime))) {
					t.Errorf("step %d missing", st.Order)
				}
				if !strings.Contains(s, st.Effort.Basis) || !strings.Contains(s, st.Risk.Basis) {
					t.Errorf("step %d lacks its estimates' basis", st.Order)
				}
				for _, c := range st.RemoteCalls {
					if !strings.Contains(s, "`"+plan.FileLine(c.Pos)+"`") {
						t.Errorf("step %d: call site %s missing", st.Order, c.Pos)
					}
				}
			}
			for _, f := range p.Findings {
				if f.Severity != "info" && !strings.Contains(s, "`"+plan.FileLine(f.Pos)+"`") {
					t.Errorf("finding at %s missing", f.Pos)
				}
			}
			for _, want := range []string{"not a quote", "| **total** |", "**shared**", "read-through-owner", "**Extraction order:** 1. `auth`"} {
				if !strings.Contains(s, want) {
					t.Errorf("plan.md lacks %q", want)
				}
			}
		})
	}
}

// TestCaps checks that a large plan stays readable and says what it left
// out.
func TestCaps(t *testing.T) {
	p := fixturePlan()
	s := &p.Steps[0]
	for i := 0; i < 40; i++ {
		s.RemoteCalls = append(s.RemoteCalls, plan.RemoteCall{
			Direction: "in", From: "orders", To: "auth", Caller: fmt.Sprintf("example.com/mini/orders.F%02d", i),
			Callee: "example.com/mini/auth.Check", Pos: fmt.Sprintf("orders/x.go:%d:1", 200+i), Sites: 1, Contract: plan.ContractRequest,
		})
	}
	for i := 0; i < 60; i++ {
		p.Findings = append(p.Findings, plan.Finding{Check: "global-mutable", Severity: "warning", Object: fmt.Sprintf("x.v%d", i), Pos: fmt.Sprintf("x/x.go:%d:1", i)})
	}
	got := string(Render(p, Diagrams{}))
	if n := strings.Count(got, "| request/response |"); n > MaxStepCalls*len(p.Steps) {
		t.Errorf("%d call rows", n)
	}
	for _, want := range []string{
		fmt.Sprintf("%d lighter calls not listed: `steps[0].remote_calls` in plan.yaml.", 41-MaxStepCalls),
		"more blockers and warnings not listed: `findings` in plan.yaml.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("plan.md lacks %q", want)
		}
	}
}

// TestWithoutMigration renders a plan that has no migration keys, as
// plan.Build makes it.
func TestWithoutMigration(t *testing.T) {
	p := fixturePlan()
	p.Summary, p.Steps, p.Cost = nil, nil, nil
	got := string(Render(p, Diagrams{}))
	for _, bad := range []string{"## Migration steps", "## Dependency cycles", "## Cost sketch", "%!"} {
		if strings.Contains(got, bad) {
			t.Errorf("plan.md has %q", bad)
		}
	}
	if !strings.Contains(got, "| `orders` | 1 | 1 |") {
		t.Errorf("contexts table missing:\n%s", got)
	}
}

func TestEscaping(t *testing.T) {
	tests := []struct{ in, code, inline string }{
		{"a|b", "`a\\|b`", "a\\|b"},
		{"x`y", "`x'y`", "x\\`y"},
		{"two\nlines", "`two lines`", "two lines"},
		{"tab\tcr\rnul\x00esc\x1b[31m", "`tab cr nul esc [31m`", "tab cr nul esc \\[31m"},
		{"<script>", "`<script>`", "&lt;script&gt;"},
		{"/<script>alert(1)</script>", "`/<script>alert(1)</script>`", "/&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"/![x](https://example.invalid/t.png)", "`/![x](https://example.invalid/t.png)`", "/\\!\\[x\\](https://example.invalid/t.png)"},
		{"[a](javascript:x)", "`[a](javascript:x)`", "\\[a\\](javascript:x)"},
		{"/a\n```\n# b", "`/a ''' # b`", "/a \\`\\`\\` \\# b"},
		{"*em* _em_ ~~s~~", "`*em* _em_ ~~s~~`", "\\*em\\* \\_em\\_ \\~\\~s\\~\\~"},
		{"a&amp;b", "`a&amp;b`", "a&amp;amp;b"},
		{`back\slash`, "`back\\slash`", `back\\slash`},
		{"- item", "`- item`", "\\- item"},
		{"12. item", "`12. item`", "12\\. item"},
		{"", "–", ""},
	}
	for _, tt := range tests {
		if got := code(tt.in); got != tt.code {
			t.Errorf("code(%q) = %q, want %q", tt.in, got, tt.code)
		}
		if got := inline(tt.in); got != tt.inline {
			t.Errorf("inline(%q) = %q, want %q", tt.in, got, tt.inline)
		}
	}
}

// link is the "](" of a Markdown link or image, not escaped.
var link = regexp.MustCompile(`(^|[^\\])\]\(`)

// TestHostileStrings renders a plan whose routes, names and texts carry
// HTML, Markdown and a fence: none of it becomes markup in plan.md.
func TestHostileStrings(t *testing.T) {
	hostile := []string{
		"/<script>alert(1)</script>",
		"/![x](https://example.invalid/t.png)",
		"/a\n```\n# swallowed",
		"/x | y",
	}
	tests := []struct {
		name string
		set  func(p *plan.Plan, s string)
	}{
		{"http route", func(p *plan.Plan, s string) {
			m := &p.Steps[0].Moves
			m.EntryPoints = append(m.EntryPoints, plan.EntryPoint{Kind: "http", Method: "GET", Route: s})
		}},
		{"consumer route", func(p *plan.Plan, s string) {
			m := &p.Steps[0].Moves
			m.EntryPoints = append(m.EntryPoints, plan.EntryPoint{Kind: "consumer", Route: s})
		}},
		{"finding remedy", func(p *plan.Plan, s string) { p.Findings[0].Remedy = s }},
		{"risk basis", func(p *plan.Plan, s string) { p.Steps[0].Risk.Basis = s }},
		{"remote call contexts", func(p *plan.Plan, s string) {
			p.Steps[0].RemoteCalls = append(p.Steps[0].RemoteCalls, plan.RemoteCall{From: s, To: s, Caller: "a.B", Callee: "c.D", Sites: 1})
		}},
		{"table owner", func(p *plan.Plan, s string) { p.DataOwnership[0].Owner = s }},
		{"currency", func(p *plan.Plan, s string) { p.Cost.Assumptions.Currency = s }},
	}
	for _, tt := range tests {
		for i, s := range hostile {
			t.Run(fmt.Sprintf("%s/%d", tt.name, i), func(t *testing.T) {
				p := fixturePlan()
				clean := string(Render(p, Diagrams{}))
				tt.set(p, s)
				got := string(Render(p, Diagrams{}))
				for _, bad := range []string{"<script", "</script", "![", "\n# swallowed", " | y"} {
					if strings.Contains(got, bad) {
						t.Errorf("plan.md holds %q", bad)
					}
				}
				if a, b := len(link.FindAllString(clean, -1)), len(link.FindAllString(got, -1)); a != b {
					t.Errorf("%d links, want the table of contents' %d", b, a)
				}
				if a, b := strings.Count(clean, "\n```"), strings.Count(got, "\n```"); a != b {
					t.Errorf("%d fence lines, want %d", b, a)
				}
				// one more table row at most, never a line break inside one
				if a, b := strings.Count(clean, "\n"), strings.Count(got, "\n"); b > a+1 {
					t.Errorf("%d lines, want at most %d", b, a+1)
				}
			})
		}
	}
}

func TestHelpers(t *testing.T) {
	tests := []struct{ got, want string }{
		{plan.Thousands(0), "0"}, {plan.Thousands(999), "999"}, {plan.Thousands(1000), "1,000"}, {plan.Thousands(58776679), "58,776,679"},
		{plan.FileLine("a/b.go:12:3"), "a/b.go:12"}, {plan.FileLine("a/b.go:12"), "a/b.go:12"}, {plan.FileLine(""), ""},
		{num(0.0000166667), "0.0000166667"}, {num(730), "730"}, {num(0.2), "0.2"},
		{english.Plural(1, "class"), "1 class"}, {english.Plural(2, "class"), "2 classes"}, {english.Plural(0, "call"), "0 calls"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// cyclicPlan is the fixture with a call back from catalog into orders,
// which closes a synchronous cycle through billing too.
func cyclicPlan() *plan.Plan {
	p := fixturePlan()
	p.Contracts = append(p.Contracts, plan.Contract{
		From: "catalog", To: "orders", Caller: fixture.Module + "/catalog.Lookup", Callee: fixture.Module + "/orders.Service.Get",
		Sites: 1, Pos: "catalog/x.go:18:9", Style: "sync",
	})
	p.Migrate(fixture.Model(), plan.DefaultConfig())
	return p
}

func TestCycles(t *testing.T) {
	p := cyclicPlan()
	if len(p.Cycles) != 1 || len(p.Cycles[0].Contexts) != 3 {
		t.Fatalf("cycles %+v", p.Cycles)
	}
	got := string(Render(p, Diagrams{}))
	for _, want := range []string{
		"[Dependency cycles](#dependency-cycles)",
		"| `billing` ⇄ `catalog` ⇄ `orders` | **synchronous** | orders → catalog: 5 sites, orders → billing: 2 sites, billing → catalog: 1 site, catalog → orders: 1 site | catalog → orders: 1 site (`orders.Service.Get`) |",
		"synchronous cycle billing ⇄ catalog ⇄ orders with billing and orders still in the monolith: break catalog → orders (1 site) first",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("plan.md lacks %q", want)
		}
	}
	if strings.Contains(got, "None: the calls between contexts form no loop.") {
		t.Error("plan.md says there is no cycle")
	}

	for i := 0; i < MaxCycles+1; i++ {
		c := plan.Cycle{Contexts: []string{fmt.Sprintf("a%02d", i), fmt.Sprintf("b%02d", i)}}
		for j := 0; j < MaxCycleEdges+3; j++ {
			c.Edges = append(c.Edges, plan.CycleEdge{From: c.Contexts[j%2], To: c.Contexts[1-j%2], Calls: 1, Sites: 1, Async: 1, Style: "async"})
		}
		p.Cycles = append(p.Cycles, c)
	}
	got = string(Render(p, Diagrams{}))
	for _, want := range []string{"2 more cycles not listed: `cycles` in plan.yaml.", "(events) and 3 more |", "| `a00` ⇄ `b00` | through events |"} {
		if !strings.Contains(got, want) {
			t.Errorf("plan.md lacks %q", want)
		}
	}
	if !strings.Contains(got, "`a08`") || strings.Contains(got, "`a09`") {
		t.Errorf("more than %d cycles listed", MaxCycles)
	}
}
