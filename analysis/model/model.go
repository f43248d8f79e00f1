package model

import (
	"cmp"
	"fmt"
	"strings"
)

// ModelSchema names the version of the JSON form of Model. It changes when a
// field changes meaning or disappears; new fields may appear within a version.
const ModelSchema = "decompose/model/v1"

// Model is the dependency model of the analyzed program: its units
// (packages and their top-level declarations), the weighted edges between
// them, and its entry points. It is plain data: later stages (clustering,
// findings, emitters) read it and never see go/types or SSA, so they can be
// tested with hand-built models.
//
// Every slice is sorted by a stable key, so that the same program gives the
// same Model byte for byte once encoded.
type Model struct {
	Schema string `json:"schema"`
	// Root is the directory positions are relative to: the workspace or
	// module root of the analyzed code, as an absolute path. It is not
	// part of the JSON form, which must not depend on where the code lies.
	Root string `json:"-"`
	// Modules are the main modules whose packages were analyzed.
	Modules []Module `json:"modules"`
	// Algorithm is the call-graph algorithm that found the dynamic calls.
	Algorithm   string       `json:"algorithm"`
	Packages    []Package    `json:"packages"`
	Decls       []Decl       `json:"decls"`
	Edges       []Edge       `json:"edges"`
	EntryPoints []EntryPoint `json:"entry_points"`
	// Findings are the in-process state that blocks stateless execution,
	// and the database access, found in the analyzed code.
	Findings []Finding `json:"findings"`
	// Tables are the database tables each declaration reads and writes.
	Tables []TableAccess `json:"tables,omitempty"`
	// Errors are the problems found while loading: packages that did not
	// parse or type-check are still listed, with what could be read of them.
	Errors []LoadError `json:"errors,omitempty"`
}

// Module is a main module of the analyzed program.
type Module struct {
	Path string `json:"path"`
	// Dir is the module's directory relative to Model.Root ("." for the root).
	Dir       string `json:"dir"`
	GoVersion string `json:"go_version,omitempty"`
}

// Package is an analyzed package.
type Package struct {
	Path   string `json:"path"`
	Name   string `json:"name"`
	Module string `json:"module,omitempty"`
	// Dir is relative to Model.Root.
	Dir   string `json:"dir"`
	Files []File `json:"files"`
	// Lines counts the lines of the package's files; GeneratedLines those of
	// its generated files.
	Lines          int `json:"lines"`
	GeneratedLines int `json:"generated_lines,omitempty"`
	// Imports are the import paths of every package it imports, analyzed
	// or not, sorted.
	Imports []string `json:"imports,omitempty"`
	// Broken is set when the package did not type-check: its declarations
	// are listed, but edges inside it may be missing.
	Broken bool `json:"broken,omitempty"`
}

// File is one source file of a package.
type File struct {
	// Path is relative to Model.Root, with forward slashes.
	Path  string `json:"path"`
	Lines int    `json:"lines"`
	// Generated marks files with the standard "Code generated ... DO NOT
	// EDIT." header; later stages weigh them down.
	Generated bool `json:"generated,omitempty"`
}

// DeclKind says what a declaration declares.
type DeclKind string

// The kinds of declarations.
const (
	KindFunc   DeclKind = "func"
	KindMethod DeclKind = "method"
	KindType   DeclKind = "type"
	KindVar    DeclKind = "var"
	KindConst  DeclKind = "const"
)

// Decl is a top-level declaration: the unit of declaration-level analysis.
//
// IDs are "pkgpath.Name" for functions, types, variables and constants, and
// "pkgpath.Type.Method" for methods. All init functions of a package share the
// unit "pkgpath.init". Code in function literals belongs to the declaration
// that encloses it, and code in package-level variable initialisers to the
// variable.
type Decl struct {
	ID      string   `json:"id"`
	Package string   `json:"package"`
	Name    string   `json:"name"`
	Kind    DeclKind `json:"kind"`
	// Recv is the receiver's type name, for methods.
	Recv string `json:"recv,omitempty"`
	// Pos is "file:line:col", relative to Model.Root.
	Pos       string `json:"pos"`
	Lines     int    `json:"lines"`
	Exported  bool   `json:"exported,omitempty"`
	Generated bool   `json:"generated,omitempty"`
	// Interface marks interface types.
	Interface bool `json:"interface,omitempty"`
	// Signature is a function's or method's type, without the receiver,
	// with types qualified by package name ("func(ctx context.Context,
	// id int64) (orders.Order, error)"): what a remote contract must
	// carry.
	Signature string `json:"signature,omitempty"`
}

