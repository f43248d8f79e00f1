package cluster

import (
	"maps"
	"math"
	"slices"

	"decompose/analysis/model"
)

// ReasonLibrary places in the kernel a group of packages that owns no
// entry point and no data and that several contexts, or none, use.
const ReasonLibrary = "library-owns-nothing"

// owners marks the contexts that own something a service is deployed
// for: an entry point (a route, an RPC, a consumer, a job or a main; an
// init function is none), a database table, or a domain the authors laid
// out as one (a package whose home is a service folder or a domain word:
// what the authors wrote stands where the analysis finds no route, as
// behind a router of the program's own).
func (r *run) owners(p *partition) []bool {
	u := r.u
	owns := make([]bool, p.nctx)
	mark := func(c int32) {
		if c >= 0 {
			owns[c] = true
		}
	}
	for _, e := range u.entries {
		if e.Kind == model.EntryInit {
			continue
		}
		if d, ok := u.declIdx[e.Decl]; ok {
			mark(p.ctx[d])
			continue
		}
		mark(p.pkgCtx[u.pkgIdx[e.Package]])
	}
	for _, t := range u.m.Tables {
		if d, ok := u.declIdx[t.Decl]; ok {
			mark(p.ctx[d])
		}
	}
	for pi, c := range p.pkgCtx {
		if r.lay.service[pi] || r.lay.how[pi] == homeWord {
			mark(c)
		}
	}
	for d, pin := range r.declPin {
		if pin >= 0 {
			mark(p.ctx[d])
		}
	}
	return owns
}

// ownership applies "a service owns something": a context that owns no
// entry point and no table is a library. One that two or more owning
// contexts use, or none does, joins the shared kernel (a messaging, event
// store, saga or value-type package used across services); one that a
// single context uses stays a context (a client of an outside service,
// such as a routing proxy, is that context's neighbour, not its part).
//
// When no context owns anything the analysis has found nothing a service
// is deployed for (a library analyzed alone), and the rule does not apply.
func (r *run) ownership(p *partition) {
	u := r.u
	owns := r.owners(p)
	if !slices.Contains(owns, true) {
		return
	}
	r.sharedLibraries(p, owns)
	users := make([]map[int32]bool, p.nctx)
	for _, e := range u.edges {
		from, to := p.ctx[u.declIdx[e.From]], p.ctx[u.declIdx[e.To]]
		if from < 0 || to < 0 || from == to || !owns[from] || owns[to] {
			continue
		}
		if users[to] == nil {
			users[to] = map[int32]bool{}
		}
		users[to][from] = true
	}
	for c := range p.nctx {
		if owns[c] || len(users[c]) == 1 {
			continue
		}
		for d := range u.decls {
			if p.ctx[d] == int32(c) && r.movable(d) {
				p.ctx[d] = kernelCtx
				p.reason[d] = ReasonLibrary
			}
		}
		for pi := range u.pkgs {
			if p.pkgCtx[pi] != int32(c) {
				continue
			}
			p.pkgCtx[pi] = r.wholeOrSplit(p, pi)
			if p.pkgCtx[pi] == kernelCtx {
				p.pkgReason[pi] = ReasonLibrary
			}
		}
	}
}

// pkgOwns reports whether a package owns something of its own: an entry
// point other than init, a table, or a home the layout names.
func (r *run) pkgOwns(pi int, tables map[int]bool) bool {
	u := r.u
	for _, e := range u.pkgs[pi].entries {
		if u.entries[e].Kind != model.EntryInit {
			return true
		}
	}
	return tables[pi] || r.lay.service[pi] || r.lay.how[pi] == homeWord
}

