package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"sort"

	"golang.org/x/tools/go/callgraph"
	"golang.org/x/tools/go/ssa"

	"decompose/analysis/model"
	"decompose/analysis/state"
)

// reach is what the call graph says about when each function runs: the
// phase of the entry points that reach it, most consequential first
// (request, background, start-up, init), and for each function the caller
// through which it was first reached, to rebuild a call path.
type reach struct {
	phase  map[*ssa.Function]state.Phase
	parent map[*ssa.Function]*ssa.Function
	label  map[*ssa.Function]string // the entry a root stands for
}

// reachability walks the call graph from the entry points' functions.
// Dependencies have no bodies, so the walk stays in the analyzed code; the
// registrations found by entryPoints stand in for the library calls that
// invoke handlers.
func (b *builder) reachability(cg *callgraph.Graph) *reach {
	r := &reach{phase: map[*ssa.Function]state.Phase{}, parent: map[*ssa.Function]*ssa.Function{}, label: map[*ssa.Function]string{}}
	order := []struct {
		phase state.Phase
		kinds []model.EntryKind
	}{
		{state.PhaseRequest, []model.EntryKind{model.EntryHTTP, model.EntryGRPC, model.EntryConsumer}},
		{state.PhaseBackground, []model.EntryKind{model.EntryBackground}},
		{state.PhaseStartup, []model.EntryKind{model.EntryMain}},
		{state.PhaseInit, []model.EntryKind{model.EntryInit}},
	}
	for _, o := range order {
		var queue []*ssa.Function
		for _, rt := range b.roots {
			if !slices.Contains(o.kinds, rt.kind) {
				continue
			}
			if _, seen := r.phase[rt.fn]; seen {
				continue
			}
			r.phase[rt.fn] = o.phase
			r.label[rt.fn] = rt.label
			queue = append(queue, rt.fn)
			// function literals run when their encloser says so;
			// a registration inside main reaches them as values,
			// not calls, so they are not walked from here.
		}
		for len(queue) > 0 {
			fn := queue[0]
			queue = queue[1:]
			var node *callgraph.Node
			if cg != nil {
				node = cg.Nodes[fn]
			}
			if node == nil {
				continue
			}
			// the call graph's edge order follows map iteration inside
			// the algorithm: visit new callees in a fixed order, so that
			// the first caller recorded (and so every path) is the same
			// on every run. Callees reached already are left out before
			// sorting: test code calls helpers with thousands of edges.
			type keyed struct {
				callee *ssa.Function
				pos    position
				name   string
			}
			var out []keyed
			for _, e := range node.Out {
				if _, seen := r.phase[e.Callee.Func]; !seen {
					out = append(out, keyed{e.Callee.Func, b.pos(e.Pos()), e.Callee.Func.String()})
				}
			}
			sort.SliceStable(out, func(i, j int) bool {
				if out[i].pos != out[j].pos {
					return out[i].pos.less(out[j].pos)
				}
				return out[i].name < out[j].name
			})
			for _, e := range out {
				if _, seen := r.phase[e.callee]; seen {
					continue
				}
				r.phase[e.callee] = o.phase
				r.parent[e.callee] = fn
				queue = append(queue, e.callee)
			}
		}
	}
	return r
}

func (r *reach) phaseOf(fn *ssa.Function) state.Phase {
	if fn == nil {
		return state.PhaseUnknown
	}
	if p, ok := r.phase[fn]; ok {
		return p
	}
	// a function literal not reached itself runs as its encloser does
	if fn.Parent() != nil {
		return r.phaseOf(fn.Parent())
	}
	return state.PhaseUnknown
}

// maxPath caps the length of a call path: the entry point and the first
// declarations, then how many were left out, then the last ones, which
// make the access.
const maxPath = 64

// path is the call path from an entry point to fn: the entry's label, then
// the declarations on the way, without repeats, at most maxPath of them.
func (b *builder) path(r *reach, fn *ssa.Function) []string {
	var chain []*ssa.Function
	seen := map[*ssa.Function]bool{} // the parents form a tree; this makes sure
	for f := fn; f != nil && !seen[f]; {
		seen[f] = true
		if _, ok := r.phase[f]; !ok && f.Parent() != nil {
			f = f.Parent()
			continue
		}
		chain = append(chain, f)
		if _, isRoot := r.label[f]; isRoot {
			break
		}
		f = r.parent[f]
	}
	if len(chain) == 0 {
		return nil
	}
	label, ok := r.label[chain[len(chain)-1]]
	if !ok {
		return nil
	}
	out := []string{label}
	for i := len(chain) - 1; i >= 0; i-- {
		u := b.fnUnit(chain[i])
		if u != "" && u != out[len(out)-1] {
			out = append(out, u)
		}
	}
	if len(out) > maxPath {
		head, tail := out[:maxPath/2], out[len(out)-(maxPath/2-1):]
		gap := fmt.Sprintf("… %d more calls …", len(out)-len(head)-len(tail))
		out = append(append(slices.Clip(head), gap), tail...)
	}
	return out
}