// EdgeKind says why one unit depends on another.
type EdgeKind string

// The kinds of edges.
const (
	// EdgeCall is a call whose callee is known statically.
	EdgeCall EdgeKind = "call"
	// EdgeDynamicCall is a call through an interface or a function value,
	// resolved by the call-graph algorithm.
	EdgeDynamicCall EdgeKind = "dynamic-call"
	// EdgeRef is a reference to a function, method or constant that is not
	// a call: a handler passed to a router, a callback stored in a struct.
	EdgeRef EdgeKind = "ref"
	// EdgeTypeRef is a use of a type: in fields, parameters, embedding,
	// conversions, composite literals, declarations.
	EdgeTypeRef EdgeKind = "type-ref"
	// EdgeImplements goes from a concrete type to an interface it satisfies.
	EdgeImplements EdgeKind = "implements"
	// EdgeRead and EdgeWrite are accesses to package-level variables. A call
	// of a method on a variable's address (mu.Lock(), once.Do) and an update
	// of a map held in a variable count as writes.
	EdgeRead  EdgeKind = "read"
	EdgeWrite EdgeKind = "write"
)

// EdgeKinds lists every kind, in the order summaries show them.
var EdgeKinds = []EdgeKind{EdgeCall, EdgeDynamicCall, EdgeRef, EdgeTypeRef, EdgeImplements, EdgeRead, EdgeWrite}

// Edge is a weighted dependency between two declarations of analyzed
// packages. Weight counts the sites; Pos is the first site.
type Edge struct {
	From   string   `json:"from"`
	To     string   `json:"to"`
	Kind   EdgeKind `json:"kind"`
	Weight int      `json:"weight"`
	// Async counts the call sites that do not wait for an outcome: calls
	// in a go statement, or whose results are all discarded. A call edge
	// with every site async can become an event or a queue message.
	Async int    `json:"async,omitempty"`
	Pos   string `json:"pos"`
}

// EntryKind says how control enters the program at an entry point.
type EntryKind string

// The kinds of entry points.
const (
	EntryMain     EntryKind = "main"
	EntryInit     EntryKind = "init"
	EntryHTTP     EntryKind = "http"
	EntryGRPC     EntryKind = "grpc"
	EntryConsumer EntryKind = "consumer"
	// EntryBackground is a goroutine started by the program itself; Ticker
	// marks one that runs on a timer.
	EntryBackground EntryKind = "background"
)

// EntryPoint is a place where control enters the program's own code from
// outside it: a main function, an HTTP route, a gRPC service, a message
// consumer, a background loop.
type EntryPoint struct {
	Kind EntryKind `json:"kind"`
	// Decl is the unit that handles it (a function, or a method's ID).
	// It is empty when the handler is not the analyzed code's own (a
	// file server from the standard library, say).
	Decl    string `json:"decl,omitempty"`
	Package string `json:"package"`
	// Framework is the library it was registered with: "net/http", "chi",
	// "gorilla/mux", "gin", "echo", "fiber", "grpc", ...
	Framework string `json:"framework,omitempty"`
	// Method and Route are the HTTP method ("" for any) and path pattern;
	// for gRPC, Route is the service name.
	Method string `json:"method,omitempty"`
	Route  string `json:"route,omitempty"`
	// Ticker marks background work driven by a ticker or timer.
	Ticker bool `json:"ticker,omitempty"`
	// Once marks timed background work that runs once after a delay
	// (time.AfterFunc, or a goroutine whose timer fires once), not on a
	// period: a delayed one-off, not a schedule.
	Once bool `json:"once,omitempty"`
	// Args are, for work run once after a delay, the values its function
	// captured ("orderID int64"), which a delayed message must carry.
	// Pointers, interfaces, functions and channels (the services it calls,
	// not data) are left out.
	Args []string `json:"args,omitempty"`
	// Pos is where it is registered or started.
	Pos string `json:"pos"`
}

