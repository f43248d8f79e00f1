package state

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"decompose/analysis/sqltable"

	"golang.org/x/tools/go/ssa"
)

// sqlLibraries are the database APIs whose calls carry SQL, by package
// (any major version and subpackage), with the name used in findings.
var sqlLibraries = []struct{ path, via string }{
	{"database/sql", "database/sql"},
	{"github.com/jmoiron/sqlx", "sqlx"},
	{"github.com/jackc/pgx", "pgx"},
	{"gorm.io/gorm", "gorm"},
	{"github.com/jinzhu/gorm", "gorm"},
}

// queryMethods are the methods and functions of those APIs whose first
// string parameter is a query.
var queryMethods = map[string]bool{
	"Query": true, "QueryContext": true, "QueryRow": true, "QueryRowContext": true,
	"Exec": true, "ExecContext": true, "Prepare": true, "PrepareContext": true,
	"Select": true, "SelectContext": true, "Get": true, "GetContext": true,
	"NamedExec": true, "NamedExecContext": true, "NamedQuery": true, "NamedQueryContext": true,
	"Queryx": true, "QueryxContext": true, "QueryRowx": true, "QueryRowxContext": true,
	"MustExec": true, "MustExecContext": true, "Preparex": true, "PreparexContext": true,
	"PrepareNamed": true, "PrepareNamedContext": true,
	"Queue": true, // pgx.Batch: the queries that SendBatch runs
	"Raw":   true, // gorm
}

// passThrough are calls that return their query argument rewritten but
// reading the same tables.
var passThrough = map[string]bool{"Rebind": true, "In": true, "Named": true}

// libraryOf returns the finding name of the SQL library that declares f.
func libraryOf(f *types.Func) string {
	if f == nil || f.Pkg() == nil {
		return ""
	}
	for _, l := range sqlLibraries {
		if within(f.Pkg().Path(), l.path) {
			return l.via
		}
	}
	return ""
}

// queryArg returns the index in params(c) of the query of a call of f:
// its first string parameter.
func queryArg(f *types.Func) int {
	ps := f.Type().(*types.Signature).Params()
	for i := 0; i < ps.Len(); i++ {
		if b, ok := ps.At(i).Type().Underlying().(*types.Basic); ok && b.Kind() == types.String {
			return i
		}
	}
	return -1
}

// nextString returns the index of the string parameter after i, or -1.
func nextString(f *types.Func, i int) int {
	ps := f.Type().(*types.Signature).Params()
	for j := i + 1; j < ps.Len(); j++ {
		if b, ok := ps.At(j).Type().Underlying().(*types.Basic); ok && b.Kind() == types.String {
			return j
		}
	}
	return -1
}

// queries records the tables that SQL and ORM calls read and write.
func (p *pass) queries() {
	p.each(func(fn *ssa.Function, instr ssa.Instruction) {
		call, ok := instr.(ssa.CallInstruction)
		if !ok {
			return
		}
		c := call.Common()
		f := calleeFunc(c)
		if f == nil {
			return
		}
		via := libraryOf(f)
		if via == "gorm" && p.gormCall(fn, instr, c, f) {
			return
		}
		if !queryMethods[f.Name()] || (via == "gorm" && f.Name() != "Raw" && f.Name() != "Exec") {
			return
		}
		// A query interface of the program's own (sqlc's DBTX, a
		// repository's executor) counts when its query is SQL.
		ownIface := false
		if via == "" {
			if !c.IsInvoke() {
				return
			}
			via, ownIface = "interface", true
		}
		i := queryArg(f)
		if via == "pgx" && f.Name() == "Prepare" {
			i = nextString(f, i) // Prepare(ctx, name, sql)
		}
		args := params(c)
		if i < 0 || i >= len(args) {
			return
		}
		qs, known := p.queryStrings(args[i], 4)
		if ownIface && (!known || !allSQL(qs)) {
			return
		}
		p.reportQuery(fn, instr, f, via, qs, known)
	})
}

func allSQL(qs []string) bool {
	for _, q := range qs {
		if !sqltable.LooksLikeSQL(q) {
			return false
		}
	}
	return len(qs) > 0
}

func (p *pass) reportQuery(fn *ssa.Function, instr ssa.Instruction, f *types.Func, via string, qs []string, known bool) {
	call := callName(f)
	if !known {
		fd := p.siteFinding(SQLDynamic, fn, instr)
		fd.Object = call
		fd.Message = fmt.Sprintf("%s in %s runs SQL built at run time: unknown tables", call, shortName(fd.Decl))
		p.add(fd)
		return
	}
	var tables []TableAccess
	for _, q := range qs {
		r := sqltable.Parse(q)
		if r.Unparsed {
			fd := p.siteFinding(SQLUnparsed, fn, instr)
			fd.Object = call
			fd.Detail = q
			fd.Message = fmt.Sprintf("%s in %s runs SQL that could not be parsed (%s): %s", call, shortName(fd.Decl), r.Reason, clip(q, 80))
			p.add(fd)
			continue
		}
		for _, t := range r.Reads {
			tables = append(tables, p.table(fn, instr, t, false, via))
		}
		for _, t := range r.Writes {
			tables = append(tables, p.table(fn, instr, t, true, via))
		}
	}
	if len(tables) == 0 {
		return
	}
	fd := p.siteFinding(SQLTables, fn, instr)
	fd.Object = call
	fd.Tables = dedupeTables(tables)
	fd.Detail = clip(strings.Join(qs, "; "), 200)
	fd.Message = fmt.Sprintf("%s %s via %s", shortName(fd.Decl), describeTables(fd.Tables), via)
	p.add(fd)
}

