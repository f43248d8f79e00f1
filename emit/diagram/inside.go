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

// InsideDOT draws one context (or, named Kernel, the shared kernel) from
// the inside, as DOT, at the finest of three levels that fits in
// Options.MaxNodes:
//
//   - declarations: every declaration that calls, refers to, reads or
//     writes another, is used from or uses another place, or handles an
//     entry point, in one cluster per package or part of a split package;
//     type uses inside the context are left out, they would tie every
//     function to every type;
//   - boundary: only the declarations used from or using other places,
//     and the entry points' handlers, with the rest of each package in one
//     "N more declarations" node;
//   - packages: the context's packages, collapsed and capped like the
//     package graph.
//
// Every other context it depends on or that depends on it is one node
// (and the kernel one more). Edges to and from other contexts are red and
// labelled with their call sites; those between the kernel and a
// context, which stay in-process, are grey and, at the first two levels,
// aggregated per package. It fails for an unknown name.
func InsideDOT(in Input, name string, o Options) ([]byte, error) {
	return NewDrawer(in).InsideDOT(name, o)
}

// InsideDOT is the package-level InsideDOT.
func (d *Drawer) InsideDOT(name string, o Options) ([]byte, error) {
	o = o.dot()
	x := d.x
	if x.byName[name] == nil && name != model.Kernel {
		return nil, fmt.Errorf("diagram: no context %q", name)
	}
	v := &insideView{x: x, name: name, entries: map[string][]model.EntryPoint{}}
	for _, ep := range x.in.Model.EntryPoints {
		if ep.Decl != "" && x.group[ep.Decl] == name {
			v.entries[ep.Decl] = append(v.entries[ep.Decl], ep)
		}
	}
	// who is connected, and to where
	drawn := map[string]bool{}    // declarations with a drawn dependency
	boundary := map[string]bool{} // declarations with one across the boundary
	neighbours := map[string]bool{}
	inW, outW := map[string]int{}, map[string]int{}
	for _, i := range x.edgesOf(name) {
		e := x.in.Model.Edges[i]
		if !isUse(e.Kind) {
			continue
		}
		gf, gt := x.group[e.From], x.group[e.To]
		if gf != name {
			neighbours[gf] = true
			boundary[e.To] = true
			inW[gf] += e.Weight
		}
		if gt != name {
			neighbours[gt] = true
			boundary[e.From] = true
			outW[gt] += e.Weight
		}
		if isDeclUse(e.Kind) {
			drawn[e.From], drawn[e.To] = true, true
		}
	}
	for id := range v.entries {
		drawn[id], boundary[id] = true, true
	}
	for _, g := range x.groups() {
		if neighbours[g] {
			v.others = append(v.others, g)
			// callers on one side, callees on the other
			if g != model.Kernel && inW[g] >= outW[g] {
				v.callers = append(v.callers, g)
			} else {
				v.callees = append(v.callees, g)
			}
		}
	}
	var own []*model.Decl
	for i := range x.in.Model.Decls {
		if d := &x.in.Model.Decls[i]; x.group[d.ID] == name {
			own = append(own, d)
		}
	}
	nDrawn, nBoundary, rest := 0, 0, map[string]bool{}
	for _, d := range own {
		if drawn[d.ID] || boundary[d.ID] {
			nDrawn++
		}
		if boundary[d.ID] {
			nBoundary++
		} else {
			rest[d.Package] = true
		}
	}
	switch budget := o.MaxNodes - len(v.others); {
	case nDrawn <= budget:
		v.declLevel(own, func(d *model.Decl) string {
			if drawn[d.ID] || boundary[d.ID] {
				return d.ID
			}
			return ""
		}, o)
		v.legend = "type uses not drawn"
	case nBoundary+len(rest) <= budget:
		v.declLevel(own, func(d *model.Decl) string {
			if boundary[d.ID] {
				return d.ID
			}
			return restKey(d.Package)
		}, o)
		v.legend = "only the declarations at the boundary, the rest of each package as one node; type uses not drawn"
	default:
		v.packageLevel(o)
	}
	return v.draw(), nil
}

