package cluster

import (
	"errors"
	"fmt"
	"math"
	"path"
	"slices"
	"sort"
	"strings"

	"decompose/analysis"
)

// kernelCtx marks a declaration or package placed in the kernel.
const kernelCtx = -1

// Cluster proposes bounded contexts for the model. It is deterministic: the
// same model and configuration give the same decomposition, whatever the
// order of the model's slices.
func Cluster(m *analysis.Model, cfg Config) (*Decomposition, error) {
	if m == nil {
		return nil, errors.New("cluster: no model")
	}
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	u, warnings, err := newUniverse(m, cfg.Ignore)
	if err != nil {
		return nil, err
	}
	r := &run{u: u, cfg: cfg, warnings: warnings}
	if err := r.constrain(); err != nil {
		return nil, err
	}
	r.v = newVocab(cfg.StopWords)
	r.s = buildSignals(u, cfg, r.v)

	var p *partition
	if cfg.Contexts > 0 {
		p = r.solveN(cfg.Contexts)
	} else {
		p = r.solve(cfg.Resolution)
	}
	return r.decompose(p), nil
}

// run carries one clustering run.
type run struct {
	u        *universe
	cfg      Config
	v        *vocab
	s        *signals
	warnings []string

	pinNames  []string // sorted
	declPin   []int32  // per declaration: pin index or -1
	pkgPin    []int32  // per package: pin index when the whole package is pinned, or -1
	tags      [][]int32
	forcedK   []bool // declarations named by shared_kernel patterns (and not pinned)
	forcedKP  []bool // packages named wholly by shared_kernel patterns
	placeable int
	sharing   []bool // per package: its names share a domain word with another package
}

// constrain resolves pins, apart pairs and shared-kernel patterns.
func (r *run) constrain() error {
	u := r.u
	nd := len(u.decls)
	r.declPin = make([]int32, nd)
	for i := range r.declPin {
		r.declPin[i] = -1
	}
	r.pkgPin = make([]int32, len(u.pkgs))
	for i := range r.pkgPin {
		r.pkgPin[i] = -1
	}
	for name := range r.cfg.Pin {
		r.pinNames = append(r.pinNames, name)
	}
	sort.Strings(r.pinNames)
	claimP := map[int]string{} // package → pin that claimed it wholly
	claimD := map[int]string{}
	patOf := map[int]string{}
	for pi, name := range r.pinNames {
		for _, pat := range r.cfg.Pin[name] {
			ps, ds := u.match(pat)
			if len(ps) == 0 && len(ds) == 0 {
				return fmt.Errorf("cluster.pin.%s: pattern %q matches no package or declaration", name, pat)
			}
			for _, p := range ps {
				if other, ok := claimP[p]; ok && other != name {
					return fmt.Errorf("cluster.pin: %s and %s both claim package %s", other, name, u.pkgs[p].path)
				}
				claimP[p] = name
				r.pkgPin[p] = int32(pi)
			}
			for _, d := range ds {
				if other, ok := claimD[d]; ok && other != name {
					return fmt.Errorf("cluster.pin: %s (%q) and %s (%q) both claim %s", other, patOf[d], name, pat, u.decls[d].id)
				}
				claimD[d] = name
				patOf[d] = pat
				r.declPin[d] = int32(pi)
			}
		}
	}
	r.tags = make([][]int32, nd)
	for i, pair := range r.cfg.Apart {
		for side, x := range pair {
			var ds []int
			if pi := sort.SearchStrings(r.pinNames, x); pi < len(r.pinNames) && r.pinNames[pi] == x {
				for d := range r.declPin {
					if r.declPin[d] == int32(pi) {
						ds = append(ds, d)
					}
				}
			} else {
				_, ds = u.match(x)
			}
			if len(ds) == 0 {
				return fmt.Errorf("cluster.apart[%d]: %q is neither a pinned context nor a pattern matching a declaration", i, x)
			}
			t := int32(2*i + side)
			for _, d := range ds {
				if containsInt32(r.tags[d], t^1) {
					return fmt.Errorf("cluster.apart[%d]: %s is on both sides", i, u.decls[d].id)
				}
				r.tags[d] = append(r.tags[d], t)
			}
		}
	}
	// two pinned sides of one pair in the same pin cannot be kept apart
	for i := range r.cfg.Apart {
		sides := [2]map[int32]bool{{}, {}}
		for d, ts := range r.tags {
			for _, t := range ts {
				if int(t/2) == i && r.declPin[d] >= 0 {
					sides[t%2][r.declPin[d]] = true
				}
			}
		}
		for p := range sides[0] {
			if sides[1][p] {
				return fmt.Errorf("cluster.apart[%d]: both sides are pinned to %s", i, r.pinNames[p])
			}
		}
	}
	r.forcedK = make([]bool, nd)
	r.forcedKP = make([]bool, len(u.pkgs))
	for _, pat := range r.cfg.SharedKernel {
		ps, ds := u.match(pat)
		if len(ps) == 0 && len(ds) == 0 {
			r.warnings = append(r.warnings, fmt.Sprintf("shared_kernel pattern %q matches nothing", pat))
		}
		for _, p := range ps {
			if r.pkgPin[p] < 0 {
				r.forcedKP[p] = true
			}
		}
		for _, d := range ds {
			if r.declPin[d] < 0 {
				r.forcedK[d] = true
			}
		}
	}
	// the units that can be placed in a context: packages placed whole
	// count once
	for p, pk := range u.pkgs {
		if r.forcedKP[p] {
			continue
		}
		free := 0
		for _, d := range pk.decls {
			if !r.forcedK[d] {
				free++
			}
		}
		if free > 0 || len(pk.decls) == 0 {
			r.placeable += free
			if free == 0 {
				r.placeable++
			}
		}
	}
	if r.cfg.Contexts > 0 && r.cfg.Contexts > r.placeable {
		return fmt.Errorf("cluster.contexts: asked for %d contexts but the model has only %d units that can be placed in one", r.cfg.Contexts, r.placeable)
	}
	if n := len(r.pinNames); r.cfg.Contexts > 0 && n > r.cfg.Contexts {
		return fmt.Errorf("cluster.contexts: asked for %d contexts but %d are pinned (%s)", r.cfg.Contexts, n, strings.Join(r.pinNames, ", "))
	}
	return nil
}

