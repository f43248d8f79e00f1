package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

func extract(t *testing.T, archive string) string {
	t.Helper()
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run runs the command line in-process and returns its exit code, stdout
// and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	root := newRootCmd(&stdout, &stderr)
	root.SetArgs(args)
	code := exitCode(root.Execute(), &stderr)
	return code, stdout.String(), stderr.String()
}

func TestAnalyzeBadInput(t *testing.T) {
	ok := extract(t, "testdata/ok.txtar")
	broken := extract(t, "testdata/broken.txtar")
	uns := extract(t, "../../analysis/testdata/unsafe.txtar") // imports unsafe
	notModule := t.TempDir()
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644)
	badConfig := filepath.Join(t.TempDir(), "decompose.yaml")
	os.WriteFile(badConfig, []byte("algo: vta\nweights: [1\n"), 0o644)
	unknownKey := filepath.Join(t.TempDir(), "decompose.yaml")
	os.WriteFile(unknownKey, []byte("algorithm: vta\n"), 0o644)

	tests := []struct {
		name     string
		args     []string
		code     int
		errMatch string
	}{
		{"missing dir", []string{"analyze", "-C", filepath.Join(ok, "nope")}, 2, "does not exist"},
		{"not a module", []string{"analyze", "-C", notModule}, 2, "is not in a Go module"},
		{"pattern matches nothing", []string{"analyze", "-C", ok, "./nothing/..."}, 2, "no Go packages match"},
		{"missing package", []string{"analyze", "-C", ok, "example.com/ok/zzz"}, 2, ""},
		{"one pattern of two matches nothing", []string{"analyze", "-C", ok, "-q", "./...", "./nothing"}, 1, "nothing: directory not found"},
		{"bad algo", []string{"analyze", "-C", ok, "--algo", "pointer"}, 2, `unknown --algo "pointer"`},
		{"bad format", []string{"analyze", "-C", ok, "--format", "xml"}, 2, "unknown --format"},
		{"bad memory limit", []string{"analyze", "-C", ok, "--memory-limit", "lots"}, 2, `--memory-limit "lots"`},
		{"memory limit off", []string{"analyze", "-C", ok, "--memory-limit", "off"}, 0, ""},
		{"memory limit overflows", []string{"analyze", "-C", ok, "--memory-limit", "8388608TiB"}, 2, "too large"},
		{"negative contexts", []string{"analyze", "-C", ok, "--contexts", "-1"}, 2, "--contexts must not be negative (0: as many as the structure suggests)"},
		{"zero contexts", []string{"analyze", "-C", ok, "--contexts", "0"}, 0, ""},
		{"broken config", []string{"analyze", "-C", ok, "--config", badConfig}, 2, "config " + badConfig},
		{"unknown config key", []string{"analyze", "-C", ok, "--config", unknownKey}, 2, "field algorithm not found"},
		{"missing config", []string{"analyze", "-C", ok, "--config", filepath.Join(ok, "none.yaml")}, 2, "no such file"},
		{"out under a file", []string{"analyze", "-C", ok, "--out", filepath.Join(file, "out")}, 2, "output folder"},
		{"foreign out", []string{"analyze", "-C", ok, "--out", foreign}, 2, "was not written by decompose"},
		{"type and syntax errors", []string{"analyze", "-C", broken}, 1, "typeerr/typeerr.go:5:25"},
		{"clean", []string{"analyze", "-C", ok}, 0, ""},
		{"unsafe among the patterns", []string{"analyze", "-C", uns, "-q", "./...", "unsafe"}, 0, ""},
		{"all, unsafe among them", []string{"analyze", "-C", uns, "-q", "all"}, 0, ""},
		{"unsafe alone", []string{"analyze", "-C", uns, "-q", "unsafe"}, 2, "no Go packages match unsafe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.errMatch) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.errMatch)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
				t.Errorf("stderr shows a crash:\n%s", stderr)
			}
			for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if line != "" && !strings.HasPrefix(line, "decompose: ") {
					t.Errorf("stderr line without prefix: %q", line)
				}
			}
		})
	}
}

