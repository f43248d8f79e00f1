package scaffold

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"decompose/emit/outdir"
)

func tinyScaffold(t *testing.T, mutate func(s *Scaffold)) *Scaffold {
	t.Helper()
	s, err := Generate(tinyPlan(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(s)
	}
	return s
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// tree lists the files under dir with their contents.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			b, _ := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

func skippedPaths(r *Report) []string {
	var out []string
	for _, s := range r.Skipped {
		out = append(out, s.Path+": "+s.Reason)
	}
	return out
}

func TestWriteAndRegenerate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "services")
	s := tinyScaffold(t, nil)
	rep, err := Write(context.Background(), dir, s, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Created) != len(s.Files()) || rep.Changed() == false {
		t.Fatalf("created %d of %d files", len(rep.Created), len(s.Files()))
	}
	for p, b := range s.Files() {
		if got := read(t, filepath.Join(dir, p)); got != string(b) {
			t.Fatalf("%s differs from what was generated", p)
		}
	}
	if m := read(t, filepath.Join(dir, "orders", ManifestName)); !strings.Contains(m, "  wire.go\n") || !strings.Contains(m, hash(s.Contexts[1].Files["wire.go"])) {
		t.Errorf("manifest lacks wire.go's hash:\n%s", m)
	}

	// the same scaffold again: nothing changes
	rep, err = Write(context.Background(), dir, s, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed() || len(rep.Unchanged) != len(s.Files()) {
		t.Fatalf("second write changed files: %+v", rep)
	}

	// the user edits wire.go and adds a file of their own
	wire := filepath.Join(dir, "orders", "wire.go")
	edited := strings.Replace(read(t, wire), "return nil", "CreateHandler = nil\n\treturn nil", 1)
	os.WriteFile(wire, []byte(edited), 0o644)
	os.WriteFile(filepath.Join(dir, "orders", "notes.md"), []byte("mine"), 0o644)

	// the plan changes: every generated file gets new content
	s2 := tinyScaffold(t, func(s *Scaffold) {
		for i := range s.Contexts {
			for p, b := range s.Contexts[i].Files {
				if strings.HasSuffix(p, ".go") {
					s.Contexts[i].Files[p] = append(b, []byte("\n// v2\n")...)
				}
			}
		}
	})
	rep, err = Write(context.Background(), dir, s2, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := skippedPaths(rep); !reflect.DeepEqual(got, []string{"orders/wire.go: edited since it was generated"}) {
		t.Errorf("skipped %q, want orders/wire.go only", got)
	}
	if got := read(t, wire); got != edited {
		t.Errorf("the edited wire.go was replaced")
	}
	if got := read(t, filepath.Join(dir, "orders", "handlers.go")); !strings.HasSuffix(got, "// v2\n") {
		t.Errorf("an unedited file was not rewritten")
	}
	if got := read(t, filepath.Join(dir, "orders", "notes.md")); got != "mine" {
		t.Errorf("the user's own file is gone or changed")
	}
	if len(rep.Updated) == 0 {
		t.Errorf("no file reported updated")
	}
	// still edited on the next run, and still skipped
	rep, err = Write(context.Background(), dir, s2, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := skippedPaths(rep); len(got) != 1 {
		t.Errorf("second regeneration skipped %q", got)
	}

	// --force replaces it
	rep, err = Write(context.Background(), dir, s2, WriteOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.Overwritten, []string{"orders/wire.go"}) || len(rep.Skipped) != 0 {
		t.Errorf("force: overwritten %q, skipped %q", rep.Overwritten, skippedPaths(rep))
	}
	if read(t, wire) != string(s2.Contexts[1].Files["wire.go"]) {
		t.Errorf("force did not replace wire.go")
	}
	if got := read(t, filepath.Join(dir, "orders", "notes.md")); got != "mine" {
		t.Errorf("force touched the user's own file")
	}

	// a function leaves the plan: its command goes, unless edited
	os.WriteFile(filepath.Join(dir, "orders", "cmd", "static", "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	s3 := tinyScaffold(t, func(s *Scaffold) {
		for i := range s.Contexts {
			for p, b := range s2.Contexts[i].Files {
				s.Contexts[i].Files[p] = b
			}
			delete(s.Contexts[i].Files, "cmd/get/main.go")
			delete(s.Contexts[i].Files, "cmd/static/main.go")
		}
	})
	rep, err = Write(context.Background(), dir, s3, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.Removed, []string{"orders/cmd/get/main.go"}) || !reflect.DeepEqual(rep.Kept, []string{"orders/cmd/static/main.go"}) {
		t.Errorf("removed %q, kept %q", rep.Removed, rep.Kept)
	}
	if _, err := os.Stat(filepath.Join(dir, "orders", "cmd", "get")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the emptied folder cmd/get is still there")
	}
	if _, err := os.Stat(filepath.Join(dir, "orders", "cmd", "static", "main.go")); err != nil {
		t.Errorf("the edited stale file is gone")
	}
	// no temporary folders are left behind
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left %s in the output folder", e.Name())
		}
	}
}

func TestWriteRefusesForeignFolders(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "orders"), 0o755)
	os.WriteFile(filepath.Join(dir, "orders", "go.mod"), []byte("module mine\n"), 0o644)
	s := tinyScaffold(t, nil)
	_, err := Write(context.Background(), dir, s, WriteOptions{})
	if err == nil || !strings.Contains(err.Error(), "was not written by decompose scaffold") {
		t.Fatalf("err %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "billing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("billing was written although orders was refused")
	}
	// forced, the folder is written, and its own go.mod replaced
	rep, err := Write(context.Background(), dir, s, WriteOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.Overwritten, []string{"orders/go.mod"}) {
		t.Errorf("overwritten %q", rep.Overwritten)
	}

	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	if _, err := Write(context.Background(), file, s, WriteOptions{}); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("out is a file: %v", err)
	}
	dir2 := t.TempDir()
	os.WriteFile(filepath.Join(dir2, "orders"), []byte("x"), 0o644)
	if _, err := Write(context.Background(), dir2, s, WriteOptions{}); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("context folder is a file: %v", err)
	}
}

