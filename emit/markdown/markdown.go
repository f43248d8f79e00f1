// Package markdown renders a plan as plan.md, for people: the contexts at
// a glance with their runtimes and why, a context map and package graph
// GitHub draws (Mermaid), the dependency cycles between contexts, the
// ordered migration steps, the findings, who owns which table, a cost
// sketch and the metrics. It reads the plan only, so plan.md and
// plan.yaml always say the same thing.
//
// Large programs stay readable: every list is capped (see the Max
// constants), and what is left out is counted and pointed to in
// plan.yaml, never dropped silently.
package markdown

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	"decompose/emit/english"
	"decompose/emit/plan"
)

// Caps on what plan.md lists; plan.yaml has everything.
const (
	MaxFindings       = 40 // blockers and warnings in the findings table
	MaxStepCalls      = 10 // calls that become remote, per step
	MaxStepState      = 8  // findings to externalise, per step
	MaxStepContracts  = 5  // contract tests listed, per step
	MaxStepChecks     = 12 // other verification checks, per step
	MaxStepEntries    = 10 // entry points named, per step
	MaxTables         = 60 // rows of the data ownership matrix
	MaxTableContexts  = 12 // columns of the data ownership matrix
	MaxMapEdges       = 40 // context pairs in the fallback context map
	MaxCycles         = 10 // dependency cycles
	MaxCycleEdges     = 8  // calls between the contexts of a cycle, per cycle
	MaxCycleBreaks    = 4  // edges to break, per cycle
	maxListedPackages = 8
)

// Diagrams are Mermaid sources (without the ``` fence) drawn by another
// package, for plan.md to embed. An empty ContextMap is drawn here from
// the plan's contracts; an empty Packages leaves the package graph to
// packages.svg.
type Diagrams struct {
	ContextMap string
	Packages   string
}

// Render returns plan.md for p.
func Render(p *plan.Plan, d Diagrams) []byte {
	r := &renderer{p: p}
	r.header()
	r.contexts()
	r.diagrams(d)
	r.cycles()
	r.steps()
	r.findings()
	r.ownership()
	r.observed()
	r.cost()
	r.metrics()
	return []byte(r.b.String())
}

type renderer struct {
	p *plan.Plan
	b strings.Builder
}

func (r *renderer) w(format string, args ...any) { fmt.Fprintf(&r.b, format, args...) }

// rel shortens package paths below the module's path to the path inside
// it ("checkout/invoice"); others stay whole.
func (r *renderer) rel(pkgs []string) []string {
	out := make([]string, len(pkgs))
	for i, p := range pkgs {
		out[i] = p
		if rest, ok := strings.CutPrefix(p, r.p.Module+"/"); ok && r.p.Module != "" {
			out[i] = rest
		}
	}
	return out
}

func (r *renderer) header() {
	p := r.p
	r.w("# Migration plan for %s\n\n", code(p.Module))
	sev := severities(p.Findings)
	r.w("%s, %s; %s and %s found in the code. ",
		english.Plural(len(p.Contexts), "candidate context"), english.Plural(len(p.SharedKernel), "shared-kernel package"),
		english.Plural(sev["blocker"], "blocker"), english.Plural(sev["warning"], "warning"))
	r.w("Modularity Q %.2f, inter-context call share (ICP) %.2f.\n\n", p.Metrics.Modularity, p.Metrics.ICP)
	if len(p.Steps) > 0 {
		var order []string
		for _, s := range p.Steps {
			order = append(order, fmt.Sprintf("%d. %s", s.Order, code(s.Context)))
		}
		r.w("**Extraction order:** %s.\n\n", strings.Join(order, " → "))
	}
	r.w("A proposal computed from the code, for a team to review: the contexts, runtimes and order come from documented rules (see `plan.yaml` and the `emit/plan` package), and the costs are a sketch, not a quote.\n\n")
	var toc []string
	for _, s := range []struct{ title, anchor string }{
		{"Contexts", "contexts"}, {"Context map", "context-map"}, {"Package graph", "package-graph"},
		{"Dependency cycles", "dependency-cycles"}, {"Migration steps", "migration-steps"}, {"Findings", "findings"},
		{"Data ownership", "data-ownership"}, {"Observed load", "observed-load"}, {"Cost sketch", "cost-sketch"}, {"Metrics", "metrics"},
	} {
		if (s.anchor == "migration-steps" || s.anchor == "dependency-cycles") && len(p.Steps) == 0 || s.anchor == "cost-sketch" && p.Cost == nil ||
			s.anchor == "observed-load" && p.Observed == nil {
			continue
		}
		toc = append(toc, fmt.Sprintf("[%s](#%s)", s.title, s.anchor))
	}
	r.w("%s\n\n", strings.Join(toc, " · "))
}

