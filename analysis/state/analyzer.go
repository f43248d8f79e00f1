package state

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
)

// Analyzer reports the state found in each package as diagnostics, for
// go vet -vettool, gopls, golangci-lint and the decompose-vet command.
// Severities are the per-package estimates (see the package
// documentation); the -min flag sets the least severity reported.
var Analyzer = &analysis.Analyzer{
	Name:     "state",
	Doc:      analyzerDoc,
	Requires: []*analysis.Analyzer{buildssa.Analyzer},
	Run:      run,
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
	return f.s.String()
}

func (f severityFlag) Set(v string) error {
	s, err := ParseSeverity(v)
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
	for _, f := range Inspect(ssaInfo.Pkg, opts) {
		if f.Severity < minSeverity || !f.Pos.IsValid() {
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
