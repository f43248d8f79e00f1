package state

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// globalUse gathers the accesses to one package variable.
type globalUse struct {
	g      *ssa.Global
	writes []Access
	reads  []Access
	locks  []Access
	// onceValue names the sync function that built the variable
	// (sync.OnceValue and friends), if one did.
	onceValue string
}

// collectGlobals records the accesses that the package's code makes to
// package variables that tracked accepts, into uses.
func (p *pass) collectGlobals(uses map[*ssa.Global]*globalUse, tracked func(*ssa.Global) bool) {
	get := func(g *ssa.Global) *globalUse {
		u := uses[g]
		if u == nil {
			u = &globalUse{g: g}
			uses[g] = u
		}
		return u
	}
	root := func(v ssa.Value) (*ssa.Global, origin) {
		o := p.originOf(v)
		if g, ok := o.root.(*ssa.Global); ok && tracked(g) {
			return g, o
		}
		return nil, o
	}
	p.each(func(fn *ssa.Function, instr ssa.Instruction) {
		done := map[*ssa.Global]bool{}
		for _, m := range p.mutationsIn(instr, nil) {
			g, o := root(m.target)
			if g == nil {
				continue
			}
			op := m.op
			if st, ok := instr.(*ssa.Store); ok {
				if o.selected || st.Addr != g {
					op = OpElement
				}
				if c, ok := st.Val.(*ssa.Call); ok && st.Addr == g && isOnceValueCall(&c.Call) {
					get(g).onceValue = "sync." + calleeFunc(&c.Call).Name()
					op = OpOnce
				}
			}
			get(g).writes = append(get(g).writes, p.access(fn, instr, op, m.method))
			done[g] = true
		}
		if c, ok := instr.(ssa.CallInstruction); ok && isLockCall(c.Common()) {
			if g, _ := root(receiverArg(c.Common())); g != nil {
				get(g).locks = append(get(g).locks, p.access(fn, instr, OpLock, calleeFunc(c.Common()).Name()))
				done[g] = true
			}
		}
		if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.MUL {
			if g, _ := root(u.X); g != nil && !done[g] && !feedsWrite(u) {
				get(g).reads = append(get(g).reads, p.access(fn, instr, OpRead, ""))
			}
			return
		}
		// The address of a variable handed on may be written through:
		// json.Unmarshal(b, &cfg), flag.StringVar(&addr, ...),
		// rows.Scan(&n). Calls of its methods read it unless they are
		// known to change it (found above).
		for _, opnd := range instr.Operands(nil) {
			g, ok := (*opnd).(*ssa.Global)
			if !ok || !tracked(g) || done[g] {
				continue
			}
			switch in := instr.(type) {
			case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Slice:
				continue // reads and writes are found at the load or store
			case *ssa.Store:
				if in.Addr == g {
					continue
				}
			case ssa.CallInstruction:
				c := in.Common()
				if receiverArg(c) == g || isAtomicLoad(calleeFunc(c)) || builtinName(c) != "" {
					get(g).reads = append(get(g).reads, p.access(fn, instr, OpRead, ""))
					done[g] = true
					continue
				}
			case *ssa.ChangeType, *ssa.Phi, *ssa.BinOp:
				get(g).reads = append(get(g).reads, p.access(fn, instr, OpRead, ""))
				done[g] = true
				continue
			}
			get(g).writes = append(get(g).writes, p.access(fn, instr, OpAddress, ""))
			done[g] = true
		}
	})
}

func isAtomicLoad(f *types.Func) bool {
	return f != nil && f.Pkg() != nil && f.Pkg().Path() == "sync/atomic" && strings.HasPrefix(f.Name(), "Load")
}

// classifyGlobals classifies the package's variables by how they are
// written: only during initialisation, replaced at run time, or changed in
// place at run time; and reports the package-level locks.
func (p *pass) classifyGlobals(uses map[*ssa.Global]*globalUse) {
	var gs []*ssa.Global
	for _, m := range p.pkg.Members {
		if g, ok := m.(*ssa.Global); ok && g.Name() != "init$guard" && g.Name() != "_" && !cgoGenerated(g.Name()) {
			gs = append(gs, g)
		}
	}
	sort.Slice(gs, func(i, j int) bool { return before(p.fset, gs[i].Pos(), gs[j].Pos()) })
	for _, g := range gs {
		u := uses[g]
		if u == nil {
			continue
		}
		u.writes = dedupe(u.writes)
		u.reads = dedupe(u.reads)
		u.locks = dedupe(u.locks)
		t := g.Type().(*types.Pointer).Elem()
		switch {
		case isLockType(t):
			if len(u.locks) > 0 {
				p.reportLock(g, u, uses)
			}
			continue
		case isSyncType(t), isCacheType(t), p.cacheShaped(t):
			continue // coordination, or reported as a cache
		}
		p.reportGlobal(g, t, u)
	}
}

