package scaffold

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"sort"
	"strings"

	"decompose/emit/plan"
)

// kept are the types that cross a context boundary unchanged.
var keptBasic = map[string]bool{
	"bool": true, "string": true, "byte": true, "rune": true, "any": true,
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"float32": true, "float64": true,
}

var keptQualified = map[string]string{
	"time.Time":       "time",
	"time.Duration":   "time",
	"json.RawMessage": "encoding/json",
}

var mapKeys = map[string]bool{
	"string": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
}

const rawMessage = "json.RawMessage"

// api is a context's remote API: every callee of a contract into it, with
// the names that its server (package api) and every caller's client share.
type api struct {
	Context string
	Methods []*method
	// Aliases are the monolith's named types its methods carry, each a
	// json.RawMessage alias; sorted by name.
	Aliases []alias
	// Warnings are signatures that could not be read.
	Warnings []string
}

// alias stands for a named type of the monolith.
type alias struct {
	Name string // Go name in the generated packages
	Orig string // pkg.Type as the monolith's signature writes it
}

// method is one callee of a remote API.
type method struct {
	Name      string // exported method name
	Callee    string // declaration ID
	Signature string // as the plan gives it
	Recv      string // receiver type, for a method in the monolith
	CtxName   string
	HadCtx    bool // the monolith's signature starts with a context.Context
	HadErr    bool // ... and ends with an error
	Params    []field
	Results   []field
	Sync      bool // a caller waits for the outcome
	Async     bool // a caller never waits: a queue message
	Calls     []plan.Contract
	Message   string // message type, for Async
	Consume   string // api.Consume… function, for Async
}

// field is a parameter or result of a method and its field in the JSON
// body of the call.
type field struct {
	Name     string // parameter name in the Go signature
	Field    string // exported field name in the wire struct
	JSON     string // JSON key
	Type     string // Go type in the signature
	Wire     string // Go type of the wire field
	Variadic bool
	Error    bool // an error, which travels as its message
	Orig     string
}

// reservedAPINames are the package-level names of the generated client and
// api packages.
var reservedAPINames = []string{
	"API", "Client", "New", "Error", "Events", "Queue", "Sender", "SenderFunc",
	"Impl", "Register", "Handler",
	"method:Send", // Queue's own
}

// reservedParamNames are the local names of the generated method bodies,
// the packages they use, and the predeclared identifiers.
var reservedParamNames = map[string]bool{
	"c": true, "q": true, "in": true, "out": true, "err": true, "w": true, "r": true, "m": true,
	"body": true, "res": true, "req": true, "result": true, "ctx": true,
	"context": true, "json": true, "http": true, "time": true, "errors": true, "bytes": true,
	"io": true, "strings": true, "fmt": true, "os": true, "adapt": true, "log": true,
	"string": true, "int": true, "bool": true, "error": true, "any": true, "len": true, "new": true,
	"make": true, "append": true, "nil": true, "true": true, "false": true,
}

// typeMapper maps the types of the monolith's signatures to types the
// generated packages can declare without importing the monolith.
type typeMapper struct {
	named map[string]string // pkg.Type → alias name (after naming)
}

// mapType returns the Go text of t's mapping. Named types of other
// packages become aliases, unless kept; the rest becomes json.RawMessage.
func (m *typeMapper) mapType(t ast.Expr, topLevel bool) string {
	switch t := t.(type) {
	case *ast.ParenExpr:
		return m.mapType(t.X, topLevel)
	case *ast.Ident:
		switch {
		case keptBasic[t.Name]:
			return t.Name
		case t.Name == "error":
			if topLevel {
				return "error"
			}
			return "string"
		}
		return rawMessage
	case *ast.SelectorExpr:
		q := exprString(t)
		if _, ok := keptQualified[q]; ok {
			return q
		}
		if q == "context.Context" {
			return rawMessage // only a first parameter is the call's context
		}
		if name, ok := m.named[q]; ok {
			return name
		}
		return rawMessage
	case *ast.StarExpr:
		inner := m.mapType(t.X, false)
		if inner == rawMessage || m.isAlias(inner) {
			return inner
		}
		return "*" + inner
	case *ast.ArrayType:
		elem := m.mapType(t.Elt, false)
		if t.Len == nil {
			return "[]" + elem
		}
		if lit, ok := t.Len.(*ast.BasicLit); ok && lit.Kind == token.INT {
			return "[" + lit.Value + "]" + elem
		}
		return rawMessage
	case *ast.MapType:
		k := m.mapType(t.Key, false)
		if !mapKeys[k] {
			return rawMessage
		}
		return "map[" + k + "]" + m.mapType(t.Value, false)
	case *ast.InterfaceType:
		if t.Methods == nil || len(t.Methods.List) == 0 {
			return "any"
		}
	case *ast.StructType:
		if t.Fields == nil || len(t.Fields.List) == 0 {
			return "struct{}"
		}
	}
	return rawMessage
}

