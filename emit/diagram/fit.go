package diagram

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"decompose/analysis/model"
	"decompose/emit/english"
)

// unit is a package drawn in one place (a context or the kernel): a whole
// package, or a split package's part.
type unit struct {
	group string
	pkg   string
	part  bool
	// rel is the package's path below the root ("" for the root
	// package), what collapsing follows.
	rel string
}

// uses counts dependencies: their sites, those that are calls, and the
// calls that are asynchronous.
type uses struct{ weight, calls, async int }

func (u *uses) add(v uses) {
	u.weight += v.weight
	u.calls += v.calls
	u.async += v.async
}

// link is the dependencies from one unit (or node) to another. A link
// between a context and the kernel may stand for their clusters: then it
// goes from the context's first node to the kernel's, and back counts the
// kernel's dependencies on the context.
type link struct {
	from, to int
	uses
	clusters bool
	back     uses
}

// total weighs a link for the cap.
func (l link) total() int { return l.weight + l.back.weight }

// node is what a diagram draws for one or more units of a group: a unit,
// or a directory whose units were collapsed into it.
type node struct {
	group     string
	key       string // the unit's rel, or the collapsed directory
	units     []int
	collapsed bool
	weight    int
}

// fitted is a graph cut down to the caps, and the account of what was
// cut.
type fitted struct {
	nodes []node
	links []link // between nodes
	// collapsed counts the units merged into directory nodes, dirs those
	// nodes; dropped the units not drawn at all.
	collapsed, dirs, dropped int
	// lostEdges are edges not drawn because an end was not; cappedEdges
	// the lightest ones beyond the cap, lightest the heaviest of those.
	lostEdges, cappedEdges, lightest int
}

// fit cuts a graph of units down to maxNodes nodes and maxEdges edges.
// First it collapses leaf packages into their parent directory, deepest
// directories first and, at one depth, those holding the most nodes
// first, then the least connected, never merging groups and never into
// the root itself. If that is
// not enough, it keeps the most connected nodes (with at least one per
// group, in the order of groups, while the cap allows) and drops the
// others. With mergeKernel, the links between a context and the kernel
// become one, between their clusters. Last it keeps the heaviest edges.
// The nodes come in the order of groups, then of paths.
func fit(units []unit, links []link, groups []string, maxNodes, maxEdges int, mergeKernel bool) fitted {
	rank := map[string]int{}
	for i, g := range groups {
		rank[g] = i
	}
	nodes := make([]node, len(units))
	for i, u := range units {
		nodes[i] = node{group: u.group, key: u.rel, units: []int{i}}
	}
	for _, l := range links {
		nodes[l.from].weight += l.weight
		nodes[l.to].weight += l.weight
	}
	f := fitted{}
	for len(nodes) > maxNodes {
		merged, ok := collapseDeepest(nodes, len(nodes)-maxNodes)
		if !ok {
			break
		}
		nodes = merged
	}
	for _, n := range nodes {
		if n.collapsed {
			f.dirs++
			f.collapsed += len(n.units)
		}
	}
	nodeOf := make([]int, len(units))
	for i := range nodes {
		nodes[i].weight = 0
		for _, u := range nodes[i].units {
			nodeOf[u] = i
		}
	}
	// aggregate between nodes
	byPair := map[[2]int]*link{}
	for _, l := range links {
		a, b := nodeOf[l.from], nodeOf[l.to]
		if a == b {
			continue
		}
		p := byPair[[2]int{a, b}]
		if p == nil {
			p = &link{from: a, to: b}
			byPair[[2]int{a, b}] = p
		}
		p.add(l.uses)
		nodes[a].weight += l.weight
		nodes[b].weight += l.weight
	}
	// keep the most connected nodes
	keep := make([]bool, len(nodes))
	if len(nodes) > maxNodes {
		order := make([]int, len(nodes))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool { return nodes[order[i]].weight > nodes[order[j]].weight })
		kept := 0
		seen := map[string]bool{}
		for _, i := range order {
			if g := nodes[i].group; !seen[g] && kept < maxNodes {
				seen[g] = true
				keep[i] = true
				kept++
			}
		}
		for _, i := range order {
			if !keep[i] && kept < maxNodes {
				keep[i] = true
				kept++
			}
		}
	} else {
		for i := range keep {
			keep[i] = true
		}
	}
	// the nodes kept, in the order of groups, then of paths
	var order []int
	for i := range nodes {
		if keep[i] {
			order = append(order, i)
		} else {
			f.dropped += len(nodes[i].units)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := nodes[order[i]], nodes[order[j]]
		if rank[a.group] != rank[b.group] {
			return rank[a.group] < rank[b.group]
		}
		return a.key < b.key
	})
	renum := make([]int, len(nodes))
	for i := range renum {
		renum[i] = -1
	}
	first := map[string]int{} // group → its first node
	for p, i := range order {
		renum[i] = p
		f.nodes = append(f.nodes, nodes[i])
		if _, ok := first[nodes[i].group]; !ok {
			first[nodes[i].group] = p
		}
	}
	var kept []link
	merged := map[string]int{} // context → its link with the kernel
	for _, l := range byPair {
		a, b := renum[l.from], renum[l.to]
		if a < 0 || b < 0 {
			f.lostEdges++
			continue
		}
		ga, gb := f.nodes[a].group, f.nodes[b].group
		if !mergeKernel || styleOf(ga, gb) != inKernel {
			kept = append(kept, link{from: a, to: b, uses: l.uses})
			continue
		}
		ctx := ga
		if ga == model.Kernel {
			ctx = gb
		}
		i, ok := merged[ctx]
		if !ok {
			i = len(kept)
			merged[ctx] = i
			kept = append(kept, link{from: first[ctx], to: first[model.Kernel], clusters: true})
		}
		sum := &kept[i].uses
		if ga == model.Kernel {
			sum = &kept[i].back
		}
		sum.add(l.uses)
	}
	byEnds := func(ls []link) {
		sort.Slice(ls, func(i, j int) bool {
			if ls[i].from != ls[j].from {
				return ls[i].from < ls[j].from
			}
			if ls[i].to != ls[j].to {
				return ls[i].to < ls[j].to
			}
			return !ls[i].clusters && ls[j].clusters
		})
	}
	byEnds(kept)
	if len(kept) > maxEdges {
		sort.SliceStable(kept, func(i, j int) bool { return kept[i].total() > kept[j].total() })
		f.cappedEdges = len(kept) - maxEdges
		f.lightest = kept[maxEdges].total()
		kept = kept[:maxEdges]
		byEnds(kept)
	}
	f.links = kept
	return f
}

