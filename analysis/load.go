package analysis

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"decompose/analysis/model"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// Config says what to load.
type Config struct {
	// Dir is the directory the patterns are relative to, as for go -C.
	// Empty means the current directory.
	Dir string
	// Patterns are go/packages patterns; empty means "./...".
	Patterns []string
	// Tags are extra build tags.
	Tags []string
	// Tests includes the packages' test files.
	Tests bool
	// Env, when not nil, replaces os.Environ() for the go command.
	Env []string
	// Progress, when not nil, is told the name of each phase as it
	// starts ("load", "ssa", "call graph", "model").
	Progress func(phase string)
	// Listed, when not nil, is given the go command's listing of the
	// program as soon as it is loaded (not with Tests): KeyOf computes
	// the program's cache key from it without listing it again.
	Listed func(*Listing)

	// resolved is set by Resolve.
	resolved *resolved
}

func (c Config) progress(phase string) {
	if c.Progress != nil {
		c.Progress(phase)
	}
}

// Program is the loaded program: the analyzed packages, parsed and
// type-checked from source, and their SSA form. Dependencies are known
// only by their export data, so their functions have no bodies.
type Program struct {
	Fset *token.FileSet
	// Root is the absolute directory positions are relative to.
	Root    string
	Modules []model.Module
	// Packages are the analyzed packages, sorted by path, including those
	// that did not type-check; with tests, the test variant stands for the
	// package.
	Packages []*packages.Package
	SSA      *ssa.Program
	// SSAPackages holds the SSA form of each well-typed analyzed package,
	// both variants of a package with tests.
	SSAPackages map[*packages.Package]*ssa.Package
	Errors      []model.LoadError
	// Timings records how long each phase took.
	Timings Timings

	// Parsed holds the Go files parsed, by path, with the Sum of the
	// contents parsed (SourceSum): what Key.Describes compares.
	Parsed map[string]string
	// Files holds the Go files of each analyzed package (cgo's
	// included), by package path, sorted: what Key.Describes compares.
	Files map[string][]string

	allFns map[*ssa.Function]bool
	// generated holds the files with the generated-code header, by name.
	generated map[string]bool
}

// releaseSyntax drops the analyzed packages' syntax trees and type
// information once the model has read them. SSA packages not yet built
// keep what they need and drop it once built.
func (p *Program) releaseSyntax() {
	for _, pkg := range p.Packages {
		pkg.Syntax = nil
		pkg.TypesInfo = nil
	}
	for pkg := range p.SSAPackages {
		pkg.Syntax = nil
		pkg.TypesInfo = nil
	}
}

// AllFunctions is the set of functions the call graph is built over,
// computed once (the call graph and the model both walk it): every
// function of the analyzed packages — package-level functions, the methods
// of their types and of the runtime types they use, with the literals,
// wrappers, thunks and generic instances these reach — and every function
// they refer to.
//
// ssautil.AllFunctions would add the package-level functions of every
// dependency and the method sets of every dependency type the analyzed
// code turns into an interface, creating a wrapper for each promoted
// method. Dependencies have no bodies here and their wrappers call only
// dependencies, so none of that can call back into the analyzed code: the
// call graph between the analyzed functions is the same without it. On
// gardener (926 packages) it was 75 MB of live heap during the call graph.
func (p *Program) AllFunctions() map[*ssa.Function]bool {
	if p.allFns != nil {
		return p.allFns
	}
	own := map[*types.Package]bool{}
	for _, sp := range p.SSAPackages {
		own[sp.Pkg] = true
	}
	seen := map[*ssa.Function]bool{}
	var function func(fn *ssa.Function)
	function = func(fn *ssa.Function) {
		if seen[fn] {
			return
		}
		seen[fn] = true
		var buf [10]*ssa.Value
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, op := range instr.Operands(buf[:0]) {
					if f, ok := (*op).(*ssa.Function); ok {
						function(f)
					}
				}
			}
		}
	}
	methodsOf := func(t types.Type) {
		if types.IsInterface(t) {
			return
		}
		for sel := range p.SSA.MethodSets.MethodSet(t).Methods() {
			if sel.Obj().(*types.Func).Signature().TypeParams() == nil {
				function(p.SSA.MethodValue(sel))
			}
		}
	}
	for _, sp := range p.SSAPackages {
		for _, m := range sp.Members {
			switch m := m.(type) {
			case *ssa.Function:
				function(m)
			case *ssa.Type:
				// the methods of exported types, as ssautil.AllFunctions
				// visits them: another module may call them through an
				// interface
				if named, ok := m.Type().(*types.Named); ok && ast.IsExported(m.Name()) && named.TypeParams() == nil {
					methodsOf(named)
					methodsOf(types.NewPointer(named))
				}
			}
		}
	}
	for _, t := range p.SSA.RuntimeTypes() {
		if ownType(t, own) {
			methodsOf(t)
		}
	}
	p.allFns = seen
	return seen
}

