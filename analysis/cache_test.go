package analysis

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestFilesChanged: the hint that a cached model will likely not serve
// follows the contents of the files the last key read, and of their
// folders, not their modification times.
func TestFilesChanged(t *testing.T) {
	t.Setenv("DECOMPOSE_CACHE", t.TempDir())
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
