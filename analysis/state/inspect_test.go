package state

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"decompose/analysis/model"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/txtar"
)

// loadTxtar builds the packages of a txtar archive into one SSA program.
// Files in a directory form package example.com/shop/<dir>; files at the
// top form example.com/shop/<package name>. Packages are type-checked in
// an order where imports come first.
func loadTxtar(t *testing.T, name string, mode ssa.BuilderMode) (*ssa.Program, map[string]*ssa.Package) {
	t.Helper()
	return loadTxtarOrder(t, name, mode, false)
}

// loadTxtarOrder is loadTxtar, with the files added to the file set in
// reverse when reverse is set, as go/packages may happen to parse them.
// Packages keep the archive's file order.
func loadTxtarOrder(t *testing.T, name string, mode ssa.BuilderMode, reverse bool) (*ssa.Program, map[string]*ssa.Package) {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "txtar", name))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	parsed := make([]*ast.File, len(ar.Files))
	for i := range ar.Files {
		if reverse {
			i = len(ar.Files) - 1 - i
		}
		f := ar.Files[i]
		af, err := parser.ParseFile(fset, f.Name, f.Data, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		parsed[i] = af
	}
	files := map[string][]*ast.File{}
	for i, f := range ar.Files {
		af := parsed[i]
		dir := path.Dir(f.Name)
		if dir == "." {
			dir = af.Name.Name
		}
		files["example.com/shop/"+dir] = append(files["example.com/shop/"+dir], af)
	}
	typed := map[string]*types.Package{}
	infos := map[string]*types.Info{}
	std := importer.Default()
	var check func(p string) *types.Package
	check = func(p string) *types.Package {
		if tp := typed[p]; tp != nil {
			return tp
		}
		info := &types.Info{
			Types:        map[ast.Expr]types.TypeAndValue{},
			Defs:         map[*ast.Ident]types.Object{},
			Uses:         map[*ast.Ident]types.Object{},
			Implicits:    map[ast.Node]types.Object{},
			Instances:    map[*ast.Ident]types.Instance{},
			Scopes:       map[ast.Node]*types.Scope{},
			Selections:   map[*ast.SelectorExpr]*types.Selection{},
			FileVersions: map[*ast.File]string{},
		}
		conf := types.Config{Importer: importerFunc(func(imp string) (*types.Package, error) {
			if _, ok := files[imp]; ok {
				return check(imp), nil
			}
			return std.Import(imp)
		})}
		tp, err := conf.Check(p, fset, files[p], info)
		if err != nil {
			t.Fatal(err)
		}
		typed[p], infos[p] = tp, info
		return tp
	}
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		check(p)
	}
	prog := ssa.NewProgram(fset, mode)
	created := map[*types.Package]bool{}
	var createDeps func(tp *types.Package)
	createDeps = func(tp *types.Package) {
		for _, imp := range tp.Imports() {
			if created[imp] {
				continue
			}
			created[imp] = true
			createDeps(imp)
			if _, own := files[imp.Path()]; !own {
				prog.CreatePackage(imp, nil, nil, true)
			}
		}
	}
	pkgs := map[string]*ssa.Package{}
	for _, p := range paths {
		createDeps(typed[p])
	}
	for _, p := range paths {
		pkgs[p] = prog.CreatePackage(typed[p], files[p], infos[p], false)
	}
	prog.Build()
	return prog, pkgs
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func find(fs []Finding, object string) *Finding {
	for i := range fs {
		if fs[i].Object == object {
			return &fs[i]
		}
	}
	return nil
}

func accessList(as []Access) []string {
	var out []string
	for _, a := range as {
		out = append(out, fmt.Sprintf("%s %s %s", a.Decl, a.Op, a.Phase))
	}
	return out
}

// TestParseOrder: token.Pos values follow the order files were parsed in,
// which go/packages does not fix; findings name their first writer and
// list accesses in file order, whatever that order was.
func TestParseOrder(t *testing.T) {
	render := func(reverse bool) string {
		_, pkgs := loadTxtarOrder(t, "parseorder.txtar", ssa.InstantiateGenerics, reverse)
		var b strings.Builder
		for _, f := range Inspect(pkgs["example.com/shop/registry"], nil) {
			fmt.Fprintf(&b, "%s %s: %s %s\n\twriters %v\n\treaders %v\n", f.Check.Name, f.Object, f.Message, f.Basis, accessList(f.Writers), accessList(f.Readers))
		}
		return b.String()
	}
	inOrder, reversed := render(false), render(true)
	if inOrder != reversed {
		t.Errorf("findings depend on parse order:\n%s\nreversed:\n%s", inOrder, reversed)
	}
	if !strings.Contains(inOrder, "appended to by Registry.Add,") {
		t.Errorf("want the first writer in file order (add.go before reconcile.go):\n%s", inOrder)
	}
}

