package cluster

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"sort"
)

// wgraph is an undirected weighted graph in compressed adjacency form.
// Neighbours are sorted by index, so that every sum over them is taken in
// the same order on every run.
type wgraph struct {
	off  []int32 // node i's neighbours are to[off[i]:off[i+1]]
	to   []int32
	w    []float64
	self []float64 // A_ii: the weight inside an aggregated node
}

func (g *wgraph) n() int { return len(g.self) }

// graphBuilder accumulates undirected edges.
type graphBuilder struct {
	n   int
	acc map[[2]int32]float64
}

func newGraphBuilder(n int) *graphBuilder {
	return &graphBuilder{n: n, acc: make(map[[2]int32]float64)}
}

func (b *graphBuilder) add(u, v int, w float64) {
	if w <= 0 || u == v {
		return
	}
	if u > v {
		u, v = v, u
	}
	b.acc[[2]int32{int32(u), int32(v)}] += w
}

func (b *graphBuilder) build() *wgraph {
	keys := make([][2]int32, 0, len(b.acc))
	for k := range b.acc {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int32) int {
		return cmp.Or(
			cmp.Compare(a[0], b[0]),
			cmp.Compare(a[1], b[1]),
		)
	})
	deg := make([]int32, b.n+1)
	for _, k := range keys {
		deg[k[0]+1]++
		deg[k[1]+1]++
	}
	for i := 1; i <= b.n; i++ {
		deg[i] += deg[i-1]
	}
	g := &wgraph{off: deg, to: make([]int32, 2*len(keys)), w: make([]float64, 2*len(keys)), self: make([]float64, b.n)}
	fill := make([]int32, b.n)
	copy(fill, deg[:b.n])
	// keys are sorted by (u, v): appending v to u and u to v in this order
	// leaves every neighbour list sorted.
	for _, k := range keys {
		w := b.acc[k]
		u, v := k[0], k[1]
		g.to[fill[u]], g.w[fill[u]] = v, w
		fill[u]++
		g.to[fill[v]], g.w[fill[v]] = u, w
		fill[v]++
	}
	for i := 0; i < b.n; i++ {
		nb := g.to[g.off[i]:g.off[i+1]]
		ws := g.w[g.off[i]:g.off[i+1]]
		sort.Sort(byTo{nb, ws})
	}
	return g
}

type byTo struct {
	to []int32
	w  []float64
}

func (s byTo) Len() int           { return len(s.to) }
func (s byTo) Less(i, j int) bool { return s.to[i] < s.to[j] }
func (s byTo) Swap(i, j int) {
	s.to[i], s.to[j] = s.to[j], s.to[i]
	s.w[i], s.w[j] = s.w[j], s.w[i]
}

// strength returns k_i = Σ_j A_ij + A_ii for every node.
func (g *wgraph) strength() []float64 {
	k := make([]float64, g.n())
	for i := range k {
		s := g.self[i]
		for e := g.off[i]; e < g.off[i+1]; e++ {
			s += g.w[e]
		}
		k[i] = s
	}
	return k
}

// constraints keep nodes apart during community detection. pin[i] ≥ 0 is
// the pin of node i: nodes of different pins never share a community.
// tags[i] lists apart tags: tag t and tag t^1 never share a community.
type constraints struct {
	pin  []int32
	tags [][]int32
}