func (r *renderer) contexts() {
	p := r.p
	r.w("## Contexts\n\n")
	summary := map[string]plan.ContextSummary{}
	for _, s := range p.Summary {
		summary[s.Context] = s
	}
	if len(p.Summary) > 0 {
		r.w("| context | runtime | size | entry points | calls in | calls out | blockers | step |\n")
		r.w("|---|---|---|---|---|---|---|---|\n")
		for _, c := range p.Contexts {
			s := summary[c.Name]
			r.w("| %s | %s | %s | %s | %s | %s | %s | %d |\n", code(c.Name), s.Runtime.Target,
				size(s.Size), entryCounts(s.EntryPoints),
				coupling(s.Coupling.InboundSites, s.Coupling.Callers, "from"),
				coupling(s.Coupling.OutboundSites, s.Coupling.Callees, "to"),
				blockerCell(s.Blockers, s.Warnings), s.Step)
		}
		r.w("\nSize is packages (+ parts of split packages) / declarations / lines; calls count call sites between contexts (calls with the shared kernel stay in-process).\n\n")
		r.w("### Why these runtimes\n\n")
		r.w("*function*: a function-as-a-service, stateless and request- or event-driven; *container*: a serverless container, for long-running work, loops and heavy start-up; *stateful*: a service on dedicated compute, for state that cannot be externalised cheaply and latency-critical hot paths.\n\n")
		for _, c := range p.Contexts {
			s := summary[c.Name]
			r.w("- %s → **%s**", code(c.Name), s.Runtime.Target)
			for i, x := range s.Runtime.Reasons {
				sep := ": "
				if i > 0 {
					sep = "; "
				}
				r.w("%s*%s*, %s", sep, x.Rule, inline(x.Detail))
			}
			r.w("\n")
		}
		r.w("\n")
	} else {
		r.w("| context | packages | split packages | declarations | entry points | depends on |\n|---|---|---|---|---|---|\n")
		for _, c := range p.Contexts {
			r.w("| %s | %d | %d | %d | %d | %s |\n", code(c.Name), len(c.Packages), len(c.Members), c.Metrics.Decls, len(c.EntryPoints), cell(c.Metrics.DependsOn, 6))
		}
		r.w("\n")
	}
	r.w("Vocabulary, the words that name each context:\n\n")
	for _, c := range p.Contexts {
		r.w("- %s: %s\n", code(c.Name), cell(c.Vocabulary, 8))
	}
	r.w("\nShared kernel (a library every service carries): %s.\n\n", codeList(p.SharedKernel, 12))
}

func (r *renderer) diagrams(d Diagrams) {
	r.w("## Context map\n\n")
	if d.ContextMap != "" {
		r.w("Calls between contexts, labelled with their call sites: solid when some call waits for its result (request/response), dashed when every call is fire-and-forget (an event); grey edges are uses of the shared kernel, which stay in-process; a red border marks blockers. Also `context-map.svg`.\n\n")
		r.w("```mermaid\n%s\n```\n", strings.TrimRight(d.ContextMap, "\n"))
	} else {
		r.w("Solid arrows are synchronous calls, dashed ones asynchronous (every site fire-and-forget); labels count call sites.\n\n")
		r.b.WriteString(contextMap(r.p))
	}
	r.w("\n## Package graph\n\n")
	if d.Packages != "" {
		r.w("One group per context and one for the shared kernel. Also `packages.svg`, and each context's inside view in `contexts/<name>.svg`.\n\n")
		r.w("```mermaid\n%s\n```\n\n", strings.TrimRight(d.Packages, "\n"))
	} else {
		r.w("Drawn in `packages.svg` (and `packages.dot`), one cluster per context.\n\n")
	}
}

