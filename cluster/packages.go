package cluster

import (
	"maps"
	"slices"
	"sort"
)

// DirectoryShare is the share of a community's declarations that must lie
// in one service directory for the community to count as part of it.
const DirectoryShare = 0.6

// mergeByDirectory merges the communities that lie within one service
// directory: the communities of a modular monolith's services are often
// finer than the services (one per use case). A directory whose
// declarations mostly sit in communities that cross directories is a layer
// (handlers/, services/, models/), not a service, and merges nothing.
func (r *run) mergeByDirectory(gr *grouping, m []int32, keep []bool, mg *merger, unconnected map[int32]bool) {
	find, merge, compatible := mg.uf.find, mg.merge, mg.compatible
	u := r.u
	mass := map[int32]map[string]float64{}
	var comms []int32
	for d := range u.decls {
		if !keep[d] {
			continue
		}
		c := find(m[d])
		if unconnected[c] {
			continue
		}
		if mass[c] == nil {
			mass[c] = map[string]float64{}
			comms = append(comms, c)
		}
		mass[c][gr.labels[u.decls[d].pkg]] += r.declMass(d)
	}
	sort.Slice(comms, func(i, j int) bool { return comms[i] < comms[j] })
	home := map[int32]string{}
	lmass := map[string]float64{}
	lhome := map[string]float64{}
	for _, c := range comms {
		var sum, best float64
		top := ""
		ls := make([]string, 0, len(mass[c]))
		for l := range mass[c] {
			ls = append(ls, l)
		}
		sort.Strings(ls)
		for _, l := range ls {
			x := mass[c][l]
			sum += x
			lmass[l] += x
			if x > best {
				best, top = x, l
			}
		}
		if top != "" && best >= DirectoryShare*sum {
			home[c] = top
			lhome[top] += mass[c][top]
		}
	}
	for l, x := range lmass {
		if l != "" && lhome[l] >= 0.5*x && r.serviceName(l) {
			gr.service[l] = true
		}
	}
	first := map[string]int32{}
	for _, c := range comms {
		l, ok := home[c]
		if !ok || !gr.service[l] {
			continue
		}
		f, seen := first[l]
		if !seen {
			first[l] = c
			continue
		}
		f, c = find(f), find(c)
		if f != c && compatible(c, f) {
			merge(c, f)
		}
	}
}

// ServiceShare is the share of a package community's declarations that
// must lie in one service directory for the community to be taken whole,
// at package level; otherwise its declarations are clustered one by one.
const ServiceShare = 0.6

