package plan

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"decompose/emit/golden"
	"decompose/emit/plan/fixture"
)

func build(t *testing.T, cfg Config) *Plan {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return Build(fixture.Model(), fixture.Decomposition(), cfg)
}

func summaryOf(p *Plan, name string) ContextSummary {
	for _, s := range p.Summary {
		if s.Context == name {
			return s
		}
	}
	return ContextSummary{}
}

func TestRuntime(t *testing.T) {
	hot := DefaultConfig()
	hot.Rules.HotPathSites, hot.Rules.HotPathCallers = 5, 2
	off := DefaultConfig()
	off.Rules.StateOfRecord = 0
	heavy := DefaultConfig()
	heavy.Rules.HeavyLines = 2000
	tests := []struct {
		name    string
		cfg     Config
		context string
		target  string
		rule    string // the first, deciding rule
	}{
		{"sessions in memory, no table", DefaultConfig(), "auth", RuntimeStateful, RuleStateOfRecord},
		{"state-of-record turned off", off, "auth", RuntimeFunction, RuleStateless},
		{"gRPC service", DefaultConfig(), "billing", RuntimeContainer, RuleGRPC},
		{"ticker loop started from main", DefaultConfig(), "mail", RuntimeContainer, RuleLongRunning},
		{"routes only", DefaultConfig(), "orders", RuntimeFunction, RuleStateless},
		{"called synchronously, below the hot-path thresholds", DefaultConfig(), "catalog", RuntimeFunction, RuleStateless},
		{"called synchronously, above lowered thresholds", hot, "catalog", RuntimeStateful, RuleHotPath},
		{"large code", heavy, "orders", RuntimeContainer, RuleHeavyStartup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := summaryOf(build(t, tt.cfg), tt.context).Runtime
			if rt.Target != tt.target {
				t.Errorf("%s: target %s, want %s (%+v)", tt.context, rt.Target, tt.target, rt.Reasons)
			}
			if len(rt.Reasons) == 0 || rt.Reasons[0].Rule != tt.rule {
				t.Errorf("%s: reasons %+v, want %s first", tt.context, rt.Reasons, tt.rule)
			}
			for _, r := range rt.Reasons {
				if r.Detail == "" {
					t.Errorf("rule %s without detail", r.Rule)
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	p := build(t, DefaultConfig())
	orders := summaryOf(p, "orders")
	want := Size{Packages: 1, SplitPackages: 1, Decls: 6, Lines: 2400 + 23}
	if orders.Size != want {
		t.Errorf("orders size %+v, want %+v", orders.Size, want)
	}
	if orders.EntryPoints.Routes != 2 || orders.Coupling.OutboundSites != 9 || orders.Coupling.OutboundCalls != 5 || orders.Coupling.InboundSites != 0 {
		t.Errorf("orders entry points %+v coupling %+v", orders.EntryPoints, orders.Coupling)
	}
	mail := summaryOf(p, "mail")
	if mail.Coupling.InboundSites != 2 || mail.Coupling.InboundSync != 0 || mail.EntryPoints.Jobs != 1 || mail.EntryPoints.Timed != 1 {
		t.Errorf("mail %+v %+v", mail.Coupling, mail.EntryPoints)
	}
	if b := summaryOf(p, "billing"); b.Blockers != 1 || b.Warnings != 2 {
		t.Errorf("billing findings: %d blockers, %d warnings", b.Blockers, b.Warnings)
	}
}

func TestOrder(t *testing.T) {
	tests := []struct {
		name  string
		order OrderWeights
		want  string
	}{
		// auth and catalog tie at 6; auth has fewer lines
		{"defaults", DefaultRules().Order, "auth catalog orders billing mail"},
		{"only dependencies count", OrderWeights{Inbound: 1}, "orders auth billing mail catalog"},
		{"only blockers count", OrderWeights{Blocker: 1}, "catalog auth billing orders mail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Rules.Order = tt.order
			var got []string
			for _, s := range build(t, cfg).Steps {
				got = append(got, s.Context)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("order %v, want %s", got, tt.want)
			}
		})
	}
	p := build(t, DefaultConfig())
	if s := p.Steps[0]; s.Score != 6 || s.ScoreBasis != "1×1 inbound sites + 0.5×0 outbound sites + 5×1 blockers + 1×0 warnings = 6" {
		t.Errorf("step 1 score %v: %s", s.Score, s.ScoreBasis)
	}
	for i, s := range p.Steps {
		if s.Order != i+1 || summaryOf(p, s.Context).Step != s.Order {
			t.Errorf("step %d: order %d, summary says %d", i, s.Order, summaryOf(p, s.Context).Step)
		}
	}
}

// TestEveryContractOnce checks that each call between contexts becomes
// remote in exactly one step, with its position, weight and contract.
func TestEveryContractOnce(t *testing.T) {
	p := build(t, DefaultConfig())
	seen := map[[2]string]int{}
	for _, s := range p.Steps {
		for _, c := range s.RemoteCalls {
			seen[[2]string{c.Caller, c.Callee}]++
			if (c.Direction == "out") != (c.From == s.Context) || (c.Direction == "in") != (c.To == s.Context) {
				t.Errorf("step %d: %s → %s has direction %s", s.Order, c.From, c.To, c.Direction)
			}
			if c.Pos == "" || c.Sites == 0 {
				t.Errorf("step %d: %s → %s lacks its site", s.Order, c.Caller, c.Callee)
			}
		}
	}
	if len(seen) != len(p.Contracts) {
		t.Errorf("%d calls become remote over the steps, plan has %d contracts", len(seen), len(p.Contracts))
	}
	for _, c := range p.Contracts {
		if n := seen[[2]string{c.Caller, c.Callee}]; n != 1 {
			t.Errorf("%s → %s becomes remote %d times", c.Caller, c.Callee, n)
		}
	}
	for _, s := range p.Steps {
		for _, c := range s.RemoteCalls {
			want := ContractRequest
			if strings.HasSuffix(c.Callee, "mail.Send") {
				want = ContractEvent
			}
			if c.Contract != want {
				t.Errorf("%s → %s: contract %s, want %s", c.Caller, c.Callee, c.Contract, want)
			}
		}
	}
	last := p.Steps[len(p.Steps)-1]
	if len(last.RemoteCalls) != 0 || len(last.Repointed) == 0 || len(last.Remaining.Contexts) != 0 {
		t.Errorf("last step: %d remote calls, %d repointed, remaining %v", len(last.RemoteCalls), len(last.Repointed), last.Remaining.Contexts)
	}
}

func TestStepContents(t *testing.T) {
	p := build(t, DefaultConfig())
	steps := map[string]Step{}
	for _, s := range p.Steps {
		steps[s.Context] = s
	}
	tests := []struct {
		context      string
		tables       string // table:action ...
		risk, effort string
		externalise  int
		checks       []string // kinds that must be there
	}{
		{"auth", "", "medium", "S", 1, []string{"contract-test", "shadow-traffic", "multi-instance", "rollback"}},
		{"catalog", "products:move", "medium", "S", 0, []string{"contract-test", "shadow-traffic", "data"}},
		{"orders", "invoices:split orders:hand-over", "high", "M", 3, []string{"contract-test", "shadow-traffic", "data"}},
		{"billing", "invoices:split orders:read-through-owner", "high", "M", 3, []string{"shadow-traffic", "data"}},
		{"mail", "", "medium", "S", 2, []string{"shadow-traffic", "multi-instance"}},
	}
	for _, tt := range tests {
		t.Run(tt.context, func(t *testing.T) {
			s := steps[tt.context]
			var tables []string
			for _, x := range s.Tables {
				tables = append(tables, x.Table+":"+x.Action)
				if x.Detail == "" {
					t.Errorf("table %s without detail", x.Table)
				}
			}
			if got := strings.Join(tables, " "); got != tt.tables {
				t.Errorf("tables %q, want %q", got, tt.tables)
			}
			if s.Risk.Level != tt.risk || s.Effort.Level != tt.effort {
				t.Errorf("risk %+v effort %+v, want %s %s", s.Risk, s.Effort, tt.risk, tt.effort)
			}
			if s.Risk.Basis == "" || !strings.HasSuffix(s.Effort.Basis, " points") {
				t.Errorf("estimates without basis: %+v %+v", s.Risk, s.Effort)
			}
			if len(s.Externalise) != tt.externalise {
				t.Errorf("%d findings to externalise, want %d", len(s.Externalise), tt.externalise)
			}
			kinds := map[string]bool{}
			for _, c := range s.Verify {
				kinds[c.Kind] = true
			}
			for _, k := range tt.checks {
				if !kinds[k] {
					t.Errorf("no %s check in %+v", k, s.Verify)
				}
			}
			if s.Remaining.Note == "" {
				t.Error("no note on the remaining monolith")
			}
		})
	}
}

func TestCost(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Cost.Contexts = map[string]Rates{
		"orders": {RequestsPerMonth: 100_000_000, AvgDurationMS: 200},
		"ghost":  {RequestsPerMonth: 5},
	}
	c := build(t, cfg).Cost
	if c == nil || !strings.Contains(c.Note, "not a quote") {
		t.Fatalf("cost sketch %+v", c)
	}
	byName := map[string]ContextCost{}
	for _, x := range c.Contexts {
		byName[x.Context] = x
	}
	tests := []struct {
		context                 string
		payPerUse, alwaysOn     float64
		breakEven               int64
		cheaper                 string
		configured              bool
		requests                int64
		durationMS              float64
		memoryMB, instancesWant int
	}{
		// 1e6 × 0.1 s × 0.5 GB × 0.0000166667 + 1e6 / 1e6 × 0.20
		{"auth", 1.03, 60.74, 58776679, "pay-per-use", false, 1_000_000, 100, 512, 2},
		// 1e8 × 0.2 s × 0.5 GB × 0.0000166667 + 100 × 0.20
		{"orders", 186.67, 60.74, 32537085, "always-on", true, 100_000_000, 200, 512, 2},
	}
	for _, tt := range tests {
		x := byName[tt.context]
		if x.PayPerUse != tt.payPerUse || x.AlwaysOn != tt.alwaysOn || x.BreakEven != tt.breakEven || x.Cheaper != tt.cheaper || x.Configured != tt.configured {
			t.Errorf("%s: %+v", tt.context, x)
		}
		if x.RequestsPerMonth != tt.requests || x.AvgDurationMS != tt.durationMS || x.MemoryMB != tt.memoryMB || x.Instances != tt.instancesWant {
			t.Errorf("%s rates: %+v", tt.context, x)
		}
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "ghost") {
		t.Errorf("warnings %v", c.Warnings)
	}
	if c.AlwaysOn != 5*60.74 {
		t.Errorf("always-on total %v", c.AlwaysOn)
	}
}

// TestCostExtremes: the largest valid rates give finite amounts and a
// break-even that does not wrap to a negative count.
func TestCostExtremes(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Cost.RequestsPerMonth, cfg.Cost.AvgDurationMS, cfg.Cost.MemoryMB = math.MaxInt64, 1e9, math.MaxInt32
	cfg.Cost.PricePerGBSecond, cfg.Cost.InstancePricePerHour, cfg.Cost.Instances = 1e9, 1e9, math.MaxInt32
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, x := range build(t, cfg).Cost.Contexts {
		if math.IsInf(x.PayPerUse, 0) || math.IsInf(x.AlwaysOn, 0) || x.BreakEven < 0 {
			t.Errorf("%s: %+v", x.Context, x)
		}
	}
	// a request that costs next to nothing breaks even beyond int64
	cfg = DefaultConfig()
	cfg.Cost.PricePerMillionRequests, cfg.Cost.PricePerGBSecond, cfg.Cost.AvgDurationMS = 0, 1e-12, 1e-3
	cfg.Cost.InstancePricePerHour = 1e9
	for _, x := range build(t, cfg).Cost.Contexts {
		if x.BreakEven != math.MaxInt64 {
			t.Errorf("%s: break-even %d, want the largest int64", x.Context, x.BreakEven)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		err  string
	}{
		{"defaults", func(*Config) {}, ""},
		{"negative weight", func(c *Config) { c.Rules.Order.Blocker = -1 }, "order.blocker"},
		{"negative threshold", func(c *Config) { c.Rules.HotPathSites = -3 }, "hot_path_sites"},
		{"negative price", func(c *Config) { c.Cost.PricePerGBSecond = -1 }, "price_per_gb_second"},
		{"too many hours", func(c *Config) { c.Cost.HoursPerMonth = 800 }, "hours_per_month"},
		{"negative context rate", func(c *Config) {
			c.Cost.Contexts = map[string]Rates{"orders": {Instances: -1}}
		}, "contexts.orders.instances"},
		{"absurd price", func(c *Config) { c.Cost.PricePerGBSecond = 1e307 }, "price_per_gb_second: 1e+307 is more than 1e+09"},
		{"infinite price", func(c *Config) { c.Cost.InstancePricePerHour = math.Inf(1) }, "instance_price_per_hour: +Inf is not a number"},
		{"NaN duration", func(c *Config) { c.Cost.AvgDurationMS = math.NaN() }, "avg_duration_ms: NaN is not a number"},
		{"absurd context duration", func(c *Config) {
			c.Cost.Contexts = map[string]Rates{"orders": {AvgDurationMS: 1e300}}
		}, "contexts.orders.avg_duration_ms: 1e+300 is more than 1e+09"},
		{"NaN hours", func(c *Config) { c.Cost.HoursPerMonth = math.NaN() }, "hours_per_month: NaN is not a number"},
		{"absurd weight", func(c *Config) { c.Rules.Order.Inbound = 1e308 }, "order.inbound: 1e+308 is more than 1e+09"},
		{"NaN weight", func(c *Config) { c.Rules.Order.Warning = math.NaN() }, "order.warning: NaN is not a number"},
		{"share above 1", func(c *Config) { c.Rules.HotPathShare = 2 }, "hot_path_share: 2 is more than 1"},
		{"infinite share", func(c *Config) { c.Rules.HotPathShare = math.Inf(1) }, "hot_path_share: +Inf is not a number"},
		{"largest amounts", func(c *Config) {
			c.Cost.PricePerGBSecond, c.Cost.AvgDurationMS, c.Rules.Order.Blocker, c.Rules.HotPathShare = 1e9, 1e9, 1e9, 1
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			err := cfg.Validate()
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("Validate() = %v, want %q", err, tt.err)
			}
		})
	}
}

// TestConfigYAML decodes the documented example over the defaults.
func TestConfigYAML(t *testing.T) {
	var file struct {
		Migration Rules      `yaml:"migration"`
		Cost      CostConfig `yaml:"cost"`
	}
	d := DefaultConfig()
	file.Migration, file.Cost = d.Rules, d.Cost
	src := "migration:\n  hot_path_sites: 50\n  order: {blocker: 8}\ncost:\n  requests_per_month: 2e6\n  contexts:\n    checkout: {requests_per_month: 5000000, memory_mb: 1024}\n"
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		t.Fatal(err)
	}
	if file.Migration.HotPathSites != 50 || file.Migration.HotPathCallers != 3 || file.Migration.Order.Blocker != 8 || file.Migration.Order.Inbound != 1 {
		t.Errorf("rules %+v", file.Migration)
	}
	if file.Cost.RequestsPerMonth != 2_000_000 || file.Cost.Instances != 2 || file.Cost.Contexts["checkout"].MemoryMB != 1024 {
		t.Errorf("cost %+v", file.Cost)
	}
}

// TestCompute checks that a plan read back from yaml gives the same
// migration as the one built with the decomposition.
func TestCompute(t *testing.T) {
	m := fixture.Model()
	built := Build(m, fixture.Decomposition(), DefaultConfig())
	y, err := MarshalYAML(built)
	if err != nil {
		t.Fatal(err)
	}
	var back Plan
	if err := yaml.Unmarshal(y, &back); err != nil {
		t.Fatal(err)
	}
	back.Migrate(m, DefaultConfig())
	y2, err := MarshalYAML(&back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(y, y2) {
		t.Error("the migration of the plan read back differs")
	}
}

func TestMigrationGolden(t *testing.T) {
	p := build(t, DefaultConfig())
	var first []byte
	for i := 0; i < 3; i++ {
		y, err := MarshalYAML(&Plan{Schema: p.Schema, Module: p.Module, Summary: p.Summary, Steps: p.Steps, Cost: p.Cost})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = y
		} else if !bytes.Equal(first, y) {
			t.Fatal("the same input gives other bytes")
		}
		p = build(t, DefaultConfig())
	}
	golden.Check(t, filepath.Join("testdata", "migration.yaml"), first)
}
