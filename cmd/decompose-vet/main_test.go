package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestRunsAsREADMESays builds decompose-vet and runs it the two ways the
// README gives, on its own and as go vet's vet tool, offline: both report
// the blocker.
func TestRunsAsREADMESays(t *testing.T) {
	if testing.Short() {
		t.Skip("builds decompose-vet")
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	bin := filepath.Join(t.TempDir(), "decompose-vet")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ar, err := txtar.ParseFile("testdata/blocker.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		argv []string
	}{
		{"on its own", []string{bin, "./..."}},
		{"go vet -vettool", []string{gobin, "vet", "-vettool=" + bin, "./..."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(tt.argv[0], tt.argv[1:]...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local")
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("no findings reported:\n%s", out)
			}
			if !strings.Contains(string(out), "web/web.go:5:5: blocker: ") {
				t.Errorf("output:\n%s", out)
			}
		})
	}
}

// TestREADMEClaims: where the README speaks of the analyzer and a tool
// that cannot run it, it says so (gopls loads no analyzers from outside,
// golangci-lint needs a plugin decompose does not ship); other mentions of
// those tools (check's --new-from-rev follows golangci-lint's) are free.
func TestREADMEClaims(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, para := range strings.Split(string(b), "\n\n") {
		flat := strings.Join(strings.Fields(para), " ")
		for _, tool := range []string{"gopls", "golangci-lint"} {
			if strings.Contains(flat, tool) && strings.Contains(flat, "analyzer") && !strings.Contains(flat, "cannot") {
				t.Errorf("README names %s without saying it cannot run the analyzer:\n%s", tool, flat)
			}
		}
	}
}
