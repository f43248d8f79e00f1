package plan

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"decompose/analysis/model"
	"decompose/cluster"
)

// Schema names this version of the plan's format.
const Schema = "decompose/v1"

// Plan is the decomposition plan written as plan.yaml and plan.json.
type Plan struct {
	Schema   string    `yaml:"schema" json:"schema"`
	Module   string    `yaml:"module" json:"module"`
	Root     string    `yaml:"root,omitempty" json:"root,omitempty"`
	Contexts []Context `yaml:"contexts" json:"contexts"`
	// SharedKernel lists every package placed wholly in the kernel, shared
	// kernel and infrastructure alike.
	SharedKernel []string `yaml:"shared_kernel" json:"shared_kernel"`
	Kernel       Kernel   `yaml:"kernel" json:"kernel"`
	Split        []string `yaml:"split,omitempty" json:"split,omitempty"`
	Ignored      []string `yaml:"ignored,omitempty" json:"ignored,omitempty"`
	IgnoredDecls []string `yaml:"ignored_decls,omitempty" json:"ignored_decls,omitempty"`
	Borderline   []Unit   `yaml:"borderline,omitempty" json:"borderline,omitempty"`
	Metrics      Metrics  `yaml:"metrics" json:"metrics"`
	// Findings are the state that blocks stateless extraction, worst
	// first; DataOwnership the table × context matrix.
	Findings []Finding `yaml:"findings" json:"findings"`
	// Contracts are the calls between contexts that become remote.
	Contracts     []Contract       `yaml:"contracts,omitempty" json:"contracts,omitempty"`
	DataOwnership []TableOwnership `yaml:"data_ownership,omitempty" json:"data_ownership,omitempty"`
	// Summary, Cycles, Steps and Cost are the migration: each context at a
	// glance with its target runtime, the dependency cycles between
	// contexts, the ordered strangler-fig steps, and a cost sketch. Build
	// fills them with the migration (see Migrate).
	Summary []ContextSummary `yaml:"summary,omitempty" json:"summary,omitempty"`
	Cycles  []Cycle          `yaml:"cycles,omitempty" json:"cycles,omitempty"`
	Steps   []Step           `yaml:"steps,omitempty" json:"steps,omitempty"`
	Cost    *CostSketch      `yaml:"cost,omitempty" json:"cost,omitempty"`
	// Observed holds the figures from profiles and traffic behind the
	// runtimes and costs, when Build was given them.
	Observed *Observed      `yaml:"observed,omitempty" json:"observed,omitempty"`
	Config   cluster.Config `yaml:"config" json:"config"`
	Warnings []string       `yaml:"warnings,omitempty" json:"warnings,omitempty"`
}

// Context is one proposed bounded context.
type Context struct {
	Name        string         `yaml:"name" json:"name"`
	Pinned      bool           `yaml:"pinned,omitempty" json:"pinned,omitempty"`
	Packages    []string       `yaml:"packages" json:"packages"`
	Members     []Member       `yaml:"members,omitempty" json:"members,omitempty"`
	EntryPoints []EntryPoint   `yaml:"entry_points,omitempty" json:"entry_points,omitempty"`
	Vocabulary  []string       `yaml:"vocabulary,omitempty" json:"vocabulary,omitempty"`
	Metrics     ContextMetrics `yaml:"metrics" json:"metrics"`
	Explanation []Unit         `yaml:"explanation" json:"explanation"`
}

// Member lists the declarations of a split package that belong to one
// context (or to the kernel).
type Member struct {
	Package string   `yaml:"package" json:"package"`
	Decls   []string `yaml:"decls" json:"decls"`
}

// EntryPoint is an entry point a context serves.
type EntryPoint struct {
	Kind      string   `yaml:"kind" json:"kind"`
	Method    string   `yaml:"method,omitempty" json:"method,omitempty"`
	Route     string   `yaml:"route,omitempty" json:"route,omitempty"`
	Decl      string   `yaml:"decl,omitempty" json:"decl,omitempty"`
	Package   string   `yaml:"package" json:"package"`
	Framework string   `yaml:"framework,omitempty" json:"framework,omitempty"`
	Ticker    bool     `yaml:"ticker,omitempty" json:"ticker,omitempty"`
	Once      bool     `yaml:"once,omitempty" json:"once,omitempty"`
	Args      []string `yaml:"args,omitempty" json:"args,omitempty"`
	Pos       string   `yaml:"pos,omitempty" json:"pos,omitempty"`
}

