package cluster

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	gen "decompose/cluster/planted"
)

// The program transformations of the metamorphic tests: each writes a
// changed copy of a module and says how the IDs of declarations change.

// copyTree copies the files of src into dst; rel maps a file's path
// relative to src to its path relative to dst, and edit its content (each
// may be nil).
func copyTree(t *testing.T, src, dst string, rel func(string) string, edit func(rel string, data []byte) []byte) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		r, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		r = filepath.ToSlash(r)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if edit != nil {
			data = edit(r, data)
		}
		if rel != nil {
			r = rel(r)
		}
		out := filepath.Join(dst, filepath.FromSlash(r))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// renamer renames domain words consistently in names, paths and text.
type renamer struct {
	words []string          // longest first
	repl  map[string]string // word → replacement
	exact map[string]bool   // words matched only whole (with s, ed, ing)
	// suffixes also matches a word at the end of a name part
	// (busorder), for words that are no English word's tail.
	suffixes bool
}

// newRenamer renames each word of words to a made-up one. A word
// written "=pay" matches only a whole name part (pay, pays, paying);
// others match at the start of a part (categor → category, categories).
func newRenamer(words []string, seed uint64, suffixes bool) *renamer {
	rn := &renamer{repl: map[string]string{}, exact: map[string]bool{}, suffixes: suffixes}
	var plain []string
	for _, w := range words {
		plain = append(plain, strings.TrimPrefix(w, "="))
	}
	fresh := gen.NewWords(seed, len(words), plain...)
	for i, w := range words {
		if strings.HasPrefix(w, "=") {
			w = w[1:]
			rn.exact[w] = true
		}
		rn.words = append(rn.words, w)
		rn.repl[w] = fresh[i]
	}
	sort.Slice(rn.words, func(i, j int) bool {
		if len(rn.words[i]) != len(rn.words[j]) {
			return len(rn.words[i]) > len(rn.words[j])
		}
		return rn.words[i] < rn.words[j]
	})
	return rn
}

// part renames one name part (lower, Title or UPPER case); UPPER parts
// are left alone unless caps (SQL keywords in strings).
func (rn *renamer) part(p string, caps bool) string {
	lower := strings.ToLower(p)
	upper := len(p) > 1 && p == strings.ToUpper(p) && lower != p
	if upper && !caps {
		return p
	}
	out := ""
	for _, w := range rn.words {
		r := rn.repl[w]
		if rn.exact[w] {
			for _, sfx := range []string{"", "s", "ed", "ing"} {
				if lower == w+sfx {
					out = r + sfx
				}
			}
		} else if strings.HasPrefix(lower, w) {
			out = r + lower[len(w):]
		} else if rn.suffixes && strings.HasSuffix(lower, w) {
			out = lower[:len(lower)-len(w)] + r
		}
		if out != "" {
			break
		}
	}
	if out == "" {
		return p
	}
	switch {
	case upper:
		return strings.ToUpper(out)
	case p[0] >= 'A' && p[0] <= 'Z':
		return strings.ToUpper(out[:1]) + out[1:]
	}
	return out
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool  { return c >= 'a' && c <= 'z' }

// text renames the words in s: runs of letters split at camelCase,
// digits and anything else; a backslash escape is kept.
func (rn *renamer) text(s string, caps bool) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			b.WriteString(s[i : i+2])
			i += 2
			continue
		}
		if !isLetter(c) {
			b.WriteByte(c)
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isLetter(s[j]) {
			if isUpper(s[j]) && isLower(s[j-1]) {
				break
			}
			if isUpper(s[j]) && isUpper(s[j-1]) && j+1 < len(s) && isLower(s[j+1]) {
				break
			}
			j++
		}
		b.WriteString(rn.part(s[i:j], caps))
		i = j
	}
	return b.String()
}

// relPath renames the words of each element of a slash path.
func (rn *renamer) relPath(p string) string {
	parts := strings.Split(p, "/")
	for i := range parts {
		parts[i] = rn.text(parts[i], true)
	}
	return strings.Join(parts, "/")
}

// id renames a declaration ID of a package of module.
func (rn *renamer) id(module string) func(string) string {
	return func(id string) string {
		pkg, short := splitID(id)
		return rn.pkgPath(module, pkg) + "." + rn.text(short, true)
	}
}

