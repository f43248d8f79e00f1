package analysis

import (
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"strings"

	"decompose/analysis/model"

	"golang.org/x/tools/go/ssa"
)

// Dependencies come from export data, so their function bodies are absent
// and a call graph never shows net/http calling a handler. Entry points are
// found instead where the program hands its code to a library: the
// registration calls below.

// route describes one family of HTTP route registrations.
type route struct {
	framework string
	pkgs      []string // import paths, matched exactly or as path/vN
	// methods maps a method or function name to the HTTP method it
	// registers: "" for any, "*" when a method argument names it.
	methods map[string]string
	// args: the indexes (receiver excluded) of the method, path and
	// handler arguments; -1 where absent. A handler index past the
	// end means the last element of a variadic handler list.
	methodArg, pathArg, handlerArg int
}

var verbs = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"}

func verbMap(title bool, extra map[string]string) map[string]string {
	m := map[string]string{}
	for _, v := range verbs {
		name := v
		if title {
			name = v[:1] + strings.ToLower(v[1:])
		}
		m[name] = v
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

var routes = []route{
	{framework: "net/http", pkgs: []string{"net/http"},
		methods: map[string]string{"HandleFunc": "", "Handle": ""}, methodArg: -1, pathArg: 0, handlerArg: 1},
	{framework: "chi", pkgs: []string{"github.com/go-chi/chi"},
		methods: verbMap(true, map[string]string{"Handle": "", "HandleFunc": ""}), methodArg: -1, pathArg: 0, handlerArg: 1},
	{framework: "chi", pkgs: []string{"github.com/go-chi/chi"},
		methods: map[string]string{"Method": "*", "MethodFunc": "*"}, methodArg: 0, pathArg: 1, handlerArg: 2},
	{framework: "gorilla/mux", pkgs: []string{"github.com/gorilla/mux"},
		methods: map[string]string{"HandleFunc": "", "Handle": ""}, methodArg: -1, pathArg: 0, handlerArg: 1},
	{framework: "gin", pkgs: []string{"github.com/gin-gonic/gin"},
		methods: verbMap(false, map[string]string{"Any": ""}), methodArg: -1, pathArg: 0, handlerArg: 99},
	{framework: "gin", pkgs: []string{"github.com/gin-gonic/gin"},
		methods: map[string]string{"Handle": "*"}, methodArg: 0, pathArg: 1, handlerArg: 99},
	{framework: "echo", pkgs: []string{"github.com/labstack/echo"},
		methods: verbMap(false, map[string]string{"Any": ""}), methodArg: -1, pathArg: 0, handlerArg: 1},
	{framework: "echo", pkgs: []string{"github.com/labstack/echo"},
		methods: map[string]string{"Add": "*"}, methodArg: 0, pathArg: 1, handlerArg: 2},
	{framework: "fiber", pkgs: []string{"github.com/gofiber/fiber"},
		methods: verbMap(true, map[string]string{"All": ""}), methodArg: -1, pathArg: 0, handlerArg: 99},
}

// consumer describes a message-consumer registration.
type consumer struct {
	framework string
	pkgs      []string
	names     []string
	// topicArg is the index of the topic or queue argument, -1 if none;
	// handlerArg that of the callback, -1 when the enclosing function is
	// the consumer (it reads a channel or polls).
	topicArg, handlerArg int
}

var consumers = []consumer{
	{"nats", []string{"github.com/nats-io/nats.go"}, []string{"Subscribe", "QueueSubscribe"}, 0, 99},
	{"amqp", []string{"github.com/rabbitmq/amqp091-go", "github.com/streadway/amqp"}, []string{"Consume"}, 0, -1},
	{"kafka", []string{"github.com/segmentio/kafka-go"}, []string{"ReadMessage", "FetchMessage"}, -1, -1},
	{"kafka", []string{"github.com/IBM/sarama", "github.com/Shopify/sarama"}, []string{"Consume"}, 1, 2},
	{"kafka", []string{"github.com/IBM/sarama", "github.com/Shopify/sarama"}, []string{"ConsumePartition"}, 0, -1},
	{"kafka", []string{"github.com/confluentinc/confluent-kafka-go/kafka"}, []string{"ReadMessage", "Poll"}, -1, -1},
	{"pubsub", []string{"cloud.google.com/go/pubsub"}, []string{"Receive"}, -1, 1},
	{"watermill", []string{"github.com/ThreeDotsLabs/watermill/message"}, []string{"AddHandler", "AddNoPublisherHandler", "AddConsumerHandler"}, 1, 99},
	{"sqs", []string{"github.com/aws/aws-sdk-go-v2/service/sqs", "github.com/aws/aws-sdk-go/service/sqs"}, []string{"ReceiveMessage"}, -1, -1},
}

var grpcRegister = regexp.MustCompile(`^Register(\w+)Server$`)

func pkgMatches(path string, pkgs []string) bool {
	for _, p := range pkgs {
		if path == p || strings.HasPrefix(path, p+"/v") || strings.HasPrefix(path, p+"/") && p != "net/http" {
			return true
		}
	}
	return false
}

// calleeOf names the function or method a call calls: its package path,
// receiver type name (interface or concrete, "" for functions) and name.
func calleeOf(c *ssa.CallCommon) (pkg, recv, name string, ok bool) {
	var obj *types.Func
	if c.IsInvoke() {
		obj = c.Method
	} else if fn := c.StaticCallee(); fn != nil {
		if o := fn.Origin(); o != nil {
			fn = o
		}
		obj, _ = fn.Object().(*types.Func)
	}
	if obj == nil || obj.Pkg() == nil {
		return "", "", "", false
	}
	if sig, _ := obj.Type().(*types.Signature); sig != nil && sig.Recv() != nil {
		t := sig.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			recv = n.Obj().Name()
		}
	}
	return obj.Pkg().Path(), recv, obj.Name(), true
}

func (b *builder) entryPoints() {
	for _, p := range b.prog.Packages {
		if p.Types == nil {
			continue
		}
		if p.Name == "main" {
			if obj, ok := p.Types.Scope().Lookup("main").(*types.Func); ok {
				b.entry(model.EntryPoint{Kind: model.EntryMain, Decl: p.PkgPath + ".main", Package: p.PkgPath}, obj.Pos())
			}
		}
	}
	for _, d := range b.decls {
		if d.Kind == model.KindFunc && d.Name == "init" {
			b.entries = append(b.entries, model.EntryPoint{Kind: model.EntryInit, Decl: d.ID, Package: d.Package, Pos: d.Pos})
		}
	}
	for _, p := range b.prog.sortedSSA() {
		if f := p.Func("init"); f != nil {
			b.roots = append(b.roots, root{kind: model.EntryInit, fn: f, label: "init"})
		}
		if f := p.Func("main"); f != nil && p.Pkg.Name() == "main" {
			b.roots = append(b.roots, root{kind: model.EntryMain, fn: f, label: "main"})
		}
	}
	for _, fn := range b.ownFunctions() {
		for _, blk := range fn.Blocks {
			for _, instr := range blk.Instrs {
				switch in := instr.(type) {
				case *ssa.Go:
					b.goroutine(fn, in)
				case *ssa.Store:
					b.serverHandler(in)
				case ssa.CallInstruction:
					b.registration(fn, in)
				}
			}
		}
	}
}

// entry records an entry point and the functions through which control
// enters there: the roots of the reachability that decides when code runs.
func (b *builder) entry(e model.EntryPoint, pos token.Pos, fns ...*ssa.Function) {
	e.Pos = b.pos(pos).String()
	label := string(e.Kind)
	if e.Route != "" {
		label = strings.TrimSpace(e.Method + " " + e.Route)
	}
	for _, fn := range fns {
		if fn != nil {
			b.roots = append(b.roots, root{kind: e.Kind, fn: fn, label: label})
		}
	}
	if e.Package == "" {
		if i := strings.LastIndexByte(e.Decl, '/'); i >= 0 {
			j := strings.IndexByte(e.Decl[i:], '.')
			e.Package = e.Decl[:i+j]
		}
	}
	b.entries = append(b.entries, e)
}

// registration recognises route, gRPC, consumer and timer registrations.
func (b *builder) registration(fn *ssa.Function, call ssa.CallInstruction) {
	c := call.Common()
	pkg, recv, name, ok := calleeOf(c)
	if !ok {
		return
	}
	args := c.Args
	if !c.IsInvoke() && recv != "" && len(args) > 0 {
		args = args[1:] // the receiver
	}
	pos := c.Pos()
	regPkg := ""
	if fn.Pkg != nil {
		regPkg = fn.Pkg.Pkg.Path()
	}
	for _, r := range routes {
		m, ok := r.methods[name]
		if !ok || !pkgMatches(pkg, r.pkgs) {
			continue
		}
		if r.framework == "net/http" && recv != "" && recv != "ServeMux" {
			continue
		}
		e := model.EntryPoint{Kind: model.EntryHTTP, Framework: r.framework, Method: m}
		if r.methodArg >= 0 && r.methodArg < len(args) {
			e.Method = strings.ToUpper(constString(args[r.methodArg]))
		}
		if r.pathArg < len(args) {
			e.Route = constString(args[r.pathArg])
		}
		if r.framework == "net/http" {
			e.Method, e.Route = splitPattern(e.Route)
		}
		if r.framework == "gorilla/mux" {
			e.Method = gorillaMethods(call)
		}
		if recvVal := receiverValue(c); recvVal != nil {
			e.Route = joinRoute(b.groupPrefix(recvVal, 0), e.Route)
		}
		h := argAt(args, r.handlerArg)
		e.Decl = b.handlerUnit(h, 0)
		if e.Decl == "" {
			e.Package = regPkg
		}
		b.entry(e, pos, b.handlerFuncs(h, 0)...)
		return
	}
	for _, cs := range consumers {
		if !pkgMatches(pkg, cs.pkgs) || !slices.Contains(cs.names, name) {
			continue
		}
		e := model.EntryPoint{Kind: model.EntryConsumer, Framework: cs.framework}
		if cs.topicArg >= 0 && cs.topicArg < len(args) {
			e.Route = constString(args[cs.topicArg])
		}
		var fns []*ssa.Function
		if cs.handlerArg >= 0 {
			h := argAt(args, cs.handlerArg)
			e.Decl = b.handlerUnit(h, 0)
			fns = b.handlerFuncs(h, 0)
		}
		if e.Decl == "" {
			// the enclosing function reads the messages itself
			e.Decl = b.instrUnit(fn, pos)
			fns = []*ssa.Function{fn}
		}
		b.entry(e, pos, fns...)
		return
	}
	if m := grpcRegister.FindStringSubmatch(name); m != nil && recv == "" && len(args) == 2 && isGRPCServer(args[0].Type()) {
		b.entry(model.EntryPoint{Kind: model.EntryGRPC, Framework: "grpc", Route: m[1], Decl: b.handlerUnit(args[1], 0), Package: regPkg}, pos,
			b.handlerFuncs(args[1], 0)...)
		return
	}
	if pkg == "net/http" && recv == "" && len(args) >= 2 && (name == "ListenAndServe" || name == "ListenAndServeTLS" || name == "Serve" || name == "ServeTLS") {
		// the handler that serves every request: middleware wrapping
		// the router runs per request, though no route names it
		b.serverRoots(args[len(args)-1])
		return
	}
	if pkg == "time" && recv == "" && name == "AfterFunc" && len(args) == 2 {
		e := model.EntryPoint{Kind: model.EntryBackground, Framework: "time.AfterFunc", Ticker: true, Once: true, Decl: b.handlerUnit(args[1], 0), Args: capturedArgs(args[1])}
		if e.Decl == "" {
			e.Decl = b.instrUnit(fn, pos)
		}
		b.entry(e, pos, b.handlerFuncs(args[1], 0)...)
	}
}

// goroutine records a goroutine the program starts, marking it as timed
// when its function uses a ticker or timer.
func (b *builder) goroutine(fn *ssa.Function, g *ssa.Go) {
	c := g.Common()
	var target *ssa.Function
	switch v := c.Value.(type) {
	case *ssa.Function:
		target = v
	case *ssa.MakeClosure:
		target, _ = v.Fn.(*ssa.Function)
	}
	if c.IsInvoke() {
		target = nil
	}
	e := model.EntryPoint{Kind: model.EntryBackground, Framework: "go"}
	if target != nil {
		e.Decl = b.fnUnit(target)
		var recurring bool
		e.Ticker, recurring = timerUse(target, 0)
		if e.Ticker && !recurring {
			e.Once = true
			e.Args = capturedArgs(c.Value)
		}
	}
	if e.Decl == "" {
		e.Decl = b.instrUnit(fn, c.Pos())
	}
	if e.Decl == "" {
		return
	}
	// the go keyword: for a function literal the call's own position is
	// its closing parenthesis
	if target == nil {
		b.entry(e, g.Pos())
		return
	}
	b.entry(e, g.Pos(), b.concrete(target))
}

// timerUse reports whether fn, or a function literal in it, creates a
// ticker or timer, or calls a function of its package that does, and
// whether the timing recurs: a ticker, a timer reset, or a timer made in
// a loop. A timer made once, outside any loop, fires once.
func timerUse(fn *ssa.Function, depth int) (uses, recurring bool) {
	if fn == nil || depth > 2 {
		return false, false
	}
	for _, blk := range fn.Blocks {
		for _, instr := range blk.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			pkg, recv, name, ok := calleeOf(call.Common())
			if !ok {
				continue
			}
			switch {
			case pkg == "time" && recv == "" && (name == "NewTicker" || name == "Tick"):
				return true, true
			case pkg == "time" && recv == "Timer" && name == "Reset":
				uses, recurring = true, true
			case pkg == "time" && recv == "" && (name == "NewTimer" || name == "After" || name == "AfterFunc"):
				uses = true
				recurring = recurring || inLoop(blk)
			}
			if callee := call.Common().StaticCallee(); callee != nil && callee.Pkg == fn.Pkg {
				u, r := timerUse(callee, depth+1)
				uses, recurring = uses || u, recurring || r || u && inLoop(blk)
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		u, r := timerUse(anon, depth+1)
		uses, recurring = uses || u, recurring || r
	}
	return uses, recurring
}

// inLoop reports whether blk can be reached again from itself.
func inLoop(blk *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), blk.Succs...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == blk {
			return true
		}
		if !seen[b] {
			seen[b] = true
			stack = append(stack, b.Succs...)
		}
	}
	return false
}

