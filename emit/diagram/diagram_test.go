package diagram

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-graphviz"
	"github.com/goccy/go-graphviz/cgraph"

	"decompose/analysis/model"
	"decompose/emit/english"
	"decompose/emit/golden"
)

// parsed is a DOT graph read back by graphviz: its nodes, the nodes of
// each cluster, and its edges with their attributes.
type parsed struct {
	nodes    map[string]map[string]string // name → label, id, ...
	clusters map[string][]string          // cluster name → node names, sorted
	edges    map[[2]string]map[string]string
}

var edgeAttrNames = []string{"label", "style", "color", "penwidth", "tooltip", "id", "ltail", "lhead"}

// parse reads DOT with graphviz, as a renderer would.
func parse(t *testing.T, dot []byte) parsed {
	t.Helper()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		t.Fatalf("graphviz does not read the DOT: %v\n%s", err, dot)
	}
	defer g.Close()
	p := parsed{nodes: map[string]map[string]string{}, clusters: map[string][]string{}, edges: map[[2]string]map[string]string{}}
	name := func(n *cgraph.Node) string {
		s, err := n.Name()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for n, _ := g.FirstNode(); n != nil; n, _ = g.NextNode(n) {
		p.nodes[name(n)] = map[string]string{"label": n.GetStr("label"), "id": n.GetStr("id"), "style": n.GetStr("style"), "color": n.GetStr("color")}
		for e, _ := g.FirstOut(n); e != nil; e, _ = g.NextOut(e) {
			head, err := e.Head()
			if err != nil {
				t.Fatal(err)
			}
			attrs := map[string]string{}
			for _, a := range edgeAttrNames {
				attrs[a] = e.GetStr(a)
			}
			p.edges[[2]string{name(n), name(head)}] = attrs
		}
	}
	for sub, _ := g.FirstSubGraph(); sub != nil; sub, _ = sub.NextSubGraph() {
		sn, err := sub.Name()
		if err != nil {
			t.Fatal(err)
		}
		var members []string
		for n, _ := sub.FirstNode(); n != nil; n, _ = sub.NextNode(n) {
			members = append(members, name(n))
		}
		sort.Strings(members)
		p.clusters[sn] = members
	}
	return p
}

// calls are the fixture's calls between places, found by hand: from,
// to, call sites, and whether all are asynchronous.
var calls = []struct {
	from, to string
	sites    int
	async    bool
}{
	{"orders", "catalog", 3, false},
	{"orders", "shipping", 2, true},
	{"shipping", "orders", 1, false},
	{"orders", model.Kernel, 8, false},
	{"shipping", model.Kernel, 1, false},
	{"catalog", model.Kernel, 1, false},
}

// back are the calls from the kernel, drawn on the contexts' edges to it.
var back = map[string]int{"orders": 1, "shipping": 1, "catalog": 1}

