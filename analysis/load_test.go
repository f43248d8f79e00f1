package analysis

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"decompose/analysis/model"
)

func TestWorkspaceRoot(t *testing.T) {
	m := loadFixture(t, "testdata/workspace.txtar", "vta")
	var mods, pkgs []string
	for _, mod := range m.Modules {
		mods = append(mods, mod.Path+"@"+mod.Dir)
	}
	for _, p := range m.Packages {
		pkgs = append(pkgs, p.Path+"@"+p.Dir)
	}
	if got, want := join(mods), "example.com/billing@billing example.com/shop@shop"; got != want {
		t.Errorf("modules %s, want %s", got, want)
	}
	if got, want := join(pkgs), "example.com/billing@billing example.com/shop/checkout@shop/checkout"; got != want {
		t.Errorf("packages %s, want %s", got, want)
	}
	if !hasEdge(m, "example.com/shop/checkout.Pay", "example.com/billing.Charge", model.EdgeCall) {
		t.Error("cross-module call missing")
	}
}

func TestTests(t *testing.T) {
	dir := extract(t, "testdata/workspace.txtar")
	for _, tests := range []bool{false, true} {
		m, _, err := Analyze(context.Background(), Config{Dir: dir, Tests: tests}, "vta")
		if err != nil {
			t.Fatal(err)
		}
		const test = "example.com/shop/checkout.TestPay"
		if got := hasEdge(m, test, "example.com/shop/checkout.Pay", model.EdgeCall); got != tests {
			t.Errorf("tests=%v: test edge present %v", tests, got)
		}
		// The plain code is counted once, not once per variant.
		for _, e := range m.Edges {
			if e.From == "example.com/shop/checkout.Pay" && e.To == "example.com/billing.Charge" && e.Weight != 1 {
				t.Errorf("tests=%v: Pay->Charge weight %d, want 1", tests, e.Weight)
			}
		}
	}
}

func hasEdge(m *model.Model, from, to string, kind model.EdgeKind) bool {
	for _, e := range m.Edges {
		if e.From == from && e.To == to && e.Kind == kind {
			return true
		}
	}
	return false
}

func join(xs []string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s
}

// TestUnsafeAmongRoots: unsafe named or matched as a package to analyze is
// no reason to crash: it has no bodies, and the packages importing it are
// analyzed as usual.
func TestUnsafeAmongRoots(t *testing.T) {
	dir := extract(t, "testdata/unsafe.txtar")
	tests := []struct {
		name     string
		patterns []string
		err      error
	}{
		{"module", []string{"./..."}, nil},
		{"module and unsafe", []string{"./...", "unsafe"}, nil},
		{"unsafe first", []string{"unsafe", "./..."}, nil},
		{"all", []string{"all"}, nil},
		{"unsafe alone", []string{"unsafe"}, ErrNoPackages},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, err := Analyze(context.Background(), Config{Dir: dir, Patterns: tt.patterns}, "vta")
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !hasEdge(m, "example.com/uns/q.Q", "example.com/uns/p.Size", model.EdgeCall) {
				t.Error("q.Q -> p.Size missing")
			}
		})
	}
}

// TestPatternMatchingNothing: a pattern that matches nothing, beside one
// that does, is reported as a load error and is no package of the model.
func TestPatternMatchingNothing(t *testing.T) {
	dir := extract(t, "testdata/unsafe.txtar")
	tests := []struct {
		name, pattern, msg string
	}{
		{"missing folder", "./nothing", "nothing"},
		{"missing import path", "example.com/zzz", "example.com/zzz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, err := Analyze(context.Background(), Config{Dir: dir, Patterns: []string{"./...", tt.pattern}}, "vta")
			if err != nil {
				t.Fatal(err)
			}
			var pkgs []string
			for _, p := range m.Packages {
				pkgs = append(pkgs, p.Path)
			}
			if got, want := join(pkgs), "example.com/uns/p example.com/uns/q"; got != want {
				t.Errorf("packages %s, want %s", got, want)
			}
			reported := false
			for _, e := range m.Errors {
				reported = reported || strings.Contains(e.Msg, tt.msg) || strings.Contains(e.Package, tt.msg)
			}
			if !reported {
				t.Errorf("errors %+v do not mention %s", m.Errors, tt.msg)
			}
		})
	}
}

// TestCgo: the files of a cgo package are reported as they are in the
// tree, generated only if they say so, and cgo's glue declares nothing.
func TestCgo(t *testing.T) {
	if !cgoWorks() {
		t.Skip("no cgo here: CGO_ENABLED is off or there is no C compiler")
	}
	m, _, err := Analyze(context.Background(), Config{Dir: extract(t, "testdata/cgo.txtar")}, "vta")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Packages) != 1 {
		t.Fatalf("packages %+v", m.Packages)
	}
	p := m.Packages[0]
	var files []string
	for _, f := range p.Files {
		files = append(files, fmt.Sprintf("%s:%d:%v", f.Path, f.Lines, f.Generated))
	}
	if got, want := join(files), "c/c.go:15:false c/gen.go:10:true c/plain.go:3:false"; got != want || p.Dir != "c" {
		t.Errorf("files %s in %s, want %s in c", got, p.Dir, want)
	}
	var decls []string
	for _, d := range m.Decls {
		decls = append(decls, fmt.Sprintf("%s@%s:%v", d.Name, d.Pos, d.Generated))
	}
	if got, want := join(decls), "Add@c/c.go:11:6:false Total@c/plain.go:3:6:false Twice@c/gen.go:10:6:true total@c/c.go:8:5:false"; got != want {
		t.Errorf("declarations %s, want %s", got, want)
	}
	// the translated file's code is analyzed, at the original's positions
	for _, e := range m.Edges {
		if e.From == "example.com/cgom/c.Add" && e.To == "example.com/cgom/c.total" && e.Kind == model.EdgeWrite && e.Pos != "c/c.go:13:2" {
			t.Errorf("write of total at %s, want c/c.go:13:2", e.Pos)
		}
	}
	if !hasEdge(m, "example.com/cgom/c.Add", "example.com/cgom/c.total", model.EdgeWrite) {
		t.Errorf("Add's write of total is missing: %+v", m.Edges)
	}
}

// cgoWorks reports whether the go command builds cgo packages here.
func cgoWorks() bool {
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "env", "CGO_ENABLED", "CC").Output()
	f := strings.Fields(string(out))
	if err != nil || len(f) != 2 || f[0] != "1" {
		return false
	}
	_, err = exec.LookPath(f[1])
	return err == nil
}

// TestMissingGoSum: an import that the go command refuses (no go.sum
// entry) is reported in the go command's words, with its advice, at the
// import, not as the type checker's 'invalid package name: ""'.
func TestMissingGoSum(t *testing.T) {
	env := append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly")
	m, _, err := Analyze(context.Background(), Config{Dir: extract(t, "testdata/nosum.txtar"), Env: env}, "vta")
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, e := range m.Errors {
		msgs = append(msgs, e.Pos+": "+e.Msg)
	}
	want := "a/a.go:3:8: missing go.sum entry for module providing package gopkg.in/yaml.v3 (imported by example.com/nosum/a); to add: go get example.com/nosum/a"
	if !slices.Contains(msgs, want) {
		t.Errorf("errors %q lack %q", msgs, want)
	}
	for _, msg := range msgs {
		if strings.Contains(msg, "invalid package name") {
			t.Errorf("error %q", msg)
		}
	}
}
