package plan

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"decompose/analysis/model"
)

// call is a contract from one context into another: "a>b" with its sites
// and how many of them are fire and forget.
type call struct {
	pair         string
	sites, async int
}

// cyclePlan builds a plan of the named contexts and calls by hand. Calls
// are named after their pair and sites, not their place in the list, so
// that a shuffled list gives the same contracts.
func cyclePlan(ctxs []string, calls []call) *Plan {
	p := &Plan{Schema: Schema, Module: "example.com/x"}
	for _, c := range ctxs {
		p.Contexts = append(p.Contexts, Context{Name: c, Packages: []string{"example.com/x/" + c}})
	}
	for i, c := range calls {
		from, to, _ := strings.Cut(c.pair, ">")
		style := "sync"
		if c.async == c.sites {
			style = "async"
		}
		p.Contracts = append(p.Contracts, Contract{
			From: from, To: to, Caller: fmt.Sprintf("example.com/x/%s.To%s%d", from, to, c.sites), Callee: fmt.Sprintf("example.com/x/%s.From%s%d", to, from, c.sites),
			Sites: c.sites, Async: c.async, Pos: fmt.Sprintf("%s/x.go:%d:1", from, i+1), Style: style,
		})
	}
	return p
}

func computeCycles(t *testing.T, p *Plan, cfg Config) *Plan {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	p.Migrate(&model.Model{}, cfg)
	return p
}

// edges spells a cycle's edges as "a>b:sites:style".
func edges(c Cycle) string {
	var parts []string
	for _, e := range c.Edges {
		parts = append(parts, fmt.Sprintf("%s>%s:%d:%s", e.From, e.To, e.Sites, e.Style))
	}
	return strings.Join(parts, " ")
}

func breaks(c Cycle) string {
	var parts []string
	for _, b := range c.Break {
		parts = append(parts, fmt.Sprintf("%s>%s:%d", b.From, b.To, b.SyncSites))
	}
	return strings.Join(parts, " ")
}

func TestCycles(t *testing.T) {
	tests := []struct {
		name  string
		ctxs  []string
		calls []call
		// each cycle as "contexts|synchronous|edges|break"
		want []string
	}{
		{"no cycle", []string{"a", "b", "c"},
			[]call{{"a>b", 2, 0}, {"b>c", 1, 0}, {"a>c", 1, 0}},
			nil},
		{"two contexts calling each other", []string{"a", "b", "c"},
			[]call{{"a>b", 2, 0}, {"a>b", 1, 0}, {"b>a", 1, 0}, {"b>c", 4, 0}},
			[]string{"a b|true|a>b:3:sync b>a:1:sync|b>a:1"}},
		{"three contexts in a ring", []string{"a", "b", "c", "d"},
			[]call{{"a>b", 3, 0}, {"b>c", 1, 0}, {"c>a", 2, 0}, {"d>a", 9, 0}},
			[]string{"a b c|true|a>b:3:sync b>c:1:sync c>a:2:sync|b>c:1"}},
		{"closed only through events", []string{"a", "b"},
			[]call{{"a>b", 2, 0}, {"b>a", 3, 3}},
			[]string{"a b|false|a>b:2:sync b>a:3:async|"}},
		{"events both ways", []string{"a", "b"},
			[]call{{"a>b", 1, 1}, {"b>a", 1, 1}},
			[]string{"a b|false|a>b:1:async b>a:1:async|"}},
		{"a partly async edge still waits", []string{"a", "b"},
			[]call{{"a>b", 3, 2}, {"b>a", 2, 0}},
			[]string{"a b|true|a>b:3:sync b>a:2:sync|a>b:1"}},
		{"the shared kernel takes no part", []string{"a", "b"},
			[]call{{"a>shared-kernel", 5, 0}, {"shared-kernel>a", 5, 0}, {"b>shared-kernel", 2, 0}, {"shared-kernel>b", 2, 0}, {"a>b", 1, 0}, {"b>ghost", 1, 0}, {"ghost>a", 1, 0}},
			nil},
		{"a synchronous loop inside a larger cycle", []string{"a", "b", "c"},
			[]call{{"a>b", 2, 0}, {"b>a", 2, 0}, {"b>c", 1, 1}, {"c>a", 1, 0}},
			[]string{"a b c|true|a>b:2:sync b>a:2:sync b>c:1:async c>a:1:sync|a>b:2"}},
		{"two separate cycles", []string{"a", "b", "c", "d"},
			[]call{{"c>d", 1, 0}, {"d>c", 2, 0}, {"a>b", 1, 0}, {"b>a", 1, 1}},
			[]string{"a b|false|a>b:1:sync b>a:1:async|", "c d|true|c>d:1:sync d>c:2:sync|c>d:1"}},
		// the lightest edge a>b is cut first, then b>c; a>b closes no
		// loop without b>c, so it is put back
		{"no edge cut in vain", []string{"a", "b", "c"},
			[]call{{"a>b", 1, 0}, {"b>c", 2, 0}, {"c>a", 10, 0}, {"c>b", 10, 0}},
			[]string{"a b c|true|a>b:1:sync b>c:2:sync c>a:10:sync c>b:10:sync|b>c:2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := computeCycles(t, cyclePlan(tt.ctxs, tt.calls), DefaultConfig())
			var got []string
			for _, c := range r.Cycles {
				got = append(got, fmt.Sprintf("%s|%t|%s|%s", strings.Join(c.Contexts, " "), c.Synchronous, edges(c), breaks(c)))
				if c.Note == "" {
					t.Errorf("cycle %v without a note", c.Contexts)
				}
				for _, b := range c.Break {
					if len(b.Callees) == 0 || b.Suggestion == "" {
						t.Errorf("break %s → %s: callees %v, suggestion %q", b.From, b.To, b.Callees, b.Suggestion)
					}
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("cycles\n  %q\nwant\n  %q", got, tt.want)
			}
		})
	}
}

// TestCycleRisk checks that a step extracting a context on a synchronous
// loop with contexts still in the monolith names the cycle and its break
// and is at least of medium risk, and that no other step does.
func TestCycleRisk(t *testing.T) {
	byName := DefaultConfig()
	byName.Rules.Order = OrderWeights{} // every score 0: by lines, then by name
	tests := []struct {
		name  string
		ctxs  []string
		calls []call
		cfg   Config
		// per context in step order: "risk" or "risk cycle" when the basis names it
		want string
	}{
		// a goes first (score 1 inbound + 0.5×2 outbound against b's 2 +
		// 0.5×1); b then has no call left to make remote
		{"two contexts", []string{"a", "b"}, []call{{"a>b", 2, 0}, {"b>a", 1, 0}}, DefaultConfig(),
			"a:medium:cycle b:low"},
		{"through events only", []string{"a", "b"}, []call{{"a>b", 2, 0}, {"b>a", 1, 1}}, DefaultConfig(),
			"a:medium b:low"},
		{"the loop outside it", []string{"a", "b", "c"}, []call{{"a>b", 2, 0}, {"b>a", 2, 0}, {"b>c", 1, 1}, {"c>a", 1, 0}}, byName,
			"a:medium:cycle b:low c:low"},
		// x leaves after a and b, which carry its calls: none of its own
		// becomes remote, yet the loop through y still holds
		{"no remote call of its own", []string{"a", "b", "x", "y"}, []call{{"x>a", 1, 0}, {"a>y", 1, 0}, {"y>b", 1, 0}, {"b>x", 1, 0}}, byName,
			"a:medium:cycle b:medium:cycle x:medium:cycle y:low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := computeCycles(t, cyclePlan(tt.ctxs, tt.calls), tt.cfg)
			var got []string
			for _, s := range r.Steps {
				x := s.Context + ":" + s.Risk.Level
				for _, fact := range strings.Split(s.Risk.Basis, "; ") {
					if strings.HasPrefix(fact, "synchronous cycle ") {
						x += ":cycle"
						if !strings.Contains(fact, " still in the monolith: break ") {
							t.Errorf("step %d basis %q", s.Order, s.Risk.Basis)
						}
					}
				}
				got = append(got, x)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("steps %s, want %s", g, tt.want)
			}
		})
	}
	r := computeCycles(t, cyclePlan([]string{"a", "b"}, []call{{"a>b", 2, 0}, {"b>a", 1, 0}}), DefaultConfig())
	want := "synchronous cycle a ⇄ b with b still in the monolith: break b → a (1 site) first (an event or an inverted call)"
	if b := r.Steps[0].Risk.Basis; !strings.HasSuffix(b, want) {
		t.Errorf("basis %q, want it to end in %q", b, want)
	}
}

