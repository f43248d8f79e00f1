package plan

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"decompose/analysis/model"
	"decompose/emit/english"
)

// steps orders the contexts for extraction, greedily: at each step the
// context with the lowest score against the contexts still in the
// monolith leaves it (ties: fewer lines, then name).
func steps(in *input, runtimes map[string]Runtime, w OrderWeights) []Step {
	remaining := map[string]bool{}
	for _, c := range in.contexts {
		remaining[c.name] = true
	}
	extracted := map[string]bool{}
	var out []Step
	for order := 1; len(remaining) > 0; order++ {
		var best *ctxInfo
		var bestScore float64
		var bestBasis string
		for _, c := range in.contexts {
			if !remaining[c.name] {
				continue
			}
			score, basis := orderScore(c, remaining, w)
			if best == nil || score < bestScore || score == bestScore && (c.lines < best.lines || c.lines == best.lines && c.name < best.name) {
				best, bestScore, bestBasis = c, score, basis
			}
		}
		delete(remaining, best.name)
		out = append(out, step(in, best, order, bestScore, bestBasis, runtimes[best.name].Target, remaining, extracted))
		extracted[best.name] = true
	}
	return out
}

// orderScore is the ordering score of c while the contexts in remaining
// (c among them) are in the monolith, and its terms spelt out.
func orderScore(c *ctxInfo, remaining map[string]bool, w OrderWeights) (float64, string) {
	var inbound, outbound int
	for _, k := range c.contractsIn {
		if remaining[k.From] && k.From != c.name {
			inbound += k.Sites
		}
	}
	for _, k := range c.contractsOut {
		if remaining[k.To] && k.To != c.name {
			outbound += k.Sites
		}
	}
	b, wn := len(c.blockers), len(c.warnings)
	score := w.Inbound*float64(inbound) + w.Outbound*float64(outbound) + w.Blocker*float64(b) + w.Warning*float64(wn)
	score = round2(score)
	basis := fmt.Sprintf("%g×%d inbound sites + %g×%d outbound sites + %g×%d blockers + %g×%d warnings = %g",
		w.Inbound, inbound, w.Outbound, outbound, w.Blocker, b, w.Warning, wn, score)
	return score, basis
}

func step(in *input, c *ctxInfo, order int, score float64, basis, runtime string, remaining, extracted map[string]bool) Step {
	s := Step{
		Order: order, Context: c.name, Runtime: runtime, Score: score, ScoreBasis: basis,
		Moves: Moves{
			Packages: c.plan.Packages, Members: c.plan.Members, EntryPoints: c.plan.EntryPoints,
			Decls: c.decls, Lines: c.lines,
		},
	}
	repointed := map[[2]string]*Repointed{}
	repoint := func(k *Contract) {
		key := [2]string{k.From, k.To}
		r := repointed[key]
		if r == nil {
			r = &Repointed{From: k.From, To: k.To}
			repointed[key] = r
		}
		r.Calls++
		r.Sites += k.Sites
	}
	for _, k := range c.contractsOut {
		switch {
		case remaining[k.To]:
			s.RemoteCalls = append(s.RemoteCalls, remoteCall("out", k))
		case extracted[k.To]:
			repoint(k)
		}
	}
	for _, k := range c.contractsIn {
		switch {
		case remaining[k.From]:
			s.RemoteCalls = append(s.RemoteCalls, remoteCall("in", k))
		case extracted[k.From]:
			repoint(k)
		}
	}
	sort.SliceStable(s.RemoteCalls, func(i, j int) bool {
		a, b := s.RemoteCalls[i], s.RemoteCalls[j]
		if a.Direction != b.Direction {
			return a.Direction == "out"
		}
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		if a.Callee != b.Callee {
			return a.Callee < b.Callee
		}
		return a.Caller < b.Caller
	})
	for _, r := range repointed {
		s.Repointed = append(s.Repointed, *r)
	}
	slices.SortFunc(s.Repointed, func(a, b Repointed) int {
		return cmp.Or(
			cmp.Compare(a.From, b.From),
			cmp.Compare(a.To, b.To),
		)
	})
	for _, f := range append(append([]*Finding{}, c.blockers...), c.warnings...) {
		s.Externalise = append(s.Externalise, StateItem{
			Severity: f.Severity, Check: f.Check, Object: f.Object, Pos: f.Pos, Contexts: f.Contexts, Remedy: f.Remedy,
		})
	}
	s.Tables = tables(in.plan.DataOwnership, c.name)
	s.Risk, s.Effort = estimates(c, s, in.cycles.cycleRisk(c.name, remaining))
	s.Verify = verify(in, c, s)
	s.Remaining = remainingAfter(in, remaining)
	return s
}