// Compare orders entry points as the model does (model.CompareEntryPoints).
func (e EntryPoint) Compare(o EntryPoint) int {
	return model.CompareEntryPoints(e.model(), o.model())
}

func (e EntryPoint) model() model.EntryPoint {
	return model.EntryPoint{Kind: model.EntryKind(e.Kind), Method: e.Method, Route: e.Route, Decl: e.Decl, Package: e.Package, Pos: e.Pos}
}

// Kernel describes what belongs to no context.
type Kernel struct {
	// Infrastructure are the packages of SharedKernel that are technical
	// (logging, configuration, database plumbing, composition roots).
	Infrastructure []string `yaml:"infrastructure,omitempty" json:"infrastructure,omitempty"`
	// Members are the declarations of split packages that stay shared.
	Members     []Member `yaml:"members,omitempty" json:"members,omitempty"`
	Explanation []Unit   `yaml:"explanation,omitempty" json:"explanation,omitempty"`
}

// Unit explains the placement of a package or a declaration.
type Unit struct {
	Unit        string     `yaml:"unit" json:"unit"`
	Package     string     `yaml:"package,omitempty" json:"package,omitempty"`
	Decl        string     `yaml:"decl,omitempty" json:"decl,omitempty"`
	Context     string     `yaml:"context,omitempty" json:"context,omitempty"`
	Reason      string     `yaml:"reason" json:"reason"`
	Score       float64    `yaml:"score,omitempty" json:"score,omitempty"`
	Second      string     `yaml:"second,omitempty" json:"second,omitempty"`
	SecondScore float64    `yaml:"second_score,omitempty" json:"second_score,omitempty"`
	Margin      float64    `yaml:"margin" json:"margin"`
	Evidence    []Evidence `yaml:"evidence,omitempty" json:"evidence,omitempty"`
	UsedBy      []string   `yaml:"used_by,omitempty" json:"used_by,omitempty"`
}

// Evidence is one signal behind a placement.
type Evidence struct {
	Kind   string  `yaml:"kind" json:"kind"`
	From   string  `yaml:"from" json:"from"`
	To     string  `yaml:"to" json:"to"`
	Weight float64 `yaml:"weight" json:"weight"`
}

// Metrics are the quality metrics of the whole decomposition; see
// cluster.Metrics for their exact formulas.
type Metrics struct {
	Contexts             int     `yaml:"contexts" json:"contexts"`
	Units                int     `yaml:"units" json:"units"`
	KernelUnits          int     `yaml:"kernel_units" json:"kernel_units"`
	Resolution           float64 `yaml:"resolution" json:"resolution"`
	Modularity           float64 `yaml:"modularity" json:"modularity"`
	StructuralModularity float64 `yaml:"structural_modularity" json:"structural_modularity"`
	ICP                  float64 `yaml:"icp" json:"icp"`
	IFN                  float64 `yaml:"ifn" json:"ifn"`
	NED                  float64 `yaml:"ned" json:"ned"`
}

// ContextMetrics are one context's metrics; see cluster.ContextMetrics.
type ContextMetrics struct {
	Packages     int      `yaml:"packages" json:"packages"`
	Decls        int      `yaml:"decls" json:"decls"`
	Cohesion     float64  `yaml:"cohesion" json:"cohesion"`
	Coupling     float64  `yaml:"coupling" json:"coupling"`
	Interfaces   int      `yaml:"interfaces" json:"interfaces"`
	DependsOn    []string `yaml:"depends_on,omitempty" json:"depends_on,omitempty"`
	DependedOnBy []string `yaml:"depended_on_by,omitempty" json:"depended_on_by,omitempty"`
}

// Runtime targets: the hybrid model's three ways to run a context.
const (
	// RuntimeFunction is a function-as-a-service: stateless, started per
	// request or event, scaled to zero.
	RuntimeFunction = "function"
	// RuntimeContainer is a serverless container: long-running work,
	// background loops, servers of their own, heavy start-up.
	RuntimeContainer = "container"
	// RuntimeStateful is a stateful service on dedicated compute: state
	// that cannot be externalised cheaply, latency-critical hot paths.
	RuntimeStateful = "stateful"
)

