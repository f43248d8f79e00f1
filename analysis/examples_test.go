package analysis

import (
	"context"
	"os"
	"path"
	"strings"
	"sync"
	"testing"

	"decompose/analysis/model"

	"go.yaml.in/yaml/v3"
)

// The example monoliths in testdata (shop: packages by domain; clinic:
// layered) come with the list of their entry points (decomposition.yaml)
// and of their planted state hazards and harmless look-alikes
// (hazards.yaml). These tests hold the model to them.

// examples are the example monoliths, by directory under testdata.
var examples = []string{"shop", "clinic"}

type loaded struct {
	once sync.Once
	m    *model.Model
	err  error
}

var exampleModels = map[string]*loaded{"shop": {}, "clinic": {}}

func exampleModel(t *testing.T, name string) *model.Model {
	t.Helper()
	l := exampleModels[name]
	l.once.Do(func() {
		l.m, _, l.err = Analyze(context.Background(), Config{Dir: "../testdata/" + name}, DefaultAlgorithm)
	})
	if l.err != nil {
		t.Fatal(l.err)
	}
	return l.m
}

func shopModel(t *testing.T) *model.Model { return exampleModel(t, "shop") }

// forExamples runs test on every example monolith, with its model and
// the path of its folder.
func forExamples(t *testing.T, test func(t *testing.T, m *model.Model, dir string)) {
	for _, name := range examples {
		t.Run(name, func(t *testing.T) {
			test(t, exampleModel(t, name), "../testdata/"+name)
		})
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// line drops the column of a "file:line:col" position.
func line(pos string) string {
	if i := strings.LastIndexByte(pos, ':'); i > strings.IndexByte(pos, ':') {
		return pos[:i]
	}
	return pos
}

func TestExampleEntryPoints(t *testing.T) { forExamples(t, testEntryPoints) }

func testEntryPoints(t *testing.T, m *model.Model, dir string) {
	var want struct {
		EntryPoints []struct {
			Kind, Method, Route, Package, Decl, Pos string
		} `yaml:"entrypoints"`
	}
	readYAML(t, dir+"/decomposition.yaml", &want)
	key := func(kind, method, route, decl, pos string) string {
		return strings.Join([]string{kind, method, route, decl, pos}, " ")
	}
	got := map[string]bool{}
	for _, e := range m.EntryPoints {
		got[key(string(e.Kind), e.Method, e.Route, e.Decl, line(e.Pos))] = true
	}
	for _, e := range want.EntryPoints {
		k := key(e.Kind, e.Method, e.Route, e.Decl, e.Pos)
		if !got[k] {
			t.Errorf("entry point missing: %s", k)
		}
		delete(got, k)
	}
	// goroutines the program starts per request are hazards, not entry
	// points of the intended decomposition; anything else is extra
	for k := range got {
		if !strings.HasPrefix(k, "background ") {
			t.Errorf("unexpected entry point: %s", k)
		}
	}
}

type hazardFile struct {
	Hazards []struct {
		Kind, Object, Pos, Severity string
		Related                     []string
	} `yaml:"hazards"`
	Lookalikes []struct {
		Object, Pos, Why string
	} `yaml:"lookalikes"`
	Tables map[string]struct {
		Writers, Readers []string
	} `yaml:"tables"`
}

func TestExampleHazardsFound(t *testing.T) { forExamples(t, testHazardsFound) }

func testHazardsFound(t *testing.T, m *model.Model, dir string) {
	var hz hazardFile
	readYAML(t, dir+"/hazards.yaml", &hz)
	for _, h := range hz.Hazards {
		if strings.HasPrefix(h.Object, "table:") {
			// The model gives the position of the call that runs the
			// query; the hazard file that of the SQL text, an argument
			// of that call up to a few lines below.
			table := strings.TrimPrefix(h.Object, "table:")
			found := false
			for _, ta := range m.Tables {
				if ta.Table == table && near(ta.Pos, h.Pos) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no access to table %s at %s", h.Kind, table, h.Pos)
			}
			continue
		}
		objects := append([]string{h.Object}, h.Related...)
		var match *model.Finding
		for i, f := range m.Findings {
			if line(f.Pos) != h.Pos && !containsStr(objects, f.Object) {
				continue
			}
			if containsStr(objects, f.Object) || containsStr(objects, f.Decl) || line(f.Pos) == h.Pos {
				if match == nil || rankSeverity(f.Severity) > rankSeverity(match.Severity) {
					match = &m.Findings[i]
				}
			}
		}
		switch {
		case match == nil:
			t.Errorf("%s %s (%s): not found", h.Kind, h.Object, h.Pos)
		case string(match.Severity) != h.Severity:
			t.Errorf("%s %s (%s): severity %s (%s), want %s", h.Kind, h.Object, h.Pos, match.Severity, match.Basis, h.Severity)
		}
	}
}

func TestExampleLookalikesNotBlockers(t *testing.T) { forExamples(t, testLookalikesNotBlockers) }

func testLookalikesNotBlockers(t *testing.T, m *model.Model, dir string) {
	var hz hazardFile
	readYAML(t, dir+"/hazards.yaml", &hz)
	if len(hz.Lookalikes) < 10 {
		t.Fatalf("only %d look-alikes listed", len(hz.Lookalikes))
	}
	for _, l := range hz.Lookalikes {
		for _, f := range m.Findings {
			if f.Object == l.Object && f.Severity == model.SeverityBlocker {
				t.Errorf("look-alike %s (%s) reported as a blocker: %s", l.Object, l.Why, f.Message)
			}
		}
	}
}

func TestExampleTables(t *testing.T) { forExamples(t, testTables) }

func testTables(t *testing.T, m *model.Model, dir string) {
	var hz hazardFile
	readYAML(t, dir+"/hazards.yaml", &hz)
	seen := map[string]bool{}
	prefix := "example.com/" + path.Base(dir) + "/"
	for _, ta := range m.Tables {
		seen[ta.Table] = true
		if !strings.HasPrefix(ta.Decl, prefix) {
			t.Errorf("table access without a declaration: %+v", ta)
		}
	}
	for table := range hz.Tables {
		if !seen[table] {
			t.Errorf("table %s: no access found", table)
		}
	}
}

func TestShopModel(t *testing.T) {
	m := shopModel(t)
	gen := 0
	for _, p := range m.Packages {
		for _, f := range p.Files {
			if f.Generated != (f.Path == "catalog/categories_gen.go") {
				t.Errorf("%s: generated=%v", f.Path, f.Generated)
			}
			if f.Generated {
				gen++
			}
		}
	}
	if gen != 1 {
		t.Errorf("%d generated files, want 1", gen)
	}
	const p = "example.com/shop/"
	for _, e := range []struct {
		from, to string
		kind     model.EdgeKind
	}{
		{"handlers.Server.PlaceOrder", "checkout.Service.PlaceOrder", model.EdgeCall},
		{"checkout.Service.PlaceOrder", "catalog.Service.Reserve", model.EdgeCall},
		{"users.rememberSession", "users.sessions", model.EdgeWrite},
		{"catalog.cacheProduct", "catalog.productCache", model.EdgeWrite},
		{"store.ProductStore.Product", "platform/db.Conn", model.EdgeRead},
		{"handlers.Server", "checkout.Service", model.EdgeTypeRef},
		{"cmd/shop.routes", "handlers.Server.GetProduct", model.EdgeRef},
	} {
		if !hasEdge(m, p+e.from, p+e.to, e.kind) {
			t.Errorf("missing edge %s -%s-> %s", e.from, e.kind, e.to)
		}
	}
}

// near reports whether pos (file:line:col) is in the file of want
// (file:line), at most eight lines above it: the SQL text of a call may
// run over several lines.
func near(pos, want string) bool {
	file, l, ok := strings.Cut(line(pos), ":")
	wfile, wl, ok2 := strings.Cut(want, ":")
	if !ok || !ok2 || file != wfile {
		return false
	}
	a, _ := atoi(l)
	b, _ := atoi(wl)
	return a <= b && b-a <= 8
}

func TestShopAsyncCalls(t *testing.T) {
	m := shopModel(t)
	const p = "example.com/shop/"
	for _, tt := range []struct {
		from, to string
		async    bool
	}{
		{"checkout.Service.Pay", "checkout.Service.sendConfirmation", true}, // go statement
		{"handlers.Server.PlaceOrder", "checkout.Service.PlaceOrder", false},
	} {
		found := false
		for _, e := range m.Edges {
			if e.From == p+tt.from && e.To == p+tt.to && e.Kind == model.EdgeCall {
				found = true
				if got := e.Async == e.Weight; got != tt.async {
					t.Errorf("%s -> %s: async %d of %d sites, want all async %v", tt.from, tt.to, e.Async, e.Weight, tt.async)
				}
			}
		}
		if !found {
			t.Errorf("no call %s -> %s", tt.from, tt.to)
		}
	}
}

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if x != "" && x == y {
			return true
		}
	}
	return false
}

func rankSeverity(s model.Severity) int {
	switch s {
	case model.SeverityBlocker:
		return 3
	case model.SeverityWarning:
		return 2
	case model.SeverityInfo:
		return 1
	}
	return 0
}
