package state

import (
	"go/token"
	"go/types"
	"sort"

	"decompose/analysis/model"

	"golang.org/x/tools/go/ssa"
)

// Options adjust Inspect to its driver. The zero value suits a
// per-package driver such as the go/analysis Analyzer.
type Options struct {
	// Decl maps code to the model's declaration IDs: the function that
	// contains an instruction and the instruction's position. When nil,
	// IDs are derived from SSA (see [DeclID]).
	Decl func(fn *ssa.Function, pos token.Pos) string
	// Phase tells when a function runs. When nil, or where it answers
	// PhaseUnknown, phases are estimated from the package alone (see the
	// package documentation).
	Phase PhaseFunc
	// Handler reports whether a function is registered as a request
	// handler (an entry point). When nil, a function with a handler's
	// parameters counts if it is used as a value (a method value, a
	// function literal passed on) or is a ServeHTTP method.
	Handler func(*ssa.Function) bool
	// Checks limits the checks run; nil runs all.
	Checks []*Check
	// Mutates reports whether a method of a package not inspected here
	// changes its receiver, so that calling it on a package variable or
	// a field is a write (go vet passes this from the facts of the
	// imported packages, whose bodies it does not have). The methods of
	// the packages inspected together are known without it.
	Mutates func(*types.Func) bool
	// Mutator, if set, is told each method of the inspected packages
	// that changes its receiver.
	Mutator func(*types.Func)
}

// Inspect finds the state in the code of one SSA package. It only reads
// pkg: any driver may build it (buildssa, ssautil, the tool's loader with
// ssa.InstantiateGenerics), and imported packages need no bodies. The
// findings are sorted by position.
func Inspect(pkg *ssa.Package, opts *Options) []Finding {
	return InspectProgram([]*ssa.Package{pkg}, opts)
}

// InspectProgram inspects several packages of one program together: it
// gives the same findings as Inspect on each, except that a package
// variable's accesses include those made by the other packages (a main
// package that sets config.Debug, a handler that appends to
// registry.Items).
func InspectProgram(pkgs []*ssa.Package, opts *Options) []Finding {
	if opts == nil {
		opts = &Options{}
	}
	set := map[*ssa.Package]bool{}
	for _, pkg := range pkgs {
		if pkg != nil && pkg.Pkg != nil {
			set[pkg] = true
		}
	}
	// a package after those it imports, so that the methods of one that
	// change their receiver are known when the next calls them
	mutators := map[*types.Func]bool{}
	foreign := func(f *types.Func) bool {
		if o := f.Origin(); mutators[o] {
			return true
		}
		return opts.Mutates != nil && opts.Mutates(f)
	}
	var passes []*pass
	for _, pkg := range dependencyOrder(pkgs, set) {
		p := newPass(pkg, opts, foreign)
		for f := range p.mutators {
			mutators[f] = true
		}
		passes = append(passes, p)
	}
	if len(passes) == 0 {
		return nil
	}
	uses := map[*ssa.Global]*globalUse{}
	for _, p := range passes {
		p.collectGlobals(uses, func(g *ssa.Global) bool { return set[g.Pkg] })
	}
	if opts.Mutator != nil {
		var own []*types.Func
		for f := range mutators {
			own = append(own, f)
		}
		sort.Slice(own, func(i, j int) bool { return own[i].Pos() < own[j].Pos() })
		for _, f := range own {
			opts.Mutator(f)
		}
	}
	var out []Finding
	for _, p := range passes {
		p.classifyGlobals(uses) // init-only, singleton, mutable, mutex
		p.fields()
		p.caches()
		p.goroutines()
		p.timers()
		p.fileWrites()
		p.queries() // SQL tables, dynamic and unparsed SQL, ORM models
		for _, f := range p.findings {
			if p.enabled(f.Check) {
				sortAccesses(p.fset, f.Writers)
				sortAccesses(p.fset, f.Readers)
				f.Fset = p.fset
				f.Severity, f.Basis = f.Check.Rank(&f)
				out = append(out, f)
			}
		}
	}
	sortFindings(passes[0].fset, out)
	return out
}