// capturedArgs lists the data a function value carries from where it was
// made: the variables a function literal captured, as "name type", less
// pointers, interfaces, functions and channels (the services it calls).
func capturedArgs(v ssa.Value) []string {
	mc, ok := v.(*ssa.MakeClosure)
	if !ok {
		return nil
	}
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return nil
	}
	var out []string
	for i, fv := range fn.FreeVars {
		t := fv.Type()
		if i < len(mc.Bindings) {
			if _, byRef := mc.Bindings[i].(*ssa.Alloc); byRef {
				if p, ok := t.Underlying().(*types.Pointer); ok {
					t = p.Elem() // a captured variable
				}
			}
		}
		switch t.Underlying().(type) {
		case *types.Pointer, *types.Interface, *types.Signature, *types.Chan:
			continue
		}
		out = append(out, fv.Name()+" "+types.TypeString(t, func(p *types.Package) string { return p.Name() }))
	}
	return out
}

func isGRPCServer(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "google.golang.org/grpc" &&
		(n.Obj().Name() == "Server" || n.Obj().Name() == "ServiceRegistrar")
}

func argAt(args []ssa.Value, i int) ssa.Value {
	if len(args) == 0 {
		return nil
	}
	if i >= len(args) {
		return lastVariadic(args[len(args)-1])
	}
	if i < 0 {
		return nil
	}
	return args[i]
}