func TestContextMap(t *testing.T) {
	in := fixture()
	dot := ContextMapDOT(in, Options{})
	golden.Check(t, filepath.Join("testdata", "contexts.dot"), dot)
	g := parse(t, dot)
	for _, c := range []struct {
		name, size, entries string
		blockers            int
	}{
		{"catalog", "1 package + 1 part · 4 decls", "1 entry point (1 http)", 0},
		{"orders", "2 packages + 2 parts · 13 decls", "2 entry points (2 http)", 2},
		{"shipping", "2 packages + 2 parts · 10 decls", "2 entry points (1 http, 1 consumer)", 1},
		{model.Kernel, "3 packages + 2 parts · 7 decls", "1 entry point (1 main)", 0},
	} {
		n := g.nodes[c.name]
		if n == nil {
			t.Errorf("no node for %s", c.name)
			continue
		}
		for _, want := range []string{html(placeTitle(c.name)), html(c.size), html(c.entries)} {
			if !strings.Contains(n["label"], want) {
				t.Errorf("%s: label %q lacks %q", c.name, n["label"], want)
			}
		}
		marked := strings.Contains(n["label"], "⚠ "+english.Plural(c.blockers, "blocker")) && n["color"] == "#c0392b"
		if marked != (c.blockers > 0) {
			t.Errorf("%s: blockers marked %v, want %d: %v", c.name, marked, c.blockers, n)
		}
	}
	if len(g.nodes) != 4 {
		t.Errorf("%d nodes, want 4", len(g.nodes))
	}
	for _, c := range calls {
		e := g.edges[[2]string{c.from, c.to}]
		if e == nil {
			t.Errorf("no edge %s → %s", c.from, c.to)
			continue
		}
		want := english.Plural(c.sites, "call")
		if c.to == model.Kernel {
			want += fmt.Sprintf(", %d back", back[c.from])
		}
		if !strings.HasPrefix(e["label"], want+" ") && e["label"] != want {
			t.Errorf("%s → %s labelled %q, want %q", c.from, c.to, e["label"], want)
		}
		style := e["style"]
		switch {
		case c.from == model.Kernel || c.to == model.Kernel:
			if style != "dotted" {
				t.Errorf("%s → %s: kernel edge drawn %q", c.from, c.to, style)
			}
		case c.async != (style == "dashed"):
			t.Errorf("%s → %s: async %v but drawn %q", c.from, c.to, c.async, style)
		}
		if want := fmt.Sprintf("%.1f", penwidth(c.sites+back[c.from]*btoi(c.to == model.Kernel))); e["penwidth"] != want {
			t.Errorf("%s → %s: pen %s, want %s", c.from, c.to, e["penwidth"], want)
		}
	}
	if len(g.edges) != len(calls) {
		t.Errorf("%d edges, want %d", len(g.edges), len(calls))
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// expectedClusters are the fixture's packages per place, from the
// decomposition: wholly placed packages, and the parts of split ones.
func expectedClusters(in Input) map[string][]string {
	d := in.Decomposition
	out := map[string][]string{}
	add := func(g string, pkgs ...string) {
		for _, p := range pkgs {
			out["cluster_"+g] = append(out["cluster_"+g], g+"|"+p)
		}
	}
	for _, c := range d.Contexts {
		add(c.Name, c.Packages...)
		for _, m := range c.Members {
			add(c.Name, m.Package)
		}
	}
	add(model.Kernel, d.Kernel.Packages...)
	add(model.Kernel, d.Kernel.Infrastructure...)
	for _, m := range d.Kernel.Members {
		add(model.Kernel, m.Package)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

func TestPackageGraph(t *testing.T) {
	in := fixture()
	dot := PackageGraphDOT(in, Options{})
	golden.Check(t, filepath.Join("testdata", "packages.dot"), dot)
	g := parse(t, dot)
	want := expectedClusters(in)
	if len(g.clusters) != len(want) {
		t.Errorf("clusters %v, want %v", g.clusters, want)
	}
	for name, pkgs := range want {
		if got := g.clusters[name]; strings.Join(got, " ") != strings.Join(pkgs, " ") {
			t.Errorf("%s holds %v, want exactly %v", name, got, pkgs)
		}
	}
	for _, part := range []string{"orders|" + shop + "/handlers", "shipping|" + shop + "/store", model.Kernel + "|" + shop + "/store"} {
		if l := g.nodes[part]["label"]; !strings.HasSuffix(l, " (part)") {
			t.Errorf("%s labelled %q, not as a part", part, l)
		}
	}
	// package edges: between contexts red, async dashed; the kernel's
	// one per context, clipped at the clusters
	for _, c := range []struct {
		from, to, color, style string
	}{
		{"orders|" + shop + "/orders", "catalog|" + shop + "/catalog", "#c0392b", ""},
		{"orders|" + shop + "/orders", "shipping|" + shop + "/shipping", "#c0392b", "dashed"},
		{"shipping|" + shop + "/shipping", "orders|" + shop + "/orders", "#c0392b", ""},
		{"orders|" + shop + "/handlers", "orders|" + shop + "/orders", "#4a5568", ""},
		{"orders|" + shop + "/orders", "orders|" + shop + "/orders/pricing", "#4a5568", ""},
	} {
		e := g.edges[[2]string{c.from, c.to}]
		if e == nil {
			t.Errorf("no edge %s → %s", c.from, c.to)
			continue
		}
		if e["color"] != c.color || e["style"] != c.style {
			t.Errorf("%s → %s drawn %v", c.from, c.to, e)
		}
	}
	kernel := 0
	for k, e := range g.edges {
		if e["lhead"] == "cluster_"+model.Kernel || e["ltail"] == "cluster_"+model.Kernel {
			kernel++
			if !strings.HasPrefix(e["id"], "uses-") {
				t.Errorf("kernel edge %v has id %q", k, e["id"])
			}
		}
		if strings.Contains(e["tooltip"], "implements") {
			t.Errorf("implements drawn: %v", e)
		}
	}
	if kernel != 3 { // one per context
		t.Errorf("%d kernel edges, want 3", kernel)
	}
	if _, ok := g.nodes["note"]; ok {
		t.Error("a note on a graph drawn whole")
	}
}

func TestInside(t *testing.T) {
	in := fixture()
	for _, name := range []string{"orders", "shipping", "catalog", model.Kernel} {
		dot, err := InsideDOT(in, name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "inside-"+name+".dot"), dot)
	}
	dot, _ := InsideDOT(in, "orders", Options{})
	g := parse(t, dot)
	// the declarations, in their packages; left out: the unused one, and
	// the types only used as types inside (Service, Repository,
	// OrderStore)
	for cl, ids := range map[string][]string{
		"cluster_" + shop + "/orders":         {"NewService", "Order", "Service.Order", "Service.Place", "cache"},
		"cluster_" + shop + "/orders/pricing": {"Total"},
		"cluster_" + shop + "/handlers":       {"Server.GetOrder", "Server.PlaceOrder"},
		"cluster_" + shop + "/store":          {"OrderStore.Save"},
	} {
		var want []string
		for _, id := range ids {
			want = append(want, strings.TrimPrefix(cl, "cluster_")+"."+id)
		}
		sort.Strings(want)
		if got := g.clusters[cl]; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s holds %v, want %v", cl, got, want)
		}
	}
	if !strings.Contains(g.nodes["note"]["label"], "4 declarations not drawn") {
		t.Errorf("the note does not count the declaration left out: %v", g.nodes["note"])
	}
	// the other places, one node each, with the calls across
	for _, c := range []struct {
		from, to, label, style string
	}{
		{shop + "/orders.Service.Place", "catalog", "3", ""},
		{shop + "/orders.Service.Place", "shipping", "2", "dashed"},
		{"shipping", shop + "/orders.Service.Order", "1", ""},
	} {
		e := g.edges[[2]string{c.from, c.to}]
		if e == nil || e["label"] != c.label || e["style"] != c.style {
			t.Errorf("%s → %s: %v, want label %q style %q", c.from, c.to, e, c.label, c.style)
		}
	}
	for _, other := range []string{"catalog", "shipping", model.Kernel} {
		if g.nodes[other] == nil {
			t.Errorf("no node for %s", other)
		}
	}
	if _, err := InsideDOT(in, "nowhere", Options{}); err == nil {
		t.Error("an unknown context is drawn")
	}
}

func TestInsideLevels(t *testing.T) {
	in := fixture()
	// twenty helpers inside orders: 29 declarations to draw, and 3 other
	// places; in 20 nodes, only the boundary and the rest of orders
	for i := 0; i < 20; i++ {
		id := fmt.Sprintf("%s/orders.helper%02d", shop, i)
		in.Model.Decls = append(in.Model.Decls, model.Decl{ID: id, Package: shop + "/orders", Name: id[len(shop)+8:], Kind: model.KindFunc})
		in.Model.Edges = append(in.Model.Edges, model.Edge{From: shop + "/orders.Service.Place", To: id, Kind: model.EdgeCall, Weight: 1})
	}
	dot, _ := InsideDOT(in, "orders", Options{MaxNodes: 20})
	s := string(dot)
	for _, want := range []string{`"` + shop + `/orders|rest" [label="+ 24 more declarations"`, "only the declarations at the boundary"} {
		if !strings.Contains(s, want) {
			t.Errorf("boundary view lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, shop+"/orders.cache") {
		t.Error("the boundary view draws a declaration inside")
	}
	// in 8, its 4 packages and the 3 other places
	dot, _ = InsideDOT(in, "orders", Options{MaxNodes: 8})
	g := parse(t, dot)
	if got := g.clusters["cluster_orders"]; len(got) != 4 {
		t.Errorf("package view holds %v, want the 4 packages", got)
	}
	// an edge to or from another place is one per place and direction,
	// clipped at the context's border
	byPlace := map[[2]string]int{}
	for e, attrs := range g.edges {
		for i, end := range e {
			if strings.Contains(end, "/") {
				continue // a package inside
			}
			clip := map[int]string{0: "lhead", 1: "ltail"}[i]
			if attrs[clip] != "cluster_orders" {
				t.Errorf("edge %v to another place is not clipped at the border: %v", e, attrs)
			}
			byPlace[[2]string{end, fmt.Sprint(i)}]++
		}
	}
	if len(byPlace) == 0 {
		t.Error("no edge to or from another place")
	}
	for k, n := range byPlace {
		if n != 1 {
			t.Errorf("%d edges for %v, want one", n, k)
		}
	}
	// in 5, orders/pricing collapsed into orders, and store dropped
	dot, _ = InsideDOT(in, "orders", Options{MaxNodes: 5})
	g = parse(t, dot)
	if got := strings.Join(g.clusters["cluster_orders"], " "); got != "orders|"+shop+"/handlers orders|orders/…" {
		t.Errorf("package view holds %v", got)
	}
	for _, want := range []string{"1 package and 1 edge not drawn", "2 packages collapsed into 1 directory node", "1 package not drawn: the least connected"} {
		if !strings.Contains(g.nodes["note"]["label"], want) {
			t.Errorf("the note %q does not say %q", g.nodes["note"]["label"], want)
		}
	}
}

func TestMermaid(t *testing.T) {
	in := fixture()
	cm := ContextMapMermaid(in, Options{})
	pg := PackageGraphMermaid(in, Options{})
	golden.Check(t, filepath.Join("testdata", "contexts.mmd"), cm)
	golden.Check(t, filepath.Join("testdata", "packages.mmd"), pg)
	for _, chart := range [][]byte{cm, pg} {
		checkMermaid(t, chart)
	}
	s := string(cm)
	for _, want := range []string{
		`c_orders -->|"3 calls"| c_catalog`,
		`c_orders -.->|"2 calls (async)"| c_shipping`,
		`c_shipping -->|"1 call"| c_orders`,
		`c_shared_kernel[["shared kernel<br/>`,
		`⚠ 2 blockers"]`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("Mermaid context map lacks %s:\n%s", want, s)
		}
	}
	// each subgraph holds exactly its packages
	got := map[string][]string{}
	var current string
	for _, line := range strings.Split(string(pg), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "subgraph "):
			current = strings.Fields(line)[1]
			current = current[:strings.Index(current, "[")]
		case line == "end":
			current = ""
		case current != "":
			label := line[strings.Index(line, `["`)+2 : strings.LastIndex(line, `"]`)]
			got[current] = append(got[current], label)
		}
	}
	want := map[string][]string{
		"g_catalog":       {"catalog", "handlers (part)"},
		"g_orders":        {"handlers (part)", "orders", "orders/pricing", "store (part)"},
		"g_shipping":      {"handlers (part)", "shipping", "shipping/carrier", "store (part)"},
		"g_shared_kernel": {"cmd/shop", "handlers (part)", "money", "platform/db", "store (part)"},
	}
	for g, labels := range want {
		if strings.Join(got[g], ",") != strings.Join(labels, ",") {
			t.Errorf("subgraph %s holds %v, want %v", g, got[g], labels)
		}
	}
	if len(got) != len(want) {
		t.Errorf("subgraphs %v", got)
	}
}

var (
	mermaidID   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	mermaidNode = regexp.MustCompile(`^(\w+)(\[\[|\[)"`)
	mermaidEdge = regexp.MustCompile(`^(\w+) (-->|-\.->|<-\.->)(\|"[^"]*"\|)? (\w+)$`)
)

// checkMermaid checks a chart line by line: identifiers of letters,
// digits and underscores, never a keyword, defined before use, labels
// quoted without raw quotes, and link styles numbering real edges.
func checkMermaid(t *testing.T, chart []byte) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(chart), "\n"), "\n")
	if lines[0] != "flowchart LR" {
		t.Errorf("chart starts %q", lines[0])
	}
	defined := map[string]bool{}
	edges := 0
	depth := 0
	for _, raw := range lines[1:] {
		line := strings.TrimSpace(raw)
		if strings.Count(line, `"`)%2 != 0 {
			t.Errorf("unbalanced quotes: %s", line)
		}
		switch {
		case strings.HasPrefix(line, "subgraph "):
			depth++
			id := strings.Fields(line)[1]
			id = id[:strings.Index(id, "[")]
			defined[id] = true
		case line == "end":
			depth--
		case strings.HasPrefix(line, "classDef "), strings.HasPrefix(line, "style "):
		case strings.HasPrefix(line, "class "):
			for _, id := range strings.Split(strings.Fields(line)[1], ",") {
				if !defined[id] {
					t.Errorf("class of undefined %s", id)
				}
			}
		case strings.HasPrefix(line, "linkStyle "):
			for _, n := range strings.Split(strings.Fields(line)[1], ",") {
				if i, err := strconv.Atoi(n); err != nil || i >= edges {
					t.Errorf("linkStyle %s of %d edges", n, edges)
				}
			}
		case mermaidEdge.MatchString(line):
			m := mermaidEdge.FindStringSubmatch(line)
			for _, id := range []string{m[1], m[4]} {
				if !defined[id] {
					t.Errorf("edge uses undefined %s: %s", id, line)
				}
			}
			edges++
		case mermaidNode.MatchString(line):
			id := mermaidNode.FindStringSubmatch(line)[1]
			if !mermaidID.MatchString(id) || id == "end" || id == "graph" || id == "subgraph" {
				t.Errorf("bad identifier %q", id)
			}
			if defined[id] {
				t.Errorf("%s defined twice", id)
			}
			defined[id] = true
		default:
			t.Errorf("unexpected line %q", line)
		}
	}
	if depth != 0 {
		t.Error("subgraphs not closed")
	}
}