func TestAnalyzeBrokenPackagesStillAnalyzed(t *testing.T) {
	broken := extract(t, "testdata/broken.txtar")
	code, stdout, stderr := run(t, "analyze", "-C", broken, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	for _, want := range []string{`"example.com/broken/good.Hello"`, `"example.com/broken/typeerr.Use"`, `"broken": true`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("model lacks %s", want)
		}
	}
	if !strings.Contains(stderr, "syntaxerr/syntaxerr.go:3") {
		t.Errorf("syntax error not reported: %s", stderr)
	}
}

func TestAnalyzeOutFolder(t *testing.T) {
	ok := extract(t, "testdata/ok.txtar")
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := run(t, "analyze", "-C", ok, "-q", "--out", out); code != 0 {
		t.Fatalf("first run: %d %s", code, stderr)
	}
	first, err := os.ReadFile(filepath.Join(out, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	// A second run into the folder it wrote is allowed and gives the
	// same bytes.
	if code, _, stderr := run(t, "analyze", "-C", ok, "-q", "--out", out); code != 0 {
		t.Fatalf("second run: %d %s", code, stderr)
	}
	second, _ := os.ReadFile(filepath.Join(out, "model.json"))
	if !bytes.Equal(first, second) {
		t.Error("model.json differs between two runs")
	}
	if strings.Contains(string(first), ok) {
		t.Error("model.json holds an absolute path of the analyzed tree")
	}

	// --force lets decompose write into a foreign folder, but never
	// replaces a file it did not write.
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "model.json"), []byte("mine"), 0o644)
	code, _, stderr := run(t, "analyze", "-C", ok, "-q", "--force", "--out", foreign)
	if code != 2 || !strings.Contains(stderr, "not replacing it") {
		t.Errorf("foreign file: exit %d, stderr %s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(foreign, "model.json")); string(b) != "mine" {
		t.Error("a foreign file was overwritten")
	}
}

func TestAnalyzeDoesNotTouchTheTree(t *testing.T) {
	ok := extract(t, "testdata/ok.txtar")
	before := snapshot(t, ok)
	if code, _, stderr := run(t, "analyze", "-C", ok, "-q"); code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	if after := snapshot(t, ok); after != before {
		t.Errorf("the analyzed tree changed:\n%s\n---\n%s", before, after)
	}
}

func snapshot(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		data, _ := os.ReadFile(path)
		b.WriteString(path + " " + info.ModTime().String() + " " + string(data) + "\n")
		return nil
	})
	return b.String()
}

func TestVersion(t *testing.T) {
	code, stdout, _ := run(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "decompose ") {
		t.Errorf("version: %d %q", code, stdout)
	}
}

// TestAnalyzeShop runs the whole pipeline on the example monolith twice:
// every artefact is written, and the two runs give the same bytes.
func TestAnalyzeShop(t *testing.T) {
	var outs [2]string
	for i := range outs {
		outs[i] = filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := run(t, "analyze", "-C", "../../testdata/shop", "--out", outs[i])
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, want := range []string{"contexts:", "findings:", "blocker"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("summary lacks %q:\n%s", want, stdout)
			}
		}
	}
	names := []string{"plan.yaml", "plan.json", "plan.md", "report.html", "model.json", "findings.sarif", "context-map.dot", "context-map.svg", "packages.dot", "packages.svg"}
	for _, c := range []string{"checkout", "users"} {
		names = append(names, "contexts/"+c+".dot", "contexts/"+c+".svg")
	}
	for _, name := range names {
		a, err := os.ReadFile(filepath.Join(outs[0], name))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(outs[1], name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", name)
		}
		if len(a) < 100 {
			t.Errorf("%s is nearly empty", name)
		}
	}
	plan, _ := os.ReadFile(filepath.Join(outs[0], "plan.yaml"))
	for _, want := range []string{"schema: decompose/v1", "shared_kernel:", "findings:", "data_ownership:", "object: example.com/shop/users.sessions", "summary:", "steps:", "cost:", "remote_calls:"} {
		if !strings.Contains(string(plan), want) {
			t.Errorf("plan.yaml lacks %q", want)
		}
	}
	md, _ := os.ReadFile(filepath.Join(outs[0], "plan.md"))
	for _, want := range []string{"## Migration steps", "### Step 1: extract", "## Cost sketch", "```mermaid"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("plan.md lacks %q", want)
		}
	}
	html, _ := os.ReadFile(filepath.Join(outs[0], "report.html"))
	for _, want := range []string{`id="ctx-checkout"`, `id="step-1"`, "<svg"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	sarif, _ := os.ReadFile(filepath.Join(outs[0], "findings.sarif"))
	if !strings.Contains(string(sarif), `"version": "2.1.0"`) || !strings.Contains(string(sarif), `"level": "error"`) {
		t.Error("findings.sarif lacks the version or an error-level result")
	}
}

