package cluster

import (
	"maps"
	"math"
	"path"
	"slices"
	"sort"

	"decompose/analysis/model"
)

// grouping is a context for every kept declaration: communities found by
// Louvain, with the tiny ones absorbed by their strongest neighbour and
// those within one service directory merged.
type grouping struct {
	n     int
	ctx   []int32 // per declaration: context, or kernelCtx
	pkg   []int32 // per package node: context, or kernelCtx
	entry []bool  // per context: owns an entry point
	// service marks the directory labels that are services; packages
	// there are never split.
	service map[string]bool
	labels  []string // per package: its directory label
	// shared are declarations placed in the kernel because several
	// contexts use them alike.
	shared map[int]bool
}

// declMass is a declaration's weight in community sizes: generated code
// counts less.
func (r *run) declMass(d int) float64 {
	if r.u.decls[d].gen {
		return math.Max(r.cfg.Weights.Generated, 0.05)
	}
	return 1
}

// group finds the contexts of the kept declarations at resolution gamma.
// anchor[d] ≥ 0 fixes declaration d in context anchor[d] (one of nAnchor
// contexts found at package level): the other declarations may join an
// anchored context or form new ones.
func (r *run) group(keep []bool, anchor []int32, nAnchor int, gamma float64) *grouping {
	u := r.u
	nd := len(u.decls)
	// helpers used from many files (writeJSON, a Server type, a shared
	// model) would glue the declarations of a layered package together:
	// they are left out and placed afterwards by who uses them
	utility := r.utilities(keep, anchor)
	keepU := keep
	if len(utility) > 0 {
		keepU = append([]bool(nil), keep...)
		for d := range utility {
			keepU[d] = false
		}
	}
	// the declarations of a layered package serve different contexts:
	// their package says nothing of where each belongs (the root
	// package, often the domain model, keeps its cohesion)
	loose := make([]bool, nd)
	for d := range loose {
		loose[d] = anchor[d] < 0 && relPath(u, u.pkgs[u.decls[d].pkg].path) != ""
	}
	g := r.s.graphLoose(keepU, loose)
	n := g.n()

	m, dense, anchorOf := r.anchoredLouvain(g, keepU, anchor, nAnchor, gamma)

	mg := &merger{infos: map[int32]*commInfo{}, tie: map[int32]map[int32]float64{}, uf: unionFind[int32]{}}
	infos, cw := mg.infos, mg.tie
	for i := 0; i < n; i++ {
		if a, ok := anchorOf[dense[i]]; ok {
			x := infos[m[i]]
			if x == nil {
				x = &commInfo{pin: -1, first: math.MaxInt, anchor: -1}
				infos[m[i]] = x
			}
			x.anchor = a
		}
	}
	for d := 0; d < nd; d++ {
		if !keepU[d] {
			continue
		}
		x := infos[m[d]]
		if x == nil {
			x = &commInfo{pin: -1, first: d, anchor: -1}
			infos[m[d]] = x
		}
		x.first = min(x.first, d)
		x.mass += r.declMass(d)
		if u.decls[d].entry {
			x.entry = true
		}
		if r.declPin[d] >= 0 {
			x.pin = r.declPin[d]
		}
		for _, t := range r.tags[d] {
			if x.tags == nil {
				x.tags = map[int32]bool{}
			}
			x.tags[t] = true
		}
	}
	for i := 0; i < n; i++ {
		for e := g.off[i]; e < g.off[i+1]; e++ {
			a, b := m[i], m[g.to[e]]
			if a == b {
				continue
			}
			if cw[a] == nil {
				cw[a] = map[int32]float64{}
			}
			cw[a][b] += g.w[e]
		}
	}
	find := mg.uf.find
	var total float64
	comms := make([]int32, 0, len(infos))
	for c := range infos {
		comms = append(comms, c)
	}
	sort.Slice(comms, func(i, j int) bool { return comms[i] < comms[j] })
	for _, c := range comms {
		total += infos[c].mass
	}
	compatible, merge := mg.compatible, mg.merge
	// absorb tiny communities into their strongest neighbour
	minMass := math.Max(3, 0.005*total)
	order := append([]int32(nil), comms...)
	sort.SliceStable(order, func(i, j int) bool { return infos[order[i]].mass < infos[order[j]].mass })
	unconnected := map[int32]bool{}
	entryComms := 0
	for _, x := range infos {
		if x.entry {
			entryComms++
		}
	}
	for _, c := range order {
		x := infos[c]
		if find(c) != c || (x.entry && x.mass >= minMass) || x.pin >= 0 || x.anchor >= 0 {
			continue
		}
		// beside services found at package level, a community of loose
		// declarations that serves no entry point is not a context: it
		// joins the one it is most tied to
		if x.mass >= minMass && nAnchor == 0 && entryComms < 2 {
			continue
		}
		nbrs := make([]int32, 0, len(cw[c]))
		for b := range cw[c] {
			nbrs = append(nbrs, b)
		}
		sort.Slice(nbrs, func(i, j int) bool { return nbrs[i] < nbrs[j] })
		acc := map[int32]float64{}
		var keys []int32
		for _, b := range nbrs {
			rb := find(b)
			if rb == c {
				continue
			}
			if _, ok := acc[rb]; !ok {
				keys = append(keys, rb)
			}
			acc[rb] += cw[c][b]
		}
		best, bestW := int32(-1), 0.0
		for _, rb := range keys {
			if xb := infos[rb]; xb == nil || (xb.mass == 0 && xb.anchor < 0) || !compatible(c, rb) {
				continue
			}
			if acc[rb] > bestW+1e-12 {
				best, bestW = rb, acc[rb]
			}
		}
		if best < 0 {
			unconnected[c] = true
			continue
		}
		merge(c, best)
	}
	gr := &grouping{service: map[string]bool{}, labels: make([]string, len(u.pkgs))}
	for i := range u.pkgs {
		gr.labels[i] = r.lay.home[i]
	}
	r.mergeByDirectory(gr, m, keepU, mg, unconnected)
	// beside the services found at package level, a community of loose
	// declarations that talks mostly to one of them belongs to it
	if nAnchor > 0 {
		for _, c := range order {
			x := infos[c]
			if find(c) != c || x.anchor >= 0 || x.pin >= 0 || unconnected[c] {
				continue
			}
			acc := map[int32]float64{}
			var keys []int32
			var ext float64
			for _, b := range slices.Sorted(maps.Keys(cw[c])) {
				w := cw[c][b]
				rb := find(b)
				if rb == c {
					continue
				}
				ext += w
				if infos[rb] != nil && infos[rb].anchor >= 0 {
					if _, ok := acc[rb]; !ok {
						keys = append(keys, rb)
					}
					acc[rb] += w
				}
			}
			sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
			best, bestW := int32(-1), 0.0
			for _, rb := range keys {
				if acc[rb] > bestW+1e-12 && compatible(c, rb) {
					best, bestW = rb, acc[rb]
				}
			}
			if best >= 0 && bestW >= 0.5*ext {
				merge(c, best)
			}
		}
	}

	// anchored contexts keep their numbers; new ones follow by first declaration
	ctxOf := map[int32]int32{}
	gr.entry = make([]bool, nAnchor)
	var roots []int32
	for _, c := range comms {
		if find(c) != c || unconnected[c] {
			continue
		}
		if a := infos[c].anchor; a >= 0 {
			ctxOf[c] = a
			gr.entry[a] = gr.entry[a] || infos[c].entry
			continue
		}
		if infos[c].mass > 0 {
			roots = append(roots, c)
		}
	}
	sort.Slice(roots, func(i, j int) bool { return infos[roots[i]].first < infos[roots[j]].first })
	for i, c := range roots {
		ctxOf[c] = int32(nAnchor + i)
		gr.entry = append(gr.entry, infos[c].entry)
	}
	gr.n = nAnchor + len(roots)
	commCtx := func(c int32) int32 {
		if x, ok := ctxOf[find(c)]; ok {
			return x
		}
		return kernelCtx
	}
	gr.ctx = make([]int32, nd)
	for d := 0; d < nd; d++ {
		gr.ctx[d] = kernelCtx
		if keepU[d] {
			gr.ctx[d] = commCtx(m[d])
		}
	}
	gr.pkg = make([]int32, len(u.pkgs))
	for pi := range u.pkgs {
		gr.pkg[pi] = commCtx(m[r.s.pkgBase+pi])
	}
	r.placeUtilities(gr, utility)
	return gr
}

