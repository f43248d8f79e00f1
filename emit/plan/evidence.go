package plan

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"decompose/analysis/evidence"
	"decompose/analysis/model"
)

// Measured is what the program was seen doing, given to Build through
// Config: CPU profiles attributed to the model's declarations and the
// request rates of a traffic file matched to its entry points. Either
// may be missing; without both the plan is what the code alone gives.
type Measured struct {
	// CPU is the profiles' CPU time (nil, or unused, without a profile).
	CPU *evidence.CPU
	// Traffic names the traffic file; Rates are its rows that name an
	// entry point.
	Traffic string
	Rates   []evidence.Rate
	// Warnings are what of the evidence could not be used, one line
	// each; the plan lists them.
	Warnings []string
}

func (e *Measured) cpu() *evidence.CPU {
	if e == nil || !e.CPU.Used() {
		return nil
	}
	return e.CPU
}

// Observed is the plan's observed section: the figures behind the
// runtimes and costs that the profiles and the traffic file decided.
type Observed struct {
	// Profiles are the profiles used; Traffic the traffic file.
	Profiles []evidence.Source `yaml:"profiles,omitempty" json:"profiles,omitempty"`
	Traffic  string            `yaml:"traffic,omitempty" json:"traffic,omitempty"`
	// ProfileSeconds is the profiles' length; CPUSeconds the CPU time in
	// them that maps to the analyzed code (its share of all of it is
	// Coverage).
	ProfileSeconds float64 `yaml:"profile_seconds,omitempty" json:"profile_seconds,omitempty"`
	CPUSeconds     float64 `yaml:"cpu_seconds,omitempty" json:"cpu_seconds,omitempty"`
	Coverage       float64 `yaml:"coverage,omitempty" json:"coverage,omitempty"`
	// KernelShare is the shared kernel's share of that CPU time.
	KernelShare float64           `yaml:"kernel_share,omitempty" json:"kernel_share,omitempty"`
	Contexts    []ContextObserved `yaml:"contexts" json:"contexts"`
	// Routes are the traffic file's rows matched to entry points.
	Routes   []RouteObserved `yaml:"routes,omitempty" json:"routes,omitempty"`
	Warnings []string        `yaml:"warnings,omitempty" json:"warnings,omitempty"`
}

// ContextObserved is one context's evidence.
type ContextObserved struct {
	Context string `yaml:"context" json:"context"`
	// CPUSeconds is the CPU time of its declarations in the profiles
	// (flat: library and runtime code they call included, up to the next
	// declaration), CPUShare its share of the attributed time.
	CPUSeconds float64 `yaml:"cpu_seconds" json:"cpu_seconds"`
	CPUShare   float64 `yaml:"cpu_share" json:"cpu_share"`
	// RequestsPerSecond sums the traffic of its entry points;
	// RequestsPerMonth is that over a 730-hour month.
	RequestsPerSecond float64 `yaml:"requests_per_second,omitempty" json:"requests_per_second,omitempty"`
	RequestsPerMonth  int64   `yaml:"requests_per_month,omitempty" json:"requests_per_month,omitempty"`
	// CPUMSPerRequest is its CPU time per request to its entry points,
	// taking the traffic's rates as those during the profiles.
	CPUMSPerRequest float64 `yaml:"cpu_ms_per_request,omitempty" json:"cpu_ms_per_request,omitempty"`
	// P99TargetMS is the tightest p99 latency target of its routes.
	P99TargetMS float64 `yaml:"p99_target_ms,omitempty" json:"p99_target_ms,omitempty"`
	// ColdStart is its start-up work, the cold start's exposure.
	ColdStart ColdStart `yaml:"cold_start" json:"cold_start"`
}

// ColdStart is a context's start-up work: what every new instance does
// before its first request.
type ColdStart struct {
	// InitFuncs counts its packages' init functions; StartupObjects the
	// package-level objects built at initialisation or start-up
	// (global-init-only and global-singleton findings).
	InitFuncs      int `yaml:"init_funcs,omitempty" json:"init_funcs,omitempty"`
	StartupObjects int `yaml:"startup_objects,omitempty" json:"startup_objects,omitempty"`
	// InitCPUMS is the CPU time the profiles saw in its init functions,
	// when they hold the process's start.
	InitCPUMS float64 `yaml:"init_cpu_ms,omitempty" json:"init_cpu_ms,omitempty"`
	// EstimateMS is the cold start the runtime rules assume: the
	// platform's (Rules.ColdStartMS) plus the measured init time.
	EstimateMS float64 `yaml:"estimate_ms" json:"estimate_ms"`
}

