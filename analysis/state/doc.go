// Package state finds the in-process state that stands in the way of
// running a Go program as stateless functions, and the database tables
// each function reads and writes.
//
// A serverless function keeps nothing between invocations and runs as
// many instances at once: whatever a request leaves in memory or on the
// local disk is gone at the next cold start and invisible to the other
// instances. The checks below find that state from the SSA form of the
// code, by how it is written and read (stores, map updates, appends,
// method calls), never by names; names only colour the wording of
// messages and remedies.
//
// # Drivers
//
// [Inspect] works on one *ssa.Package built by any driver: the tool's
// whole-program loader (which builds SSA once, with
// ssa.InstantiateGenerics), golang.org/x/tools/go/ssa/ssautil, or the
// buildssa pass. It never loads anything and needs no bodies for imported
// packages. [Analyzer] wraps it as a golang.org/x/tools/go/analysis
// analyzer, so that go vet -vettool, gopls and golangci-lint can run it;
// cmd/decompose-vet is that analyzer as a command.
//
// # Phases and severity
//
// Most severities depend on when the code that writes the state runs: a
// variable written during package initialisation is rebuilt on every cold
// start (info), one written by start-up code reached from main is a
// singleton built once per instance (warning), one written while serving
// requests or by background work holds state between requests (blocker).
// That is a [Phase].
//
// Per package, Inspect estimates phases from the package alone: package
// initialisers and init functions run during initialisation; main runs at
// start-up; functions with a request handler's parameters (net/http's
// ResponseWriter and *Request, gin's *Context, echo's Context, fiber's
// *Ctx, fasthttp's *RequestCtx) run while serving; goroutine bodies run in
// the background. Callees inherit their callers' phases through static
// calls. Exported
// functions, methods, and functions used as values may run at any time:
// their phase is unknown and their findings are warnings that say "a
// blocker if it runs per request".
//
// The whole-program stage knows better: it passes its own phases, derived
// from reachability from the entry points, either as [Options].Phase or
// afterwards to [Resolve], which recomputes every severity by the rule of
// its check; where it answers PhaseUnknown the estimate stands. Each [Finding] keeps the facts the rules need: the accesses
// with the functions that make them, and the site's function.
//
// # Who owns what
//
// A finding about an object lists its Writers and Readers: the function
// whose code makes each access (a *ssa.Function, closures included), the
// model's declaration ID it belongs to ("pkg.Func", "pkg.Type.Method",
// "pkg.init"; closures belong to their enclosing declaration and
// package-level initialisers to their variable), the position and the
// kind of access. [Finding.WriterDecls] and [Finding.ReaderDecls] list the
// declarations. Mapping those to contexts gives "written by one context and
// read by another". For data ownership, findings of the sql-tables check
// carry the tables a call reads and writes; [TablesByFunc] and
// [TablesByDecl] gather them per function and per declaration.
//
// # Checks
//
// Each check is declared once, as a [Check] value in check.go, listed in
// [Checks]: what it finds, why that blocks stateless execution, how its
// severity is decided and what replaces the state. Its findings take
// their title, why and default remedy from that record, the SARIF rules
// their descriptions, and checks.md, the list of checks beside this file,
// its text (go test -run TestChecksDoc -update rewrites it). The logic of
// each check lives in the file its doc comment names; a test holds each
// rank to the words of its severity rule.
//
// # Limits
//
// Accesses are found through selections, indexing, loads and closure
// captures of one function; state reached through a pointer that was
// passed to another package, stored in an interface or returned is not
// followed. A GORM model's TableName method is read only when its body
// was built (a model of another package, under a per-package driver,
// counts as unknown). Inspect sees the accesses of one package; [InspectProgram]
// adds those that other packages make to its variables. Phases are
// estimates until the whole-program stage resolves them.
package state
