// Package diagram draws a plan for review: the context map (contexts and
// the calls between them) and the package graph grouped by context, as DOT,
// and as SVG through go-graphviz. Only this package imports go-graphviz.
//
// Large programs stay readable: the package graph draws at most MaxNodes
// packages (the most connected ones) and MaxEdges edges (the heaviest), and
// says in a note what it left out.
package diagram

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/goccy/go-graphviz"

	"decompose/analysis"
	"decompose/emit/plan"
)

// Caps on what the diagrams draw.
const (
	MaxNodes    = 60  // packages in the package graph
	MaxEdges    = 150 // edges in the package graph
	MaxMapEdges = 40  // context pairs in the context map
)

// ContextMap returns the context map as DOT: one node per context (with its
// entry points and blockers; a red border where there are blockers), the
// shared kernel, and an edge per pair of contexts that call each other,
// labelled with the call sites, solid when some call waits for its result
// (it becomes a request), dashed when every call is fire-and-forget (it
// becomes an event).
func ContextMap(p *plan.Plan) []byte {
	var b strings.Builder
	b.WriteString("digraph contexts {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f7fa\", fontname=\"Helvetica\", margin=\"0.25,0.1\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	blockers := blockerCounts(p)
	for _, c := range p.Contexts {
		label := fmt.Sprintf("%s\\n%s, %s", c.Name, plural(len(c.Packages)+len(c.Members), "package"), plural(len(c.EntryPoints), "entry point"))
		attrs := ""
		if n := blockers[c.Name]; n > 0 {
			label += "\\n" + plural(n, "blocker")
			attrs = ", color=\"#c0392b\", penwidth=2"
		}
		fmt.Fprintf(&b, "  %s [label=\"%s\"%s];\n", quote(c.Name), label, attrs)
	}
	if len(p.SharedKernel) > 0 {
		fmt.Fprintf(&b, "  %s [label=\"shared kernel\\n%s\", shape=folder, fillcolor=\"#eeeeee\"];\n", quote(plan.KernelName), plural(len(p.SharedKernel), "package"))
	}
	edges := contextEdges(p)
	left := 0
	if len(edges) > MaxMapEdges {
		// the heaviest pairs tell the story; the rest is counted
		sort.SliceStable(edges, func(i, j int) bool { return edges[i].sites > edges[j].sites })
		left = len(edges) - MaxMapEdges
		edges = edges[:MaxMapEdges]
		sort.SliceStable(edges, func(i, j int) bool {
			if edges[i].from != edges[j].from {
				return edges[i].from < edges[j].from
			}
			return edges[i].to < edges[j].to
		})
	}
	for _, e := range edges {
		style := "solid"
		if e.async {
			style = "dashed"
		}
		fmt.Fprintf(&b, "  %s -> %s [label=\"%d\", style=%s, penwidth=%.1f];\n", quote(e.from), quote(e.to), e.sites, style, width(e.sites))
	}
	if left > 0 {
		fmt.Fprintf(&b, "  note [shape=note, label=%s];\n", quote(fmt.Sprintf("the %d lightest of %d context pairs are not drawn (see plan.yaml contracts)", left, left+MaxMapEdges)))
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

type ctxEdge struct {
	from, to string
	sites    int
	async    bool
}

// contextEdges aggregates the plan's contracts by pair of contexts.
func contextEdges(p *plan.Plan) []ctxEdge {
	byPair := map[[2]string]*ctxEdge{}
	for _, c := range p.Contracts {
		k := [2]string{c.From, c.To}
		e := byPair[k]
		if e == nil {
			e = &ctxEdge{from: c.From, to: c.To, async: true}
			byPair[k] = e
		}
		e.sites += c.Sites
		e.async = e.async && c.Style == "async"
	}
	out := make([]ctxEdge, 0, len(byPair))
	for _, e := range byPair {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].from != out[j].from {
			return out[i].from < out[j].from
		}
		return out[i].to < out[j].to
	})
	return out
}

func blockerCounts(p *plan.Plan) map[string]int {
	n := map[string]int{}
	for _, f := range p.Findings {
		if f.Severity == "blocker" {
			for _, c := range f.Contexts {
				n[c]++
			}
		}
	}
	return n
}

// Packages returns the package graph as DOT, one cluster per context (and
// one for the shared kernel). A split package is drawn in every context it
// serves, as "name (part)". Edges are the model's calls, references and
// type uses, aggregated between the drawn package nodes; those between two
// contexts, which become remote, are red.
func Packages(m *analysis.Model, p *plan.Plan) []byte {
	// a node is a package in a context; split packages give one per part
	type node struct{ ctx, pkg string }
	declPkg := map[string]string{}
	for _, d := range m.Decls {
		declPkg[d.ID] = d.Package
	}
	ctxOf := p.Locator(m)
	nodeOf := func(decl string) (node, bool) {
		pkg, ok := declPkg[decl]
		if !ok {
			return node{}, false
		}
		return node{ctxOf(decl), pkg}, true
	}
	weight := map[[2]node]int{}
	degree := map[node]int{}
	for _, e := range m.Edges {
		switch e.Kind {
		case analysis.EdgeCall, analysis.EdgeDynamicCall, analysis.EdgeRef, analysis.EdgeTypeRef:
		default:
			continue
		}
		a, ok1 := nodeOf(e.From)
		b, ok2 := nodeOf(e.To)
		if !ok1 || !ok2 || a == b {
			continue
		}
		weight[[2]node{a, b}] += e.Weight
		degree[a] += e.Weight
		degree[b] += e.Weight
	}
	var nodes []node
	for _, c := range p.Contexts {
		for _, pkg := range c.Packages {
			nodes = append(nodes, node{c.Name, pkg})
		}
		for _, mem := range c.Members {
			nodes = append(nodes, node{c.Name, mem.Package})
		}
	}
	for _, pkg := range p.SharedKernel {
		nodes = append(nodes, node{plan.KernelName, pkg})
	}
	for _, mem := range p.Kernel.Members {
		nodes = append(nodes, node{plan.KernelName, mem.Package})
	}
	// keep the most connected nodes
	kept := append([]node(nil), nodes...)
	sort.SliceStable(kept, func(i, j int) bool { return degree[kept[i]] > degree[kept[j]] })
	leftNodes := 0
	if len(kept) > MaxNodes {
		leftNodes = len(kept) - MaxNodes
		kept = kept[:MaxNodes]
	}
	drawn := map[node]bool{}
	for _, n := range kept {
		drawn[n] = true
	}
	split := map[string]bool{}
	for _, s := range p.Split {
		split[s] = true
	}
	type edge struct {
		k [2]node
		w int
	}
	var edges []edge
	for k, w := range weight {
		if drawn[k[0]] && drawn[k[1]] {
			edges = append(edges, edge{k, w})
		}
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].w != edges[j].w {
			return edges[i].w > edges[j].w
		}
		a, b := edges[i].k, edges[j].k
		if a[0] != b[0] {
			return a[0].ctx+a[0].pkg < b[0].ctx+b[0].pkg
		}
		return a[1].ctx+a[1].pkg < b[1].ctx+b[1].pkg
	})
	leftEdges := 0
	if len(edges) > MaxEdges {
		leftEdges = len(edges) - MaxEdges
		edges = edges[:MaxEdges]
	}
	sort.Slice(edges, func(i, j int) bool {
		a, b := edges[i].k, edges[j].k
		if a[0] != b[0] {
			return a[0].ctx+"\x00"+a[0].pkg < b[0].ctx+"\x00"+b[0].pkg
		}
		return a[1].ctx+"\x00"+a[1].pkg < b[1].ctx+"\x00"+b[1].pkg
	})

	root := commonPrefix(p)
	var b strings.Builder
	b.WriteString("digraph packages {\n  rankdir=LR;\n  concentrate=true;\n  fontname=\"Helvetica\";\n  labelloc=t;\n  node [shape=box, style=filled, fillcolor=white, fontname=\"Helvetica\", fontsize=10];\n  edge [color=\"#888888\", arrowsize=0.6];\n")
	groups := append(contextNames(p), plan.KernelName)
	for _, g := range groups {
		var members []node
		for _, n := range nodes {
			if n.ctx == g && drawn[n] {
				members = append(members, n)
			}
		}
		if len(members) == 0 {
			continue
		}
		label := g
		if g == plan.KernelName {
			label = "shared kernel"
		}
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s;\n    style=\"rounded,filled\";\n    fillcolor=\"#f5f7fa\";\n", quote("cluster_"+g), quote(label))
		sort.Slice(members, func(i, j int) bool { return members[i].pkg < members[j].pkg })
		for _, n := range members {
			name := strings.TrimPrefix(strings.TrimPrefix(n.pkg, root), "/")
			if name == "" {
				name = n.pkg
			}
			if split[n.pkg] {
				name += " (part)"
			}
			fmt.Fprintf(&b, "    %s [label=%s];\n", quote(n.ctx+"|"+n.pkg), quote(name))
		}
		b.WriteString("  }\n")
	}
	for _, e := range edges {
		attrs := ""
		// red: a call between contexts, remote once they are split;
		// calls into the kernel stay in-process
		if e.k[0].ctx != e.k[1].ctx && e.k[0].ctx != plan.KernelName && e.k[1].ctx != plan.KernelName {
			attrs = ", color=\"#c0392b\""
		}
		fmt.Fprintf(&b, "  %s -> %s [penwidth=%.1f%s];\n", quote(e.k[0].ctx+"|"+e.k[0].pkg), quote(e.k[1].ctx+"|"+e.k[1].pkg), width(e.w), attrs)
	}
	if leftNodes > 0 || leftEdges > 0 {
		fmt.Fprintf(&b, "  note [shape=note, label=%s];\n", quote(fmt.Sprintf("%d packages and %d edges not drawn (see plan.yaml)", leftNodes, leftEdges)))
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// plural spells "1 blocker", "2 blockers".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// width scales an edge's pen with the log of its weight.
func width(w int) float64 {
	return math.Round((1+math.Log1p(float64(w)))*10) / 10
}

func contextNames(p *plan.Plan) []string {
	var out []string
	for _, c := range p.Contexts {
		out = append(out, c.Name)
	}
	return out
}

// commonPrefix is the module path the package labels are shortened by.
func commonPrefix(p *plan.Plan) string { return p.Module }

// quote makes a DOT string literal.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// SVG renders DOT with graphviz's dot layout.
func SVG(ctx context.Context, dot []byte) ([]byte, error) {
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, err
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("diagram: %v", err)
	}
	defer g.Close()
	var buf bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
		return nil, fmt.Errorf("diagram: %v", err)
	}
	return buf.Bytes(), nil
}
