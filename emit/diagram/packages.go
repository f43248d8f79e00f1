package diagram

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"decompose/analysis/model"
	"decompose/emit/english"
)

// packageGraph gathers the units of every place and the dependencies
// between them: each package where it lies, and a split package's part in
// each place holding some of its declarations (or listed as holding some).
//
// It is computed once per index and shared: callers must not modify it.
func (x *index) packageGraph() ([]unit, []link) {
	x.pkgOnce.Do(func() { x.pkgUnits, x.pkgLinks = x.buildPackageGraph() })
	return x.pkgUnits, x.pkgLinks
}

func (x *index) buildPackageGraph() ([]unit, []link) {
	rank := map[string]int{}
	for i, g := range x.groups() {
		rank[g] = i
	}
	type key struct{ group, pkg string }
	seen := map[key]bool{}
	var units []unit
	add := func(group, pkg string) {
		if seen[key{group, pkg}] {
			return
		}
		seen[key{group, pkg}] = true
		units = append(units, unit{group: group, pkg: pkg, part: x.split[pkg], rel: x.rel(pkg)})
	}
	d := x.in.Decomposition
	for _, c := range x.contexts {
		for _, p := range c.Packages {
			add(c.Name, p)
		}
		for _, m := range c.Members {
			add(c.Name, m.Package)
		}
	}
	for _, p := range d.Kernel.Packages {
		add(model.Kernel, p)
	}
	for _, p := range d.Kernel.Infrastructure {
		add(model.Kernel, p)
	}
	for _, m := range d.Kernel.Members {
		add(model.Kernel, m.Package)
	}
	for _, decl := range x.in.Model.Decls {
		if g := x.group[decl.ID]; g != "" {
			add(g, decl.Package)
		}
	}
	slices.SortStableFunc(units, func(a, b unit) int {
		return cmp.Or(
			cmp.Compare(rank[a.group], rank[b.group]),
			cmp.Compare(a.rel, b.rel),
			cmp.Compare(a.pkg, b.pkg),
		)
	})
	index := make(map[key]int, len(units))
	for i, u := range units {
		index[key{u.group, u.pkg}] = i
	}
	byPair := map[[2]int]*link{}
	for _, e := range x.in.Model.Edges {
		if !isUse(e.Kind) {
			continue
		}
		gf, gt := x.group[e.From], x.group[e.To]
		if gf == "" || gt == "" {
			continue
		}
		a, b := index[key{gf, x.pkgOf[e.From]}], index[key{gt, x.pkgOf[e.To]}]
		if a == b {
			continue
		}
		l := byPair[[2]int{a, b}]
		if l == nil {
			l = &link{from: a, to: b}
			byPair[[2]int{a, b}] = l
		}
		l.weight += e.Weight
		if isCall(e.Kind) {
			l.calls += e.Weight
			l.async += x.asyncSites(e)
		}
	}
	links := make([]link, 0, len(byPair))
	for _, l := range byPair {
		links = append(links, *l)
	}
	slices.SortFunc(links, func(a, b link) int {
		return cmp.Or(
			cmp.Compare(a.from, b.from),
			cmp.Compare(a.to, b.to),
		)
	})
	return units, links
}

// nodeName is a package graph node's DOT identifier: its place and
// package path, or for a collapsed directory its place and directory.
func (x *index) nodeName(units []unit, n node) string {
	if n.collapsed {
		return n.group + "|" + n.key + "/…"
	}
	return n.group + "|" + units[n.units[0]].pkg
}

// nodeLabel is what a package graph node says: "checkout/invoice",
// "handlers (part)", or for a directory "catalog/…" and, as its detail,
// "4 packages".
func (x *index) nodeLabel(units []unit, n node) (name, detail string) {
	if n.collapsed {
		return n.key + "/…", english.Plural(len(n.units), "package")
	}
	u := units[n.units[0]]
	name = x.pkgLabel(u.pkg)
	if u.part {
		name += " (part)"
	}
	return name, ""
}

// linkStyle is how an edge between two places is drawn.
type linkStyle int

const (
	inside   linkStyle = iota // both ends in one place
	remote                    // between two contexts: becomes remote
	inKernel                  // into or out of the kernel: stays in-process
)

func styleOf(from, to string) linkStyle {
	switch {
	case from == to:
		return inside
	case from == model.Kernel || to == model.Kernel:
		return inKernel
	}
	return remote
}

// edgeAttrs are the DOT attributes of an aggregated edge: its pen grows
// with its weight, and its tooltip says what it aggregates.
func edgeAttrs(s linkStyle, l uses, tooltip string) string {
	attrs := []string{fmt.Sprintf("penwidth=%.1f", penwidth(l.weight)), "tooltip=" + quote(tooltip)}
	switch s {
	case remote:
		attrs = append(attrs, `color="#c0392b"`, `fontcolor="#c0392b"`)
		if l.calls > 0 && l.async == l.calls {
			attrs = append(attrs, "style=dashed")
		}
	case inKernel:
		attrs = append(attrs, `color="#a0aec0"`, "style=dotted")
	}
	return strings.Join(attrs, ", ")
}

// dir is the DOT direction of a link between clusters: both ways when
// each side depends on the other.
func (l link) dir() string {
	switch {
	case l.weight == 0:
		return "back"
	case l.back.weight > 0:
		return "both"
	}
	return "forward"
}

