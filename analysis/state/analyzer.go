package state

import (
	"fmt"
	"go/build"
	"go/types"
	"path/filepath"
	"strings"

	"decompose/analysis/model"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
)

// Analyzer reports the state found in each package as diagnostics, for
// the decompose-vet command and go vet -vettool (gopls and golangci-lint
// cannot load it: see the README). Severities are the per-package
// estimates (see the package documentation); the -min flag sets the least
// severity reported. The methods that change their receiver are passed
// on as facts, so that a call of one from another package is a write.
var Analyzer = &analysis.Analyzer{
	Name:      "state",
	Doc:       analyzerDoc,
	Requires:  []*analysis.Analyzer{buildssa.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(mutatesFact)},
}

// mutatesFact marks a method that changes its receiver, with the module
// of its package: like decompose analyze, which inspects the packages of
// the analyzed module together, a package takes the facts of its own
// module only (a pool's Query or a mutex's Lock change their receivers
// too, and are no state of the program's).
type mutatesFact struct{ Module string }

func (*mutatesFact) AFact()         {}
func (*mutatesFact) String() string { return "changes its receiver" }

// moduleOf is the module path of the pass's package, "" where the driver
// does not say (GOPATH mode, analysistest), and false for the standard
// library, whose facts are never used.
func moduleOf(pass *analysis.Pass) (string, bool) {
	if pass.Module != nil && pass.Module.Path != "" {
		return pass.Module.Path, pass.Module.Path != "std"
	}
	if len(pass.Files) > 0 {
		name := pass.Fset.File(pass.Files[0].Pos()).Name()
		if strings.HasPrefix(filepath.ToSlash(name), filepath.ToSlash(filepath.Join(build.Default.GOROOT, "src"))+"/") {
			return "", false
		}
	}
	return "", true
}

const analyzerDoc = `report state that blocks running the code as stateless functions

The state analyzer finds what a serverless function could not keep between
invocations: package variables and fields of long-lived objects changed at
run time, in-process caches, goroutines and tickers that outlive a request,
and writes to the local disk. With -min=info it also lists the tables each
function's SQL and ORM calls read and write.`

var (
	minSeverity = Warning
	onlyChecks  string
)

func init() {
	Analyzer.Flags.Var(severityFlag{&minSeverity}, "min", "least severity reported: info, warning or blocker")
	Analyzer.Flags.StringVar(&onlyChecks, "checks", "", "comma-separated checks to run (default all): "+checkNames())
}

func checkNames() string {
	var names []string
	for _, c := range Checks {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}

type severityFlag struct{ s *Severity }

func (f severityFlag) String() string {
	if f.s == nil {
		return ""
	}
	return string(*f.s)
}

func (f severityFlag) Set(v string) error {
	s, err := model.ParseSeverity(v)
	if err == nil {
		*f.s = s
	}
	return err
}

func run(pass *analysis.Pass) (any, error) {
	ssaInfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	opts := &Options{}
	if onlyChecks != "" {
		for _, name := range strings.Split(onlyChecks, ",") {
			c := CheckByName(strings.TrimSpace(name))
			if c == nil {
				return nil, fmt.Errorf("unknown check %q (known: %s)", name, checkNames())
			}
			opts.Checks = append(opts.Checks, c)
		}
	}
	if module, ok := moduleOf(pass); ok {
		opts.Mutates = func(f *types.Func) bool {
			f = f.Origin()
			var fact mutatesFact
			return f.Pkg() != nil && f.Pkg() != pass.Pkg && pass.ImportObjectFact(f, &fact) && fact.Module == module
		}
		opts.Mutator = func(f *types.Func) {
			if f.Pkg() == pass.Pkg {
				pass.ExportObjectFact(f, &mutatesFact{Module: module})
			}
		}
	}
	for _, f := range Inspect(ssaInfo.Pkg, opts) {
		if f.Severity.Rank() < minSeverity.Rank() || !f.Pos.IsValid() {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:      f.Pos,
			Category: f.Check.Name,
			Message:  DiagnosticMessage(&f),
		})
	}
	return nil, nil
}

// DiagnosticMessage renders a finding as one line: severity, what was
// found, why it has that severity, and the remedy.
func DiagnosticMessage(f *Finding) string {
	return fmt.Sprintf("%s: %s [%s] (remedy: %s)", f.Severity, f.Message, f.Basis, f.Remedy)
}
