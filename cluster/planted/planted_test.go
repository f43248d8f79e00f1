package planted

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateTypeChecks writes monoliths of every layout and
// type-checks them, their packages from source in import order and the
// standard library from export data.
func TestGenerateTypeChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the standard library's export data")
	}
	std := importer.ForCompiler(token.NewFileSet(), "gc", nil)
	for _, layout := range Layouts {
		for seed := uint64(1); seed <= 6; seed++ {
			dir := t.TempDir()
			m, err := Generate(dir, seed, layout)
			if err != nil {
				t.Fatal(err)
			}
			if err := typeCheck(dir, m.Module, std); err != nil {
				t.Errorf("%s seed %d: %v", layout, seed, err)
			}
		}
	}
}

// typeCheck type-checks the module in dir.
func typeCheck(dir, module string, std types.Importer) error {
	fset := token.NewFileSet()
	files := map[string][]*ast.File{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, filepath.Dir(p))
		pkg := module
		if rel != "." {
			pkg += "/" + filepath.ToSlash(rel)
		}
		files[pkg] = append(files[pkg], f)
		return nil
	})
	if err != nil {
		return err
	}
	done := map[string]*types.Package{}
	var imp importerFunc
	imp = func(p string) (*types.Package, error) {
		if tp, ok := done[p]; ok {
			return tp, nil
		}
		fs, ok := files[p]
		if !ok {
			return std.Import(p)
		}
		conf := types.Config{Importer: imp}
		tp, err := conf.Check(p, fset, fs, nil)
		if err != nil {
			return nil, err
		}
		done[p] = tp
		return tp, nil
	}
	for p := range files {
		if _, err := imp(p); err != nil {
			return err
		}
	}
	return nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// checkMonolith checks the partition against the files written.
func checkMonolith(t *testing.T, m *Monolith) {
	t.Helper()
	if len(m.Contexts) < 3 || len(m.Contexts) != len(m.Words) {
		t.Errorf("contexts %v, words %v", m.Contexts, m.Words)
	}
	if m.Files > 60 {
		t.Errorf("%d files", m.Files)
	}
	count := map[string]int{}
	for p, c := range m.Packages {
		if !strings.HasPrefix(p, m.Module) {
			t.Errorf("package %s outside module %s", p, m.Module)
		}
		count[c]++
	}
	for _, c := range m.Decls {
		count[c]++
	}
	for _, c := range m.Contexts {
		if count[c] == 0 {
			t.Errorf("context %s owns nothing", c)
		}
	}
	if len(m.Kernel) == 0 || len(m.Mains) != 1 {
		t.Errorf("kernel %v, mains %v", m.Kernel, m.Mains)
	}
	if _, err := os.Stat(filepath.Join(m.Dir, filepath.FromSlash(m.MainFile))); err != nil {
		t.Error(err)
	}
	if (m.Layout == Layered) != (len(m.Split) > 0) {
		t.Errorf("layout %s with split packages %v", m.Layout, m.Split)
	}
}

// TestGenerateMany checks the partitions of many seeds of every layout
// against the files written (whose syntax Generate checks).
func TestGenerateMany(t *testing.T) {
	for _, layout := range Layouts {
		for seed := uint64(1); seed <= 12; seed++ {
			m, err := Generate(t.TempDir(), seed, layout)
			if err != nil {
				t.Fatalf("%s seed %d: %v", layout, seed, err)
			}
			checkMonolith(t, m)
		}
	}
}

// TestGenerateDeterministic wants the same files from the same seed.
func TestGenerateDeterministic(t *testing.T) {
	for _, layout := range Layouts {
		a, b := t.TempDir(), t.TempDir()
		ma, err := Generate(a, 7, layout)
		if err != nil {
			t.Fatal(err)
		}
		mb, err := Generate(b, 7, layout)
		if err != nil {
			t.Fatal(err)
		}
		if fa, fb := listing(t, a), listing(t, b); fa != fb {
			t.Errorf("%s: two runs write different files:\n%s\n---\n%s", layout, fa, fb)
		}
		if strings.Join(ma.Contexts, ",") != strings.Join(mb.Contexts, ",") || len(ma.Decls) != len(mb.Decls) {
			t.Errorf("%s: two runs plant different partitions", layout)
		}
	}
}

func listing(t *testing.T, dir string) string {
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "%s %d\n", rel, len(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