// ownType reports whether t is, or points to, a type declared in one of the
// own packages; unnamed types count as own, as their methods are promoted
// from fields the analyzed code chose.
func ownType(t types.Type, own map[*types.Package]bool) bool {
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return named.Obj().Pkg() != nil && own[named.Obj().Pkg()]
	}
	return true
}

// Timings are the durations of the loading phases and of model building.
type Timings struct {
	Load  time.Duration
	SSA   time.Duration
	Graph time.Duration
	Model time.Duration
}

// ErrNoPackages reports patterns that match no Go package.
var ErrNoPackages = errors.New("no Go packages match")

// Load loads the packages that cfg names: from source for the packages
// themselves, from export data for their dependencies, and builds SSA for
// the analyzed packages only. This is the cheap way to a whole-program
// view of one's own code: on large repositories it costs a tenth of the
// time and memory of loading every dependency from source.
//
// Packages with errors are kept (and reported in Program.Errors) as long
// as something of them loaded; Load fails only when nothing can be
// analyzed.
func Load(ctx context.Context, cfg Config) (*Program, error) {
	return load(ctx, cfg, nil)
}

// load is Load, calling beforeBuild, when not nil, once the SSA packages
// are created and before their bodies are built.
func load(ctx context.Context, cfg Config, beforeBuild func(*Program)) (*Program, error) {
	start := time.Now()
	cfg.progress("load")
	dir, ws, err := cfg.workspace(ctx)
	if err != nil {
		return nil, err
	}
	env := cfg.environ()
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	patterns = ws.expand(dir, patterns)

	var flags []string
	if len(cfg.Tags) > 0 {
		flags = append(flags, "-tags="+strings.Join(cfg.Tags, ","))
	}
	gen := &generated{files: map[string]bool{}, sums: map[string]string{}}
	pcfg := &packages.Config{
		Context: ctx,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes |
			packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule | packages.NeedForTest |
			packages.NeedEmbedFiles,
		Dir:        dir,
		Env:        env,
		BuildFlags: flags,
		Tests:      cfg.Tests,
		ParseFile:  gen.parse,
	}
	roots, err := packages.Load(pcfg, patterns...)
	if err := ctx.Err(); err != nil {
		return nil, err // cancelled: not the go command's failure
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %s", strings.Join(patterns, " "), oneLine(err.Error()))
	}
	if cfg.Listed != nil && !cfg.Tests {
		cfg.Listed(listingOf(start, roots, gen.sums))
	}
	roots = dropTestMains(roots)
	if len(roots) == 0 {
		return nil, fmt.Errorf("%w %s in %s", ErrNoPackages, strings.Join(cfg.patternsOrDefault(), " "), dir)
	}
	prog := &Program{Root: ws.root, Modules: ws.modules, generated: gen.files, Parsed: gen.sums}
	prog.Fset = roots[0].Fset
	prog.Packages = dedupeTestVariants(roots)
	if len(prog.Modules) == 0 {
		prog.Modules = modulesOf(roots, ws.root)
	}
	prog.Errors = loadErrors(prog.Packages, ws.root)
	prog.Packages = slices.DeleteFunc(prog.Packages, unmatched)
	prog.Files = map[string][]string{}
	for _, p := range prog.Packages {
		prog.Files[p.PkgPath] = slices.Sorted(slices.Values(p.GoFiles))
	}
	if usable(roots) == 0 {
		return nil, fmt.Errorf("%w %s in %s: %s", ErrNoPackages, strings.Join(cfg.patternsOrDefault(), " "), dir, firstError(prog.Errors))
	}
	prog.Timings.Load = time.Since(start)

	start = time.Now()
	cfg.progress("ssa")
	prog.SSA, prog.SSAPackages = createSSA(roots)
	prog.Timings.SSA = time.Since(start)
	if beforeBuild != nil {
		beforeBuild(prog)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	start = time.Now()
	cfg.progress("ssa")
	prog.SSA.Build()
	prog.Timings.SSA += time.Since(start)
	return prog, nil
}

func (c Config) patternsOrDefault() []string {
	if len(c.Patterns) == 0 {
		return []string{"./..."}
	}
	return c.Patterns
}

func resolveDir(dir string) (string, error) {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("directory %s does not exist", dir)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("%s is not a directory", dir)
	}
	return abs, nil
}

