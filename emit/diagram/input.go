package diagram

import (
	"path"
	"sort"
	"strings"
	"sync"

	"decompose/analysis/model"
	"decompose/cluster"
)

// Input is what the diagrams draw: a model and its decomposition.
type Input struct {
	Model         *model.Model
	Decomposition *cluster.Decomposition
	// Blockers counts the blocker findings of each context, by context
	// name (Kernel for the shared kernel); nil draws no blockers.
	Blockers map[string]int
	// Breaks are the synchronous calls between contexts, {from, to}, that
	// the plan proposes to make asynchronous or invert to break a
	// dependency cycle; the context map draws them in red.
	Breaks map[[2]string]bool
}

// Options cap what a diagram draws. A zero field takes its default:
// DefaultMaxNodes and DefaultMaxEdges for DOT (ContextMapMaxEdges for
// the context map), MermaidMaxNodes and MermaidMaxEdges for Mermaid.
type Options struct {
	// MaxNodes caps the nodes drawn, the note node aside.
	MaxNodes int
	// MaxEdges caps the edges drawn; the lightest go first.
	MaxEdges int
}

// The default caps. The context map and Mermaid diagrams draw fewer
// edges: every context pair is a long edge across the picture (past 60
// they cross into a mesh nobody reads), and GitHub lays Mermaid out in
// the page's width.
const (
	DefaultMaxNodes    = 60
	DefaultMaxEdges    = 150
	ContextMapMaxEdges = 60
	MermaidMaxNodes    = 30
	MermaidMaxEdges    = 60
)

func (o Options) dot() Options     { return o.withDefaults(DefaultMaxNodes, DefaultMaxEdges) }
func (o Options) mermaid() Options { return o.withDefaults(MermaidMaxNodes, MermaidMaxEdges) }

func (o Options) withDefaults(nodes, edges int) Options {
	if o.MaxNodes <= 0 {
		o.MaxNodes = nodes
	}
	if o.MaxEdges <= 0 {
		o.MaxEdges = edges
	}
	return o
}

// index is the model seen through the decomposition: where each
// declaration is, and how its call sites split into synchronous and
// asynchronous ones.
type index struct {
	in       Input
	contexts []*cluster.Context // sorted by name
	byName   map[string]*cluster.Context
	place    func(model.Decl) string
	group    map[string]string // declaration ID → context, model.Kernel or ""
	pkgOf    map[string]string // declaration ID → package
	decls    map[string]*model.Decl
	// split lists the packages that do not lie wholly in one place.
	split map[string]bool
	// modelAsync is set when the model records asynchronous call sites;
	// background lists the handlers of background entry points, used
	// when it does not.
	modelAsync bool
	background map[string]bool

	// computed once, on first use, and shared by every diagram drawn
	// from the index
	pkgOnce     sync.Once
	pkgUnits    []unit
	pkgLinks    []link
	byGroupOnce sync.Once
	byGroup     map[string][]int
}

// Drawer draws the diagrams of one Input, indexing it once: drawing every
// context's inside view from one Drawer costs one pass over the edges, not
// one per context. It is safe for concurrent use.
type Drawer struct{ x *index }

// NewDrawer indexes in for drawing.
func NewDrawer(in Input) *Drawer { return &Drawer{x: newIndex(in)} }

// edgesOf lists, in model order, the indexes of the edges with an end
// placed in group g.
func (x *index) edgesOf(g string) []int {
	x.byGroupOnce.Do(func() {
		x.byGroup = map[string][]int{}
		for i, e := range x.in.Model.Edges {
			gf, gt := x.group[e.From], x.group[e.To]
			if gf == "" || gt == "" {
				continue
			}
			x.byGroup[gf] = append(x.byGroup[gf], i)
			if gt != gf {
				x.byGroup[gt] = append(x.byGroup[gt], i)
			}
		}
	})
	return x.byGroup[g]
}

func newIndex(in Input) *index {
	m, d := in.Model, in.Decomposition
	if m == nil {
		m = &model.Model{}
	}
	if d == nil {
		d = &cluster.Decomposition{}
	}
	in.Model, in.Decomposition = m, d
	x := &index{
		in:         in,
		byName:     map[string]*cluster.Context{},
		group:      make(map[string]string, len(m.Decls)),
		pkgOf:      make(map[string]string, len(m.Decls)),
		decls:      make(map[string]*model.Decl, len(m.Decls)),
		split:      map[string]bool{},
		background: map[string]bool{},
	}
	for i := range d.Contexts {
		c := &d.Contexts[i]
		x.contexts = append(x.contexts, c)
		x.byName[c.Name] = c
		for _, mem := range c.Members {
			x.split[mem.Package] = true
		}
	}
	sort.SliceStable(x.contexts, func(i, j int) bool { return x.contexts[i].Name < x.contexts[j].Name })
	for _, p := range d.Split {
		x.split[p] = true
	}
	for _, mem := range d.Kernel.Members {
		x.split[mem.Package] = true
	}
	x.place = d.Placement().ContextOf
	for i := range m.Decls {
		decl := &m.Decls[i]
		x.decls[decl.ID] = decl
		x.group[decl.ID] = x.place(*decl)
		x.pkgOf[decl.ID] = decl.Package
	}
	for _, e := range m.Edges {
		if e.Async > 0 {
			x.modelAsync = true
			break
		}
	}
	for _, ep := range m.EntryPoints {
		if ep.Kind == model.EntryBackground && ep.Decl != "" {
			x.background[ep.Decl] = true
		}
	}
	return x
}

// groups lists the context names, sorted, then Kernel.
func (x *index) groups() []string {
	out := make([]string, 0, len(x.contexts)+1)
	for _, c := range x.contexts {
		out = append(out, c.Name)
	}
	return append(out, model.Kernel)
}

// isCall tells the edges that are calls: what becomes a remote call when
// the two ends are split apart.
func isCall(k model.EdgeKind) bool {
	return k == model.EdgeCall || k == model.EdgeDynamicCall
}

// isUse tells the edges a package graph aggregates: every dependency of
// code on code or state. An implementation is left out: Go does not make
// a type depend on the interfaces it satisfies.
func isUse(k model.EdgeKind) bool {
	return k != model.EdgeImplements
}

// asyncSites counts the asynchronous sites of a call edge: those the
// model records as not waiting for an outcome (a call in a go statement,
// or one whose results are all discarded). A model that records none at
// all (an older one, or one built by hand) falls back to: a dynamic call
// made by the handler of a background entry point is asynchronous.
func (x *index) asyncSites(e model.Edge) int {
	if !isCall(e.Kind) {
		return 0
	}
	if x.modelAsync {
		return min(e.Async, e.Weight)
	}
	if e.Kind == model.EdgeDynamicCall && x.background[e.From] {
		return e.Weight
	}
	return 0
}

// rel shortens a package path for a label: relative to the decomposition's
// root, or to the module; the root package itself keeps its last element.
func (x *index) rel(pkg string) string {
	for _, root := range []string{x.in.Decomposition.Root, x.in.Decomposition.Module} {
		if root == "" {
			continue
		}
		if pkg == root {
			return ""
		}
		if r, ok := strings.CutPrefix(pkg, root+"/"); ok {
			return r
		}
	}
	return pkg
}

// pkgLabel names a package in a diagram.
func (x *index) pkgLabel(pkg string) string {
	if r := x.rel(pkg); r != "" {
		return r
	}
	return path.Base(pkg)
}
