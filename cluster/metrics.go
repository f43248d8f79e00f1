package cluster

import (
	"sort"

	"decompose/analysis/model"
)

// metrics fills the run's and each context's metrics.
func (r *run) metrics(p *partition, dec *Decomposition, pos []int) {
	u := r.u
	nd := len(u.decls)
	k := p.nctx
	// undirected weights between declarations in contexts
	type pair struct{ a, b int32 }
	w := map[pair]float64{}
	for _, e := range r.s.sig {
		f, t := e.from, e.to
		if int(f) >= nd || int(t) >= nd || e.kind == kindReceiver || p.ctx[f] < 0 || p.ctx[t] < 0 {
			continue
		}
		if f > t {
			f, t = t, f
		}
		w[pair{f, t}] += e.w
	}
	// sums over pairs are taken in a fixed order, so that rounded figures
	// are the same on every run
	sortedPairs := func(m map[pair]float64) []pair {
		ps := make([]pair, 0, len(m))
		for x := range m {
			ps = append(ps, x)
		}
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].a != ps[j].a {
				return ps[i].a < ps[j].a
			}
			return ps[i].b < ps[j].b
		})
		return ps
	}
	pairs := sortedPairs(w)
	size := make([]float64, k)
	units := 0
	for d := 0; d < nd; d++ {
		if p.ctx[d] >= 0 {
			size[p.ctx[d]]++
			units++
		}
	}
	var W float64
	in := make([]float64, k)
	out := make([]float64, k)
	deg := make([]float64, k)
	mu := make([]float64, k)
	sigma := map[pair]float64{}
	for _, x := range pairs {
		ca, cb := p.ctx[x.a], p.ctx[x.b]
		wt := w[x]
		W += wt
		deg[ca] += wt
		deg[cb] += wt
		if ca == cb {
			in[ca] += wt
			mu[ca]++
		} else {
			out[ca] += wt
			out[cb] += wt
			if ca > cb {
				ca, cb = cb, ca
			}
			sigma[pair{ca, cb}]++
		}
	}
	m := Metrics{Contexts: k, Units: units, KernelUnits: nd - units, Resolution: round(p.gamma)}
	if W > 0 {
		var q float64
		for c := 0; c < k; c++ {
			q += in[c]/W - (deg[c]/(2*W))*(deg[c]/(2*W))
		}
		m.Modularity = round(q)
	}
	if k > 0 {
		var coh float64
		for c := 0; c < k; c++ {
			if size[c] > 0 {
				coh += mu[c] / (size[c] * size[c])
			}
		}
		sm := coh / float64(k)
		if k > 1 {
			var coup float64
			for _, x := range sortedPairs(sigma) {
				coup += sigma[x] / (2 * size[x.a] * size[x.b])
			}
			sm -= coup / (float64(k*(k-1)) / 2)
		}
		m.StructuralModularity = round(sm)
	}
	// calls, interfaces and dependencies from the model's edges
	var calls, cross float64
	iface := make([]map[int]bool, k)
	dep := make([]map[int32]bool, k)
	for i := range iface {
		iface[i] = map[int]bool{}
		dep[i] = map[int32]bool{}
	}
	for _, e := range u.edges {
		f, t := u.declIdx[e.From], u.declIdx[e.To]
		cf, ct := p.ctx[f], p.ctx[t]
		if cf < 0 || ct < 0 {
			continue
		}
		if e.Kind == model.EdgeCall || e.Kind == model.EdgeDynamicCall {
			calls += float64(e.Weight)
			if cf != ct {
				cross += float64(e.Weight)
			}
		}
		if cf != ct && e.Kind != model.EdgeImplements {
			iface[ct][t] = true
			dep[cf][ct] = true
		}
	}
	if calls > 0 {
		m.ICP = round(cross / calls)
	}
	if k > 0 {
		var sum float64
		for c := 0; c < k; c++ {
			sum += float64(len(iface[c]))
		}
		m.IFN = round(sum / float64(k))
		mean := float64(units) / float64(k)
		var extreme float64
		for c := 0; c < k; c++ {
			if size[c] < mean/2 || size[c] > 2*mean {
				extreme += size[c]
			}
		}
		if units > 0 {
			m.NED = round(extreme / float64(units))
		}
	}
	dec.Metrics = m
	for c := 0; c < k; c++ {
		ctx := &dec.Contexts[pos[c]]
		cm := ContextMetrics{Packages: len(ctx.Packages), Decls: int(size[c]), Interfaces: len(iface[c])}
		if in[c]+out[c] > 0 {
			cm.Cohesion = round(in[c] / (in[c] + out[c]))
		}
		if W > 0 {
			cm.Coupling = round(out[c] / W)
		}
		for o := range dep[c] {
			cm.DependsOn = append(cm.DependsOn, dec.Contexts[pos[o]].Name)
		}
		for o := 0; o < k; o++ {
			if dep[o][int32(c)] {
				cm.DependedOnBy = append(cm.DependedOnBy, dec.Contexts[pos[o]].Name)
			}
		}
		sort.Strings(cm.DependsOn)
		sort.Strings(cm.DependedOnBy)
		ctx.Metrics = cm
	}
}
