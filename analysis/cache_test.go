package analysis

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFilesChanged: the hint that a cached model will likely not serve
// follows the contents of the files the last key read, and of their
// folders, not their modification times.
func TestFilesChanged(t *testing.T) {
	t.Setenv("DECOMPOSE_CACHE", t.TempDir())
	dir := t.TempDir()
	write := func(name, data string) { writeFile(t, dir, name, data) }
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	write("a/a.go", "package a\n\nfunc A() {}\n")
	write("main.go", "package main\n\nimport \"example.com/m/a\"\n\nfunc main() { a.A() }\n")
	ctx := context.Background()
	cfg, err := Config{Dir: dir}.Resolve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	changed := func() bool { return FilesChanged(ctx, cfg, DefaultAlgorithm) }
	key := func() string {
		t.Helper()
		k, err := CacheKey(ctx, cfg, DefaultAlgorithm)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	if !changed() {
		t.Error("no key was computed yet, and the files count as unchanged")
	}
	k := key()
	if changed() {
		t.Error("nothing changed since the key, and the files count as changed")
	}

	// the same contents written again: a new modification time
	later := time.Now().Add(time.Minute)
	write("a/a.go", "package a\n\nfunc A() {}\n")
	if err := os.Chtimes(filepath.Join(dir, "a/a.go"), later, later); err != nil {
		t.Fatal(err)
	}
	if changed() {
		t.Error("a file written again with the same contents counts as changed")
	}
	if key() != k {
		t.Error("the same contents give another key")
	}

	write("a/a.go", "package a\n\nfunc A() {} // changed\n")
	if !changed() {
		t.Error("a changed file counts as unchanged")
	}
	k2 := key()
	if k2 == k {
		t.Error("a changed file gives the same key")
	}
	write("a/b.go", "package a\n")
	if !changed() {
		t.Error("a file added to a package counts as no change")
	}
	if key() == k2 {
		t.Error("a file added to a package gives the same key")
	}
}

// TestKeyDescribes: a model is stored under a key only if the files the
// key read are the files the load read: none changed since, and one
// changed just before is a Go file the load parsed as the key hashed it.
func TestKeyDescribes(t *testing.T) {
	t.Setenv("DECOMPOSE_CACHE", t.TempDir())
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	write := func(name, data string, at time.Time) {
		t.Helper()
		path := writeFile(t, dir, name, data)
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
		// a file written in place leaves its folder as it was
		if err := os.Chtimes(filepath.Dir(path), old, old); err != nil {
			t.Fatal(err)
		}
	}
	const a = "package a\n\nfunc A() {}\n"
	write("go.mod", "module example.com/m\n\ngo 1.22\n", old)
	write("a/a.go", a, old)
	if err := os.Chtimes(dir, old, old); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cfg, err := Config{Dir: dir}.Resolve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	key := func() *Key {
		t.Helper()
		k, err := ComputeKey(ctx, cfg, DefaultAlgorithm)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	aGo := filepath.Join(dir, "a", "a.go")
	files := map[string][]string{"example.com/m/a": {aGo}}

	k := key()
	if !k.Describes(time.Now(), nil, files) {
		t.Error("files unchanged for an hour: the key does not describe the load")
	}
	write("a/a.go", "package a\n\nfunc A() {} // saved during the run\n", time.Now())
	if k.Describes(time.Now(), nil, files) {
		t.Error("a file changed after the key read it: the key still describes the load")
	}

	const saved = "package a\n\nfunc A() {} // saved just before\n"
	write("a/a.go", saved, time.Now())
	k = key()
	if k.Describes(time.Now(), nil, files) {
		t.Error("a file changed just before the key, not parsed: the key describes the load")
	}
	if !k.Describes(time.Now(), map[string]string{aGo: SourceSum([]byte(saved))}, files) {
		t.Error("a file changed just before the key, parsed as the key hashed it: the key does not describe the load")
	}
	if k.Describes(time.Now(), map[string]string{aGo: SourceSum([]byte(a))}, files) {
		t.Error("a file changed just before the key, parsed with other contents: the key describes the load")
	}

	write("a/a.go", saved, old)
	k = key()
	if !k.Describes(time.Now(), nil, files) {
		t.Error("nothing changed: the key does not describe the load")
	}
	if k.Describes(time.Now(), nil, map[string][]string{"example.com/m/a": {aGo, filepath.Join(dir, "a", "b.go")}}) {
		t.Error("the load found a file the key did not list: the key describes the load")
	}
	if err := os.WriteFile(filepath.Join(dir, "a", "b.go"), []byte("package a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if k.Describes(time.Now(), nil, files) {
		t.Error("a file added after the key: the key still describes the load")
	}
}

// TestKeyOfListing: the key taken from the load's listing (KeyOf) is the
// key that listing the program anew gives (ComputeKey), whatever the
// program's dependencies are (the toolchain's, the module cache's, a local
// replacement, a vendored copy) and however it is laid out (embedded
// files, build tags, a workspace), so that a model stored under the one
// is found under the other; and it describes the load, so that the model
// is stored.
func TestKeyOfListing(t *testing.T) {
	yamlMod, yamlSum := requirement(t, "go.yaml.in/yaml/v3")
	cases := []struct {
		name  string
		files map[string]string
		dir   string // where decompose runs, in the fixture
		tags  []string
	}{
		{name: "module", files: map[string]string{
			"go.mod":            "module example.com/m\n\ngo 1.22\n",
			"main.go":           "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/m/web\"\n)\n\nfunc main() { fmt.Println(web.Page) }\n",
			"web/web.go":        "package web\n\nimport _ \"embed\"\n\n//go:embed page.html\nvar Page string\n",
			"web/page.html":     "<p>hello</p>\n",
			"web/web_test.go":   "package web\n",
			"web/other_os.go":   "//go:build plan9\n\npackage web\n",
			"web/tagged.go":     "//go:build extra\n\npackage web\n\nconst Extra = 1\n",
			"docs/README.md":    "not Go\n",
			"internal/x/x.go":   "package x\n\nfunc X() int { return 1 }\n",
			"internal/x/x_c.go": "package x\n",
		}},
		{name: "tags", tags: []string{"extra"}, files: map[string]string{
			"go.mod":        "module example.com/m\n\ngo 1.22\n",
			"web/web.go":    "package web\n",
			"web/tagged.go": "//go:build extra\n\npackage web\n\nconst Extra = 1\n",
		}},
		{name: "module cache", files: map[string]string{
			"go.mod": "module example.com/m\n\ngo 1.22\n\nrequire " + yamlMod + "\n",
			"go.sum": yamlSum,
			"conf/conf.go": "package conf\n\nimport \"go.yaml.in/yaml/v3\"\n\n" +
				"func Read(b []byte) (map[string]any, error) {\n\tvar m map[string]any\n\treturn m, yaml.Unmarshal(b, &m)\n}\n",
		}},
		{name: "replaced by a folder", dir: "app", files: map[string]string{
			"app/go.mod":  "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n",
			"app/main.go": "package main\n\nimport \"example.com/lib\"\n\nfunc main() { lib.F() }\n",
			"lib/go.mod":  "module example.com/lib\n\ngo 1.22\n",
			"lib/lib.go":  "package lib\n\nfunc F() {}\n",
		}},
		{name: "vendored", files: map[string]string{
			"go.mod":                      "module example.com/m\n\ngo 1.22\n\nrequire example.com/v v1.0.0\n",
			"main.go":                     "package main\n\nimport \"example.com/v\"\n\nfunc main() { v.V() }\n",
			"vendor/modules.txt":          "# example.com/v v1.0.0\n## explicit\nexample.com/v\n",
			"vendor/example.com/v/v.go":   "package v\n\nfunc V() {}\n",
			"vendor/example.com/v/doc.go": "// Package v is vendored.\npackage v\n",
		}},
		{name: "workspace", files: map[string]string{
			"go.work":      "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
			"a/go.mod":     "module example.com/a\n\ngo 1.22\n",
			"a/a.go":       "package a\n\nimport \"example.com/b\"\n\nfunc A() { b.B() }\n",
			"b/go.mod":     "module example.com/b\n\ngo 1.22\n",
			"b/b.go":       "package b\n\nfunc B() {}\n",
			"b/sub/sub.go": "package sub\n",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("DECOMPOSE_CACHE", t.TempDir())
			t.Setenv("GOFLAGS", "")
			t.Setenv("GOPROXY", "off")
			t.Setenv("GOWORK", "")
			root := t.TempDir()
			for name, data := range c.files {
				writeFile(t, root, name, data)
			}
			// files written just before the load count as perhaps
			// changed during it (TestKeyDescribes): these were not
			old := time.Now().Add(-time.Hour)
			if err := filepath.WalkDir(root, func(path string, _ os.DirEntry, err error) error {
				if err != nil {
					return err
				}
				return os.Chtimes(path, old, old)
			}); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			cfg, err := Config{Dir: filepath.Join(root, c.dir), Tags: c.tags}.Resolve(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var listing *Listing
			lcfg := cfg
			lcfg.Listed = func(l *Listing) { listing = l }
			start := time.Now()
			prog, err := Load(ctx, lcfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(prog.Errors) > 0 {
				t.Fatalf("the fixture does not load cleanly: %v", prog.Errors)
			}
			if listing == nil {
				t.Fatal("the load gave no listing")
			}
			fromLoad, err := KeyOf(ctx, cfg, DefaultAlgorithm, listing)
			if err != nil {
				t.Fatal(err)
			}
			listed, err := ComputeKey(ctx, cfg, DefaultAlgorithm)
			if err != nil {
				t.Fatal(err)
			}
			if fromLoad.Sum != listed.Sum {
				t.Errorf("the key from the load's listing differs from the key of a new listing:\n%v\n%v", stampPaths(fromLoad), stampPaths(listed))
			}
			if !fromLoad.Describes(start, prog.Parsed, prog.Files) {
				t.Error("the key from the load's listing does not describe the load")
			}
		})
	}
}

// requirement returns the module path and version this module requires
// of path, and its go.sum lines, so that a fixture can require a module
// the module cache holds.
func requirement(t *testing.T, path string) (string, string) {
	t.Helper()
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var req string
	for _, line := range strings.Split(string(mod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == path {
			req = f[0] + " " + f[1]
		}
	}
	if req == "" {
		t.Fatalf("go.mod does not require %s", path)
	}
	sum, err := os.ReadFile("../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, line := range strings.Split(string(sum), "\n") {
		if strings.HasPrefix(line, req+" ") || strings.HasPrefix(line, req+"/go.mod ") {
			lines = append(lines, line)
		}
	}
	return req, strings.Join(lines, "\n") + "\n"
}

func stampPaths(k *Key) []string {
	var out []string
	for _, s := range k.stamps {
		out = append(out, s.Path)
	}
	return out
}

// writeFile writes data to the slash-separated name under dir, making its
// folders, and returns its path.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
