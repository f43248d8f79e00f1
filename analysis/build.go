package analysis

import (
	"cmp"
	"context"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"decompose/analysis/model"

	"golang.org/x/tools/go/callgraph"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// Analyze loads the program cfg names, builds its call graph with algo and
// returns its model, with the loaded program for the stages that need SSA.
//
// What the model takes from syntax and go/types (declarations, type and
// constant uses) is gathered before SSA bodies are built, and the
// program's own references to the syntax trees and type information are
// then dropped: SSA releases each package's as it builds it, so they are
// never all alive beside the whole SSA form, where the heap peaks.
func Analyze(ctx context.Context, cfg Config, algo string) (*model.Model, *Program, error) {
	var b *builder
	prog, err := load(ctx, cfg, func(prog *Program) {
		start := time.Now()
		cfg.progress("model")
		b = newBuilder(prog)
		b.fromSyntax()
		b.bodies = funcBodies(prog)
		prog.releaseSyntax()
		prog.Timings.Model = time.Since(start)
	})
	if err != nil {
		return nil, nil, err
	}
	dropBodies(b.bodies)
	b.bodies = nil
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	start := time.Now()
	cfg.progress("call graph")
	// The call graph takes one core; the edges that do not depend on it
	// are found on another meanwhile. Both only read the program, SSA
	// and types; RTA adds packages to it, so it comes first.
	prog.AllFunctions() // computed once, before the two walk it
	static := make(chan struct{})
	if algo == "rta" {
		b.fromSSA()
		close(static)
	} else {
		go func() {
			defer close(static)
			b.fromSSA()
		}()
	}
	cg, err := CallGraph(ctx, prog, algo)
	<-static
	if err != nil {
		return nil, nil, err
	}
	prog.Timings.Graph = time.Since(start)
	start = time.Now()
	cfg.progress("model")
	m := b.finish(cg, algo)
	prog.Timings.Model += time.Since(start)
	return m, prog, nil
}

// funcBodies lists the declarations of non-generic functions and methods
// in every analyzed file.
func funcBodies(prog *Program) []*ast.FuncDecl {
	var out []*ast.FuncDecl
	add := func(p *packages.Package) {
		if p.TypesInfo == nil {
			return // no SSA holds it
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && !genericDecl(p.TypesInfo, fd) {
					out = append(out, fd)
				}
			}
		}
	}
	for _, p := range prog.Packages {
		add(p)
	}
	for p := range prog.SSAPackages {
		add(p)
	}
	return out
}

// genericDecl reports a function with type parameters or a method of a
// generic type (or one go/types did not resolve): SSA builds generic
// instances on demand, from the syntax.
func genericDecl(info *types.Info, d *ast.FuncDecl) bool {
	fn, ok := info.Defs[d.Name].(*types.Func)
	if !ok {
		return true
	}
	sig := fn.Signature()
	return sig.TypeParams().Len() > 0 || sig.RecvTypeParams().Len() > 0
}

// dropBodies cuts the statements off built functions' declarations. SSA
// keeps every function's syntax for Function.Syntax, which nothing here
// calls once the functions are built, and through it the whole syntax
// tree of every body would stay alive through the call graph, where the
// heap peaks (on gardener, ~70 MB). Generic declarations keep their
// bodies, as SSA may still build instances of them.
func dropBodies(ds []*ast.FuncDecl) {
	for _, d := range ds {
		d.Body = nil
	}
}

// BuildModel turns the loaded program and its call graph into the model.
// cg may be nil: the model then has no dynamic calls.
func BuildModel(prog *Program, cg *callgraph.Graph, algo string) *model.Model {
	b := newBuilder(prog)
	b.fromSyntax()
	b.fromSSA()
	return b.finish(cg, algo)
}

// fromSyntax is the part of the model read from syntax trees and type
// information: the declarations, and the uses SSA does not keep.
func (b *builder) fromSyntax() {
	b.declare()
	b.edgesFromSyntax()
}

// fromSSA records the edges that the call graph does not decide: static
// calls, references and variable accesses, and implementations.
func (b *builder) fromSSA() {
	b.edgesFromSSA()
	b.implements()
}