// utilities are the free declarations used from files of at least three
// different names (a helper every handler file calls; not a model that
// handlers/user.go, services/user.go and store/user.go use), that serve
// no entry point and are not pinned.
func (r *run) utilities(keep []bool, anchor []int32) map[int]bool {
	u := r.u
	nd := len(u.decls)
	files := map[int]map[string]bool{}
	for _, e := range r.s.sig {
		f, t := int(e.from), int(e.to)
		if f >= nd || t >= nd || !keep[f] || !keep[t] || e.kind == kindReceiver {
			continue
		}
		tt := u.group(t)
		if anchor[tt] >= 0 || r.s.fileOf[f] == r.s.fileOf[tt] {
			continue
		}
		if files[tt] == nil {
			files[tt] = map[string]bool{}
		}
		files[tt][path.Base(r.s.files[r.s.fileOf[f]])] = true
	}
	out := map[int]bool{}
	for t, fs := range files {
		if len(fs) < 3 || u.decls[t].entry || r.declPin[t] >= 0 {
			continue
		}
		out[t] = true
		for _, m := range u.methods[t] {
			if keep[m] && !u.decls[m].entry && r.declPin[m] < 0 && anchor[m] < 0 {
				// the methods follow unless they serve entry points
				out[m] = true
			}
		}
	}
	return out
}