// groupPackages finds contexts at package level first: packages are
// clustered by their summed signals and their service directory. A
// community that lies within one directory is a context as it stands; one
// that spans directories (a layered code base: handlers/, services/,
// models/ that each serve every context, or a root domain package) is
// clustered again, declaration by declaration.
func (r *run) groupPackages(keep []bool, gamma float64) *grouping {
	u := r.u
	nd := len(u.decls)
	np := len(u.pkgs)
	labels := make([]string, np)
	for i := range u.pkgs {
		labels[i] = r.lay.home[i]
	}
	// packages taking part, and their pins
	active := make([]bool, np)
	pin := make([]int32, np)
	mixed := make([]bool, np)
	mass := make([]float64, np)
	for pi := range pin {
		pin[pi] = r.pkgPin[pi]
	}
	for d := 0; d < nd; d++ {
		if !keep[d] {
			continue
		}
		pi := u.decls[d].pkg
		active[pi] = true
		mass[pi] += r.declMass(d)
		if dp := r.declPin[d]; dp >= 0 {
			if pin[pi] >= 0 && pin[pi] != dp {
				mixed[pi] = true
			}
			pin[pi] = dp
		}
	}
	// label nodes follow the packages
	var labelNames []string
	labelIdx := map[string]int{}
	for pi := range u.pkgs {
		if l := labels[pi]; active[pi] && l != "" {
			if _, ok := labelIdx[l]; !ok {
				labelIdx[l] = 0
				labelNames = append(labelNames, l)
			}
		}
	}
	sort.Strings(labelNames)
	for i, l := range labelNames {
		labelIdx[l] = np + i
	}
	b := newGraphBuilder(np + len(labelNames))
	strength := make([]float64, np)
	for _, e := range r.s.sig {
		f, t := int(e.from), int(e.to)
		if f >= nd || t >= nd || !keep[f] || !keep[t] {
			continue
		}
		pf, pt := u.decls[f].pkg, u.decls[t].pkg
		if pf == pt {
			continue
		}
		b.add(pf, pt, e.w)
		strength[pf] += e.w
		strength[pt] += e.w
	}
	if len(r.s.cochange) > 0 {
		kept, filePkg := r.s.keptFiles(keep)
		for _, e := range r.s.cochange {
			fa, fb := int(e.from)-r.s.fileBase, int(e.to)-r.s.fileBase
			pf, pt := filePkg[fa], filePkg[fb]
			if pf == pt || !kept[fa] || !kept[fb] {
				continue
			}
			b.add(pf, pt, e.w)
			strength[pf] += e.w
			strength[pt] += e.w
		}
	}
	for pi := range u.pkgs {
		if l := labels[pi]; active[pi] && l != "" {
			b.add(pi, labelIdx[l], r.cfg.Weights.Proximity*(strength[pi]+mass[pi]))
		}
	}
	g := b.build()
	var cons *constraints
	if len(r.pinNames) > 0 {
		cons = &constraints{pin: make([]int32, g.n()), tags: make([][]int32, g.n())}
		for i := range cons.pin {
			cons.pin[i] = -1
		}
		for pi := range u.pkgs {
			if !mixed[pi] {
				cons.pin[pi] = pin[pi]
			}
		}
	}
	m := louvain(g, gamma, cons, r.cfg.Seed)
	labelCount := map[string]int{}
	for pi := range u.pkgs {
		if active[pi] {
			labelCount[labels[pi]]++
		}
	}

	// communities of packages
	comms := map[int32][]int{}
	var ids []int32
	for pi := range u.pkgs {
		if !active[pi] {
			continue
		}
		c := m[pi]
		if _, ok := comms[c]; !ok {
			ids = append(ids, c)
		}
		comms[c] = append(comms[c], pi)
	}
	sort.Slice(ids, func(i, j int) bool { return comms[ids[i]][0] < comms[ids[j]][0] })
	gr := &grouping{service: map[string]bool{}, labels: labels, ctx: make([]int32, nd), pkg: make([]int32, np)}
	for d := range gr.ctx {
		gr.ctx[d] = kernelCtx
	}
	for pi := range gr.pkg {
		gr.pkg[pi] = kernelCtx
	}
	layered := make([]bool, nd)
	anyLayered := false
	hasTags := len(r.cfg.Apart) > 0
	for _, c := range ids {
		ps := comms[c]
		lm := map[string]float64{}
		var sum float64
		split := false
		for _, pi := range ps {
			lm[labels[pi]] += mass[pi]
			sum += mass[pi]
			if mixed[pi] {
				split = true
			}
		}
		top, best := "", 0.0
		for _, l := range slices.Sorted(maps.Keys(lm)) {
			if lm[l] > best {
				top, best = l, lm[l]
			}
		}
		if !split && !hasTags && top != "" && best >= ServiceShare*sum && r.serviceName(top) {
			// a whole other service directory that only joined this one
			// keeps a context of its own
			own := map[string]int32{}
			for _, l := range slices.Sorted(maps.Keys(lm)) {
				if l != "" && l != top && lm[l] >= 3 && labelCount[l] == countIn(ps, labels, l) && r.serviceName(l) {
					own[l] = int32(gr.n)
					gr.n++
					gr.entry = append(gr.entry, false)
					gr.service[l] = true
				}
			}
			ctx := int32(gr.n)
			gr.n++
			gr.entry = append(gr.entry, false)
			for _, pi := range ps {
				c := ctx
				if x, ok := own[labels[pi]]; ok {
					c = x
				}
				root := labels[pi] == ""
				if !root {
					gr.pkg[pi] = c
				}
				for _, d := range u.pkgs[pi].decls {
					if !keep[d] {
						continue
					}
					if root {
						// a root package (often the domain model) is
						// placed declaration by declaration
						layered[d] = true
						anyLayered = true
						continue
					}
					gr.ctx[d] = c
					gr.entry[c] = gr.entry[c] || u.decls[d].entry
				}
			}
			if top != "" {
				gr.service[top] = true
			}
			continue
		}
		// the service directories in it keep contexts of their own; the
		// layers and the root package are clustered by declaration
		own := map[string]int32{}
		for _, l := range slices.Sorted(maps.Keys(lm)) {
			if l != "" && lm[l] >= 3 && labelCount[l] == countIn(ps, labels, l) && r.serviceName(l) && !split {
				own[l] = int32(gr.n)
				gr.n++
				gr.entry = append(gr.entry, false)
				gr.service[l] = true
			}
		}
		for _, pi := range ps {
			c, ok := own[labels[pi]]
			if ok {
				gr.pkg[pi] = c
			}
			for _, d := range u.pkgs[pi].decls {
				if !keep[d] {
					continue
				}
				if ok {
					gr.ctx[d] = c
					gr.entry[c] = gr.entry[c] || u.decls[d].entry
					continue
				}
				layered[d] = true
				anyLayered = true
			}
		}
	}
	if !anyLayered {
		return gr
	}
	anchor := make([]int32, nd)
	for d := range anchor {
		anchor[d] = kernelCtx
		if keep[d] && !layered[d] {
			anchor[d] = gr.ctx[d]
		}
	}
	sub := r.group(keep, anchor, gr.n, gamma)
	for d := 0; d < nd; d++ {
		if layered[d] {
			gr.ctx[d] = sub.ctx[d]
		}
	}
	for pi := range u.pkgs {
		if gr.pkg[pi] == kernelCtx {
			gr.pkg[pi] = sub.pkg[pi]
		}
	}
	for i := range gr.entry {
		sub.entry[i] = sub.entry[i] || gr.entry[i]
	}
	gr.entry = sub.entry
	gr.n = sub.n
	for l := range sub.service {
		gr.service[l] = true
	}
	return gr
}

