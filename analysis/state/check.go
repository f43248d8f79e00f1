package state

import (
	"fmt"

	"decompose/analysis/checks"
	"decompose/analysis/model"
)

// Severity and Phase are the model's: a finding is ranked, and code is
// placed in the life of a process, in the same words everywhere.
type (
	Severity = model.Severity
	Phase    = model.Phase
)

// The severities, least severe first, and the phases.
const (
	Info    = model.SeverityInfo
	Warning = model.SeverityWarning
	Blocker = model.SeverityBlocker

	PhaseUnknown    = model.PhaseUnknown
	PhaseInit       = model.PhaseInit
	PhaseStartup    = model.PhaseStartup
	PhaseRequest    = model.PhaseRequest
	PhaseBackground = model.PhaseBackground
)

// A Check is a check's record (checks.Check: what it finds, why that
// matters to a stateless function, how its severity is decided, what
// replaces the state) with the rank that decides a finding's severity by
// that rule. The logic that finds it lives apart, in the file its doc
// comment names.
type Check struct {
	*checks.Check
	// rank computes the severity of a finding of this check, and the
	// reason for it, from the finding's facts and the phases of its
	// accesses.
	rank func(*Finding) (Severity, string)
}

// Rank computes the severity of f, and says why, by c's rule.
func (c *Check) Rank(f *Finding) (Severity, string) { return c.rank(f) }

// The checks: their documentation from package checks, their rank here.
var (
	// GlobalInitOnly: the logic is in globals.go.
	GlobalInitOnly = &Check{Check: checks.GlobalInitOnly, rank: func(*Finding) (Severity, string) { return Info, "read-only after initialisation" }}
	// GlobalSingleton: the logic is in globals.go.
	GlobalSingleton = &Check{Check: checks.GlobalSingleton, rank: rankSingleton}
	// GlobalMutable: the logic is in globals.go.
	GlobalMutable = &Check{Check: checks.GlobalMutable, rank: rankRuntime}
	// GlobalMutex: the logic is in globals.go.
	GlobalMutex = &Check{Check: checks.GlobalMutex, rank: rankLock}
	// FieldMutable: the logic is in fields.go.
	FieldMutable = &Check{Check: checks.FieldMutable, rank: rankRuntime}
	// CacheLibrary: the logic is in cache.go.
	CacheLibrary = &Check{Check: checks.CacheLibrary, rank: func(*Finding) (Severity, string) { return Warning, "per-instance cache, empty on every cold start" }}
	// Goroutine: the logic is in goroutine.go.
	Goroutine = &Check{Check: checks.Goroutine, rank: rankGoroutine}
	// Timer: the logic is in goroutine.go.
	Timer = &Check{Check: checks.Timer, rank: rankTimer}
	// FileWrite: the logic is in files.go.
	FileWrite = &Check{Check: checks.FileWrite, rank: rankFileWrite}
	// SQLTables: the logic is in sql.go and gorm.go.
	SQLTables = &Check{Check: checks.SQLTables, rank: func(*Finding) (Severity, string) { return Info, "data ownership" }}
	// SQLDynamic: the logic is in sql.go and gorm.go.
	SQLDynamic = &Check{Check: checks.SQLDynamic, rank: func(*Finding) (Severity, string) { return Info, "unknown tables" }}
	// SQLUnparsed: the logic is in sql.go.
	SQLUnparsed = &Check{Check: checks.SQLUnparsed, rank: func(*Finding) (Severity, string) { return Info, "unparsed SQL" }}
)

// Checks lists every check, in the order the documentation gives them.
var Checks = []*Check{
	GlobalInitOnly, GlobalSingleton, GlobalMutable, GlobalMutex, FieldMutable, CacheLibrary,
	Goroutine, Timer, FileWrite, SQLTables, SQLDynamic, SQLUnparsed,
}