// lastVariadic finds the last element stored into a variadic argument's
// backing array: with middleware before it, the last handler is the one
// that serves the route.
func lastVariadic(v ssa.Value) ssa.Value {
	if _, ok := v.(*ssa.Slice); !ok {
		return v
	}
	elems := variadic(v)
	if len(elems) == 0 {
		return nil
	}
	return elems[len(elems)-1]
}

// variadic lists, in order, the values stored into the array behind a
// variadic argument.
func variadic(v ssa.Value) []ssa.Value {
	s, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	alloc, ok := s.X.(*ssa.Alloc)
	if !ok || alloc.Referrers() == nil {
		return nil
	}
	byIndex := map[int64]ssa.Value{}
	n := int64(0)
	for _, r := range *alloc.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		k, ok := ia.Index.(*ssa.Const)
		if !ok {
			continue
		}
		idx := k.Int64()
		for _, rr := range *ia.Referrers() {
			if st, ok := rr.(*ssa.Store); ok && st.Addr == ia {
				byIndex[idx] = st.Val
				n = max(n, idx+1)
			}
		}
	}
	var out []ssa.Value
	for i := int64(0); i < n; i++ {
		if v, ok := byIndex[i]; ok {
			out = append(out, v)
		}
	}
	return out
}

// handlerUnit is the unit of the analyzed code that a handler value runs.
func (b *builder) handlerUnit(v ssa.Value, depth int) string {
	if v == nil || depth > 6 {
		return ""
	}
	switch v := v.(type) {
	case *ssa.Function:
		return b.fnUnit(v)
	case *ssa.MakeClosure:
		return b.handlerUnit(v.Fn, depth+1)
	case *ssa.ChangeType:
		return b.handlerUnit(v.X, depth+1)
	case *ssa.Convert:
		return b.handlerUnit(v.X, depth+1)
	case *ssa.MakeInterface:
		if u := b.typeHandler(v.X.Type()); u != "" {
			return u
		}
		return b.handlerUnit(v.X, depth+1)
	case *ssa.Call:
		// middleware(h) or a constructor: the handler passed in, else
		// the analyzed function that builds it.
		for _, a := range v.Call.Args {
			if u := b.handlerUnit(a, depth+1); u != "" {
				return u
			}
		}
		if fn := v.Call.StaticCallee(); fn != nil {
			return b.fnUnit(fn)
		}
	case *ssa.Alloc:
		return b.typeHandler(v.Type())
	}
	return b.typeHandler(v.Type())
}

