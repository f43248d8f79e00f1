package cluster

import "sort"

// settle revisits the declarations of split packages once every package
// is placed:
//   - a context that holds no whole package and whose declarations are
//     tied to the kernel more than twice as much as to one another, and
//     more than to any other context, is glue (a health endpoint, a
//     logging middleware, the constructor that wires every service): it
//     joins the kernel;
//   - a declaration that a kernel declaration uses and that uses no
//     context joins the kernel: the kernel is a library every service
//     vendors, it cannot depend on one of them;
//   - a declaration that its own signals pull to another context more
//     than to its own moves there (community detection may leave a
//     loosely tied declaration beside a small community rather than a
//     large one it is more tied to).
//
// Packages that end up in one context, or in the kernel, are placed whole.
func (r *run) settle(p *partition) {
	split := make([]bool, len(r.u.pkgs))
	found := false
	for pi, c := range p.pkgCtx {
		if c == splitPkg {
			split[pi] = true
			found = true
		}
	}
	if !found {
		return
	}
	r.dissolveGlue(p)
	r.kernelClosure(p, split)
	r.refine(p, split)
	for pi := range r.u.pkgs {
		if !split[pi] {
			continue
		}
		p.pkgCtx[pi] = r.wholeOrSplit(p, pi)
		if p.pkgCtx[pi] == kernelCtx {
			p.pkgReason[pi] = r.kernelReason(p, pi)
		}
	}
}

// movable reports whether settling may move declaration d: it is not
// pinned, kept apart or configured into the kernel.
func (r *run) movable(d int) bool {
	di := r.u.decls[d]
	return r.declPin[d] < 0 && len(r.tags[d]) == 0 && !r.forcedK[d] && !r.forcedKP[di.pkg]
}

// dissolveGlue moves to the kernel the contexts made only of declarations
// of split packages that are tied to the kernel more than twice as much
// as to one another, and more than to any single other context.
func (r *run) dissolveGlue(p *partition) {
	u := r.u
	nd := len(u.decls)
	if p.nctx < 2 {
		return
	}
	keepCtx := make([]bool, p.nctx) // holds a whole package or a pin
	for _, c := range p.pkgCtx {
		if c >= 0 {
			keepCtx[c] = true
		}
	}
	for d, c := range p.ctx {
		if c >= 0 && !r.movable(d) {
			keepCtx[c] = true
		}
	}
	internal := make([]float64, p.nctx)
	kernel := make([]float64, p.nctx)
	other := make([]map[int32]float64, p.nctx)
	for _, e := range r.s.sig {
		f, t := int(e.from), int(e.to)
		if f >= nd || t >= nd || e.kind == kindReceiver {
			continue
		}
		a, b := p.ctx[f], p.ctx[t]
		switch {
		case a >= 0 && a == b:
			internal[a] += e.w
		case a >= 0 && b < 0:
			kernel[a] += e.w
		case a < 0 && b >= 0:
			kernel[b] += e.w
		case a >= 0 && b >= 0:
			for _, x := range [][2]int32{{a, b}, {b, a}} {
				if other[x[0]] == nil {
					other[x[0]] = map[int32]float64{}
				}
				other[x[0]][x[1]] += e.w
			}
		}
	}
	glue := make([]bool, p.nctx)
	for c := range glue {
		if keepCtx[c] || kernel[c] == 0 {
			continue
		}
		var best float64
		for _, x := range other[c] {
			best = max(best, x)
		}
		glue[c] = kernel[c] > 2*internal[c] && kernel[c] > best
	}
	for d, c := range p.ctx {
		if c < 0 || !glue[c] {
			continue
		}
		p.ctx[d] = kernelCtx
		p.reason[d] = r.glueReason(p, d, c)
	}
}

// glueReason says why a declaration of a glue context c is shared: it
// ties several other contexts together, or none.
func (r *run) glueReason(p *partition, d int, c int32) string {
	nd := len(r.u.decls)
	ctxs := map[int32]bool{}
	for _, ei := range r.s.adj[d] {
		e := r.s.sig[ei]
		o := int(e.to)
		if o == d {
			o = int(e.from)
		}
		if o < nd && p.ctx[o] >= 0 && p.ctx[o] != c {
			ctxs[p.ctx[o]] = true
		}
	}
	switch {
	case len(ctxs) >= 2:
		return ReasonComposition
	case len(ctxs) == 0:
		return ReasonUnconnected
	}
	return ReasonSpread
}