// collapseDeepest merges, at the deepest directory holding two nodes or
// more of one group, the nodes under such directories (those holding the
// most first, then the least connected) until need nodes are gone or
// that depth is done. It reports false when nothing can be collapsed.
func collapseDeepest(nodes []node, need int) ([]node, bool) {
	count := map[dirKey]int{}
	weight := map[dirKey]int{}
	for _, n := range nodes {
		if n.key == "" {
			continue
		}
		segs := strings.Split(n.key, "/")
		for i := 1; i <= len(segs); i++ {
			d := dirKey{n.group, strings.Join(segs[:i], "/"), i}
			count[d]++
			weight[d] += n.weight
		}
	}
	deepest := 0
	for d, c := range count {
		if c >= 2 && d.depth > deepest {
			deepest = d.depth
		}
	}
	if deepest == 0 {
		return nodes, false
	}
	var cands []dirKey
	for d, c := range count {
		if c >= 2 && d.depth == deepest {
			cands = append(cands, d)
		}
	}
	slices.SortFunc(cands, func(a, b dirKey) int {
		return cmp.Or(
			cmp.Compare(count[b], count[a]),
			cmp.Compare(weight[a], weight[b]),
			cmp.Compare(a.group, b.group),
			cmp.Compare(a.path, b.path),
		)
	})
	chosen := map[dirKey]bool{}
	for _, d := range cands {
		if need <= 0 {
			break
		}
		chosen[d] = true
		need -= count[d] - 1
	}
	var out []node
	at := map[dirKey]int{}
	for _, n := range nodes {
		d, ok := under(n, deepest, chosen)
		if !ok {
			out = append(out, n)
			continue
		}
		if i, ok := at[d]; ok {
			out[i].units = append(out[i].units, n.units...)
			out[i].weight += n.weight
			continue
		}
		at[d] = len(out)
		out = append(out, node{group: n.group, key: d.path, units: append([]int(nil), n.units...), collapsed: true, weight: n.weight})
	}
	return out, true
}

// under finds the chosen directory of the given depth a node lies in.
func under(n node, depth int, chosen map[dirKey]bool) (dirKey, bool) {
	segs := strings.Split(n.key, "/")
	if n.key == "" || len(segs) < depth {
		return dirKey{}, false
	}
	d := dirKey{n.group, strings.Join(segs[:depth], "/"), depth}
	return d, chosen[d]
}

// dirKey is a directory of one group's packages.
type dirKey struct {
	group, path string
	depth       int
}

// leftOut says what a fitted graph leaves out: a headline and details,
// or nothing when everything is drawn.
func (f fitted) leftOut(what string) (string, []string) {
	var details []string
	if f.dirs > 0 {
		details = append(details, fmt.Sprintf("%s collapsed into %s (drawn as dir/…)", english.Plural(f.collapsed, what), english.Plural(f.dirs, "directory node")))
	}
	if f.dropped > 0 {
		details = append(details, fmt.Sprintf("%s not drawn: the least connected", english.Plural(f.dropped, what)))
	}
	if f.lostEdges > 0 {
		details = append(details, fmt.Sprintf("%s to or from them not drawn", english.Plural(f.lostEdges, "edge")))
	}
	if f.cappedEdges > 0 {
		details = append(details, fmt.Sprintf("%s not drawn: the lightest, weight %d or less", english.Plural(f.cappedEdges, "edge"), f.lightest))
	}
	if len(details) == 0 {
		return "", nil
	}
	if f.dropped == 0 && f.lostEdges+f.cappedEdges == 0 {
		return fmt.Sprintf("%s drawn as directories", english.Plural(f.collapsed, what)), details
	}
	return notDrawn(f.dropped, what, f.lostEdges+f.cappedEdges), details
}

// notDrawn says "12 packages and 40 edges not drawn", leaving out a
// count of zero.
func notDrawn(n int, what string, edges int) string {
	switch {
	case n == 0:
		return english.Plural(edges, "edge") + " not drawn"
	case edges == 0:
		return english.Plural(n, what) + " not drawn"
	}
	return english.Plural(n, what) + " and " + english.Plural(edges, "edge") + " not drawn"
}