// serverHandler recognises http.Server{Handler: h}.
func (b *builder) serverHandler(st *ssa.Store) {
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok {
		return
	}
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return
	}
	n, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "net/http" || n.Obj().Name() != "Server" {
		return
	}
	if f := n.Underlying().(*types.Struct).Field(fa.Field); f.Name() == "Handler" {
		b.serverRoots(st.Val)
	}
}

// serverRoots makes the functions of a server's handler roots of the
// request phase, without an entry point of their own.
func (b *builder) serverRoots(h ssa.Value) {
	for _, fn := range b.handlerFuncs(h, 0) {
		b.roots = append(b.roots, root{kind: model.EntryHTTP, fn: fn, label: "server handler"})
	}
}

// handlerFuncs are the functions a handler value runs: the function or
// method itself, a handler type's ServeHTTP (or, for a gRPC service, its
// exported methods), the function literals a handler constructor returns.
func (b *builder) handlerFuncs(v ssa.Value, depth int) []*ssa.Function {
	if v == nil || depth > 6 {
		return nil
	}
	switch v := v.(type) {
	case *ssa.Function:
		return []*ssa.Function{b.concrete(v)}
	case *ssa.MakeClosure:
		return b.handlerFuncs(v.Fn, depth+1)
	case *ssa.ChangeType:
		return b.handlerFuncs(v.X, depth+1)
	case *ssa.Convert:
		return b.handlerFuncs(v.X, depth+1)
	case *ssa.MakeInterface:
		if fns := b.typeMethods(v.X.Type()); len(fns) > 0 {
			return fns
		}
		return b.handlerFuncs(v.X, depth+1)
	case *ssa.Call:
		var out []*ssa.Function
		for _, a := range v.Call.Args {
			out = append(out, b.handlerFuncs(a, depth+1)...)
		}
		if fn := v.Call.StaticCallee(); fn != nil && fn.Pkg != nil && b.own[fn.Pkg.Pkg] {
			out = append(out, fn.AnonFuncs...)
		}
		return out
	}
	return b.typeMethods(v.Type())
}