// Contract kinds of a call that becomes remote.
const (
	// ContractRequest is synchronous request/response: the caller uses
	// the result on its path.
	ContractRequest = "request-response"
	// ContractEvent is an event or queue message: every site is fire and
	// forget.
	ContractEvent = "event"
)

// ContextSummary is one context at a glance.
type ContextSummary struct {
	Context     string      `yaml:"context" json:"context"`
	Size        Size        `yaml:"size" json:"size"`
	EntryPoints EntryCounts `yaml:"entry_points" json:"entry_points"`
	Coupling    Coupling    `yaml:"coupling" json:"coupling"`
	// Blockers and Warnings count the findings that involve the context.
	Blockers int     `yaml:"blockers" json:"blockers"`
	Warnings int     `yaml:"warnings" json:"warnings"`
	Runtime  Runtime `yaml:"runtime" json:"runtime"`
	// Step is the order of the migration step that extracts it.
	Step int `yaml:"step" json:"step"`
}

// Size measures a context.
type Size struct {
	// Packages are the packages wholly in the context, SplitPackages the
	// split packages it holds a part of.
	Packages      int `yaml:"packages" json:"packages"`
	SplitPackages int `yaml:"split_packages" json:"split_packages"`
	// Decls counts its declarations in the model; Lines the lines of its
	// whole packages' files plus those of its declarations in split
	// packages.
	Decls int `yaml:"decls" json:"decls"`
	Lines int `yaml:"lines" json:"lines"`
}

// EntryCounts counts a context's entry points by kind.
type EntryCounts struct {
	// Routes are HTTP routes, RPC gRPC services, Consumers message
	// consumers, Jobs background work the program starts (Timed those
	// driven by a ticker or timer), Other main and init.
	Routes    int `yaml:"routes" json:"routes"`
	RPC       int `yaml:"rpc" json:"rpc"`
	Consumers int `yaml:"consumers" json:"consumers"`
	Jobs      int `yaml:"jobs" json:"jobs"`
	Timed     int `yaml:"timed,omitempty" json:"timed,omitempty"`
	Other     int `yaml:"other,omitempty" json:"other,omitempty"`
}

// Coupling is a context's calls to and from the other contexts (calls
// with the shared kernel stay in-process and are not counted).
type Coupling struct {
	// InboundSites counts the call sites in other contexts that call this
	// one, InboundCalls the distinct caller → callee pairs among them,
	// InboundSync the sites that wait for a result; Callers are those
	// contexts. Outbound* and Callees the same the other way.
	InboundSites  int      `yaml:"inbound_sites" json:"inbound_sites"`
	InboundCalls  int      `yaml:"inbound_calls" json:"inbound_calls"`
	InboundSync   int      `yaml:"inbound_sync" json:"inbound_sync"`
	OutboundSites int      `yaml:"outbound_sites" json:"outbound_sites"`
	OutboundCalls int      `yaml:"outbound_calls" json:"outbound_calls"`
	Callers       []string `yaml:"callers,omitempty" json:"callers,omitempty"`
	Callees       []string `yaml:"callees,omitempty" json:"callees,omitempty"`
}

// Runtime is the target runtime of a context and why.
type Runtime struct {
	// Target is function, container or stateful.
	Target string `yaml:"target" json:"target"`
	// Reasons are the rules that fired, the deciding ones first.
	Reasons []Reason `yaml:"reasons" json:"reasons"`
}

// Reason is one rule behind a runtime.
type Reason struct {
	// Rule names the rule (see the package documentation); Target is where it points
	// (empty for a note that decides nothing).
	Rule   string `yaml:"rule" json:"rule"`
	Target string `yaml:"target,omitempty" json:"target,omitempty"`
	Detail string `yaml:"detail" json:"detail"`
}

// Cycle is a dependency cycle between contexts: contexts that call each
// other, directly or through one another (a strongly connected component
// of the calls between contexts; the shared kernel, a library each
// service carries, takes no part).
type Cycle struct {
	// Contexts are its contexts, sorted by name.
	Contexts []string `yaml:"contexts" json:"contexts"`
	// Synchronous is set when request/response calls alone close a loop
	// among them: a context on that loop cannot leave the monolith while
	// another stays without making a distributed cycle. A cycle whose
	// every loop passes through an event blocks nothing.
	Synchronous bool `yaml:"synchronous" json:"synchronous"`
	// Edges are the calls between its contexts, one per ordered pair.
	Edges []CycleEdge `yaml:"edges" json:"edges"`
	// Break are the synchronous edges to make asynchronous or invert so
	// that no loop of synchronous calls remains, lightest first.
	Break []CycleBreak `yaml:"break,omitempty" json:"break,omitempty"`
	// Note says what the cycle means for the migration.
	Note string `yaml:"note" json:"note"`
}

