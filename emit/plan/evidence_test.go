package plan

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestBreakEven checks the arithmetic of the observed cost: requests from
// the traffic, the CPU time per request as the billed duration, and
// enough instances for the observed CPU.
func TestBreakEven(t *testing.T) {
	cfg := DefaultCostConfig()
	base, _ := cfg.rates("catalog")
	for _, tc := range []struct {
		name                string
		rps, cpuMS          float64
		hasCPU              bool
		wantMonth           int64
		wantMS              float64
		wantInstances       int
		wantBreakEven       int64
		wantPay, wantAlways float64
	}{
		// 200/s at 2 ms: 525.6 M a month; a request costs 0.002 s × 0.5 GB
		// × 0.0000166667 + 0.2/1e6 = 2.1666670e-7; two instances cost
		// 2 × 730 × 0.0416 = 60.736: break-even 280,319,957
		{"busy", 200, 2, true, 525_600_000, 2, 2, 280_319_957, 113.88, 60.74},
		// 10 cores of CPU need 5 two-vCPU instances
		{"very busy", 2000, 5, true, 5_256_000_000, 5, 5, 0, 0, 151.84},
		// no CPU seen: only the request fee, 0.2 per million
		{"idle", 10, 0, true, 26_280_000, 0, 2, 303_680_000, 5.26, 60.74},
		// traffic without a profile keeps the configured duration
		{"no profile", 10, 0, false, 26_280_000, 100, 2, 58_776_679, 27.16, 60.74},
	} {
		ob := &observation{hasCPU: tc.hasCPU, hasRate: true}
		ob.RequestsPerSecond = tc.rps
		ob.RequestsPerMonth = int64(math.Round(tc.rps * 730 * 3600))
		ob.CPUMSPerRequest = tc.cpuMS
		r, ok := observedRates(base, ob, cfg)
		if !ok || r.RequestsPerMonth != tc.wantMonth || r.AvgDurationMS != tc.wantMS || r.Instances != tc.wantInstances {
			t.Errorf("%s: rates %+v", tc.name, r)
		}
		pay, on, be := prices(r, cfg)
		if tc.wantBreakEven != 0 && be != tc.wantBreakEven {
			t.Errorf("%s: break-even %d, want %d", tc.name, be, tc.wantBreakEven)
		}
		if tc.wantPay != 0 && round2(pay) != tc.wantPay || round2(on) != tc.wantAlways {
			t.Errorf("%s: pay-per-use %.2f, always-on %.2f", tc.name, pay, on)
		}
	}
	if r, ok := observedRates(base, &observation{}, cfg); ok || r != base {
		t.Errorf("without traffic the rates change: %+v", r)
	}
}

// TestEvidenceRules checks the observed hot path and the break-even rule.
func TestEvidenceRules(t *testing.T) {
	rules, cost := DefaultRules(), DefaultCostConfig()
	for _, tc := range []struct {
		name  string
		ob    observation
		want  []string // rule → target
		words string
	}{
		{"hot, no target", observation{ContextObserved: ContextObserved{CPUShare: 0.6, CPUSeconds: 3, ColdStart: ColdStart{EstimateMS: 300}}, hasCPU: true},
			[]string{"hot-path→stateful"}, "no latency target"},
		{"hot, tight target", observation{ContextObserved: ContextObserved{CPUShare: 0.6, P99TargetMS: 150, ColdStart: ColdStart{EstimateMS: 300}}, hasCPU: true},
			[]string{"hot-path→stateful"}, "p99 target of 150 ms"},
		{"hot, loose target", observation{ContextObserved: ContextObserved{CPUShare: 0.6, P99TargetMS: 2000, ColdStart: ColdStart{EstimateMS: 300}}, hasCPU: true},
			nil, ""},
		{"cool", observation{ContextObserved: ContextObserved{CPUShare: 0.1}, hasCPU: true}, nil, ""},
		{"past break-even", observation{ContextObserved: ContextObserved{CPUShare: 0.1, RequestsPerSecond: 200, RequestsPerMonth: 525_600_000, CPUMSPerRequest: 2}, hasCPU: true, hasRate: true},
			[]string{"break-even→stateful"}, "1.875× the break-even of 280,319,957 (107/s) at 2 ms of CPU a request"},
		{"below break-even", observation{ContextObserved: ContextObserved{CPUShare: 0.1, RequestsPerSecond: 10, RequestsPerMonth: 26_280_000, CPUMSPerRequest: 2}, hasCPU: true, hasRate: true},
			[]string{"break-even→function"}, "9% of the break-even"},
	} {
		c := &ctxInfo{name: "catalog", obs: tc.ob}
		var got []string
		var details string
		evidenceReasons(&input{}, c, rules, cost, func(rule, target, format string, args ...any) {
			got = append(got, rule+"→"+target)
			details += fmt.Sprintf(format, args...)
		})
		if strings.Join(got, " ") != strings.Join(tc.want, " ") || !strings.Contains(details, tc.words) {
			t.Errorf("%s: %q %q", tc.name, got, details)
		}
	}
}