// pass holds what the checks of one package share.
type pass struct {
	pkg   *ssa.Package
	fset  *token.FileSet
	opts  *Options
	funcs []*ssa.Function // source functions with bodies, in position order
	own   map[*ssa.Function]bool

	phase     map[*ssa.Function]Phase
	onceFuncs map[*ssa.Function]bool // run by sync.Once.Do or built by sync.OnceValue
	locking   map[*ssa.Function]bool // takes a mutex
	mutators  map[*types.Func]bool   // own methods that mutate their receiver
	foreign   func(*types.Func) bool // other packages' methods that do
	closures  map[*ssa.Function]*ssa.MakeClosure
	asValue   map[*ssa.Function]bool     // used as a value: method values, callbacks
	initDecl  map[ssa.Instruction]string // package initializer code to its variable
	initAnon  map[*ssa.Function]string

	constGlobals map[*ssa.Global]string // package variables set once to a constant

	findings []Finding
}

// dependencyOrder lists the packages of set, each after the packages of
// set it imports, in the order of pkgs otherwise.
func dependencyOrder(pkgs []*ssa.Package, set map[*ssa.Package]bool) []*ssa.Package {
	byPath := map[*types.Package]*ssa.Package{}
	for pkg := range set {
		byPath[pkg.Pkg] = pkg
	}
	done := map[*ssa.Package]bool{}
	var out []*ssa.Package
	var visit func(pkg *ssa.Package)
	visit = func(pkg *ssa.Package) {
		if done[pkg] {
			return
		}
		done[pkg] = true
		for _, imp := range pkg.Pkg.Imports() {
			if dep := byPath[imp]; dep != nil {
				visit(dep)
			}
		}
		out = append(out, pkg)
	}
	for _, pkg := range pkgs {
		if set[pkg] {
			visit(pkg)
		}
	}
	return out
}

func newPass(pkg *ssa.Package, opts *Options, foreign func(*types.Func) bool) *pass {
	p := &pass{
		foreign:   foreign,
		pkg:       pkg,
		fset:      pkg.Prog.Fset,
		opts:      opts,
		own:       map[*ssa.Function]bool{},
		onceFuncs: map[*ssa.Function]bool{},
		locking:   map[*ssa.Function]bool{},
		closures:  map[*ssa.Function]*ssa.MakeClosure{},
		asValue:   map[*ssa.Function]bool{},
		initDecl:  map[ssa.Instruction]string{},
		initAnon:  map[*ssa.Function]string{},
	}
	p.funcs = sourceFuncs(pkg)
	for _, fn := range p.funcs {
		p.own[fn] = true
	}
	for _, fn := range p.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mc, ok := instr.(*ssa.MakeClosure); ok {
					if f, ok := mc.Fn.(*ssa.Function); ok && p.closures[f] == nil {
						p.closures[f] = mc
					}
				}
				if c, ok := instr.(ssa.CallInstruction); ok && isLockCall(c.Common()) {
					p.locking[fn] = true
				}
			}
		}
	}
	p.attributeInit()
	p.estimatePhases()
	p.mutators = p.findMutators()
	return p
}

func (p *pass) enabled(c *Check) bool {
	if p.opts.Checks == nil {
		return true
	}
	for _, x := range p.opts.Checks {
		if x == c {
			return true
		}
	}
	return false
}

