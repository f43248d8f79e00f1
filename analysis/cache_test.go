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

// TestKeyDescribes: a model is stored under a key only if the files the
// key read are the files the load read: none changed since, and one
// changed just before is a Go file the load parsed as the key hashed it.
func TestKeyDescribes(t *testing.T) {
	t.Setenv("DECOMPOSE_CACHE", t.TempDir())
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	write := func(name, data string, at time.Time) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
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
