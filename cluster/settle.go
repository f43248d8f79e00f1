package cluster

import (
	"math"
	"sort"

	"decompose/analysis/model"
)

// settle applies the settling rules (doc.go, Settling) in their order, then places
// whole each split package that ends up in one context or in the kernel.
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
	r.mergeJobs(p)
	r.dissolveGlue(p)
	r.scatterOrphans(p)
	r.shareFunctions(p, split)
	r.kernelClosure(p, split)
	r.typesToUsers(p, split)
	r.followUsers(p, split)
	r.detachGlue(p, split)
	r.refine(p, split)
	r.constantsWithTypes(p, split)
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

// dissolveGlue moves to the kernel each context of split declarations tied mostly to the kernel.
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
			addTie(other, a, b, e.w)
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

// kernelClosure moves to the kernel each split unit that kernel code uses and that uses no context.
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
			usedByKernel, usesContext, kernelActs := false, false, false
			users := map[int32]bool{}
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
						kernelActs = kernelActs || behaviour(e, u.decls[t])
					case t == m && !in[f] && p.ctx[f] >= 0:
						users[p.ctx[f]] = true
					case f == m && !in[t] && p.ctx[t] >= 0:
						usesContext = true
					}
				}
			}
			if !usedByKernel || usesContext {
				continue
			}
			if x, ok := only(users); ok && (di.kind == model.KindVar || di.kind == model.KindConst) && !kernelActs && r.fileAllows(p, d, in, kernelCtx, x) {
				// a value one context uses and declares among its own
				// code, that the kernel only reads (an error sentinel a
				// status mapper compares with), is that context's
				// published language
				if x != p.ctx[d] {
					for _, m := range members {
						p.ctx[m] = x
						p.reason[m] = ""
					}
					changed = true
				}
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

// refine moves each unit that only its file, words or co-change hold to the context pulling it most.
func (r *run) refine(p *partition, split []bool) {
	ex := r.newExplainer(p, func(int32) string { return "" })
	r.moveUnits(p, split, 3, func(d int, members []int) int32 {
		cur := p.ctx[d]
		if ex.unitAffinity(members, false).score[cur] > 0 {
			return cur // held by its own calls, references or types
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
		return best
	})
}

// moveUnits offers every movable unit of a split package (a declaration
// with its methods, or a method placed apart from its type) to where
// returns for it, and moves the unit there when that differs from its
// context: a round at a time, until a round moves nothing or after
// rounds rounds, so that what only a moved unit used can follow it.
func (r *run) moveUnits(p *partition, split []bool, rounds int, where func(d int, members []int) int32) {
	for round := 0; round < rounds; round++ {
		changed := false
		for d, di := range r.u.decls {
			if !split[di.pkg] || p.ctx[d] < 0 || !r.movable(d) {
				continue
			}
			members, ok := r.unitOf(p, d)
			if !ok {
				continue
			}
			to := where(d, members)
			if to < 0 || to == p.ctx[d] {
				continue
			}
			for _, m := range members {
				p.ctx[m] = to
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

// ctxFacts describes each context for the settling rules that merge or
// dissolve contexts.
type ctxFacts struct {
	// free: the context holds no whole package and nothing pinned, kept
	// apart or configured, so that settling may dissolve it
	free []bool
	// mass is the weight of its declarations (generated code less)
	mass []float64
	// kinds are the kinds of the entry points its declarations handle
	kinds []map[model.EntryKind]bool
	// own: one of its entry declarations is tied (by a call, reference,
	// type or variable) to another of its declarations outside the entry's
	// own type: its entry points reach its code
	own []bool
}

func (r *run) ctxFacts(p *partition) *ctxFacts {
	u := r.u
	nd := len(u.decls)
	f := &ctxFacts{free: make([]bool, p.nctx), mass: make([]float64, p.nctx), kinds: make([]map[model.EntryKind]bool, p.nctx), own: make([]bool, p.nctx)}
	for c := range f.free {
		f.free[c] = true
	}
	for _, c := range p.pkgCtx {
		if c >= 0 {
			f.free[c] = false
		}
	}
	for d, c := range p.ctx {
		if c < 0 {
			continue
		}
		f.mass[c] += r.declMass(d)
		if !r.movable(d) {
			f.free[c] = false
		}
	}
	for _, e := range u.entries {
		d, ok := u.declIdx[e.Decl]
		if !ok || p.ctx[d] < 0 {
			continue
		}
		c := p.ctx[d]
		if f.kinds[c] == nil {
			f.kinds[c] = map[model.EntryKind]bool{}
		}
		f.kinds[c][e.Kind] = true
		g := u.group(d)
		for _, m := range append([]int{g}, u.methods[g]...) {
			for _, ei := range r.s.adj[m] {
				se := r.s.sig[ei]
				o := int(se.to)
				if o == m {
					o = int(se.from)
				}
				if o < nd && se.kind != kindReceiver && p.ctx[o] == c && u.group(o) != g {
					f.own[c] = true
				}
			}
		}
	}
	return f
}

// mergeJobs merges each context of background jobs that owns no data into the context it is most tied to.
func (r *run) mergeJobs(p *partition) {
	u := r.u
	nd := len(u.decls)
	f := r.ctxFacts(p)
	writers := map[string]map[int32]bool{}
	for _, t := range u.m.Tables {
		d, ok := u.declIdx[t.Decl]
		if !ok || !t.Write || p.ctx[d] < 0 {
			continue
		}
		if writers[t.Table] == nil {
			writers[t.Table] = map[int32]bool{}
		}
		writers[t.Table][p.ctx[d]] = true
	}
	ownsData := make([]bool, p.nctx)
	for _, ws := range writers {
		if len(ws) == 1 {
			for c := range ws {
				ownsData[c] = true
			}
		}
	}
	ties := make([]map[int32]float64, p.nctx)
	for _, e := range r.s.sig {
		a, b := int(e.from), int(e.to)
		if a >= nd || b >= nd || e.kind == kindReceiver {
			continue
		}
		ca, cb := p.ctx[a], p.ctx[b]
		if ca < 0 || cb < 0 || ca == cb {
			continue
		}
		addTie(ties, ca, cb, e.w)
	}
	into := make([]int32, p.nctx)
	for c := range into {
		into[c] = int32(c)
		ks := f.kinds[c]
		if !f.free[c] || ownsData[c] || len(ks) != 1 || !ks[model.EntryBackground] {
			continue
		}
		best, bestW := int32(-1), 0.0
		for _, o := range sortedCtx(ties[c]) {
			if ties[c][o] > bestW {
				best, bestW = o, ties[c][o]
			}
		}
		if best >= 0 {
			into[c] = best
		}
	}
	// follow chains (a job merging into another job's context)
	for c := range into {
		seen := map[int32]bool{}
		x := int32(c)
		for into[x] != x && !seen[x] {
			seen[x] = true
			x = into[x]
		}
		into[c] = x
	}
	for d, c := range p.ctx {
		if c >= 0 && into[c] != c {
			p.ctx[d] = into[c]
			p.reason[d] = ""
		}
	}
}

// scatterOrphans dissolves each small context that serves no entry point of its own.
func (r *run) scatterOrphans(p *partition) {
	u := r.u
	f := r.ctxFacts(p)
	var sum float64
	n := 0
	for c := range f.own {
		if f.own[c] {
			sum += f.mass[c]
			n++
		}
	}
	if n == 0 {
		return
	}
	orphan := make([]bool, p.nctx)
	found := false
	for c := range orphan {
		orphan[c] = f.free[c] && !f.own[c] && f.mass[c] > 0 && f.mass[c] < 0.5*sum/float64(n)
		found = found || orphan[c]
	}
	if !found {
		return
	}
	ex := r.newExplainer(p, func(int32) string { return "" })
	pending := map[int]bool{} // unit heads (types, or declarations) still to place
	for d, c := range p.ctx {
		if c >= 0 && orphan[c] {
			if _, ok := r.unitOf(p, d); ok {
				pending[d] = true
			}
		}
	}
	pick := func(a *affinity) int32 {
		best, bestV := int32(kernelCtx), 0.0
		for _, c := range sortedCtx(a.score) {
			if v := a.score[c]; !orphan[c] && v > bestV+1e-9 {
				best, bestV = c, v
			}
		}
		return best
	}
	// in passes, until nothing moves: the units tied to a context move
	// to it, and the units tied only to them follow in the next pass
	type move struct{ d, c int }
	for _, loose := range []bool{false, true} {
		for len(pending) > 0 {
			heads := make([]int, 0, len(pending))
			for d := range pending {
				heads = append(heads, d)
			}
			sort.Ints(heads)
			var moves []move
			for _, d := range heads {
				members, _ := r.unitOf(p, d)
				if loose && servesEntry(u, members) {
					continue // an endpoint only words tie to a context is infrastructure
				}
				if c := pick(ex.unitAffinity(members, loose)); c >= 0 {
					moves = append(moves, move{d, int(c)})
				}
			}
			if len(moves) == 0 {
				break
			}
			for _, mv := range moves {
				members, _ := r.unitOf(p, mv.d)
				for _, m := range members {
					p.ctx[m] = int32(mv.c)
					p.reason[m] = ""
				}
				delete(pending, mv.d)
			}
		}
	}
	for d := range pending {
		members, _ := r.unitOf(p, d)
		for _, m := range members {
			p.ctx[m] = kernelCtx
			p.reason[m] = ReasonUnconnected
		}
	}
}

// servingGroups marks the types (and functions) that handle an entry
// point, by themselves or through one of their methods.
func servingGroups(u *universe) map[int]bool {
	out := map[int]bool{}
	for d, di := range u.decls {
		if di.entry {
			out[u.group(d)] = true
		}
	}
	return out
}

// servesEntry reports whether one of the declarations handles an entry
// point.
func servesEntry(u *universe, ds []int) bool {
	for _, d := range ds {
		if u.decls[d].entry {
			return true
		}
	}
	return false
}

// followUsers moves each helper that only data holds in its context to the one other context using it.
func (r *run) followUsers(p *partition, split []bool) {
	u := r.u
	nd := len(u.decls)
	r.moveUnits(p, split, 4, func(d int, members []int) int32 {
		cur := p.ctx[d]
		in := map[int]bool{}
		for _, m := range members {
			in[m] = true
		}
		target := int32(-1)
		for _, m := range members {
			for _, ei := range r.s.adj[m] {
				e := r.s.sig[ei]
				f, t := int(e.from), int(e.to)
				if f >= nd || t >= nd || e.kind == kindReceiver {
					continue
				}
				switch {
				case t == m && !in[f]:
					c := p.ctx[f]
					if u.pkgs[u.decls[f].pkg].main {
						continue
					}
					if c < 0 || c == cur || (target >= 0 && c != target) {
						return -1
					}
					target = c
				case f == m && !in[t] && p.ctx[t] == cur && behaviour(e, u.decls[t]):
					return -1
				}
			}
		}
		if target < 0 || target == cur || !r.fileAllows(p, d, in, cur, target) {
			return -1
		}
		return target
	})
}

// fileAllows reports whether the file of declaration d does not hold it
// in context cur: the other declarations of its file (outside the unit)
// lie in target at least as often as in cur.
func (r *run) fileAllows(p *partition, d int, unit map[int]bool, cur, target int32) bool {
	f := r.s.fileOf[d]
	n := 0
	for _, o := range r.u.pkgs[r.u.decls[d].pkg].decls {
		if unit[o] || r.s.fileOf[o] != f {
			continue
		}
		switch p.ctx[o] {
		case cur:
			n--
		case target:
			n++
		}
	}
	return n >= 0
}

// behaviour reports whether edge e (to declaration t) uses behaviour
// rather than data: a call, or a reference to a function, or a write.
func behaviour(e sigEdge, t declInfo) bool {
	switch e.kind {
	case string(model.EdgeCall), string(model.EdgeDynamicCall), string(model.EdgeWrite):
		return true
	case string(model.EdgeRef):
		return t.kind == model.KindFunc || t.kind == model.KindMethod
	}
	return false
}

// typesToUsers places each data type of a split package with the context that uses it most, or in the kernel.
func (r *run) typesToUsers(p *partition, split []bool) {
	u := r.u
	nd := len(u.decls)
	servingCtx, wide := r.spreadWidth(p)
	serving := servingGroups(u)
	for t, di := range u.decls {
		if di.kind != model.KindType || !split[di.pkg] || p.ctx[t] < 0 || !r.movable(t) || serving[t] {
			continue
		}
		members, ok := r.unitOf(p, t)
		if !ok {
			continue
		}
		in := map[int]bool{}
		for _, m := range members {
			in[m] = true
		}
		cur := p.ctx[t]
		use := map[int32]float64{} // by the code of each context
		var held float64           // ties to its own context, either way
		owned, usesContext := false, false
		for _, m := range members {
			for _, ei := range r.s.adj[m] {
				e := r.s.sig[ei]
				f, o := int(e.from), int(e.to)
				if f >= nd || o >= nd || e.kind == kindReceiver || in[f] && in[o] {
					continue
				}
				if o != m { // its own use of o
					usesContext = usesContext || p.ctx[o] >= 0
					if p.ctx[o] == cur {
						held += e.w
					}
					continue
				}
				if c := p.ctx[f]; c >= 0 {
					use[c] += e.w
					owned = owned || (c == cur && serving[u.group(f)])
				}
			}
		}
		if owned {
			continue
		}
		held += use[cur]
		best, bestV := cur, held
		var sum, top float64
		users := 0
		for _, c := range sortedCtx(use) {
			sum += use[c]
			top = max(top, use[c])
			if servingCtx[c] {
				users++
			}
			if c != cur && use[c] > bestV+1e-9 {
				best, bestV = c, use[c]
			}
		}
		if users >= wide && top <= 0.5*sum && !usesContext {
			// shared alike by most contexts, and a library: the kernel's
			best = kernelCtx
		}
		if best == cur {
			continue
		}
		for _, m := range members {
			p.ctx[m] = best
			p.reason[m] = ""
			if best == kernelCtx {
				p.reason[m] = ReasonSpread
			}
		}
	}
}

func sortedCtx(m map[int32]float64) []int32 {
	cs := make([]int32, 0, len(m))
	for c := range m {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	return cs
}

// detachGlue moves to the kernel the groups of split declarations tied to the kernel and no context.
func (r *run) detachGlue(p *partition, split []bool) {
	u := r.u
	nd := len(u.decls)
	in := make([]bool, nd)
	for d, di := range u.decls {
		in[d] = split[di.pkg] && p.ctx[d] >= 0 && r.movable(d)
	}
	serving := servingGroups(u)
	for d := range in {
		in[d] = in[d] && !serving[u.group(d)]
	}
	// drop what a context holds, until nothing changes
	for changed := true; changed; {
		changed = false
		for _, e := range r.s.sig {
			a, b := int(e.from), int(e.to)
			if a >= nd || b >= nd || e.kind == kindReceiver {
				continue
			}
			for _, x := range [][2]int{{a, b}, {b, a}} {
				if in[x[0]] && !in[x[1]] && p.ctx[x[1]] >= 0 {
					in[x[0]] = false
					changed = true
				}
			}
		}
		// a type and its methods go together
		for t, ms := range u.methods {
			all := in[t]
			for _, m := range ms {
				all = all && (in[m] || p.ctx[m] < 0)
			}
			if !all && in[t] {
				changed = true
			}
			if !all {
				in[t] = false
				for _, m := range ms {
					if in[m] {
						in[m] = false
						changed = true
					}
				}
			}
		}
	}
	// the groups that the kernel ties to
	groups := unionFind[int]{}
	kernelTie := map[int]bool{}
	for _, e := range r.s.sig {
		a, b := int(e.from), int(e.to)
		if a >= nd || b >= nd {
			continue
		}
		if in[a] && in[b] {
			groups.union(a, b)
		}
	}
	for _, e := range r.s.sig {
		a, b := int(e.from), int(e.to)
		if a >= nd || b >= nd || e.kind == kindReceiver {
			continue
		}
		if in[a] && !in[b] && p.ctx[b] == kernelCtx {
			kernelTie[groups.find(a)] = true
		}
		if in[b] && !in[a] && p.ctx[a] == kernelCtx {
			kernelTie[groups.find(b)] = true
		}
	}
	for d := range in {
		if in[d] && kernelTie[groups.find(d)] {
			p.ctx[d] = kernelCtx
			p.reason[d] = ReasonUnconnected
		}
	}
}

// shareFunctions moves to the kernel the functions of split packages that many serving contexts use.
func (r *run) shareFunctions(p *partition, split []bool) {
	u := r.u
	nd := len(u.decls)
	serving, wide := r.spreadWidth(p)
	users := map[int]map[int32]bool{}
	for _, e := range r.s.sig {
		f, t := int(e.from), int(e.to)
		if f >= nd || t >= nd || e.kind == kindReceiver {
			continue
		}
		c := p.ctx[f]
		if c < 0 || !serving[c] || u.decls[t].kind != model.KindFunc {
			continue
		}
		if users[t] == nil {
			users[t] = map[int32]bool{}
		}
		users[t][c] = true
	}
	for d, di := range u.decls {
		if di.kind != model.KindFunc || !split[di.pkg] || p.ctx[d] < 0 || !r.movable(d) || di.entry || len(users[d]) < wide {
			continue
		}
		p.ctx[d] = kernelCtx
		p.reason[d] = ReasonSpread
	}
}

// only returns the one context of a set, if it has exactly one.
func only(set map[int32]bool) (int32, bool) {
	if len(set) != 1 {
		return kernelCtx, false
	}
	for c := range set {
		return c, true
	}
	return kernelCtx, false
}

// constantsWithTypes places each typed constant of a split package with its type.
func (r *run) constantsWithTypes(p *partition, split []bool) {
	u := r.u
	nd := len(u.decls)
	for d, di := range u.decls {
		if di.kind != model.KindConst || !split[di.pkg] || !r.movable(d) {
			continue
		}
		for _, ei := range r.s.adj[d] {
			e := r.s.sig[ei]
			t := int(e.to)
			if int(e.from) != d || t >= nd || e.kind != string(model.EdgeTypeRef) || u.decls[t].kind != model.KindType || u.decls[t].pkg != di.pkg {
				continue
			}
			if p.ctx[d] != p.ctx[t] {
				p.ctx[d] = p.ctx[t]
				p.reason[d] = p.reason[t]
				if p.ctx[t] == kernelCtx && p.reason[d] == "" {
					p.reason[d] = ReasonSpread
				}
			}
			break
		}
	}
}

// spreadWidth returns the contexts serving entry points, and how many of
// them must use a unit for it to be shared: KernelSpread of them, and
// at least three.
func (r *run) spreadWidth(p *partition) ([]bool, int) {
	serving := make([]bool, p.nctx)
	n := 0
	for _, e := range r.u.entries {
		if d, ok := r.u.declIdx[e.Decl]; ok && p.ctx[d] >= 0 && !serving[p.ctx[d]] {
			serving[p.ctx[d]] = true
			n++
		}
	}
	return serving, max(3, int(math.Ceil(r.cfg.KernelSpread*float64(n))))
}

// addTie adds w to the ties between contexts a and b, both ways.
func addTie(ties []map[int32]float64, a, b int32, w float64) {
	for _, x := range [][2]int32{{a, b}, {b, a}} {
		if ties[x[0]] == nil {
			ties[x[0]] = map[int32]float64{}
		}
		ties[x[0]][x[1]] += w
	}
}
