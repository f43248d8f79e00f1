package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"decompose/emit/outdir"
)

// TestTamperedOutputFolders: an output folder whose manifest names a path
// outside it, or that holds a symbolic link to elsewhere, stops analyze and
// scaffold with one line and exit 2, and nothing outside the folder
// changes.
func TestTamperedOutputFolders(t *testing.T) {
	ok := extract(t, "testdata/ok.txtar")
	const victim = "victim\n"
	sum := sha256.Sum256([]byte(victim))
	line := hex.EncodeToString(sum[:]) + "  ../../x/victim.txt\n"
	appendTo := func(path, s string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(path, append(b, s...), 0o644)
	}
	link := func(from, to string) {
		os.RemoveAll(from)
		if err := os.Symlink(to, from); err != nil {
			t.Fatal(err)
		}
	}
	analyze := func(out string) []string { return []string{"analyze", "-C", ok, "-q", "--out", out} }
	scaffold := func(out string) []string { return []string{"scaffold", "--plan", tinyPlan, "--out", out, "-q"} }
	tests := []struct {
		name   string
		args   func(out string) []string
		tamper func(out, elsewhere string)
		err    string
	}{
		{"analyze manifest", analyze, func(out, _ string) {
			appendTo(filepath.Join(out, ".decompose-manifest"), "../x/victim.txt\n")
		}, `path "../x/victim.txt" leaves its folder`},
		{"analyze linked folder", analyze, func(out, elsewhere string) {
			link(filepath.Join(out, "contexts"), elsewhere)
		}, "contexts is a symbolic link"},
		{"analyze linked file", analyze, func(out, elsewhere string) {
			link(filepath.Join(out, "plan.md"), filepath.Join(elsewhere, "victim.txt"))
		}, "plan.md is a symbolic link"},
		{"scaffold manifest", scaffold, func(out, _ string) {
			appendTo(filepath.Join(out, "orders", ".decompose-scaffold"), line)
		}, `path "../../x/victim.txt" leaves its folder`},
		{"scaffold linked folder", scaffold, func(out, elsewhere string) {
			link(filepath.Join(out, "orders", "cmd"), elsewhere)
		}, "cmd is a symbolic link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			out := filepath.Join(root, "a", "out")
			if code, _, stderr := run(t, tt.args(out)...); code != 0 {
				t.Fatalf("first run: exit %d: %s", code, stderr)
			}
			// victims wherever a path could lead: in out, beside it, above
			// it, and in the link's target
			elsewhere := filepath.Join(root, "elsewhere")
			var victims []string
			for _, d := range []string{filepath.Join(out, "x"), filepath.Join(root, "x"), filepath.Join(root, "a", "x"), elsewhere} {
				os.MkdirAll(d, 0o755)
				os.WriteFile(filepath.Join(d, "victim.txt"), []byte(victim), 0o644)
				victims = append(victims, filepath.Join(d, "victim.txt"))
			}
			tt.tamper(out, elsewhere)
			code, _, stderr := run(t, tt.args(out)...)
			if code != 2 || !strings.Contains(stderr, tt.err) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.err)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 {
				t.Errorf("error is not one line:\n%s", stderr)
			}
			for _, v := range victims {
				if b, err := os.ReadFile(v); string(b) != victim {
					t.Errorf("%s: %q, %v", v, b, err)
				}
			}
			if entries, _ := os.ReadDir(elsewhere); len(entries) != 1 {
				t.Errorf("%d files in %s, want 1", len(entries), elsewhere)
			}
		})
	}
}

// TestFailedRunLeavesNoOutFolder: an analysis that fails after --out was
// opened removes the folder it created, and only that.
func TestFailedRunLeavesNoOutFolder(t *testing.T) {
	ok := extract(t, "testdata/ok.txtar")
	existing := t.TempDir()
	tests := []struct {
		name, out string
		remains   bool
	}{
		{"created by the run", filepath.Join(t.TempDir(), "new"), false},
		{"created with its parent", filepath.Join(t.TempDir(), "parent", "new"), false},
		{"there before", existing, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, "analyze", "-C", ok, "-q", "--out", tt.out, "./nothing")
			if code != 2 || !strings.Contains(stderr, "no Go packages match") {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if _, err := os.Stat(tt.out); (err == nil) != tt.remains {
				t.Errorf("%s: %v, want it there %v", tt.out, err, tt.remains)
			}
		})
	}
}

