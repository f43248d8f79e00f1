package cluster

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"decompose/analysis/model"
)

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
	r.ownership(p)
	r.holdServiceFolders(p)
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
		for _, c := range slices.Sorted(maps.Keys(votes)) {
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
	case model.KindMethod:
		return 0.25
	case model.KindVar, model.KindConst:
		return 0.5
	}
	return 1
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
	for _, k := range []string{ReasonConfigured, ReasonComposition, ReasonSpread, ReasonSharedType, ReasonLibrary, ReasonUnconnected} {
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

// tail is the last element of a home label.
func tail(l string) string {
	l = strings.TrimPrefix(l, "~")
	if i := strings.LastIndexByte(l, '/'); i >= 0 {
		return l[i+1:]
	}
	return l
}