// cycles lists the dependency cycles between contexts. They come with the
// migration: a plan without steps has not looked for them.
func (r *renderer) cycles() {
	p := r.p
	if len(p.Steps) == 0 {
		return
	}
	r.w("## Dependency cycles\n\n")
	if len(p.Cycles) == 0 {
		r.w("None: the calls between contexts form no loop.\n\n")
		return
	}
	r.w("Contexts that call each other, directly or through others (calls with the shared kernel stay in-process). ")
	r.w("A **synchronous** cycle, closed by request/response calls alone, keeps its contexts from leaving the monolith one at a time: each would need the other to deploy, and latency and failures would travel both ways. ")
	r.w("Break it before the first of them leaves, at the edges named: make each asynchronous (the callee publishes events and the caller keeps a read model, or the caller sends a message instead of waiting) or invert it (the callee pushes what the caller needs), or extract the contexts together. A cycle closed through events blocks nothing.\n\n")
	r.w("| contexts | kind | calls between them | break |\n|---|---|---|---|\n")
	for i, c := range p.Cycles {
		if i == MaxCycles {
			r.w("\n%s not listed: `cycles` in plan.yaml.\n", english.Plural(len(p.Cycles)-MaxCycles, "more cycle"))
			break
		}
		names := make([]string, 0, len(c.Contexts))
		for _, x := range c.Contexts {
			names = append(names, code(x))
		}
		ctxs := strings.Join(names, " ⇄ ")
		if len(names) > 6 {
			ctxs = codeList(c.Contexts, 6)
		}
		kind := "through events"
		if c.Synchronous {
			kind = "**synchronous**"
		}
		edges := append([]plan.CycleEdge(nil), c.Edges...)
		sort.SliceStable(edges, func(a, b int) bool { return edges[a].Sites > edges[b].Sites })
		var calls []string
		for _, e := range edges {
			x := fmt.Sprintf("%s → %s: %s", inline(e.From), inline(e.To), english.Plural(e.Sites, "site"))
			if e.Style == "async" {
				x += " (events)"
			}
			calls = append(calls, x)
		}
		var breaks []string
		for _, b := range c.Break {
			var callees []string
			for _, x := range b.Callees {
				callees = append(callees, plan.ShortName(x))
			}
			breaks = append(breaks, fmt.Sprintf("%s → %s: %s (%s)", inline(b.From), inline(b.To), english.Plural(b.SyncSites, "site"), codeList(callees, 3)))
		}
		brk := "–"
		if len(breaks) > 0 {
			brk = capJoin(breaks, MaxCycleBreaks)
		}
		r.w("| %s | %s | %s | %s |\n", ctxs, kind, capJoin(calls, MaxCycleEdges), brk)
	}
	r.w("\n")
}

func (r *renderer) steps() {
	p := r.p
	if len(p.Steps) == 0 {
		return
	}
	r.w("## Migration steps\n\n")
	r.w("Strangler fig: one context leaves the monolith per step, the least depended upon and least blocked first. ")
	r.w("At each step the context with the lowest score among those still in the monolith goes next: ")
	r.w("score = inbound × call sites from the monolith into it + outbound × its call sites into the monolith + blocker × blockers + warning × warnings (the weights are in each step's score).\n\n")
	for i, s := range p.Steps {
		r.step(i, s)
	}
}

