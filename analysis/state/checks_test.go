package state

import (
	"fmt"
	"strings"
	"testing"

	"decompose/emit/golden"
)

// checksDoc renders the list of checks from their records.
func checksDoc() []byte {
	var b strings.Builder
	b.WriteString("# The state checks\n\n")
	b.WriteString("<!-- Generated from the Check records in check.go by `go test ./analysis/state -run TestChecksDoc -update`; do not edit. -->\n\n")
	b.WriteString("The checks of package `decompose/analysis/state`, in the order of `state.Checks`: what each finds, why that stands in the way of running the code as stateless functions, how its severity is decided and what replaces the state. ")
	b.WriteString("Severities depend on when the code runs (initialisation, start-up, a request path, background work, or unknown); the package documentation (`doc.go`) says how that is found.\n")
	md := strings.NewReplacer("*", `\*`).Replace
	for _, c := range Checks {
		fmt.Fprintf(&b, "\n## `%s`: %s\n\n", c.Name, md(c.Title))
		fmt.Fprintf(&b, "**Finds**: %s\n\n", md(c.Finds))
		fmt.Fprintf(&b, "**Why**: %s\n\n", md(c.Rationale))
		fmt.Fprintf(&b, "**Severity**: %s\n\n", md(c.SeverityRule))
		fmt.Fprintf(&b, "**Remedy**: %s.\n", md(strings.TrimSuffix(c.Remedy, ".")))
	}
	return []byte(b.String())
}

// TestChecksDoc: checks.md is what the records say.
func TestChecksDoc(t *testing.T) {
	golden.Check(t, "checks.md", checksDoc())
}

// TestChecksDocumented: every check has each part of its record.
func TestChecksDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Checks {
		if seen[c.Name] {
			t.Errorf("check %s listed twice", c.Name)
		}
		seen[c.Name] = true
		for field, text := range map[string]string{"Title": c.Title, "Finds": c.Finds, "Rationale": c.Rationale, "Remedy": c.Remedy, "SeverityRule": c.SeverityRule} {
			if strings.TrimSpace(text) == "" {
				t.Errorf("check %s has no %s", c.Name, field)
			}
		}
		if c.rank == nil {
			t.Errorf("check %s has no rank", c.Name)
		}
	}
}

