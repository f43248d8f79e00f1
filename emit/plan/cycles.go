package plan

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dominikbraun/graph"

	"decompose/analysis/model"
	"decompose/emit/english"
)

// cycleSet holds the dependency cycles between contexts and what the
// steps need of them.
type cycleSet struct {
	list []Cycle
	// syncPeers are, for a context on a loop of synchronous calls, the
	// other contexts of its strongly connected component of sync edges.
	syncPeers map[string][]string
	// of is the index in list of the cycle holding a context.
	of map[string]int
}

// pairCalls sums the contracts from one context into another.
type pairCalls struct {
	from, to            string
	calls, sites, async int
	// sync sites by callee
	callees map[string]int
}

func (e *pairCalls) syncSites() int { return e.sites - e.async }

// lighter orders edges for cutting: fewest synchronous sites, then fewest
// sites, then by name, so that the choice never depends on map order.
func lighter(a, b *pairCalls) bool {
	if a.syncSites() != b.syncSites() {
		return a.syncSites() < b.syncSites()
	}
	if a.sites != b.sites {
		return a.sites < b.sites
	}
	if a.from != b.from {
		return a.from < b.from
	}
	return a.to < b.to
}

// findCycles builds the graph of calls between contexts (the shared kernel
// is a library each service carries, so it takes no part) and returns its
// strongly connected components of two contexts or more, with the
// synchronous loops among them and the edges that break those.
func findCycles(in *input) *cycleSet {
	pairs := map[[2]string]*pairCalls{}
	for i := range in.plan.Contracts {
		k := &in.plan.Contracts[i]
		if k.From == k.To || k.From == model.Kernel || k.To == model.Kernel || in.byName[k.From] == nil || in.byName[k.To] == nil {
			continue
		}
		key := [2]string{k.From, k.To}
		e := pairs[key]
		if e == nil {
			e = &pairCalls{from: k.From, to: k.To, callees: map[string]int{}}
			pairs[key] = e
		}
		e.calls++
		e.sites += k.Sites
		e.async += k.Async
		if k.Sites > k.Async {
			e.callees[k.Callee] += k.Sites - k.Async
		}
	}
	edges := make([]*pairCalls, 0, len(pairs))
	for _, e := range pairs {
		edges = append(edges, e)
	}
	sort.Slice(edges, func(i, j int) bool { return lighter(edges[i], edges[j]) })
	var names []string
	for _, c := range in.contexts {
		names = append(names, c.name)
	}
	sort.Strings(names)

	cs := &cycleSet{syncPeers: map[string][]string{}, of: map[string]int{}}
	syncComps := components(newGraph(names, edges, func(e *pairCalls) bool { return e.syncSites() > 0 }))
	for _, comp := range syncComps {
		for _, c := range comp {
			for _, o := range comp {
				if o != c {
					cs.syncPeers[c] = append(cs.syncPeers[c], o)
				}
			}
		}
	}
	for _, comp := range components(newGraph(names, edges, func(*pairCalls) bool { return true })) {
		member := setOf(comp)
		var inside, syncInside []*pairCalls
		for _, e := range edges {
			if member[e.from] && member[e.to] {
				inside = append(inside, e)
				if e.syncSites() > 0 {
					syncInside = append(syncInside, e)
				}
			}
		}
		var loops [][]string
		for _, sc := range syncComps {
			if member[sc[0]] {
				loops = append(loops, sc)
			}
		}
		cyc := Cycle{Contexts: comp, Synchronous: len(loops) > 0}
		byName := append([]*pairCalls(nil), inside...)
		slices.SortFunc(byName, func(a, b *pairCalls) int {
			return cmp.Or(
				cmp.Compare(a.from, b.from),
				cmp.Compare(a.to, b.to),
			)
		})
		for _, e := range byName {
			style := "sync"
			if e.syncSites() == 0 {
				style = "async"
			}
			cyc.Edges = append(cyc.Edges, CycleEdge{From: e.from, To: e.to, Calls: e.calls, Sites: e.sites, Async: e.async, Style: style})
		}
		if cyc.Synchronous {
			for _, e := range breakSet(comp, syncInside) {
				cyc.Break = append(cyc.Break, CycleBreak{
					From: e.from, To: e.to, SyncSites: e.syncSites(), Callees: byWeight(e.callees),
					Suggestion: fmt.Sprintf("make it asynchronous: %[2]s publishes the changes %[1]s reads and %[1]s keeps them in a read model, or %[1]s sends a message instead of waiting for %[2]s; or invert it: %[2]s pushes what %[1]s needs to an interface %[1]s owns, so that calls run %[2]s → %[1]s only", e.from, e.to),
				})
			}
		}
		cyc.Note = cycleNote(cyc, loops)
		for _, c := range comp {
			cs.of[c] = len(cs.list)
		}
		cs.list = append(cs.list, cyc)
	}
	return cs
}

