package state

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A Finding is one piece of state found in a package.
//
// Findings about an object (a package variable, a field, a cache) list the
// functions that write and read it; findings about a site (a go statement,
// a timer, a file write, a query) name the function that contains it. The
// whole-program stage maps those functions to contexts and entry points,
// then calls [Resolve] to rank the findings with the phases it knows.
type Finding struct {
	Check    *Check
	Severity Severity
	// Basis says why the severity is what it is ("written by p.Login (on
	// a request path)").
	Basis string
	// Pos is the object's declaration, or the site.
	Pos  token.Pos
	Fset *token.FileSet
	// Object names what holds the state: "pkgpath.name" for a package
	// variable, "pkgpath.Type.field" for a field, the started function
	// for a goroutine, the path for a file write, the call for a query.
	Object string
	// Var is the package variable or field, when the object is one.
	Var *types.Var
	// Func, Decl and Phase are the function that contains a site, the
	// declaration it belongs to, and when it runs. Func is nil for
	// findings about an object.
	Func  *ssa.Function
	Decl  string
	Phase Phase
	// Variant refines the check: see the Variant constants.
	Variant string
	// Detail is a fact the message quotes: a constant path, a query, the
	// once function used.
	Detail string
	// Writers and Readers are the accesses to the object, in position
	// order.
	Writers []Access
	Readers []Access
	// Tables are the tables a query or ORM call reads and writes.
	Tables []TableAccess
	// Message says what was found; Why why it blocks stateless
	// execution; Remedy what replaces it.
	Message string
	Why     string
	Remedy  string
}

// The variants of findings.
const (
	VariantMap        = "map"
	VariantSlice      = "slice"
	VariantSyncMap    = "sync.Map"
	VariantCounter    = "counter"
	VariantObject     = "object"
	VariantOnceValue  = "once-value"
	VariantLongLived  = "long-lived"
	VariantOneShot    = "fire-and-forget"
	VariantServer     = "server"
	VariantTicker     = "ticker"
	VariantTickerLoop = "ticker-loop"
	VariantAfterFunc  = "after-func"
	VariantTimer      = "timer"
	VariantTemp       = "temp"
	VariantPersist    = "persistent"
)

// Op says how an access touches the state.
type Op string

// The kinds of access.
const (
	OpRead      Op = "read"
	OpAssign    Op = "assign"     // the variable is given a new value
	OpOnce      Op = "once"       // the variable is built by sync.OnceValue and friends
	OpAddress   Op = "address"    // its address is passed on: it may be written there
	OpUpdate    Op = "update"     // read-modify-write: x++, x = f(x)
	OpAppend    Op = "append"     // x = append(x, ...)
	OpMapUpdate Op = "map-update" // m[k] = v
	OpMapDelete Op = "map-delete" // delete(m, k), clear(m)
	OpElement   Op = "element"    // a field or element inside it is written
	OpMethod    Op = "method"     // a method that mutates it is called
	OpLock      Op = "lock"       // a mutex is locked
)

// Accumulates reports whether the op changes the state in place rather
// than replacing it.
func (o Op) Accumulates() bool {
	switch o {
	case OpUpdate, OpAppend, OpMapUpdate, OpMapDelete, OpElement, OpMethod:
		return true
	}
	return false
}

// An Access is one place where a function reads or writes the state.
type Access struct {
	// Func is the function whose code makes the access (a closure is its
	// own function); Decl the declaration it belongs to, as model decl
	// IDs: "pkg.Func", "pkg.Type.Method", "pkg.var" for variable
	// initialisers, "pkg.init" for init functions.
	Func *ssa.Function
	Decl string
	Pos  token.Pos
	Op   Op
	// Method is the method called, for OpMethod and OpLock.
	Method string
	Phase  Phase
	// Once marks a write made under sync.Once.
	Once bool
	// Guarded marks an access in a function that takes a lock.
	Guarded bool
}

// A TableAccess is a read or write of a database table by a function.
type TableAccess struct {
	Table string
	Write bool
	Func  *ssa.Function
	Decl  string
	Pos   token.Pos
	// Via is the API used: "database/sql", "sqlx", "pgx", "gorm", or
	// "interface" for a method of a query interface.
	Via string
}

// PhaseFunc tells when a function runs.
type PhaseFunc func(*ssa.Function) Phase

// Resolve recomputes the phases of every access and site with phase, and
// the severities from them. The whole-program stage calls it with the
// phases it derives from reachability from entry points. Where phase
// returns PhaseUnknown, the per-package estimate is kept.
func Resolve(findings []Finding, phase PhaseFunc) {
	for i := range findings {
		f := &findings[i]
		for j := range f.Writers {
			resolve(&f.Writers[j].Phase, f.Writers[j].Func, phase)
		}
		for j := range f.Readers {
			resolve(&f.Readers[j].Phase, f.Readers[j].Func, phase)
		}
		if f.Func != nil {
			resolve(&f.Phase, f.Func, phase)
		}
		f.Severity, f.Basis = f.Check.Rank(f)
	}
}