// partition is a placement of every declaration and package.
type partition struct {
	gamma float64
	nctx  int
	ctx   []int32 // per declaration: context, or kernelCtx
	// pkgCtx is the package's context when placed whole, kernelCtx for
	// the kernel, splitPkg when split.
	pkgCtx []int32
	// reason per declaration (kernel reasons, pins)
	reason []string
	// pkgReason per package placed whole in the kernel
	pkgReason []string
}

const splitPkg = -2

// solve clusters at resolution gamma: a first pass finds the units most
// contexts share, a second clusters the rest.
func (r *run) solve(gamma float64) *partition {
	u := r.u
	nd := len(u.decls)
	keep := make([]bool, nd)
	for d := range keep {
		di := u.decls[d]
		keep[d] = r.declPin[d] >= 0 || (!r.forcedK[d] && !r.forcedKP[di.pkg] && !u.pkgs[di.pkg].main)
	}
	g1 := r.groupPackages(keep, gamma)
	spread := r.spreadKernel(g1, keep)
	keep2 := append([]bool(nil), keep...)
	for d := range spread {
		keep2[d] = false
	}
	g2 := r.groupPackages(keep2, gamma)
	p := r.place(g2, keep2, spread)
	p.gamma = gamma
	return p
}

// constraintsFor returns the pins and apart tags as community-detection
// constraints over all nodes, or nil when there are none.
func (r *run) constraintsFor() *constraints {
	if len(r.pinNames) == 0 && len(r.cfg.Apart) == 0 {
		return nil
	}
	n := r.s.numNodes()
	c := &constraints{pin: make([]int32, n), tags: make([][]int32, n)}
	for i := range c.pin {
		c.pin[i] = -1
	}
	copy(c.pin, r.declPin)
	for p, pin := range r.pkgPin {
		c.pin[r.s.pkgBase+p] = pin
	}
	copy(c.tags, r.tags)
	return c
}

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

	// start from the anchors: each anchored context is one node
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
	dense := renumber(init)
	anchorOf := map[int32]int32{} // dense community → anchor
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
	m := make([]int32, n)
	for i := range m {
		m[i] = am[dense[i]]
	}

	type cinfo struct {
		mass   float64
		entry  bool
		pin    int32
		tags   map[int32]bool
		first  int
		anchor int32
	}
	infos := map[int32]*cinfo{}
	for i := 0; i < n; i++ {
		if a, ok := anchorOf[dense[i]]; ok {
			x := infos[m[i]]
			if x == nil {
				x = &cinfo{pin: -1, first: math.MaxInt, anchor: -1}
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
			x = &cinfo{pin: -1, first: d, anchor: -1}
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
	cw := map[int32]map[int32]float64{}
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
	parent := map[int32]int32{}
	var find func(c int32) int32
	find = func(c int32) int32 {
		p, ok := parent[c]
		if !ok || p == c {
			return c
		}
		root := find(p)
		parent[c] = root
		return root
	}
	var total float64
	comms := make([]int32, 0, len(infos))
	for c := range infos {
		comms = append(comms, c)
	}
	sort.Slice(comms, func(i, j int) bool { return comms[i] < comms[j] })
	for _, c := range comms {
		total += infos[c].mass
	}
	compatible := func(a, b int32) bool {
		xa, xb := infos[a], infos[b]
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
	merge := func(c, into int32) {
		parent[c] = into
		xb, xc := infos[into], infos[c]
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
		for _, b := range sortedIDs(cw[c]) {
			if cw[into] == nil {
				cw[into] = map[int32]float64{}
			}
			cw[into][b] += cw[c][b]
		}
	}
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
	for i, pk := range u.pkgs {
		gr.labels[i] = dirLabel(relPath(u, pk.path))
	}
	r.mergeByDirectory(gr, m, keepU, find, merge, unconnected, compatible)
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
			for _, b := range sortedIDs(cw[c]) {
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
		shared := users >= wide && u.decls[g].kind == analysis.KindFunc
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
	for _, c := range sortedIDs(use) {
		x := use[c]
		sum += x
		if x > best || (x == best && c < top) {
			best, top = x, c
		}
	}
	return top, sum > 0 && best > 0.5*sum
}

// spreadKernel finds the declarations (and whole packages) that the
// contexts of the first pass share: used by at least KernelSpread of them
// with none holding most of the use, owning no entry point.
func (r *run) spreadKernel(gr *grouping, keep []bool) map[int]bool {
	u := r.u
	nd := len(u.decls)
	mass := make([]float64, gr.n)
	for d := 0; d < nd; d++ {
		if c := gr.ctx[d]; c >= 0 {
			mass[c] += r.declMass(d)
		}
	}
	// the contexts whose use counts: those serving entry points when
	// there are several (libraries used by libraries do not make a
	// kernel), else every context of some size
	sig := make([]bool, gr.n)
	k, withEntry := 0, 0
	for c := range sig {
		if gr.entry[c] {
			withEntry++
		}
	}
	for c := range sig {
		if (withEntry >= 2 && gr.entry[c]) || (withEntry < 2 && mass[c] >= 3) {
			sig[c] = true
			k++
		}
	}
	out := map[int]bool{}
	if k < 2 {
		return out
	}
	need := max(2, int(math.Ceil(r.cfg.KernelSpread*float64(k))))
	// use of each group (type with methods, or declaration) by context:
	// from other packages for a package's share, from anywhere for a
	// declaration's own
	use := make([]map[int32]float64, nd)
	useAll := make([]map[int32]float64, nd)
	for _, e := range r.s.sig {
		f, t := int(e.from), int(e.to)
		if f >= nd || t >= nd || !keep[f] || !keep[t] || e.kind == kindReceiver {
			continue
		}
		c := gr.ctx[f]
		if c < 0 || !sig[c] {
			continue
		}
		tt := u.group(t)
		if u.group(f) == tt {
			continue
		}
		if useAll[tt] == nil {
			useAll[tt] = map[int32]float64{}
		}
		useAll[tt][c] += e.w
		if u.decls[f].pkg == u.decls[t].pkg {
			continue
		}
		if use[tt] == nil {
			use[tt] = map[int32]float64{}
		}
		use[tt][c] += e.w
	}
	spreadOK := func(us map[int32]float64, top float64) bool {
		if len(us) < need {
			return false
		}
		var sum, best float64
		for _, c := range sortedIDs(us) {
			x := us[c]
			sum += x
			best = math.Max(best, x)
		}
		return sum > 0 && best/sum <= top+1e-9
	}
	for p, pk := range u.pkgs {
		if len(pk.entries) > 0 || r.pkgPin[p] >= 0 {
			continue
		}
		agg := map[int32]float64{}
		var purity, total float64
		for _, d := range pk.decls {
			if u.group(d) != d {
				continue
			}
			var sum, best float64
			for _, c := range sortedIDs(use[d]) {
				x := use[d][c]
				agg[c] += x
				sum += x
				best = math.Max(best, x)
			}
			purity += best
			total += sum
		}
		// a library most contexts use: shared alike, or lying outside
		// every context that serves entry points (a value type), or
		// technical (no domain word in common with the rest)
		wide := total > 0 && len(agg) >= need
		if wide && ((spreadOK(agg, 0.5) && purity/total < 0.6) || r.outsideEntries(p, gr, keep, sig) || r.technical(p, gr)) {
			for _, d := range pk.decls {
				if keep[d] && r.declPin[d] < 0 && !u.decls[d].entry {
					out[d] = true
				}
			}
			continue
		}
		for _, d := range pk.decls {
			if u.group(d) != d || r.declPin[d] >= 0 || u.decls[d].entry || !keep[d] {
				continue
			}
			if len(useAll[d]) >= 3 && spreadOK(useAll[d], 0.4) {
				out[d] = true
				for _, mth := range u.methods[d] {
					if r.declPin[mth] < 0 && !u.decls[mth].entry {
						out[mth] = true
					}
				}
			}
		}
	}
	return out
}

// outsideEntries reports whether package p is a library apart from the
// contexts of sig (those serving entry points): none of its kept
// declarations lies in one, or uses one.
func (r *run) outsideEntries(p int, gr *grouping, keep []bool, sig []bool) bool {
	u := r.u
	inSig := func(d int) bool { c := gr.ctx[d]; return c >= 0 && sig[c] }
	found := false
	for _, d := range u.pkgs[p].decls {
		if !keep[d] {
			continue
		}
		found = true
		if inSig(d) {
			return false
		}
		for _, ei := range r.s.adj[d] {
			e := r.s.sig[ei]
			if int(e.from) != d || int(e.to) >= len(u.decls) {
				continue
			}
			if t := int(e.to); keep[t] && u.decls[t].pkg != p && inSig(t) {
				return false
			}
		}
	}
	return found
}

// technical reports whether package p is technical: outside service
// directories, with a path that names a technical concern, and no domain
// word of its declarations' names shared with another package.
func (r *run) technical(p int, gr *grouping) bool {
	u := r.u
	l := gr.labels[p]
	if gr.service[l] || r.serviceName(l) || !infraLabel(relPath(u, u.pkgs[p].path)) {
		return false
	}
	return !r.sharesWords(p)
}

// sharesWords reports whether a declaration or file of package p has a
// vocabulary word that a unit of another package, or a shared resource,
// also has.
func (r *run) sharesWords(p int) bool {
	if r.sharing == nil {
		r.sharing = r.wordSharing()
	}
	return r.sharing[p]
}

// wordSharing marks the packages whose declarations' or files' words are
// also used by another package or a shared resource.
func (r *run) wordSharing() []bool {
	s := r.s
	filePkg := make([]int, len(s.files))
	for d, di := range r.u.decls {
		filePkg[s.fileOf[d]] = di.pkg
	}
	owner := func(n int) int {
		switch {
		case n < s.nd:
			return r.u.decls[n].pkg
		case n < s.fileBase:
			return -1 // a resource belongs to no package
		case n < s.pkgBase:
			return filePkg[n-s.fileBase]
		default:
			return n - s.pkgBase
		}
	}
	users := make([]map[int]bool, len(s.words))
	for _, e := range s.structure {
		if int(e.to) < s.wordBase || int(e.from) >= s.wordBase {
			continue
		}
		w := int(e.to) - s.wordBase
		if users[w] == nil {
			users[w] = map[int]bool{}
		}
		users[w][owner(int(e.from))] = true
	}
	out := make([]bool, len(r.u.pkgs))
	for _, e := range s.structure {
		n := int(e.from)
		if e.kind != kindVocabulary || int(e.to) < s.wordBase || (n >= s.nd && n < s.fileBase) || n >= s.pkgBase {
			continue
		}
		if len(users[int(e.to)-s.wordBase]) > 1 {
			out[owner(n)] = true
		}
	}
	return out
}

// place places every declaration and package from the contexts of the
// second pass.
func (r *run) place(gr *grouping, keep []bool, spread map[int]bool) *partition {
	u := r.u
	nd := len(u.decls)
	p := &partition{nctx: gr.n, ctx: make([]int32, nd), pkgCtx: make([]int32, len(u.pkgs)), reason: make([]string, nd), pkgReason: make([]string, len(u.pkgs))}
	for d := 0; d < nd; d++ {
		p.ctx[d] = kernelCtx
		switch {
		case keep[d]:
			p.ctx[d] = gr.ctx[d]
			if p.ctx[d] == kernelCtx {
				p.reason[d] = ReasonUnconnected
				if gr.shared[d] {
					p.reason[d] = ReasonSpread
				}
			}
		case spread[d]:
			p.reason[d] = ReasonSpread
		case r.forcedK[d] || r.forcedKP[u.decls[d].pkg]:
			p.reason[d] = ReasonConfigured
		}
	}
	// pins name their contexts
	pinCtx := make([]int32, len(r.pinNames))
	for i := range pinCtx {
		pinCtx[i] = -1
	}
	for d := 0; d < nd; d++ {
		if pin := r.declPin[d]; pin >= 0 && p.ctx[d] >= 0 {
			pinCtx[pin] = p.ctx[d]
		}
	}
	for i := range pinCtx {
		if pinCtx[i] < 0 {
			pinCtx[i] = int32(p.nctx)
			p.nctx++
		}
	}
	for d := 0; d < nd; d++ {
		if pin := r.declPin[d]; pin >= 0 {
			p.ctx[d] = pinCtx[pin]
			p.reason[d] = ReasonPinned
		}
	}
	r.typesAndMethods(p)
	r.lift(p, gr)
	r.compositionRoots(p, gr)
	r.settle(p)
	r.dropEmpty(p)
	return p
}

// dropEmpty renumbers the contexts without the empty ones.
func (r *run) dropEmpty(p *partition) {
	used := make([]bool, p.nctx)
	for _, c := range p.ctx {
		if c >= 0 {
			used[c] = true
		}
	}
	for _, c := range p.pkgCtx {
		if c >= 0 {
			used[c] = true
		}
	}
	id := make([]int32, p.nctx)
	n := int32(0)
	for c := range used {
		id[c] = n
		if used[c] {
			n++
		}
	}
	for d, c := range p.ctx {
		if c >= 0 {
			p.ctx[d] = id[c]
		}
	}
	for pi, c := range p.pkgCtx {
		if c >= 0 {
			p.pkgCtx[pi] = id[c]
		}
	}
	p.nctx = int(n)
}

// typesAndMethods keeps a type with its methods, unless its methods
// clearly serve the entry points of different contexts (a handler type
// whose methods are registered one by one): then the methods stay where
// they are and the type goes to the kernel. Methods that serve no entry
// point share their receiver's state (a repository's one database
// handle) and move with it.
func (r *run) typesAndMethods(p *partition) {
	u := r.u
	types := make([]int, 0, len(u.methods))
	for t := range u.methods {
		types = append(types, t)
	}
	sort.Ints(types)
	for _, t := range types {
		ms := u.methods[t]
		count := map[int32]int{}
		entries := 0
		for _, mth := range ms {
			if u.decls[mth].entry {
				entries++
				if p.ctx[mth] >= 0 {
					count[p.ctx[mth]]++
				}
			}
		}
		top, topN := int32(-1), 0
		for c, k := range count {
			if k > topN || (k == topN && c < top) {
				top, topN = c, k
			}
		}
		others := 0
		for _, k := range count {
			others += k
		}
		others -= topN
		if len(count) >= 2 && others >= 2 && float64(others) >= 0.3*float64(entries) {
			if r.declPin[t] < 0 && !r.forcedK[t] {
				p.ctx[t] = kernelCtx
				p.reason[t] = ReasonSharedType
			}
			continue
		}
		// vote by lines, the type included
		votes := map[int32]float64{}
		members := append([]int{t}, ms...)
		for _, d := range members {
			votes[p.ctx[d]] += float64(max(u.decls[d].lines, 1))
		}
		best, bestV := int32(kernelCtx), -1.0
		for c, x := range votes {
			if x > bestV || (x == bestV && c < best) {
				best, bestV = c, x
			}
		}
		for _, d := range members {
			if r.declPin[d] >= 0 || r.forcedK[d] || r.forcedKP[u.decls[d].pkg] || r.apartFrom(p, d, best) {
				continue
			}
			if p.ctx[d] != best {
				p.ctx[d] = best
				if best == kernelCtx {
					p.reason[d] = p.reason[t]
					if p.reason[d] == "" {
						p.reason[d] = ReasonSpread
					}
				} else {
					p.reason[d] = ""
				}
			}
		}
	}
}

// apartFrom reports whether context c holds a declaration that an apart
// pair keeps from declaration d.
func (r *run) apartFrom(p *partition, d int, c int32) bool {
	if len(r.tags[d]) == 0 || c < 0 {
		return false
	}
	for o, ts := range r.tags {
		if o == d || p.ctx[o] != c {
			continue
		}
		for _, t := range ts {
			if containsInt32(r.tags[d], t^1) {
				return true
			}
		}
	}
	return false
}

// lift places a package whole when one context holds at least Cohesive of
// its declarations, and splits it otherwise.
func (r *run) lift(p *partition, gr *grouping) {
	u := r.u
	for pi, pk := range u.pkgs {
		if r.forcedKP[pi] {
			p.pkgCtx[pi] = kernelCtx
			p.pkgReason[pi] = ReasonConfigured
			continue
		}
		if len(pk.decls) == 0 {
			c := gr.pkg[pi]
			if pin := r.pkgPin[pi]; pin >= 0 {
				c = r.pinContext(p, pin)
			}
			p.pkgCtx[pi] = c
			if c == kernelCtx {
				p.pkgReason[pi] = ReasonUnconnected
			}
			continue
		}
		if pk.main {
			continue // placed by compositionRoots
		}
		votes := map[int32]float64{}
		for _, d := range pk.decls {
			votes[p.ctx[d]] += voteWeight(u.decls[d])
		}
		var sum float64
		best, bestV := int32(kernelCtx), -1.0
		for _, c := range sortedIDs(votes) {
			x := votes[c]
			sum += x
			if x > bestV || (x == bestV && c < best) {
				best, bestV = c, x
			}
		}
		if bestV >= r.cfg.Cohesive*sum || gr.service[gr.labels[pi]] {
			for _, d := range pk.decls {
				if r.declPin[d] >= 0 || r.forcedK[d] || p.ctx[d] == best || r.apartFrom(p, d, best) {
					continue
				}
				p.ctx[d] = best
				if best == kernelCtx {
					p.reason[d] = ReasonSpread
				} else {
					p.reason[d] = ""
				}
			}
		}
		p.pkgCtx[pi] = r.wholeOrSplit(p, pi)
		if p.pkgCtx[pi] == kernelCtx {
			p.pkgReason[pi] = r.kernelReason(p, pi)
		}
	}
}

// voteWeight counts a declaration in a package's vote: methods not at all
// (they follow their type), variables and constants half.
func voteWeight(d declInfo) float64 {
	switch d.kind {
	case analysis.KindMethod:
		return 0.25
	case analysis.KindVar, analysis.KindConst:
		return 0.5
	}
	return 1
}

func (r *run) pinContext(p *partition, pin int32) int32 {
	for d := range r.declPin {
		if r.declPin[d] == pin {
			return p.ctx[d]
		}
	}
	return kernelCtx
}

// wholeOrSplit returns the context all of the package's declarations are
// in, or splitPkg.
func (r *run) wholeOrSplit(p *partition, pi int) int32 {
	ds := r.u.pkgs[pi].decls
	if len(ds) == 0 {
		return p.pkgCtx[pi]
	}
	c := p.ctx[ds[0]]
	for _, d := range ds[1:] {
		if p.ctx[d] != c {
			return splitPkg
		}
	}
	return c
}

// kernelReason is the most common reason among a kernel package's
// declarations.
func (r *run) kernelReason(p *partition, pi int) string {
	count := map[string]int{}
	for _, d := range r.u.pkgs[pi].decls {
		count[p.reason[d]]++
	}
	best, n := ReasonSpread, 0
	for _, k := range []string{ReasonConfigured, ReasonComposition, ReasonSpread, ReasonSharedType, ReasonUnconnected} {
		if count[k] > n {
			best, n = k, count[k]
		}
	}
	return best
}

// compositionRoots places main packages, and packages nothing else uses
// that wire several contexts together. A main package that talks mostly
// to one context, or sits beside it (cmd/orders and internal/orders), joins
// it; one that talks to no context is a deployable of its own and gets its
// own context; one that wires several goes to the kernel as a composition
// root.
func (r *run) compositionRoots(p *partition, gr *grouping) {
	u := r.u
	nd := len(u.decls)
	usedFrom := make([]bool, len(u.pkgs)) // used by a non-main package other than itself
	for _, e := range r.s.sig {
		f, t := int(e.from), int(e.to)
		if f >= nd || t >= nd || e.kind == kindReceiver {
			continue
		}
		fp, tp := u.decls[f].pkg, u.decls[t].pkg
		if fp != tp && !u.pkgs[fp].main {
			usedFrom[tp] = true
		}
	}
	// the service directories' last elements, per context
	tails := map[string]map[int32]float64{}
	for pi, pk := range u.pkgs {
		c := p.pkgCtx[pi]
		if c < 0 || pk.main {
			continue
		}
		l := gr.labels[pi]
		if l == "" {
			continue
		}
		t := tail(l)
		if tails[t] == nil {
			tails[t] = map[int32]float64{}
		}
		tails[t][c] += float64(len(pk.decls))
	}
	sameLabel := func(pi int, c int32) bool {
		for qi := range u.pkgs {
			if qi != pi && p.pkgCtx[qi] == c && gr.labels[qi] == gr.labels[pi] && gr.labels[pi] != "" {
				return true
			}
		}
		return false
	}
	for pi, pk := range u.pkgs {
		if len(pk.decls) == 0 || r.forcedKP[pi] {
			continue
		}
		if !pk.main && (usedFrom[pi] || len(pk.entries) > 0 || p.pkgCtx[pi] == splitPkg || (p.pkgCtx[pi] >= 0 && sameLabel(pi, p.pkgCtx[pi]))) {
			continue
		}
		aff := map[int32]float64{}
		var sum float64
		for _, d := range pk.decls {
			for _, ei := range r.s.adj[d] {
				e := r.s.sig[ei]
				o := int(e.to)
				if o == d {
					o = int(e.from)
				}
				if o >= nd || u.decls[o].pkg == pi {
					continue
				}
				if c := p.ctx[o]; c >= 0 {
					aff[c] += e.w
					sum += e.w
				}
			}
		}
		// beside a context: same directory label, or the same last element
		if l := gr.labels[pi]; pk.main && l != "" {
			bonus := map[int32]bool{}
			for qi := range u.pkgs {
				if qi != pi && gr.labels[qi] == l && p.pkgCtx[qi] >= 0 {
					bonus[p.pkgCtx[qi]] = true
				}
			}
			if len(bonus) == 0 {
				for c := range tails[tail(l)] {
					bonus[c] = true
				}
			}
			if len(bonus) == 1 {
				for c := range bonus {
					aff[c] += sum + 1
					sum += sum + 1
				}
			}
		}
		best, bestV := int32(kernelCtx), 0.0
		for c, x := range aff {
			if x > bestV || (x == bestV && c < best) {
				best, bestV = c, x
			}
		}
		var target int32
		reason := ""
		switch {
		case pk.main && (sum == 0 || r.flatService(pi, gr)):
			// a deployable of its own
			target = int32(p.nctx)
			p.nctx++
		case sum == 0:
			continue
		case bestV >= 0.6*sum:
			if !pk.main {
				continue
			}
			target = best
		case len(aff) >= 2 && (pk.main || len(aff) >= 3):
			target, reason = kernelCtx, ReasonComposition
		default:
			if !pk.main {
				continue
			}
			target = best
		}
		for _, d := range pk.decls {
			if r.declPin[d] >= 0 {
				continue
			}
			p.ctx[d] = target
			p.reason[d] = reason
		}
		p.pkgCtx[pi] = r.wholeOrSplit(p, pi)
		if p.pkgCtx[pi] == kernelCtx {
			p.pkgReason[pi] = ReasonComposition
		}
	}
}

// tail is the last element of a directory label.
func tail(l string) string {
	if i := strings.LastIndexByte(l, '/'); i >= 0 {
		return l[i+1:]
	}
	return l
}

// solveN looks for n contexts: it tries resolutions around the
// configured one, keeps the partition with the fewest contexts at or above
// n (the closest resolution on ties), merges the most tightly coupled
// contexts down to n, and splits the largest ones when no resolution gave
// enough.
func (r *run) solveN(n int) *partition {
	base := r.cfg.Resolution
	var best, most *partition
	for _, f := range []float64{1, 0.8, 1.25, 0.6, 1.6, 0.4, 2, 2.5, 0.25, 3, 4, 0.1, 6, 8} {
		p := r.solve(base * f)
		if most == nil || p.nctx > most.nctx {
			most = p
		}
		if p.nctx >= n && (best == nil || p.nctx < best.nctx) {
			best = p
		}
		if p.nctx == n {
			break
		}
	}
	if best == nil {
		best = most
		for best.nctx < n {
			if !r.splitLargest(best) {
				r.warnings = append(r.warnings, fmt.Sprintf("asked for %d contexts, found at most %d", n, best.nctx))
				return best
			}
		}
	}
	for best.nctx > n {
		if !r.mergeClosest(best) {
			r.warnings = append(r.warnings, fmt.Sprintf("asked for %d contexts, pins and apart pairs leave %d", n, best.nctx))
			break
		}
	}
	return best
}

// splitLargest splits the context with the most declarations in two, by
// the communities of its own signals at rising resolutions. It reports
// whether it split.
func (r *run) splitLargest(p *partition) bool {
	u := r.u
	nd := len(u.decls)
	size := make([]int, p.nctx)
	for _, c := range p.ctx {
		if c >= 0 {
			size[c]++
		}
	}
	order := make([]int, p.nctx)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return size[order[i]] > size[order[j]] })
	for _, c := range order {
		if size[c] < 2 {
			return false
		}
		keep := make([]bool, nd)
		for d := 0; d < nd; d++ {
			keep[d] = p.ctx[d] == int32(c) && r.declPin[d] < 0
		}
		g := r.s.graph(keep)
		for _, gamma := range []float64{1, 2, 4, 8, 16, 64} {
			m := louvain(g, gamma, nil, r.cfg.Seed)
			mass := map[int32]int{}
			for d := 0; d < nd; d++ {
				if keep[d] {
					mass[m[d]]++
				}
			}
			if len(mass) < 2 {
				continue
			}
			top, topN := int32(-1), -1
			for x, k := range mass {
				if k > topN || (k == topN && x < top) {
					top, topN = x, k
				}
			}
			nc := int32(p.nctx)
			p.nctx++
			for d := 0; d < nd; d++ {
				if keep[d] && m[d] != top {
					p.ctx[d] = nc
				}
			}
			for pi := range u.pkgs {
				if p.pkgCtx[pi] == int32(c) || p.pkgCtx[pi] == splitPkg {
					p.pkgCtx[pi] = r.wholeOrSplit(p, pi)
				}
			}
			return true
		}
	}
	return false
}

// mergeClosest merges the two contexts with the densest coupling that no
// pin or apart pair keeps apart. It reports whether it merged.
func (r *run) mergeClosest(p *partition) bool {
	u := r.u
	nd := len(u.decls)
	size := make([]float64, p.nctx)
	pinOf := make([]int32, p.nctx)
	for i := range pinOf {
		pinOf[i] = -1
	}
	tags := make([]map[int32]bool, p.nctx)
	for d := 0; d < nd; d++ {
		c := p.ctx[d]
		if c < 0 {
			continue
		}
		size[c]++
		if r.declPin[d] >= 0 {
			pinOf[c] = r.declPin[d]
		}
		for _, t := range r.tags[d] {
			if tags[c] == nil {
				tags[c] = map[int32]bool{}
			}
			tags[c][t] = true
		}
	}
	w := map[[2]int32]float64{}
	for _, e := range r.s.sig {
		f, t := int(e.from), int(e.to)
		if f >= nd || t >= nd {
			continue
		}
		a, b := p.ctx[f], p.ctx[t]
		if a < 0 || b < 0 || a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		w[[2]int32{a, b}] += e.w
	}
	ok := func(a, b int32) bool {
		if pinOf[a] >= 0 && pinOf[b] >= 0 {
			return false
		}
		for t := range tags[a] {
			if tags[b][t^1] {
				return false
			}
		}
		return true
	}
	best, bestV := [2]int32{-1, -1}, -1.0
	for a := int32(0); a < int32(p.nctx); a++ {
		for b := a + 1; b < int32(p.nctx); b++ {
			if !ok(a, b) {
				continue
			}
			v := w[[2]int32{a, b}] / math.Max(1, size[a]*size[b])
			if v > bestV+1e-15 {
				best, bestV = [2]int32{a, b}, v
			}
		}
	}
	if best[0] < 0 {
		return false
	}
	a, b := best[0], best[1]
	for d := 0; d < nd; d++ {
		switch c := p.ctx[d]; {
		case c == b:
			p.ctx[d] = a
		case c > b:
			p.ctx[d] = c - 1
		}
	}
	for pi, c := range p.pkgCtx {
		switch {
		case c == b:
			p.pkgCtx[pi] = a
		case c > b:
			p.pkgCtx[pi] = c - 1
		}
	}
	p.nctx--
	for pi := range u.pkgs {
		if p.pkgCtx[pi] == splitPkg {
			p.pkgCtx[pi] = r.wholeOrSplit(p, pi)
		}
	}
	return true
}

// containers are directory names that hold services rather than being
// one: a package path's service directory is the first element below the
// root, or the first two when the first is one of these.
var containers = setOf("internal", "pkg", "cmd", "app", "apps", "src", "services", "modules", "components",
	"domains", "domain", "packages", "service", "microservices", "svc", "contexts", "bounded")

// dirLabel is the service directory of a package path relative to the
// root ("" for the root itself).
func dirLabel(rel string) string {
	if rel == "" {
		return ""
	}
	parts := strings.Split(rel, "/")
	if len(parts) > 1 && containers[parts[0]] {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// DirectoryShare is the share of a community's declarations that must lie
// in one service directory for the community to count as part of it.
const DirectoryShare = 0.6

// mergeByDirectory merges the communities that lie within one service
// directory: the communities of a modular monolith's services are often
// finer than the services (one per use case). A directory whose
// declarations mostly sit in communities that cross directories is a layer
// (handlers/, services/, models/), not a service, and merges nothing.
func (r *run) mergeByDirectory(gr *grouping, m []int32, keep []bool, find func(int32) int32, merge func(c, into int32), unconnected map[int32]bool, compatible func(a, b int32) bool) {
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
	for i, pk := range u.pkgs {
		labels[i] = dirLabel(relPath(u, pk.path))
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
		for _, l := range sortedKeys(lm) {
			if lm[l] > best {
				top, best = l, lm[l]
			}
		}
		if !split && !hasTags && top != "" && best >= ServiceShare*sum && r.serviceName(top) {
			// a whole other service directory that only joined this one
			// keeps a context of its own
			own := map[string]int32{}
			for _, l := range sortedKeys(lm) {
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
		for _, l := range sortedKeys(lm) {
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

// sortedIDs are m's keys in increasing order: sums of floats taken in map
// order differ in their last bits from run to run, and a threshold or a tie
// can turn on those bits.
func sortedIDs[K ~int32 | ~int, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
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