// RouteObserved is one row of the traffic file with the entry point it
// names.
type RouteObserved struct {
	Route             string  `yaml:"route" json:"route"`
	Decl              string  `yaml:"decl" json:"decl"`
	Context           string  `yaml:"context" json:"context"`
	RequestsPerSecond float64 `yaml:"requests_per_second" json:"requests_per_second"`
	// CPUMSPerRequest is the handler's cumulative CPU time per request.
	CPUMSPerRequest float64 `yaml:"cpu_ms_per_request,omitempty" json:"cpu_ms_per_request,omitempty"`
	P50TargetMS     float64 `yaml:"p50_target_ms,omitempty" json:"p50_target_ms,omitempty"`
	P99TargetMS     float64 `yaml:"p99_target_ms,omitempty" json:"p99_target_ms,omitempty"`
}

// observation is a context's evidence while the migration is worked out.
type observation struct {
	ContextObserved
	hasCPU, hasRate bool
}

// observe works out each context's evidence, and the plan's section.
func observe(in *input, m *model.Model, locate func(string) string, ev *Measured, r Rules) *Observed {
	cpu := ev.cpu()
	if cpu == nil && (ev == nil || len(ev.Rates) == 0) {
		return nil
	}
	o := &Observed{Traffic: ev.Traffic, Warnings: ev.Warnings, Contexts: []ContextObserved{}}
	seconds := 0.0
	if cpu != nil {
		o.Profiles = cpu.Sources
		o.ProfileSeconds = round3(float64(cpu.DurationNanos) / 1e9)
		o.CPUSeconds = round3(float64(cpu.MappedNanos) / 1e9)
		if cpu.TotalNanos > 0 {
			o.Coverage = round3(float64(cpu.MappedNanos) / float64(cpu.TotalNanos))
		}
		seconds = float64(cpu.DurationNanos) / 1e9
		for _, c := range cpu.Contexts(locate) {
			if c.Context == model.Kernel {
				o.KernelShare = round3(c.Share)
			}
			if x := in.byName[c.Context]; x != nil {
				x.obs.hasCPU = true
				x.obs.CPUSeconds = round3(float64(c.Flat) / 1e9)
				x.obs.CPUShare = round3(c.Share)
			}
		}
		for _, c := range in.contexts {
			c.obs.hasCPU = true
		}
	}
	for _, rt := range ev.Rates {
		ctx := locate(rt.Decl)
		ro := RouteObserved{Route: rt.EntryLabel, Decl: rt.Decl, Context: ctx, RequestsPerSecond: round3(rt.PerSecond()),
			P50TargetMS: rt.P50MS, P99TargetMS: rt.P99MS}
		if cpu != nil && seconds > 0 && rt.PerSecond() > 0 {
			ro.CPUMSPerRequest = round3(float64(cpu.Decl(rt.Decl).Cum) / 1e6 / (rt.PerSecond() * seconds))
		}
		o.Routes = append(o.Routes, ro)
		c := in.byName[ctx]
		if c == nil {
			continue
		}
		c.obs.hasRate = true
		c.obs.RequestsPerSecond += rt.PerSecond()
		if rt.P99MS > 0 && (c.obs.P99TargetMS == 0 || rt.P99MS < c.obs.P99TargetMS) {
			c.obs.P99TargetMS = rt.P99MS
		}
	}
	sort.Slice(o.Routes, func(i, j int) bool {
		if o.Routes[i].Context != o.Routes[j].Context {
			return o.Routes[i].Context < o.Routes[j].Context
		}
		return o.Routes[i].Route < o.Routes[j].Route
	})
	inits := map[string]int{}
	for _, d := range m.Decls {
		if d.Name == "init" && d.Kind == model.KindFunc {
			inits[locate(d.ID)]++
		}
	}
	for _, c := range in.contexts {
		ob := &c.obs
		ob.Context = c.name
		ob.RequestsPerSecond = round3(ob.RequestsPerSecond)
		ob.RequestsPerMonth = int64(math.Round(ob.RequestsPerSecond * evidence.Month.Seconds()))
		if cpu != nil && seconds > 0 && ob.RequestsPerSecond > 0 {
			ob.CPUMSPerRequest = round3(ob.CPUSeconds * 1000 / (ob.RequestsPerSecond * seconds))
		}
		ob.ColdStart.InitFuncs = inits[c.name]
		for _, f := range append(append([]*Finding{}, c.warnings...), c.infos...) {
			if f.Check == "global-init-only" || f.Check == "global-singleton" {
				ob.ColdStart.StartupObjects++
			}
		}
		if cpu != nil {
			var initNS int64
			for _, d := range cpu.Decls {
				if strings.HasSuffix(d.ID, ".init") && locate(d.ID) == c.name {
					initNS += d.Cum
				}
			}
			ob.ColdStart.InitCPUMS = round3(float64(initNS) / 1e6)
		}
		ob.ColdStart.EstimateMS = round3(r.ColdStartMS + ob.ColdStart.InitCPUMS)
		o.Contexts = append(o.Contexts, ob.ContextObserved)
	}
	return o
}