// workspace is what the go command says about the directory: the main
// modules and the root that positions are made relative to.
type workspace struct {
	root    string
	modules []model.Module
	work    bool // a go.work file is in force
}

// goEnvironment asks the go command for the module or workspace of dir.
func goEnvironment(ctx context.Context, dir string, env []string) (*workspace, error) {
	out, err := goCmd(ctx, dir, env, "env", "-json", "GOMOD", "GOWORK")
	if err != nil {
		return nil, err
	}
	var ge struct{ GOMOD, GOWORK string }
	if err := json.Unmarshal(out, &ge); err != nil {
		return nil, fmt.Errorf("go env: %v", err)
	}
	ws := &workspace{}
	switch {
	case ge.GOWORK != "" && ge.GOWORK != "off":
		ws.work = true
		ws.root = filepath.Dir(ge.GOWORK)
	case ge.GOMOD != "" && ge.GOMOD != os.DevNull:
		ws.root = filepath.Dir(ge.GOMOD)
	default:
		return nil, fmt.Errorf("%s is not in a Go module (no go.mod here or above it)", dir)
	}
	out, err = goCmd(ctx, dir, env, "list", "-m", "-json")
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var m struct {
			Path, Dir, GoVersion string
			Main                 bool
		}
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("go list -m: %v", err)
		}
		if !m.Main || m.Dir == "" {
			continue
		}
		ws.modules = append(ws.modules, model.Module{Path: m.Path, Dir: relPath(ws.root, m.Dir), GoVersion: m.GoVersion})
	}
	sort.Slice(ws.modules, func(i, j int) bool { return ws.modules[i].Path < ws.modules[j].Path })
	return ws, nil
}

// expand rewrites "./..." at a workspace root that is not itself a module
// into one pattern per workspace module: the go command would match
// nothing there, where the user plainly means the whole workspace.
func (ws *workspace) expand(dir string, patterns []string) []string {
	if !ws.work || dir != ws.root {
		return patterns
	}
	for _, m := range ws.modules {
		if m.Dir == "." {
			return patterns // the root is a module too: ./... works
		}
	}
	var out []string
	for _, p := range patterns {
		if p != "./..." {
			out = append(out, p)
			continue
		}
		for _, m := range ws.modules {
			out = append(out, "./"+m.Dir+"/...")
		}
	}
	return out
}

func goCmd(ctx context.Context, dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("go %s: %s", args[0], oneLine(msg))
	}
	return out, nil
}

// oneLine keeps the first line of a message: the CLI prints one line per
// error.
// dependencyErrors are the go command's errors on the packages that pkgs
// import, directly or not, by import path, with their advice on one line:
// "missing go.sum entry for module providing package x (imported by y);
// to add: go get y".
func dependencyErrors(pkgs []*packages.Package) map[string]string {
	roots := map[*packages.Package]bool{}
	for _, p := range pkgs {
		roots[p] = true
	}
	out := map[string]string{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if roots[p] || out[p.PkgPath] != "" {
			return
		}
		for _, e := range p.Errors {
			if e.Kind == packages.ListError {
				out[p.PkgPath] = strings.Join(strings.Fields(e.Msg), " ")
				return
			}
		}
	})
	return out
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// dropTestMains drops the generated test main packages.
func dropTestMains(pkgs []*packages.Package) []*packages.Package {
	var out []*packages.Package
	for _, p := range pkgs {
		if p.Name == "main" && strings.HasSuffix(p.PkgPath, ".test") {
			continue
		}
		out = append(out, p)
	}
	return out
}

