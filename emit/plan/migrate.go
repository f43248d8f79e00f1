package plan

import (
	"sort"

	"decompose/analysis/model"
)

// Migrate computes the plan's migration keys (summary, cycles, steps and
// cost) from its contexts, findings, contracts and data ownership and the
// model it was made from: Build calls it, and a plan edited or read back
// from yaml can be migrated again.
func (p *Plan) Migrate(m *model.Model, cfg Config) {
	p.migrate(m, p.Locator(m), cfg)
}

func (p *Plan) migrate(m *model.Model, locate func(string) string, cfg Config) {
	in := gather(m, p, locate)
	in.cycles = findCycles(in)
	p.Summary = nil
	p.Cycles = in.cycles.list
	p.Observed = observe(in, m, locate, cfg.Measured, cfg.Rules)
	in.observedCPU = cfg.Measured.cpu() != nil
	runtimes := make(map[string]Runtime, len(in.contexts))
	for _, c := range in.contexts {
		runtimes[c.name] = runtimeOf(in, c, cfg.Rules, cfg.Cost)
	}
	p.Steps = steps(in, runtimes, cfg.Rules.Order)
	stepOf := map[string]int{}
	for _, s := range p.Steps {
		stepOf[s.Context] = s.Order
	}
	for _, c := range in.contexts {
		p.Summary = append(p.Summary, ContextSummary{
			Context:     c.name,
			Size:        Size{Packages: len(c.plan.Packages), SplitPackages: len(c.plan.Members), Decls: c.decls, Lines: c.lines},
			EntryPoints: c.entries,
			Coupling:    in.coupling(c.name),
			Blockers:    len(c.blockers),
			Warnings:    len(c.warnings),
			Runtime:     runtimes[c.name],
			Step:        stepOf[c.name],
		})
	}
	p.Cost = costSketch(in, runtimes, cfg.Cost)
}

// input is what every part of the migration reads, gathered once.
type input struct {
	plan     *Plan
	contexts []*ctxInfo
	byName   map[string]*ctxInfo
	// the kernel's packages (whole and split), lines and entry points,
	// which stay until the end
	kernelPkgs                 []string
	kernelLines, kernelEntries int
	// variant of each model finding, by check, position and object
	variant map[[3]string]string
	// syncSites counts the synchronous call sites between contexts
	syncSites int
	cycles    *cycleSet
	// observedCPU is set when a profile decides the hot path
	observedCPU bool
}

// ctxInfo is one context's facts.
type ctxInfo struct {
	name                      string
	plan                      *Context
	decls, lines              int
	entries                   EntryCounts
	blockers, warnings, infos []*Finding
	writesTable               bool
	contractsIn, contractsOut []*Contract
	obs                       observation
}

func gather(m *model.Model, p *Plan, locate func(string) string) *input {
	in := &input{plan: p, byName: map[string]*ctxInfo{}, variant: map[[3]string]string{}}
	for i := range p.Contexts {
		c := &ctxInfo{name: p.Contexts[i].Name, plan: &p.Contexts[i]}
		in.contexts = append(in.contexts, c)
		in.byName[c.name] = c
	}
	pkgLines := map[string]int{}
	for _, pk := range m.Packages {
		pkgLines[pk.Path] = pk.Lines
	}
	whole := map[string]string{} // package → context holding it wholly
	for _, c := range in.contexts {
		for _, pk := range c.plan.Packages {
			whole[pk] = c.name
			c.lines += pkgLines[pk]
		}
	}
	for _, pk := range p.SharedKernel {
		whole[pk] = model.Kernel
		in.kernelLines += pkgLines[pk]
		in.kernelPkgs = append(in.kernelPkgs, pk)
	}
	for _, mem := range p.Kernel.Members {
		in.kernelPkgs = append(in.kernelPkgs, mem.Package)
	}
	for _, d := range m.Decls {
		ctx := locate(d.ID)
		if ctx == model.Kernel {
			if _, ok := whole[d.Package]; !ok {
				in.kernelLines += d.Lines
			}
			continue
		}
		c := in.byName[ctx]
		if c == nil {
			continue
		}
		c.decls++
		if whole[d.Package] != ctx {
			c.lines += d.Lines
		}
	}
	placed := 0
	for _, c := range in.contexts {
		for _, e := range c.plan.EntryPoints {
			placed++
			switch model.EntryKind(e.Kind) {
			case model.EntryHTTP:
				c.entries.Routes++
			case model.EntryGRPC:
				c.entries.RPC++
			case model.EntryConsumer:
				c.entries.Consumers++
			case model.EntryBackground:
				c.entries.Jobs++
				if e.Ticker {
					c.entries.Timed++
				}
			default:
				c.entries.Other++
			}
		}
	}
	in.kernelEntries = len(m.EntryPoints) - placed
	if in.kernelEntries < 0 {
		in.kernelEntries = 0
	}
	for _, f := range m.Findings {
		if f.Variant != "" {
			in.variant[[3]string{f.Check, f.Pos, f.Object}] = f.Variant
		}
	}
	for i := range p.Findings {
		f := &p.Findings[i]
		for _, name := range f.Contexts {
			c := in.byName[name]
			if c == nil {
				continue
			}
			switch model.Severity(f.Severity) {
			case model.SeverityBlocker:
				c.blockers = append(c.blockers, f)
			case model.SeverityWarning:
				c.warnings = append(c.warnings, f)
			default:
				c.infos = append(c.infos, f)
			}
		}
	}
	for _, t := range p.DataOwnership {
		for name, mark := range t.Access {
			if c := in.byName[name]; c != nil && containsW(mark) {
				c.writesTable = true
			}
		}
	}
	for i := range p.Contracts {
		k := &p.Contracts[i]
		in.syncSites += k.Sites - k.Async
		if c := in.byName[k.From]; c != nil {
			c.contractsOut = append(c.contractsOut, k)
		}
		if c := in.byName[k.To]; c != nil {
			c.contractsIn = append(c.contractsIn, k)
		}
	}
	return in
}

func containsW(mark string) bool {
	for _, r := range mark {
		if r == 'w' {
			return true
		}
	}
	return false
}

// variantOf is the model's variant of a plan finding ("" for the table
// findings the plan adds).
func (in *input) variantOf(f *Finding) string {
	return in.variant[[3]string{f.Check, f.Pos, f.Object}]
}

// coupling sums a context's calls with the other contexts.
func (in *input) coupling(name string) Coupling {
	c := in.byName[name]
	var out Coupling
	callers, callees := map[string]bool{}, map[string]bool{}
	for _, k := range c.contractsIn {
		out.InboundSites += k.Sites
		out.InboundCalls++
		out.InboundSync += k.Sites - k.Async
		callers[k.From] = true
	}
	for _, k := range c.contractsOut {
		out.OutboundSites += k.Sites
		out.OutboundCalls++
		callees[k.To] = true
	}
	out.Callers, out.Callees = sortedSet(callers), sortedSet(callees)
	return out
}

func sortedSet(s map[string]bool) []string {
	if len(s) == 0 {
		return nil
	}
	out := make([]string, 0, len(s))
	for x := range s {
		out = append(out, x)
	}
	sort.Strings(out)
	return out
}
