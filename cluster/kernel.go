package cluster

import (
	"maps"
	"math"
	"slices"
)

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
		for _, c := range slices.Sorted(maps.Keys(us)) {
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
			for _, c := range slices.Sorted(maps.Keys(use[d])) {
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