func (r *renderer) step(i int, s plan.Step) {
	r.w("### Step %d: extract %s as %s\n\n", s.Order, code(s.Context), runtimeNoun(s.Runtime))
	r.w("- **Score** %s\n", inline(s.ScoreBasis))
	r.w("- **Risk** %s: %s\n", s.Risk.Level, inline(s.Risk.Basis))
	r.w("- **Effort** %s: %s\n", s.Effort.Level, inline(s.Effort.Basis))

	m := s.Moves
	var moves []string
	if len(m.Packages) > 0 {
		moves = append(moves, fmt.Sprintf("%s (%s)", english.Plural(len(m.Packages), "package"), codeList(r.rel(m.Packages), maxListedPackages)))
	}
	if len(m.Members) > 0 {
		var parts []string
		for _, mem := range m.Members {
			parts = append(parts, fmt.Sprintf("%s: %d", code(r.rel([]string{mem.Package})[0]), len(mem.Decls)))
		}
		moves = append(moves, fmt.Sprintf("declarations of %s (%s)", english.Plural(len(m.Members), "split package"), capJoin(parts, maxListedPackages)))
	}
	if len(m.EntryPoints) > 0 {
		var eps []string
		for _, e := range m.EntryPoints {
			eps = append(eps, inline(e.Label()))
		}
		moves = append(moves, fmt.Sprintf("%s (%s)", english.Plural(len(m.EntryPoints), "entry point"), capJoin(eps, MaxStepEntries)))
	}
	moves = append(moves, fmt.Sprintf("%s declarations, %s lines", plan.Thousands(int64(m.Decls)), plan.Thousands(int64(m.Lines))))
	r.w("- **Moves** %s\n\n", strings.Join(moves, "; "))

	if len(s.RemoteCalls) == 0 {
		r.w("**Calls that become remote:** none.\n\n")
	} else {
		sites, events := 0, 0
		pairs := map[string]int{}
		for _, c := range s.RemoteCalls {
			sites += c.Sites
			if c.Contract == plan.ContractEvent {
				events++
			}
			pairs[inline(c.From)+" → "+inline(c.To)] += c.Sites
		}
		r.w("**Calls that become remote:** %s, %s", english.Plural(len(s.RemoteCalls), "call"), english.Plural(sites, "site"))
		if events > 0 {
			r.w(", %s", english.Plural(events, "event"))
		}
		r.w(" (%s).\n\n", pairSummary(pairs))
		calls := append([]plan.RemoteCall(nil), s.RemoteCalls...)
		sort.SliceStable(calls, func(a, b int) bool { return calls[a].Sites > calls[b].Sites })
		r.w("| caller → callee | contexts | sites | contract | first site |\n|---|---|---|---|---|\n")
		for j, c := range calls {
			if j == MaxStepCalls {
				break
			}
			contract := "request/response"
			if c.Contract == plan.ContractEvent {
				contract = "event"
			}
			r.w("| %s → %s | %s → %s | %d | %s | %s |\n", code(plan.ShortName(c.Caller)), code(plan.ShortName(c.Callee)), inline(c.From), inline(c.To), c.Sites, contract, code(plan.FileLine(c.Pos)))
		}
		if n := len(calls) - MaxStepCalls; n > 0 {
			r.w("\n%s not listed: `steps[%d].remote_calls` in plan.yaml.\n", english.Plural(n, "lighter call"), i)
		}
		r.w("\n")
	}
	if len(s.Repointed) > 0 {
		var parts []string
		for _, x := range s.Repointed {
			parts = append(parts, fmt.Sprintf("%s → %s (%s)", inline(x.From), inline(x.To), english.Plural(x.Calls, "call")))
		}
		r.w("**Remote already, now reaching the new service instead of the monolith:** %s.\n\n", capJoin(parts, 10))
	}

	if len(s.Externalise) > 0 {
		r.w("**State to externalise first:**")
		if len(s.Externalise) > MaxStepState {
			byCheck := map[string]int{}
			for _, f := range s.Externalise {
				byCheck[f.Severity+" "+f.Check]++
			}
			keys := slices.Sorted(maps.Keys(byCheck))
			sort.SliceStable(keys, func(a, b int) bool { return byCheck[keys[a]] > byCheck[keys[b]] })
			var parts []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s %d", k, byCheck[k]))
			}
			r.w(" %s (%s).", english.Plural(len(s.Externalise), "finding"), strings.Join(parts, ", "))
		}
		r.w("\n\n| severity | check | object | position | remedy |\n|---|---|---|---|---|\n")
		for j, f := range s.Externalise {
			if j == MaxStepState {
				break
			}
			r.w("| %s | %s | %s | %s | %s |\n", f.Severity, f.Check, code(plan.ShortName(f.Object)), code(plan.FileLine(f.Pos)), inline(f.Remedy))
		}
		if n := len(s.Externalise) - MaxStepState; n > 0 {
			r.w("\n%s not listed: `steps[%d].externalise` in plan.yaml.\n", english.Plural(n, "more finding"), i)
		}
		r.w("\n")
	}
	if len(s.Tables) > 0 {
		r.w("**Tables:**\n\n| table | access | action | what to do |\n|---|---|---|---|\n")
		for _, t := range s.Tables {
			r.w("| %s | %s | %s | %s |\n", code(t.Table), t.Access, t.Action, inline(t.Detail))
		}
		r.w("\n")
	}
	r.w("**Verify:**\n\n")
	var contracts, others []plan.Check
	for _, c := range s.Verify {
		if c.Kind == "contract-test" {
			contracts = append(contracts, c)
		} else {
			others = append(others, c)
		}
	}
	for j, c := range contracts {
		if j == MaxStepContracts {
			r.w("- [ ] *contract-test*: %s more, one per callee, in `steps[%d].verify` of plan.yaml\n", plan.Thousands(int64(len(contracts)-MaxStepContracts)), i)
			break
		}
		r.w("- [ ] *%s*: %s\n", c.Kind, inline(c.What))
	}
	for j, c := range others {
		if j == MaxStepChecks && len(others) > MaxStepChecks+1 {
			r.w("- %s not listed: `steps[%d].verify` in plan.yaml.\n", english.Plural(len(others)-MaxStepChecks-1, "more check"), i)
			// the way back is always shown
			last := others[len(others)-1]
			r.w("- [ ] *%s*: %s\n", last.Kind, inline(last.What))
			break
		}
		r.w("- [ ] *%s*: %s\n", c.Kind, inline(c.What))
	}
	rem := s.Remaining
	r.w("\n**Remaining monolith:** %s (%s, %s lines, %s).\n\n", inline(rem.Note),
		english.Plural(rem.Packages, "package"), plan.Thousands(int64(rem.Lines)), english.Plural(rem.EntryPoints, "entry point"))
}