// concrete maps a bound-method or interface wrapper to the method it
// wraps.
func (b *builder) concrete(fn *ssa.Function) *ssa.Function {
	if fn.Synthetic != "" {
		if obj, ok := fn.Object().(*types.Func); ok {
			if f := b.prog.SSA.FuncValue(obj); f != nil {
				return f
			}
		}
	}
	return fn
}

// typeMethods are the methods through which a handler of type t is
// entered: ServeHTTP when it has one, else every exported method.
func (b *builder) typeMethods(t types.Type) []*ssa.Function {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || types.IsInterface(n) || n.Obj().Pkg() == nil || !b.own[n.Obj().Pkg()] {
		return nil
	}
	ms := b.prog.SSA.MethodSets.MethodSet(types.NewPointer(n))
	var all []*ssa.Function
	for i := 0; i < ms.Len(); i++ {
		sel := ms.At(i)
		if !sel.Obj().Exported() {
			continue
		}
		fn := b.prog.SSA.MethodValue(sel)
		if fn == nil {
			continue
		}
		if sel.Obj().Name() == "ServeHTTP" {
			return []*ssa.Function{fn}
		}
		all = append(all, fn)
	}
	return all
}

// typeHandler is the unit of an analyzed named type used as a handler: its
// ServeHTTP method when it has one, else the type.
func (b *builder) typeHandler(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || types.IsInterface(n) {
		return ""
	}
	u := b.objUnit(n.Obj())
	if u == "" {
		return ""
	}
	if b.declSet[u+".ServeHTTP"] {
		return u + ".ServeHTTP"
	}
	return u
}