// CycleEdge sums the calls from one context of a cycle into another.
type CycleEdge struct {
	From string `yaml:"from" json:"from"`
	To   string `yaml:"to" json:"to"`
	// Calls counts the distinct caller → callee pairs, Sites their call
	// sites, Async the sites that do not wait for an outcome.
	Calls int `yaml:"calls" json:"calls"`
	Sites int `yaml:"sites" json:"sites"`
	Async int `yaml:"async,omitempty" json:"async,omitempty"`
	// Style is "async" when every site is fire and forget, else "sync",
	// as for contracts.
	Style string `yaml:"style" json:"style"`
}

// CycleBreak is a synchronous edge to change to break a cycle.
type CycleBreak struct {
	From string `yaml:"from" json:"from"`
	To   string `yaml:"to" json:"to"`
	// SyncSites are the edge's call sites that wait for a result;
	// Callees the declarations they call, most sites first.
	SyncSites int      `yaml:"sync_sites" json:"sync_sites"`
	Callees   []string `yaml:"callees" json:"callees"`
	// Suggestion says how to change it.
	Suggestion string `yaml:"suggestion" json:"suggestion"`
}

// Step is one strangler-fig step: one context leaves the monolith.
type Step struct {
	Order   int    `yaml:"order" json:"order"`
	Context string `yaml:"context" json:"context"`
	Runtime string `yaml:"runtime" json:"runtime"`
	// Score is the ordering score when the step was chosen (lowest
	// first); ScoreBasis spells out its terms.
	Score      float64 `yaml:"score" json:"score"`
	ScoreBasis string  `yaml:"score_basis" json:"score_basis"`
	Moves      Moves   `yaml:"moves" json:"moves"`
	// RemoteCalls are the in-process calls between the context and the
	// monolith that become remote in this step; Repointed the calls from
	// contexts extracted earlier, remote already, that now reach the new
	// service instead of the monolith.
	RemoteCalls []RemoteCall `yaml:"remote_calls,omitempty" json:"remote_calls,omitempty"`
	Repointed   []Repointed  `yaml:"repointed,omitempty" json:"repointed,omitempty"`
	// Externalise is the state to move out of process first: the
	// blockers and warnings involving the context.
	Externalise []StateItem `yaml:"externalise,omitempty" json:"externalise,omitempty"`
	Tables      []TableMove `yaml:"tables,omitempty" json:"tables,omitempty"`
	Risk        Estimate    `yaml:"risk" json:"risk"`
	Effort      Estimate    `yaml:"effort" json:"effort"`
	Verify      []Check     `yaml:"verify" json:"verify"`
	Remaining   Remaining   `yaml:"remaining" json:"remaining"`
}

// Moves is what a step takes out of the monolith.
type Moves struct {
	Packages    []string     `yaml:"packages,omitempty" json:"packages,omitempty"`
	Members     []Member     `yaml:"members,omitempty" json:"members,omitempty"`
	EntryPoints []EntryPoint `yaml:"entry_points,omitempty" json:"entry_points,omitempty"`
	Decls       int          `yaml:"decls" json:"decls"`
	Lines       int          `yaml:"lines" json:"lines"`
}

// RemoteCall is an in-process call that becomes remote.
type RemoteCall struct {
	// Direction is "out" when the moving context calls the monolith, "in"
	// when the monolith calls the moving context.
	Direction string `yaml:"direction" json:"direction"`
	From      string `yaml:"from" json:"from"`
	To        string `yaml:"to" json:"to"`
	Caller    string `yaml:"caller" json:"caller"`
	Callee    string `yaml:"callee" json:"callee"`
	Signature string `yaml:"signature,omitempty" json:"signature,omitempty"`
	// Pos is the first call site; Sites the number of sites (the edge's
	// weight), Async those that do not wait for an outcome.
	Pos   string `yaml:"pos" json:"pos"`
	Sites int    `yaml:"sites" json:"sites"`
	Async int    `yaml:"async,omitempty" json:"async,omitempty"`
	// Contract is request-response or event.
	Contract string `yaml:"contract" json:"contract"`
}

