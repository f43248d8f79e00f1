package cluster

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// kindCoChange is the signal between two files changed in the same
// commits.
const kindCoChange = "co-change"

// coChange weighs the co-change signal between the file nodes of s from
// cfg.History. Files a and b changed together in at least MinSupport
// commits are joined by
//
//	Weights.CoChange · c_ab / √(n_a·n_b) · min(decls of a, decls of b)
//
// where n_a counts the commits changing a, and c_ab sums 1/(k−1) over the
// commits changing both, k being the number of the model's files the
// commit changed: a file's ties in one commit weigh 1 together, so that a
// commit across ten files couples each pair less than one across two
// (n_ab/√(n_a·n_b), the cosine, when every commit changes two files). The
// cosine, unlike n_ab/min(n_a, n_b), does not give a file changed in most
// commits (a router, a wiring file) full coupling to each rarely changed
// one. Files that hold no declaration of the model are ignored.
func coChange(s *signals, cfg Config) []sigEdge {
	w := cfg.Weights
	if !cfg.CoChange.Enabled || len(cfg.History) == 0 || w.CoChange <= 0 {
		return nil
	}
	fileIdx := make(map[string]int32, len(s.files))
	for i, f := range s.files {
		fileIdx[f] = int32(i)
	}
	size := make([]int, len(s.files))
	gen := make([]bool, len(s.files))
	for d, di := range s.u.decls {
		size[s.fileOf[d]]++
		if di.gen {
			gen[s.fileOf[d]] = true
		}
	}
	var commits [][]int32
	for _, commit := range cfg.History {
		var fs []int32
		for _, f := range commit {
			if i, ok := fileIdx[f]; ok {
				fs = append(fs, i)
			}
		}
		slices.Sort(fs)
		fs = slices.Compact(fs)
		if len(fs) == 0 || (cfg.CoChange.MaxFiles > 0 && len(fs) > cfg.CoChange.MaxFiles) {
			continue
		}
		commits = append(commits, fs)
	}
	// sums in one order whatever the order of the history
	sort.Slice(commits, func(i, j int) bool { return slices.Compare(commits[i], commits[j]) < 0 })
	changes := make([]int, len(s.files))
	type pair struct {
		n int     // commits
		c float64 // Σ 1/(k−1)
	}
	pairs := map[[2]int32]*pair{}
	for _, fs := range commits {
		share := 1 / float64(max(len(fs)-1, 1))
		for i, a := range fs {
			changes[a]++
			for _, b := range fs[i+1:] {
				p := pairs[[2]int32{a, b}]
				if p == nil {
					p = &pair{}
					pairs[[2]int32{a, b}] = p
				}
				p.n++
				p.c += share
			}
		}
	}
	out := make([]sigEdge, 0, len(pairs))
	for k, p := range pairs {
		if p.n < max(cfg.CoChange.MinSupport, 1) {
			continue
		}
		a, b := k[0], k[1]
		x := w.CoChange * p.c / math.Sqrt(float64(changes[a])*float64(changes[b])) * float64(min(size[a], size[b]))
		for _, f := range []int32{a, b} {
			if gen[f] {
				x *= w.Generated
			}
		}
		if x <= 0 {
			continue
		}
		out = append(out, sigEdge{from: int32(s.fileBase) + a, to: int32(s.fileBase) + b, kind: kindCoChange, w: x})
	}
	slices.SortFunc(out, func(a, b sigEdge) int {
		return cmp.Or(
			cmp.Compare(a.from, b.from),
			cmp.Compare(a.to, b.to),
		)
	})
	return out
}

// keptFiles marks the files holding a declaration kept in the graph
// (every file when keep is nil), and gives each file's package.
func (s *signals) keptFiles(keep []bool) (kept []bool, pkg []int) {
	kept = make([]bool, len(s.files))
	pkg = make([]int, len(s.files))
	for d, di := range s.u.decls {
		f := s.fileOf[d]
		pkg[f] = di.pkg
		if keep == nil || keep[d] {
			kept[f] = true
		}
	}
	return kept, pkg
}