// TestStaleDiagramsRemoved: a diagram an earlier run wrote for a context
// this run does not have is removed from --out and its manifest, and the
// summary says so.
func TestStaleDiagramsRemoved(t *testing.T) {
	ok := extract(t, "testdata/ok.txtar")
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := run(t, "analyze", "-C", ok, "-q", "--out", out); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	// as if an earlier decomposition had a context "gone"
	for _, n := range []string{"gone.svg", "gone.dot"} {
		os.WriteFile(filepath.Join(out, "contexts", n), []byte("<svg/>"), 0o644)
	}
	manifest := filepath.Join(out, ".decompose-manifest")
	b, _ := os.ReadFile(manifest)
	os.WriteFile(manifest, append(b, "contexts/gone.dot\ncontexts/gone.svg\n"...), 0o644)

	code, stdout, stderr := run(t, "analyze", "-C", ok, "--out", out)
	if code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "contexts/gone.dot, contexts/gone.svg (no longer produced)") {
		t.Errorf("summary does not list the removed files:\n%s", stdout)
	}
	for _, n := range []string{"gone.svg", "gone.dot"} {
		if _, err := os.Stat(filepath.Join(out, "contexts", n)); err == nil {
			t.Errorf("contexts/%s is still there", n)
		}
	}
	if b, _ := os.ReadFile(manifest); strings.Contains(string(b), "gone") {
		t.Errorf("manifest still lists them:\n%s", b)
	}
}

// outFiles lists the files under dir with their contents.
func outFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			b, _ := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSecondRunRefused: while a run holds an output folder, analyze and
// scaffold into it stop with one line and exit 2, and change nothing.
func TestSecondRunRefused(t *testing.T) {
	ok := extract(t, "testdata/ok.txtar")
	tests := []struct {
		name string
		args func(out string) []string
	}{
		{"analyze", func(out string) []string { return []string{"analyze", "-C", ok, "-q", "--out", out} }},
		{"scaffold", func(out string) []string { return []string{"scaffold", "--plan", tinyPlan, "--out", out, "-q"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := run(t, tt.args(out)...); code != 0 {
				t.Fatalf("first run: %d %s", code, stderr)
			}
			before := outFiles(t, out)
			held, err := outdir.Lock(out)
			if err != nil {
				t.Fatal(err)
			}
			code, _, stderr := run(t, tt.args(out)...)
			held.Unlock()
			if code != 2 || !strings.Contains(stderr, "is in use by another decompose run (pid ") || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
			if after := outFiles(t, out); !reflect.DeepEqual(before, after) {
				t.Error("the refused run changed the folder")
			}
			if code, _, stderr := run(t, tt.args(out)...); code != 0 {
				t.Errorf("run after the first ended: %d %s", code, stderr)
			}
		})
	}
}

// TestForceRefusesBeforeWriting: with --force over a folder holding a
// file of the user's that analyze would write, nothing at all is written.
func TestForceRefusesBeforeWriting(t *testing.T) {
	ok := extract(t, "testdata/ok.txtar")
	for _, name := range []string{"plan.yaml", "report.html", "findings.sarif", "packages.svg"} {
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			os.MkdirAll(filepath.Dir(filepath.Join(out, name)), 0o755)
			os.WriteFile(filepath.Join(out, name), []byte("mine"), 0o644)
			before := outFiles(t, out)
			code, _, stderr := run(t, "analyze", "-C", ok, "-q", "--force", "--out", out)
			if code != 2 || !strings.Contains(stderr, "not replacing it") {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if after := outFiles(t, out); !reflect.DeepEqual(before, after) {
				t.Errorf("the refused run wrote: %v", after)
			}
			if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
				t.Errorf("left beside --out: %v", entries)
			}
		})
	}
}