// runtimeNoun names a runtime target in a sentence.
func runtimeNoun(target string) string {
	switch target {
	case plan.RuntimeFunction:
		return "a function"
	case plan.RuntimeContainer:
		return "a serverless container"
	case plan.RuntimeStateful:
		return "a stateful service"
	}
	return "a " + target
}

func (r *renderer) findings() {
	p := r.p
	r.w("## Findings\n\n")
	r.w("State that blocks stateless extraction, blockers first. A blocker must be resolved before its context runs as functions; a warning changes behaviour or cost.\n\n")
	var shown, left int
	info := map[string]int{}
	for _, f := range p.Findings {
		if f.Severity != "blocker" && f.Severity != "warning" {
			info[f.Check]++
			continue
		}
		if shown == 0 {
			r.w("| severity | check | contexts | object | position | remedy |\n|---|---|---|---|---|---|\n")
		}
		if shown == MaxFindings {
			left++
			continue
		}
		shown++
		r.w("| %s | %s | %s | %s | %s | %s |\n", f.Severity, f.Check, cell(f.Contexts, 4), code(plan.ShortName(f.Object)), code(plan.FileLine(f.Pos)), inline(f.Remedy))
	}
	if shown == 0 {
		r.w("No blockers or warnings.\n")
	}
	if left > 0 {
		r.w("\n%s not listed: `findings` in plan.yaml.\n", english.Plural(left, "more blocker or warning", "more blockers and warnings"))
	}
	if len(info) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(info)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, info[k]))
		}
		r.w("\nInformational findings, safe as they are (in plan.yaml): %s.\n", strings.Join(parts, ", "))
	}
	r.w("\n")
}

func (r *renderer) ownership() {
	p := r.p
	r.w("## Data ownership\n\n")
	if len(p.DataOwnership) == 0 {
		r.w("No SQL table access found.\n\n")
		return
	}
	ctxs := tableContexts(p.DataOwnership)
	leftCols := 0
	if len(ctxs) > MaxTableContexts {
		leftCols = len(ctxs) - MaxTableContexts
		ctxs = ctxs[:MaxTableContexts]
	}
	r.w("r: reads, w: writes. A table written by several contexts is **shared**: a blocker.\n\n")
	heads := make([]string, len(ctxs))
	for i, c := range ctxs {
		heads[i] = inline(c)
	}
	r.w("| table | owner | %s |\n|---|---|%s\n", strings.Join(heads, " | "), strings.Repeat("---|", len(ctxs)))
	for i, t := range p.DataOwnership {
		if i == MaxTables {
			r.w("\n%s not listed: `data_ownership` in plan.yaml.\n", english.Plural(len(p.DataOwnership)-MaxTables, "more table"))
			break
		}
		owner := inline(t.Owner)
		if t.Shared {
			owner = "**shared**"
		}
		if owner == "" {
			owner = "–"
		}
		var marks []string
		for _, c := range ctxs {
			marks = append(marks, t.Access[c])
		}
		r.w("| %s | %s | %s |\n", code(t.Table), owner, strings.Join(marks, " | "))
	}
	if leftCols > 0 {
		r.w("\n%s not shown as columns: `data_ownership` in plan.yaml.\n", english.Plural(leftCols, "more context"))
	}
	r.w("\n")
}