// dedupeTestVariants keeps, with tests on, the test variant of a package
// ("p [p.test]") instead of the plain one, so that each package is listed
// once, with its test files. Both variants still get SSA: other packages
// call the plain one.
func dedupeTestVariants(pkgs []*packages.Package) []*packages.Package {
	hasVariant := map[string]bool{}
	for _, p := range pkgs {
		if p.ForTest != "" && p.PkgPath == p.ForTest {
			hasVariant[p.PkgPath] = true
		}
	}
	var out []*packages.Package
	seen := map[string]bool{}
	for _, p := range pkgs {
		switch {
		case p.ForTest == "" && hasVariant[p.PkgPath]:
			continue
		case seen[p.PkgPath]:
			continue // external test package variants of the same path
		}
		seen[p.PkgPath] = true
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PkgPath < out[j].PkgPath })
	return out
}

// unmatched reports a package that go list made up for a pattern that
// matched nothing ("./nothing", a path no module provides): no file of any
// kind, only errors. Its errors are reported; it is no package of the
// program, and must not land in the plan as one.
func unmatched(p *packages.Package) bool {
	return len(p.Errors) > 0 && len(p.GoFiles)+len(p.CompiledGoFiles)+len(p.OtherFiles)+len(p.IgnoredFiles) == 0
}

func usable(pkgs []*packages.Package) int {
	n := 0
	for _, p := range pkgs {
		if len(p.Syntax) > 0 {
			n++
		}
	}
	return n
}