// unitOf returns the declarations that move together with d: a type and
// its methods in the same context, or d alone. ok is false when d moves
// with its type.
func (r *run) unitOf(p *partition, d int) (members []int, ok bool) {
	u := r.u
	if t := u.decls[d].typ; t >= 0 {
		if p.ctx[t] == p.ctx[d] {
			return nil, false
		}
		return []int{d}, true
	}
	members = []int{d}
	for _, m := range u.methods[d] {
		if p.ctx[m] == p.ctx[d] && r.movable(m) {
			members = append(members, m)
		}
	}
	return members, true
}

// kernelClosure moves to the kernel the declarations of split packages
// that a kernel declaration (other than a composition root) uses and that
// use no declaration in a context.
func (r *run) kernelClosure(p *partition, split []bool) {
	u := r.u
	nd := len(u.decls)
	for changed := true; changed; {
		changed = false
		for d, di := range u.decls {
			if !split[di.pkg] || p.ctx[d] < 0 || !r.movable(d) {
				continue
			}
			members, ok := r.unitOf(p, d)
			if !ok {
				continue
			}
			in := map[int]bool{}
			for _, m := range members {
				in[m] = true
			}
			usedByKernel, usesContext := false, false
			for _, m := range members {
				for _, ei := range r.s.adj[m] {
					e := r.s.sig[ei]
					f, t := int(e.from), int(e.to)
					if f >= nd || t >= nd || e.kind == kindReceiver {
						continue
					}
					switch {
					case t == m && !in[f] && p.ctx[f] == kernelCtx && !u.pkgs[u.decls[f].pkg].main && p.reason[f] != ReasonComposition:
						usedByKernel = true
					case f == m && !in[t] && p.ctx[t] >= 0:
						usesContext = true
					}
				}
			}
			if !usedByKernel || usesContext {
				continue
			}
			for _, m := range members {
				p.ctx[m] = kernelCtx
				p.reason[m] = ReasonSpread
			}
			changed = true
		}
	}
}

// refine moves each declaration of a split package (a type with its
// methods, or a method placed apart from its type) that nothing but its
// file, shared words or co-change holds in its context (no call,
// reference or type in either direction) to the context its signals pull
// it to most. A few rounds at most.
func (r *run) refine(p *partition, split []bool) {
	u := r.u
	ex := r.newExplainer(p, func(int32) string { return "" })
	for round := 0; round < 3; round++ {
		changed := false
		for d, di := range u.decls {
			if !split[di.pkg] || p.ctx[d] < 0 || !r.movable(d) {
				continue
			}
			members, ok := r.unitOf(p, d)
			if !ok {
				continue
			}
			cur := p.ctx[d]
			if ex.unitAffinity(members, false).score[cur] > 0 {
				continue // held by its own calls, references or types
			}
			a := ex.unitAffinity(members, true)
			best, bestV := cur, a.score[cur]
			cs := make([]int32, 0, len(a.score))
			for c := range a.score {
				cs = append(cs, c)
			}
			sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
			for _, c := range cs {
				if v := a.score[c]; v > bestV+1e-9 {
					best, bestV = c, v
				}
			}
			if best == cur {
				continue
			}
			for _, m := range members {
				p.ctx[m] = best
				p.reason[m] = ""
			}
			changed = true
		}
		if !changed {
			return
		}
	}
}

// unitAffinity is the affinity of a set of declarations of one package to
// every context: their signals to declarations outside the set and, when
// loose is set, their words, the other declarations of their files and
// the files changed with theirs.
func (ex *explainer) unitAffinity(members []int, loose bool) *affinity {
	s := ex.r.s
	u := ex.r.u
	a := &affinity{score: map[int32]float64{}, ev: map[int32][]Evidence{}}
	set := map[int]bool{}
	for _, m := range members {
		set[m] = true
	}
	ex.signalsOf(a, set, members)
	for _, m := range members {
		if !loose {
			continue
		}
		ex.wordsOf(a, int32(m))
		f := s.fileOf[m]
		n := ex.fileSize[f]
		ex.coChangeOf(a, f, 1/float64(n), -1)
		if n <= 1 {
			continue
		}
		count := map[int32]float64{}
		for _, o := range u.pkgs[u.decls[m].pkg].decls {
			if o != m && s.fileOf[o] == f {
				count[ex.p.ctx[o]]++
			}
		}
		for x, k := range count {
			a.add(x, Evidence{Kind: kindFile, Weight: ex.r.cfg.Weights.File * k / float64(n-1)})
		}
	}
	return a
}