// isDeclUse tells the edges drawn between declarations.
func isDeclUse(k model.EdgeKind) bool {
	return k != model.EdgeImplements && k != model.EdgeTypeRef
}

// restKey names the node standing for the rest of a package.
func restKey(pkg string) string { return pkg + "|rest" }

// insideView is an inside view being drawn: the nodes inside (in
// clusters), the neighbours outside, and the edges between them.
type insideView struct {
	x      *index
	name   string
	others []string
	// callers are the places that mostly depend on this one, drawn on
	// the left; callees those it mostly depends on, and the kernel, on
	// the right.
	callers, callees []string
	entries          map[string][]model.EntryPoint
	// clusters are the packages inside, each with its nodes; outside the
	// neighbours' nodes.
	clusters []insideCluster
	outside  []string
	links    []insideLink
	// legend says what the level leaves out; headline and details what
	// the caps left out.
	legend   string
	headline string
	details  []string
}

type insideCluster struct {
	id, label string
	nodes     []string
}

type insideLink struct {
	from, to string
	l        uses
	style    linkStyle
	tooltip  string
	// ltail and lhead clip an edge at a cluster's border.
	ltail, lhead string
}

// declLevel fills the view with declarations: key gives each one's node
// (its ID, the rest of its package, or "" to leave it out).
func (v *insideView) declLevel(own []*model.Decl, key func(*model.Decl) string, o Options) {
	x := v.x
	keyOf := map[string]string{}
	byPkg := map[string][]*model.Decl{}
	rest := map[string]int{}
	var pkgs []string
	left := 0
	for _, d := range own {
		k := key(d)
		if k == "" {
			left++
			continue
		}
		keyOf[d.ID] = k
		if byPkg[d.Package] == nil && rest[d.Package] == 0 {
			pkgs = append(pkgs, d.Package)
		}
		if k == d.ID {
			byPkg[d.Package] = append(byPkg[d.Package], d)
		} else {
			rest[d.Package]++
		}
	}
	sort.Slice(pkgs, func(i, j int) bool {
		a, b := x.rel(pkgs[i]), x.rel(pkgs[j])
		return a < b || a == b && pkgs[i] < pkgs[j]
	})
	clusterOf := map[string]string{}
	for _, p := range pkgs {
		ds := byPkg[p]
		sort.Slice(ds, func(i, j int) bool { return ds[i].ID < ds[j].ID })
		label := x.pkgLabel(p)
		if x.split[p] {
			label += " (part)"
		}
		c := insideCluster{id: "cluster_" + p, label: label}
		clusterOf[p] = c.id
		for _, d := range ds {
			c.nodes = append(c.nodes, v.declNode(d))
		}
		if n := rest[p]; n > 0 {
			label := "+ " + english.Plural(n, "more declaration")
			if len(ds) == 0 {
				label = english.Plural(n, "declaration")
			}
			c.nodes = append(c.nodes, fmt.Sprintf(`%s [label=%s, style="rounded,filled,dashed", fillcolor="#f7fafc"];`, quote(restKey(p)), quote(label)))
		}
		v.clusters = append(v.clusters, c)
	}
	for _, g := range v.others {
		v.outside = append(v.outside, v.otherNode(g))
	}
	// aggregate: declaration (or rest) to declaration, to another
	// place, or from one; the kernel's per package
	type pair struct{ from, to string }
	byPair := map[pair]*insideLink{}
	for _, i := range x.edgesOf(v.name) {
		e := x.in.Model.Edges[i]
		gf, gt := x.group[e.From], x.group[e.To]
		across := gf != gt
		if !isDeclUse(e.Kind) && !(across && isUse(e.Kind)) {
			continue
		}
		from, to := keyOf[e.From], keyOf[e.To]
		// edges across the kernel's boundary go package by package
		var ltail, lhead string
		perPkg := across && (gf == model.Kernel || gt == model.Kernel)
		switch {
		case gf != v.name:
			from = gf
			if perPkg {
				to, lhead = firstNode(byPkg, rest, x.pkgOf[e.To]), clusterOf[x.pkgOf[e.To]]
			}
		case gt != v.name:
			to = gt
			if perPkg {
				from, ltail = firstNode(byPkg, rest, x.pkgOf[e.From]), clusterOf[x.pkgOf[e.From]]
			}
		}
		if from == "" || to == "" || from == to {
			continue
		}
		k := pair{from, to}
		l := byPair[k]
		if l == nil {
			l = &insideLink{from: from, to: to, style: styleOf(gf, gt), ltail: ltail, lhead: lhead}
			byPair[k] = l
		}
		l.l.weight += e.Weight
		if isCall(e.Kind) {
			l.l.calls += e.Weight
			l.l.async += x.asyncSites(e)
		}
	}
	label := func(end, cluster string) string {
		switch {
		case cluster != "":
			return x.pkgLabel(strings.TrimPrefix(cluster, "cluster_"))
		case x.decls[end] != nil:
			return declName(x.decls[end])
		case strings.HasSuffix(end, "|rest"):
			return x.pkgLabel(strings.TrimSuffix(end, "|rest")) + " (rest)"
		}
		return placeTitle(end)
	}
	var links []insideLink
	for _, l := range byPair {
		l.tooltip = fmt.Sprintf("%s → %s: %s", label(l.from, l.ltail), label(l.to, l.lhead), useText(l.l))
		links = append(links, *l)
	}
	lost, lightest := 0, 0
	slices.SortFunc(links, func(a, b insideLink) int {
		return cmp.Or(
			cmp.Compare(b.l.weight, a.l.weight),
			cmp.Compare(a.from, b.from),
			cmp.Compare(a.to, b.to),
		)
	})
	if len(links) > o.MaxEdges {
		lost, lightest = len(links)-o.MaxEdges, links[o.MaxEdges].l.weight
		links = links[:o.MaxEdges]
	}
	slices.SortFunc(links, func(a, b insideLink) int {
		return cmp.Or(
			cmp.Compare(a.from, b.from),
			cmp.Compare(a.to, b.to),
		)
	})
	v.links = links
	if left > 0 || lost > 0 {
		v.headline = notDrawn(left, "declaration", lost)
		if left > 0 {
			v.details = append(v.details, english.Plural(left, "declaration")+" with no dependency drawn here (types, constants, unused code)")
		}
		if lost > 0 {
			v.details = append(v.details, fmt.Sprintf("%s not drawn: the lightest, weight %d or less", english.Plural(lost, "edge"), lightest))
		}
	}
}

