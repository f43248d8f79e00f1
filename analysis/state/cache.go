package state

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// cachePackages are the in-process cache libraries, by module path; any
// major version and subpackage matches.
var cachePackages = []string{
	"github.com/hashicorp/golang-lru",
	"github.com/patrickmn/go-cache",
	"github.com/dgraph-io/ristretto",
	"github.com/allegro/bigcache",
	"github.com/coocood/freecache",
	"github.com/golang/groupcache",
	"github.com/mailgun/groupcache",
	"github.com/karlseguin/ccache",
	"github.com/jellydator/ttlcache",
	"github.com/bluele/gcache",
	"github.com/VictoriaMetrics/fastcache",
	"github.com/maypok86/otter",
	"github.com/Yiling-J/theine-go",
}

func isCachePath(path string) bool {
	for _, c := range cachePackages {
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
			if v, ok := m.Object().(*types.Var); ok && isCacheType(v.Type()) {
				add(v, path+"."+m.Name())
			}
		case *ssa.Type:
			named, ok := types.Unalias(m.Type()).(*types.Named)
			if !ok {
				continue
			}
			if s, ok := named.Underlying().(*types.Struct); ok {
				for i := 0; i < s.NumFields(); i++ {
					if f := s.Field(i); isCacheType(f.Type()) {
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
		if isCacheWrite(f.Name()) {
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