func (rn *renamer) pkgPath(module, p string) string {
	if p == module {
		return p
	}
	if rest, ok := strings.CutPrefix(p, module+"/"); ok {
		return module + "/" + rn.relPath(rest)
	}
	return p
}

// renameModule writes into dst the module (path module) in src with
// every domain word renamed: in identifiers declared in the module,
// package names, folders and files, import paths, string literals (routes,
// SQL, topics, tags) and comments. Names the module takes from other
// packages are kept. Only the files for which only reports true are
// changed (all when only is nil).
func renameModule(t *testing.T, src, dst, module string, rn *renamer, only func(rel string) bool) {
	t.Helper()
	inModule := func(p string) bool { return p == module || strings.HasPrefix(p, module+"/") }
	fset, pkgs := typeCheck(t, src, module)
	edited := map[string][]byte{}
	for _, pkg := range pkgs {
		for i, f := range pkg.files {
			r := pkg.names[i]
			if only != nil && !only(r) {
				continue
			}
			name := filepath.Join(src, filepath.FromSlash(r))
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			tf := fset.File(f.Pos())
			type edit struct {
				off, end int
				text     string
			}
			var edits []edit
			seen := map[int]bool{}
			add := func(pos, end token.Pos, text string) {
				off := tf.Offset(pos)
				if seen[off] || string(data[off:tf.Offset(end)]) == text {
					return
				}
				seen[off] = true
				edits = append(edits, edit{off, tf.Offset(end), text})
			}
			imports := map[*ast.BasicLit]bool{}
			for _, spec := range f.Imports {
				imports[spec.Path] = true
				p, _ := strconv.Unquote(spec.Path.Value)
				if inModule(p) {
					add(spec.Path.Pos(), spec.Path.End(), strconv.Quote(rn.pkgPath(module, p)))
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.Ident:
					obj := pkg.info.Defs[n]
					if obj == nil {
						obj = pkg.info.Uses[n]
					}
					rename := obj == nil
					if obj != nil {
						if pn, ok := obj.(*types.PkgName); ok {
							rename = inModule(pn.Imported().Path())
						} else if obj.Pkg() != nil {
							rename = inModule(obj.Pkg().Path())
						}
					}
					if rename {
						add(n.Pos(), n.End(), rn.text(n.Name, true))
					}
				case *ast.BasicLit:
					if n.Kind == token.STRING && !imports[n] {
						add(n.Pos(), n.End(), rn.text(n.Value, false))
					}
				}
				return true
			})
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					if !strings.HasPrefix(c.Text, "//go:") {
						add(c.Pos(), c.End(), rn.text(c.Text, false))
					}
				}
			}
			sort.Slice(edits, func(i, j int) bool { return edits[i].off > edits[j].off })
			for _, e := range edits {
				data = append(data[:e.off:e.off], append([]byte(e.text), data[e.end:]...)...)
			}
			edited[r] = data
		}
	}
	copyTree(t, src, dst, func(r string) string {
		if only != nil && !only(r) {
			return r
		}
		return rn.relPath(r)
	}, func(r string, data []byte) []byte {
		if e, ok := edited[r]; ok {
			return e
		}
		return data
	})
}

// checkedPkg is a package of a module, parsed and type-checked.
type checkedPkg struct {
	files []*ast.File
	names []string // the files' paths relative to the module
	info  *types.Info
}