func TestFindingAccessors(t *testing.T) {
	_, pkgs := loadTxtar(t, "users.txtar", ssa.InstantiateGenerics)
	fs := Inspect(pkgs["example.com/shop/users"], nil)

	sessions := find(fs, "example.com/shop/users.sessions")
	if sessions == nil {
		t.Fatal("no finding for sessions")
	}
	if sessions.Check != GlobalMutable || sessions.Severity != Blocker {
		t.Errorf("sessions: %s %s, want global-mutable blocker", sessions.Check, sessions.Severity)
	}
	// the function literal's write belongs to Login, its reader is Whoami
	// its initialiser writes it too, as the variable's own declaration
	if got, want := sessions.WriterDecls(), []string{"example.com/shop/users.Login", "example.com/shop/users.sessions"}; !slices.Equal(got, want) {
		t.Errorf("sessions writers = %v, want %v", got, want)
	}
	if got, want := sessions.ReaderDecls(), []string{"example.com/shop/users.Whoami"}; !slices.Equal(got, want) {
		t.Errorf("sessions readers = %v, want %v", got, want)
	}
	if w := sessions.Writers[0]; w.Op != OpAssign || w.Phase != PhaseInit {
		t.Errorf("sessions first writer = %+v, want its initialiser", w)
	}
	if w := sessions.Writers[1]; w.Func.Parent() == nil || w.Op != OpMapUpdate || w.Phase != PhaseRequest {
		t.Errorf("sessions writer = %+v, want a map update in Login's function literal on a request path", w)
	}
	if got := sessions.Where(""); !strings.HasPrefix(got, "users.go:10:5") {
		t.Errorf("Where = %q, want users.go:10:5", got)
	}

	// code in a variable's initialiser belongs to the variable
	counter := find(fs, "example.com/shop/users.counter")
	if counter == nil {
		t.Fatal("no finding for counter")
	}
	if got, want := counter.WriterDecls(), []string{"example.com/shop/users.hooks"}; !slices.Equal(got, want) {
		t.Errorf("counter writers = %v, want %v", got, want)
	}

	// methods are pkg.Type.Method
	items := find(fs, "example.com/shop/users.Store.items")
	if items == nil {
		t.Fatal("no finding for Store.items")
	}
	if got, want := accessList(items.Writers), []string{"example.com/shop/users.Store.Put map-update unknown"}; !slices.Equal(got, want) {
		t.Errorf("items writers = %v, want %v", got, want)
	}
	if items.Severity != Warning {
		t.Errorf("items severity = %s, want warning", items.Severity)
	}

	// tables per function and per declaration
	got := map[string]string{}
	for _, ft := range TablesByDecl(fs) {
		got[ft.Decl] = fmt.Sprintf("r%v w%v", ft.Reads, ft.Writes)
	}
	want := map[string]string{
		"example.com/shop/users.Register": "r[] w[users]",
		"example.com/shop/users.Names":    "r[profiles users] w[]",
	}
	for d, w := range want {
		if got[d] != w {
			t.Errorf("tables of %s = %q, want %q", d, got[d], w)
		}
	}
	if n := len(TablesByFunc(fs)); n != 2 {
		t.Errorf("TablesByFunc: %d functions, want 2", n)
	}
}

func TestResolve(t *testing.T) {
	_, pkgs := loadTxtar(t, "users.txtar", 0)
	fs := Inspect(pkgs["example.com/shop/users"], nil)
	db := find(fs, "example.com/shop/users.db")
	if db == nil || db.Check != GlobalSingleton || db.Severity != Warning {
		t.Fatalf("db = %+v, want a global-singleton warning", db)
	}
	for _, tc := range []struct {
		phase Phase
		want  Severity
	}{
		{PhaseInit, Info},
		{PhaseStartup, Warning},
		{PhaseUnknown, Warning},
		{PhaseRequest, Blocker},
	} {
		Resolve(fs, func(fn *ssa.Function) Phase {
			if fn.Name() == "SetDB" {
				return tc.phase
			}
			return PhaseRequest
		})
		if db := find(fs, "example.com/shop/users.db"); db.Severity != tc.want {
			t.Errorf("SetDB in phase %s: %s (%s), want %s", tc.phase, db.Severity, db.Basis, tc.want)
		}
	}
	// Options.Phase gives the same result in one step.
	fs = Inspect(pkgs["example.com/shop/users"], &Options{Phase: func(*ssa.Function) Phase { return PhaseStartup }})
	if db := find(fs, "example.com/shop/users.db"); db.Severity != Warning || !strings.Contains(db.Basis, "at start-up") {
		t.Errorf("with start-up phases: %s %q", db.Severity, db.Basis)
	}
	if s := find(fs, "example.com/shop/users.sessions"); s.Severity != Warning {
		t.Errorf("sessions written at start-up: %s, want warning", s.Severity)
	}
}