// sourceFuncs returns the functions declared in pkg, their function
// literals, and the package initializer, each once, in position order.
// Generic instances are left out: their generic body stands for them.
func sourceFuncs(pkg *ssa.Package) []*ssa.Function {
	seen := map[*ssa.Function]bool{}
	var out []*ssa.Function
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		if fn == nil || seen[fn] || fn.Blocks == nil || fn.Pkg != pkg || fn.Origin() != nil {
			return
		}
		seen[fn] = true
		out = append(out, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	names := make([]string, 0, len(pkg.Members))
	for name := range pkg.Members {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		switch m := pkg.Members[name].(type) {
		case *ssa.Function:
			add(m)
		case *ssa.Type:
			named, ok := types.Unalias(m.Type()).(*types.Named)
			if !ok || types.IsInterface(named) {
				continue
			}
			for i := 0; i < named.NumMethods(); i++ {
				add(pkg.Prog.FuncValue(named.Method(i)))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return before(pkg.Prog.Fset, out[i].Pos(), out[j].Pos()) })
	return out
}

// before orders positions by file name, then by offset. token.Pos values
// alone follow the order go/packages happened to parse the files in, which
// changes from run to run, and the first writer found names a finding.
func before(fset *token.FileSet, a, b token.Pos) bool {
	fa, fb := fset.File(a), fset.File(b)
	if fa != fb {
		if fa == nil || fb == nil {
			return fa == nil
		}
		return fa.Name() < fb.Name()
	}
	return a < b
}

// instrs calls yield for every instruction of fn.
func instrs(fn *ssa.Function, yield func(ssa.Instruction)) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			yield(instr)
		}
	}
}

// each calls yield for every instruction of the package's functions.
func (p *pass) each(yield func(fn *ssa.Function, instr ssa.Instruction)) {
	for _, fn := range p.funcs {
		instrs(fn, func(instr ssa.Instruction) { yield(fn, instr) })
	}
}

// topLevel returns the declared function that encloses fn.
func topLevel(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	return fn
}

func isPackageInit(fn *ssa.Function) bool { return fn.Synthetic == "package initializer" }

// isInitFunc reports whether fn is the package initializer or a declared
// init function.
func isInitFunc(fn *ssa.Function) bool {
	if isPackageInit(fn) {
		return true
	}
	obj, ok := fn.Object().(*types.Func)
	return ok && fn.Parent() == nil && obj.Name() == "init" && fn.Signature.Recv() == nil
}

// DeclID returns the model's declaration ID for the code of fn: "pkg.Func",
// "pkg.Type.Method", "pkg.init" for init functions; function literals
// belong to their enclosing declaration. The package initializer has no
// declaration of its own: Inspect attributes its code to the variable it
// initialises.
func DeclID(fn *ssa.Function) string {
	top := topLevel(fn)
	obj, ok := top.Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		if top.Pkg != nil && isPackageInit(top) {
			return model.DeclID(top.Pkg.Pkg.Path(), "", "init")
		}
		return top.String()
	}
	path := obj.Pkg().Path()
	if recv := top.Signature.Recv(); recv != nil {
		if n := namedOf(recv.Type()); n != nil {
			return model.DeclID(path, n.Obj().Name(), obj.Name())
		}
	}
	return model.DeclID(path, "", obj.Name())
}

// declOf returns the declaration the instruction of fn belongs to.
func (p *pass) declOf(fn *ssa.Function, instr ssa.Instruction) string {
	pos := token.NoPos
	if instr != nil {
		pos = instrPos(instr)
	}
	if p.opts.Decl != nil {
		if d := p.opts.Decl(fn, pos); d != "" {
			return d
		}
	}
	top := topLevel(fn)
	if isPackageInit(top) {
		if fn != top {
			for fn.Parent() != top {
				fn = fn.Parent()
			}
			if d, ok := p.initAnon[fn]; ok {
				return d
			}
		} else if d, ok := p.initDecl[instr]; ok {
			return d
		}
	}
	return DeclID(fn)
}

// instrPos returns the position of instr, or of its call.
func instrPos(instr ssa.Instruction) token.Pos {
	switch instr.(type) {
	case *ssa.Go, *ssa.Defer:
		return instr.Pos() // the go or defer keyword
	}
	if c, ok := instr.(ssa.CallInstruction); ok && c.Common().Pos().IsValid() {
		return c.Common().Pos()
	}
	return instr.Pos()
}

