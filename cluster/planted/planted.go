// Package planted writes small Go programs with a planted partition:
// monoliths of K bounded contexts, in one of several layouts, with shared
// libraries and a few calls across contexts, together with the partition
// they were written with. Tests cluster them and compare.
//
// Every choice is drawn from a seed: the domain words (plain nouns or
// made-up words, so that no list of usual domain names can help), the
// folder and layer names, the module path, how routes are registered,
// which contexts run background loops, which contexts call which. Each
// context has its own HTTP routes, its own tables (SQL in database/sql
// calls) and calls within it denser than calls between contexts; the
// shared libraries (logging, database helpers, an event bus, response
// helpers) are used by every context.
//
// The programs need only the standard library: go.mod has no
// requirements.
package planted

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Layout is how a generated program is organised in folders.
type Layout string

// The layouts.
const (
	// Modular: one folder per context, <root>/<ctx>/{handler,service,store}
	// (layer names and container per seed), shared libraries beside them.
	Modular Layout = "modular"
	// Layered: handlers/, services/, repository/, model/ folders (names per
	// seed) with one file per context in each; the partition is at
	// declaration level for those packages.
	Layered Layout = "layered"
	// LayeredByName: business/<ctx>bus, app/<ctx>app, stores/<ctx>db,
	// folders and affixes per seed.
	LayeredByName Layout = "layered-by-name"
	// Hexagonal: internal/{adapters,app,domain,ports}/<ctx>.
	Hexagonal Layout = "hexagonal"
)

// Layouts are all the layouts.
var Layouts = []Layout{Modular, Layered, LayeredByName, Hexagonal}

// Monolith is a generated program and the partition it was written with.
type Monolith struct {
	// Dir is the module's directory; Module its path.
	Dir    string
	Module string
	Layout Layout
	Seed   uint64
	// Contexts are the contexts' names: each context's first domain word.
	Contexts []string
	// Words are each context's domain words, its name first.
	Words map[string][]string
	// Packages maps every package wholly in one context to it, and every
	// shared library to "" (also listed in Kernel).
	Packages map[string]string
	// Kernel are the shared libraries every context uses.
	Kernel []string
	// Mains are the main packages: composition roots, in no context.
	Mains []string
	// Split are the packages holding several contexts, one file per
	// context; Decls maps each of their declarations (as analysis IDs:
	// pkg.Name, pkg.Type.Method) to its context, "" for declarations of
	// the files every context shares.
	Split []string
	Decls map[string]string
	// ServiceDirs maps each context to its own folder, relative to Dir,
	// for the modular layout (nil otherwise).
	ServiceDirs map[string]string
	// MainFile is the main package's file that wires every context,
	// relative to Dir.
	MainFile string
	// Files counts the Go files written.
	Files int
}

// Intended returns the intended context of a declaration of package pkg
// ("" for the shared kernel), and false for declarations of main packages
// and declarations the partition does not know.
func (m *Monolith) Intended(pkg, declID string) (string, bool) {
	if c, ok := m.Decls[declID]; ok {
		return c, true
	}
	c, ok := m.Packages[pkg]
	return c, ok
}

// AllWords returns every domain word of every context.
func (m *Monolith) AllWords() []string {
	var out []string
	for _, c := range m.Contexts {
		out = append(out, m.Words[c]...)
	}
	sort.Strings(out)
	return out
}

// Generate writes the monolith of seed and layout into dir (which must
// be empty or absent) and returns it with its partition.
func Generate(dir string, seed uint64, layout Layout) (*Monolith, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if ents, err := os.ReadDir(dir); err != nil {
		return nil, err
	} else if len(ents) > 0 {
		return nil, fmt.Errorf("planted: %s is not empty", dir)
	}
	g := newGen(dir, seed, layout)
	switch layout {
	case Modular:
		g.modular()
	case Layered:
		g.layered()
	case LayeredByName:
		g.byName()
	case Hexagonal:
		g.hexagonal()
	default:
		return nil, fmt.Errorf("planted: unknown layout %q", layout)
	}
	if g.err != nil {
		return nil, g.err
	}
	if err := g.write("go.mod", fmt.Sprintf("module %s\n\ngo 1.22\n", g.mod)); err != nil {
		return nil, err
	}
	if err := g.declTruth(); err != nil {
		return nil, err
	}
	m := g.m
	sort.Strings(m.Kernel)
	sort.Strings(m.Mains)
	sort.Strings(m.Split)
	return m, nil
}

// ctxPlan is one context to write.
type ctxPlan struct {
	name  string // the context's word, lower case
	ent   string // its main entity's word (often the name itself)
	ent2  string // a second entity's word, "" if none
	table string
	tab2  string
	bg    bool // runs a background loop
	// calls are the earlier contexts it calls (indexes), with a count
	calls map[int]int
	// subs are the earlier contexts whose events it subscribes to
	subs []int
	idx  int
}