func (m *typeMapper) isAlias(s string) bool {
	for _, n := range m.named {
		if n == s {
			return true
		}
	}
	return false
}

// namedTypes collects the qualified named types t mentions that become
// aliases.
func namedTypes(t ast.Expr, into map[string]bool) {
	ast.Inspect(t, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncType, *ast.ChanType, *ast.IndexExpr, *ast.IndexListExpr:
			if _, isFunc := t.(*ast.FuncType); !isFunc || n != t {
				return false
			}
		case *ast.InterfaceType:
			return false
		case *ast.StructType:
			return false
		case *ast.MapType:
			// a map whose key cannot be a JSON key is raw as a whole
			k := exprString(n.Key)
			if !mapKeys[k] {
				return false
			}
		case *ast.SelectorExpr:
			q := exprString(n)
			if _, ok := keptQualified[q]; !ok && q != "context.Context" {
				into[q] = true
			}
			return false
		}
		return true
	})
}

func exprString(e ast.Expr) string {
	var b bytes.Buffer
	printer.Fprint(&b, token.NewFileSet(), e)
	return b.String()
}

// parseSignature parses a plan signature ("func(ctx context.Context, id
// int64) (catalog.Product, error)").
func parseSignature(sig string) (*ast.FuncType, error) {
	if sig == "" {
		return &ast.FuncType{Params: &ast.FieldList{}}, nil
	}
	e, err := parser.ParseExpr(sig)
	if err != nil {
		return nil, fmt.Errorf("signature %q: %v", sig, err)
	}
	ft, ok := e.(*ast.FuncType)
	if !ok {
		return nil, fmt.Errorf("signature %q is not a function type", sig)
	}
	return ft, nil
}