// attributeInit maps the package initializer's code to the variables it
// initialises: the initializer evaluates each variable's expression and
// then stores it, in order, so the code before a store belongs to the
// stored variable.
func (p *pass) attributeInit() {
	init, ok := p.pkg.Members["init"].(*ssa.Function)
	if !ok || init.Blocks == nil {
		return
	}
	var chunk []ssa.Instruction
	for _, b := range init.Blocks {
		for _, instr := range b.Instrs {
			chunk = append(chunk, instr)
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			g, ok := st.Addr.(*ssa.Global)
			if !ok || g.Pkg != p.pkg || g.Name() == "init$guard" {
				continue
			}
			id := model.DeclID(p.pkg.Pkg.Path(), "", g.Name())
			for _, in := range chunk {
				p.initDecl[in] = id
				for _, op := range in.Operands(nil) {
					if f, ok := (*op).(*ssa.Function); ok && f.Parent() == init {
						p.initAnon[f] = id
					}
				}
			}
			chunk = chunk[:0]
		}
	}
}

// phase bits gathered from callers.
const (
	bitInit = 1 << iota
	bitStartup
	bitRequest
	bitBackground
	bitUnknown
)

// estimatePhases finds when each function runs, from the package alone:
// init functions during initialisation, main at start-up, request
// handlers (by their parameter types) while serving, goroutine bodies in
// the background;
// exported functions, methods and functions used as values at an unknown
// time. Callees inherit their callers' phases through static calls.
func (p *pass) estimatePhases() {
	bits := map[*ssa.Function]int{}
	callees := map[*ssa.Function][]*ssa.Function{}
	isMain := p.pkg.Pkg.Name() == "main"
	for _, fn := range p.funcs {
		switch {
		case isInitFunc(fn):
			bits[fn] |= bitInit
		case isMain && fn.Parent() == nil && fn.Name() == "main" && fn.Signature.Recv() == nil:
			bits[fn] |= bitStartup
		}
		if isHandlerSignature(fn.Signature) || (p.opts.Handler != nil && p.opts.Handler(fn)) {
			bits[fn] |= bitRequest
		}
		if fn.Parent() == nil && !isInitFunc(fn) {
			if fn.Signature.Recv() != nil || (!isMain && token.IsExported(fn.Name())) {
				bits[fn] |= bitUnknown
			}
		}
	}
	p.each(func(fn *ssa.Function, instr ssa.Instruction) {
		if g, ok := instr.(*ssa.Go); ok {
			if f := p.ownCallee(g.Common()); f != nil {
				bits[f] |= bitBackground
			}
		}
		call, isCall := instr.(ssa.CallInstruction)
		if isCall {
			if _, isGo := instr.(*ssa.Go); !isGo {
				if f := p.ownCallee(call.Common()); f != nil {
					callees[fn] = append(callees[fn], f)
				}
				if isOnceCall(call.Common()) {
					for _, a := range call.Common().Args {
						if f := p.ownFunc(a); f != nil {
							callees[fn] = append(callees[fn], f)
							p.onceFuncs[f] = true
						}
					}
				}
				if isOnceValueCall(call.Common()) {
					for _, a := range call.Common().Args {
						if f := p.ownFunc(a); f != nil {
							p.onceFuncs[f] = true
						}
					}
				}
			}
		}
		// A function used as a value is a callback: it runs whenever
		// its holder calls it.
		for _, op := range instr.Operands(nil) {
			f, ok := (*op).(*ssa.Function)
			if !ok || !p.own[f] {
				continue
			}
			if mc, ok := instr.(*ssa.MakeClosure); ok {
				if !calledDirectly(mc) {
					bits[f] |= bitUnknown
					p.asValue[f] = true
				}
				continue
			}
			if isCall && call.Common().Value == f {
				continue
			}
			if isCall && isOnceCall(call.Common()) {
				continue
			}
			bits[f] |= bitUnknown
			p.asValue[f] = true
		}
		// A method value (srv.Login) is a bound closure of the method.
		if mc, ok := instr.(*ssa.MakeClosure); ok {
			if w, ok := mc.Fn.(*ssa.Function); ok && w.Synthetic != "" {
				if m, ok := w.Object().(*types.Func); ok {
					if f := p.pkg.Prog.FuncValue(m); f != nil && p.own[f] {
						bits[f] |= bitUnknown
						p.asValue[f] = true
					}
				}
			}
		}
	})
	// Propagate to callees until nothing changes.
	for changed := true; changed; {
		changed = false
		for _, fn := range p.funcs {
			for _, c := range callees[fn] {
				if nb := bits[c] | bits[fn]; nb != bits[c] {
					bits[c] = nb
					changed = true
				}
			}
		}
	}
	p.phase = map[*ssa.Function]Phase{}
	for _, fn := range p.funcs {
		b := bits[fn]
		switch {
		case b&bitBackground != 0:
			p.phase[fn] = PhaseBackground
		case b&bitRequest != 0:
			p.phase[fn] = PhaseRequest
		case b&bitUnknown != 0:
			p.phase[fn] = PhaseUnknown
		case b&bitStartup != 0:
			p.phase[fn] = PhaseStartup
		case b&bitInit != 0:
			p.phase[fn] = PhaseInit
		default:
			p.phase[fn] = PhaseUnknown
		}
	}
}