// louvain finds communities that maximise the modularity
//
//	Q = 1/2m Σ_ij [A_ij − γ k_i k_j / 2m] δ(c_i, c_j)
//
// by the method of Blondel et al. (2008): local moving of single nodes to
// the neighbouring community with the best gain, then aggregation of each
// community into one node, until no node moves. Nodes are visited in an
// order shuffled by a generator seeded with seed, so the result depends
// only on the graph, γ and the seed. It returns each node's community,
// numbered 0.. in order of the communities' smallest node.
func louvain(g *wgraph, gamma float64, cons *constraints, seed uint64) []int32 {
	n := g.n()
	memb := make([]int32, n)
	for i := range memb {
		memb[i] = int32(i)
	}
	if n == 0 {
		return memb
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	cur := g
	curCons := cons
	for level := 0; level < 64; level++ {
		comm, moved := localMoving(cur, gamma, curCons, rng)
		for i := range memb {
			memb[i] = comm[memb[i]]
		}
		if !moved {
			break
		}
		cur, curCons = aggregate(cur, comm, curCons)
	}
	return renumber(memb)
}

// renumber numbers communities in order of their smallest member.
func renumber(memb []int32) []int32 {
	id := make(map[int32]int32)
	out := make([]int32, len(memb))
	for i, c := range memb {
		x, ok := id[c]
		if !ok {
			x = int32(len(id))
			id[c] = x
		}
		out[i] = x
	}
	return out
}

// localMoving runs the local moving phase on g and returns each node's
// community (renumbered densely) and whether any node moved.
func localMoving(g *wgraph, gamma float64, cons *constraints, rng *rand.Rand) ([]int32, bool) {
	n := g.n()
	k := g.strength()
	var m2 float64
	for _, x := range k {
		m2 += x
	}
	comm := make([]int32, n)
	tot := make([]float64, n)
	for i := range comm {
		comm[i] = int32(i)
		tot[i] = k[i]
	}
	if m2 == 0 {
		return comm, false
	}
	var commPin []int32
	var commPinN []int32
	var commTags []map[int32]int32
	if cons != nil {
		commPin = make([]int32, n)
		commPinN = make([]int32, n)
		commTags = make([]map[int32]int32, n)
		for i := 0; i < n; i++ {
			commPin[i] = cons.pin[i]
			if cons.pin[i] >= 0 {
				commPinN[i] = 1
			}
			if len(cons.tags[i]) > 0 {
				commTags[i] = map[int32]int32{}
				for _, t := range cons.tags[i] {
					commTags[i][t]++
				}
			}
		}
	}
	conflict := func(i int, c int32) bool {
		if cons == nil {
			return false
		}
		if p := cons.pin[i]; p >= 0 && commPinN[c] > 0 && commPin[c] != p {
			return true
		}
		for _, t := range cons.tags[i] {
			if commTags[c][t^1] > 0 {
				return true
			}
		}
		return false
	}
	join := func(i int, c int32, sign int32) {
		if cons == nil {
			return
		}
		if p := cons.pin[i]; p >= 0 {
			commPinN[c] += sign
			commPin[c] = p
		}
		if len(cons.tags[i]) > 0 {
			if commTags[c] == nil {
				commTags[c] = map[int32]int32{}
			}
			for _, t := range cons.tags[i] {
				commTags[c][t] += sign
			}
		}
	}
	order := rng.Perm(n)
	neigh := make([]float64, n)
	touched := make([]int32, 0, 64)
	movedAny := false
	for sweep := 0; sweep < 100; sweep++ {
		moves := 0
		for _, i := range order {
			ci := comm[i]
			touched = touched[:0]
			for e := g.off[i]; e < g.off[i+1]; e++ {
				j := g.to[e]
				c := comm[j]
				if neigh[c] == 0 {
					touched = append(touched, c)
				}
				neigh[c] += g.w[e]
			}
			tot[ci] -= k[i]
			join(i, ci, -1)
			best := ci
			bestGain := neigh[ci] - gamma*k[i]*tot[ci]/m2
			for _, c := range touched {
				if c == ci || conflict(i, c) {
					continue
				}
				gain := neigh[c] - gamma*k[i]*tot[c]/m2
				if gain > bestGain+1e-12 {
					best, bestGain = c, gain
				}
			}
			tot[best] += k[i]
			join(i, best, 1)
			comm[i] = best
			if best != ci {
				moves++
			}
			for _, c := range touched {
				neigh[c] = 0
			}
		}
		if moves == 0 {
			break
		}
		movedAny = true
	}
	// dense renumbering
	id := make(map[int32]int32)
	for i, c := range comm {
		x, ok := id[c]
		if !ok {
			x = int32(len(id))
			id[c] = x
		}
		comm[i] = x
	}
	return comm, movedAny
}

// aggregate collapses each community of g into one node.
func aggregate(g *wgraph, comm []int32, cons *constraints) (*wgraph, *constraints) {
	nc := 0
	for _, c := range comm {
		if int(c)+1 > nc {
			nc = int(c) + 1
		}
	}
	b := newGraphBuilder(nc)
	self := make([]float64, nc)
	for i := 0; i < g.n(); i++ {
		ci := comm[i]
		self[ci] += g.self[i]
		for e := g.off[i]; e < g.off[i+1]; e++ {
			j := g.to[e]
			cj := comm[j]
			if ci == cj {
				self[ci] += g.w[e] // each internal edge is seen from both ends
			} else if int32(i) < j {
				b.add(int(ci), int(cj), g.w[e])
			}
		}
	}
	ng := b.build()
	ng.self = self
	if cons == nil {
		return ng, nil
	}
	nc2 := &constraints{pin: make([]int32, nc), tags: make([][]int32, nc)}
	for c := range nc2.pin {
		nc2.pin[c] = -1
	}
	for i := 0; i < g.n(); i++ {
		c := comm[i]
		if cons.pin[i] >= 0 {
			nc2.pin[c] = cons.pin[i]
		}
		for _, t := range cons.tags[i] {
			if !slices.Contains(nc2.tags[c], t) {
				nc2.tags[c] = append(nc2.tags[c], t)
			}
		}
	}
	for c := range nc2.tags {
		sort.Slice(nc2.tags[c], func(a, b int) bool { return nc2.tags[c][a] < nc2.tags[c][b] })
	}
	return ng, nc2
}

// modularity computes Q = 1/2m Σ_c [ Σ_{i,j∈c} A_ij − γ (Σ_{i∈c} k_i)² / 2m ]
// for the partition memb of g (nodes with memb < 0 are left out, with
// their edges).
func modularity(g *wgraph, memb []int32, gamma float64) float64 {
	var m2 float64
	in := map[int32]float64{}
	tot := map[int32]float64{}
	for i := 0; i < g.n(); i++ {
		ci := memb[i]
		if ci < 0 {
			continue
		}
		ki := g.self[i]
		in[ci] += g.self[i]
		for e := g.off[i]; e < g.off[i+1]; e++ {
			cj := memb[g.to[e]]
			if cj < 0 {
				continue
			}
			ki += g.w[e]
			if cj == ci {
				in[ci] += g.w[e]
			}
		}
		tot[ci] += ki
		m2 += ki
	}
	if m2 == 0 {
		return 0
	}
	cs := make([]int32, 0, len(tot))
	for c := range tot {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	var q float64
	for _, c := range cs {
		q += in[c]/m2 - gamma*(tot[c]/m2)*(tot[c]/m2)
	}
	return q
}