// finish adds what the call graph tells, once it is built (and fromSSA
// has run), and returns the model.
func (b *builder) finish(cg *callgraph.Graph, algo string) *model.Model {
	prog := b.prog
	if cg != nil {
		b.edgesFromCallGraph(cg)
	}
	b.entryPoints()
	findings, tables := b.state(cg)
	m := &model.Model{
		Schema:      model.ModelSchema,
		Root:        prog.Root,
		Modules:     prog.Modules,
		Algorithm:   algo,
		Packages:    b.pkgs,
		Decls:       b.decls,
		Edges:       b.sortedEdges(),
		EntryPoints: b.sortedEntries(),
		Findings:    findings,
		Tables:      tables,
		Errors:      prog.Errors,
	}
	if m.Modules == nil {
		m.Modules = []model.Module{}
	}
	return m
}

// span is the extent of a top-level declaration in a file.
type span struct {
	start, end token.Pos
	id         string
}

// position is a rendered position; edges keep their first site by it, as
// token.Pos values depend on the order files were parsed in.
type position struct {
	file      string
	line, col int
}

func (p position) less(q position) bool {
	if p.file != q.file {
		return p.file < q.file
	}
	if p.line != q.line {
		return p.line < q.line
	}
	return p.col < q.col
}

func (p position) String() string {
	if p.file == "" {
		return ""
	}
	return p.file + ":" + strconv.Itoa(p.line) + ":" + strconv.Itoa(p.col)
}

type edgeKey struct {
	from, to string
	kind     model.EdgeKind
}

type edgeVal struct {
	weight int
	async  int
	pos    position
}

type builder struct {
	prog *Program
	fset *token.FileSet
	// bodies are the bodies of the non-generic function declarations,
	// dropped once SSA is built (see dropBodies).
	bodies []*ast.FuncDecl
	// own holds the analyzed packages' types, every variant.
	own map[*types.Package]bool
	// spans indexes each analyzed file's declarations by position.
	spans map[*token.File][]span
	// testVariant marks SSA packages that are the test variant of a
	// package whose plain variant is analyzed too: only their _test.go
	// functions count, the rest being counted in the plain variant.
	testVariant map[*ssa.Package]bool
	pkgs        []model.Package
	decls       []model.Decl
	declSet     map[string]bool
	edges       map[edgeKey]*edgeVal
	entries     []model.EntryPoint
	fns         map[*ssa.Function]bool
	// callers indexes the static calls of each function (callSites).
	callers map[*ssa.Function][]*ssa.Call
	roots   []root
	relOf   map[string]string // file name → relative to the root
}

// root is a function through which control enters the program.
type root struct {
	kind  model.EntryKind
	fn    *ssa.Function
	label string // "GET /orders/{id}", "main", "background"
}

func newBuilder(prog *Program) *builder {
	b := &builder{
		relOf:       map[string]string{},
		prog:        prog,
		fset:        prog.Fset,
		own:         map[*types.Package]bool{},
		spans:       map[*token.File][]span{},
		testVariant: map[*ssa.Package]bool{},
		declSet:     map[string]bool{},
		edges:       map[edgeKey]*edgeVal{},
	}
	plain := map[string]bool{}
	for p := range prog.SSAPackages {
		if p.ForTest == "" {
			plain[p.PkgPath] = true
		}
	}
	for p, sp := range prog.SSAPackages {
		b.own[sp.Pkg] = true
		if p.ForTest == p.PkgPath && plain[p.PkgPath] {
			b.testVariant[sp] = true
		}
	}
	for _, p := range prog.Packages {
		if p.Types != nil {
			b.own[p.Types] = true
		}
	}
	return b
}

func (prog *Program) sortedSSA() []*ssa.Package {
	var out []*ssa.Package
	for _, p := range prog.SSAPackages {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *ssa.Package) int {
		return cmp.Or(
			cmp.Compare(a.Pkg.Path(), b.Pkg.Path()),
			cmp.Compare(len(a.Members), len(b.Members)),
		)
	})
	return out
}