// observedRates are a context's rates with the evidence in: the
// traffic's requests, and the CPU per request as the billed duration (a
// lower bound: waiting on the network or a database is billed too), with
// as many instances as the observed CPU needs.
func observedRates(r Rates, ob *observation, cfg CostConfig) (Rates, bool) {
	if !ob.hasRate {
		return r, false
	}
	r.RequestsPerMonth = ob.RequestsPerMonth
	if ob.hasCPU {
		// 0 when the profile saw none: less than its resolution
		r.AvgDurationMS = ob.CPUMSPerRequest
	}
	if ob.hasCPU && cfg.VCPUsPerInstance > 0 {
		cores := ob.RequestsPerSecond * ob.CPUMSPerRequest / 1000
		if n := int(math.Ceil(cores / float64(cfg.VCPUsPerInstance))); n > r.Instances {
			r.Instances = n
		}
	}
	return r, true
}

// evidenceReasons are the runtime rules that read the evidence: the
// observed hot path (in place of the static one), the break-even between
// pay-per-use and provisioned capacity, and the cold start's exposure.
func evidenceReasons(in *input, c *ctxInfo, r Rules, cost CostConfig, add func(rule, target, format string, args ...any)) {
	ob := &c.obs
	if ob.hasCPU && r.HotPathCPUShare > 0 && ob.CPUShare >= r.HotPathCPUShare {
		switch {
		case ob.P99TargetMS == 0:
			add(RuleHotPath, RuntimeStateful,
				"%s of the observed CPU (%s s): the program's hottest path, and no latency target says a cold start (about %s ms) would do; keep warm instances",
				percent(ob.CPUShare), trim(ob.CPUSeconds), trim(ob.ColdStart.EstimateMS))
		case ob.P99TargetMS < ob.ColdStart.EstimateMS:
			add(RuleHotPath, RuntimeStateful,
				"%s of the observed CPU (%s s), and a p99 target of %s ms that a cold start (about %s ms) would break; keep warm instances",
				percent(ob.CPUShare), trim(ob.CPUSeconds), trim(ob.P99TargetMS), trim(ob.ColdStart.EstimateMS))
		}
	}
	if !ob.hasRate {
		return
	}
	own, _ := cost.rates(c.name)
	rates, _ := observedRates(own, ob, cost)
	_, on, breakEven := prices(rates, cost)
	if breakEven <= 0 {
		return
	}
	ratio := float64(rates.RequestsPerMonth) / float64(breakEven)
	perReq := fmt.Sprintf("at the configured %s ms a request", trim(rates.AvgDurationMS))
	switch {
	case ob.CPUMSPerRequest > 0:
		perReq = fmt.Sprintf("at %s ms of CPU a request", trim(ob.CPUMSPerRequest))
	case ob.hasCPU:
		perReq = "at too little CPU a request for the profile to see"
	}
	if ratio >= 1 {
		add(RuleBreakEven, RuntimeStateful,
			"%s requests a month observed (%s/s), %s the break-even of %s (%s/s) %s: provisioned capacity (%s a month) is cheaper than paying per use",
			Thousands(rates.RequestsPerMonth), trim(ob.RequestsPerSecond), times(ratio), Thousands(breakEven), trim(perSecond(breakEven)), perReq, money2(on))
	} else {
		add(RuleBreakEven, RuntimeFunction,
			"%s requests a month observed (%s/s), %s of the break-even of %s (%s/s) %s: paying per use is cheaper",
			Thousands(rates.RequestsPerMonth), trim(ob.RequestsPerSecond), percent(ratio), Thousands(breakEven), trim(perSecond(breakEven)), perReq)
	}
}

// perSecond turns a monthly count into a rate.
func perSecond(perMonth int64) float64 { return float64(perMonth) / evidence.Month.Seconds() }

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// trim spells a figure with up to three significant decimals.
func trim(x float64) string {
	switch {
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", x), "0"), ".")
	}
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", x), "0"), ".")
}

func percent(share float64) string { return fmt.Sprintf("%.0f%%", 100*share) }

func times(ratio float64) string { return fmt.Sprintf("%s×", trim(ratio)) }

func money2(x float64) string { return fmt.Sprintf("%.2f", x) }
