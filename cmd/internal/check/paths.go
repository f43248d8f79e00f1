package check

import (
	"strings"

	"decompose/analysis/model"
)

// paths finds call paths from the program's entry points: first from
// those that serve (routes, RPC, consumers, background work), then from
// main and init.
type paths struct {
	calls  map[string][]string // caller → callees, in edge order
	tiers  [2]map[string]step
	loaded bool
	m      *model.Model
}

// step is how a breadth-first search reached a declaration: from prev,
// or, at an entry point, with its label.
type step struct{ prev, label string }

func newPaths(m *model.Model) *paths { return &paths{m: m} }

func (p *paths) load() {
	p.loaded = true
	p.calls = map[string][]string{}
	for _, e := range p.m.Edges {
		if e.Kind == model.EdgeCall || e.Kind == model.EdgeDynamicCall {
			p.calls[e.From] = append(p.calls[e.From], e.To)
		}
	}
	var seeds [2][]model.EntryPoint
	for _, e := range p.m.EntryPoints {
		if e.Decl == "" {
			continue
		}
		tier := 0
		if e.Kind == model.EntryMain || e.Kind == model.EntryInit {
			tier = 1
		}
		seeds[tier] = append(seeds[tier], e)
	}
	for i, s := range seeds {
		p.tiers[i] = p.search(s)
	}
}

func (p *paths) search(entries []model.EntryPoint) map[string]step {
	reached := map[string]step{}
	var queue []string
	for _, e := range entries {
		if _, ok := reached[e.Decl]; ok {
			continue
		}
		label := string(e.Kind)
		if e.Route != "" {
			label = strings.TrimSpace(e.Method + " " + e.Route)
		}
		reached[e.Decl] = step{label: label}
		queue = append(queue, e.Decl)
	}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		for _, next := range p.calls[d] {
			if _, ok := reached[next]; !ok {
				reached[next] = step{prev: d}
				queue = append(queue, next)
			}
		}
	}
	return reached
}

// maxPathLen caps a path: its entry, then the last declarations.
const maxPathLen = 12

// to is a shortest call path from an entry point to from, then target; nil
// when no entry point reaches from.
func (p *paths) to(from, target string) []string {
	if !p.loaded {
		p.load()
	}
	for _, reached := range p.tiers {
		if _, ok := reached[from]; !ok {
			continue
		}
		var rev []string
		d := from
		for {
			s := reached[d]
			rev = append(rev, d)
			if s.label != "" {
				rev = append(rev, s.label)
				break
			}
			d = s.prev
		}
		out := make([]string, 0, len(rev)+1)
		for i := len(rev) - 1; i >= 0; i-- {
			out = append(out, rev[i])
		}
		if target != "" && target != from {
			out = append(out, target)
		}
		if len(out) > maxPathLen {
			out = append([]string{out[0], "…"}, out[len(out)-(maxPathLen-2):]...)
		}
		return out
	}
	return nil
}