func TestMermaidIdentifiers(t *testing.T) {
	w := newMermaid()
	keys := []string{"a/b", "a_b", "a.b", "a/b", "ünï"}
	want := []string{"p_a_b", "p_a_b_2", "p_a_b_3", "p_a_b", "p__n_"}
	for i, k := range keys {
		if got := w.id("p", k); got != want[i] || !mermaidID.MatchString(got) {
			t.Errorf("id of %q is %q, want %q", k, got, want[i])
		}
	}
	if got := w.id("c", "end"); got != "c_end" {
		t.Errorf("id of end is %q", got)
	}
	if got := mermaidText(`a "b" <c> & #d`); got != `"a #quot;b#quot; #lt;c#gt; #amp; #35;d"` {
		t.Errorf("escaped as %s", got)
	}
}

func TestAsyncFallback(t *testing.T) {
	in := fixture()
	// a model that records no asynchronous site: a dynamic call by a
	// background entry point's handler is asynchronous, any other not
	m := *in.Model
	m.Edges = nil
	for _, e := range in.Model.Edges {
		e.Async = 0
		m.Edges = append(m.Edges, e)
	}
	m.Edges = append(m.Edges, model.Edge{From: shop + "/catalog.Service.Price", To: shop + "/shipping.Notify", Kind: model.EdgeDynamicCall, Weight: 2})
	m.EntryPoints = append(m.EntryPoints, model.EntryPoint{Kind: model.EntryBackground, Decl: shop + "/catalog.Service.Price", Package: shop + "/catalog"})
	in.Model = &m
	g := parse(t, ContextMapDOT(in, Options{}))
	if s := g.edges[[2]string{"catalog", "shipping"}]["style"]; s != "dashed" {
		t.Errorf("background dynamic call drawn %q", s)
	}
	if s := g.edges[[2]string{"orders", "shipping"}]["style"]; s == "dashed" {
		t.Error("a call the model does not record as asynchronous is drawn so")
	}
	// a model that records some: only its counts decide
	in = fixture()
	in.Model.Edges = append(in.Model.Edges, model.Edge{From: shop + "/catalog.Service.Price", To: shop + "/shipping.Notify", Kind: model.EdgeDynamicCall, Weight: 2})
	in.Model.EntryPoints = append(in.Model.EntryPoints, model.EntryPoint{Kind: model.EntryBackground, Decl: shop + "/catalog.Service.Price", Package: shop + "/catalog"})
	g = parse(t, ContextMapDOT(in, Options{}))
	if s := g.edges[[2]string{"catalog", "shipping"}]["style"]; s == "dashed" {
		t.Error("the fallback overrides the model's counts")
	}
}

