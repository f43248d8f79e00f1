package cluster

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"testing"

	"decompose/analysis/model"
)

// builder makes hand-built models for tests.
type builder struct {
	m     model.Model
	pkgs  map[string]bool
	decls map[string]bool
}

func newBuilder(module string) *builder {
	return &builder{
		m:     model.Model{Schema: model.ModelSchema, Modules: []model.Module{{Path: module, Dir: "."}}},
		pkgs:  map[string]bool{},
		decls: map[string]bool{},
	}
}

// splitID returns the package of a declaration ID and the name in it.
func splitID(id string) (pkg, short string) {
	slash := strings.LastIndexByte(id, '/')
	dot := strings.IndexByte(id[slash+1:], '.')
	return id[:slash+1+dot], id[slash+2+dot:]
}

func (b *builder) pkg(p string) {
	if b.pkgs[p] {
		return
	}
	b.pkgs[p] = true
	name := path.Base(p)
	b.m.Packages = append(b.m.Packages, model.Package{Path: p, Name: name, Module: b.m.Modules[0].Path, Dir: p})
}

// decl adds a declaration in file (relative to its package directory;
// default "<pkg name>.go"). Kinds: func, method (ID pkg.Type.Method),
// type, var, const.
func (b *builder) decl(id string, kind model.DeclKind, file string) {
	if b.decls[id] {
		return
	}
	b.decls[id] = true
	p, short := splitID(id)
	b.pkg(p)
	if file == "" {
		file = path.Base(p) + ".go"
	}
	d := model.Decl{ID: id, Package: p, Name: short, Kind: kind, Pos: p + "/" + file + ":1:1", Lines: 5}
	if kind == model.KindMethod {
		d.Recv, d.Name, _ = strings.Cut(short, ".")
	}
	for i := range b.m.Packages {
		if b.m.Packages[i].Path == p {
			found := false
			for _, f := range b.m.Packages[i].Files {
				if f.Path == p+"/"+file {
					found = true
				}
			}
			if !found {
				b.m.Packages[i].Files = append(b.m.Packages[i].Files, model.File{Path: p + "/" + file, Lines: 10})
			}
		}
	}
	b.m.Decls = append(b.m.Decls, d)
}

func (b *builder) fn(id string, file ...string) {
	b.decl(id, model.KindFunc, first(file))
}

func (b *builder) typ(id string, file ...string) {
	b.decl(id, model.KindType, first(file))
}

func (b *builder) method(id string, file ...string) {
	b.decl(id, model.KindMethod, first(file))
}

func first(xs []string) string {
	if len(xs) > 0 {
		return xs[0]
	}
	return ""
}

func (b *builder) edge(from, to string, kind model.EdgeKind, weight int) {
	b.m.Edges = append(b.m.Edges, model.Edge{From: from, To: to, Kind: kind, Weight: weight, Pos: "x.go:1:1"})
}

func (b *builder) call(from, to string) { b.edge(from, to, model.EdgeCall, 1) }

func (b *builder) http(decl, method, route string) {
	p, _ := splitID(decl)
	b.m.EntryPoints = append(b.m.EntryPoints, model.EntryPoint{Kind: model.EntryHTTP, Decl: decl, Package: p, Method: method, Route: route, Pos: "x.go:1:1"})
}

func (b *builder) main(p string, calls ...string) {
	b.pkg(p)
	for i := range b.m.Packages {
		if b.m.Packages[i].Path == p {
			b.m.Packages[i].Name = "main"
		}
	}
	b.fn(p + ".main")
	b.m.EntryPoints = append(b.m.EntryPoints, model.EntryPoint{Kind: model.EntryMain, Decl: p + ".main", Package: p, Pos: "x.go:1:1"})
	for _, c := range calls {
		b.call(p+".main", c)
	}
}

func (b *builder) model() *model.Model {
	m := b.m
	return &m
}

// placement maps each declaration to its context name ("" for the kernel).
func placement(t testing.TB, m *model.Model, d *Decomposition) map[string]string {
	t.Helper()
	pkgOf := map[string]string{}
	for _, c := range d.Contexts {
		for _, p := range c.Packages {
			pkgOf[p] = c.Name
		}
	}
	for _, p := range append(append([]string{}, d.Kernel.Packages...), d.Kernel.Infrastructure...) {
		pkgOf[p] = ""
	}
	member := map[string]string{}
	for _, c := range d.Contexts {
		for _, mb := range c.Members {
			for _, x := range mb.Decls {
				member[mb.Package+"."+x] = c.Name
			}
		}
	}
	for _, mb := range d.Kernel.Members {
		for _, x := range mb.Decls {
			member[mb.Package+"."+x] = ""
		}
	}
	out := map[string]string{}
	for _, decl := range m.Decls {
		if c, ok := member[decl.ID]; ok {
			out[decl.ID] = c
			continue
		}
		c, ok := pkgOf[decl.Package]
		if !ok {
			t.Fatalf("declaration %s is placed nowhere", decl.ID)
		}
		out[decl.ID] = c
	}
	return out
}

// checkPartition checks that every package appears exactly once.
func checkPartition(t testing.TB, m *model.Model, d *Decomposition) {
	t.Helper()
	seen := map[string]string{}
	note := func(p, where string) {
		if prev, ok := seen[p]; ok && prev != where {
			t.Errorf("package %s appears in %s and in %s", p, prev, where)
		}
		seen[p] = where
	}
	for _, c := range d.Contexts {
		if !ValidName(c.Name) {
			t.Errorf("context name %q is not valid", c.Name)
		}
		for _, p := range c.Packages {
			note(p, "context "+c.Name)
		}
	}
	for _, p := range d.Kernel.Packages {
		note(p, "kernel")
	}
	for _, p := range d.Kernel.Infrastructure {
		note(p, "infrastructure")
	}
	for _, p := range d.Split {
		note(p, "split")
	}
	for _, p := range d.Ignored {
		note(p, "ignored")
	}
	for _, p := range m.Packages {
		if _, ok := seen[p.Path]; !ok {
			t.Errorf("package %s appears nowhere", p.Path)
		}
	}
	names := map[string]bool{}
	for _, c := range d.Contexts {
		if names[c.Name] {
			t.Errorf("context name %s twice", c.Name)
		}
		names[c.Name] = true
	}
}

// groups renders a placement as "context: decls" lines, for comparisons
// that do not depend on names.
func groups(pl map[string]string) []string {
	by := map[string][]string{}
	for d, c := range pl {
		by[c] = append(by[c], d)
	}
	var out []string
	for c, ds := range by {
		sort.Strings(ds)
		out = append(out, fmt.Sprintf("%s: %s", c, strings.Join(ds, " ")))
	}
	sort.Strings(out)
	return out
}