// Repointed counts calls between a context extracted earlier and the
// moving one: remote already, they change endpoint.
type Repointed struct {
	From  string `yaml:"from" json:"from"`
	To    string `yaml:"to" json:"to"`
	Calls int    `yaml:"calls" json:"calls"`
	Sites int    `yaml:"sites" json:"sites"`
}

// StateItem is a finding to resolve before (or while) a context moves.
type StateItem struct {
	Severity string   `yaml:"severity" json:"severity"`
	Check    string   `yaml:"check" json:"check"`
	Object   string   `yaml:"object" json:"object"`
	Pos      string   `yaml:"pos" json:"pos"`
	Contexts []string `yaml:"contexts,omitempty" json:"contexts,omitempty"`
	Remedy   string   `yaml:"remedy" json:"remedy"`
}

// Table actions in a step.
const (
	// TableActionMove: only the moving context uses the table; it moves
	// along.
	TableActionMove = "move"
	// TableActionHandOver: the moving context is the only writer, others
	// read it; it moves, and they read through the new service.
	TableActionHandOver = "hand-over"
	// TableActionSplit: the moving context and others write it.
	TableActionSplit = "split"
	// TableActionReadThrough: the moving context reads a table another
	// context owns; it reads through the owner instead.
	TableActionReadThrough = "read-through-owner"
)

// TableMove is what a step does with one table.
type TableMove struct {
	Table  string `yaml:"table" json:"table"`
	Action string `yaml:"action" json:"action"`
	// Access is the moving context's access (r, w, rw); Owner the table's
	// owner; Others the other contexts touching it.
	Access string   `yaml:"access" json:"access"`
	Owner  string   `yaml:"owner,omitempty" json:"owner,omitempty"`
	Others []string `yaml:"others,omitempty" json:"others,omitempty"`
	Detail string   `yaml:"detail" json:"detail"`
}

// Estimate is a risk or effort level with the numbers behind it.
type Estimate struct {
	Level  string `yaml:"level" json:"level"`
	Points int    `yaml:"points,omitempty" json:"points,omitempty"`
	Basis  string `yaml:"basis" json:"basis"`
}

// Check is one way to verify a step.
type Check struct {
	// Kind is contract-test, shadow-traffic, multi-instance, data or
	// rollback.
	Kind string `yaml:"kind" json:"kind"`
	What string `yaml:"what" json:"what"`
}

// Remaining is the monolith left after a step.
type Remaining struct {
	Contexts    []string `yaml:"contexts" json:"contexts"`
	Packages    int      `yaml:"packages" json:"packages"`
	Lines       int      `yaml:"lines" json:"lines"`
	EntryPoints int      `yaml:"entry_points" json:"entry_points"`
	Note        string   `yaml:"note" json:"note"`
}

// CostSketch compares pay-per-use with always-on provisioning per
// context, from editable price parameters. It is a sketch, not a quote.
type CostSketch struct {
	Note        string          `yaml:"note" json:"note"`
	Assumptions CostAssumptions `yaml:"assumptions" json:"assumptions"`
	Contexts    []ContextCost   `yaml:"contexts" json:"contexts"`
	// PayPerUse and AlwaysOn are the monthly totals over the contexts.
	PayPerUse float64  `yaml:"pay_per_use" json:"pay_per_use"`
	AlwaysOn  float64  `yaml:"always_on" json:"always_on"`
	Warnings  []string `yaml:"warnings,omitempty" json:"warnings,omitempty"`
}

// CostAssumptions are the defaults and prices a sketch used.
type CostAssumptions struct {
	Currency                string  `yaml:"currency" json:"currency"`
	RequestsPerMonth        int64   `yaml:"requests_per_month" json:"requests_per_month"`
	AvgDurationMS           float64 `yaml:"avg_duration_ms" json:"avg_duration_ms"`
	MemoryMB                int     `yaml:"memory_mb" json:"memory_mb"`
	PricePerGBSecond        float64 `yaml:"price_per_gb_second" json:"price_per_gb_second"`
	PricePerMillionRequests float64 `yaml:"price_per_million_requests" json:"price_per_million_requests"`
	InstancePricePerHour    float64 `yaml:"instance_price_per_hour" json:"instance_price_per_hour"`
	Instances               int     `yaml:"instances" json:"instances"`
	HoursPerMonth           float64 `yaml:"hours_per_month" json:"hours_per_month"`
	// VCPUsPerInstance is given when observed CPU sized the instances.
	VCPUsPerInstance int `yaml:"vcpus_per_instance,omitempty" json:"vcpus_per_instance,omitempty"`
}