func TestOptions(t *testing.T) {
	_, pkgs := loadTxtar(t, "users.txtar", 0)
	pkg := pkgs["example.com/shop/users"]
	fs := Inspect(pkg, &Options{
		Checks: []*Check{SQLTables},
		Decl:   func(fn *ssa.Function, pos token.Pos) string { return "unit:" + fn.Name() },
	})
	if len(fs) != 2 {
		t.Fatalf("%d findings, want the 2 sql-tables ones", len(fs))
	}
	for _, f := range fs {
		if f.Check != SQLTables || !strings.HasPrefix(f.Decl, "unit:") || !strings.HasPrefix(f.Tables[0].Decl, "unit:") {
			t.Errorf("finding %s %s %s: want sql-tables with the driver's decl IDs", f.Check, f.Decl, f.Tables[0].Decl)
		}
	}
	// Handler names the registered handlers; Store.Put becomes one.
	fs = Inspect(pkg, &Options{Handler: func(fn *ssa.Function) bool { return fn.Name() == "Put" }})
	if f := find(fs, "example.com/shop/users.Store.items"); f == nil || !strings.Contains(f.Message, "a request handler") {
		t.Errorf("Store.items with Put as a handler: %+v", f)
	}
}

func TestGenerics(t *testing.T) {
	for _, mode := range []ssa.BuilderMode{0, ssa.InstantiateGenerics} {
		t.Run(mode.String(), func(t *testing.T) {
			_, pkgs := loadTxtar(t, "generics.txtar", mode)
			fs := Inspect(pkgs["example.com/shop/cache"], nil)
			var got []string
			for _, f := range fs {
				got = append(got, f.Check.Name+" "+f.Object+" "+string(f.Severity))
			}
			want := []string{
				"field-mutable example.com/shop/cache.Cache.items warning",
				"global-mutable example.com/shop/cache.strings warning",
				"global-mutable example.com/shop/cache.ints warning",
				"timer time.NewTicker blocker",
				"global-init-only example.com/shop/cache.lengths info",
			}
			if !slices.Equal(got, want) {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestInspectProgram(t *testing.T) {
	_, pkgs := loadTxtar(t, "program.txtar", ssa.InstantiateGenerics)
	config := pkgs["example.com/shop/config"]
	alone := find(Inspect(config, nil), "example.com/shop/config.Debug")
	if alone == nil || alone.Check != GlobalInitOnly {
		t.Errorf("config alone: %+v, want init-only (nothing in config writes Debug)", alone)
	}
	fs := InspectProgram([]*ssa.Package{config, pkgs["example.com/shop/main"]}, nil)
	debug := find(fs, "example.com/shop/config.Debug")
	if debug == nil || debug.Check != GlobalSingleton || debug.Severity != Blocker {
		t.Fatalf("with main: %+v, want a global-singleton blocker", debug)
	}
	if got, want := debug.WriterDecls(), []string{"example.com/shop/main.toggle"}; !slices.Equal(got, want) {
		t.Errorf("Debug writers = %v, want %v", got, want)
	}
}

func TestGormTableName(t *testing.T) {
	for name, want := range map[string]string{
		"User":        "users",
		"UserModel":   "user_models",
		"OrderLine":   "order_lines",
		"Category":    "categories",
		"Person":      "people",
		"Address":     "addresses",
		"Status":      "statuses",
		"HTTPRequest": "http_requests",
		"UserID":      "user_ids",
		"Box":         "boxes",
		"Day":         "days",
		"Wolf":        "wolves",
		"Knife":       "knives",
		"Equipment":   "equipment",
	} {
		if got := GormTableName(name); got != want {
			t.Errorf("GormTableName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []Severity{Info, Warning, Blocker} {
		if back, err := model.ParseSeverity(strings.ToUpper(string(s))); err != nil || back != s {
			t.Errorf("round trip of %s: %v %v", s, back, err)
		}
	}
	if Info.Rank() >= Warning.Rank() || Warning.Rank() >= Blocker.Rank() {
		t.Error("severities out of order")
	}
	if _, err := model.ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal): no error")
	}
	for _, c := range Checks {
		if c.Title == "" || c.Rationale == "" || c.Remedy == "" || c.SeverityRule == "" || c.rank == nil {
			t.Errorf("check %s is not fully described", c.Name)
		}
		if CheckByName(c.Name) != c {
			t.Errorf("CheckByName(%s)", c.Name)
		}
	}
}