// placeUtilities places the utilities left out of community detection in
// the context that uses them most, or in the kernel when no context holds
// most of their use. A utility that no context holds most of, but that
// the entry points of one context reach directly and that depends mostly
// on that context's code (a notification service that every context
// calls, behind its own routes and relay) is that context's.
func (r *run) placeUtilities(gr *grouping, utility map[int]bool) {
	if len(utility) == 0 {
		return
	}
	u := r.u
	nd := len(u.decls)
	serving := servingGroups(u)
	add := func(m map[int]map[int32]float64, d int, c int32, w float64) {
		if m[d] == nil {
			m[d] = map[int32]float64{}
		}
		m[d][c] += w
	}
	use := map[int]map[int32]float64{}      // by context, from outside the utilities
	entryUse := map[int]map[int32]float64{} // the part of use from units serving entry points
	deps := map[int]map[int32]float64{}     // a utility's own use of each context
	for _, e := range r.s.sig {
		f, t := int(e.from), int(e.to)
		if f >= nd || t >= nd || e.kind == kindReceiver {
			continue
		}
		if gf := u.group(f); utility[gf] && !utility[t] && gr.ctx[t] >= 0 {
			add(deps, gf, gr.ctx[t], e.w)
		}
		tt := u.group(t)
		if !utility[tt] || utility[f] || gr.ctx[f] < 0 {
			continue
		}
		add(use, tt, gr.ctx[f], e.w)
		if serving[u.group(f)] {
			add(entryUse, tt, gr.ctx[f], e.w)
		}
	}
	if gr.shared == nil {
		gr.shared = map[int]bool{}
	}
	ds := make([]int, 0, len(utility))
	for d := range utility {
		ds = append(ds, d)
	}
	sort.Ints(ds)
	// a helper function that many of the contexts serving entry points
	// use is shared, however unevenly
	entries := 0
	for _, e := range gr.entry {
		if e {
			entries++
		}
	}
	wide := max(3, int(math.Ceil(r.cfg.KernelSpread*float64(entries))))
	for _, d := range ds {
		g := u.group(d)
		users := 0
		for c := range use[g] {
			if c < int32(len(gr.entry)) && gr.entry[c] {
				users++
			}
		}
		shared := users >= wide && u.decls[g].kind == model.KindFunc
		if top, ok := owner(use[g]); ok && !shared {
			gr.ctx[d] = top
			continue
		}
		if c, ok := owner(deps[g]); ok && entryUse[g][c] > 0 && !shared {
			gr.ctx[d] = c
			continue
		}
		gr.ctx[d] = kernelCtx
		gr.shared[d] = true
	}
}

// owner is the context holding more than half of a use, if any.
func owner(use map[int32]float64) (int32, bool) {
	var sum, best float64
	top := int32(kernelCtx)
	for _, c := range slices.Sorted(maps.Keys(use)) {
		x := use[c]
		sum += x
		if x > best || (x == best && c < top) {
			best, top = x, c
		}
	}
	return top, sum > 0 && best > 0.5*sum
}

