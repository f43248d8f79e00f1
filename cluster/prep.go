package cluster

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"decompose/analysis/model"
)

// pkgInfo is an analyzed package as clustering sees it.
type pkgInfo struct {
	path string
	name string
	dir  string // folder relative to the model's root, "" for the root itself
	// listedDir is set when the model gives the folder.
	listedDir bool
	decls     []int // indexes into universe.decls, sorted
	files     []string
	entries   []int // indexes into universe.entries
	main      bool
	lines     int
	genOnly   bool // every file is generated
}

// declInfo is a declaration as clustering sees it.
type declInfo struct {
	id    string
	pkg   int
	short string // "Name" or "Type.Method"
	kind  model.DeclKind
	file  string
	typ   int // for a method, its receiver type's index, else -1
	gen   bool
	lines int
	entry bool
	iface bool
}

// universe is the model sorted and indexed, less the ignored units.
type universe struct {
	m        *model.Model
	module   string
	root     string // longest common path prefix of the packages, in whole elements
	pkgs     []pkgInfo
	pkgIdx   map[string]int
	decls    []declInfo
	declIdx  map[string]int
	methods  map[int][]int // type index → its methods
	entries  []model.EntryPoint
	ignored  []string // ignored package paths
	ignoredD []string // ignored declarations of kept packages
	edges    []model.Edge
	// rels are the packages' folders relative to the folder they all
	// share (see relDirs).
	rels []string
}

// newUniverse indexes the model. Every slice of the model is sorted here
// again, so that the input's order does not matter.
func newUniverse(m *model.Model, ignore []string) (*universe, []string, error) {
	u := &universe{m: m, pkgIdx: map[string]int{}, declIdx: map[string]int{}, methods: map[int][]int{}}
	if len(m.Modules) > 0 {
		mods := make([]string, len(m.Modules))
		for i, md := range m.Modules {
			mods[i] = md.Path
		}
		sort.Strings(mods)
		u.module = mods[0]
	}
	pkgs := append([]model.Package(nil), m.Packages...)
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Path < pkgs[j].Path })
	decls := append([]model.Decl(nil), m.Decls...)
	sort.SliceStable(decls, func(i, j int) bool { return decls[i].ID < decls[j].ID })
	known := map[string]bool{}
	for _, p := range pkgs {
		known[p.Path] = true
	}
	// packages that hold declarations but are not listed still count
	for _, d := range decls {
		if !known[d.Package] {
			known[d.Package] = true
			pkgs = append(pkgs, model.Package{Path: d.Package, Name: path.Base(d.Package)})
		}
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Path < pkgs[j].Path })

	// ignore patterns are matched against the full model
	full := &universe{pkgIdx: map[string]int{}, declIdx: map[string]int{}, methods: map[int][]int{}, module: u.module}
	full.fill(pkgs, decls)
	var warnings []string
	ignPkg := map[string]bool{}
	ignDecl := map[string]bool{}
	for _, pat := range ignore {
		ps, ds := full.match(pat)
		if len(ps) == 0 && len(ds) == 0 {
			warnings = append(warnings, fmt.Sprintf("ignore pattern %q matches nothing", pat))
		}
		for _, p := range ps {
			ignPkg[full.pkgs[p].path] = true
		}
		for _, d := range ds {
			ignDecl[full.decls[d].id] = true
		}
	}
	var keptPkgs []model.Package
	for _, p := range pkgs {
		if ignPkg[p.Path] {
			u.ignored = append(u.ignored, p.Path)
			continue
		}
		if prev := len(keptPkgs) - 1; prev >= 0 && keptPkgs[prev].Path == p.Path {
			continue
		}
		keptPkgs = append(keptPkgs, p)
	}
	var keptDecls []model.Decl
	for _, d := range decls {
		if ignPkg[d.Package] {
			continue
		}
		if ignDecl[d.ID] {
			if !slices.Contains(u.ignoredD, d.ID) {
				u.ignoredD = append(u.ignoredD, d.ID)
			}
			continue
		}
		keptDecls = append(keptDecls, d)
	}
	u.fill(keptPkgs, keptDecls)
	u.root = commonRoot(u.pkgs)
	for i, pk := range u.pkgs {
		if pk.dir == "" && !pk.listedDir {
			u.pkgs[i].dir = folderOf(m, pk)
		}
	}
	u.rels = relDirs(u)

	for _, e := range m.EntryPoints {
		if _, ok := u.pkgIdx[e.Package]; ok {
			u.entries = append(u.entries, e)
		}
	}
	// by package; within one, by handler before position, which is what
	// plans have always listed
	slices.SortFunc(u.entries, func(a, b model.EntryPoint) int {
		return cmp.Or(
			cmp.Compare(a.Package, b.Package),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Route, b.Route),
			cmp.Compare(a.Method, b.Method),
			cmp.Compare(a.Decl, b.Decl),
			cmp.Compare(a.Pos, b.Pos),
		)
	})
	for i, e := range u.entries {
		p := u.pkgIdx[e.Package]
		u.pkgs[p].entries = append(u.pkgs[p].entries, i)
		if d, ok := u.declIdx[e.Decl]; ok {
			u.decls[d].entry = true
		}
	}
	for _, e := range m.Edges {
		if _, ok := u.declIdx[e.From]; !ok {
			continue
		}
		if _, ok := u.declIdx[e.To]; !ok {
			continue
		}
		u.edges = append(u.edges, e)
	}
	slices.SortFunc(u.edges, func(a, b model.Edge) int {
		return cmp.Or(
			cmp.Compare(a.From, b.From),
			cmp.Compare(a.To, b.To),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Weight, b.Weight),
		)
	})
	return u, warnings, nil
}