// typeCheck parses and type-checks the module (path module) in dir from
// source, its packages in import order, the standard library from export
// data. Test files are left out.
func typeCheck(t *testing.T, dir, module string) (*token.FileSet, map[string]*checkedPkg) {
	t.Helper()
	fset := token.NewFileSet()
	pkgs := map[string]*checkedPkg{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(dir, p)
		r = filepath.ToSlash(r)
		pp := module
		if dd := path.Dir(r); dd != "." {
			pp += "/" + dd
		}
		if pkgs[pp] == nil {
			pkgs[pp] = &checkedPkg{}
		}
		pkgs[pp].files = append(pkgs[pp].files, f)
		pkgs[pp].names = append(pkgs[pp].names, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]*types.Package{}
	std := importer.ForCompiler(fset, "gc", nil)
	var imp importerFunc
	imp = func(p string) (*types.Package, error) {
		if tp, ok := done[p]; ok {
			return tp, nil
		}
		cp, ok := pkgs[p]
		if !ok {
			return std.Import(p)
		}
		cp.info = &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
		conf := types.Config{Importer: imp}
		tp, err := conf.Check(p, fset, cp.files, cp.info)
		if err != nil {
			return nil, err
		}
		done[p] = tp
		return tp, nil
	}
	for _, p := range slices.Sorted(maps.Keys(pkgs)) {
		if _, err := imp(p); err != nil {
			t.Fatalf("type-check %s: %v", p, err)
		}
	}
	return fset, pkgs
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// moveModule writes into dst the module in src under the module path
// newModule, with its code moved down into the folder sub ("" for none):
// go.mod stays at dst, import paths follow.
func moveModule(t *testing.T, src, dst, module, newModule, sub string) func(string) string {
	t.Helper()
	newPkg := func(p string) string {
		rest, ok := strings.CutPrefix(p, module)
		if !ok || rest != "" && rest[0] != '/' {
			return p
		}
		if sub != "" {
			return newModule + "/" + sub + rest
		}
		return newModule + rest
	}
	copyTree(t, src, dst, func(r string) string {
		if r == "go.mod" || r == "go.sum" || sub == "" {
			return r
		}
		return sub + "/" + r
	}, func(r string, data []byte) []byte {
		if r == "go.mod" {
			return bytes.Replace(data, []byte("module "+module+"\n"), []byte("module "+newModule+"\n"), 1)
		}
		if !strings.HasSuffix(r, ".go") {
			return data
		}
		return rewriteImports(t, r, data, newPkg)
	})
	return func(id string) string {
		pkg, short := splitID(id)
		return newPkg(pkg) + "." + short
	}
}

// rewriteImports changes a file's import paths by newPath.
func rewriteImports(t *testing.T, name string, data []byte, newPath func(string) string) []byte {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, data, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	out := append([]byte(nil), data...)
	for i := len(f.Imports) - 1; i >= 0; i-- {
		spec := f.Imports[i]
		p, _ := strconv.Unquote(spec.Path.Value)
		if np := newPath(p); np != p {
			off, end := fset.Position(spec.Path.Pos()).Offset, fset.Position(spec.Path.End()).Offset
			out = append(out[:off:off], append([]byte(strconv.Quote(np)), out[end:]...)...)
		}
	}
	return out
}

// goFile is a parsed source file cut into its parts: package name,
// imports and top-level declarations with their comments.
type goFile struct {
	pkg     string
	imports []*ast.ImportSpec
	chunks  []string // source of each declaration, doc and trailing comments included
	uses    []map[string]bool
	src     []byte
}

func parseGoFile(t *testing.T, name string) *goFile {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	g := &goFile{pkg: f.Name.Name, imports: f.Imports, src: src}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	var decls []ast.Decl
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			continue
		}
		decls = append(decls, d)
	}
	start := func(d ast.Decl) int {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				return off(d.Doc.Pos())
			}
		case *ast.GenDecl:
			if d.Doc != nil {
				return off(d.Doc.Pos())
			}
		}
		return off(d.Pos())
	}
	for i, d := range decls {
		end := len(src)
		if i+1 < len(decls) {
			end = start(decls[i+1])
		}
		g.chunks = append(g.chunks, string(src[start(d):end]))
		used := map[string]bool{}
		ast.Inspect(d, func(n ast.Node) bool {
			if se, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := se.X.(*ast.Ident); ok {
					used[id.Name] = true
				}
			}
			return true
		})
		g.uses = append(g.uses, used)
	}
	return g
}

// importName is the name a file refers to an import by.
func importName(spec *ast.ImportSpec) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	p, _ := strconv.Unquote(spec.Path.Value)
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && isDigit(base[1]) {
		base = path.Base(path.Dir(p))
	}
	return base
}

// source writes a file of pkg with the chunks given and the imports
// they use (blank and dot imports always).
func writeChunks(t *testing.T, name, pkg string, imports []*ast.ImportSpec, chunks []string, uses []map[string]bool) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\n", pkg)
	seen := map[string]bool{}
	var lines []string
	for _, spec := range imports {
		n := importName(spec)
		keep := n == "_" || n == "."
		for _, u := range uses {
			keep = keep || u[n]
		}
		line := spec.Path.Value
		if spec.Name != nil {
			line = spec.Name.Name + " " + line
		}
		if keep && !seen[line] {
			seen[line] = true
			lines = append(lines, line)
		}
	}
	if len(lines) > 0 {
		b.WriteString("import (\n\t" + strings.Join(lines, "\n\t") + "\n)\n\n")
	}
	for _, c := range chunks {
		b.WriteString(strings.TrimRight(c, "\n") + "\n\n")
	}
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, b.String())
	}
	if err := os.WriteFile(name, src, 0o644); err != nil {
		t.Fatal(err)
	}
}

