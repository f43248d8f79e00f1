package state

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"decompose/analysis/checks"

	"golang.org/x/tools/go/ssa"
)

func isCachePath(path string) bool {
	for _, c := range checks.CachePackages {
		if within(path, c) {
			return true
		}
	}
	return false
}

// isCacheType reports whether t or *t is a type of a cache library.
func isCacheType(t types.Type) bool {
	path, _ := typeName(t)
	return path != "" && isCachePath(path)
}

// cacheShaped reports whether t or *t is a type of a third-party package
// (one whose code is not inspected here: a dependency has no bodies) that
// works as an in-process key-value cache, judged by its methods: a lookup
// by key that answers the value and whether it was there, with no context
// and no error (a client of a remote cache needs both), and a method that
// stores a value under a key or fills the cache from a loader function.
// A type whose writing methods are known to change it (from their bodies,
// or as facts) is left to the checks that read bodies.
func (p *pass) cacheShaped(t types.Type) bool {
	n := namedOf(t)
	if n == nil || n.Obj().Pkg() == nil || n.Obj().Pkg() == p.pkg.Pkg {
		return false
	}
	path := n.Obj().Pkg().Path()
	if first, _, _ := strings.Cut(path, "/"); !strings.Contains(first, ".") {
		return false // the standard library, or a package of the program
	}
	ms := types.NewMethodSet(types.NewPointer(n))
	lookup, fill := false, false
	for i := 0; i < ms.Len(); i++ {
		f, ok := ms.At(i).Obj().(*types.Func)
		if !ok || !f.Exported() {
			continue
		}
		if p.isMutator(f) || p.foreign != nil && p.foreign(f) {
			return false
		}
		sig := f.Type().(*types.Signature)
		params, results := sig.Params(), sig.Results()
		switch {
		case params.Len() == 1 && !isContext(params.At(0).Type()) && results.Len() == 2 &&
			types.Identical(results.At(1).Type(), types.Typ[types.Bool]) && !isError(results.At(0).Type()):
			lookup = true // v, ok := c.Get(key)
		case isCacheWrite(f.Name()) && params.Len() >= 2, takesLoader(sig):
			fill = true
		}
	}
	return lookup && fill
}

func isContext(t types.Type) bool { return typeIs(t, "context", "Context") }

func isError(t types.Type) bool { return types.Identical(t, types.Universe.Lookup("error").Type()) }

// takesLoader reports whether a method takes a function that produces a
// value: a read-through lookup that fills the cache on a miss.
func takesLoader(sig *types.Signature) bool {
	for i := 0; i < sig.Params().Len(); i++ {
		if fs, ok := sig.Params().At(i).Type().Underlying().(*types.Signature); ok && fs.Results().Len() > 0 {
			return true
		}
	}
	return false
}

// isCacheWrite reports the cache methods that change its contents.
func isCacheWrite(name string) bool {
	for _, p := range []string{"Add", "Set", "Put", "Replace", "Increment", "Decrement", "Delete", "Remove", "Purge", "Resize", "Append", "Flush", "Clear", "Reset", "Evict", "ContainsOrAdd", "PeekOrAdd", "GetOrSet", "LoadOrStore", "Store", "Invalidate"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// caches reports package variables and fields whose type comes from an
// in-process cache library, with the code that fills and reads them.
func (p *pass) caches() {
	type holder struct {
		obj    *types.Var
		id     string
		writes []Access
		reads  []Access
	}
	byObj := map[*types.Var]*holder{}
	var order []*holder
	add := func(v *types.Var, id string) {
		if _, ok := byObj[v]; !ok {
			h := &holder{obj: v, id: id}
			byObj[v] = h
			order = append(order, h)
		}
	}
	path := p.pkg.Pkg.Path()
	for _, m := range p.pkg.Members {
		switch m := m.(type) {
		case *ssa.Global:
			if v, ok := m.Object().(*types.Var); ok && (isCacheType(v.Type()) || p.cacheShaped(v.Type())) {
				add(v, path+"."+m.Name())
			}
		case *ssa.Type:
			named, ok := types.Unalias(m.Type()).(*types.Named)
			if !ok {
				continue
			}
			if s, ok := named.Underlying().(*types.Struct); ok {
				for i := 0; i < s.NumFields(); i++ {
					if f := s.Field(i); isCacheType(f.Type()) || p.cacheShaped(f.Type()) {
						add(f, path+"."+named.Obj().Name()+"."+f.Name())
					}
				}
			}
		}
	}
	if len(order) == 0 {
		return
	}
	p.each(func(fn *ssa.Function, instr ssa.Instruction) {
		c, ok := instr.(ssa.CallInstruction)
		if !ok {
			return
		}
		recv := receiverArg(c.Common())
		f := calleeFunc(c.Common())
		if recv == nil || f == nil {
			return
		}
		o := p.originOf(recv)
		var h *holder
		if g, ok := o.root.(*ssa.Global); ok && o.leaf == nil {
			if v, ok := g.Object().(*types.Var); ok {
				h = byObj[v]
			}
		} else if o.leaf != nil {
			h = byObj[o.leaf.Origin()]
		}
		if h == nil {
			return
		}
		if isCacheWrite(f.Name()) || takesLoader(f.Type().(*types.Signature)) {
			h.writes = append(h.writes, p.access(fn, instr, OpMethod, f.Name()))
		} else {
			h.reads = append(h.reads, p.access(fn, instr, OpRead, f.Name()))
		}
	})
	sort.SliceStable(order, func(i, j int) bool { return before(p.fset, order[i].obj.Pos(), order[j].obj.Pos()) })
	for _, h := range order {
		h.writes, h.reads = dedupe(h.writes), dedupe(h.reads)
		lib, typ := typeName(h.obj.Type())
		libName := namedOf(h.obj.Type()).Obj().Pkg().Name()
		where := "package variable"
		if h.obj.IsField() {
			where = "field"
		}
		filled := ""
		if len(h.writes) > 0 {
			filled = "; filled by " + strings.Join(shortNames(decls(h.writes)), ", ")
		}
		p.add(Finding{
			Check:   CacheLibrary,
			Pos:     h.obj.Pos(),
			Object:  h.id,
			Var:     h.obj,
			Detail:  lib,
			Writers: h.writes,
			Readers: h.reads,
			Message: fmt.Sprintf("%s %s holds an in-process cache (%s.%s)%s%s", where, shortName(h.id), libName, typ, filled, readBy(h.reads)),
		})
	}
}