func (c *ctxPlan) Ent() string  { return title(c.ent) }
func (c *ctxPlan) Ent2() string { return title(c.ent2) }
func (c *ctxPlan) Name() string { return title(c.name) }

// gen is the state of one generation.
type gen struct {
	r     *rand.Rand
	dir   string
	mod   string
	m     *Monolith
	words *wordPool
	ctxs  []*ctxPlan
	err   error
	// fileCtx maps each file of a split package to its context ("" shared)
	fileCtx map[string]string
	split   map[string]bool
	// route prefix and style
	prefix     string
	defaultMux bool
}

func newGen(dir string, seed uint64, layout Layout) *gen {
	h := uint64(0)
	for _, c := range layout {
		h = h*31 + uint64(c)
	}
	r := rand.New(rand.NewPCG(seed, h))
	g := &gen{r: r, dir: dir, fileCtx: map[string]string{}, split: map[string]bool{}}
	g.words = newWordPool(r, r.IntN(2) == 0)
	g.m = &Monolith{Dir: dir, Layout: layout, Seed: seed, Words: map[string][]string{}, Packages: map[string]string{}, Decls: map[string]string{}}
	g.prefix = pick(r, "", "/api", "/v1", "/api/v2")
	g.defaultMux = r.IntN(3) == 0
	return g
}

// module draws the module path.
func (g *gen) module() {
	a, b := g.words.Next(), g.words.Next()
	g.mod = pick(g.r,
		"example.com/"+a,
		"github.com/"+a+"/"+b,
		a+".io/"+b,
		"git."+a+".net/team/"+b,
	)
	g.m.Module = g.mod
}

// plan draws K contexts, their words, tables and the calls between them.
func (g *gen) plan(reserved ...string) {
	g.words.Reserve(reserved...)
	g.module()
	k := 3 + g.r.IntN(3)
	tableStyle := g.r.IntN(4)
	for i := 0; i < k; i++ {
		c := &ctxPlan{idx: i, calls: map[int]int{}}
		c.name = g.words.Next()
		c.ent = c.name
		if g.r.IntN(3) == 0 {
			c.ent = g.words.Next()
		}
		if g.r.IntN(2) == 0 {
			c.ent2 = g.words.Next()
		}
		switch tableStyle {
		case 0:
			c.table = c.name + "_items"
		case 1:
			c.table = c.ent + "s"
		case 2:
			c.table = c.name + "_" + c.ent + "s"
		default:
			c.table = c.name + "_records"
		}
		if c.ent == c.name && tableStyle == 2 {
			c.table = c.name + "s"
		}
		if c.ent2 != "" {
			c.tab2 = c.ent2 + "s"
			if g.r.IntN(2) == 0 {
				c.tab2 = c.name + "_" + c.ent2 + "s"
			}
		}
		c.bg = g.r.IntN(3) == 0
		words := []string{c.name}
		if c.ent != c.name {
			words = append(words, c.ent)
		}
		if c.ent2 != "" {
			words = append(words, c.ent2)
		}
		g.m.Words[c.name] = words
		g.m.Contexts = append(g.m.Contexts, c.name)
		g.ctxs = append(g.ctxs, c)
	}
	if !anyBG(g.ctxs) {
		g.ctxs[g.r.IntN(k)].bg = true
	}
	// later contexts call earlier ones: a few calls for some pairs
	for j := 1; j < k; j++ {
		for i := 0; i < j; i++ {
			if g.r.IntN(2) == 0 {
				g.ctxs[j].calls[i] = 1 + g.r.IntN(2)
			}
			if g.r.IntN(4) == 0 {
				g.ctxs[i].subs = append(g.ctxs[i].subs, j)
			}
		}
	}
	sort.Strings(g.m.Contexts)
}

func anyBG(cs []*ctxPlan) bool {
	for _, c := range cs {
		if c.bg {
			return true
		}
	}
	return false
}

// callees returns the indexes of the contexts c calls, in order, each as
// many times as it calls it.
func (c *ctxPlan) callees() []int {
	var out []int
	for i := 0; i < c.idx; i++ {
		for n := 0; n < c.calls[i]; n++ {
			out = append(out, i)
		}
	}
	return out
}

// route returns the route pattern of context c for suffix.
func (g *gen) route(method string, c *ctxPlan, suffix string) string {
	return method + " " + g.prefix + "/" + c.name + suffix
}

// file is a Go file being written: its body and the imports it may use.
type file struct {
	pkg     string
	imports map[string]string // alias → path
	body    strings.Builder
}

func newFile(pkg string) *file { return &file{pkg: pkg, imports: map[string]string{}} }

// use offers an import; it is written only if alias is used.
func (f *file) use(alias, path string) *file {
	f.imports[alias] = path
	return f
}

func (f *file) p(format string, args ...any) {
	fmt.Fprintf(&f.body, format, args...)
	f.body.WriteByte('\n')
}