func (b *builder) pos(p token.Pos) position {
	if !p.IsValid() {
		return position{}
	}
	pp := b.fset.Position(p)
	return position{file: b.rel(pp.Filename), line: pp.Line, col: pp.Column}
}

// rel is relPath from the root, remembered per file: positions are many,
// files few.
func (b *builder) rel(filename string) string {
	r, ok := b.relOf[filename]
	if !ok {
		r = relPath(b.prog.Root, filename)
		b.relOf[filename] = r
	}
	return r
}

// declare lists the packages and their declarations, and indexes every
// analyzed file's declarations by position.
func (b *builder) declare() {
	for _, p := range b.prog.Packages {
		pkg := model.Package{Path: p.PkgPath, Name: p.Name, Broken: p.IllTyped || len(p.Errors) > 0}
		if p.Module != nil {
			pkg.Module = p.Module.Path
		}
		for _, imp := range p.Imports {
			pkg.Imports = append(pkg.Imports, imp.PkgPath)
		}
		sort.Strings(pkg.Imports)
		goFiles := map[string]bool{}
		for _, f := range p.GoFiles {
			goFiles[f] = true
		}
		for _, f := range p.Syntax {
			tf := b.fset.File(f.FileStart)
			if tf == nil {
				continue
			}
			src, gen, lines := tf.Name(), b.prog.generated[tf.Name()], tf.LineCount()
			if !goFiles[src] {
				// cgo's output, in the build cache: a translation of one
				// of the package's files (its //line directives name it),
				// or cgo's own glue, which is no file of the program
				orig := b.fset.Position(f.Package).Filename
				if !goFiles[orig] {
					b.fileDecls(p, f, true) // indexed, not declared
					continue
				}
				src, gen, lines = orig, isGenerated(orig), countLines(orig, lines)
			}
			name := relPath(b.prog.Root, src)
			if pkg.Dir == "" {
				pkg.Dir = dirOf(name)
			}
			pkg.Files = append(pkg.Files, model.File{Path: name, Lines: lines, Generated: gen})
			pkg.Lines += lines
			if gen {
				pkg.GeneratedLines += lines
			}
			for _, d := range b.fileDecls(p, f, gen) {
				if !b.declSet[d.ID] {
					b.declSet[d.ID] = true
					b.decls = append(b.decls, d)
				}
			}
		}
		if len(p.Syntax) == 0 && len(p.GoFiles) > 0 {
			pkg.Dir = dirOf(relPath(b.prog.Root, p.GoFiles[0]))
		}
		sort.Slice(pkg.Files, func(i, j int) bool { return pkg.Files[i].Path < pkg.Files[j].Path })
		b.pkgs = append(b.pkgs, pkg)
	}
	// Index the other variants' files too: positions inside them must map
	// to the same declarations.
	for p := range b.prog.SSAPackages {
		for _, f := range p.Syntax {
			if tf := b.fset.File(f.FileStart); tf != nil && b.spans[tf] == nil {
				b.fileDecls(p, f, false)
			}
		}
	}
	sort.Slice(b.decls, func(i, j int) bool { return b.decls[i].ID < b.decls[j].ID })
}

func dirOf(file string) string {
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		return file[:i]
	}
	return "."
}