// TestCyclesDeterministic shuffles the contexts and the contracts: the
// cycles and the steps must not change, whatever order the graph library
// visits its maps in.
func TestCyclesDeterministic(t *testing.T) {
	ctxs := []string{"a", "b", "c", "d", "e", "f", "g"}
	calls := []call{
		{"a>b", 2, 0}, {"b>c", 1, 0}, {"c>a", 2, 0}, {"c>b", 3, 0}, {"a>d", 1, 0},
		{"d>e", 4, 0}, {"e>d", 1, 1}, {"e>f", 2, 0}, {"f>g", 2, 0}, {"g>e", 2, 0}, {"g>f", 1, 0},
	}
	first := computeCycles(t, cyclePlan(ctxs, calls), DefaultConfig())
	if len(first.Cycles) != 2 {
		t.Fatalf("%d cycles, want 2: %+v", len(first.Cycles), first.Cycles)
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 50; i++ {
		c := append([]string(nil), ctxs...)
		k := append([]call(nil), calls...)
		rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
		rng.Shuffle(len(k), func(i, j int) { k[i], k[j] = k[j], k[i] })
		p := cyclePlan(c, k)
		// the plan's own contracts are sorted; a hand-edited one need not be
		r := computeCycles(t, p, DefaultConfig())
		if !reflect.DeepEqual(r.Cycles, first.Cycles) {
			t.Fatalf("shuffle %d: cycles\n%+v\nwant\n%+v", i, r.Cycles, first.Cycles)
		}
		for j := range r.Steps {
			if r.Steps[j].Context != first.Steps[j].Context || r.Steps[j].Risk != first.Steps[j].Risk {
				t.Fatalf("shuffle %d: step %d is %s %+v, want %s %+v", i, j+1, r.Steps[j].Context, r.Steps[j].Risk, first.Steps[j].Context, first.Steps[j].Risk)
			}
		}
	}
}

// TestFixtureHasNoCycle: the fixture's calls all run one way.
func TestFixtureHasNoCycle(t *testing.T) {
	if c := build(t, DefaultConfig()).Cycles; len(c) != 0 {
		t.Errorf("cycles %+v", c)
	}
}