// TestWriteFailureLeavesNoHalfScaffold fails a write after staging, and
// while moving into place: the output folder is as it was.
func TestWriteFailureLeavesNoHalfScaffold(t *testing.T) {
	defer func() { testHookStaged, outdir.TestHook = nil, nil }()
	boom := errors.New("disk full")

	// a fresh folder: nothing is left, not even the folder
	dir := filepath.Join(t.TempDir(), "services")
	testHookStaged = func(ctx string) error {
		if ctx == "orders" {
			return boom
		}
		return nil
	}
	if _, err := Write(context.Background(), dir, tinyScaffold(t, nil), WriteOptions{}); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed first write left %s", dir)
	}

	// a scaffold in place: a failure at any step, or a cancellation,
	// leaves every context as it was and nothing beside the folder
	testHookStaged = nil
	if _, err := Write(context.Background(), dir, tinyScaffold(t, nil), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	s2 := tinyScaffold(t, func(s *Scaffold) {
		for i := range s.Contexts {
			s.Contexts[i].Files["service.go"] = append(s.Contexts[i].Files["service.go"], []byte("// v2\n")...)
		}
	})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		staged string // the context whose staging fails
		step   string // the outdir step that fails
	}{
		{"staging a context", context.Background(), "orders", ""},
		{"stage", context.Background(), "", "stage"},
		{"lock", context.Background(), "", "lock"},
		{"aside", context.Background(), "", "aside"},
		{"swap", context.Background(), "", "swap"},
		{"cancelled", cancelled, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testHookStaged = func(ctx string) error {
				if ctx == tt.staged {
					return boom
				}
				return nil
			}
			outdir.TestHook = func(step string) error {
				if step == tt.step {
					return boom
				}
				return nil
			}
			_, err := Write(tt.ctx, dir, s2, WriteOptions{})
			testHookStaged, outdir.TestHook = nil, nil
			if err == nil {
				t.Fatal("no error")
			}
			if after := tree(t, dir); !reflect.DeepEqual(before, after) {
				for p := range after {
					if before[p] != after[p] {
						t.Errorf("%s changed", p)
					}
				}
				for p := range before {
					if _, ok := after[p]; !ok {
						t.Errorf("%s is gone", p)
					}
				}
			}
			if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
				t.Errorf("left beside the folder: %v", entries)
			}
		})
	}
}

func TestManifestErrors(t *testing.T) {
	dir := t.TempDir()
	s := tinyScaffold(t, nil)
	if _, err := Write(context.Background(), dir, s, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "orders", ManifestName), []byte("not a manifest\n"), 0o644)
	if _, err := Write(context.Background(), dir, s, WriteOptions{}); err == nil || !strings.Contains(err.Error(), "not a manifest line") {
		t.Errorf("err %v", err)
	}
}