func countIn(ps []int, labels []string, l string) int {
	n := 0
	for _, pi := range ps {
		if labels[pi] == l {
			n++
		}
	}
	return n
}

// infraLabel reports a directory label named after technical concerns.
func infraLabel(l string) bool {
	for _, w := range splitWords(l) {
		if infraWords[w] {
			return true
		}
	}
	return false
}

// serviceName reports whether a directory label is named like a service
// (a domain word: orders, booking, querier) rather than like a layer or a
// technical concern (handlers, models, server, db).
func (r *run) serviceName(l string) bool {
	if r.lay.layer[l] {
		return false
	}
	if r.lay.named[l] {
		return true
	}
	if infraLabel(l) {
		return false
	}
	for _, w := range splitWords(tail(l)) {
		if !r.v.stop[w] && (!r.v.stop[stem(w)] || !r.v.stop[singular(w)]) {
			return true
		}
	}
	return false
}

// flatService reports a main package that is a whole service in one
// package: alone in a service-named directory, with declarations of its
// own beyond the wiring.
func (r *run) flatService(pi int, gr *grouping) bool {
	u := r.u
	l := gr.labels[pi]
	if l == "" || !r.serviceName(l) || len(u.pkgs[pi].decls) < 10 {
		return false
	}
	for qi := range u.pkgs {
		if qi != pi && (gr.labels[qi] == l || tail(gr.labels[qi]) == tail(l)) {
			return false
		}
	}
	return true
}