// resolve sets *p to the phase of fn, unless the driver does not know it:
// then the per-package estimate stands.
func resolve(p *Phase, fn *ssa.Function, phase PhaseFunc) {
	if ph := phase(fn); ph != PhaseUnknown {
		*p = ph
	}
}

// Position returns the position of the finding.
func (f *Finding) Position() token.Position { return f.Fset.Position(f.Pos) }

// Where renders pos as "file:line:col" with the file relative to root
// (forward slashes), or as it is if it lies outside root.
func Where(fset *token.FileSet, pos token.Pos, root string) string {
	p := fset.Position(pos)
	if !p.IsValid() {
		return ""
	}
	file := p.Filename
	if root != "" {
		if rel, err := filepath.Rel(root, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
		}
	}
	return fmt.Sprintf("%s:%d:%d", filepath.ToSlash(file), p.Line, p.Column)
}

// Where renders the finding's position relative to root.
func (f *Finding) Where(root string) string { return Where(f.Fset, f.Pos, root) }

// WriterDecls returns the declarations that write the object, sorted,
// each once.
func (f *Finding) WriterDecls() []string { return decls(f.Writers) }

// ReaderDecls returns the declarations that read the object, sorted, each
// once.
func (f *Finding) ReaderDecls() []string { return decls(f.Readers) }

func decls(as []Access) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range as {
		if !seen[a.Decl] {
			seen[a.Decl] = true
			out = append(out, a.Decl)
		}
	}
	sort.Strings(out)
	return out
}

// FuncTables are the tables one function reads and writes.
type FuncTables struct {
	Func   *ssa.Function
	Decl   string
	Reads  []string
	Writes []string
}

// TablesByFunc gathers the table accesses of findings per function, in
// the order of the functions' declarations' names, tables sorted.
func TablesByFunc(findings []Finding) []FuncTables {
	byFn := map[*ssa.Function]*FuncTables{}
	var order []*FuncTables
	for _, f := range findings {
		for _, t := range f.Tables {
			ft := byFn[t.Func]
			if ft == nil {
				ft = &FuncTables{Func: t.Func, Decl: t.Decl}
				byFn[t.Func] = ft
				order = append(order, ft)
			}
			if t.Write {
				ft.Writes = appendUnique(ft.Writes, t.Table)
			} else {
				ft.Reads = appendUnique(ft.Reads, t.Table)
			}
		}
	}
	out := make([]FuncTables, 0, len(order))
	for _, ft := range order {
		sort.Strings(ft.Reads)
		sort.Strings(ft.Writes)
		out = append(out, *ft)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Decl != out[j].Decl {
			return out[i].Decl < out[j].Decl
		}
		return before(out[i].Func.Prog.Fset, out[i].Func.Pos(), out[j].Func.Pos())
	})
	return out
}

// TablesByDecl gathers the table accesses of findings per declaration:
// what the model's units read and write.
func TablesByDecl(findings []Finding) []FuncTables {
	byDecl := map[string]*FuncTables{}
	for _, ft := range TablesByFunc(findings) {
		d := byDecl[ft.Decl]
		if d == nil {
			d = &FuncTables{Decl: ft.Decl}
			byDecl[ft.Decl] = d
		}
		for _, t := range ft.Reads {
			d.Reads = appendUnique(d.Reads, t)
		}
		for _, t := range ft.Writes {
			d.Writes = appendUnique(d.Writes, t)
		}
	}
	out := make([]FuncTables, 0, len(byDecl))
	for _, d := range byDecl {
		sort.Strings(d.Reads)
		sort.Strings(d.Writes)
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Decl < out[j].Decl })
	return out
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// sortFindings orders findings by position, then check, then object.
func sortFindings(fset *token.FileSet, fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		pi, pj := fset.Position(fs[i].Pos), fset.Position(fs[j].Pos)
		if pi.Filename != pj.Filename {
			return pi.Filename < pj.Filename
		}
		if pi.Offset != pj.Offset {
			return pi.Offset < pj.Offset
		}
		if fs[i].Check.Name != fs[j].Check.Name {
			return fs[i].Check.Name < fs[j].Check.Name
		}
		return fs[i].Object < fs[j].Object
	})
}

func sortAccesses(fset *token.FileSet, as []Access) {
	sort.SliceStable(as, func(i, j int) bool { return before(fset, as[i].Pos, as[j].Pos) })
}
