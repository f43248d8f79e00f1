package state

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// namedOf returns the generic origin of the named type t or *t, or nil.
func namedOf(t types.Type) *types.Named {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		return n.Origin()
	}
	return nil
}

// typeName returns the package path and name of the named type t or *t.
func typeName(t types.Type) (path, name string) {
	n := namedOf(t)
	if n == nil || n.Obj().Pkg() == nil {
		return "", ""
	}
	return n.Obj().Pkg().Path(), n.Obj().Name()
}

// typeIs reports whether t or *t is the named type path.name.
func typeIs(t types.Type, path, name string) bool {
	p, n := typeName(t)
	return p == path && n == name
}

// within reports whether the import path lies in the module or package
// base, major versions and subpackages included.
func within(path, base string) bool {
	return path == base || strings.HasPrefix(path, base+"/")
}

// calleeFunc returns the function or method a call invokes, statically or
// through an interface, or nil for calls of function values and builtins.
func calleeFunc(c *ssa.CallCommon) *types.Func {
	if c.IsInvoke() {
		return c.Method
	}
	fn, ok := c.Value.(*ssa.Function)
	if !ok {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	f, _ := fn.Object().(*types.Func)
	return f
}

// isFunc reports whether f is the package-level function path.name for
// one of names.
func isFunc(f *types.Func, path string, names ...string) bool {
	if f == nil || f.Pkg() == nil || f.Pkg().Path() != path || f.Type().(*types.Signature).Recv() != nil {
		return false
	}
	for _, n := range names {
		if f.Name() == n {
			return true
		}
	}
	return false
}

// recvType returns the package path and type name of f's receiver.
func recvType(f *types.Func) (path, name string) {
	if f == nil {
		return "", ""
	}
	recv := f.Type().(*types.Signature).Recv()
	if recv == nil {
		return "", ""
	}
	return typeName(recv.Type())
}

// isMethod reports whether f is a method of path.typ named one of names
// (any name if names is empty).
func isMethod(f *types.Func, path, typ string, names ...string) bool {
	p, t := recvType(f)
	if p != path || t != typ {
		return false
	}
	if len(names) == 0 {
		return true
	}
	for _, n := range names {
		if f.Name() == n {
			return true
		}
	}
	return false
}

// receiverArg returns the receiver of a method call, or nil.
func receiverArg(c *ssa.CallCommon) ssa.Value {
	if c.IsInvoke() {
		return c.Value
	}
	if f := calleeFunc(c); f != nil && f.Type().(*types.Signature).Recv() != nil && len(c.Args) > 0 {
		return c.Args[0]
	}
	return nil
}

// params returns the arguments of a call without its receiver, so that
// index i is the method's or function's i-th parameter.
func params(c *ssa.CallCommon) []ssa.Value {
	if !c.IsInvoke() {
		if f := calleeFunc(c); f != nil && f.Type().(*types.Signature).Recv() != nil && len(c.Args) > 0 {
			return c.Args[1:]
		}
	}
	return c.Args
}

func builtinName(c *ssa.CallCommon) string {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		return b.Name()
	}
	return ""
}

func isLockType(t types.Type) bool {
	return typeIs(t, "sync", "Mutex") || typeIs(t, "sync", "RWMutex")
}

// isSyncType reports types that coordinate rather than hold state.
func isSyncType(t types.Type) bool {
	p, n := typeName(t)
	return p == "sync" && (n == "Mutex" || n == "RWMutex" || n == "Once" || n == "WaitGroup" || n == "Cond" || n == "Pool")
}

func isLockCall(c *ssa.CallCommon) bool {
	f := calleeFunc(c)
	return isMethod(f, "sync", "Mutex", "Lock", "TryLock") ||
		isMethod(f, "sync", "RWMutex", "Lock", "RLock", "TryLock", "TryRLock")
}

func isOnceCall(c *ssa.CallCommon) bool {
	return isMethod(calleeFunc(c), "sync", "Once", "Do")
}

func isOnceValueCall(c *ssa.CallCommon) bool {
	return isFunc(calleeFunc(c), "sync", "OnceFunc", "OnceValue", "OnceValues")
}

var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

func isErrorType(t types.Type) bool {
	return types.Implements(t, errorType) || types.Implements(types.NewPointer(t), errorType) && !types.IsInterface(t)
}