// folderOf is the folder of a package the model gives none for: that of
// its files, else its import path below the module that holds it.
func folderOf(m *model.Model, pk pkgInfo) string {
	if len(pk.files) > 0 {
		return cleanDir(path.Dir(pk.files[0]))
	}
	best := -1
	for i, md := range m.Modules {
		if (pk.path == md.Path || strings.HasPrefix(pk.path, md.Path+"/")) && (best < 0 || len(md.Path) > len(m.Modules[best].Path)) {
			best = i
		}
	}
	if best < 0 {
		return pk.path
	}
	return cleanDir(path.Join(m.Modules[best].Dir, strings.TrimPrefix(pk.path, m.Modules[best].Path)))
}

// cleanDir is a model folder with forward slashes, "" for the root.
func cleanDir(d string) string {
	d = path.Clean(strings.ReplaceAll(d, "\\", "/"))
	if d == "." || d == "/" {
		return ""
	}
	return d
}

// fill indexes sorted packages and declarations.
func (u *universe) fill(pkgs []model.Package, decls []model.Decl) {
	for _, p := range pkgs {
		if _, ok := u.pkgIdx[p.Path]; ok {
			continue
		}
		pi := pkgInfo{path: p.Path, name: p.Name, dir: cleanDir(p.Dir), listedDir: p.Dir != "", main: p.Name == "main", lines: p.Lines}
		gen := len(p.Files) > 0
		for _, f := range p.Files {
			pi.files = append(pi.files, f.Path)
			if !f.Generated {
				gen = false
			}
		}
		sort.Strings(pi.files)
		pi.genOnly = gen
		u.pkgIdx[p.Path] = len(u.pkgs)
		u.pkgs = append(u.pkgs, pi)
	}
	for _, d := range decls {
		if _, ok := u.declIdx[d.ID]; ok {
			continue // init functions share one unit
		}
		p, ok := u.pkgIdx[d.Package]
		if !ok {
			continue
		}
		file := d.Pos
		if i := strings.IndexByte(file, ':'); i >= 0 {
			file = file[:i]
		}
		short := strings.TrimPrefix(d.ID, d.Package+".")
		di := declInfo{id: d.ID, pkg: p, short: short, kind: d.Kind, file: file, typ: -1, gen: d.Generated, lines: d.Lines, iface: d.Interface}
		u.declIdx[d.ID] = len(u.decls)
		u.pkgs[p].decls = append(u.pkgs[p].decls, len(u.decls))
		u.decls = append(u.decls, di)
	}
	for i, d := range u.decls {
		if d.kind != model.KindMethod {
			continue
		}
		recv := d.short[:strings.IndexByte(d.short, '.')]
		if t, ok := u.declIdx[u.pkgs[d.pkg].path+"."+recv]; ok {
			u.decls[i].typ = t
			u.methods[t] = append(u.methods[t], i)
		}
	}
}

// group is the unit the plan scores a declaration by: a type with its
// methods, or the declaration itself.
func (u *universe) group(d int) int {
	if t := u.decls[d].typ; t >= 0 {
		return t
	}
	return d
}

// match returns the packages a pattern names wholly and the declarations
// it names (all of them, including those of the packages).
func (u *universe) match(pat string) (pkgs, decls []int) {
	pat = strings.TrimSpace(pat)
	if strings.HasPrefix(pat, "./") && u.module != "" {
		pat = u.module + strings.TrimPrefix(pat, ".")
	}
	addPkg := func(p int) {
		pkgs = append(pkgs, p)
		decls = append(decls, u.pkgs[p].decls...)
	}
	if tree, ok := strings.CutSuffix(pat, "/..."); ok {
		for i, p := range u.pkgs {
			if p.path == tree || strings.HasPrefix(p.path, tree+"/") {
				addPkg(i)
			}
		}
		return pkgs, decls
	}
	if p, ok := u.pkgIdx[pat]; ok {
		addPkg(p)
		return pkgs, decls
	}
	if d, ok := u.declIdx[pat]; ok {
		decls = append(decls, d)
		decls = append(decls, u.methods[d]...)
		sort.Ints(decls)
		return nil, decls
	}
	if strings.ContainsAny(pat, "*?[") {
		// path.Glob: the package is the longest known prefix before a dot
		for i := len(pat) - 1; i > 0; i-- {
			if pat[i] != '.' {
				continue
			}
			p, ok := u.pkgIdx[pat[:i]]
			if !ok {
				continue
			}
			glob := pat[i+1:]
			for _, d := range u.pkgs[p].decls {
				if ok, _ := path.Match(glob, u.decls[d].short); ok {
					decls = append(decls, d)
				}
			}
			return nil, decls
		}
	}
	return nil, nil
}

// commonRoot is the longest path prefix, in whole elements, shared by all
// packages; with one package, its parent.
func commonRoot(pkgs []pkgInfo) string {
	if len(pkgs) == 0 {
		return ""
	}
	prefix := strings.Split(pkgs[0].path, "/")
	if len(pkgs) == 1 {
		return path.Dir(pkgs[0].path)
	}
	for _, p := range pkgs[1:] {
		parts := strings.Split(p.path, "/")
		n := 0
		for n < len(prefix) && n < len(parts) && prefix[n] == parts[n] {
			n++
		}
		prefix = prefix[:n]
	}
	return strings.Join(prefix, "/")
}