// state runs the state checks on the analyzed packages with the phases the
// call graph gives, and turns their findings into plain data.
func (b *builder) state(cg *callgraph.Graph) ([]model.Finding, []model.TableAccess) {
	r := b.reachability(cg)
	isRoot := map[*ssa.Function]bool{}
	for _, rt := range b.roots {
		if rt.kind == model.EntryHTTP || rt.kind == model.EntryGRPC || rt.kind == model.EntryConsumer {
			isRoot[rt.fn] = true
		}
	}
	var pkgs []*ssa.Package
	seen := map[string]bool{}
	for _, p := range b.prog.sortedSSA() {
		// one variant per package: the plain one, which the other
		// packages use, comes first in sortedSSA
		if !seen[p.Pkg.Path()] && !b.testVariant[p] {
			seen[p.Pkg.Path()] = true
			pkgs = append(pkgs, p)
		}
	}
	for _, p := range b.prog.sortedSSA() {
		if !seen[p.Pkg.Path()] {
			seen[p.Pkg.Path()] = true
			pkgs = append(pkgs, p)
		}
	}
	opts := &state.Options{
		Decl:    b.instrUnit,
		Phase:   r.phaseOf,
		Handler: func(fn *ssa.Function) bool { return isRoot[fn] },
	}
	raw := state.InspectProgram(pkgs, opts)
	state.Resolve(raw, r.phaseOf)

	findings := make([]model.Finding, 0, len(raw))
	var tables []model.TableAccess
	for i := range raw {
		f := &raw[i]
		out := model.Finding{
			Check:    f.Check.Name,
			Title:    f.Check.Title,
			Severity: f.Severity,
			Basis:    f.Basis,
			Pos:      state.Where(b.fset, f.Pos, b.prog.Root),
			Object:   f.Object,
			Decl:     f.Decl,
			Variant:  f.Variant,
			Detail:   f.Detail,
			Message:  f.Message,
			Why:      f.Why,
			Remedy:   f.Remedy,
		}
		if f.Func != nil {
			out.Phase = f.Phase
			out.Path = b.path(r, f.Func)
		}
		var worst *ssa.Function
		worstRank, worstPos := -1, ""
		for _, a := range f.Writers {
			sa := b.stateAccess(a)
			out.Writers = append(out.Writers, sa)
			// the most consequential phase; the first position breaks ties
			if rank := phaseRank(a.Phase); rank > worstRank || rank == worstRank && sa.Pos < worstPos {
				worst, worstRank, worstPos = a.Func, rank, sa.Pos
			}
		}
		for _, a := range f.Readers {
			out.Readers = append(out.Readers, b.stateAccess(a))
		}
		sortAccesses(out.Writers)
		sortAccesses(out.Readers)
		if out.Path == nil && worst != nil {
			out.Path = b.path(r, worst)
		}
		for _, t := range f.Tables {
			tables = append(tables, model.TableAccess{Table: t.Table, Decl: t.Decl, Write: t.Write,
				Pos: state.Where(b.fset, t.Pos, b.prog.Root), Via: t.Via})
		}
		findings = append(findings, out)
	}
	slices.SortStableFunc(findings, func(a, c model.Finding) int {
		return cmp.Or(
			cmp.Compare(a.Pos, c.Pos),
			cmp.Compare(a.Check, c.Check),
			cmp.Compare(a.Object, c.Object),
		)
	})
	return findings, dedupeTables(tables)
}

func (b *builder) stateAccess(a state.Access) model.StateAccess {
	return model.StateAccess{Decl: a.Decl, Pos: state.Where(b.fset, a.Pos, b.prog.Root), Op: string(a.Op), Phase: a.Phase}
}

// sortAccesses orders accesses by rendered position: the checks list them
// by token.Pos, which follows the order files happened to be parsed in.
func sortAccesses(as []model.StateAccess) {
	slices.SortFunc(as, func(a, b model.StateAccess) int {
		return cmp.Or(
			cmp.Compare(a.Pos, b.Pos),
			cmp.Compare(a.Decl, b.Decl),
			cmp.Compare(a.Op, b.Op),
		)
	})
}

// phaseRank orders phases by how much state touched there matters.
func phaseRank(p state.Phase) int {
	switch p {
	case state.PhaseRequest:
		return 4
	case state.PhaseBackground:
		return 3
	case state.PhaseUnknown:
		return 2
	case state.PhaseStartup:
		return 1
	}
	return 0
}

func dedupeTables(ts []model.TableAccess) []model.TableAccess {
	sort.Slice(ts, func(i, j int) bool {
		a, c := ts[i], ts[j]
		if a.Table != c.Table {
			return a.Table < c.Table
		}
		if a.Decl != c.Decl {
			return a.Decl < c.Decl
		}
		if a.Write != c.Write {
			return !a.Write
		}
		return a.Pos < c.Pos
	})
	var out []model.TableAccess
	for _, t := range ts {
		if n := len(out); n > 0 && out[n-1].Table == t.Table && out[n-1].Decl == t.Decl && out[n-1].Write == t.Write {
			continue // the first site stands for the declaration
		}
		out = append(out, t)
	}
	return out
}