func remoteCall(dir string, k *Contract) RemoteCall {
	contract := ContractRequest
	if k.Style == "async" {
		contract = ContractEvent
	}
	return RemoteCall{
		Direction: dir, From: k.From, To: k.To, Caller: k.Caller, Callee: k.Callee, Signature: k.Signature,
		Pos: k.Pos, Sites: k.Sites, Async: k.Async, Contract: contract,
	}
}

// tables says what the step does with each table the context touches.
func tables(rows []TableOwnership, ctx string) []TableMove {
	var out []TableMove
	for _, t := range rows {
		mark, ok := t.Access[ctx]
		if !ok {
			continue
		}
		var others []string
		for c := range t.Access {
			if c != ctx {
				others = append(others, c)
			}
		}
		sort.Strings(others)
		tm := TableMove{Table: t.Table, Access: mark, Owner: t.Owner, Others: others}
		kernel := ""
		if t.Access[model.Kernel] != "" {
			kernel = "; the shared kernel's access (schema set-up, say) goes with the new database's migrations"
		}
		var services []string
		for _, o := range others {
			if o != model.Kernel {
				services = append(services, o)
			}
		}
		switch {
		case t.Shared && containsW(mark):
			var writers []string
			for _, o := range services {
				if containsW(t.Access[o]) {
					writers = append(writers, o)
				}
			}
			tm.Action = TableActionSplit
			tm.Detail = fmt.Sprintf("written here and by %s: split it so that each context owns its part, or make one owner and let the others call it or react to its events, before the move%s", strings.Join(writers, ", "), kernel)
		case t.Owner == ctx && len(services) == 0:
			tm.Action = TableActionMove
			tm.Detail = "used by this context alone: it moves to the new service's database" + kernel
		case t.Owner == ctx:
			tm.Action = TableActionHandOver
			tm.Detail = fmt.Sprintf("owned here and read by %s: it moves to the new service's database, and they read through its API or a read model fed by its events%s", strings.Join(services, ", "), kernel)
		default:
			tm.Action = TableActionReadThrough
			owner := t.Owner
			if owner == "" {
				owner = "its writer"
			}
			tm.Detail = fmt.Sprintf("read here, owned by %s: read through %s's API, or keep a read model fed by its events", owner, owner)
		}
		out = append(out, tm)
	}
	return out
}

// estimates gives a step's risk and effort by the rules documented in the
// package comment; cycle is the synchronous cycle the context lies on with
// contexts still in the monolith ("" for none).
func estimates(c *ctxInfo, s Step, cycle string) (risk, effort Estimate) {
	var syncCalls, syncSites, events int
	for _, r := range s.RemoteCalls {
		if r.Contract == ContractRequest {
			syncCalls++
			syncSites += r.Sites
		} else {
			events++
		}
	}
	var split, handed, moved int
	for _, t := range s.Tables {
		switch t.Action {
		case TableActionSplit:
			split++
		case TableActionHandOver, TableActionReadThrough:
			handed++
		case TableActionMove:
			moved++
		}
	}
	b, w := len(c.blockers), len(c.warnings)

	var facts []string
	if b > 0 {
		facts = append(facts, english.Plural(b, "blocker"))
	}
	if syncCalls > 0 {
		facts = append(facts, fmt.Sprintf("%s (%s) %s remote", english.Plural(syncCalls, "synchronous call"), english.Plural(syncSites, "site"), english.Agree(syncCalls, "becomes", "become")))
	}
	if events > 0 {
		facts = append(facts, english.Plural(events, "call")+" "+english.Agree(events, "becomes an event", "become events"))
	}
	if split > 0 {
		facts = append(facts, english.Plural(split, "table")+" to split")
	}
	if handed > 0 {
		facts = append(facts, english.Plural(handed, "table")+" to hand over or read through the owner")
	}
	if cycle != "" {
		facts = append(facts, cycle)
	}
	risk.Level = "low"
	switch {
	case split > 0 || b >= 3 || syncCalls >= 20:
		risk.Level = "high"
	case b > 0 || syncCalls > 0 || handed > 0 || cycle != "":
		risk.Level = "medium"
	}
	risk.Basis = strings.Join(facts, "; ")
	if risk.Basis == "" {
		risk.Basis = "no blocker, no synchronous call becomes remote, no shared table, no synchronous cycle"
	}

	kloc := (c.lines + 999) / 1000
	terms := []struct {
		weight, n int
		what      string
	}{
		{2, len(s.RemoteCalls), "remote calls"},
		{1, len(s.Repointed), "repointed context pairs"},
		{3, b, "blockers"},
		{1, w, "warnings"},
		{5, split, "tables to split"},
		{2, handed, "tables to hand over or read through"},
		{1, moved, "tables to move"},
		{1, kloc, "thousand lines"},
	}
	var parts []string
	for _, t := range terms {
		if t.n == 0 {
			continue
		}
		effort.Points += t.weight * t.n
		parts = append(parts, fmt.Sprintf("%d×%d %s", t.weight, t.n, t.what))
	}
	switch {
	case effort.Points <= 10:
		effort.Level = "S"
	case effort.Points <= 30:
		effort.Level = "M"
	case effort.Points <= 80:
		effort.Level = "L"
	default:
		effort.Level = "XL"
	}
	effort.Basis = strings.Join(parts, " + ") + fmt.Sprintf(" = %d points", effort.Points)
	return risk, effort
}

