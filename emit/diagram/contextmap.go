package diagram

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"decompose/analysis/model"
	"decompose/emit/english"
)

// ctxNode is a context, or the shared kernel, on the context map.
type ctxNode struct {
	name   string
	kernel bool
	// packages lie wholly here; parts are split packages' shares.
	packages, parts, decls int
	entries                map[model.EntryKind]int
	blockers               int
	weight                 int // call sites in and out, for the cap
}

// ctxLink is the calls from one context to another. The calls between a
// context and the kernel make one link, from the context: calls into the
// kernel, and back the calls out of it.
type ctxLink struct {
	from, to           string
	calls, async, back int
	// breaks marks a synchronous link the plan proposes to break to end
	// a dependency cycle.
	breaks bool
}

// asyncLink tells a link whose every call site is asynchronous.
func (l ctxLink) asyncLink() bool { return l.calls > 0 && l.async == l.calls }

func (l ctxLink) kernel() bool { return l.from == model.Kernel || l.to == model.Kernel }

// contextMap is what the context map draws, capped.
type contextMap struct {
	nodes []ctxNode
	links []ctxLink
	// leftNodes are contexts not drawn; leftLinks links not drawn,
	// lightest the weight of the heaviest of them.
	leftNodes, leftLinks, lightest int
}

// buildContextMap gathers the contexts, the kernel and the calls between
// them, and caps them: the contexts with the fewest call sites in and out
// go first, then the lightest links.
func buildContextMap(x *index, o Options) contextMap {
	nodes := map[string]*ctxNode{}
	var order []string
	for _, c := range x.contexts {
		n := &ctxNode{name: c.Name, packages: len(c.Packages), parts: len(c.Members), entries: map[model.EntryKind]int{}}
		for _, ep := range c.EntryPoints {
			n.entries[ep.Kind]++
		}
		nodes[c.Name] = n
		order = append(order, c.Name)
	}
	d := x.in.Decomposition
	k := &ctxNode{name: model.Kernel, kernel: true, packages: len(d.Kernel.Packages) + len(d.Kernel.Infrastructure), parts: len(d.Kernel.Members), entries: map[model.EntryKind]int{}}
	nodes[model.Kernel] = k
	order = append(order, model.Kernel)
	for _, decl := range x.in.Model.Decls {
		if n := nodes[x.group[decl.ID]]; n != nil {
			n.decls++
		}
	}
	for _, ep := range x.in.Model.EntryPoints {
		if x.entryGroup(ep) == model.Kernel {
			k.entries[ep.Kind]++
		}
	}
	for name, n := range x.in.Blockers {
		if nodes[name] != nil {
			nodes[name].blockers = n
		}
	}
	byPair := map[[2]string]*ctxLink{}
	for _, e := range x.in.Model.Edges {
		if !isCall(e.Kind) {
			continue
		}
		from, to := x.group[e.From], x.group[e.To]
		if from == "" || to == "" || from == to {
			continue
		}
		k := [2]string{from, to}
		if from == model.Kernel {
			k = [2]string{to, from}
		}
		l := byPair[k]
		if l == nil {
			l = &ctxLink{from: k[0], to: k[1]}
			byPair[k] = l
		}
		if from == model.Kernel {
			l.back += e.Weight
		} else {
			l.calls += e.Weight
			l.async += x.asyncSites(e)
		}
		nodes[from].weight += e.Weight
		nodes[to].weight += e.Weight
	}
	links := make([]ctxLink, 0, len(byPair))
	for _, l := range byPair {
		l.breaks = x.in.Breaks[[2]string{l.from, l.to}]
		links = append(links, *l)
	}
	ns := make([]ctxNode, len(order))
	for i, name := range order {
		ns[i] = *nodes[name]
	}
	return capContextMap(ns, links, o)
}

// capContextMap keeps the kernel, the contexts with the most call sites
// in and out, and the heaviest links, within the caps.
func capContextMap(nodes []ctxNode, links []ctxLink, o Options) contextMap {
	cm := contextMap{}
	kept := map[string]bool{}
	var ranked []ctxNode
	for _, n := range nodes {
		if n.kernel {
			kept[n.name] = true
		} else {
			ranked = append(ranked, n)
		}
	}
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].weight > ranked[j].weight })
	for _, n := range ranked {
		if len(kept) < o.MaxNodes {
			kept[n.name] = true
		} else {
			cm.leftNodes++
		}
	}
	for _, n := range nodes {
		if kept[n.name] {
			cm.nodes = append(cm.nodes, n)
		}
	}
	var drawn []ctxLink
	for _, l := range links {
		if kept[l.from] && kept[l.to] {
			drawn = append(drawn, l)
		} else {
			cm.leftLinks++
			cm.lightest = max(cm.lightest, l.calls+l.back)
		}
	}
	// the links to break are drawn first: they are the point of a
	// cycle's review, however light
	sort.Slice(drawn, func(i, j int) bool {
		a, b := drawn[i], drawn[j]
		if a.breaks != b.breaks {
			return a.breaks
		}
		if a.calls+a.back != b.calls+b.back {
			return a.calls+a.back > b.calls+b.back
		}
		if a.from != b.from {
			return a.from < b.from
		}
		return a.to < b.to
	})
	if len(drawn) > o.MaxEdges {
		cm.leftLinks += len(drawn) - o.MaxEdges
		for _, l := range drawn[o.MaxEdges:] {
			cm.lightest = max(cm.lightest, l.calls+l.back)
		}
		drawn = drawn[:o.MaxEdges]
	}
	slices.SortFunc(drawn, func(a, b ctxLink) int {
		return cmp.Or(
			cmp.Compare(a.from, b.from),
			cmp.Compare(a.to, b.to),
		)
	})
	cm.links = drawn
	return cm
}