// handlerParams are the parameter types that make a function a request
// handler: the request contexts of net/http and the common frameworks.
var handlerParams = []struct{ path, name string }{
	{"net/http", "Request"},
	{"github.com/gin-gonic/gin", "Context"},
	{"github.com/labstack/echo", "Context"},
	{"github.com/gofiber/fiber", "Ctx"},
	{"github.com/valyala/fasthttp", "RequestCtx"},
}

// isHandlerSignature reports whether a function takes a request: it is a
// handler, whatever it is called and however it is registered.
func isHandlerSignature(sig *types.Signature) bool {
	ps := sig.Params()
	for i := 0; i < ps.Len(); i++ {
		path, name := typeName(ps.At(i).Type())
		for _, h := range handlerParams {
			if name == h.name && within(path, h.path) {
				if path == "net/http" {
					// a function that builds requests is not a handler
					return hasResponseWriter(ps)
				}
				return true
			}
		}
	}
	return false
}

func hasResponseWriter(ps *types.Tuple) bool {
	for i := 0; i < ps.Len(); i++ {
		if typeIs(ps.At(i).Type(), "net/http", "ResponseWriter") {
			return true
		}
	}
	return false
}

// constString returns the value of a string constant.
func constString(v ssa.Value) (string, bool) {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(c.Value), true
}

// constInt returns the value of an integer constant.
func constInt(v ssa.Value) (int64, bool) {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(c.Value)
}

// origin is where a value comes from: the root it is loaded or selected
// from, and the field selected on the root, if any.
type origin struct {
	root  ssa.Value
	field *types.Var
	// leaf is the field selected last: the one that holds the value.
	leaf *types.Var
	// selected is true when the value is a part of the root (a field,
	// an element, something it points to) rather than the root itself.
	selected bool
}

// originOf follows selections, indexing, loads and closure captures back
// to the value they start from.
func (p *pass) originOf(v ssa.Value) origin {
	var o origin
	for range 64 {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			o.field, o.selected = structField(x.X.Type(), x.Field), true
			if o.leaf == nil {
				o.leaf = o.field
			}
			v = x.X
		case *ssa.Field:
			o.field, o.selected = structField(x.X.Type(), x.Field), true
			if o.leaf == nil {
				o.leaf = o.field
			}
			v = x.X
		case *ssa.IndexAddr:
			o.selected = true
			v = x.X
		case *ssa.Index:
			o.selected = true
			v = x.X
		case *ssa.Lookup:
			o.selected = true
			v = x.X
		case *ssa.Extract:
			v = x.Tuple
		case *ssa.Slice:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				o.root = v
				return o
			}
			v = x.X
		case *ssa.FreeVar:
			b := p.binding(x)
			if b == nil {
				o.root = v
				return o
			}
			v = b
		case *ssa.Alloc:
			// a parameter captured by a closure is spilled to memory
			if prm := spilledParam(x); prm != nil {
				v = prm
				continue
			}
			o.root = v
			return o
		default:
			o.root = v
			return o
		}
	}
	o.root = v
	return o
}

// spilledParam returns the parameter an Alloc holds, if it is only
// ever set to it.
func spilledParam(a *ssa.Alloc) *ssa.Parameter {
	refs := a.Referrers()
	if refs == nil {
		return nil
	}
	var prm *ssa.Parameter
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			pv, ok := st.Val.(*ssa.Parameter)
			if !ok || prm != nil {
				return nil
			}
			prm = pv
		}
	}
	return prm
}

// binding returns the value a closure's free variable is bound to where
// the closure is made.
func (p *pass) binding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	mc := p.closures[fn]
	if mc == nil {
		return nil
	}
	for i, f := range fn.FreeVars {
		if f == fv && i < len(mc.Bindings) {
			return mc.Bindings[i]
		}
	}
	return nil
}

// structField returns field i of the struct t or *t.
func structField(t types.Type, i int) *types.Var {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if s, ok := t.Underlying().(*types.Struct); ok && i < s.NumFields() {
		return s.Field(i)
	}
	return nil
}

// rootGlobal returns the package variable of this package that v is
// loaded or selected from, or nil.
func (p *pass) rootGlobal(v ssa.Value) (*ssa.Global, origin) {
	o := p.originOf(v)
	if g, ok := o.root.(*ssa.Global); ok && g.Pkg == p.pkg {
		return g, o
	}
	return nil, o
}

