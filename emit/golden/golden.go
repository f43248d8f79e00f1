// Package golden compares what a test emits with the file committed
// beside the test, and rewrites that file when go test runs with -update:
// one flag and one comparison for every package with golden files.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Update tells whether go test runs with -update, for tests that write a
// golden tree of their own.
func Update() bool { return *update }

// Check compares got with the file at path, or with -update writes it
// there (making its folder).
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; look at the change, then go test -update\n%s", path, Diff(got, want))
	}
}

// Diff describes the first line where got and want differ, with its
// number, rather than the whole of a long file.
func Diff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if i >= len(g) || i >= len(w) || !bytes.Equal(gl, wl) {
			return "line " + strconv.Itoa(i+1) + ":\n got:  " + quote(gl, i < len(g)) + "\n want: " + quote(wl, i < len(w))
		}
	}
	return "(no line differs)"
}

func quote(line []byte, present bool) string {
	if !present {
		return "(end of file)"
	}
	return string(line)
}