// cgoGenerated reports the variables cgo generates for its calls.
func cgoGenerated(name string) bool {
	return strings.HasPrefix(name, "_cgo_") || strings.HasPrefix(name, "__cgo") || strings.HasPrefix(name, "_Cgo_")
}

func (p *pass) reportGlobal(g *ssa.Global, t types.Type, u *globalUse) {
	obj, _ := g.Object().(*types.Var)
	id := p.pkg.Pkg.Path() + "." + g.Name()
	f := Finding{Pos: g.Pos(), Object: id, Var: obj, Writers: u.writes, Readers: u.reads}
	kind := valueKind(t)
	noun := describe(g.Name(), t, kind)
	initOnly := true
	accumulates := false
	for _, w := range u.writes {
		if w.Phase != PhaseInit {
			initOnly = false
			if w.Op.Accumulates() {
				accumulates = true
			}
		}
	}
	switch {
	case u.onceValue != "":
		f.Check = GlobalSingleton
		f.Variant, f.Detail = VariantOnceValue, u.onceValue
		f.Message = fmt.Sprintf("package variable %s (%s) is built lazily by %s%s", g.Name(), noun, u.onceValue, readBy(u.reads))
		f.Remedy = singletonRemedy(t)
	case initOnly:
		if isErrorType(t) || len(u.writes)+len(u.reads) == 0 {
			return // error sentinels and unused variables hold no state
		}
		f.Check = GlobalInitOnly
		f.Variant = kind
		f.Message = fmt.Sprintf("package variable %s (%s) is set during initialisation and only read afterwards%s", g.Name(), noun, readBy(u.reads))
	case accumulates:
		f.Check = GlobalMutable
		f.Variant = kind
		w := firstRuntime(u.writes, true)
		f.Message = fmt.Sprintf("package variable %s (%s) %s at run time by %s%s", g.Name(), noun, verb(w), shortName(w.Decl), readBy(u.reads))
		f.Remedy = mutableRemedy(g.Name(), kind)
	default:
		f.Check = GlobalSingleton
		f.Variant = kind
		w := firstRuntime(u.writes, false)
		how := "assigned"
		if w.Op == OpAddress {
			how = "written through its address"
		}
		if w.Once {
			how += " inside sync.Once.Do"
		}
		f.Message = fmt.Sprintf("package variable %s (%s) is %s at run time by %s%s", g.Name(), noun, how, shortName(w.Decl), readBy(u.reads))
		f.Remedy = singletonRemedy(t)
	}
	p.add(f)
}

// firstRuntime returns the first write after initialisation, preferring
// one that accumulates if acc is set.
func firstRuntime(ws []Access, acc bool) Access {
	for _, w := range ws {
		if w.Phase != PhaseInit && (!acc || w.Op.Accumulates()) {
			return w
		}
	}
	return ws[0]
}

func verb(a Access) string {
	switch a.Op {
	case OpMapUpdate:
		return "gets entries added"
	case OpMapDelete:
		return "has entries deleted"
	case OpAppend:
		return "is appended to"
	case OpUpdate:
		if a.Method != "" {
			return "is updated by " + a.Method
		}
		return "is updated from its own value"
	case OpMethod:
		return "is changed by its method " + a.Method
	}
	return "is modified in place"
}

// readBy lists up to three readers.
func readBy(rs []Access) string {
	names := decls(rs)
	if len(names) == 0 {
		return ""
	}
	for i := range names {
		names[i] = shortName(names[i])
	}
	if len(names) > 3 {
		names = append(names[:3], fmt.Sprintf("%d more", len(names)-3))
	}
	return "; read by " + strings.Join(names, ", ")
}