// clusterTip says what a link between a context and the kernel holds.
func clusterTip(ctx, kernel string, l link) string {
	var tips []string
	if l.weight > 0 {
		tips = append(tips, fmt.Sprintf("%s → %s: %s", placeTitle(ctx), placeTitle(kernel), useText(l.uses)))
	}
	if l.back.weight > 0 {
		tips = append(tips, fmt.Sprintf("%s → %s: %s", placeTitle(kernel), placeTitle(ctx), useText(l.back)))
	}
	return strings.Join(tips, "; ")
}

// useText says "14 uses (12 calls)".
func useText(l uses) string {
	s := english.Plural(l.weight, "use")
	if l.calls > 0 {
		s += " (" + english.Plural(l.calls, "call")
		if l.async == l.calls {
			s += ", all async"
		}
		s += ")"
	}
	return s
}

// placeTitle names a place in a diagram.
func placeTitle(g string) string {
	if g == model.Kernel {
		return "shared kernel"
	}
	return g
}

// PackageGraphDOT draws the package graph grouped by context as DOT: one
// cluster per context ("cluster_<name>") and one for the shared kernel
// ("cluster_shared-kernel"), each holding exactly its packages; a split
// package is drawn in every place that holds part of it, as "pkg (part)".
// Edges aggregate every dependency (calls, references, type uses, reads
// and writes of variables) from one package node to another, with the
// counts in their tooltips; those between two contexts, which become
// remote, are red (dashed when every call is asynchronous). Those between
// a context and the kernel, which stay in-process, make one grey dotted
// edge between the two clusters, and the kernel's packages lie in one
// row: drawn package by package, they would cross every other edge.
// Large graphs are collapsed and capped as Options says, with a note of
// what is left out.
func PackageGraphDOT(in Input, o Options) []byte {
	return NewDrawer(in).PackageGraphDOT(o)
}

// PackageGraphDOT is the package-level PackageGraphDOT.
func (d *Drawer) PackageGraphDOT(o Options) []byte {
	o = o.dot()
	x := d.x
	units, links := x.packageGraph()
	f := fit(units, links, x.groups(), o.MaxNodes, o.MaxEdges, true)
	w := newDot("package graph")
	w.line(`graph [rankdir=TB, newrank=true, compound=true, fontname="` + fontName + `", fontsize=10, fontcolor="#4a5568", nodesep=0.25, ranksep=0.7, pad=0.3, labelloc=b, labeljust=l,`)
	w.line(`  label=<%s>];`, lines(
		"Edges: dependencies between packages (calls, references, type uses, variables).",
		"Red: between contexts, remote once split (dashed: every call asynchronous).",
		"Grey dotted: into or out of the shared kernel, one edge per context."))
	w.line(`node [shape=box, style="rounded,filled", fillcolor=white, color="#4a5568", fontname="` + fontName + `", fontsize=10, height=0.3, margin="0.12,0.04"];`)
	w.line(`edge [color="#4a5568", arrowsize=0.6, fontname="` + fontName + `", fontsize=9];`)
	for _, g := range x.groups() {
		var members []node
		for _, n := range f.nodes {
			if n.group == g {
				members = append(members, n)
			}
		}
		if len(members) == 0 {
			continue
		}
		w.open("subgraph %s {", quote("cluster_"+g))
		label := "<b>" + html(placeTitle(g)) + "</b>"
		attrs := []string{"id=" + quote("cluster-"+g), `style="rounded,filled"`, `fontsize=12`}
		if g == model.Kernel {
			attrs = append(attrs, `fillcolor="#ececec"`, `color="#a0aec0"`)
		} else {
			attrs = append(attrs, `fillcolor="#f5f7fa"`, `color="#4a5568"`)
		}
		if n := x.in.Blockers[g]; n > 0 {
			label += ` <font color="#c0392b">⚠ ` + html(english.Plural(n, "blocker")) + "</font>"
			attrs = append(attrs, `color="#c0392b"`, "penwidth=2")
		}
		w.line("graph [label=<%s>, %s];", label, strings.Join(attrs, ", "))
		var names []string
		for _, n := range members {
			name, detail := x.nodeLabel(units, n)
			attrs := "label=" + quote(name)
			if detail != "" {
				attrs = fmt.Sprintf(`label=<%s<br/><font point-size="8">%s</font>>, style="rounded,filled,dashed"`, html(name), html(detail))
			}
			w.line("%s [%s];", quote(x.nodeName(units, n)), attrs)
			names = append(names, quote(x.nodeName(units, n))+";")
		}
		if g == model.Kernel && len(names) > 1 {
			// one row: the kernel is one node to the edges of the contexts
			w.line("{ rank=same; %s }", strings.Join(names, " "))
		}
		w.close()
	}
	for _, l := range f.links {
		a, b := f.nodes[l.from], f.nodes[l.to]
		from, to := quote(x.nodeName(units, a)), quote(x.nodeName(units, b))
		if !l.clusters {
			an, _ := x.nodeLabel(units, a)
			bn, _ := x.nodeLabel(units, b)
			tip := fmt.Sprintf("%s → %s: %s", an, bn, useText(l.uses))
			w.line("%s -> %s [%s];", from, to, edgeAttrs(styleOf(a.group, b.group), l.uses, tip))
			continue
		}
		w.line("%s -> %s [id=%s, ltail=%s, lhead=%s, dir=%s, %s];", from, to, quote("uses-"+a.group+"-and-"+b.group),
			quote("cluster_"+a.group), quote("cluster_"+b.group), l.dir(), edgeAttrs(inKernel, uses{weight: l.total()}, clusterTip(a.group, b.group, l)))
	}
	if head, details := f.leftOut("package"); head != "" {
		w.note(head, details)
	}
	return w.bytes()
}