// TestModelCache checks that an unchanged program is served from the
// cache, and that a changed file is never served a stale model.
func TestModelCache(t *testing.T) {
	dir := extract(t, "testdata/ok.txtar")
	analyze := func() (string, string) {
		t.Helper()
		code, stdout, stderr := run(t, "analyze", "-C", dir, "-v")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		_, jsonOut, _ := run(t, "analyze", "-C", dir, "--format", "json")
		return stdout, jsonOut
	}
	first, model1 := analyze()
	if strings.Contains(first, "cached model") {
		t.Fatal("first run served from the cache")
	}
	second, model2 := analyze()
	if !strings.Contains(second, "cached model") {
		t.Errorf("second run not served from the cache:\n%s", second)
	}
	if model1 != model2 {
		t.Error("the cached model differs from the built one")
	}
	if err := os.WriteFile(filepath.Join(dir, "b", "b.go"), []byte("package b\n\nfunc B() {}\n\nfunc C() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	third, model3 := analyze()
	if strings.Contains(third, "cached model") {
		t.Error("a changed file was served a cached model")
	}
	if !strings.Contains(model3, `"example.com/ok/b.C"`) {
		t.Error("the new declaration is missing")
	}
	// a model built after a change is stored under the key of the
	// load's own listing, which is the key the next run computes
	if err := os.WriteFile(filepath.Join(dir, "b", "b.go"), []byte("package b\n\nfunc B() {}\n\nfunc D() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{false, true} {
		code, out, stderr := run(t, "analyze", "-C", dir, "-v")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if got := strings.Contains(out, "cached model"); got != want {
			t.Errorf("run %d after the second change: served from the cache %v, want %v:\n%s", i+1, got, want, out)
		}
	}
	if code, out, _ := run(t, "analyze", "-C", dir, "-v", "--no-cache"); code != 0 || strings.Contains(out, "cached model") {
		t.Error("--no-cache used the cache")
	}
}

// TestDiagramCache checks that rendered diagrams are kept between runs,
// one entry per diagram, and that a run served from the cache writes the
// same bytes as one that draws everything.
func TestDiagramCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("DECOMPOSE_CACHE", cache)
	dir := extract(t, "testdata/ok.txtar")
	outs := t.TempDir()
	analyze := func(name string, args ...string) map[string]string {
		t.Helper()
		out := filepath.Join(outs, name)
		if code, _, stderr := run(t, append([]string{"analyze", "-C", dir, "--out", out}, args...)...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		files := map[string]string{}
		filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(out, p)
				files[rel] = string(data)
			}
			return nil
		})
		return files
	}
	first := analyze("first")
	svgs := 0
	for name := range first {
		if strings.HasSuffix(name, ".svg") {
			svgs++
		}
	}
	entries, _ := filepath.Glob(filepath.Join(cache, "svg", "*.svg"))
	if svgs == 0 || len(entries) != svgs {
		t.Errorf("%d diagrams drawn, %d kept in the cache", svgs, len(entries))
	}
	// entries last used long ago: the second run marks them used, and
	// does not write them again (a write renames a new file into place)
	before := map[string]os.FileInfo{}
	for _, f := range entries {
		os.Chtimes(f, time.Unix(0, 0), time.Unix(0, 0))
		before[f], _ = os.Stat(f)
	}
	second := analyze("second")
	uncached := analyze("uncached", "--no-cache")
	for name, data := range first {
		if second[name] != data || uncached[name] != data {
			t.Errorf("%s differs between the runs", name)
		}
	}
	for _, f := range entries {
		st, err := os.Stat(f)
		switch {
		case err != nil || before[f] == nil || !os.SameFile(st, before[f]):
			t.Errorf("%s rewritten: the second run drew it again", filepath.Base(f))
		case st.ModTime().Unix() == 0:
			t.Errorf("%s read but not marked used", filepath.Base(f))
		}
	}
}