// entryGroup is where an entry point is: its handler's place, or for one
// without a handler of the analyzed code, its package's.
func (x *index) entryGroup(ep model.EntryPoint) string {
	if ep.Decl != "" {
		if g, ok := x.group[ep.Decl]; ok {
			return g
		}
	}
	return x.place(model.Decl{Package: ep.Package})
}

// entryKinds orders entry kinds for labels.
var entryKinds = []model.EntryKind{model.EntryHTTP, model.EntryGRPC, model.EntryConsumer, model.EntryBackground, model.EntryMain, model.EntryInit}

// entryText says "5 entry points (4 http, 1 background)".
func entryText(entries map[model.EntryKind]int) string {
	total := 0
	var parts []string
	for _, k := range entryKinds {
		if n := entries[k]; n > 0 {
			total += n
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	var other []string
	for k, n := range entries {
		if n > 0 && !slices.Contains(entryKinds, k) {
			total += n
			other = append(other, fmt.Sprintf("%d %s", n, k))
		}
	}
	sort.Strings(other)
	parts = append(parts, other...)
	if total == 0 {
		return "no entry point"
	}
	return fmt.Sprintf("%s (%s)", english.Plural(total, "entry point"), strings.Join(parts, ", "))
}

// sizeText says "3 packages + 2 parts · 41 decls": packages wholly in
// the place, and parts of split packages.
func (n ctxNode) sizeText() string {
	var s string
	switch {
	case n.parts == 0:
		s = english.Plural(n.packages, "package")
	case n.packages == 0:
		s = english.Plural(n.parts, "part")
	default:
		s = english.Plural(n.packages, "package") + " + " + english.Plural(n.parts, "part")
	}
	return s + " · " + english.Plural(n.decls, "decl")
}

func (n ctxNode) title() string {
	if n.kernel {
		return "shared kernel"
	}
	return n.name
}

// text labels a link with its call sites: "3 calls", "2 calls (async)",
// "1 call · break the cycle", and for the kernel "8 calls, 1 back" or
// "1 call back".
func (l ctxLink) text() string {
	switch {
	case l.breaks:
		return english.Plural(l.calls, "call") + " · break the cycle"
	case l.calls == 0:
		return english.Plural(l.back, "call") + " back"
	case l.asyncLink():
		return english.Plural(l.calls, "call") + " (async)"
	case l.back > 0:
		return fmt.Sprintf("%s, %d back", english.Plural(l.calls, "call"), l.back)
	}
	return english.Plural(l.calls, "call")
}

// dir is the DOT direction of a link: a kernel link points both ways
// when the kernel calls back.
func (l ctxLink) dir() string {
	switch {
	case l.calls == 0:
		return "back"
	case l.back > 0:
		return "both"
	}
	return "forward"
}

// ContextMapDOT draws the context map as DOT: a node per context (name,
// packages and parts of split packages, declarations, entry points, and
// its blockers with a red border), the shared kernel as one node, and an
// edge per ordered pair of places that call each other, labelled with
// the call sites (static and dynamic) and its pen width growing with
// their logarithm. Calls between contexts are drawn solid when they are
// synchronous and dashed when they are asynchronous (every site of the
// pair is; see the package documentation). The calls between a context
// and the kernel, which stay in-process, make one grey dotted edge from
// the context, labelled "8 calls, 1 back" when the kernel calls back;
// the kernel is drawn last, under the contexts. The calls the plan
// proposes to break to end a dependency cycle (Input.Breaks) are red and
// say so, and are drawn whatever the cap.
func ContextMapDOT(in Input, o Options) []byte {
	return NewDrawer(in).ContextMapDOT(o)
}

// ContextMapDOT is the package-level ContextMapDOT.
func (d *Drawer) ContextMapDOT(o Options) []byte {
	o = o.withDefaults(DefaultMaxNodes, ContextMapMaxEdges)
	return contextMapDOT(buildContextMap(d.x, o))
}

func contextMapDOT(cm contextMap) []byte {
	w := newDot("context map")
	w.line(`graph [rankdir=TB, fontname="` + fontName + `", fontsize=10, fontcolor="#4a5568", nodesep=0.6, ranksep=0.9, pad=0.3, labelloc=b, labeljust=l,`)
	w.line(`  label=<%s>];`, legendHTML(cm.nodes, cm.links))
	w.line(`node [shape=box, style="rounded,filled", fillcolor="#f5f7fa", color="#4a5568", fontname="` + fontName + `", fontsize=11, margin="0.2,0.1"];`)
	w.line(`edge [fontname="` + fontName + `", fontsize=10, color="#2d3748", fontcolor="#2d3748", arrowsize=0.8];`)
	for _, n := range cm.nodes {
		attrs := []string{"id=" + quote(nodeID(n.name)), "label=<" + ctxNodeHTML(n) + ">", "tooltip=" + quote(n.title()+": "+n.sizeText()+", "+entryText(n.entries))}
		if n.kernel {
			attrs = append(attrs, `shape=folder`, `fillcolor="#ececec"`)
		}
		switch {
		case n.blockers > 0:
			attrs = append(attrs, `color="#c0392b"`, `penwidth=2.5`)
		case n.kernel:
			attrs = append(attrs, `color="#718096"`)
		}
		w.line("%s [%s];", quote(n.name), strings.Join(attrs, ", "))
	}
	for _, l := range cm.links {
		attrs := []string{"id=" + quote(edgeID(l.from, l.to)), "label=" + quote(l.text()), fmt.Sprintf("penwidth=%.1f", penwidth(l.calls+l.back))}
		switch {
		case l.kernel():
			attrs = append(attrs, "dir="+l.dir(), `style=dotted`, `color="#a0aec0"`, `fontcolor="#718096"`, `arrowsize=0.6`)
		case l.breaks:
			attrs = append(attrs, `color="#c0392b"`, `fontcolor="#c0392b"`)
		case l.asyncLink():
			attrs = append(attrs, `style=dashed`)
		}
		w.line("%s -> %s [%s];", quote(l.from), quote(l.to), strings.Join(attrs, ", "))
	}
	for _, n := range cm.nodes {
		if n.kernel {
			w.line("{ rank=sink; %s; }", quote(n.name))
		}
	}
	if cm.leftNodes > 0 || cm.leftLinks > 0 {
		var parts []string
		if cm.leftNodes > 0 {
			parts = append(parts, english.Plural(cm.leftNodes, "context")+" (those with the fewest calls)")
		}
		if cm.leftLinks > 0 {
			parts = append(parts, fmt.Sprintf("%s (the lightest, %s or fewer)", english.Plural(cm.leftLinks, "edge"), english.Plural(cm.lightest, "call")))
		}
		w.note(notDrawn(cm.leftNodes, "context", cm.leftLinks), parts)
	}
	return w.bytes()
}

// ctxNodeHTML is a context node's label.
func ctxNodeHTML(n ctxNode) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<b>%s</b><br/><font point-size="9">%s<br/>%s</font>`, html(n.title()), html(n.sizeText()), html(entryText(n.entries)))
	if n.blockers > 0 {
		fmt.Fprintf(&b, `<br/><font color="#c0392b" point-size="10"><b>⚠ %s</b></font>`, html(english.Plural(n.blockers, "blocker")))
	}
	return b.String()
}

// legendHTML explains the context map's edges and marks, naming only
// the styles drawn.
func legendHTML(nodes []ctxNode, links []ctxLink) string {
	var sync, async, kernel, blocked, breaks bool
	for _, n := range nodes {
		blocked = blocked || n.blockers > 0
	}
	for _, l := range links {
		switch {
		case l.kernel():
			kernel = true
		case l.asyncLink():
			async = true
		default:
			sync = true
		}
		breaks = breaks || l.breaks
	}
	parts := []string{"Edges: call sites from one context into another."}
	if sync {
		parts = append(parts, "Solid: synchronous, a request whose answer the caller waits for.")
	}
	if async {
		parts = append(parts, "Dashed: asynchronous, every call fire-and-forget (an event or a queue message).")
	}
	if kernel {
		parts = append(parts, "Grey dotted: calls into the shared kernel (and back out of it), which stay in-process.")
	}
	if breaks {
		parts = append(parts, "Red edge: a synchronous call on a dependency cycle between contexts, to make asynchronous or invert (plan: cycles).")
	}
	if blocked {
		parts = append(parts, "Red border: blockers, state that keeps the context from running stateless.")
	}
	return lines(parts...)
}

// lines is an HTML-like graphviz label of left-aligned lines.
func lines(ls ...string) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(html(l) + `<br align="left"/>`)
	}
	return b.String()
}