// firstNode is the first node drawn for a package, where the edges of a
// whole package start or end.
func firstNode(byPkg map[string][]*model.Decl, rest map[string]int, pkg string) string {
	if ds := byPkg[pkg]; len(ds) > 0 {
		return ds[0].ID
	}
	if rest[pkg] > 0 {
		return restKey(pkg)
	}
	return ""
}

// declName is a declaration's name within its package.
func declName(d *model.Decl) string {
	if d.Recv != "" {
		return d.Recv + "." + d.Name
	}
	return d.Name
}

// declNode is the DOT statement of a declaration: functions and methods
// plain, types blue, variables orange cylinders, constants dashed, and
// entry points' handlers bold with how control enters.
func (v *insideView) declNode(d *model.Decl) string {
	var attrs []string
	label := "<" + html(declName(d))
	switch d.Kind {
	case model.KindType:
		attrs = append(attrs, `shape=box`, `style=filled`, `fillcolor="#ebf4ff"`)
	case model.KindVar:
		attrs = append(attrs, `shape=cylinder`, `style=filled`, `fillcolor="#fff4e5"`)
	case model.KindConst:
		attrs = append(attrs, `shape=box`, `style="filled,dashed"`, `fillcolor="#f7fafc"`)
	}
	if eps := v.entries[d.ID]; len(eps) > 0 {
		label += `<br/><font point-size="8">▶ ` + html(entryLabel(eps)) + "</font>"
		attrs = append(attrs, "penwidth=2")
	}
	label += ">"
	attrs = append([]string{"label=" + label, "tooltip=" + quote(d.ID)}, attrs...)
	return fmt.Sprintf("%s [%s];", quote(d.ID), strings.Join(attrs, ", "))
}