// buildAPIs makes the remote API of every context that contracts call, with
// names shared by its server and its clients. known are the plan's
// packages, to split declaration IDs.
func buildAPIs(contracts []plan.Contract, known map[string]bool) map[string]*api {
	warnings := map[string][]string{}
	byCtx := map[string]map[string]*method{}
	sigs := map[string]*ast.FuncType{}
	for _, c := range contracts {
		if byCtx[c.To] == nil {
			byCtx[c.To] = map[string]*method{}
		}
		m := byCtx[c.To][c.Callee]
		if m == nil {
			m = &method{Callee: c.Callee, Signature: c.Signature}
			byCtx[c.To][c.Callee] = m
			ft, err := parseSignature(c.Signature)
			if err != nil {
				warnings[c.To] = append(warnings[c.To], fmt.Sprintf("%s: %v; the remote method takes and returns raw JSON", c.Callee, err))
				ft = nil
			}
			sigs[c.Callee] = ft
		}
		m.Calls = append(m.Calls, c)
		if c.Style == "async" || c.Style == "event" {
			m.Async = true
		} else {
			m.Sync = true
		}
	}
	out := map[string]*api{}
	for ctx, methods := range byCtx {
		a := &api{Context: ctx, Warnings: warnings[ctx]}
		ids := make([]string, 0, len(methods))
		for id := range methods {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		// names: the callee's name, else with its receiver, else with its
		// package, else numbered
		type parts struct{ pkg, recv, name string }
		ps := map[string]parts{}
		count := map[string]int{}
		for _, id := range ids {
			p, r, n := declParts(id, known)
			ps[id] = parts{p, r, n}
			count[exported(n)]++
		}
		nm := newNamer(reservedAPINames...)
		for _, id := range ids {
			m := methods[id]
			p := ps[id]
			m.Recv = p.recv
			base := exported(p.name)
			if base == "" {
				base = "Call"
			}
			cands := []string{base, exported(p.recv) + base, exported(pkgName(p.pkg)) + exported(p.recv) + base}
			if count[base] > 1 {
				cands = cands[1:]
			}
			// a method's name is its own (methods do not clash with the
			// package's names), its message and consumer are the
			// package's
			m.Name = nm.pick(cands, func(b string) []string {
				return []string{"method:" + b, b + "Message", "Consume" + b}
			})
			if m.Async {
				m.Message, m.Consume = m.Name+"Message", "Consume"+m.Name
			}
			a.Methods = append(a.Methods, m)
		}
		// the named types, then their aliases
		named := map[string]bool{}
		for _, m := range a.Methods {
			if ft := sigs[m.Callee]; ft != nil {
				namedTypes(ft, named)
			}
		}
		quals := make([]string, 0, len(named))
		for q := range named {
			quals = append(quals, q)
		}
		sort.Strings(quals)
		bySel := map[string]int{}
		for _, q := range quals {
			bySel[exported(q[strings.Index(q, ".")+1:])]++
		}
		tm := &typeMapper{named: map[string]string{}}
		for _, q := range quals {
			dot := strings.Index(q, ".")
			sel, pkg := exported(q[dot+1:]), exported(q[:dot])
			cands := []string{sel, pkg + sel}
			if bySel[sel] > 1 {
				cands = cands[1:]
			}
			name := nm.pick(cands, nil)
			tm.named[q] = name
			a.Aliases = append(a.Aliases, alias{Name: name, Orig: q})
		}
		sort.Slice(a.Aliases, func(i, j int) bool { return a.Aliases[i].Name < a.Aliases[j].Name })
		for _, m := range a.Methods {
			shape(m, sigs[m.Callee], tm)
		}
		sortMethods(a.Methods)
		out[ctx] = a
	}
	return out
}

// shape fills in a method's parameters and results from its signature: a
// leading context.Context is the call's context (added when missing), a
// trailing error the call's error (added when missing: a remote call can
// fail).
func shape(m *method, ft *ast.FuncType, tm *typeMapper) {
	m.CtxName = "ctx"
	if ft == nil {
		m.Params = []field{{Name: "args", Field: "Args", JSON: "args", Type: rawMessage, Wire: rawMessage, Orig: "?"}}
		m.Results = []field{{Field: "Result", JSON: "result", Type: rawMessage, Wire: rawMessage, Orig: "?"}}
		return
	}
	type item struct {
		name string
		typ  ast.Expr
	}
	flatten := func(fl *ast.FieldList) []item {
		var out []item
		if fl == nil {
			return out
		}
		for _, f := range fl.List {
			if len(f.Names) == 0 {
				out = append(out, item{"", f.Type})
				continue
			}
			for _, n := range f.Names {
				out = append(out, item{n.Name, f.Type})
			}
		}
		return out
	}
	params, results := flatten(ft.Params), flatten(ft.Results)
	if len(params) > 0 && exprString(params[0].typ) == "context.Context" {
		m.HadCtx = true
		params = params[1:]
	}
	if n := len(results); n > 0 && exprString(results[n-1].typ) == "error" {
		m.HadErr = true
		results = results[:n-1]
	}
	used := map[string]bool{}
	fieldNames := map[string]bool{}
	fieldOf := func(name string) string {
		f := exported(name)
		if f == "" {
			f = "Arg"
		}
		base := f
		for i := 2; fieldNames[f]; i++ {
			f = fmt.Sprintf("%s%d", base, i)
		}
		fieldNames[f] = true
		return f
	}
	for i, p := range params {
		name := p.name
		if name == "" || name == "_" {
			name = fmt.Sprintf("p%d", i)
		}
		if reservedParamNames[name] || used[name] {
			name += "Arg"
		}
		for j := 2; used[name]; j++ {
			name = fmt.Sprintf("%s%d", strings.TrimRight(name, "0123456789"), j)
		}
		used[name] = true
		orig := p.name
		if orig == "" || orig == "_" {
			orig = name
		}
		f := field{Name: name, Field: fieldOf(orig), JSON: jsonKey(orig), Orig: exprString(p.typ)}
		typ := p.typ
		if el, ok := typ.(*ast.Ellipsis); ok {
			f.Variadic = true
			typ = el.Elt
		}
		f.Type = tm.mapType(typ, true)
		f.Error = f.Type == "error"
		f.Wire = f.Type
		if f.Error {
			f.Wire = "string"
		}
		if f.Variadic {
			f.Wire = "[]" + f.Wire
		}
		m.Params = append(m.Params, f)
	}
	fieldNames = map[string]bool{}
	for i, r := range results {
		f := field{Orig: exprString(r.typ)}
		switch {
		case len(results) == 1:
			f.Field, f.JSON = "Result", "result"
		case r.name != "" && r.name != "_":
			f.Field = fieldOf(r.name)
			f.JSON = jsonKey(r.name)
		default:
			f.Field = fieldOf(fmt.Sprintf("R%d", i))
			f.JSON = fmt.Sprintf("r%d", i)
		}
		f.Type = tm.mapType(r.typ, true)
		f.Error = f.Type == "error"
		f.Wire = f.Type
		if f.Error {
			f.Wire = "string"
		}
		m.Results = append(m.Results, f)
	}
}

// jsonKey is the JSON key of a parameter: its name in lower camel case.
func jsonKey(name string) string {
	if name == "" {
		return "arg"
	}
	return lowerFirst(strings.TrimSuffix(name, "Arg"))
}

// usesType reports whether any field's Go or wire type mentions s.
func usesType(fields []field, s string) bool {
	for _, f := range fields {
		if strings.Contains(f.Type, s) || strings.Contains(f.Wire, s) {
			return true
		}
	}
	return false
}

// anyError reports whether a field is an error.
func anyError(fields []field) bool {
	for _, f := range fields {
		if f.Error {
			return true
		}
	}
	return false
}