// receiverParam returns the receiver parameter of the method that fn is
// or is nested in, or nil.
func receiverParam(fn *ssa.Function) *ssa.Parameter {
	top := fn
	for top.Parent() != nil {
		top = top.Parent()
	}
	if top.Signature.Recv() == nil || len(top.Params) == 0 {
		return nil
	}
	return top.Params[0]
}

// mutatorMethods are library methods that change their receiver's state.
var mutatorMethods = map[string][]string{
	"sync.Map":            {"Store", "LoadOrStore", "LoadAndDelete", "Delete", "Swap", "CompareAndSwap", "CompareAndDelete", "Clear"},
	"sync/atomic.Value":   {"Store", "Swap", "CompareAndSwap"},
	"sync/atomic.Bool":    {"Store", "Swap", "CompareAndSwap"},
	"sync/atomic.Int32":   {"Store", "Swap", "CompareAndSwap", "Add", "And", "Or"},
	"sync/atomic.Int64":   {"Store", "Swap", "CompareAndSwap", "Add", "And", "Or"},
	"sync/atomic.Uint32":  {"Store", "Swap", "CompareAndSwap", "Add", "And", "Or"},
	"sync/atomic.Uint64":  {"Store", "Swap", "CompareAndSwap", "Add", "And", "Or"},
	"sync/atomic.Uintptr": {"Store", "Swap", "CompareAndSwap", "Add", "And", "Or"},
	"sync/atomic.Pointer": {"Store", "Swap", "CompareAndSwap"},
	"bytes.Buffer":        {"Write", "WriteString", "WriteByte", "WriteRune", "ReadFrom", "Reset", "Truncate", "Grow"},
	"strings.Builder":     {"Write", "WriteString", "WriteByte", "WriteRune", "Reset", "Grow"},
	"container/list.List": {"PushBack", "PushFront", "PushBackList", "PushFrontList", "InsertBefore", "InsertAfter", "Remove", "MoveToFront", "MoveToBack", "MoveBefore", "MoveAfter", "Init"},
	"expvar.Map":          {"Set", "Add", "AddFloat", "Delete", "Init"},
	"expvar.Int":          {"Set", "Add"},
	"expvar.Float":        {"Set", "Add"},
	"expvar.String":       {"Set"},
	"github.com/VictoriaMetrics/metrics.Counter": {"Inc", "Dec", "Add", "Set"},
}

// isMutator reports whether calling f changes its receiver: a known
// library mutator, a cache library's write, or a method of this package
// that writes its receiver.
func (p *pass) isMutator(f *types.Func) bool {
	return f != nil && (p.mutators[f] || libMutator(f))
}

func libMutator(f *types.Func) bool {
	path, typ := recvType(f)
	if path == "" {
		return false
	}
	for _, m := range mutatorMethods[path+"."+typ] {
		if m == f.Name() {
			return true
		}
	}
	return isCachePath(path) && isCacheWrite(f.Name())
}

// findMutators finds the methods of this package that write their
// receiver's state, directly or through another such method.
func (p *pass) findMutators() map[*types.Func]bool {
	mut := map[*types.Func]bool{}
	for changed := true; changed; {
		changed = false
		for _, fn := range p.funcs {
			recv := receiverParam(fn)
			if recv == nil {
				continue
			}
			obj, _ := topLevel(fn).Object().(*types.Func)
			if obj == nil || mut[obj] {
				continue
			}
			writes := false
			instrs(fn, func(instr ssa.Instruction) {
				if writes {
					return
				}
				for _, m := range p.mutationsIn(instr, mut) {
					if o := p.originOf(m.target); o.root == recv && (m.op != OpAssign || o.selected) {
						writes = true
						return
					}
				}
			})
			if writes {
				mut[obj] = true
				changed = true
			}
		}
	}
	return mut
}

// A mutation is a change made by one instruction to the value target
// (an address for stores, a map, a receiver).
type mutation struct {
	target ssa.Value
	op     Op
	method string
}