func receiverValue(c *ssa.CallCommon) ssa.Value {
	if c.IsInvoke() {
		return c.Value
	}
	if fn := c.StaticCallee(); fn != nil && fn.Signature.Recv() != nil && len(c.Args) > 0 {
		return c.Args[0]
	}
	return nil
}

// groupPrefix follows a router value back to the Group, Route or
// PathPrefix calls that made it, and to the Mount calls that mount the
// function returning it, and returns the path prefix they add.
func (b *builder) groupPrefix(v ssa.Value, depth int) string {
	if depth > 8 {
		return ""
	}
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return b.groupPrefix(x.X, depth+1)
	case *ssa.ChangeType:
		return b.groupPrefix(x.X, depth+1)
	case *ssa.Call:
		_, _, name, ok := calleeOf(&x.Call)
		if !ok {
			return ""
		}
		recv := receiverValue(&x.Call)
		args := x.Call.Args
		if !x.Call.IsInvoke() && len(args) > 0 && recv != nil {
			args = args[1:]
		}
		switch name {
		case "Group":
			if len(args) > 0 && recv != nil {
				return joinRoute(b.groupPrefix(recv, depth+1), constString(args[0]))
			}
		case "Subrouter":
			if recv != nil {
				return b.groupPrefix(recv, depth+1)
			}
		case "PathPrefix":
			if len(args) > 0 && recv != nil {
				return joinRoute(b.groupPrefix(recv, depth+1), constString(args[0]))
			}
		default:
			// a router made here (chi.NewRouter()), perhaps returned
			// to be mounted elsewhere
			return b.mountPrefix(x, depth+1)
		}
	case *ssa.Parameter:
		// r inside chi's r.Route("/orders", func(r chi.Router) {...})
		fn := x.Parent()
		if fn.Parent() == nil {
			return ""
		}
		for _, blk := range fn.Parent().Blocks {
			for _, instr := range blk.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				c := call.Common()
				_, _, name, ok := calleeOf(c)
				if !ok || name != "Route" {
					continue
				}
				args := c.Args
				recv := receiverValue(c)
				if !c.IsInvoke() && len(args) > 0 && recv != nil {
					args = args[1:]
				}
				if len(args) == 2 && refersTo(args[1], fn) {
					return joinRoute(b.groupPrefix(recv, depth+1), constString(args[0]))
				}
			}
		}
	}
	return ""
}

// chiPackages are the import paths of chi, whose Mount this follows.
var chiPackages = []string{"github.com/go-chi/chi"}

// mountPrefix is the prefix under which the router v is mounted when its
// function returns it and a caller passes the result to chi's Mount:
// r.Mount("/admin", adminRoutes()) puts every route adminRoutes
// registers on the router it returns under /admin. Of several mounts, the
// first in position order counts.
func (b *builder) mountPrefix(v ssa.Value, depth int) string {
	fn := v.Parent()
	if fn == nil || depth > 8 || !returns(fn, v) {
		return ""
	}
	for _, site := range b.callSites(fn) {
		for _, use := range usesThroughConversions(site) {
			call, ok := use.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := call.Common()
			pkg, _, name, ok := calleeOf(c)
			if !ok || name != "Mount" || !pkgMatches(pkg, chiPackages) {
				continue
			}
			args, recv := c.Args, receiverValue(c)
			if !c.IsInvoke() && len(args) > 0 && recv != nil {
				args = args[1:]
			}
			if len(args) == 2 && unconverted(args[1]) == ssa.Value(site) {
				return joinRoute(b.groupPrefix(recv, depth+1), constString(args[0]))
			}
		}
	}
	return ""
}

