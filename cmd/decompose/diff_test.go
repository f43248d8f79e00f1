package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"decompose/analysis"
	"decompose/cluster"
	"decompose/cmd/internal/pipeline"
	"decompose/emit/plan"
)

// runIn is run with stdin.
func runIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	root := newRootCmd(&stdout, &stderr)
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(args)
	code := exitCode(root.Execute(), &stderr)
	return code, stdout.String(), stderr.String()
}

// shopPlans are the plans of the diff tests, made from the check
// fixture's shop: its accepted plan (YAML and JSON); the plan analyze
// makes when decompose.yaml pins notifications/mailer to shipping; and
// the accepted plan with notifications renamed messaging throughout.
func shopPlans(t *testing.T) (dir string) {
	t.Helper()
	s := shopFixture(t)
	dir = t.TempDir()
	m, _, err := pipeline.Load(context.Background(), analysis.Config{Dir: s.accepted}, analysis.DefaultAlgorithm, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg := cluster.DefaultConfig()
	cfg.Pin = map[string][]string{
		"shipping":      {"example.com/shop/shipping/...", "example.com/shop/notifications/mailer"},
		"notifications": {"example.com/shop/notifications"},
	}
	dec, err := cluster.Cluster(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	pinned, err := plan.MarshalYAML(plan.Build(m, dec, plan.DefaultConfig()))
	if err != nil {
		t.Fatal(err)
	}
	var p plan.Plan
	if err := yaml.Unmarshal(s.plan, &p); err != nil {
		t.Fatal(err)
	}
	asJSON, err := plan.MarshalJSON(&p)
	if err != nil {
		t.Fatal(err)
	}
	renamed, err := plan.MarshalYAML(renameContext(&p, "notifications", "messaging"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"accepted.yaml": s.plan, "accepted.json": asJSON, "pinned.yaml": pinned, "renamed.yaml": renamed} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// renameContext renames a context wherever the keys check reads name it.
func renameContext(p *plan.Plan, old, new string) *plan.Plan {
	re := func(s *string) {
		if *s == old {
			*s = new
		}
	}
	for i := range p.Contexts {
		re(&p.Contexts[i].Name)
		for j := range p.Contexts[i].Metrics.DependsOn {
			re(&p.Contexts[i].Metrics.DependsOn[j])
		}
	}
	for i := range p.Contracts {
		re(&p.Contracts[i].From)
		re(&p.Contracts[i].To)
	}
	for i := range p.Findings {
		for j := range p.Findings[i].Contexts {
			re(&p.Findings[i].Contexts[j])
		}
	}
	return p
}

// TestDiffShop compares real plans of the example shop: the same plan in
// YAML and JSON, a plan with a package pinned to another context, a plan
// with a context renamed.
func TestDiffShop(t *testing.T) {
	dir := shopPlans(t)
	t.Run("the same plan as YAML and JSON", func(t *testing.T) {
		code, stdout, stderr := run(t, "diff", "-C", dir, "--exit-code", "accepted.yaml", "accepted.json")
		if code != 0 || stderr != "" || !strings.Contains(stdout, "No change to the decomposition") {
			t.Errorf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
		}
	})
	t.Run("a package pinned to another context", func(t *testing.T) {
		code, stdout, stderr := run(t, "diff", "-C", dir, "accepted.yaml", "pinned.yaml")
		if code != 0 || stderr != "" {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		goldenCheck(t, "diff-pinned.md", stdout)
		if readme := readmeBlock(t, "markdown", "#### Units moved"); readme != stdout {
			t.Errorf("the README shows another diff of the pinned shop:\n%s\nit is now:\n%s", readme, stdout)
		}
		code, stdout, _ = run(t, "diff", "-C", dir, "--format", "json", "--exit-code", "accepted.yaml", "pinned.yaml")
		if code != 1 {
			t.Errorf("--exit-code with differences: exit %d, want 1", code)
		}
		goldenCheck(t, "diff-pinned.json", stdout)
		var d struct {
			Moved []struct{ Unit, From, To string }
		}
		if err := json.Unmarshal([]byte(stdout), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Moved) != 1 || d.Moved[0].Unit != "example.com/shop/notifications/mailer" || d.Moved[0].From != "notifications" || d.Moved[0].To != "shipping" {
			t.Errorf("moved %+v, want notifications/mailer from notifications to shipping", d.Moved)
		}
	})
	t.Run("a context renamed, read from standard input", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, "accepted.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := runIn(t, string(data), "diff", "--exit-code", "--label", "decompose-plan.yaml@main", "-", filepath.Join(dir, "renamed.yaml"))
		if code != 1 || stderr != "" {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		want := "### decompose diff: `decompose-plan.yaml@main` → `" + filepath.Join(dir, "renamed.yaml") + "`\n\n1 context renamed.\n\n#### Contexts\n\n" +
			"| change | context | units | overlap |\n| --- | --- | --- | --- |\n| renamed | notifications → messaging | 11 → 11 (11 in both) | 1.00 |\n"
		if stdout != want {
			t.Errorf("got\n%s\nwant\n%s", stdout, want)
		}
	})
}

func TestDiffBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.yaml", "schema: decompose/v1\nmodule: example.com/shop\ncontexts:\n  - name: orders\n    packages: [example.com/shop/orders]\n")
	other := write("other.yaml", "schema: decompose/v1\nmodule: example.com/clinic\ncontexts: []\n")
	model := write("model.json", "{\n  \"schema\": \"decompose/model/v1\",\n  \"modules\": []\n}\n")
	report := write("check.json", "{\n  \"schema\": \"decompose/check/v1\",\n  \"reports\": []\n}\n")
	twice := write("twice.yaml", "schema: decompose/v1\ncontexts:\n  - name: a\n  - name: a\n")
	notYAML := write("notyaml.yaml", "schema: decompose/v1\ncontexts:\n\t- name: a\n")
	missing := filepath.Join(dir, "missing.yaml")
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"one plan", []string{good}, "", "diff needs two plans, OLD and NEW; got 1 argument"},
		{"three plans", []string{good, good, good}, "", "diff needs two plans, OLD and NEW; got 3 arguments"},
		{"no such file", []string{missing, good}, "", "read plan " + missing + ": no such file or directory"},
		{"a folder", []string{good, dir}, "", "read plan " + dir + ": not a regular file"},
		{"a model, not a plan", []string{model, good}, "", model + `:2:13: plan schema "decompose/model/v1", want "decompose/v1"`},
		{"a check report, not a plan", []string{good, report}, "", report + `:2:13: plan schema "decompose/check/v1", want "decompose/v1"`},
		{"not YAML", []string{good, notYAML}, "", notYAML + ":3: found character that cannot start any token"},
		{"a context named twice", []string{twice, good}, "", twice + ":4:11: context a named twice (first at line 3)"},
		{"plans of two modules", []string{good, other}, "", good + " is a plan of module example.com/shop and " + other + " of module example.com/clinic: not two versions of one program's plan"},
		{"standard input twice", []string{"-", "-"}, "", "OLD and NEW are both - : standard input holds one plan"},
		{"nothing on standard input", []string{"-", good}, "", "stdin:1: not a plan: want a mapping with schema: decompose/v1"},
		{"unknown format", []string{"--format", "html", good, good}, "", `unknown --format "html": want markdown or json`},
		{"three labels", []string{"--label", "a", "--label", "b", "--label", "c", good, good}, "", "--label given 3 times: once for OLD, twice for OLD and NEW"},
		{"a label names the plan in errors", []string{"--label", "main", "-", good}, "schema: decompose/v2\n", `main:1:9: plan schema "decompose/v2", want "decompose/v1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runIn(t, tt.stdin, append([]string{"diff"}, tt.args...)...)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d, want 2; stdout %q", code, stdout)
			}
			if want := "decompose: " + tt.want + "\n"; stderr != want {
				t.Errorf("stderr\n%q\nwant\n%q", stderr, want)
			}
		})
	}
}

// readmePath is the README, from here.
const readmePath = "../../README.md"

// readmeBlock is the README's fenced code block of that language holding
// marker.
func readmeBlock(t *testing.T, lang, marker string) string {
	t.Helper()
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(string(data), -1)
	var found []string
	for _, b := range blocks {
		if strings.Contains(b[1], marker) {
			found = append(found, b[1])
		}
	}
	if len(found) != 1 {
		t.Fatalf("README has %d %s blocks holding %q, want 1", len(found), lang, marker)
	}
	return found[0]
}