// splitFile moves the second half of the declarations of the file rel
// of dir into a new file beside it, named newName.
func splitFile(t *testing.T, dir, rel, newName string) {
	t.Helper()
	name := filepath.Join(dir, filepath.FromSlash(rel))
	g := parseGoFile(t, name)
	if len(g.chunks) < 2 {
		t.Fatalf("%s: nothing to split", rel)
	}
	k := len(g.chunks) / 2
	writeChunks(t, name, g.pkg, g.imports, g.chunks[:k], g.uses[:k])
	writeChunks(t, filepath.Join(filepath.Dir(name), newName), g.pkg, g.imports, g.chunks[k:], g.uses[k:])
}

// mergeFiles appends the declarations of the file b to those of the file
// a, both relative to dir and of one package, and removes b.
func mergeFiles(t *testing.T, dir, a, b string) {
	t.Helper()
	na, nb := filepath.Join(dir, filepath.FromSlash(a)), filepath.Join(dir, filepath.FromSlash(b))
	ga, gb := parseGoFile(t, na), parseGoFile(t, nb)
	if ga.pkg != gb.pkg {
		t.Fatalf("%s and %s are of packages %s and %s", a, b, ga.pkg, gb.pkg)
	}
	writeChunks(t, na, ga.pkg, append(ga.imports, gb.imports...), append(ga.chunks, gb.chunks...), append(ga.uses, gb.uses...))
	if err := os.Remove(nb); err != nil {
		t.Fatal(err)
	}
}

// copyService writes into dst the modular monolith of s with the folder
// of context ctx copied under the name newName beside it, import paths in
// the copy rewritten, and the copy wired in the main package as the
// original is (its import and every line using it repeated). It returns
// the copy's folder relative to dst.
func copyService(t *testing.T, s *metaSource, dst, ctx, newName string) string {
	t.Helper()
	svcDir := s.pm.ServiceDirs[ctx]
	newDir := path.Join(path.Dir(svcDir), newName)
	oldPrefix, newPrefix := s.module+"/"+svcDir, s.module+"/"+newDir
	copyTree(t, s.dir, dst, nil, nil)
	src := filepath.Join(s.dir, filepath.FromSlash(svcDir))
	copyTree(t, src, filepath.Join(dst, filepath.FromSlash(newDir)), nil, func(r string, data []byte) []byte {
		if !strings.HasSuffix(r, ".go") {
			return data
		}
		return rewriteImports(t, r, data, func(p string) string {
			if p == oldPrefix || strings.HasPrefix(p, oldPrefix+"/") {
				return newPrefix + p[len(oldPrefix):]
			}
			return p
		})
	})
	mainFile := filepath.Join(dst, filepath.FromSlash(s.pm.MainFile))
	data, err := os.ReadFile(mainFile)
	if err != nil {
		t.Fatal(err)
	}
	importLine := regexp.MustCompile(`^\s*(\w+)\s+"` + regexp.QuoteMeta(oldPrefix) + `/`)
	var aliases []string
	for _, line := range strings.Split(string(data), "\n") {
		if m := importLine.FindStringSubmatch(line); m != nil {
			aliases = append(aliases, m[1])
		}
	}
	if len(aliases) == 0 {
		t.Fatalf("%s imports nothing of %s under an alias", s.pm.MainFile, oldPrefix)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		out = append(out, line)
		dup := line
		for _, a := range aliases {
			na := strings.Replace(a, ctx, newName, 1)
			if m := importLine.FindStringSubmatch(line); m != nil && m[1] == a {
				dup = strings.Replace(strings.Replace(dup, a, na, 1), oldPrefix, newPrefix, 1)
			} else {
				dup = regexp.MustCompile(`\b`+regexp.QuoteMeta(a)+`\.`).ReplaceAllString(dup, na+".")
			}
		}
		if dup != line {
			out = append(out, dup)
		}
	}
	src2, err := format.Source([]byte(strings.Join(out, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mainFile, src2, 0o644); err != nil {
		t.Fatal(err)
	}
	return newDir
}