func TestDeterministic(t *testing.T) {
	for i := 0; i < 5; i++ {
		a, b := fixture(), fixture()
		// the same input, in another order
		r := b.Model
		for i, j := 0, len(r.Edges)-1; i < j; i, j = i+1, j-1 {
			r.Edges[i], r.Edges[j] = r.Edges[j], r.Edges[i]
		}
		for i, j := 0, len(r.Decls)-1; i < j; i, j = i+1, j-1 {
			r.Decls[i], r.Decls[j] = r.Decls[j], r.Decls[i]
		}
		for _, f := range []func(Input) []byte{
			func(in Input) []byte { return ContextMapDOT(in, Options{}) },
			func(in Input) []byte { return PackageGraphDOT(in, Options{}) },
			func(in Input) []byte { return ContextMapMermaid(in, Options{}) },
			func(in Input) []byte { return PackageGraphMermaid(in, Options{}) },
			func(in Input) []byte { b, _ := InsideDOT(in, "orders", Options{}); return b },
		} {
			if x, y := f(a), f(b); !bytes.Equal(x, y) {
				t.Fatalf("two renderings differ:\n%s\n%s", x, y)
			}
		}
	}
}

func TestSVG(t *testing.T) {
	in := fixture()
	ctx := context.Background()
	inside, _ := InsideDOT(in, "orders", Options{})
	for _, c := range []struct {
		name string
		dot  []byte
	}{
		{"contexts", ContextMapDOT(in, Options{})},
		{"packages", PackageGraphDOT(in, Options{})},
		{"inside-orders", inside},
	} {
		a, err := SVG(ctx, c.dot)
		if err != nil {
			t.Fatal(err)
		}
		b, err := SVG(ctx, c.dot)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renderings differ", c.name)
		}
		golden.Check(t, filepath.Join("testdata", c.name+".svg"), a)
	}
	svg, _ := SVG(ctx, PackageGraphDOT(in, Options{}))
	s := string(svg)
	if n := strings.Count(s, `class="cluster"`); n != 4 {
		t.Errorf("%d clusters drawn, want 4", n)
	}
	for _, g := range []string{"catalog", "orders", "shipping", model.Kernel} {
		esc := strings.ReplaceAll(g, "-", "&#45;")
		want := fmt.Sprintf("<g id=\"cluster&#45;%s\" class=\"cluster\">\n<title>cluster_%s</title>", esc, esc)
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks the cluster of %s", g)
		}
	}
	for _, title := range []string{
		"<title>orders|" + shop + "/orders&#45;&gt;catalog|" + shop + "/catalog</title>",
		"<title>orders|" + shop + "/orders&#45;&gt;shipping|" + shop + "/shipping</title>",
		"<title>shipping|" + shop + "/shipping&#45;&gt;orders|" + shop + "/orders</title>",
	} {
		if !strings.Contains(s, title) {
			t.Errorf("SVG lacks the edge %s", title)
		}
	}
	svg, _ = SVG(ctx, ContextMapDOT(in, Options{}))
	s = string(svg)
	for _, c := range calls {
		title := fmt.Sprintf("<title>%s&#45;&gt;%s</title>", strings.ReplaceAll(c.from, "-", "&#45;"), strings.ReplaceAll(c.to, "-", "&#45;"))
		label := ">" + english.Plural(c.sites, "call")
		if i := strings.Index(s, title); i < 0 || !strings.Contains(s[i:min(len(s), i+1500)], label) {
			t.Errorf("SVG lacks the edge %s → %s labelled %s", c.from, c.to, label)
		}
	}
	if _, err := SVG(ctx, []byte("digraph {")); err == nil {
		t.Error("broken DOT rendered")
	}
}

