package cluster

import "sort"

// The scorers of ../shared/eval/score, for tests: MoJoFM (Wen & Tzerpos)
// and the adjusted Rand index between a found labelling A and the
// intended one B of the same elements.

// mojoFM is 100 when A is B, and falls to 0 at the largest distance any
// partition can have from B.
func mojoFM(A, B []string) float64 {
	n := len(A)
	if n == 0 {
		return 100
	}
	ai, bi := labelIndex(A), labelIndex(B)
	la, lb := len(ai), len(bi)
	v := make([][]int, la)
	for i := range v {
		v[i] = make([]int, lb)
	}
	for k := range A {
		v[ai[A[k]]][bi[B[k]]]++
	}
	sumMax := 0
	adj := make([][]int, la)
	for i := 0; i < la; i++ {
		m := 0
		for j := 0; j < lb; j++ {
			m = max(m, v[i][j])
		}
		sumMax += m
		for j := 0; j < lb; j++ {
			if v[i][j] == m && m > 0 {
				adj[i] = append(adj[i], j)
			}
		}
	}
	mno := (n - sumMax) + (la - bipartiteMatching(adj, lb))
	sizes := make([]int, lb)
	for _, b := range B {
		sizes[bi[b]]++
	}
	sort.Ints(sizes)
	groups := 0
	for _, s := range sizes {
		if s > groups {
			groups++
		}
	}
	maxMno := n - groups
	if maxMno == 0 {
		return 100
	}
	return (1 - float64(mno)/float64(maxMno)) * 100
}

func labelIndex(xs []string) map[string]int {
	m := map[string]int{}
	var keys []string
	for _, x := range xs {
		if _, ok := m[x]; !ok {
			m[x] = 0
			keys = append(keys, x)
		}
	}
	sort.Strings(keys)
	for i, k := range keys {
		m[k] = i
	}
	return m
}

// bipartiteMatching is a maximum matching by augmenting paths.
func bipartiteMatching(adj [][]int, right int) int {
	matchR := make([]int, right)
	for i := range matchR {
		matchR[i] = -1
	}
	var try func(u int, seen []bool) bool
	try = func(u int, seen []bool) bool {
		for _, w := range adj[u] {
			if seen[w] {
				continue
			}
			seen[w] = true
			if matchR[w] < 0 || try(matchR[w], seen) {
				matchR[w] = u
				return true
			}
		}
		return false
	}
	g := 0
	for u := range adj {
		if try(u, make([]bool, right)) {
			g++
		}
	}
	return g
}

// adjustedRand is the adjusted Rand index: 1 when A is B, about 0 for a
// random labelling.
func adjustedRand(A, B []string) float64 {
	n := len(A)
	ai, bi := labelIndex(A), labelIndex(B)
	v := map[[2]int]int{}
	ra := make([]int, len(ai))
	rb := make([]int, len(bi))
	for k := range A {
		v[[2]int{ai[A[k]], bi[B[k]]}]++
		ra[ai[A[k]]]++
		rb[bi[B[k]]]++
	}
	c2 := func(x int) float64 { return float64(x) * float64(x-1) / 2 }
	var sij, sa, sb float64
	for _, x := range v {
		sij += c2(x)
	}
	for _, x := range ra {
		sa += c2(x)
	}
	for _, x := range rb {
		sb += c2(x)
	}
	if n < 2 {
		return 1
	}
	exp := sa * sb / c2(n)
	maxv := (sa + sb) / 2
	if maxv == exp {
		return 1
	}
	return (sij - exp) / (maxv - exp)
}