// ContextCost is one context's monthly cost, both ways.
type ContextCost struct {
	Context          string  `yaml:"context" json:"context"`
	Runtime          string  `yaml:"runtime" json:"runtime"`
	RequestsPerMonth int64   `yaml:"requests_per_month" json:"requests_per_month"`
	AvgDurationMS    float64 `yaml:"avg_duration_ms" json:"avg_duration_ms"`
	MemoryMB         int     `yaml:"memory_mb" json:"memory_mb"`
	Instances        int     `yaml:"instances" json:"instances"`
	// Configured is set when decompose.yaml gives this context its own
	// rates.
	Configured bool    `yaml:"configured,omitempty" json:"configured,omitempty"`
	PayPerUse  float64 `yaml:"pay_per_use" json:"pay_per_use"`
	AlwaysOn   float64 `yaml:"always_on" json:"always_on"`
	// BreakEven is the monthly request count at which both cost the
	// same; Cheaper names the cheaper way at the given rate.
	BreakEven int64  `yaml:"break_even_requests" json:"break_even_requests"`
	Cheaper   string `yaml:"cheaper" json:"cheaper"`
	// Observed is set when the requests come from the traffic file (and
	// the duration, the CPU time per request, from the profiles);
	// RequestsPerSecond and BreakEvenPerSecond are the two counts as
	// rates, to see how far the context is from switching.
	Observed           bool    `yaml:"observed,omitempty" json:"observed,omitempty"`
	RequestsPerSecond  float64 `yaml:"requests_per_second,omitempty" json:"requests_per_second,omitempty"`
	BreakEvenPerSecond float64 `yaml:"break_even_per_second,omitempty" json:"break_even_per_second,omitempty"`
}

// Build makes the whole plan of a decomposition of the model: contexts,
// kernel, contracts, findings, data ownership and, with the settings in
// cfg, the migration (summary, cycles, steps and cost). A nil model gives
// the plan of the decomposition alone. It is a pure function of its
// inputs.
func Build(m *model.Model, d *cluster.Decomposition, cfg Config) *Plan {
	p := &Plan{
		Schema:       Schema,
		Module:       d.Module,
		Root:         d.Root,
		Contexts:     []Context{},
		SharedKernel: []string{},
		Split:        d.Split,
		Ignored:      d.Ignored,
		IgnoredDecls: d.IgnoredDecls,
		Config:       d.Config,
		Warnings:     d.Warnings,
	}
	if p.Module == "" && m != nil && len(m.Modules) > 0 {
		p.Module = m.Modules[0].Path
	}
	for _, c := range d.Contexts {
		pc := Context{
			Name:        c.Name,
			Pinned:      c.Pinned,
			Packages:    append([]string{}, c.Packages...),
			Members:     members(c.Members),
			Vocabulary:  c.Vocabulary,
			Explanation: units(c.Placements),
			Metrics: ContextMetrics{
				Packages:     c.Metrics.Packages,
				Decls:        c.Metrics.Decls,
				Cohesion:     c.Metrics.Cohesion,
				Coupling:     c.Metrics.Coupling,
				Interfaces:   c.Metrics.Interfaces,
				DependsOn:    c.Metrics.DependsOn,
				DependedOnBy: c.Metrics.DependedOnBy,
			},
		}
		for _, e := range c.EntryPoints {
			pc.EntryPoints = append(pc.EntryPoints, EntryPoint{
				Kind: string(e.Kind), Method: e.Method, Route: e.Route, Decl: e.Decl,
				Package: e.Package, Framework: e.Framework, Ticker: e.Ticker, Once: e.Once, Args: e.Args, Pos: e.Pos,
			})
		}
		p.Contexts = append(p.Contexts, pc)
	}
	p.SharedKernel = append(p.SharedKernel, d.Kernel.Packages...)
	p.SharedKernel = append(p.SharedKernel, d.Kernel.Infrastructure...)
	sort.Strings(p.SharedKernel)
	p.Kernel = Kernel{
		Infrastructure: d.Kernel.Infrastructure,
		Members:        members(d.Kernel.Members),
		Explanation:    units(d.Kernel.Placements),
	}
	p.Borderline = units(d.Borderline)
	var locate func(string) string
	if m != nil {
		locate = Locate(m, d)
		p.Contracts = contracts(m, locate)
		p.Findings, p.DataOwnership = findingsAndOwnership(m, locate)
	}
	if p.Findings == nil {
		p.Findings = []Finding{}
	}
	mt := d.Metrics
	p.Metrics = Metrics{
		Contexts: mt.Contexts, Units: mt.Units, KernelUnits: mt.KernelUnits, Resolution: mt.Resolution,
		Modularity: mt.Modularity, StructuralModularity: mt.StructuralModularity, ICP: mt.ICP, IFN: mt.IFN, NED: mt.NED,
	}
	if m != nil {
		p.migrate(m, locate, cfg)
	}
	return p
}