func (f *file) source() ([]byte, error) {
	body := f.body.String()
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\n", f.pkg)
	var aliases []string
	for a := range f.imports {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(a) + `\.`).MatchString(body) {
			aliases = append(aliases, a)
		}
	}
	std := func(a string) bool { return !strings.Contains(strings.Split(f.imports[a], "/")[0], ".") }
	sort.Slice(aliases, func(i, j int) bool {
		if si, sj := std(aliases[i]), std(aliases[j]); si != sj {
			return si
		}
		return f.imports[aliases[i]] < f.imports[aliases[j]]
	})
	if len(aliases) > 0 {
		b.WriteString("import (\n")
		for i, a := range aliases {
			if i > 0 && std(aliases[i-1]) && !std(a) {
				b.WriteString("\n")
			}
			p := f.imports[a]
			if path.Base(p) == a {
				fmt.Fprintf(&b, "\t%q\n", p)
			} else {
				fmt.Fprintf(&b, "\t%s %q\n", a, p)
			}
		}
		b.WriteString(")\n\n")
	}
	b.WriteString(body)
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("%v\n%s", err, b.String())
	}
	return src, nil
}

// std offers the standard library packages the generated code uses.
func (f *file) std() *file {
	for _, p := range []string{"context", "database/sql", "encoding/json", "errors", "fmt", "net/http", "os",
		"os/signal", "strconv", "strings", "sync", "time", "log/slog", "io"} {
		f.use(path.Base(p), p)
	}
	return f
}

// put writes f as rel (relative to the module) and records where it
// belongs: its package's context, or for split packages the file's.
func (g *gen) put(rel string, f *file) {
	if g.err != nil {
		return
	}
	src, err := f.source()
	if err != nil {
		g.err = fmt.Errorf("planted: %s: %v", rel, err)
		return
	}
	if err := g.write(rel, string(src)); err != nil {
		g.err = err
		return
	}
	g.m.Files++
}

func (g *gen) write(rel, content string) error {
	p := filepath.Join(g.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(content), 0o644)
}

// whole records a package wholly in context ctx ("" for the kernel).
func (g *gen) whole(dir, ctx string) {
	p := g.pkgPath(dir)
	g.m.Packages[p] = ctx
	if ctx == "" {
		g.m.Kernel = appendNew(g.m.Kernel, p)
	}
}

// inSplit records a file of a split package and its context.
func (g *gen) inSplit(rel, ctx string) {
	g.split[path.Dir(rel)] = true
	g.fileCtx[rel] = ctx
}

// openMain writes the start of main: a context that an interrupt ends,
// and the database opened by the expression open, failing through logL.
func openMain(f *file, logL lib, open string) {
	f.p("func main() {")
	f.p("	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)")
	f.p("	defer stop()")
	f.p("	conn, err := %s", open)
	f.p("	if err != nil {")
	f.p("		%s.Error(\"start\", err)", logL.name)
	f.p("		os.Exit(1)")
	f.p("	}")
}

// closeMain writes the server's start and the end of main, and puts it as
// the program's main in appDir.
func (g *gen) closeMain(f *file, logL lib, appDir string) {
	if g.defaultMux {
		f.p("	_ = mux")
		f.p("	err = http.ListenAndServe(\":8080\", nil)")
	} else {
		f.p("	err = http.ListenAndServe(\":8080\", mux)")
	}
	f.p("	%s.Error(\"serve\", err)", logL.name)
	f.p("}")
	g.m.MainFile = path.Join(appDir, "main.go")
	g.put(g.m.MainFile, f)
	g.mainPkg(appDir)
}

func (g *gen) mainPkg(dir string) {
	g.m.Mains = appendNew(g.m.Mains, g.pkgPath(dir))
}

func (g *gen) pkgPath(dir string) string {
	if dir == "" || dir == "." {
		return g.mod
	}
	return g.mod + "/" + dir
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// declTruth lists the declarations of the split packages, by file.
func (g *gen) declTruth() error {
	fset := token.NewFileSet()
	for dir := range g.split {
		pkg := g.pkgPath(dir)
		g.m.Split = append(g.m.Split, pkg)
		for rel, ctx := range g.fileCtx {
			if path.Dir(rel) != dir {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(g.dir, filepath.FromSlash(rel)), nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			for _, id := range DeclIDs(pkg, f) {
				g.m.Decls[id] = ctx
			}
		}
	}
	return nil
}

// DeclIDs lists the top-level declarations of a file of package pkg as
// analysis IDs: pkg.Name, pkg.Type.Method, pkg.init.
func DeclIDs(pkg string, f *ast.File) []string {
	var out []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil || len(d.Recv.List) == 0 {
				out = append(out, pkg+"."+d.Name.Name)
				continue
			}
			out = append(out, pkg+"."+recvName(d.Recv.List[0].Type)+"."+d.Name.Name)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					out = append(out, pkg+"."+s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name != "_" {
							out = append(out, pkg+"."+n.Name)
						}
					}
				}
			}
		}
	}
	return out
}

func recvName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return recvName(e.X)
	case *ast.IndexExpr:
		return recvName(e.X)
	case *ast.IndexListExpr:
		return recvName(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}