func (r *renderer) cost() {
	c := r.p.Cost
	if c == nil {
		return
	}
	a := c.Assumptions
	r.w("## Cost sketch\n\n")
	r.w("> %s\n\n", inline(c.Note))
	r.w("Per context and month: pay-per-use = requests × duration × memory × price per GB-second + requests × price per request; always-on = instances × hours × price per instance-hour.\n\n")
	r.w("| assumption | default |\n|---|---|\n")
	r.w("| requests per month | %s |\n| average duration | %s ms |\n| memory | %d MB |\n", plan.Thousands(a.RequestsPerMonth), num(a.AvgDurationMS), a.MemoryMB)
	cur := inline(a.Currency)
	r.w("| price per GB-second | %s %s |\n| price per million requests | %s %s |\n", num(a.PricePerGBSecond), cur, num(a.PricePerMillionRequests), cur)
	r.w("| always-on instances | %d |\n| price per instance-hour | %s %s |\n| hours per month | %s |\n\n", a.Instances, num(a.InstancePricePerHour), cur, num(a.HoursPerMonth))
	configured := 0
	r.w("| context | runtime | requests/month | ms | MB | pay-per-use | always-on | break-even requests/month | cheaper |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, x := range c.Contexts {
		mark := ""
		if x.Configured {
			mark = " *"
			configured++
		}
		r.w("| %s%s | %s | %s | %s | %d | %s | %s | %s | %s |\n", code(x.Context), mark, x.Runtime, plan.Thousands(x.RequestsPerMonth), num(x.AvgDurationMS), x.MemoryMB,
			money(x.PayPerUse, a.Currency), money(x.AlwaysOn, a.Currency), plan.Thousands(x.BreakEven), x.Cheaper)
	}
	r.w("| **total** | | | | | **%s** | **%s** | | |\n\n", money(c.PayPerUse, a.Currency), money(c.AlwaysOn, a.Currency))
	r.breakEven(c)
	if configured > 0 {
		r.w("\\* rates from `cost.contexts` in decompose.yaml; the others use the defaults.\n\n")
	} else {
		r.w("Every context uses the default rates: set `cost.contexts.<name>` in decompose.yaml to your measured load.\n\n")
	}
	for _, w := range c.Warnings {
		r.w("- %s\n", inline(w))
	}
	if len(c.Warnings) > 0 {
		r.w("\n")
	}
}

// observed shows the figures the profiles and the traffic file gave.
func (r *renderer) observed() {
	o := r.p.Observed
	if o == nil {
		return
	}
	r.w("## Observed load\n\n")
	for _, p := range o.Profiles {
		r.w("- profile %s: %s s of CPU over %s s, %s of it in the analyzed code (%d of its %d functions are declarations of it)\n",
			code(p.Path), num(round(float64(p.TotalNanos)/1e9, 3)), num(round(float64(p.DurationNanos)/1e9, 3)),
			pct(float64(p.MappedNanos)/float64(max(p.TotalNanos, 1))), p.MappedFunctions, p.Functions)
	}
	if o.Traffic != "" {
		r.w("- traffic %s: %d routes or entry points named\n", code(o.Traffic), len(o.Routes))
	}
	if len(o.Profiles) > 0 {
		r.w("- the shared kernel takes %s of the attributed CPU\n", pct(o.KernelShare))
	}
	r.w("\nA context's CPU is that of its declarations, with the library and runtime code they call; CPU per request divides it by the requests to its entry points, taking the traffic file's rates as those during the profile. The cold start is the platform's (`migration.cold_start_ms`) plus the init time the profile measured.\n\n")
	r.w("| context | CPU | share | requests/s | CPU ms/request | tightest p99 target | start-up work | cold start |\n|---|---|---|---|---|---|---|---|\n")
	for _, c := range o.Contexts {
		rps, perReq, p99 := "–", "–", "–"
		if c.RequestsPerSecond > 0 {
			rps = num(c.RequestsPerSecond)
			if len(o.Profiles) > 0 {
				perReq = num(c.CPUMSPerRequest)
			}
		}
		if c.P99TargetMS > 0 {
			p99 = num(c.P99TargetMS) + " ms"
		}
		cs := c.ColdStart
		work := fmt.Sprintf("%s, %s", english.Plural(cs.InitFuncs, "init function"), english.Plural(cs.StartupObjects, "start-up object"))
		if cs.InitCPUMS > 0 {
			work += fmt.Sprintf(", init %s ms CPU", num(cs.InitCPUMS))
		}
		r.w("| %s | %s s | %s | %s | %s | %s | %s | %s ms |\n", code(c.Context), num(c.CPUSeconds), pct(c.CPUShare), rps, perReq, p99, work, num(cs.EstimateMS))
	}
	r.w("\n")
	if len(o.Routes) > 0 {
		r.w("| route | context | requests/s | CPU ms/request | p50 / p99 target |\n|---|---|---|---|---|\n")
		for _, x := range o.Routes {
			perReq, targets := "–", "–"
			if x.CPUMSPerRequest > 0 {
				perReq = num(x.CPUMSPerRequest)
			}
			if x.P50TargetMS > 0 || x.P99TargetMS > 0 {
				targets = fmt.Sprintf("%s / %s ms", num(x.P50TargetMS), num(x.P99TargetMS))
			}
			r.w("| %s | %s | %s | %s | %s |\n", code(x.Route), code(x.Context), num(x.RequestsPerSecond), perReq, targets)
		}
		r.w("\n")
	}
	for _, w := range o.Warnings {
		r.w("- %s\n", inline(w))
	}
	if len(o.Warnings) > 0 {
		r.w("\n")
	}
}

