package cluster

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"
)

// planted builds a graph of k groups of size n, dense inside, sparse
// between.
func planted(k, n int, seed uint64) *graphBuilder {
	r := rand.New(rand.NewPCG(seed, 1))
	b := newGraphBuilder(k * n)
	for i := 0; i < k*n; i++ {
		for j := i + 1; j < k*n; j++ {
			same := i/n == j/n
			if (same && r.Float64() < 0.5) || (!same && r.Float64() < 0.02) {
				b.add(i, j, 1+r.Float64())
			}
		}
	}
	return b
}

func TestLouvainFindsPlantedGroups(t *testing.T) {
	g := planted(4, 25, 3).build()
	m := louvain(g, 1, nil, 1)
	for i := 0; i < g.n(); i++ {
		for j := 0; j < g.n(); j++ {
			if (i/25 == j/25) != (m[i] == m[j]) {
				t.Fatalf("nodes %d and %d: communities %d and %d", i, j, m[i], m[j])
			}
		}
	}
}

func TestModularityMatchesGonum(t *testing.T) {
	b := planted(3, 12, 5)
	g := b.build()
	m := louvain(g, 1, nil, 1)
	sg := simple.NewWeightedUndirectedGraph(0, 0)
	for i := 0; i < g.n(); i++ {
		sg.AddNode(simple.Node(i))
	}
	for k, w := range b.acc {
		sg.SetWeightedEdge(sg.NewWeightedEdge(simple.Node(k[0]), simple.Node(k[1]), w))
	}
	for _, gamma := range []float64{0.5, 1, 2} {
		byComm := map[int32][]graph.Node{}
		for i, c := range m {
			byComm[c] = append(byComm[c], simple.Node(i))
		}
		var comms [][]graph.Node
		for c := int32(0); int(c) < len(byComm); c++ {
			comms = append(comms, byComm[c])
		}
		want := community.Q(sg, comms, gamma)
		if got := modularity(g, m, gamma); math.Abs(got-want) > 1e-9 {
			t.Errorf("γ=%v: Q %v, gonum %v", gamma, got, want)
		}
	}
}

func TestLouvainConstraints(t *testing.T) {
	b := newGraphBuilder(4)
	b.add(0, 1, 5)
	b.add(2, 3, 5)
	b.add(1, 2, 5)
	g := b.build()
	cons := &constraints{pin: []int32{0, -1, -1, 1}, tags: [][]int32{nil, {0}, {1}, nil}}
	m := louvain(g, 0.1, cons, 1)
	if m[0] == m[3] {
		t.Errorf("pinned apart, yet together: %v", m)
	}
	if m[1] == m[2] {
		t.Errorf("kept apart, yet together: %v", m)
	}
}
