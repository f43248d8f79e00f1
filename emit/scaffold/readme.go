package scaffold

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"decompose/emit/plan"
)

func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

// readmeData is what a context's README.md says.
type readmeData struct {
	Name, Monolith, Module              string
	Runtime, RuntimeReason, RuntimeHint string
	// StoreFields: service.go declares Stores.
	StoreFields bool
	Routes      []*route
	Jobs        []*job
	Workers     []*worker
	// API: the context answers remote calls (package api).
	API       bool
	Clients   []*client
	Functions []readmeFunction
	// RPC: cmd/server serves the remote API too.
	RPC          bool
	Packages     []string
	Members      []plan.Member
	SharedKernel []string
	TypeDoc      string
	Calls        []callRow
	Answers      []answerRow
	Database     bool
	Owned        []string
	ReadOnly     []plan.TableOwnership
	Stores       []storeRow
	Schedule     string
	Startup      []plan.EntryPoint
	Manual       []manualEntry
	// Blockers, Warnings and KernelBlockers are the findings of the TODO
	// list; Notes the scaffold's own.
	Blockers, Warnings, KernelBlockers []findingRow
	Notes                              []string
}

// readmeFunction is a row of the Functions table.
type readmeFunction struct {
	Dir             string
	Triggers, Wraps []string
}

// callRow is a remote call the context makes: a row of "Calls it makes".
type callRow struct {
	Context, Method, Callee, Signature string
	// Message: the call is fire-and-forget, sent as a message.
	Message bool
	// Unexported: the callee's name is unexported.
	Unexported bool
	// From are the calling declarations and their positions.
	From []string
}

// answerRow is a method of the context's remote API with its callers.
type answerRow struct {
	*method
	Callers []string
}

// storeRow is a managed store and the state it replaces.
type storeRow struct {
	*store
	Resource string
	Replaces []string
}

// findingRow is a finding of the TODO list, with what the scaffold
// prepared for it.
type findingRow struct {
	plan.Finding
	Prepared string
}

// readme is the context's README: what was generated, and the TODO list
// that points at every blocker.
func (m *contextModel) readme() ([]byte, error) {
	d := readmeData{
		Name:          m.c.Name,
		Monolith:      m.mono(),
		Module:        m.module,
		Runtime:       m.runtime,
		RuntimeReason: m.runtimeReason,
		RuntimeHint:   runtimeHint[m.runtime],
		StoreFields:   len(m.storeFields()) > 0,
		Routes:        m.routes,
		Jobs:          m.jobs,
		Workers:       m.workers,
		API:           m.in != nil,
		Clients:       m.clients,
		RPC:           m.hasRPC(),
		Packages:      m.c.Packages,
		Members:       m.c.Members,
		SharedKernel:  m.plan.SharedKernel,
		TypeDoc:       typeDoc,
		Database:      m.database,
		Owned:         m.owned,
		ReadOnly:      m.readOnly,
		Schedule:      defaultSchedule,
		Startup:       m.startup,
		Manual:        m.manual,
		Notes:         m.warnings,
	}
	for _, f := range m.functions {
		d.Functions = append(d.Functions, readmeFunction{Dir: f.Dir, Triggers: f.triggers(), Wraps: f.wraps()})
	}
	for _, cl := range m.clients {
		for _, mt := range append(append([]*method{}, cl.Sync...), cl.Async...) {
			row := callRow{Context: cl.Callee, Method: mt.Name, Callee: mt.Callee, Signature: mt.Signature,
				Message: slices.Contains(cl.Async, mt), Unexported: isUnexported(mt.Callee, m.known)}
			for _, c := range mt.Calls {
				if c.From == m.c.Name {
					row.From = append(row.From, fmt.Sprintf("%s %s", code(shortDecl(c.Caller)), c.Pos))
				}
			}
			d.Calls = append(d.Calls, row)
		}
	}
	if m.in != nil {
		for _, mt := range m.in.Methods {
			var callers []string
			for _, c := range mt.Calls {
				callers = append(callers, c.From)
			}
			d.Answers = append(d.Answers, answerRow{method: mt, Callers: dedupe(sortedStrings(callers))})
		}
	}
	for _, s := range m.stores {
		var objs []string
		for _, f := range s.Findings {
			objs = append(objs, fmt.Sprintf("%s (%s, %s)", code(f.Object), f.Check, plan.FileLine(f.Pos)))
		}
		d.Stores = append(d.Stores, storeRow{store: s, Resource: s.resource(), Replaces: dedupe(objs)})
	}
	for _, f := range m.blockers {
		d.Blockers = append(d.Blockers, findingRow{f, m.prepared(f)})
	}
	for _, f := range m.warns {
		d.Warnings = append(d.Warnings, findingRow{f, m.prepared(f)})
	}
	for _, f := range m.kernelBlockers {
		d.KernelBlockers = append(d.KernelBlockers, findingRow{f, m.prepared(f)})
	}
	return execute("readme.md.tmpl", d)
}

// runtimeHint says which target of the scaffold fits a runtime.
var runtimeHint = map[string]string{
	"function":  "Deploy the functions of `template.yaml`.",
	"container": "Deploy `cmd/server` with the `Dockerfile` on a serverless container platform (Cloud Run, App Runner, ECS on Fargate); the functions of `template.yaml` fit once its long-running work has moved to schedules and queues.",
	"stateful":  "Run `cmd/server` on dedicated compute with warm instances; the functions of `template.yaml` fit once its state has moved to the stores below.",
}

// joinCode joins xs, each as code, with sep.
func joinCode(xs []string, sep string) string {
	var out []string
	for _, x := range xs {
		out = append(out, code(x))
	}
	return strings.Join(out, sep)
}

// isUnexported reports whether a declaration's name is unexported.
func isUnexported(id string, known map[string]bool) bool {
	_, _, name := declParts(id, known)
	return name != "" && name[0] >= 'a' && name[0] <= 'z'
}

// prepared says what the scaffold generated for a finding.
func (m *contextModel) prepared(f plan.Finding) string {
	var out []string
	for _, s := range m.stores {
		for _, sf := range s.Findings {
			if sf.Pos == f.Pos && sf.Object == f.Object && sf.Check == f.Check {
				out = append(out, fmt.Sprintf("`%s` (%s, `%s`)", s.Ident, s.resource(), s.Env))
			}
		}
	}
	match := func(decl string) bool {
		return decl != "" && (f.Object == decl || f.Decl == decl || slices.Contains(f.Path, decl))
	}
	for _, j := range m.jobs {
		if match(j.EP.Decl) && (f.Check == "timer" || f.Check == "goroutine") {
			out = append(out, fmt.Sprintf("the scheduled job `%s` (cmd/%s)", j.Ident, kebab(j.Ident)))
		}
	}
	for _, wk := range m.workers {
		switch {
		case wk.Delayed && match(wk.EP.Decl) && (f.Check == "timer" || f.Check == "goroutine"):
			out = append(out, fmt.Sprintf("the delayed queue consumer `%s` (`%sQueue`, a message with a delivery delay)", wk.Ident, wk.Ident))
		case match(wk.EP.Decl) && f.Check == "goroutine":
			out = append(out, fmt.Sprintf("the queue consumer `%s` (`%sQueue`)", wk.Ident, wk.Ident))
		}
	}
	sort.Strings(out)
	return strings.Join(dedupe(out), ", ")
}