// breakEven writes out how far each context whose load was observed is
// from switching between paying per use and provisioned capacity.
func (r *renderer) breakEven(c *plan.CostSketch) {
	var rows []plan.ContextCost
	for _, x := range c.Contexts {
		if x.Observed {
			rows = append(rows, x)
		}
	}
	if len(rows) == 0 {
		return
	}
	r.w("Observed load (see [Observed load](#observed-load)): requests from the traffic file, duration the CPU time per request. Break-even is the rate at which both ways cost the same; past it provisioned capacity is cheaper.\n\n")
	r.w("| context | observed requests/s | break-even requests/s | observed / break-even |\n|---|---|---|---|\n")
	for _, x := range rows {
		ratio := "–"
		if x.BreakEvenPerSecond > 0 {
			ratio = num(round(x.RequestsPerSecond/x.BreakEvenPerSecond, 2)) + "×"
		}
		r.w("| %s | %s | %s | %s |\n", code(x.Context), num(x.RequestsPerSecond), num(x.BreakEvenPerSecond), ratio)
	}
	r.w("\n")
}

func (r *renderer) metrics() {
	m := r.p.Metrics
	r.w("## Metrics\n\n")
	r.w("| Q | SM | ICP | IFN | NED |\n|---|---|---|---|---|\n| %.3f | %.3f | %.3f | %.3f | %.3f |\n\n", m.Modularity, m.StructuralModularity, m.ICP, m.IFN, m.NED)
	r.w("Q: modularity; SM: structural modularity; ICP: share of call sites between contexts (lower is better); IFN: declarations used by other contexts, per context (lower is better); NED: share of declarations in contexts of extreme size (lower is better). Exact definitions in `cluster.Metrics`.\n")
}

// contextMap draws the contexts and the calls between them in Mermaid,
// when no other package drew it.
func contextMap(p *plan.Plan) string {
	type key struct{ from, to string }
	sites := map[key]int{}
	async := map[key]bool{}
	for _, c := range p.Contracts {
		k := key{c.From, c.To}
		if _, seen := sites[k]; !seen {
			async[k] = true
		}
		sites[k] += c.Sites
		async[k] = async[k] && c.Style == "async"
	}
	keys := make([]key, 0, len(sites))
	for k := range sites {
		keys = append(keys, k)
	}
	// heaviest first, so a cap keeps what matters
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(
			cmp.Compare(sites[b], sites[a]),
			cmp.Compare(a.from, b.from),
			cmp.Compare(a.to, b.to),
		)
	})
	runtime := map[string]string{}
	for _, s := range p.Summary {
		runtime[s.Context] = s.Runtime.Target
	}
	var b strings.Builder
	b.WriteString("```mermaid\nflowchart LR\n")
	for _, c := range p.Contexts {
		label := fmt.Sprintf("%s<br/>%s", mermaidEscaper.Replace(oneLine(c.Name)), english.Plural(len(c.EntryPoints), "entry point"))
		if rt := runtime[c.Name]; rt != "" {
			label += "<br/>" + rt
		}
		fmt.Fprintf(&b, "  %s[\"%s\"]\n", id(c.Name), label)
	}
	left := 0
	for i, k := range keys {
		if i >= MaxMapEdges {
			left++
			continue
		}
		arrow := "-->"
		if async[k] {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|%d| %s\n", id(k.from), arrow, sites[k], id(k.to))
	}
	b.WriteString("```\n")
	if left > 0 {
		fmt.Fprintf(&b, "\nThe %d lightest of %d context pairs are not drawn.\n", left, len(keys))
	}
	return b.String()
}

// mermaidEscaper writes the characters that would end a quoted Mermaid
// label or be read as HTML in it as Mermaid's entity codes.
var mermaidEscaper = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "#", "#35;", "&", "#amp;", "`", "#96;")

