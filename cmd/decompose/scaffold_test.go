package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tinyPlan = "../../emit/scaffold/testdata/tiny.yaml"

func TestScaffoldBadInput(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(tmp, name)
		os.WriteFile(p, []byte(data), 0o644)
		return p
	}
	notYAML := write("broken.yaml", "schema: [\n")
	v2 := write("v2.yaml", "schema: decompose/v2\nmodule: x\n")
	m := write("model.json", `{"schema": "decompose/model/v1"}`)
	good, err := os.ReadFile(tinyPlan)
	if err != nil {
		t.Fatal(err)
	}
	badName := write("badname.yaml", strings.Replace(string(good), "name: billing", "name: billing-v2", 1))
	file := write("file", "x")
	out := filepath.Join(tmp, "out")

	tests := []struct {
		name     string
		args     []string
		errMatch string
	}{
		{"no plan", []string{"scaffold", "--out", out}, "--plan is required"},
		{"no out", []string{"scaffold", "--plan", tinyPlan}, "--out is required"},
		{"missing plan", []string{"scaffold", "--plan", filepath.Join(tmp, "none.yaml"), "--out", out}, "read plan"},
		{"not yaml", []string{"scaffold", "--plan", notYAML, "--out", out}, "broken.yaml: not a plan"},
		{"wrong schema", []string{"scaffold", "--plan", v2, "--out", out}, `plan schema "decompose/v2", want "decompose/v1"`},
		{"a model", []string{"scaffold", "--plan", m, "--out", out}, `plan schema "decompose/model/v1"`},
		{"bad context name in plan", []string{"scaffold", "--plan", badName, "--out", out}, `context name "billing-v2" is not a valid folder and Go identifier`},
		{"bad --context", []string{"scaffold", "--plan", tinyPlan, "--out", out, "--context", "../etc"}, `--context: context name "../etc"`},
		{"unknown --context", []string{"scaffold", "--plan", tinyPlan, "--out", out, "--context", "shipping"}, `unknown context "shipping": the plan has billing, orders`},
		{"out is a file", []string{"scaffold", "--plan", tinyPlan, "--out", file}, "is a file"},
		{"arguments", []string{"scaffold", "--plan", tinyPlan, "--out", out, "./..."}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != 2 {
				t.Errorf("exit code %d, want 2; stderr:\n%s", code, stderr)
			}
			if !strings.Contains(stderr, tt.errMatch) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.errMatch)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 {
				t.Errorf("error is not one line:\n%s", stderr)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed run created %s", out)
	}
}

func TestScaffoldRegenerate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "services")
	code, stdout, stderr := run(t, "scaffold", "--plan", tinyPlan, "--out", out, "-v")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, s := range []string{"2 contexts", "billing", "example.com/tiny/services/orders", "cmd/sweeper-run", "example.com/tiny/orders.Sweeper.Run", "created"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout)
		}
	}
	wire := filepath.Join(out, "orders", "wire.go")
	b, _ := os.ReadFile(wire)
	os.WriteFile(wire, append(b, "\n// mine\n"...), 0o644)

	code, stdout, _ = run(t, "scaffold", "--plan", tinyPlan, "--out", out)
	if code != 0 || !strings.Contains(stdout, "skipped 1 file") || !strings.Contains(stdout, "orders/wire.go: edited since it was generated") {
		t.Errorf("exit %d, stdout:\n%s", code, stdout)
	}
	if b2, _ := os.ReadFile(wire); !strings.HasSuffix(string(b2), "// mine\n") {
		t.Errorf("the edited file was replaced")
	}
	code, stdout, stderr = run(t, "scaffold", "--plan", tinyPlan, "--out", out, "-q")
	if code != 0 || stdout != "" || stderr != "decompose: skipped orders/wire.go: edited since it was generated\n" {
		t.Errorf("quiet: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "scaffold", "--plan", tinyPlan, "--out", out, "--force", "--context", "orders", "-q")
	if code != 0 || stdout != "" || stderr != "" {
		t.Errorf("quiet force: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if b2, _ := os.ReadFile(wire); strings.HasSuffix(string(b2), "// mine\n") {
		t.Errorf("--force did not replace the edited file")
	}
}

// TestAnalyzeThenScaffold runs the whole flow on a small module: analyze
// writes plan.yaml, scaffold reads it.
func TestAnalyzeThenScaffold(t *testing.T) {
	ok := extract(t, "testdata/ok.txtar")
	plans := filepath.Join(t.TempDir(), "plan")
	if code, _, stderr := run(t, "analyze", "-C", ok, "--out", plans, "-q"); code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "services")
	code, stdout, stderr := run(t, "scaffold", "--plan", filepath.Join(plans, "plan.yaml"), "--out", out, "--router")
	if code != 0 {
		t.Fatalf("scaffold: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "example.com/ok/services/") {
		t.Errorf("stdout:\n%s", stdout)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) == 0 {
		t.Fatalf("nothing written")
	}
	if _, err := os.Stat(filepath.Join(out, entries[0].Name(), "go.mod")); err != nil {
		t.Error(err)
	}
}