// returns reports whether fn returns v, as it is or converted to an
// interface.
func returns(fn *ssa.Function, v ssa.Value) bool {
	for _, blk := range fn.Blocks {
		if ret, ok := blk.Instrs[len(blk.Instrs)-1].(*ssa.Return); ok {
			for _, r := range ret.Results {
				if unconverted(r) == v {
					return true
				}
			}
		}
	}
	return false
}

// unconverted strips interface and type conversions off v.
func unconverted(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		default:
			return v
		}
	}
}

// usesThroughConversions are the instructions that use v, or v converted
// to an interface or another type.
func usesThroughConversions(v ssa.Value) []ssa.Instruction {
	var out []ssa.Instruction
	var walk func(v ssa.Value, depth int)
	walk = func(v ssa.Value, depth int) {
		if v.Referrers() == nil || depth > 3 {
			return
		}
		for _, r := range *v.Referrers() {
			out = append(out, r)
			switch x := r.(type) {
			case *ssa.MakeInterface:
				walk(x, depth+1)
			case *ssa.ChangeType:
				walk(x, depth+1)
			case *ssa.ChangeInterface:
				walk(x, depth+1)
			}
		}
	}
	walk(v, 0)
	return out
}

// callSites are the static calls of fn in the analyzed code, in position
// order, indexed on first use.
func (b *builder) callSites(fn *ssa.Function) []*ssa.Call {
	if b.callers == nil {
		b.callers = map[*ssa.Function][]*ssa.Call{}
		for _, f := range b.ownFunctions() {
			for _, blk := range f.Blocks {
				for _, instr := range blk.Instrs {
					if c, ok := instr.(*ssa.Call); ok {
						if callee := c.Call.StaticCallee(); callee != nil {
							b.callers[callee] = append(b.callers[callee], c)
						}
					}
				}
			}
		}
	}
	return b.callers[fn]
}

func refersTo(v ssa.Value, fn *ssa.Function) bool {
	switch v := v.(type) {
	case *ssa.Function:
		return v == fn
	case *ssa.MakeClosure:
		return v.Fn == fn
	}
	return false
}

// gorillaMethods finds .Methods("GET", ...) chained on a gorilla route.
func gorillaMethods(call ssa.CallInstruction) string {
	v, ok := call.(*ssa.Call)
	if !ok || v.Referrers() == nil {
		return ""
	}
	for _, r := range *v.Referrers() {
		c, ok := r.(ssa.CallInstruction)
		if !ok {
			continue
		}
		_, _, name, ok := calleeOf(c.Common())
		if !ok || name != "Methods" {
			continue
		}
		var ms []string
		for _, a := range c.Common().Args[1:] {
			for _, m := range variadic(a) {
				ms = append(ms, strings.ToUpper(constString(m)))
			}
		}
		return strings.Join(ms, ",")
	}
	return ""
}

func constString(v ssa.Value) string {
	if k, ok := v.(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.String {
		return constant.StringVal(k.Value)
	}
	return ""
}

// splitPattern splits a net/http pattern "GET example.com/x/{id}" into its
// method and path (the host is kept with the path).
func splitPattern(p string) (method, path string) {
	if i := strings.IndexByte(p, ' '); i > 0 && !strings.ContainsAny(p[:i], "/{") {
		return p[:i], strings.TrimLeft(p[i+1:], " \t")
	}
	return "", p
}

func joinRoute(prefix, path string) string {
	if prefix == "" {
		return path
	}
	if path == "" {
		return prefix
	}
	return strings.TrimSuffix(prefix, "/") + "/" + strings.TrimPrefix(path, "/")
}

func (b *builder) sortedEntries() []model.EntryPoint {
	out := b.entries
	slices.SortStableFunc(out, model.CompareEntryPoints)
	if out == nil {
		out = []model.EntryPoint{}
	}
	return out
}