// breakSet chooses sync edges of a cycle (given lightest first) whose
// removal leaves no loop of sync edges: while a loop remains, the lightest
// edge on one is cut; then each cut edge, heaviest first, is put back when
// it closes no loop, so that no edge is cut in vain.
func breakSet(ctxs []string, syncEdges []*pairCalls) []*pairCalls {
	cut := map[*pairCalls]bool{}
	kept := func(e *pairCalls) bool { return !cut[e] }
	for {
		comp := map[string]int{}
		for i, c := range components(newGraph(ctxs, syncEdges, kept)) {
			for _, x := range c {
				comp[x] = i + 1
			}
		}
		var pick *pairCalls
		for _, e := range syncEdges {
			if !cut[e] && comp[e.from] != 0 && comp[e.from] == comp[e.to] {
				pick = e
				break
			}
		}
		if pick == nil {
			break
		}
		cut[pick] = true
	}
	g := newGraph(ctxs, syncEdges, kept)
	for i := len(syncEdges) - 1; i >= 0; i-- {
		e := syncEdges[i]
		if !cut[e] {
			continue
		}
		closes, err := graph.CreatesCycle(g, e.from, e.to)
		must(err)
		if !closes {
			delete(cut, e)
			must(g.AddEdge(e.from, e.to))
		}
	}
	var out []*pairCalls
	for _, e := range syncEdges {
		if cut[e] {
			out = append(out, e)
		}
	}
	return out
}

// newGraph is the directed graph of the contexts with the edges keep
// accepts among them.
func newGraph(ctxs []string, edges []*pairCalls, keep func(*pairCalls) bool) graph.Graph[string, string] {
	g := graph.New(graph.StringHash, graph.Directed())
	in := setOf(ctxs)
	for _, c := range ctxs {
		must(g.AddVertex(c))
	}
	for _, e := range edges {
		if in[e.from] && in[e.to] && keep(e) {
			must(g.AddEdge(e.from, e.to))
		}
	}
	return g
}

// components are the strongly connected components of g of two vertices
// or more, each sorted, sorted by their first vertex: the library visits
// its maps in random order.
func components(g graph.Graph[string, string]) [][]string {
	sccs, err := graph.StronglyConnectedComponents(g)
	must(err)
	var out [][]string
	for _, c := range sccs {
		if len(c) < 2 {
			continue
		}
		c = append([]string(nil), c...)
		sort.Strings(c)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// must stops on an error the graph library cannot return here: the
// vertices are distinct context names, each edge joins two of them once,
// and the graph is directed.
func must(err error) {
	if err != nil {
		panic("migration: context graph: " + err.Error())
	}
}

func setOf(xs []string) map[string]bool {
	s := make(map[string]bool, len(xs))
	for _, x := range xs {
		s[x] = true
	}
	return s
}

// byWeight lists the keys of m, heaviest first, then by name.
func byWeight(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(
			cmp.Compare(m[b], m[a]),
			cmp.Compare(a, b),
		)
	})
	return out
}

// cycleName names a cycle by its contexts.
func cycleName(ctxs []string) string {
	if len(ctxs) <= 4 {
		return strings.Join(ctxs, " ⇄ ")
	}
	return fmt.Sprintf("%s ⇄ %d more contexts", strings.Join(ctxs[:4], " ⇄ "), len(ctxs)-4)
}

func edgeLabel(from, to string, syncSites int) string {
	return fmt.Sprintf("%s → %s (%s)", from, to, english.Plural(syncSites, "site"))
}

func cycleNote(c Cycle, loops [][]string) string {
	if !c.Synchronous {
		return fmt.Sprintf("every loop among %s passes through an event (a call whose every site is fire and forget): no deploy waits for another, so it blocks no step; make the consumers idempotent so that messages cannot echo back and forth", and(c.Contexts))
	}
	var parts []string
	onLoop := map[string]bool{}
	for _, l := range loops {
		verb := "call each other synchronously"
		if len(l) > 2 {
			verb = "call one another synchronously"
		}
		parts = append(parts, and(l)+" "+verb)
		for _, x := range l {
			onLoop[x] = true
		}
	}
	var aside []string
	for _, x := range c.Contexts {
		if !onLoop[x] {
			aside = append(aside, x)
		}
	}
	note := strings.Join(parts, "; ")
	if len(aside) > 0 {
		note += fmt.Sprintf(" (%s %s the cycle through events only)", and(aside), english.Agree(len(aside), "joins", "join"))
	}
	var breaks []string
	for _, b := range c.Break {
		breaks = append(breaks, edgeLabel(b.From, b.To, b.SyncSites))
	}
	which := "one of them while another stays"
	if len(loops) == 1 && len(loops[0]) == 2 {
		which = "one while the other stays"
	}
	return note + fmt.Sprintf(": extracting %s in the monolith makes a distributed cycle, where deploys depend on one another and latency and failures travel both ways. Before the first of them leaves, make %s asynchronous or invert %s, or extract them together as one service",
		which, listed(breaks, 6, "edge"), english.Agree(len(breaks), "it", "them"))
}

// and joins names as "a", "a and b", "a, b and c".
func and(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// cycleRisk is the risk fact of extracting c while the contexts in
// remaining stay in the monolith: the synchronous cycle it lies on with
// them, and the edges that break that loop; "" when there is none.
func (cs *cycleSet) cycleRisk(c string, remaining map[string]bool) string {
	var staying []string
	for _, o := range cs.syncPeers[c] {
		if remaining[o] {
			staying = append(staying, o)
		}
	}
	if len(staying) == 0 {
		return ""
	}
	cyc := cs.list[cs.of[c]]
	loop := setOf(append([]string{c}, cs.syncPeers[c]...))
	var breaks []string
	for _, b := range cyc.Break {
		if loop[b.From] && loop[b.To] {
			breaks = append(breaks, edgeLabel(b.From, b.To, b.SyncSites))
		}
	}
	with := and(staying)
	if len(staying) > 4 {
		with = listed(staying, 4, "context")
	}
	return fmt.Sprintf("synchronous cycle %s with %s still in the monolith: break %s first (an event or an inverted call)",
		cycleName(cyc.Contexts), with, listed(breaks, 3, "edge"))
}
