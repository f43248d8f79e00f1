package plan

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Config holds the settings of the migration: the thresholds of the
// runtime rules and the weights of the ordering score (decompose.yaml key
// `migration:`), and the cost sketch's rates and prices (key `cost:`).
// Start from DefaultConfig and decode the file over it, so that a key the
// file leaves out keeps its default.
type Config struct {
	Rules Rules
	Cost  CostConfig
	// Measured is what the program was seen doing (profiles, traffic);
	// nil for a plan from the code alone. It is not a setting of
	// decompose.yaml: analyze reads it from --profile and --traffic.
	Measured *Measured `yaml:"-" json:"-"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{Rules: DefaultRules(), Cost: DefaultCostConfig()}
}

// Validate reports the first setting that cannot be used.
func (c Config) Validate() error {
	if err := c.Rules.Validate(); err != nil {
		return fmt.Errorf("migration: %v", err)
	}
	if err := c.Cost.Validate(); err != nil {
		return fmt.Errorf("cost: %v", err)
	}
	return nil
}

// Rules are the thresholds of the runtime rules and the weights of the
// ordering score, under the `migration:` key of decompose.yaml:
//
//	migration:
//	  state_of_record: 1    # in-memory objects that are the only copy
//	  hot_path_sites: 20    # synchronous call sites from other contexts ...
//	  hot_path_callers: 3   # ... in at least this many contexts
//	  heavy_lines: 50000    # lines that make a start-up heavy
//	  heavy_startup: 30     # objects built at initialisation or start-up
//	  hot_path_cpu_share: 0.4   # with a profile: share of the observed CPU ...
//	  cold_start_ms: 300        # ... and the platform's cold start
//	  order: {inbound: 1, outbound: 0.5, blocker: 5, warning: 1}
//
// See the package documentation for what each rule does with them.
type Rules struct {
	// StateOfRecord is the number of in-memory collections (maps,
	// slices, sync.Maps in package variables or long-lived objects' fields)
	// and in-process caches written while serving, in a context that
	// writes no database table, from which the context is stateful.
	// Default 1; 0 turns the rule off.
	StateOfRecord int `yaml:"state_of_record" json:"state_of_record"`
	// HotPathSites, HotPathCallers and HotPathShare: a context whose
	// results other contexts wait for at HotPathSites call sites or more,
	// from HotPathCallers contexts or more, and at least HotPathShare of
	// all the synchronous call sites between contexts, is a
	// latency-critical hot path. Defaults 20, 3 and 0.1; HotPathSites 0
	// turns the rule off.
	HotPathSites   int     `yaml:"hot_path_sites" json:"hot_path_sites"`
	HotPathCallers int     `yaml:"hot_path_callers" json:"hot_path_callers"`
	HotPathShare   float64 `yaml:"hot_path_share" json:"hot_path_share"`
	// HeavyLines and HeavyStartup: a context of HeavyLines lines or more,
	// or that builds HeavyStartup objects or more at initialisation and
	// start-up (package state set once: compiled patterns, templates,
	// tables, clients), has a heavy start-up. Defaults 50000 and 30; 0
	// turns either off.
	HeavyLines   int `yaml:"heavy_lines" json:"heavy_lines"`
	HeavyStartup int `yaml:"heavy_startup" json:"heavy_startup"`
	// HotPathCPUShare and ColdStartMS replace the hot-path rule's call
	// sites when a profile is given: a context that takes HotPathCPUShare
	// of the observed CPU or more is the program's hot path, unless its
	// routes' p99 targets are all looser than a cold start, ColdStartMS
	// (the platform's start of an instance) plus the init time the
	// profile measured. Defaults 0.4 and 300; HotPathCPUShare 0 turns the
	// rule off.
	HotPathCPUShare float64 `yaml:"hot_path_cpu_share" json:"hot_path_cpu_share"`
	ColdStartMS     float64 `yaml:"cold_start_ms" json:"cold_start_ms"`
	// Order weighs the terms of the ordering score.
	Order OrderWeights `yaml:"order" json:"order"`
}

// OrderWeights weigh the terms of the ordering score (lowest first):
//
//	score = inbound × (call sites in the monolith that call the context)
//	      + outbound × (call sites of the context that call the monolith)
//	      + blocker × (blocker findings involving the context)
//	      + warning × (warning findings involving the context)
type OrderWeights struct {
	Inbound  float64 `yaml:"inbound" json:"inbound"`
	Outbound float64 `yaml:"outbound" json:"outbound"`
	Blocker  float64 `yaml:"blocker" json:"blocker"`
	Warning  float64 `yaml:"warning" json:"warning"`
}

// DefaultRules returns the documented defaults.
func DefaultRules() Rules {
	return Rules{
		StateOfRecord:   1,
		HotPathSites:    20,
		HotPathCallers:  3,
		HotPathShare:    0.1,
		HeavyLines:      50000,
		HeavyStartup:    30,
		HotPathCPUShare: 0.4,
		ColdStartMS:     300,
		Order:           OrderWeights{Inbound: 1, Outbound: 0.5, Blocker: 5, Warning: 1},
	}
}

// maxAmount caps every price, duration and weight: far above any real
// setting, and low enough that the cost sketch's products and the steps'
// scores stay finite (a value beyond it is a typo, or 1e307, which made
// them +Inf and the plan unwritable).
const maxAmount = 1e9

// amount reports a number that is negative, not finite or above max,
// naming its key.
func amount(name string, v, max float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Errorf("%s: %v is not a number", name, v)
	case v < 0:
		return fmt.Errorf("%s must not be negative", name)
	case v > max:
		return fmt.Errorf("%s: %g is more than %g", name, v, max)
	}
	return nil
}

// Validate reports a negative, non-finite or absurd threshold or weight.
func (r Rules) Validate() error {
	if err := amount("hot_path_share", r.HotPathShare, 1); err != nil {
		return err
	}
	if err := amount("hot_path_cpu_share", r.HotPathCPUShare, 1); err != nil {
		return err
	}
	if err := amount("cold_start_ms", r.ColdStartMS, maxAmount); err != nil {
		return err
	}
	for _, x := range []struct {
		name string
		v    float64
	}{
		{"order.inbound", r.Order.Inbound},
		{"order.outbound", r.Order.Outbound},
		{"order.blocker", r.Order.Blocker},
		{"order.warning", r.Order.Warning},
	} {
		if err := amount(x.name, x.v, maxAmount); err != nil {
			return err
		}
	}
	for _, x := range []struct {
		name string
		v    float64
	}{
		{"state_of_record", float64(r.StateOfRecord)},
		{"hot_path_sites", float64(r.HotPathSites)},
		{"hot_path_callers", float64(r.HotPathCallers)},
		{"heavy_lines", float64(r.HeavyLines)},
		{"heavy_startup", float64(r.HeavyStartup)},
	} {
		if x.v < 0 {
			return fmt.Errorf("%s must not be negative", x.name)
		}
	}
	return nil
}

// CostConfig are the rates and prices of the cost sketch, under the
// `cost:` key of decompose.yaml. The defaults approximate public list
// prices of a function platform (x86, per GB-second and per million
// requests) and of an on-demand general-purpose VM with 2 vCPUs and 4 GiB;
// edit them to your provider's and region's:
//
//	cost:
//	  currency: USD
//	  requests_per_month: 1000000     # per context, unless given below
//	  avg_duration_ms: 100
//	  memory_mb: 512
//	  price_per_gb_second: 0.0000166667
//	  price_per_million_requests: 0.20
//	  instance_price_per_hour: 0.0416
//	  instances: 2                    # always-on instances per context
//	  hours_per_month: 730
//	  vcpus_per_instance: 2           # sizes provisioned capacity from the observed CPU
//	  contexts:
//	    checkout: {requests_per_month: 5000000, avg_duration_ms: 250, memory_mb: 1024, instances: 3}
//
// A context's own rates replace the defaults key by key; 0 (or leaving a
// key out) keeps the default.
type CostConfig struct {
	Currency                string  `yaml:"currency" json:"currency"`
	RequestsPerMonth        int64   `yaml:"requests_per_month" json:"requests_per_month"`
	AvgDurationMS           float64 `yaml:"avg_duration_ms" json:"avg_duration_ms"`
	MemoryMB                int     `yaml:"memory_mb" json:"memory_mb"`
	PricePerGBSecond        float64 `yaml:"price_per_gb_second" json:"price_per_gb_second"`
	PricePerMillionRequests float64 `yaml:"price_per_million_requests" json:"price_per_million_requests"`
	InstancePricePerHour    float64 `yaml:"instance_price_per_hour" json:"instance_price_per_hour"`
	Instances               int     `yaml:"instances" json:"instances"`
	HoursPerMonth           float64 `yaml:"hours_per_month" json:"hours_per_month"`
	// VCPUsPerInstance sizes provisioned capacity when a profile and a
	// traffic file give a context's CPU per request and rate: it gets
	// enough instances for its observed CPU, instances at least.
	VCPUsPerInstance int `yaml:"vcpus_per_instance" json:"vcpus_per_instance"`
	// Contexts gives contexts their own rates, by context name.
	Contexts map[string]Rates `yaml:"contexts" json:"contexts,omitempty"`
}

// Rates are one context's load and sizing.
type Rates struct {
	RequestsPerMonth int64   `yaml:"requests_per_month" json:"requests_per_month,omitempty"`
	AvgDurationMS    float64 `yaml:"avg_duration_ms" json:"avg_duration_ms,omitempty"`
	MemoryMB         int     `yaml:"memory_mb" json:"memory_mb,omitempty"`
	Instances        int     `yaml:"instances" json:"instances,omitempty"`
}

// DefaultCostConfig returns the documented defaults.
func DefaultCostConfig() CostConfig {
	return CostConfig{
		Currency:                "USD",
		RequestsPerMonth:        1_000_000,
		AvgDurationMS:           100,
		MemoryMB:                512,
		PricePerGBSecond:        0.0000166667,
		PricePerMillionRequests: 0.20,
		InstancePricePerHour:    0.0416,
		Instances:               2,
		HoursPerMonth:           730,
		VCPUsPerInstance:        2,
	}
}

// Validate reports a negative, non-finite or absurd rate or price, or a
// month with more hours than a month has.
func (c CostConfig) Validate() error {
	check := func(name string, v float64) error { return amount(name, v, maxAmount) }
	if err := c.validateRates("", Rates{c.RequestsPerMonth, c.AvgDurationMS, c.MemoryMB, c.Instances}); err != nil {
		return err
	}
	for _, x := range []struct {
		name string
		v    float64
	}{
		{"price_per_gb_second", c.PricePerGBSecond},
		{"price_per_million_requests", c.PricePerMillionRequests},
		{"instance_price_per_hour", c.InstancePricePerHour},
		{"hours_per_month", c.HoursPerMonth},
	} {
		if err := check(x.name, x.v); err != nil {
			return err
		}
	}
	if c.VCPUsPerInstance < 0 {
		return errors.New("vcpus_per_instance must not be negative")
	}
	if c.HoursPerMonth > 744 {
		return fmt.Errorf("hours_per_month %g is more than a month has", c.HoursPerMonth)
	}
	names := make([]string, 0, len(c.Contexts))
	for n := range c.Contexts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := c.validateRates("contexts."+n+".", c.Contexts[n]); err != nil {
			return err
		}
	}
	return nil
}

func (c CostConfig) validateRates(prefix string, r Rates) error {
	switch {
	case r.RequestsPerMonth < 0:
		return fmt.Errorf("%srequests_per_month must not be negative", prefix)
	case amount(prefix+"avg_duration_ms", r.AvgDurationMS, maxAmount) != nil:
		return amount(prefix+"avg_duration_ms", r.AvgDurationMS, maxAmount)
	case r.MemoryMB < 0:
		return fmt.Errorf("%smemory_mb must not be negative", prefix)
	case r.Instances < 0:
		return fmt.Errorf("%sinstances must not be negative", prefix)
	}
	return nil
}

// rates returns the effective rates of a context and whether the
// configuration gives it any of its own.
func (c CostConfig) rates(context string) (Rates, bool) {
	r := Rates{c.RequestsPerMonth, c.AvgDurationMS, c.MemoryMB, c.Instances}
	own, ok := c.Contexts[context]
	if !ok {
		return r, false
	}
	if own.RequestsPerMonth > 0 {
		r.RequestsPerMonth = own.RequestsPerMonth
	}
	if own.AvgDurationMS > 0 {
		r.AvgDurationMS = own.AvgDurationMS
	}
	if own.MemoryMB > 0 {
		r.MemoryMB = own.MemoryMB
	}
	if own.Instances > 0 {
		r.Instances = own.Instances
	}
	return r, true
}