// entryLabel says how control enters at a handler: "POST /orders",
// "background (ticker)", "+2 more".
func entryLabel(eps []model.EntryPoint) string {
	eps = append([]model.EntryPoint(nil), eps...)
	slices.SortFunc(eps, func(a, b model.EntryPoint) int {
		return cmp.Or(cmp.Compare(a.Route, b.Route), cmp.Compare(a.Method, b.Method), cmp.Compare(a.Kind, b.Kind))
	})
	ep := eps[0]
	s := string(ep.Kind)
	switch {
	case ep.Route != "":
		s = strings.TrimSpace(ep.Method + " " + ep.Route)
	case ep.Ticker:
		s += " (ticker)"
	}
	if len(eps) > 1 {
		s += fmt.Sprintf(" +%d more", len(eps)-1)
	}
	return s
}

// otherNode is the DOT statement of the node standing for another place.
func (v *insideView) otherNode(g string) string {
	attrs := `shape=box, style="rounded,filled,dashed", fillcolor="#fdf2f2", color="#c0392b"`
	what := "context"
	if g == model.Kernel {
		attrs = `shape=folder, style=filled, fillcolor="#ececec", color="#a0aec0"`
		what = "in-process"
	}
	return fmt.Sprintf(`%s [id=%s, label=<<b>%s</b><br/><font point-size="8">%s</font>>, %s];`, quote(g), quote("other-"+g), html(placeTitle(g)), what, attrs)
}

// packageLevel fills the view with the context's packages, fitted.
func (v *insideView) packageLevel(o Options) {
	x := v.x
	all, links := x.packageGraph()
	keep := map[int]int{}
	var units []unit
	for i, u := range all {
		if u.group == v.name {
			keep[i] = len(units)
			units = append(units, u)
		}
	}
	groups := []string{v.name}
	other := map[string]int{}
	for _, g := range v.others {
		other[g] = len(units)
		units = append(units, unit{group: g})
		groups = append(groups, g)
	}
	// Edges inside the context go package to package, under the caps.
	// Those to and from the other places are summed per place and clipped
	// at the context's border: one edge per neighbour and direction, so
	// that a large context does not draw a package-by-neighbour mesh.
	var mine []link
	type across struct {
		group string
		out   bool
	}
	sums := map[across]*uses{}
	froms := map[across]map[int]bool{}
	for _, l := range links {
		a, aok := keep[l.from]
		b, bok := keep[l.to]
		switch {
		case aok && bok:
			l.from, l.to = a, b
			mine = append(mine, l)
			continue
		case !aok && !bok:
			continue
		}
		k, pkg := across{all[l.to].group, true}, a
		if !aok {
			k, pkg = across{all[l.from].group, false}, b
		}
		if _, drawn := other[k.group]; !drawn {
			continue
		}
		if sums[k] == nil {
			sums[k], froms[k] = &uses{}, map[int]bool{}
		}
		sums[k].add(l.uses)
		froms[k][pkg] = true
	}
	f := fit(units, mine, groups, o.MaxNodes, o.MaxEdges, false)
	name := func(n node) string {
		if n.group != v.name {
			return n.group
		}
		return x.nodeName(units, n)
	}
	c := insideCluster{id: "cluster_" + v.name, label: placeTitle(v.name)}
	anchor := ""
	for _, n := range f.nodes {
		if n.group != v.name {
			v.outside = append(v.outside, v.otherNode(n.group))
			continue
		}
		if anchor == "" {
			anchor = name(n)
		}
		label, detail := x.nodeLabel(units, n)
		attrs := "label=" + quote(label)
		if detail != "" {
			attrs = fmt.Sprintf(`label=<%s<br/><font point-size="8">%s</font>>, style="rounded,filled,dashed"`, html(label), html(detail))
		}
		c.nodes = append(c.nodes, fmt.Sprintf("%s [%s];", quote(name(n)), attrs))
	}
	v.clusters = []insideCluster{c}
	for _, l := range f.links {
		a, b := f.nodes[l.from], f.nodes[l.to]
		al, _ := x.nodeLabel(units, a)
		bl, _ := x.nodeLabel(units, b)
		v.links = append(v.links, insideLink{from: name(a), to: name(b), l: l.uses, style: styleOf(a.group, b.group), tooltip: fmt.Sprintf("%s → %s: %s", al, bl, useText(l.uses))})
	}
	if anchor != "" {
		for _, g := range v.others {
			for _, out := range []bool{true, false} {
				k := across{g, out}
				u := sums[k]
				if u == nil {
					continue
				}
				from := fmt.Sprintf("%s (%s)", placeTitle(v.name), english.Plural(len(froms[k]), "package"))
				l := insideLink{from: anchor, to: g, l: *u, ltail: c.id, tooltip: fmt.Sprintf("%s → %s: %s", from, placeTitle(g), useText(*u))}
				if !out {
					l = insideLink{from: g, to: anchor, l: *u, lhead: c.id, tooltip: fmt.Sprintf("%s → %s: %s", placeTitle(g), from, useText(*u))}
				}
				l.style = styleOf(v.name, g)
				v.links = append(v.links, l)
			}
		}
	}
	v.legend = "packages: the context is too large to draw its declarations"
	v.headline, v.details = f.leftOut("package")
}