// CheckByName returns the check with the given name, or nil.
func CheckByName(name string) *Check {
	for _, c := range Checks {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// latest returns the access of as whose phase is latest in the life of the
// process (background, request, unknown, start-up, init), or false if as
// is empty.
func latest(as []Access) (Access, bool) {
	order := map[Phase]int{PhaseInit: 0, PhaseStartup: 1, PhaseUnknown: 2, PhaseRequest: 3, PhaseBackground: 4}
	var best Access
	found := false
	for _, a := range as {
		if !found || order[a.Phase] > order[best.Phase] {
			best, found = a, true
		}
	}
	return best, found
}

// rankRuntime is the rule shared by state written at run time: it is as
// severe as the latest phase that writes it.
func rankRuntime(f *Finding) (Severity, string) {
	a, ok := latest(f.Writers)
	if !ok {
		return Info, "never written"
	}
	return phaseSeverity(a.Phase), fmt.Sprintf("written by %s (%s)", a.Decl, phaseWords(a.Phase))
}

func phaseSeverity(p Phase) Severity {
	switch p {
	case PhaseInit:
		return Info
	case PhaseRequest, PhaseBackground:
		return Blocker
	}
	return Warning
}

func phaseWords(p Phase) string {
	switch p {
	case PhaseInit:
		return "during initialisation"
	case PhaseStartup:
		return "at start-up"
	case PhaseRequest:
		return "on a request path"
	case PhaseBackground:
		return "in background work"
	}
	return "phase unknown: a blocker if it runs per request"
}

func rankSingleton(f *Finding) (Severity, string) {
	if f.Variant == VariantOnceValue {
		return Warning, "built once per instance through " + f.Detail
	}
	var unguarded []Access
	for _, w := range f.Writers {
		if !w.Once {
			unguarded = append(unguarded, w)
		}
	}
	if len(unguarded) == 0 {
		if a, ok := latest(f.Writers); ok {
			return capWarning(phaseSeverity(a.Phase)), fmt.Sprintf("set once per instance through sync.Once in %s", a.Decl)
		}
		return Info, "never written"
	}
	return rankRuntime(&Finding{Writers: unguarded})
}

func rankLock(f *Finding) (Severity, string) {
	a, ok := latest(f.Writers)
	if !ok || a.Phase == PhaseInit {
		return Info, "locked only during initialisation"
	}
	return Warning, fmt.Sprintf("locked by %s (%s)", a.Decl, phaseWords(a.Phase))
}

func rankGoroutine(f *Finding) (Severity, string) {
	switch f.Variant {
	case VariantServer:
		return Info, "serves requests itself; the platform's front end replaces it"
	case VariantLongLived:
		return Blocker, "loops or waits for events after its starter returns"
	}
	if f.Phase == PhaseRequest {
		// a function instance may be frozen or stopped as soon as the
		// response is sent: the work may never run
		return Blocker, "fire-and-forget on a request path: it outlives the request that started it"
	}
	return Warning, "fire-and-forget: nothing waits for it"
}

func rankTimer(f *Finding) (Severity, string) {
	switch f.Variant {
	case VariantTickerLoop:
		if f.Phase == PhaseRequest {
			return Warning, "a polling loop inside " + f.Decl + "; fine only if bounded by the request"
		}
		return Blocker, "periodic background work"
	case VariantTicker:
		if f.Phase == PhaseBackground || f.Phase == PhaseInit || f.Phase == PhaseStartup {
			return Blocker, "periodic background work"
		}
		return Warning, "periodic work inside " + f.Decl + "; fine only if bounded by the request"
	case VariantAfterFunc:
		if f.Phase == PhaseRequest || f.Phase == PhaseBackground {
			// the timer lives in one instance, which may be frozen or
			// gone when it fires
			return Blocker, "delayed work armed by " + f.Decl + " outlives the invocation that armed it"
		}
		return Warning, "delayed work after the caller returns"
	}
	return Info, "a timer; harmful only when it drives background work"
}

func rankFileWrite(f *Finding) (Severity, string) {
	if f.Variant == VariantTemp {
		return Info, "temporary file, used within one invocation"
	}
	return phaseSeverity(f.Phase), fmt.Sprintf("written by %s (%s)", f.Decl, phaseWords(f.Phase))
}

// capWarning is s, or Warning where s is a blocker.
func capWarning(s Severity) Severity {
	if s == Blocker {
		return Warning
	}
	return s
}