func modulesOf(pkgs []*packages.Package, root string) []model.Module {
	seen := map[string]bool{}
	var mods []model.Module
	for _, p := range pkgs {
		if p.Module == nil || seen[p.Module.Path] {
			continue
		}
		seen[p.Module.Path] = true
		mods = append(mods, model.Module{Path: p.Module.Path, Dir: relPath(root, p.Module.Dir), GoVersion: p.Module.GoVersion})
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	return mods
}

// loadErrors collects the packages' errors, one per distinct message.
func loadErrors(pkgs []*packages.Package, root string) []model.LoadError {
	var errs []model.LoadError
	seen := map[string]bool{}
	depErrs := dependencyErrors(pkgs)
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if strings.HasPrefix(e.Msg, "# ") {
				// the go command's compiler output: the type checker
				// reports the same errors, one by one
				continue
			}
			msg := strings.TrimSuffix(oneLine(e.Msg), "; to add it:")
			if dep, ok := strings.CutPrefix(e.Msg, "could not import "); ok {
				// the type checker's 'could not import x (invalid
				// package name: "")' hides why: the go command's error on x
				if path, _, ok := strings.Cut(dep, " ("); ok && depErrs[path] != "" {
					msg = depErrs[path]
				}
			}
			le := model.LoadError{Package: p.PkgPath, Msg: msg}
			if e.Pos != "" && e.Pos != "-" {
				le.Pos = relPos(root, e.Pos)
			}
			key := le.Pos + "\x00" + le.Msg
			if seen[key] {
				continue
			}
			seen[key] = true
			errs = append(errs, le)
		}
	}
	slices.SortFunc(errs, func(a, b model.LoadError) int {
		return cmp.Or(
			cmp.Compare(a.Package, b.Package),
			cmp.Compare(a.Pos, b.Pos),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return errs
}

func firstError(errs []model.LoadError) string {
	if len(errs) == 0 {
		return "nothing loaded"
	}
	e := errs[0]
	if e.Pos != "" {
		return e.Pos + ": " + e.Msg
	}
	return e.Msg
}

// createSSA creates SSA packages for the analyzed packages, to be built
// with bodies, and for every package they depend on, from types alone.
// Ill-typed packages get no SSA: their declarations still reach the model
// from the syntax. A root without bodies to build (unsafe, named or matched
// by "all") is created from types like a dependency, or the packages that
// import it could not be built.
func createSSA(roots []*packages.Package) (*ssa.Program, map[*packages.Package]*ssa.Package) {
	prog := ssa.NewProgram(roots[0].Fset, ssa.InstantiateGenerics)
	own := map[*types.Package]bool{}
	for _, p := range roots {
		if withBodies(p) {
			own[p.Types] = true
		}
	}
	// Dependencies first, found through the types' import graph: the
	// go/packages graph holds only stubs for packages loaded from export
	// data.
	seen := map[*types.Package]bool{}
	for _, p := range roots {
		if p.Types != nil {
			createDeps(prog, p.Types, seen, own)
		}
	}
	pkgs := map[*packages.Package]*ssa.Package{}
	for _, p := range roots {
		if withBodies(p) {
			pkgs[p] = prog.CreatePackage(p.Types, p.Syntax, p.TypesInfo, true)
		}
	}
	return prog, pkgs
}

// withBodies reports whether the SSA of p is built from its syntax: it
// type-checked, has files, and is not unsafe, whose declarations have no
// Go bodies.
func withBodies(p *packages.Package) bool {
	return p.Types != nil && p.Types != types.Unsafe && !p.IllTyped && len(p.Syntax) > 0 && p.TypesInfo != nil
}

// createDeps creates, depth first, a types-only SSA package for tp and
// everything it imports, except the packages in seen (done already) and in
// own (to be created from syntax).
func createDeps(prog *ssa.Program, tp *types.Package, seen, own map[*types.Package]bool) {
	if seen[tp] {
		return
	}
	seen[tp] = true
	for _, imp := range tp.Imports() {
		createDeps(prog, imp, seen, own)
	}
	if !own[tp] {
		prog.CreatePackage(tp, nil, nil, true)
	}
}

// relPath makes path relative to root, with forward slashes; a path outside
// root stays absolute.
func relPath(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// relPos rewrites "file:line:col" with file relative to root.
func relPos(root, pos string) string {
	file, rest := pos, ""
	// the file name may contain colons on some systems; split from the end
	for i := 0; i < 2; i++ {
		j := strings.LastIndexByte(file, ':')
		if j < 0 {
			break
		}
		if _, ok := atoi(file[j+1:]); !ok {
			break
		}
		rest = file[j:] + rest
		file = file[:j]
	}
	return relPath(root, file) + rest
}

func atoi(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// generated records which files carry the standard generated-code header
// while go/packages parses them, possibly in parallel, and the Sum of the
// contents of each.
type generated struct {
	mu    sync.Mutex
	files map[string]bool
	sums  map[string]string
}

// parse parses a file for go/packages without comments and without the
// old ast.Object resolution: nothing reads them (go/types resolves
// identifiers itself), and on large code bases they are a good part of
// the syntax trees, which SSA keeps alive through the call graph. The
// header is parsed on its own first, to tell generated files.
func (g *generated) parse(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	isGen := false
	if head, err := parser.ParseFile(token.NewFileSet(), filename, src, parser.PackageClauseOnly|parser.ParseComments); err == nil && ast.IsGenerated(head) {
		isGen = true
	}
	sum := SourceSum(src)
	g.mu.Lock()
	if isGen {
		g.files[filename] = true
	}
	g.sums[filename] = sum
	g.mu.Unlock()
	return parser.ParseFile(fset, filename, src, parser.AllErrors|parser.SkipObjectResolution)
}

// isGenerated reads whether the file at path says it is generated. It is
// for the files of cgo packages, which go/packages parses only as cgo's
// translations, all marked generated by cgo.
func isGenerated(path string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly|parser.ParseComments)
	return err == nil && ast.IsGenerated(f)
}

// countLines counts the lines of the file at path, or returns def if it
// cannot be read.
func countLines(path string, def int) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return def
	}
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}