// Findings are the findings Build lists for m under d, each with its
// contexts, without the rest of the plan.
func Findings(m *model.Model, d *cluster.Decomposition) []Finding {
	fs, _ := findingsAndOwnership(m, Locate(m, d))
	return fs
}

func findingsAndOwnership(m *model.Model, locate func(string) string) ([]Finding, []TableOwnership) {
	fs := findings(m, locate)
	owners, tableFindings := ownership(m, locate)
	fs = append(fs, tableFindings...)
	sortFindings(fs)
	return fs, owners
}

func members(ms []cluster.Member) []Member {
	var out []Member
	for _, m := range ms {
		out = append(out, Member{Package: m.Package, Decls: append([]string{}, m.Decls...)})
	}
	return out
}

func units(ps []cluster.Placement) []Unit {
	var out []Unit
	for _, p := range ps {
		u := Unit{
			Unit: p.Unit, Package: p.Package, Decl: p.Decl, Context: p.Context, Reason: p.Reason,
			Score: p.Score, Second: p.Second, SecondScore: p.SecondScore, Margin: p.Margin, UsedBy: p.UsedBy,
		}
		if u.Package == u.Unit {
			u.Package = ""
		}
		for _, e := range p.Evidence {
			u.Evidence = append(u.Evidence, Evidence{Kind: e.Kind, From: e.From, To: e.To, Weight: e.Weight})
		}
		out = append(out, u)
	}
	return out
}

// MarshalYAML returns the plan as YAML. The output depends only on the
// plan: fields come in declaration order and map keys sorted.
//
// It gives the bytes yaml.v3 gives for the whole plan, but encodes it key
// by key, and each element of a top-level list on its own: the encoder
// keeps every event of a document until it ends, which makes one large
// document many times slower to write than its parts.
func MarshalYAML(p *Plan) ([]byte, error) {
	var out bytes.Buffer
	v := reflect.ValueOf(p).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		if fv.Kind() == reflect.Slice && fv.Len() > 0 {
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			out.WriteString(name + ":\n")
			one := reflect.MakeSlice(fv.Type(), 1, 1)
			for j := 0; j < fv.Len(); j++ {
				one.Index(0).Set(fv.Index(j))
				b, err := encodeYAML(one.Interface())
				if err != nil {
					return nil, err
				}
				// the element's lines, indented under the key; empty
				// lines of block scalars carry no indentation
				for _, line := range bytes.SplitAfter(b, []byte("\n")) {
					if len(line) > 0 && line[0] != '\n' {
						out.WriteString("  ")
					}
					out.Write(line)
				}
			}
			continue
		}
		field := reflect.New(reflect.StructOf([]reflect.StructField{{Name: f.Name, Type: f.Type, Tag: f.Tag}})).Elem()
		field.Field(0).Set(fv)
		b, err := encodeYAML(field.Interface())
		if err != nil {
			return nil, err
		}
		if string(b) != "{}\n" { // left out by omitempty
			out.Write(b)
		}
	}
	return out.Bytes(), nil
}

func encodeYAML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MarshalJSON returns the plan as indented JSON, ending in a newline.
func MarshalJSON(p *Plan) ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
