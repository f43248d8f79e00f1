package analysis

import (
	"context"
	"fmt"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/callgraph"
	"golang.org/x/tools/go/callgraph/cha"
	"golang.org/x/tools/go/callgraph/rta"
	"golang.org/x/tools/go/callgraph/static"
	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// Algorithms are the call-graph algorithms one can choose, cheapest first.
//
//   - static: only calls whose callee is known at compile time; no dynamic
//     calls at all.
//   - cha: class hierarchy analysis; every method of every type that
//     implements an interface is a possible callee. Sound but coarse, and
//     on large programs it materialises tens of millions of edges.
//   - rta: rapid type analysis from main and init; only types that are
//     instantiated are callees. Needs a program with a main package.
//   - vta: variable type analysis; follows how values of each type flow.
//     The most precise of the four, and, built without an initial graph,
//     as cheap as cha on the programs measured.
var Algorithms = []string{"static", "cha", "rta", "vta"}

// DefaultAlgorithm is the call-graph algorithm used unless told otherwise.
const DefaultAlgorithm = "vta"

// ValidAlgorithm reports whether name is one of Algorithms.
func ValidAlgorithm(name string) bool { return slices.Contains(Algorithms, name) }

// CallGraph builds the call graph of prog's own functions with the named
// algorithm.
func CallGraph(ctx context.Context, prog *Program, algo string) (*callgraph.Graph, error) {
	switch algo {
	case "static":
		return static.CallGraph(prog.SSA), nil
	case "cha":
		return cha.CallGraph(prog.SSA), nil
	case "vta":
		return vta.CallGraph(prog.AllFunctions(), nil), nil
	case "rta":
		return rtaGraph(ctx, prog)
	}
	return nil, fmt.Errorf("unknown call-graph algorithm %q (want one of %s)", algo, strings.Join(Algorithms, ", "))
}

// rtaGraph runs RTA from every main and init function. RTA consults
// reflect's types, which a program that does not import reflect lacks when
// dependencies come from export data; they are loaded on the side.
func rtaGraph(ctx context.Context, prog *Program) (g *callgraph.Graph, err error) {
	var roots []*ssa.Function
	for _, p := range prog.sortedSSA() {
		if p.Pkg.Name() == "main" {
			if f := p.Func("main"); f != nil {
				roots = append(roots, f)
			}
		}
		if f := p.Func("init"); f != nil {
			roots = append(roots, f)
		}
	}
	if !hasMain(prog) {
		return nil, fmt.Errorf("rta needs a main package among the analyzed packages; use --algo vta")
	}
	if prog.SSA.ImportedPackage("reflect") == nil {
		if err := addReflect(ctx, prog); err != nil {
			return nil, err
		}
	}
	defer func() {
		if r := recover(); r != nil {
			g, err = nil, fmt.Errorf("rta failed on this program (%v); use --algo vta", r)
		}
	}()
	return rta.Analyze(roots, true).CallGraph, nil
}

func hasMain(prog *Program) bool {
	for _, p := range prog.SSAPackages {
		if p.Pkg.Name() == "main" && p.Func("main") != nil {
			return true
		}
	}
	return false
}

// addReflect creates SSA packages for reflect and its dependencies from
// export data.
func addReflect(ctx context.Context, prog *Program) error {
	pkgs, err := packages.Load(&packages.Config{
		Context: ctx,
		Mode:    packages.NeedName | packages.NeedTypes | packages.NeedImports,
		Dir:     prog.Root,
		Fset:    prog.Fset,
	}, "reflect")
	if err != nil || len(pkgs) != 1 || pkgs[0].Types == nil {
		return fmt.Errorf("rta: cannot load package reflect: %v", err)
	}
	// Packages the program has already, by path, are not created twice.
	seen := map[*types.Package]bool{}
	have := map[string]bool{}
	for _, p := range prog.SSA.AllPackages() {
		have[p.Pkg.Path()] = true
	}
	var mark func(tp *types.Package)
	mark = func(tp *types.Package) {
		if seen[tp] {
			return
		}
		if have[tp.Path()] {
			seen[tp] = true
		}
		for _, imp := range tp.Imports() {
			mark(imp)
		}
	}
	mark(pkgs[0].Types)
	createDeps(prog.SSA, pkgs[0].Types, seen, nil)
	return nil
}