// fileDecls returns the declarations of one file and records their spans.
func (b *builder) fileDecls(p *packages.Package, f *ast.File, gen bool) []model.Decl {
	tf := b.fset.File(f.FileStart)
	var out []model.Decl
	add := func(id, name, recv string, kind model.DeclKind, node ast.Node, namePos token.Pos, iface bool) {
		start, end := node.Pos(), node.End()
		b.spans[tf] = append(b.spans[tf], span{start, end, id})
		out = append(out, model.Decl{
			ID:        id,
			Package:   p.PkgPath,
			Name:      name,
			Kind:      kind,
			Recv:      recv,
			Pos:       b.pos(namePos).String(),
			Lines:     b.fset.Position(end).Line - b.fset.Position(start).Line + 1,
			Exported:  token.IsExported(name),
			Generated: gen,
			Interface: iface,
		})
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			switch {
			case d.Recv != nil && len(d.Recv.List) == 1:
				recv := recvTypeName(d.Recv.List[0].Type)
				add(model.DeclID(p.PkgPath, recv, name), name, recv, model.KindMethod, d, d.Name.Pos(), false)
			case name == "init":
				add(model.DeclID(p.PkgPath, "", "init"), name, "", model.KindFunc, d, d.Name.Pos(), false)
			default:
				add(model.DeclID(p.PkgPath, "", name), name, "", model.KindFunc, d, d.Name.Pos(), false)
			}
			out[len(out)-1].Signature = signature(p, d)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				// A lone spec spans its whole GenDecl, so that the
				// "var" keyword and doc belong to it.
				var node ast.Node = s
				if len(d.Specs) == 1 {
					node = d
				}
				switch s := s.(type) {
				case *ast.TypeSpec:
					_, iface := s.Type.(*ast.InterfaceType)
					add(model.DeclID(p.PkgPath, "", s.Name.Name), s.Name.Name, "", model.KindType, node, s.Name.Pos(), iface)
				case *ast.ValueSpec:
					kind := model.KindVar
					if d.Tok == token.CONST {
						kind = model.KindConst
					}
					for i, n := range s.Names {
						if n.Name == "_" {
							continue
						}
						id := model.DeclID(p.PkgPath, "", n.Name)
						if i == 0 {
							add(id, n.Name, "", kind, node, n.Pos(), false)
						} else {
							// later names share the spec's span; lookups
							// find the first, which is close enough for
							// initialiser code.
							out = append(out, model.Decl{ID: id, Package: p.PkgPath, Name: n.Name, Kind: kind,
								Pos: b.pos(n.Pos()).String(), Lines: 1, Exported: token.IsExported(n.Name), Generated: gen})
						}
					}
				}
			}
		}
	}
	sort.Slice(b.spans[tf], func(i, j int) bool { return b.spans[tf][i].start < b.spans[tf][j].start })
	return out
}

// signature renders a function's type with package-name qualifiers.
func signature(p *packages.Package, d *ast.FuncDecl) string {
	if p.TypesInfo == nil {
		return ""
	}
	fn, ok := p.TypesInfo.Defs[d.Name].(*types.Func)
	if !ok {
		return ""
	}
	sig := fn.Type().(*types.Signature)
	plain := types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic())
	return types.TypeString(plain, func(pkg *types.Package) string { return pkg.Name() })
}

func recvTypeName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return "_"
		}
	}
}

// unitAt is the declaration enclosing pos, or "".
func (b *builder) unitAt(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	tf := b.fset.File(pos)
	spans := b.spans[tf]
	i := sort.Search(len(spans), func(i int) bool { return spans[i].start > pos }) - 1
	if i >= 0 && pos < spans[i].end {
		return spans[i].id
	}
	return ""
}

// objUnit is the unit that declares a package-level object of an analyzed
// package, or "" for other objects.
func (b *builder) objUnit(obj types.Object) string {
	if obj == nil || obj.Pkg() == nil || !b.own[obj.Pkg()] {
		return ""
	}
	path := obj.Pkg().Path()
	switch obj := obj.(type) {
	case *types.Func:
		sig, _ := obj.Type().(*types.Signature)
		if sig != nil && sig.Recv() != nil {
			t := sig.Recv().Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			named, ok := types.Unalias(t).(*types.Named)
			if !ok {
				return ""
			}
			if types.IsInterface(named) {
				// an interface method: the interface is the unit
				return b.objUnit(named.Obj())
			}
			return model.DeclID(path, named.Origin().Obj().Name(), obj.Name())
		}
		if obj.Parent() != obj.Pkg().Scope() && obj.Name() != "init" {
			return ""
		}
		return model.DeclID(path, "", obj.Name())
	case *types.TypeName, *types.Var, *types.Const:
		if obj.Parent() != obj.Pkg().Scope() {
			return ""
		}
		return model.DeclID(path, "", obj.Name())
	}
	return ""
}

// fnUnit is the unit a function's code belongs to: its declaration, the
// declaration enclosing a function literal, the method a wrapper wraps.
// The package initializer has no unit of its own: callers map its
// instructions by position.
func (b *builder) fnUnit(fn *ssa.Function) string {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		return b.objUnit(obj)
	}
	return ""
}

