package state

import (
	"fmt"
	"go/token"
	"go/types"
	"time"

	"golang.org/x/tools/go/ssa"
)

// goroutines reports go statements whose goroutine may outlive the call
// that starts it.
func (p *pass) goroutines() {
	p.each(func(fn *ssa.Function, instr ssa.Instruction) {
		g, ok := instr.(*ssa.Go)
		if !ok {
			return
		}
		c := g.Common()
		target := bodyCallee(c)
		f := p.siteFinding(Goroutine, fn, instr)
		f.Object = goTargetName(c, target)
		starter := shortName(f.Decl)
		runs := shortName(f.Object)
		if target != nil && target.Parent() != nil {
			runs = "a function literal"
		}
		switch {
		case p.serves(c, target):
			f.Variant = VariantServer
			f.Message = fmt.Sprintf("goroutine started in %s serves requests (%s)", starter, runs)
			f.Remedy = "the platform's HTTP or gRPC front end invokes the handlers; drop the server loop in the function build"
		case p.joined(fn, g) && p.phaseOf(fn) != PhaseInit && p.phaseOf(fn) != PhaseStartup:
			return // ends before its starter returns
		default:
			why := ""
			if target != nil {
				why = p.blocksOrLoops(target, map[*ssa.Function]bool{}, 3)
			}
			if why != "" {
				f.Variant = VariantLongLived
				f.Message = fmt.Sprintf("goroutine started in %s runs %s, which %s: it outlives the call that starts it", starter, runs, why)
				f.Remedy = "a queue with a consumer function for event-driven work, a scheduled function for periodic work"
			} else {
				f.Variant = VariantOneShot
				if target == nil {
					runs += " (its body is not analysed here)"
				}
				f.Message = fmt.Sprintf("goroutine started in %s runs %s and nothing waits for it: the instance may be frozen before it finishes", starter, runs)
				f.Remedy = "do the work before answering, or send it to a queue (SQS, Pub/Sub) consumed by another function"
			}
		}
		p.add(f)
	})
}

// bodyCallee returns the function a call statically invokes if its body
// is available: any function of this package, and of other packages when
// the driver built their bodies too.
func bodyCallee(c *ssa.CallCommon) *ssa.Function {
	fn := c.StaticCallee()
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if fn.Blocks == nil {
		return nil
	}
	return fn
}

// goTargetName names the function a go statement runs.
func goTargetName(c *ssa.CallCommon, target *ssa.Function) string {
	if target != nil {
		if target.Parent() != nil {
			return "func literal in " + DeclID(target)
		}
		return DeclID(target)
	}
	if f := calleeFunc(c); f != nil {
		return funcID(f)
	}
	return "a function value"
}

// funcID renders a function or method as a declaration ID.
func funcID(f *types.Func) string {
	if f.Pkg() == nil {
		return f.Name()
	}
	if _, typ := recvType(f); typ != "" {
		return f.Pkg().Path() + "." + typ + "." + f.Name()
	}
	return f.Pkg().Path() + "." + f.Name()
}

// serveMethods are the calls that run a server loop, by package.
var serveMethods = []struct {
	path  string
	names []string
}{
	{"net/http", []string{"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"}},
	{"google.golang.org/grpc", []string{"Serve"}},
	{"github.com/gin-gonic/gin", []string{"Run", "RunTLS", "RunListener"}},
	{"github.com/labstack/echo", []string{"Start", "StartTLS", "StartServer"}},
	{"github.com/gofiber/fiber", []string{"Listen", "ListenTLS", "Listener"}},
	{"github.com/valyala/fasthttp", []string{"ListenAndServe", "Serve"}},
}

func isServeCall(c *ssa.CallCommon) bool {
	f := calleeFunc(c)
	if f == nil || f.Pkg() == nil {
		return false
	}
	for _, s := range serveMethods {
		if within(f.Pkg().Path(), s.path) {
			for _, n := range s.names {
				if f.Name() == n {
					return true
				}
			}
		}
	}
	return false
}

// serves reports whether a go statement runs a server loop, directly or
// in a function literal that calls one.
func (p *pass) serves(c *ssa.CallCommon, target *ssa.Function) bool {
	if isServeCall(c) {
		return true
	}
	found := false
	if target != nil {
		instrs(target, func(instr ssa.Instruction) {
			if call, ok := instr.(ssa.CallInstruction); ok && isServeCall(call.Common()) {
				found = true
			}
		})
	}
	return found
}

// joined reports whether the function that starts a goroutine waits for
// it: it waits on a WaitGroup or an errgroup, or receives from a channel
// it shares with the goroutine.
func (p *pass) joined(fn *ssa.Function, g *ssa.Go) bool {
	shared := map[ssa.Value]bool{}
	c := g.Common()
	vals := append([]ssa.Value{}, c.Args...)
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		vals = append(vals, mc.Bindings...)
	}
	for _, v := range vals {
		if isChan(v.Type()) {
			shared[v] = true
		}
		shared[p.originOf(v).root] = true
	}
	found := false
	instrs(fn, func(instr ssa.Instruction) {
		switch in := instr.(type) {
		case ssa.CallInstruction:
			f := calleeFunc(in.Common())
			if isMethod(f, "sync", "WaitGroup", "Wait") || isMethod(f, "golang.org/x/sync/errgroup", "Group", "Wait") {
				found = true
			}
		case *ssa.UnOp:
			if in.Op == token.ARROW && (shared[in.X] || shared[p.originOf(in.X).root]) {
				found = true
			}
		case *ssa.Select:
			for _, st := range in.States {
				if st.Dir == types.RecvOnly && (shared[st.Chan] || shared[p.originOf(st.Chan).root]) {
					found = true
				}
			}
		}
	})
	return found
}

