package cluster

import (
	"fmt"
	"math"
	"sort"
)

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