// instrUnit is the unit an instruction's code belongs to.
func (b *builder) instrUnit(fn *ssa.Function, pos token.Pos) string {
	if u := b.fnUnit(fn); u != "" {
		return u
	}
	if u := b.unitAt(pos); u != "" {
		return u
	}
	if fn.Pkg != nil && b.own[fn.Pkg.Pkg] && fn.Synthetic == "package initializer" {
		return model.DeclID(fn.Pkg.Pkg.Path(), "", "init")
	}
	return ""
}

func (b *builder) addEdge(from, to string, kind model.EdgeKind, pos token.Pos) {
	b.addCall(from, to, kind, pos, false)
}

// addCall adds an edge, counting async sites: calls made in a go
// statement, or whose results are all discarded.
func (b *builder) addCall(from, to string, kind model.EdgeKind, pos token.Pos, async bool) {
	if from == "" || to == "" || from == to {
		return
	}
	if !b.declSet[from] || !b.declSet[to] {
		return
	}
	k := edgeKey{from, to, kind}
	p := b.pos(pos)
	if async {
		defer func() { b.edges[k].async++ }()
	}
	if e := b.edges[k]; e != nil {
		e.weight++
		if p.file != "" && (e.pos.file == "" || p.less(e.pos)) {
			e.pos = p
		}
		return
	}
	b.edges[k] = &edgeVal{weight: 1, pos: p}
}

// ownFunctions are the functions with bodies of the analyzed packages,
// generic instances excluded (their generic body is counted), each once.
func (b *builder) ownFunctions() []*ssa.Function {
	if b.fns == nil {
		b.fns = map[*ssa.Function]bool{}
		for fn := range b.prog.AllFunctions() {
			if fn.Pkg == nil || !b.own[fn.Pkg.Pkg] || fn.Blocks == nil || fn.Origin() != nil {
				continue
			}
			if b.testVariant[fn.Pkg] && !b.inTestFile(fn) {
				continue
			}
			b.fns[fn] = true
		}
	}
	out := make([]*ssa.Function, 0, len(b.fns))
	for fn := range b.fns {
		out = append(out, fn)
	}
	// a stable order: edges keep first sites by position anyway, but
	// entry points are collected in this order.
	type keyed struct {
		fn   *ssa.Function
		pos  position
		name string
	}
	ks := make([]keyed, len(out))
	for i, fn := range out {
		ks[i] = keyed{fn, b.pos(fn.Pos()), fn.String()}
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].pos != ks[j].pos {
			return ks[i].pos.less(ks[j].pos)
		}
		return ks[i].name < ks[j].name
	})
	for i := range ks {
		out[i] = ks[i].fn
	}
	return out
}

func (b *builder) inTestFile(fn *ssa.Function) bool {
	if !fn.Pos().IsValid() {
		// the test variant's package initializer: its test-file
		// initialisers are found by position instruction by instruction
		return fn.Synthetic == "package initializer"
	}
	return strings.HasSuffix(b.fset.File(fn.Pos()).Name(), "_test.go")
}

// edgesFromSSA records static calls, references to functions and accesses
// to package-level variables.
func (b *builder) edgesFromSSA() {
	for _, fn := range b.ownFunctions() {
		skipNonTest := b.testVariant[fn.Pkg] && fn.Synthetic == "package initializer"
		for _, blk := range fn.Blocks {
			for _, instr := range blk.Instrs {
				pos := instrPos(instr)
				if skipNonTest && (!pos.IsValid() || !strings.HasSuffix(b.fset.File(pos).Name(), "_test.go")) {
					continue
				}
				from := b.instrUnit(fn, pos)
				if from == "" {
					continue
				}
				b.instrEdges(from, instr, pos)
			}
		}
	}
}

// instrPos is the instruction's position, or that of the call it makes.
func instrPos(instr ssa.Instruction) token.Pos {
	if c, ok := instr.(ssa.CallInstruction); ok {
		return c.Common().Pos()
	}
	return instr.Pos()
}