// mutationsIn returns the changes instr makes. mut, if not nil, stands
// in for p.mutators while those are computed.
func (p *pass) mutationsIn(instr ssa.Instruction, mut map[*types.Func]bool) []mutation {
	switch in := instr.(type) {
	case *ssa.Store:
		return []mutation{{target: in.Addr, op: storeOp(in)}}
	case *ssa.MapUpdate:
		return []mutation{{target: in.Map, op: OpMapUpdate}}
	case ssa.CallInstruction:
		c := in.Common()
		switch builtinName(c) {
		case "delete":
			return []mutation{{target: c.Args[0], op: OpMapDelete}}
		case "clear":
			return []mutation{{target: c.Args[0], op: OpMapDelete}}
		case "copy":
			return []mutation{{target: c.Args[0], op: OpElement}}
		}
		f := calleeFunc(c)
		if isAtomicFunc(f) && len(c.Args) > 0 {
			return []mutation{{target: c.Args[0], op: OpUpdate, method: "atomic." + f.Name()}}
		}
		if r := receiverArg(c); r != nil {
			if mut == nil {
				mut = p.mutators
			}
			if f != nil && (mut[f] || libMutator(f) || f.Pkg() != p.pkg.Pkg && p.foreign != nil && p.foreign(f)) {
				return []mutation{{target: r, op: OpMethod, method: f.Name()}}
			}
		}
	}
	return nil
}

// isAtomicFunc reports the sync/atomic functions that write through
// their first argument.
func isAtomicFunc(f *types.Func) bool {
	if f == nil || f.Pkg() == nil || f.Pkg().Path() != "sync/atomic" || f.Type().(*types.Signature).Recv() != nil {
		return false
	}
	for _, p := range []string{"Add", "Store", "Swap", "CompareAndSwap", "And", "Or"} {
		if strings.HasPrefix(f.Name(), p) {
			return true
		}
	}
	return false
}

// storeOp says what a store does to the variable it writes: replace it,
// append to it, or update it from its own value.
func storeOp(st *ssa.Store) Op {
	if c, ok := st.Val.(*ssa.Call); ok && builtinName(&c.Call) == "append" && len(c.Call.Args) > 0 && loads(c.Call.Args[0], st.Addr) {
		return OpAppend
	}
	if dependsOn(st.Val, st.Addr, 4) {
		return OpUpdate
	}
	return OpAssign
}

// feedsWrite reports whether every use of a load is a write into what
// it loaded (m[k] = v, delete(m, k), x = append(x, ...)), so the load is
// part of the write, not a read.
func feedsWrite(load *ssa.UnOp) bool {
	refs := load.Referrers()
	if refs == nil || len(*refs) == 0 {
		return false
	}
	for _, r := range *refs {
		switch in := r.(type) {
		case *ssa.MapUpdate:
			if in.Map != load {
				return false
			}
		case *ssa.Call:
			switch builtinName(&in.Call) {
			case "delete", "clear":
			case "append":
				stored := false
				if rr := in.Referrers(); rr != nil {
					for _, x := range *rr {
						if st, ok := x.(*ssa.Store); ok && st.Val == in && sameAddr(st.Addr, load.X) {
							stored = true
						}
					}
				}
				if !stored {
					return false
				}
			default:
				return false
			}
		default:
			return false
		}
	}
	return true
}

// loads reports whether v is a load of addr.
func loads(v, addr ssa.Value) bool {
	u, ok := v.(*ssa.UnOp)
	return ok && u.Op == token.MUL && sameAddr(u.X, addr)
}

// sameAddr reports whether two addresses denote the same variable or
// the same field of the same value.
func sameAddr(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	fa, ok1 := a.(*ssa.FieldAddr)
	fb, ok2 := b.(*ssa.FieldAddr)
	return ok1 && ok2 && fa.Field == fb.Field && fa.X == fb.X
}

// dependsOn reports whether v is computed from a load of addr.
func dependsOn(v, addr ssa.Value, depth int) bool {
	if depth == 0 || v == nil {
		return false
	}
	if loads(v, addr) {
		return true
	}
	switch x := v.(type) {
	case *ssa.BinOp:
		return dependsOn(x.X, addr, depth-1) || dependsOn(x.Y, addr, depth-1)
	case *ssa.UnOp:
		return x.Op != token.MUL && dependsOn(x.X, addr, depth-1)
	case *ssa.Convert:
		return dependsOn(x.X, addr, depth-1)
	case *ssa.ChangeType:
		return dependsOn(x.X, addr, depth-1)
	case *ssa.Slice:
		return dependsOn(x.X, addr, depth-1)
	case *ssa.Call:
		for _, a := range x.Call.Args {
			if dependsOn(a, addr, depth-1) {
				return true
			}
		}
	}
	return false
}

// shortName renders a declaration ID without its package path.
func shortName(id string) string {
	rest := id[strings.LastIndex(id, "/")+1:]
	if i := strings.Index(rest, "."); i >= 0 {
		return rest[i+1:]
	}
	return rest
}