// id makes a Mermaid node identifier from a context name.
func id(name string) string {
	var b strings.Builder
	b.WriteString("ctx_")
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func tableContexts(rows []plan.TableOwnership) []string {
	set := map[string]bool{}
	for _, r := range rows {
		for c := range r.Access {
			set[c] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

func severities(fs []plan.Finding) map[string]int {
	n := map[string]int{}
	for _, f := range fs {
		n[f.Severity]++
	}
	return n
}

func size(s plan.Size) string {
	pk := fmt.Sprint(s.Packages)
	if s.SplitPackages > 0 {
		pk += fmt.Sprintf("+%d", s.SplitPackages)
	}
	return fmt.Sprintf("%s / %s / %s", pk, plan.Thousands(int64(s.Decls)), plan.Thousands(int64(s.Lines)))
}

func entryCounts(e plan.EntryCounts) string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, english.Plural(n, what))
		}
	}
	add(e.Routes, "route")
	add(e.RPC, "gRPC service")
	add(e.Consumers, "consumer")
	if e.Timed > 0 {
		parts = append(parts, fmt.Sprintf("%s (%d timed)", english.Plural(e.Jobs, "job"), e.Timed))
	} else {
		add(e.Jobs, "job")
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, ", ")
}

func coupling(sites int, ctxs []string, prep string) string {
	if sites == 0 {
		return "–"
	}
	return fmt.Sprintf("%d %s %s", sites, prep, cell(ctxs, 3))
}

func blockerCell(b, w int) string {
	switch {
	case b == 0 && w == 0:
		return "–"
	case w == 0:
		return fmt.Sprint(b)
	}
	return fmt.Sprintf("%d (+%s)", b, english.Plural(w, "warning"))
}

func pairSummary(pairs map[string]int) string {
	keys := slices.Sorted(maps.Keys(pairs))
	sort.SliceStable(keys, func(i, j int) bool { return pairs[keys[i]] > pairs[keys[j]] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, pairs[k]))
	}
	return capJoin(parts, 6)
}

func capJoin(xs []string, max int) string {
	if len(xs) > max {
		return strings.Join(xs[:max], ", ") + fmt.Sprintf(" and %d more", len(xs)-max)
	}
	return strings.Join(xs, ", ")
}

func cell(xs []string, max int) string {
	if len(xs) == 0 {
		return "–"
	}
	if len(xs) > max {
		return inline(strings.Join(xs[:max], ", ")) + fmt.Sprintf(" (+%d)", len(xs)-max)
	}
	return inline(strings.Join(xs, ", "))
}

func codeList(xs []string, max int) string {
	if len(xs) == 0 {
		return "none"
	}
	var parts []string
	for i, x := range xs {
		if i == max {
			parts = append(parts, fmt.Sprintf("and %d more", len(xs)-max))
			break
		}
		parts = append(parts, code(x))
	}
	return strings.Join(parts, ", ")
}

// code quotes s as inline code that cannot break a table row or the line:
// inside backticks nothing but a backtick and a line break is markup.
func code(s string) string {
	if s == "" {
		return "–"
	}
	s = strings.NewReplacer("`", "'", "|", "\\|").Replace(oneLine(s))
	return "`" + s + "`"
}

// inlineEscaper backslash-escapes the characters that start Markdown
// markup (emphasis, code, links and images, strikethrough, headings, table
// cells) and writes those of raw HTML as entities. Parentheses are left as
// they are: they make a link only after a "]", which is escaped, and the
// prose around analyzed names is full of them.
var inlineEscaper = strings.NewReplacer(
	"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "~", "\\~", "#", "\\#",
	"[", "\\[", "]", "\\]", "!", "\\!", "|", "\\|",
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
)

// inline is the escaping of every string that comes from the analyzed code
// or the plan and lands in prose or a table cell: it renders as the text
// it is, on one line, and cannot open HTML, a link, an image, emphasis, a
// code span or fence, or break a table row. A leading list or block-quote
// marker is escaped too, for text that starts a line.
func inline(s string) string {
	s = inlineEscaper.Replace(oneLine(s))
	if s != "" && strings.ContainsRune("-+=", rune(s[0])) {
		s = "\\" + s
	}
	// an ordered-list marker: "1." or "1)"
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (s[i] == '.' || s[i] == ')') {
		s = s[:i] + "\\" + s[i:]
	}
	return s
}

// oneLine turns line breaks, tabs and other control characters into
// spaces: analyzed strings may hold any of them.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

func round(x float64, digits int) float64 {
	f := math.Pow(10, float64(digits))
	return math.Round(x*f) / f
}

func pct(share float64) string { return fmt.Sprintf("%.0f%%", 100*share) }

func num(x float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.10f", x), "0"), ".")
}

func money(x float64, currency string) string {
	return fmt.Sprintf("%.2f %s", x, inline(currency))
}