// TestSeverityRules: each check's rank computes what its SeverityRule
// says, phase by phase; a row per claim of the rule.
func TestSeverityRules(t *testing.T) {
	w := func(p Phase) Access { return Access{Decl: "p.F", Phase: p} }
	once := func(p Phase) Access { return Access{Decl: "p.F", Phase: p, Once: true} }
	writes := func(as ...Access) *Finding { return &Finding{Writers: as} }
	site := func(variant string, p Phase) *Finding { return &Finding{Variant: variant, Phase: p, Decl: "p.F"} }
	tests := []struct {
		check *Check
		claim string
		f     *Finding
		want  Severity
	}{
		{GlobalInitOnly, "always info", writes(w(PhaseRequest)), Info},

		{GlobalSingleton, "info if every write runs during initialisation", writes(w(PhaseInit)), Info},
		{GlobalSingleton, "warning if written only at start-up", writes(w(PhaseStartup)), Warning},
		{GlobalSingleton, "warning through sync.Once", writes(once(PhaseRequest)), Warning},
		{GlobalSingleton, "warning through sync.OnceValue", &Finding{Variant: VariantOnceValue, Writers: []Access{w(PhaseInit)}}, Warning},
		{GlobalSingleton, "warning by code whose phase is unknown", writes(w(PhaseUnknown)), Warning},
		{GlobalSingleton, "blocker if assigned on a request path without sync.Once", writes(w(PhaseRequest)), Blocker},
		{GlobalSingleton, "blocker if assigned in background work without sync.Once", writes(w(PhaseBackground)), Blocker},
		{GlobalSingleton, "not a blocker in background work through sync.Once", writes(once(PhaseBackground)), Warning},

		{GlobalMutable, "info if every write runs during initialisation", writes(w(PhaseInit)), Info},
		{GlobalMutable, "warning if written only at start-up", writes(w(PhaseStartup)), Warning},
		{GlobalMutable, "warning by code whose phase is unknown", writes(w(PhaseUnknown)), Warning},
		{GlobalMutable, "blocker if written on a request path", writes(w(PhaseInit), w(PhaseRequest)), Blocker},
		{GlobalMutable, "blocker if written in background work", writes(w(PhaseBackground)), Blocker},

		{GlobalMutex, "info if the lock is taken only during initialisation", writes(w(PhaseInit)), Info},
		{GlobalMutex, "warning if the lock is taken after initialisation", writes(w(PhaseRequest)), Warning},

		{FieldMutable, "info if every write runs during initialisation", writes(w(PhaseInit)), Info},
		{FieldMutable, "warning if written only at start-up", writes(w(PhaseStartup)), Warning},
		{FieldMutable, "warning by methods whose phase is unknown", writes(w(PhaseUnknown)), Warning},
		{FieldMutable, "blocker on a request path", writes(w(PhaseRequest)), Blocker},
		{FieldMutable, "blocker in background work", writes(w(PhaseBackground)), Blocker},

		{CacheLibrary, "warning", writes(w(PhaseRequest)), Warning},

		{Goroutine, "blocker if it loops or waits for events", site(VariantLongLived, PhaseStartup), Blocker},
		{Goroutine, "blocker for fire-and-forget work started on a request path", site(VariantOneShot, PhaseRequest), Blocker},
		{Goroutine, "warning for fire-and-forget work elsewhere", site(VariantOneShot, PhaseBackground), Warning},
		{Goroutine, "warning for fire-and-forget work of unknown phase", site(VariantOneShot, PhaseUnknown), Warning},
		{Goroutine, "info for a server loop", site(VariantServer, PhaseStartup), Info},

		{Timer, "ticks received in a loop: blocker", site(VariantTickerLoop, PhaseBackground), Blocker},
		{Timer, "ticks received in a loop: blocker at start-up", site(VariantTickerLoop, PhaseStartup), Blocker},
		{Timer, "ticks received in a loop on a request path: warning", site(VariantTickerLoop, PhaseRequest), Warning},
		{Timer, "other tickers: blocker in background work", site(VariantTicker, PhaseBackground), Blocker},
		{Timer, "other tickers: blocker in initialisation", site(VariantTicker, PhaseInit), Blocker},
		{Timer, "other tickers: blocker in start-up code", site(VariantTicker, PhaseStartup), Blocker},
		{Timer, "other tickers: warning on a request path", site(VariantTicker, PhaseRequest), Warning},
		{Timer, "other tickers: warning of unknown phase", site(VariantTicker, PhaseUnknown), Warning},
		{Timer, "AfterFunc: blocker on a request path", site(VariantAfterFunc, PhaseRequest), Blocker},
		{Timer, "AfterFunc: blocker in background work", site(VariantAfterFunc, PhaseBackground), Blocker},
		{Timer, "AfterFunc: warning otherwise", site(VariantAfterFunc, PhaseStartup), Warning},
		{Timer, "NewTimer: info", site(VariantTimer, PhaseRequest), Info},

		{FileWrite, "info for temporary files", site(VariantTemp, PhaseRequest), Info},
		{FileWrite, "info for writes during initialisation", site(VariantPersist, PhaseInit), Info},
		{FileWrite, "warning at start-up", site(VariantPersist, PhaseStartup), Warning},
		{FileWrite, "warning of unknown phase", site(VariantPersist, PhaseUnknown), Warning},
		{FileWrite, "blocker on a request path", site(VariantPersist, PhaseRequest), Blocker},
		{FileWrite, "blocker in background work", site(VariantPersist, PhaseBackground), Blocker},

		{SQLTables, "info", site("", PhaseRequest), Info},
		{SQLDynamic, "info", site("", PhaseRequest), Info},
		{SQLUnparsed, "info", site("", PhaseRequest), Info},
	}
	for _, tt := range tests {
		if got, _ := tt.check.Rank(tt.f); got != tt.want {
			t.Errorf("%s, %q: %s, want %s", tt.check.Name, tt.claim, got, tt.want)
		}
	}
}