func (b *builder) instrEdges(from string, instr ssa.Instruction, pos token.Pos) {
	var callee ssa.Value
	if c, ok := instr.(ssa.CallInstruction); ok {
		common := c.Common()
		switch {
		case common.IsInvoke():
			b.addCall(from, b.objUnit(common.Method), model.EdgeCall, pos, isAsync(instr))
		case common.StaticCallee() != nil:
			b.addCall(from, b.fnUnit(common.StaticCallee()), model.EdgeCall, pos, isAsync(instr))
			callee = common.Value
		}
	}
	var ops [8]*ssa.Value
	for _, op := range instr.Operands(ops[:0]) {
		if op == nil || *op == nil || *op == callee {
			continue
		}
		switch v := (*op).(type) {
		case *ssa.Function:
			if v.Parent() == nil { // literals are part of their encloser
				b.addEdge(from, b.fnUnit(v), model.EdgeRef, pos)
			}
		case *ssa.Global:
			b.addEdge(from, b.objUnit(v.Object()), globalAccess(v, instr), pos)
		}
	}
}

// isAsync reports whether a call does not make its caller wait for, or
// use, its outcome: a go statement, or a call whose results are all
// discarded. Such calls can become events or queue messages; the others
// need a synchronous request.
func isAsync(instr ssa.Instruction) bool {
	switch c := instr.(type) {
	case *ssa.Go:
		return true
	case *ssa.Call:
		if c.Call.Signature().Results().Len() == 0 {
			return false // nothing to wait for, but it still runs in line
		}
		refs := c.Referrers()
		return refs == nil || len(*refs) == 0
	}
	return false
}

// globalAccess classifies one use of a package-level variable: stores,
// updates of a map or slice held in it, and calls that receive its address
// (mu.Lock(), once.Do, json.Unmarshal into it) write; loads read.
func globalAccess(g *ssa.Global, instr ssa.Instruction) model.EdgeKind {
	if mutatesAddr(g, instr, 0) {
		return model.EdgeWrite
	}
	return model.EdgeRead
}

// mutatesAddr reports whether instr, which uses the address addr, writes
// through it.
func mutatesAddr(addr ssa.Value, instr ssa.Instruction, depth int) bool {
	if depth > 4 {
		return false
	}
	switch in := instr.(type) {
	case *ssa.Store:
		return in.Addr == addr
	case *ssa.UnOp:
		if in.Op == token.MUL { // a load: writes if the loaded map is updated
			return updatesLoaded(in)
		}
		return false
	case *ssa.FieldAddr, *ssa.IndexAddr:
		v := in.(ssa.Value)
		refs := v.Referrers()
		if refs == nil {
			return false
		}
		for _, r := range *refs {
			if mutatesAddr(v, r, depth+1) {
				return true
			}
		}
		return false
	case *ssa.Slice:
		return false
	case ssa.CallInstruction:
		// the address itself escapes into a call
		return true
	case *ssa.DebugRef:
		return false
	}
	// stored elsewhere, converted to an interface, sent: the address
	// escapes, and whoever holds it may write.
	return true
}

// updatesLoaded reports whether a value loaded from a variable is a map
// that is then updated or cleared.
func updatesLoaded(load *ssa.UnOp) bool {
	refs := load.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.MapUpdate:
			if r.Map == load {
				return true
			}
		case *ssa.Call:
			if bi, ok := r.Call.Value.(*ssa.Builtin); ok && (bi.Name() == "delete" || bi.Name() == "clear") {
				return true
			}
		}
	}
	return false
}

// edgesFromCallGraph records the calls that the call graph resolves and
// the static calls do not: dispatch through interfaces and function values.
func (b *builder) edgesFromCallGraph(cg *callgraph.Graph) {
	b.ownFunctions()
	for fn, n := range cg.Nodes {
		if fn == nil || fn.Pkg == nil || !b.own[fn.Pkg.Pkg] {
			continue
		}
		if fn.Origin() == nil && !b.fns[fn] {
			continue // a body counted in the other test variant
		}
		for _, e := range n.Out {
			if e.Site == nil || e.Site.Common().StaticCallee() != nil {
				continue
			}
			pos := e.Site.Common().Pos()
			b.addEdge(b.instrUnit(fn, pos), b.fnUnit(e.Callee.Func), model.EdgeDynamicCall, pos)
		}
	}
}