// TestGraphvizClean renders the golden DOT files in a process of their
// own each and fails on any error graphviz reports, such as "trouble in
// init_rank" (a layout that lost its clusters): graphviz counts errors
// for the whole process, so a render cannot tell its own.
func TestGraphvizClean(t *testing.T) {
	if path := os.Getenv("DIAGRAM_CLEAN_DOT"); path != "" {
		dot, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		gv, err := graphviz.New(ctx)
		if err != nil {
			t.Fatal(err)
		}
		g, err := graphviz.ParseBytes(dot)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
			t.Fatal(err)
		}
		g.Close()
		if err := gv.Close(); err != nil {
			t.Fatalf("graphviz: %v", err)
		}
		return
	}
	if testing.Short() {
		t.Skip("starts a process per file")
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.dot"))
	if len(files) == 0 {
		t.Fatal("no golden DOT files")
	}
	for _, f := range files {
		cmd := exec.Command(os.Args[0], "-test.run=^TestGraphvizClean$")
		cmd.Env = append(os.Environ(), "DIAGRAM_CLEAN_DOT="+f)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", f, err, out)
		}
	}
}

// TestContextMapBreaks: a call the plan proposes to break to end a cycle
// is red and says so, the legend explains it, and it is drawn even when
// the cap leaves heavier edges out.
func TestContextMapBreaks(t *testing.T) {
	in := fixture()
	in.Breaks = map[[2]string]bool{{"shipping", "orders"}: true}
	dot := ContextMapDOT(in, Options{})
	g := parse(t, dot)
	for k, e := range g.edges {
		red := e["color"] == "#c0392b"
		if want := k == [2]string{"shipping", "orders"}; red != want {
			t.Errorf("%s → %s: red %v, want %v", k[0], k[1], red, want)
		}
	}
	if e := g.edges[[2]string{"shipping", "orders"}]; e == nil || e["label"] != "1 call · break the cycle" {
		t.Errorf("edge to break: %v", e)
	}
	if !strings.Contains(string(dot), "Red edge: a synchronous call on a dependency cycle") {
		t.Errorf("the legend does not explain red edges:\n%s", dot)
	}

	capped := parse(t, ContextMapDOT(in, Options{MaxEdges: 1}))
	if len(capped.edges) != 1 || capped.edges[[2]string{"shipping", "orders"}] == nil {
		t.Errorf("capped at one edge, drew %v; want the edge to break", capped.edges)
	}
	if !strings.Contains(capped.nodes["note"]["label"], "the lightest, 9 calls or fewer") {
		t.Errorf("note: %q", capped.nodes["note"]["label"])
	}

	mm := string(ContextMapMermaid(in, Options{}))
	if !strings.Contains(mm, "1 call · break the cycle") || !strings.Contains(mm, "stroke:#c0392b") {
		t.Errorf("Mermaid does not mark the edge to break:\n%s", mm)
	}
}