// sharedLibraries moves to the kernel each package placed whole in a
// context that owns nothing and whose home owns nothing either (a
// sub-package of a service's folder is the service's), that two or more
// owning contexts use, and that none of them holds most of the use of
// (community detection may put a library beside one of its users): what
// several services use alike and none owns is their shared kernel. It
// repeats until no package moves, since a library used only by another
// library is seen once that one has moved.
func (r *run) sharedLibraries(p *partition, owns []bool) {
	u := r.u
	tables := map[int]bool{}
	for _, t := range u.m.Tables {
		if d, ok := u.declIdx[t.Decl]; ok {
			tables[u.decls[d].pkg] = true
		}
	}
	homeOwns := map[string]bool{}
	for pi := range u.pkgs {
		if r.pkgOwns(pi, tables) {
			homeOwns[r.lay.home[pi]] = true
		}
	}
	for moved := true; moved; {
		moved = false
		use := map[int]map[int32]float64{}
		for _, e := range u.edges {
			f, t := u.declIdx[e.From], u.declIdx[e.To]
			fp, tp := u.decls[f].pkg, u.decls[t].pkg
			c := p.ctx[f]
			if fp == tp || u.pkgs[fp].main || c < 0 || !owns[c] || p.pkgCtx[tp] < 0 {
				continue
			}
			if use[tp] == nil {
				use[tp] = map[int32]float64{}
			}
			use[tp][c] += 1 + math.Log(math.Max(float64(e.Weight), 1))
		}
		for _, pi := range slices.Sorted(maps.Keys(use)) {
			if len(use[pi]) < 2 || u.pkgs[pi].main || homeOwns[r.lay.home[pi]] || r.forcedKP[pi] || r.pkgPin[pi] >= 0 {
				continue
			}
			if _, most := owner(use[pi]); most {
				continue
			}
			for _, d := range u.pkgs[pi].decls {
				if r.movable(d) {
					p.ctx[d] = kernelCtx
					p.reason[d] = ReasonLibrary
				}
			}
			if p.pkgCtx[pi] = r.wholeOrSplit(p, pi); p.pkgCtx[pi] == kernelCtx {
				p.pkgReason[pi] = ReasonLibrary
				moved = true
			}
		}
	}
}

// ReasonServiceFolder places a package with the rest of its service
// folder.
const ReasonServiceFolder = "service-folder"

// holdServiceFolders keeps each service folder together: every package
// of it that is in a context joins the context holding most of the
// folder's declarations, and so do its main packages (the folder's
// deployables, not composition roots of the whole program) and its
// packages that the kernel took for their use by other contexts (a
// service's published language). Siblings repeating one layout are the
// authors' own service boundaries; only configuration or wiring several
// contexts takes a package out of one.
func (r *run) holdServiceFolders(p *partition) {
	u := r.u
	mass := map[string]map[int32]float64{}
	for pi, pk := range u.pkgs {
		if !r.lay.service[pi] {
			continue
		}
		h := r.lay.home[pi]
		for _, d := range pk.decls {
			if c := p.ctx[d]; c >= 0 {
				if mass[h] == nil {
					mass[h] = map[int32]float64{}
				}
				mass[h][c] += r.declMass(d)
			}
		}
	}
	for pi, pk := range u.pkgs {
		if !r.lay.service[pi] || mass[r.lay.home[pi]] == nil {
			continue
		}
		to, _ := owner(mass[r.lay.home[pi]])
		// use by other contexts is no reason to leave: a package of a
		// service's folder that others use is its published language
		held := func(c int32, reason string) bool {
			return c >= 0 || pk.main || (c == kernelCtx && (reason == ReasonSpread || reason == ReasonLibrary || reason == ReasonUnconnected))
		}
		if p.pkgCtx[pi] != to && held(p.pkgCtx[pi], p.pkgReason[pi]) {
			p.pkgReason[pi] = ReasonServiceFolder
		}
		for _, d := range pk.decls {
			if c := p.ctx[d]; held(c, p.reason[d]) && c != to && r.movable(d) {
				p.ctx[d] = to
				p.reason[d] = ReasonServiceFolder
			}
		}
		switch {
		case len(pk.decls) == 0 && p.pkgReason[pi] == ReasonServiceFolder:
			p.pkgCtx[pi] = to
		case p.pkgCtx[pi] != to:
			p.pkgCtx[pi] = r.wholeOrSplit(p, pi)
		}
	}
}
