package plan

import (
	"fmt"
	"math"
	"sort"
)

// CostNote heads every cost sketch.
const CostNote = "A sketch from the rates and list prices below, not a quote: prices change and differ by provider and region, " +
	"and it leaves out free tiers, data transfer, storage, the managed services that replace in-process state, " +
	"and provisioned concurrency or minimum instances. Set your load and prices under the cost key of decompose.yaml."

// costSketch prices each context both ways:
//
//	pay_per_use = requests × (avg_duration_ms / 1000) × (memory_mb / 1024) × price_per_gb_second
//	            + requests / 1e6 × price_per_million_requests
//	always_on   = instances × hours_per_month × instance_price_per_hour
//	break_even  = always_on / (pay_per_use / requests)
//
// With a traffic file, a context's requests are those of its entry points
// there; with a profile too, avg_duration_ms is its CPU time per request
// (a lower bound of the billed time) and instances are at least enough
// for its observed CPU (vcpus_per_instance each).
//
// Amounts are rounded to cents, break-even to whole requests.
func costSketch(in *input, runtimes map[string]Runtime, cfg CostConfig) *CostSketch {
	s := &CostSketch{
		Note: CostNote,
		Assumptions: CostAssumptions{
			Currency: cfg.Currency, RequestsPerMonth: cfg.RequestsPerMonth, AvgDurationMS: cfg.AvgDurationMS,
			MemoryMB: cfg.MemoryMB, PricePerGBSecond: cfg.PricePerGBSecond, PricePerMillionRequests: cfg.PricePerMillionRequests,
			InstancePricePerHour: cfg.InstancePricePerHour, Instances: cfg.Instances, HoursPerMonth: cfg.HoursPerMonth,
		},
		Contexts: []ContextCost{},
	}
	var payTotal, onTotal float64
	for _, c := range in.contexts {
		r, own := cfg.rates(c.name)
		r, observed := observedRates(r, &c.obs, cfg)
		pay, on, breakEven := prices(r, cfg)
		cc := ContextCost{
			Context: c.name, Runtime: runtimes[c.name].Target,
			RequestsPerMonth: r.RequestsPerMonth, AvgDurationMS: r.AvgDurationMS, MemoryMB: r.MemoryMB, Instances: r.Instances,
			Configured: own, PayPerUse: round2(pay), AlwaysOn: round2(on), BreakEven: breakEven,
		}
		if observed {
			cc.Observed = true
			cc.RequestsPerSecond = c.obs.RequestsPerSecond
			cc.BreakEvenPerSecond = round3(perSecond(breakEven))
			if c.obs.hasCPU {
				s.Assumptions.VCPUsPerInstance = cfg.VCPUsPerInstance
			}
		}
		switch {
		case cc.PayPerUse < cc.AlwaysOn:
			cc.Cheaper = "pay-per-use"
		case cc.PayPerUse > cc.AlwaysOn:
			cc.Cheaper = "always-on"
		default:
			cc.Cheaper = "equal"
		}
		payTotal += cc.PayPerUse
		onTotal += cc.AlwaysOn
		s.Contexts = append(s.Contexts, cc)
	}
	s.PayPerUse, s.AlwaysOn = round2(payTotal), round2(onTotal)
	var unknown []string
	for name := range cfg.Contexts {
		if in.byName[name] == nil {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		s.Warnings = append(s.Warnings, fmt.Sprintf("cost.contexts.%s names no context of this plan: its rates are not used", name))
	}
	return s
}

// prices returns the monthly pay-per-use and always-on costs of one
// context's rates, and the request count at which they are equal (0 when
// a request costs nothing).
func prices(r Rates, cfg CostConfig) (pay, on float64, breakEven int64) {
	perRequest := r.AvgDurationMS/1000*float64(r.MemoryMB)/1024*cfg.PricePerGBSecond + cfg.PricePerMillionRequests/1e6
	pay = float64(r.RequestsPerMonth) * perRequest
	on = float64(r.Instances) * cfg.HoursPerMonth * cfg.InstancePricePerHour
	if perRequest > 0 {
		// a nearly free request breaks even beyond what int64 holds;
		// converting that (2⁶³ and up) would wrap to a negative count
		breakEven = math.MaxInt64
		if be := math.Round(on / perRequest); be < math.MaxInt64 {
			breakEven = int64(be)
		}
	}
	return pay, on, breakEven
}

func round2(x float64) float64 {
	return math.Round(x*100) / 100
}
