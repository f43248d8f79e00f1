package plan

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"decompose/emit/english"
)

// The runtime rules, by name.
const (
	RuleStateOfRecord = "state-of-record"
	RuleHotPath       = "hot-path"
	RuleLibrary       = "library-like"
	RuleLongRunning   = "long-running"
	RuleServerLoop    = "server-loop"
	RuleGRPC          = "grpc"
	RuleHeavyStartup  = "heavy-startup"
	RuleStateless     = "stateless"
	RuleExternalise   = "externalise-first"
	RuleBreakEven     = "break-even"
)

// inMemoryChecks are the checks about data held in process memory.
var inMemoryChecks = map[string]bool{"global-mutable": true, "field-mutable": true, "cache-library": true}

// holdsData tells in-memory state that holds data rather than a scalar: a
// collection (map, slice, sync.Map) in a package variable or a long-lived
// object's field, or an in-process cache.
func holdsData(check, variant string) bool {
	switch check {
	case "cache-library":
		return true
	case "global-mutable", "field-mutable":
		return variant == "map" || variant == "slice" || variant == "sync.Map"
	}
	return false
}

// runtimeOf decides a context's target runtime by the rules documented in
// the package comment.
func runtimeOf(in *input, c *ctxInfo, r Rules, cost CostConfig) Runtime {
	var reasons []Reason
	add := func(rule, target, format string, args ...any) {
		reasons = append(reasons, Reason{Rule: rule, Target: target, Detail: fmt.Sprintf(format, args...)})
	}

	// stateful: in-memory state that is the only copy of its data
	var records []string
	for _, f := range c.blockers {
		if !holdsData(f.Check, in.variantOf(f)) || !slices.Contains(f.Writers, c.name) {
			continue
		}
		records = append(records, ShortName(f.Object)+kindNote(in.variantOf(f)))
	}
	if r.StateOfRecord > 0 && len(records) >= r.StateOfRecord && !c.writesTable {
		add(RuleStateOfRecord, RuntimeStateful,
			"%s written while serving, and the context writes no database table: process memory is the system of record; moving it to a store turns every access into a network round trip",
			listed(records, 4, "in-memory object"))
	}

	// stateful: a latency-critical hot path, unless it is library-like
	cp := in.coupling(c.name)
	library := len(c.plan.EntryPoints) == 0 && len(c.blockers) == 0 && !c.writesTable
	if in.observedCPU {
		// a profile says where the hot path is: in place of call sites
		n := len(reasons)
		evidenceReasons(in, c, r, cost, add)
		if library {
			for i := n; i < len(reasons); i++ {
				if reasons[i].Rule == RuleHotPath {
					reasons[i].Target = ""
				}
			}
		}
	} else if c.obs.hasRate {
		evidenceReasons(in, c, r, cost, add)
	}
	if !in.observedCPU && r.HotPathSites > 0 && cp.InboundSync >= r.HotPathSites && len(cp.Callers) >= r.HotPathCallers &&
		float64(cp.InboundSync) >= r.HotPathShare*float64(in.syncSites) {
		target := RuntimeStateful
		if library {
			target = ""
		}
		add(RuleHotPath, target,
			"%s in %s wait for its results (%.0f%% of the program's synchronous calls between contexts): a cold start would stall their request paths; keep warm instances",
			english.Plural(cp.InboundSync, "synchronous call site"), english.Plural(len(cp.Callers), "other context"), 100*float64(cp.InboundSync)/float64(max(in.syncSites, 1)))
	}
	if library {
		detail := "no entry point, no blocking state and no table of its own"
		if len(cp.Callers) > 0 {
			detail += fmt.Sprintf(": it only answers calls from %s", strings.Join(cp.Callers, ", "))
		}
		add(RuleLibrary, RuntimeFunction, "%s; consider keeping it a library in the shared kernel rather than a service", detail)
	}

	// container: work that outlives a request
	var loops, servers []string
	for _, f := range append(append([]*Finding{}, c.blockers...), append(c.warnings, c.infos...)...) {
		v := in.variantOf(f)
		switch {
		case f.Check == "goroutine" && v == "long-lived":
			loops = append(loops, "goroutine "+ShortName(f.Object))
		case f.Check == "timer" && (v == "ticker-loop" || v == "ticker"):
			loops = append(loops, "ticker in "+ShortName(f.Decl))
		case f.Check == "goroutine" && v == "server":
			servers = append(servers, ShortName(f.Object))
		}
	}
	sort.Strings(loops)
	sort.Strings(servers)
	if len(loops) > 0 {
		add(RuleLongRunning, RuntimeContainer,
			"long-running background work (%s): a function is stopped between invocations; a scheduled function could replace a plain periodic loop",
			listed(slices.Compact(loops), 3, "loop"))
	}
	if len(servers) > 0 {
		add(RuleServerLoop, RuntimeContainer, "runs a server loop of its own (%s)", listed(slices.Compact(servers), 3, "server"))
	}
	if c.entries.RPC > 0 {
		add(RuleGRPC, RuntimeContainer,
			"serves %s: function platforms deliver HTTP events, not HTTP/2 streams; serverless containers serve gRPC",
			english.Plural(c.entries.RPC, "gRPC service"))
	}
	startup := 0
	for _, f := range append(append([]*Finding{}, c.warnings...), c.infos...) {
		if f.Check == "global-init-only" || f.Check == "global-singleton" {
			startup++
		}
	}
	switch {
	case r.HeavyLines > 0 && c.lines >= r.HeavyLines:
		add(RuleHeavyStartup, RuntimeContainer, "%s of code: a large binary with a slow cold start", english.Plural(c.lines, "line"))
	case r.HeavyStartup > 0 && startup >= r.HeavyStartup:
		add(RuleHeavyStartup, RuntimeContainer, "builds %s at initialisation or start-up: a slow cold start", english.Plural(startup, "package-level object"))
	}

	target := RuntimeFunction
	for _, x := range reasons {
		if strength[x.Target] > strength[target] {
			target = x.Target
		}
	}
	if target == RuntimeFunction && !library {
		var drive []string
		if n := c.entries.Routes; n > 0 {
			drive = append(drive, english.Plural(n, "HTTP route"))
		}
		if n := c.entries.Consumers; n > 0 {
			drive = append(drive, english.Plural(n, "message consumer"))
		}
		if n := c.entries.Jobs; n > 0 {
			drive = append(drive, english.Plural(n, "short-lived background job"))
		}
		if len(cp.Callers) > 0 {
			drive = append(drive, "calls from "+strings.Join(cp.Callers, ", "))
		}
		what := "request- or event-driven"
		if len(drive) > 0 {
			what += " (" + strings.Join(drive, "; ") + ")"
		}
		add(RuleStateless, RuntimeFunction, "%s, with no long-running work", what)
	}
	if len(c.blockers) > 0 && target != RuntimeStateful {
		add(RuleExternalise, "", "stateless only once %s externalised (see its step)", english.Agree(len(c.blockers), "its blocker is", "its %d blockers are"))
	}
	// deciding reasons first, then the others, in rule order
	sort.SliceStable(reasons, func(i, j int) bool {
		return (reasons[i].Target == target) && (reasons[j].Target != target)
	})
	return Runtime{Target: target, Reasons: reasons}
}

// strength orders the targets: the strongest fired rule decides.
var strength = map[string]int{"": 0, RuntimeFunction: 1, RuntimeContainer: 2, RuntimeStateful: 3}

func kindNote(variant string) string {
	switch variant {
	case "map", "slice", "sync.Map":
		return " (" + variant + ")"
	}
	return ""
}

// listed spells up to max items and counts the rest.
func listed(xs []string, max int, noun string) string {
	if len(xs) <= max {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more %s", strings.Join(xs[:max], ", "), len(xs)-max, english.Noun(len(xs)-max, noun))
}