// calledDirectly reports whether a closure is only called where it is made.
func calledDirectly(mc *ssa.MakeClosure) bool {
	refs := mc.Referrers()
	if refs == nil || len(*refs) == 0 {
		return false
	}
	for _, r := range *refs {
		c, ok := r.(ssa.CallInstruction)
		if !ok || c.Common().Value != mc {
			return false
		}
		if _, isGo := r.(*ssa.Go); isGo {
			return false
		}
	}
	return true
}

// registered reports whether fn, or a function it is nested in, is a
// request handler registered with a router or server.
func (p *pass) registered(fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		if p.opts.Handler != nil {
			if p.opts.Handler(f) {
				return true
			}
			continue
		}
		if isHandlerSignature(f.Signature) && (p.asValue[f] || (f.Name() == "ServeHTTP" && f.Signature.Recv() != nil)) {
			return true
		}
	}
	return false
}

// phaseOf returns when fn runs, by the driver's phases if it knows it.
func (p *pass) phaseOf(fn *ssa.Function) Phase {
	if p.opts.Phase != nil {
		if ph := p.opts.Phase(fn); ph != PhaseUnknown {
			return ph
		}
	}
	if ph, ok := p.phase[fn]; ok {
		return ph
	}
	return PhaseUnknown
}

// access builds an Access to state by the instruction instr of fn.
func (p *pass) access(fn *ssa.Function, instr ssa.Instruction, op Op, method string) Access {
	return Access{
		Func:    fn,
		Decl:    p.declOf(fn, instr),
		Pos:     instrPos(instr),
		Op:      op,
		Method:  method,
		Phase:   p.phaseOf(fn),
		Once:    p.underOnce(fn),
		Guarded: p.guarded(fn),
	}
}

func (p *pass) underOnce(fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if p.onceFuncs[fn] {
			return true
		}
	}
	return false
}

func (p *pass) guarded(fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if p.locking[fn] {
			return true
		}
	}
	return false
}

// ownCallee returns the function of this package a call statically
// invokes, or nil.
func (p *pass) ownCallee(c *ssa.CallCommon) *ssa.Function {
	if c.IsInvoke() {
		return nil
	}
	return p.ownFunc(c.Value)
}

func (p *pass) ownFunc(v ssa.Value) *ssa.Function {
	switch v := v.(type) {
	case *ssa.Function:
		if o := v.Origin(); o != nil {
			v = o
		}
		if p.own[v] {
			return v
		}
	case *ssa.MakeClosure:
		return p.ownFunc(v.Fn)
	}
	return nil
}

// siteFinding fills the facts of a finding about a site in fn.
func (p *pass) siteFinding(c *Check, fn *ssa.Function, instr ssa.Instruction) Finding {
	return Finding{
		Check:  c,
		Pos:    instrPos(instr),
		Func:   fn,
		Decl:   p.declOf(fn, instr),
		Phase:  p.phaseOf(fn),
		Why:    c.Rationale,
		Remedy: c.Remedy,
	}
}

func (p *pass) add(f Finding) {
	if f.Why == "" {
		f.Why = f.Check.Rationale
	}
	if f.Remedy == "" {
		f.Remedy = f.Check.Remedy
	}
	p.findings = append(p.findings, f)
}