// draw writes the view as DOT.
func (v *insideView) draw() []byte {
	w := newDot("inside " + v.name)
	w.line(`graph [rankdir=LR, newrank=true, compound=true, fontname="` + fontName + `", fontsize=10, fontcolor="#4a5568", nodesep=0.15, ranksep=0.6, pad=0.3, labelloc=b, labeljust=l,`)
	// One line per point: a single long line would set the picture's
	// width and shrink the drawing wherever it is shown fitted.
	w.line(`  label=<%s>];`, lines(
		"Inside "+placeTitle(v.name)+" ("+v.legend+").",
		"Dashed red nodes: the other contexts; red edges: dependencies on or from them, labelled with call sites.",
		"Grey dotted: the shared kernel, and uses that are not calls. Bold: entry points."))
	w.line(`node [shape=box, style="rounded,filled", fillcolor=white, color="#4a5568", fontname="` + fontName + `", fontsize=10, height=0.3, margin="0.12,0.04"];`)
	w.line(`edge [color="#718096", arrowsize=0.6, fontname="` + fontName + `", fontsize=9];`)
	for _, c := range v.clusters {
		w.open("subgraph %s {", quote(c.id))
		w.line(`graph [label=%s, style="rounded,filled", fillcolor="#f5f7fa", color="#4a5568", fontsize=11];`, quote(c.label))
		for _, n := range c.nodes {
			w.line("%s", n)
		}
		w.close()
	}
	for _, n := range v.outside {
		w.line("%s", n)
	}
	for _, l := range v.links {
		attrs := edgeAttrs(l.style, l.l, l.tooltip)
		switch {
		case l.style == inside && l.l.calls == 0:
			attrs += `, style=dotted, color="#a0aec0"`
		case l.style == remote && l.l.calls > 0:
			attrs += ", label=" + quote(fmt.Sprint(l.l.calls))
		}
		if l.ltail != "" {
			attrs += ", ltail=" + quote(l.ltail)
		}
		if l.lhead != "" {
			attrs += ", lhead=" + quote(l.lhead)
		}
		w.line("%s -> %s [%s];", quote(l.from), quote(l.to), attrs)
	}
	for _, side := range []struct {
		rank   string
		places []string
	}{{"min", v.callers}, {"max", v.callees}} {
		var drawn []string
		for _, g := range side.places {
			for _, o := range v.outside {
				if strings.HasPrefix(o, quote(g)+" ") {
					drawn = append(drawn, quote(g)+";")
				}
			}
		}
		if len(drawn) > 0 {
			w.line("{ rank=%s; %s }", side.rank, strings.Join(drawn, " "))
		}
	}
	if v.headline != "" {
		w.note(v.headline, v.details)
	}
	return w.bytes()
}