// commInfo is what a declaration community holds, for merging.
type commInfo struct {
	mass   float64
	entry  bool
	pin    int32
	tags   map[int32]bool
	first  int
	anchor int32
}

// merger merges declaration communities: what each holds, the weight
// between them, and which one each was merged into.
type merger struct {
	infos map[int32]*commInfo
	tie   map[int32]map[int32]float64
	uf    unionFind[int32]
}

// compatible reports whether two communities may merge: not two anchors,
// not two pins, not the two sides of an apart pair.
func (mg *merger) compatible(a, b int32) bool {
	xa, xb := mg.infos[a], mg.infos[b]
	if xa.anchor >= 0 && xb.anchor >= 0 && xa.anchor != xb.anchor {
		return false
	}
	if xa.pin >= 0 && xb.pin >= 0 && xa.pin != xb.pin {
		return false
	}
	for t := range xa.tags {
		if xb.tags[t^1] {
			return false
		}
	}
	return true
}

// merge merges root community c into root community into.
func (mg *merger) merge(c, into int32) {
	mg.uf.union(c, into)
	xb, xc := mg.infos[into], mg.infos[c]
	xb.mass += xc.mass
	xb.entry = xb.entry || xc.entry
	if xc.pin >= 0 {
		xb.pin = xc.pin
	}
	if xc.anchor >= 0 {
		xb.anchor = xc.anchor
	}
	xb.first = min(xb.first, xc.first)
	for t := range xc.tags {
		if xb.tags == nil {
			xb.tags = map[int32]bool{}
		}
		xb.tags[t] = true
	}
	for _, b := range slices.Sorted(maps.Keys(mg.tie[c])) {
		if mg.tie[into] == nil {
			mg.tie[into] = map[int32]float64{}
		}
		mg.tie[into][b] += mg.tie[c][b]
	}
}

// anchoredLouvain runs Louvain over the declaration graph g starting from
// the anchors (each anchored context is one node that may grow but never
// merges with another anchor or pin). It returns each node's community,
// the dense start numbering, and the anchor of each dense start node.
func (r *run) anchoredLouvain(g *wgraph, keepU []bool, anchor []int32, nAnchor int, gamma float64) (m, dense []int32, anchorOf map[int32]int32) {
	u := r.u
	nd := len(u.decls)
	n := g.n()
	init := make([]int32, n)
	for i := range init {
		init[i] = int32(nAnchor + i)
	}
	for d := 0; d < nd; d++ {
		if keepU[d] && anchor[d] >= 0 {
			init[d] = anchor[d]
		}
	}
	for pi, pk := range u.pkgs {
		a := int32(-1)
		ok := true
		for _, d := range pk.decls {
			if !keepU[d] {
				continue
			}
			if anchor[d] < 0 || (a >= 0 && anchor[d] != a) {
				ok = false
				break
			}
			a = anchor[d]
		}
		if ok && a >= 0 {
			init[r.s.pkgBase+pi] = a
		}
	}
	dense = renumber(init)
	anchorOf = map[int32]int32{} // dense community → anchor
	for i, c := range init {
		if c < int32(nAnchor) {
			anchorOf[dense[i]] = c
		}
	}
	var cons *constraints
	if len(r.pinNames) > 0 || len(r.cfg.Apart) > 0 || nAnchor > 0 {
		cons = &constraints{pin: make([]int32, n), tags: make([][]int32, n)}
		for i := range cons.pin {
			cons.pin[i] = -1
		}
		copy(cons.tags, r.tags)
		anchorPin := make([]int32, nAnchor)
		for i := range anchorPin {
			anchorPin[i] = int32(len(r.pinNames) + i)
		}
		for d := 0; d < nd; d++ {
			if keepU[d] && anchor[d] >= 0 && r.declPin[d] >= 0 {
				anchorPin[anchor[d]] = r.declPin[d]
			}
		}
		for i := 0; i < n; i++ {
			if a, ok := anchorOf[dense[i]]; ok {
				cons.pin[i] = anchorPin[a]
			} else if i < nd {
				cons.pin[i] = r.declPin[i]
			}
		}
	}
	ag, agCons := aggregate(g, dense, cons)
	am := louvain(ag, gamma, agCons, r.cfg.Seed)
	m = make([]int32, n)
	for i := range m {
		m[i] = am[dense[i]]
	}
	return m, dense, anchorOf
}