func isChan(t types.Type) bool {
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// blocksOrLoops says how fn, or a function of this package it calls,
// keeps running: it waits for events or loops without end. It returns ""
// if fn runs to completion.
func (p *pass) blocksOrLoops(fn *ssa.Function, seen map[*ssa.Function]bool, depth int) string {
	if seen[fn] || depth == 0 {
		return ""
	}
	seen[fn] = true
	why := ""
	instrs(fn, func(instr ssa.Instruction) {
		if why != "" {
			return
		}
		switch in := instr.(type) {
		case *ssa.UnOp:
			if in.Op == token.ARROW {
				why = "waits on a channel"
			}
		case *ssa.Select:
			if in.Blocking {
				why = "waits in a select"
			}
		case ssa.CallInstruction:
			c := in.Common()
			f := calleeFunc(c)
			switch {
			case isFunc(f, "time", "Sleep"):
				why = "sleeps"
			case isMethod(f, "sync", "Cond", "Wait"):
				why = "waits on a sync.Cond"
			case isServeCall(c):
				why = "serves requests"
			case isMethod(f, "net", "Listener", "Accept") || isMethod(f, "net", "TCPListener", "Accept"):
				why = "accepts connections"
			}
			if why == "" {
				if callee := bodyCallee(c); callee != nil {
					why = p.blocksOrLoops(callee, seen, depth-1)
				}
			}
		}
	})
	if why == "" && loopsForever(fn) {
		why = "loops without end"
	}
	return why
}

// loopsForever reports whether fn has a reachable block from which it can
// never return: a loop without exit.
func loopsForever(fn *ssa.Function) bool {
	if len(fn.Blocks) == 0 {
		return false
	}
	// exits: blocks that leave the function (return, panic, no-return call)
	canExit := make([]bool, len(fn.Blocks))
	for changed := true; changed; {
		changed = false
		for _, b := range fn.Blocks {
			if canExit[b.Index] {
				continue
			}
			exit := len(b.Succs) == 0
			for _, s := range b.Succs {
				exit = exit || canExit[s.Index]
			}
			if exit {
				canExit[b.Index] = true
				changed = true
			}
		}
	}
	for _, b := range fn.Blocks {
		if !canExit[b.Index] {
			return true
		}
	}
	return false
}

// timers reports tickers and timers: periodic and delayed work inside the
// process.
func (p *pass) timers() {
	p.each(func(fn *ssa.Function, instr ssa.Instruction) {
		call, ok := instr.(ssa.CallInstruction)
		if !ok {
			return
		}
		c := call.Common()
		f := calleeFunc(c)
		var variant, what string
		switch {
		case isFunc(f, "time", "NewTicker", "Tick"):
			variant, what = VariantTicker, "time."+f.Name()
		case isFunc(f, "time", "AfterFunc"):
			variant, what = VariantAfterFunc, "time.AfterFunc"
		case isFunc(f, "time", "NewTimer"):
			variant, what = VariantTimer, "time.NewTimer"
		default:
			return
		}
		fd := p.siteFinding(Timer, fn, instr)
		if variant == VariantTicker && tickerLoops(call.Value(), f.Name() == "Tick") {
			variant = VariantTickerLoop
		}
		fd.Variant = variant
		fd.Object = what
		every := ""
		if len(c.Args) > 0 {
			if d, ok := constInt(c.Args[0]); ok {
				fd.Detail = time.Duration(d).String()
				every = " (" + fd.Detail + ")"
			}
		}
		switch variant {
		case VariantTickerLoop:
			fd.Message = fmt.Sprintf("%s in %s%s drives a loop: periodic work inside the process", what, shortName(fd.Decl), every)
		case VariantTicker:
			fd.Message = fmt.Sprintf("%s in %s%s runs work periodically inside the process", what, shortName(fd.Decl), every)
		case VariantAfterFunc:
			fd.Message = fmt.Sprintf("%s in %s%s runs work after the caller has returned", what, shortName(fd.Decl), every)
			fd.Remedy = "a queue with delivery delay (SQS delay, Cloud Tasks) or a scheduled function"
		default:
			fd.Message = fmt.Sprintf("%s in %s%s", what, shortName(fd.Decl), every)
			fd.Remedy = "none if it bounds a wait inside the request; a scheduled function if it drives background work"
		}
		p.add(fd)
	})
}

// tickerLoops reports whether the ticks of a ticker (or of time.Tick's
// channel) are received inside a loop: the ticker drives periodic work.
func tickerLoops(v ssa.Value, isChan bool) bool {
	if v == nil {
		return false
	}
	var chans []ssa.Value
	if isChan {
		chans = append(chans, v)
	} else if refs := v.Referrers(); refs != nil {
		for _, r := range *refs {
			fa, ok := r.(*ssa.FieldAddr)
			if !ok || fa.X != v {
				continue
			}
			if fld := structField(v.Type(), fa.Field); fld == nil || fld.Name() != "C" {
				continue
			}
			for _, rr := range *fa.Referrers() {
				if ld, ok := rr.(*ssa.UnOp); ok && ld.Op == token.MUL {
					chans = append(chans, ld)
				}
			}
		}
	}
	for _, ch := range chans {
		refs := ch.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			recv := false
			switch in := r.(type) {
			case *ssa.UnOp:
				recv = in.Op == token.ARROW
			case *ssa.Select:
				recv = true
			}
			if recv && inCycle(r.Block()) {
				return true
			}
		}
	}
	return false
}

// inCycle reports whether a block can reach itself.
func inCycle(b *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == b {
			return true
		}
		if !seen[x] {
			seen[x] = true
			stack = append(stack, x.Succs...)
		}
	}
	return false
}