func TestOrphans(t *testing.T) {
	dir := t.TempDir()
	s := tinyScaffold(t, nil)
	if _, err := Write(context.Background(), dir, s, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	// the architect renames orders to ordering
	os.Rename(filepath.Join(dir, "orders"), filepath.Join(dir, "ordering-old"))
	rep, err := Write(context.Background(), dir, s, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.Orphans, []string{"ordering-old"}) {
		t.Errorf("orphans %q", rep.Orphans)
	}
}

// TestManifestPathOutsideFolder: a manifest line naming a file outside its
// context folder, with that file's hash, stops the run and removes nothing.
// The victim is planted wherever the path could resolve, from the context
// folder or from the staging folder.
func TestManifestPathOutsideFolder(t *testing.T) {
	const victim = "victim\n"
	tests := []struct {
		name, path string
	}{
		{"two up", "../../x/victim.txt"},
		{"three up", "../../../x/victim.txt"},
		{"inside then out", "cmd/../../../x/victim.txt"},
		{"absolute", "/x/victim.txt"},
		{"backslashes", "..\\..\\x\\victim.txt"},
		{"unclean", "./x/victim.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "a", "b", "services")
			s := tinyScaffold(t, nil)
			if _, err := Write(context.Background(), dir, s, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			var victims []string
			for _, d := range []string{root, filepath.Join(root, "a"), filepath.Join(root, "a", "b"), dir} {
				v := filepath.Join(d, "x", "victim.txt")
				os.MkdirAll(filepath.Dir(v), 0o755)
				os.WriteFile(v, []byte(victim), 0o644)
				victims = append(victims, v)
			}
			m := filepath.Join(dir, "orders", ManifestName)
			b := read(t, m)
			os.WriteFile(m, []byte(b+hash([]byte(victim))+"  "+tt.path+"\n"), 0o644)
			for _, force := range []bool{false, true} {
				_, err := Write(context.Background(), dir, s, WriteOptions{Force: force})
				if err == nil || !strings.Contains(err.Error(), "path ") || strings.Contains(err.Error(), "\n") {
					t.Errorf("force %v: err %v, want one line naming the path", force, err)
				}
			}
			for _, v := range victims {
				if _, err := os.Stat(v); err != nil {
					t.Errorf("%s: %v", v, err)
				}
			}
		})
	}
}

// TestWriteRefusesLinks: a folder of a context replaced by a symbolic link
// is never written or removed through, forced or not.
func TestWriteRefusesLinks(t *testing.T) {
	dropAPI := func(s *Scaffold) {
		for i := range s.Contexts {
			delete(s.Contexts[i].Files, "api/api.go")
		}
	}
	tests := []struct {
		name   string
		link   string // folder of orders made a link to the victim folder
		mutate func(s *Scaffold)
	}{
		{"generated files under the link", "cmd", nil},
		{"stale file under the link", "api", dropAPI},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, victim := t.TempDir(), t.TempDir()
			if _, err := Write(context.Background(), dir, tinyScaffold(t, nil), WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(dir, "orders", tt.link)
			// the victim holds copies of what was generated there, so that
			// their hashes match the manifest
			os.CopyFS(victim, os.DirFS(link))
			before := tree(t, victim)
			os.RemoveAll(link)
			if err := os.Symlink(victim, link); err != nil {
				t.Fatal(err)
			}
			for _, force := range []bool{false, true} {
				_, err := Write(context.Background(), dir, tinyScaffold(t, tt.mutate), WriteOptions{Force: force})
				if err == nil || !strings.Contains(err.Error(), "is a symbolic link") {
					t.Errorf("force %v: err %v, want a refusal of the link", force, err)
				}
			}
			if after := tree(t, victim); !reflect.DeepEqual(before, after) {
				t.Errorf("the link's target changed: %d files before, %d after", len(before), len(after))
			}
		})
	}
}

// FuzzReadManifest: whatever a scaffold manifest holds, a path it yields
// stays inside the context folder, and an error is one line.
func FuzzReadManifest(f *testing.F) {
	sum := strings.Repeat("a", 64)
	for _, s := range []string{
		manifestHeader + sum + "  go.mod\n" + sum + "  cmd/get/main.go\n",
		sum + "  ../../x/victim.txt\n",
		sum + "  /x/victim.txt\n",
		sum + "  cmd/../../../x\n",
		sum + "  ..\\..\\x\n",
		sum + "  a\x1bb\n",
		sum + "   go.mod\n",
		"not a manifest\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		path := filepath.Join(t.TempDir(), ManifestName)
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		m, _, err := readManifest(path)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			return
		}
		for p := range m {
			if !filepath.IsLocal(filepath.FromSlash(p)) || strings.Contains(p, `\`) {
				t.Errorf("manifest %q yields %q", s, p)
			}
		}
	})
}
