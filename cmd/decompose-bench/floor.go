package main

import (
	"context"
	"fmt"
	"go/types"
	"time"

	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// floor is the reference program: written against x/tools alone, it does
// the least any whole-program analysis of these packages must do.
func floor(ctx context.Context, patterns []string) error {
	start := time.Now()
	cfg := &packages.Config{
		Context: ctx,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes |
			packages.NeedSyntax | packages.NeedTypesInfo,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return err
	}
	if len(pkgs) == 0 {
		return fmt.Errorf("no packages")
	}
	load := time.Since(start)

	start = time.Now()
	prog := ssa.NewProgram(pkgs[0].Fset, ssa.InstantiateGenerics)
	created := map[*types.Package]bool{}
	own := map[*types.Package]bool{}
	for _, p := range pkgs {
		if p.Types != nil && !p.IllTyped {
			own[p.Types] = true
		}
	}
	var create func(tp *types.Package)
	create = func(tp *types.Package) {
		if created[tp] {
			return
		}
		created[tp] = true
		for _, imp := range tp.Imports() {
			create(imp)
		}
		if !own[tp] {
			prog.CreatePackage(tp, nil, nil, true)
		}
	}
	for _, p := range pkgs {
		if p.Types != nil {
			create(p.Types)
		}
	}
	for _, p := range pkgs {
		if own[p.Types] {
			prog.CreatePackage(p.Types, p.Syntax, p.TypesInfo, true)
		}
	}
	prog.Build()
	ssaTime := time.Since(start)

	start = time.Now()
	cg := vta.CallGraph(ssautil.AllFunctions(prog), nil)
	vtaTime := time.Since(start)
	fmt.Printf("timings load %s, ssa %s, vta %s\n", load, ssaTime, vtaTime)
	fmt.Printf("nodes %d\n", len(cg.Nodes))
	return nil
}