// verify lists how to check a step: a contract test per callee that
// becomes remote, shadow traffic on what moves, multi-instance checks for
// the state, data checks for the tables, and a way back.
func verify(in *input, c *ctxInfo, s Step) []Check {
	var out []Check
	type callee struct {
		id, from, to   string
		callers, sites int
		sync           bool
		pos            string
	}
	byCallee := map[string]*callee{}
	for _, r := range s.RemoteCalls {
		x := byCallee[r.Callee]
		if x == nil {
			x = &callee{id: r.Callee, from: r.From, to: r.To, pos: r.Pos}
			byCallee[r.Callee] = x
		}
		x.callers++
		x.sites += r.Sites
		x.sync = x.sync || r.Contract == ContractRequest
		if r.Pos < x.pos {
			x.pos = r.Pos
		}
	}
	callees := make([]*callee, 0, len(byCallee))
	for _, x := range byCallee {
		callees = append(callees, x)
	}
	slices.SortFunc(callees, func(a, b *callee) int {
		return cmp.Or(
			cmp.Compare(b.sites, a.sites),
			cmp.Compare(a.id, b.id),
		)
	})
	for _, x := range callees {
		where := fmt.Sprintf("%s → %s, %s, %s, first at %s", x.from, x.to, english.Plural(x.callers, "caller"), english.Plural(x.sites, "site"), x.pos)
		if x.sync {
			out = append(out, Check{Kind: "contract-test", What: fmt.Sprintf(
				"request/response %s (%s): replayed arguments give the results and errors they gave in process; callers handle timeouts", ShortName(x.id), where)})
		} else {
			out = append(out, Check{Kind: "contract-test", What: fmt.Sprintf(
				"event %s (%s): the message has the effects of the in-process call, also when delivered twice or late", ShortName(x.id), where)})
		}
	}

	var routes, rpcs, consumers, jobs []string
	for _, e := range c.plan.EntryPoints {
		switch model.EntryKind(e.Kind) {
		case model.EntryHTTP:
			routes = append(routes, strings.TrimSpace(e.Method+" "+e.Route))
		case model.EntryGRPC:
			rpcs = append(rpcs, e.Route)
		case model.EntryConsumer:
			consumers = append(consumers, firstNonEmpty(e.Route, ShortName(e.Decl), e.Pos))
		case model.EntryBackground:
			jobs = append(jobs, firstNonEmpty(ShortName(e.Decl), e.Pos))
		}
	}
	if len(routes) > 0 {
		out = append(out, Check{Kind: "shadow-traffic", What: fmt.Sprintf(
			"mirror %s to the new service (%s); compare status codes and bodies with the monolith's answers until they agree, then switch the router", english.Plural(len(routes), "route"), listed(routes, 8, "route"))})
	}
	if len(rpcs) > 0 {
		out = append(out, Check{Kind: "shadow-traffic", What: fmt.Sprintf(
			"mirror the calls of %s (%s) to the new service and compare the responses before switching clients", english.Plural(len(rpcs), "gRPC service"), listed(rpcs, 6, "service"))})
	}
	if len(consumers) > 0 {
		out = append(out, Check{Kind: "shadow-traffic", What: fmt.Sprintf(
			"run the new %s on a copy of the subscription; compare its writes and outgoing messages with the monolith's", english.Plural(len(consumers), "consumer"))})
	}
	if len(jobs) > 0 {
		out = append(out, Check{Kind: "shadow-traffic", What: fmt.Sprintf(
			"run %s (%s) in the new service in dry-run beside the monolith's; compare the work done, then stop the monolith's", english.Plural(len(jobs), "background job"), listed(jobs, 4, "job"))})
	}
	if len(routes)+len(rpcs)+len(consumers)+len(jobs) == 0 {
		out = append(out, Check{Kind: "shadow-traffic", What: "no route, RPC, consumer or job moves: route one caller at a time to the new service, behind a flag, and compare its results with the in-process ones"})
	}

	var shared, work, files []string
	for _, f := range c.blockers {
		switch {
		case inMemoryChecks[f.Check] || f.Check == "global-singleton":
			shared = append(shared, ShortName(f.Object))
		case f.Check == "goroutine" || f.Check == "timer":
			work = append(work, fmt.Sprintf("%s (%s)", ShortName(f.Object), f.Pos))
		case f.Check == "file-write":
			files = append(files, f.Pos)
		}
	}
	if len(shared) > 0 {
		out = append(out, Check{Kind: "multi-instance", What: fmt.Sprintf(
			"run two instances behind one load balancer: %s must read the same through either (what one writes, the other sees)", listed(slices.Compact(shared), 8, "object"))})
	}
	if len(work) > 0 {
		out = append(out, Check{Kind: "multi-instance", What: fmt.Sprintf(
			"stop an instance while work of %s is pending: the work must still happen, from the queue or the scheduler", listed(work, 8, "site"))})
	}
	if len(files) > 0 {
		out = append(out, Check{Kind: "multi-instance", What: fmt.Sprintf(
			"files written at %s by one instance must be readable from another and survive a restart", listed(files, 8, "site"))})
	}
	for _, t := range s.Tables {
		var what string
		switch t.Action {
		case TableActionReadThrough:
			what = fmt.Sprintf("the new service reads %s only through %s: no connection to the monolith's database remains", t.Table, firstNonEmpty(t.Owner, "its owner"))
		case TableActionSplit:
			what = fmt.Sprintf("once %s is split, no row is written by two contexts; backfill this context's part into the new database and dual-write during the switch until row counts and checksums agree", t.Table)
		default:
			what = fmt.Sprintf("backfill %s into the new database and dual-write during the switch; row counts and checksums must agree before the monolith stops writing it", t.Table)
		}
		out = append(out, Check{Kind: "data", What: what})
	}
	out = append(out, Check{Kind: "rollback", What: "keep the in-process path behind a flag for one release: switching back must be a configuration change"})
	return out
}

func remainingAfter(in *input, remaining map[string]bool) Remaining {
	r := Remaining{Contexts: []string{}, Lines: in.kernelLines, EntryPoints: in.kernelEntries}
	pkgs := map[string]bool{}
	for _, p := range in.kernelPkgs {
		pkgs[p] = true
	}
	for _, c := range in.contexts {
		if !remaining[c.name] {
			continue
		}
		r.Contexts = append(r.Contexts, c.name)
		for _, p := range c.plan.Packages {
			pkgs[p] = true
		}
		for _, m := range c.plan.Members {
			pkgs[m.Package] = true
		}
		r.Lines += c.lines
		r.EntryPoints += len(c.plan.EntryPoints)
	}
	r.Packages = len(pkgs)
	if len(r.Contexts) == 0 {
		r.Note = fmt.Sprintf("no context remains: the shared kernel (%s) is a library each service carries, and the composition root with the monolith's deployment retires", english.Plural(len(in.kernelPkgs), "package"))
	} else {
		r.Note = fmt.Sprintf("the monolith keeps %s and the shared kernel", listed(r.Contexts, 8, "context"))
	}
	return r
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