// edgesFromSyntax records uses of types and constants, which SSA does not
// keep, and, for packages that did not type-check and so have no SSA,
// references to functions as calls.
func (b *builder) edgesFromSyntax() {
	for _, p := range b.prog.Packages {
		if p.TypesInfo == nil {
			continue
		}
		noSSA := b.prog.SSAPackages[p] == nil
		type use struct {
			id  *ast.Ident
			obj types.Object
		}
		uses := make([]use, 0, len(p.TypesInfo.Uses))
		for id, obj := range p.TypesInfo.Uses {
			uses = append(uses, use{id, obj})
		}
		// ident positions are unique; sort so that first sites are
		// stable across runs
		sort.Slice(uses, func(i, j int) bool { return uses[i].id.Pos() < uses[j].id.Pos() })
		for _, u := range uses {
			var kind model.EdgeKind
			switch u.obj.(type) {
			case *types.TypeName:
				kind = model.EdgeTypeRef
			case *types.Const:
				kind = model.EdgeRef
			case *types.Func:
				if !noSSA {
					continue
				}
				kind = model.EdgeCall
			case *types.Var:
				if !noSSA {
					continue
				}
				kind = model.EdgeRead
			default:
				continue
			}
			b.addEdge(b.unitAt(u.id.Pos()), b.objUnit(u.obj), kind, u.id.Pos())
		}
		if noSSA {
			// selections (method calls, field uses) of broken packages
			for sel, s := range p.TypesInfo.Selections {
				if s.Kind() != types.FieldVal {
					b.addEdge(b.unitAt(sel.Sel.Pos()), b.objUnit(s.Obj()), model.EdgeCall, sel.Sel.Pos())
				}
			}
		}
	}
}

// implements records, for every concrete named type of the analyzed
// packages, the analyzed interfaces it satisfies. Candidates are found by
// method name first, so that the cost follows the number of plausible
// pairs, not types × interfaces.
func (b *builder) implements() {
	type iface struct {
		id string
		t  *types.Interface
	}
	var ifaces []iface
	var concrete []*types.TypeName
	for _, p := range b.prog.Packages {
		if p.Types == nil {
			continue
		}
		scope := p.Types.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			named, ok := tn.Type().(*types.Named)
			if !ok || named.TypeParams().Len() > 0 {
				continue
			}
			if it, ok := named.Underlying().(*types.Interface); ok {
				if it.NumMethods() > 0 {
					ifaces = append(ifaces, iface{b.objUnit(tn), it})
				}
				continue
			}
			concrete = append(concrete, tn)
		}
	}
	byMethod := map[string][]iface{}
	for _, it := range ifaces {
		m := it.t.Method(0).Name()
		byMethod[m] = append(byMethod[m], it)
	}
	for _, tn := range concrete {
		ptr := types.NewPointer(tn.Type())
		ms := types.NewMethodSet(ptr)
		seen := map[string]bool{}
		for i := 0; i < ms.Len(); i++ {
			for _, it := range byMethod[ms.At(i).Obj().Name()] {
				if seen[it.id] {
					continue
				}
				seen[it.id] = true
				if types.Implements(ptr, it.t) {
					b.addEdge(b.objUnit(tn), it.id, model.EdgeImplements, tn.Pos())
				}
			}
		}
	}
}

func (b *builder) sortedEdges() []model.Edge {
	out := make([]model.Edge, 0, len(b.edges))
	for k, v := range b.edges {
		out = append(out, model.Edge{From: k.from, To: k.to, Kind: k.kind, Weight: v.weight, Async: v.async, Pos: v.pos.String()})
	}
	slices.SortFunc(out, func(a, b model.Edge) int {
		return cmp.Or(
			cmp.Compare(a.From, b.From),
			cmp.Compare(a.To, b.To),
			cmp.Compare(a.Kind, b.Kind),
		)
	})
	return out
}