func (p *pass) table(fn *ssa.Function, instr ssa.Instruction, name string, write bool, via string) TableAccess {
	return TableAccess{Table: name, Write: write, Func: fn, Decl: p.declOf(fn, instr), Pos: instrPos(instr), Via: via}
}

func dedupeTables(ts []TableAccess) []TableAccess {
	type key struct {
		t string
		w bool
	}
	seen := map[key]bool{}
	out := ts[:0]
	for _, t := range ts {
		if k := (key{t.Table, t.Write}); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Write != out[j].Write {
			return !out[i].Write
		}
		return out[i].Table < out[j].Table
	})
	return out
}

// describeTables renders "reads a, b and writes c".
func describeTables(ts []TableAccess) string {
	var r, w []string
	for _, t := range ts {
		if t.Write {
			w = append(w, t.Table)
		} else {
			r = append(r, t.Table)
		}
	}
	var parts []string
	if len(r) > 0 {
		parts = append(parts, "reads "+strings.Join(r, ", "))
	}
	if len(w) > 0 {
		parts = append(parts, "writes "+strings.Join(w, ", "))
	}
	return strings.Join(parts, " and ")
}

// callName renders a function or method for messages: "sql.DB.Query".
func callName(f *types.Func) string {
	if _, typ := recvType(f); typ != "" && f.Pkg() != nil {
		return f.Pkg().Name() + "." + typ + "." + f.Name()
	}
	if f.Pkg() == nil {
		return f.Name()
	}
	return f.Pkg().Name() + "." + f.Name()
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// queryStrings returns the constant texts a query argument may have: a
// constant, a choice between constants, a concatenation of constants, a
// package variable set once to a constant, or such a query passed through
// sqlx.Rebind or sqlx.In. It reports false for anything built at run time.
func (p *pass) queryStrings(v ssa.Value, depth int) ([]string, bool) {
	if depth < 0 {
		return nil, false
	}
	if s, ok := constString(v); ok {
		return []string{s}, true
	}
	switch x := v.(type) {
	case *ssa.Phi:
		var out []string
		for _, e := range x.Edges {
			qs, ok := p.queryStrings(e, depth-1)
			if !ok {
				return nil, false
			}
			out = append(out, qs...)
		}
		sort.Strings(out)
		return slices.Compact(out), len(out) > 0
	case *ssa.BinOp:
		if x.Op != token.ADD {
			return nil, false
		}
		l, ok1 := p.queryStrings(x.X, depth-1)
		r, ok2 := p.queryStrings(x.Y, depth-1)
		if !ok1 || !ok2 || len(l)*len(r) > 16 {
			return nil, false
		}
		var out []string
		for _, a := range l {
			for _, b := range r {
				out = append(out, a+b)
			}
		}
		return out, true
	case *ssa.ChangeType:
		return p.queryStrings(x.X, depth-1)
	case *ssa.Convert:
		return p.queryStrings(x.X, depth-1)
	case *ssa.UnOp:
		if g, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL {
			if s, ok := p.constGlobal(g); ok {
				return []string{s}, true
			}
		}
	case *ssa.Extract:
		if call, ok := x.Tuple.(*ssa.Call); ok && x.Index == 0 {
			return p.passedQuery(&call.Call, depth)
		}
	case *ssa.Call:
		return p.passedQuery(&x.Call, depth)
	}
	return nil, false
}

// passedQuery resolves the query of a pass-through call.
func (p *pass) passedQuery(c *ssa.CallCommon, depth int) ([]string, bool) {
	f := calleeFunc(c)
	if f == nil || libraryOf(f) == "" || !passThrough[f.Name()] {
		return nil, false
	}
	if i := queryArg(f); i >= 0 && i < len(params(c)) {
		return p.queryStrings(params(c)[i], depth-1)
	}
	return nil, false
}

// constGlobal returns the constant a package variable is initialised to,
// if nothing else ever writes it.
func (p *pass) constGlobal(g *ssa.Global) (string, bool) {
	if p.constGlobals == nil {
		p.constGlobals = map[*ssa.Global]string{}
		stores := map[*ssa.Global]int{}
		consts := map[*ssa.Global]string{}
		p.each(func(fn *ssa.Function, instr ssa.Instruction) {
			for _, op := range instr.Operands(nil) {
				gg, ok := (*op).(*ssa.Global)
				if !ok {
					continue
				}
				if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.MUL {
					continue
				}
				stores[gg]++
				if st, ok := instr.(*ssa.Store); ok && st.Addr == gg && isPackageInit(fn) {
					if s, ok := constString(st.Val); ok {
						consts[gg] = s
					}
				}
			}
		})
		for gg, s := range consts {
			if stores[gg] == 1 {
				p.constGlobals[gg] = s
			}
		}
	}
	s, ok := p.constGlobals[g]
	return s, ok
}