// CompareEntryPoints is the order of Model.EntryPoints: by kind, route,
// method, position, then handler.
func CompareEntryPoints(a, b EntryPoint) int {
	return cmp.Or(
		cmp.Compare(a.Kind, b.Kind),
		cmp.Compare(a.Route, b.Route),
		cmp.Compare(a.Method, b.Method),
		cmp.Compare(a.Pos, b.Pos),
		cmp.Compare(a.Decl, b.Decl),
	)
}

// LoadError is a problem that kept part of the program from loading.
type LoadError struct {
	Package string `json:"package,omitempty"`
	Pos     string `json:"pos,omitempty"`
	Msg     string `json:"msg"`
}

// Severity ranks a finding.
type Severity string

// The severities, least severe first.
const (
	// SeverityInfo is state that is safe to rebuild on every cold start.
	SeverityInfo Severity = "info"
	// SeverityWarning is state that works per instance but changes
	// behaviour or cost: rebuilt at each cold start, not shared.
	SeverityWarning Severity = "warning"
	// SeverityBlocker is state the program relies on between requests.
	SeverityBlocker Severity = "blocker"
)

// Rank orders severities: 1 for info, 2 for warning, 3 for blocker, 0 for
// anything else.
func (s Severity) Rank() int {
	switch s {
	case SeverityInfo:
		return 1
	case SeverityWarning:
		return 2
	case SeverityBlocker:
		return 3
	}
	return 0
}

// ParseSeverity parses "info", "warning" or "blocker", in any case.
func ParseSeverity(name string) (Severity, error) {
	for _, s := range []Severity{SeverityInfo, SeverityWarning, SeverityBlocker} {
		if strings.EqualFold(name, string(s)) {
			return s, nil
		}
	}
	return "", fmt.Errorf("unknown severity %q (want info, warning or blocker)", name)
}

// Phase says when code runs, as found from the entry points that reach it.
type Phase string

// The phases.
const (
	PhaseUnknown    Phase = "unknown"
	PhaseInit       Phase = "init"
	PhaseStartup    Phase = "startup"
	PhaseRequest    Phase = "request"
	PhaseBackground Phase = "background"
)

// Finding is one piece of in-process state, or one database access, that
// matters to stateless extraction. The check names what was found; see the
// analysis/state package for every check's rationale and remedy.
type Finding struct {
	Check    string   `json:"check"`
	Title    string   `json:"title"`
	Severity Severity `json:"severity"`
	// Basis says why the severity is what it is.
	Basis string `json:"basis"`
	Pos   string `json:"pos"`
	// Object names what holds the state: "pkg.var", "pkg.Type.field", the
	// function a goroutine runs, a file path, a query.
	Object string `json:"object"`
	// Decl is the declaration containing a site (a go statement, a file
	// write, a query); Phase when it runs.
	Decl    string `json:"decl,omitempty"`
	Phase   Phase  `json:"phase,omitempty"`
	Variant string `json:"variant,omitempty"`
	Detail  string `json:"detail,omitempty"`
	// Writers and Readers are the accesses to the object.
	Writers []StateAccess `json:"writers,omitempty"`
	Readers []StateAccess `json:"readers,omitempty"`
	// Path is a call path, entry point first, that makes the worst access
	// (or the site) reachable: the entry's label, then declarations.
	Path    []string `json:"path,omitempty"`
	Message string   `json:"message"`
	Why     string   `json:"why"`
	Remedy  string   `json:"remedy"`
}

// StateAccess is one place a declaration reads or writes a finding's state.
type StateAccess struct {
	Decl  string `json:"decl"`
	Pos   string `json:"pos"`
	Op    string `json:"op"`
	Phase Phase  `json:"phase"`
}

// TableAccess is a database table read or written by a declaration.
type TableAccess struct {
	Table string `json:"table"`
	Decl  string `json:"decl"`
	Write bool   `json:"write,omitempty"`
	Pos   string `json:"pos"`
	// Via is the API used: database/sql, sqlx, pgx, gorm, interface.
	Via string `json:"via,omitempty"`
}