// dedupe keeps the first access of each function and op.
func dedupe(as []Access) []Access {
	type key struct {
		fn *ssa.Function
		op Op
	}
	seen := map[key]bool{}
	out := as[:0]
	for _, a := range as {
		k := key{a.Func, a.Op}
		if !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out
}

// valueKind classifies a variable's type for the finding's variant.
func valueKind(t types.Type) string {
	if typeIs(t, "sync", "Map") {
		return VariantSyncMap
	}
	if p, _ := typeName(t); p == "sync/atomic" || p == "expvar" {
		return VariantCounter
	}
	switch u := t.Underlying().(type) {
	case *types.Map:
		return VariantMap
	case *types.Slice, *types.Array:
		return VariantSlice
	case *types.Basic:
		if u.Info()&types.IsNumeric != 0 {
			return VariantCounter
		}
	}
	return VariantObject
}

// describe names what a variable holds, for messages only: the name
// hints at the use (sessions, a cache, a registry), the type at the shape.
func describe(name string, t types.Type, kind string) string {
	shape := types.TypeString(t, func(p *types.Package) string { return p.Name() })
	lower := strings.ToLower(name)
	for _, h := range []struct{ hint, use string }{
		{"session", "a session store"},
		{"cache", "a cache"},
		{"registr", "a registry"},
		{"token", "a token store"},
		{"count", "a counter"},
		{"queue", "a queue"},
	} {
		// a counter only if it is a number
		if strings.Contains(lower, h.hint) && (h.hint != "count") == (kind != VariantCounter) {
			return h.use + ", " + shape
		}
	}
	return shape
}

func mutableRemedy(name, kind string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.Contains(lower, "session") || strings.Contains(lower, "token"):
		return "a key-value store with expiry (DynamoDB with TTL, Firestore, Redis) for the sessions"
	case strings.Contains(lower, "cache"):
		return "a cache service (ElastiCache or Memorystore for Redis/Valkey, Momento), or no cache"
	case strings.Contains(lower, "queue") || kind == VariantSlice:
		return "a queue (SQS, Pub/Sub) if it holds work to do; a key-value store or serverless SQL table if it holds records"
	case kind == VariantCounter:
		return "an atomic counter in a key-value store (DynamoDB ADD, Redis INCR), or a metrics service for statistics"
	}
	return "a key-value store (DynamoDB, Firestore, Redis) shared by all instances"
}

func singletonRemedy(t types.Type) string {
	path, _ := typeName(t)
	switch {
	case path == "database/sql" || within(path, "gorm.io") || within(path, "github.com/jinzhu/gorm") ||
		within(path, "github.com/jmoiron/sqlx") || within(path, "github.com/jackc/pgx"):
		return "open the database handle in the cold-start path and keep pools small; use a connection proxy (RDS Proxy, Cloud SQL connector) or a serverless SQL database"
	}
	return GlobalSingleton.Remedy
}

// reportLock reports a package-level mutex and the variables used in the
// functions that lock it.
func (p *pass) reportLock(g *ssa.Global, u *globalUse, uses map[*ssa.Global]*globalUse) {
	lockers := map[*ssa.Function]bool{}
	for _, l := range u.locks {
		lockers[l.Func] = true
	}
	var guarded []string
	for other, ou := range uses {
		if other == g || other.Pkg != p.pkg || isSyncType(other.Type().(*types.Pointer).Elem()) {
			continue
		}
		for _, a := range append(append([]Access(nil), ou.writes...), ou.reads...) {
			if lockers[a.Func] {
				guarded = append(guarded, other.Name())
				break
			}
		}
	}
	sort.Strings(guarded)
	what := "no package variable of its own package"
	if len(guarded) > 0 {
		what = strings.Join(guarded, ", ")
	}
	obj, _ := g.Object().(*types.Var)
	p.add(Finding{
		Check:   GlobalMutex,
		Pos:     g.Pos(),
		Object:  p.pkg.Pkg.Path() + "." + g.Name(),
		Var:     obj,
		Writers: u.locks,
		Detail:  strings.Join(guarded, ","),
		Message: fmt.Sprintf("package-level lock %s guards %s (locked in %s)", g.Name(), what, strings.Join(shortNames(decls(u.locks)), ", ")),
	})
}

func shortNames(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = shortName(id)
	}
	return out
}
