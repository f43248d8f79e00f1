package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// gitRepo makes dir a git repository with fixed identities and dates,
// independent of the machine's configuration.
type gitRepo struct {
	t   *testing.T
	dir string
	n   int
}

func newGitRepo(t *testing.T, dir string) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	// for the test's commands and for the git that analyze runs
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	r := &gitRepo{t: t, dir: dir}
	r.git("init", "-q")
	return r
}

func (r *gitRepo) git(args ...string) {
	r.t.Helper()
	date := fmt.Sprintf("2024-01-01T00:%02d:00Z", r.n)
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=A",
		"GIT_COMMITTER_EMAIL=a@example.com", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// commit appends a comment line to each file and commits them.
func (r *gitRepo) commit(files ...string) {
	r.t.Helper()
	r.n++
	for _, f := range files {
		fh, err := os.OpenFile(filepath.Join(r.dir, f), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			r.t.Fatal(err)
		}
		fh.WriteString("\n// change\n")
		fh.Close()
	}
	r.git("commit", "-q", "-am", "change")
}

// contextOf is the context a plan places declaration decl of a split
// package in ("" for the kernel).
func contextOf(t *testing.T, planPath, pkg, decl string) string {
	t.Helper()
	data, err := os.ReadFile(planPath)
	if err != nil {
		t.Fatal(err)
	}
	type member struct {
		Package string   `yaml:"package"`
		Decls   []string `yaml:"decls"`
	}
	var p struct {
		Contexts []struct {
			Name    string   `yaml:"name"`
			Members []member `yaml:"members"`
		} `yaml:"contexts"`
	}
	if err := yaml.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Contexts {
		for _, m := range c.Members {
			for _, d := range m.Decls {
				if m.Package == pkg && d == decl {
					return c.Name
				}
			}
		}
	}
	return ""
}

// TestAnalyzeCoChange runs --cochange on a module whose history, not its
// code, ties handlers.Export to orders. The history is read on every run:
// commits that leave the files as they were change the placement though
// the model comes from the cache.
func TestAnalyzeCoChange(t *testing.T) {
	dir := extract(t, "testdata/cochange.txtar")
	r := newGitRepo(t, dir)
	r.git("add", "--all")
	r.git("commit", "-q", "-m", "initial")
	const pkg = "example.com/co/handlers"
	analyze := func(args ...string) (string, string) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := run(t, append([]string{"analyze", "-C", dir, "-v", "--out", out}, args...)...)
		if code != 0 {
			t.Fatalf("analyze %v: exit %d: %s", args, code, stderr)
		}
		return stdout, filepath.Join(out, "plan.yaml")
	}

	// one commit of every file is no evidence
	stdout, plan := analyze("--cochange")
	if !regexp.MustCompile(`co-change +1 commits up to `).MatchString(stdout) {
		t.Errorf("summary lacks the history read:\n%s", stdout)
	}
	if c := contextOf(t, plan, pkg, "Export"); c != "" {
		t.Errorf("with one commit Export is in %q, want the kernel", c)
	}

	for range 2 {
		r.commit("handlers/export.go", "services/order.go", "store/order.go")
	}
	for _, f := range []string{"handlers/export.go", "services/order.go", "store/order.go"} {
		r.git("checkout", "HEAD~2", "--", f)
	}
	r.n++
	r.git("commit", "-q", "-m", "revert")

	stdout, plan = analyze("--cochange")
	if !strings.Contains(stdout, "cached model") {
		t.Errorf("the unchanged files were not served from the cache:\n%s", stdout)
	}
	if !regexp.MustCompile(`co-change +4 commits`).MatchString(stdout) {
		t.Errorf("the new commits were not read:\n%s", stdout)
	}
	with := contextOf(t, plan, pkg, "Export")
	if with == "" || with != contextOf(t, plan, pkg, "PlaceOrder") {
		t.Errorf("with co-change Export is in %q, PlaceOrder in %q; want the same context", with, contextOf(t, plan, pkg, "PlaceOrder"))
	}
	data, _ := os.ReadFile(plan)
	if !bytes.Contains(data, []byte("kind: co-change")) {
		t.Error("plan.yaml gives no co-change evidence")
	}
	_, again := analyze("--cochange")
	if b, _ := os.ReadFile(again); !bytes.Equal(b, data) {
		t.Error("two runs with --cochange give different plans")
	}

	stdout, plan = analyze()
	if strings.Contains(stdout, "co-change") {
		t.Errorf("the summary reports a history without --cochange:\n%s", stdout)
	}
	if c := contextOf(t, plan, pkg, "Export"); c != "" {
		t.Errorf("without co-change Export is in %q, want the kernel", c)
	}
}

func TestAnalyzeCoChangeWithoutHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	plain := extract(t, "testdata/ok.txtar")
	withConfig := extract(t, "testdata/ok.txtar")
	// even where the temporary folder lies in a repository
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(plain)+string(filepath.ListSeparator)+filepath.Dir(withConfig))
	os.WriteFile(filepath.Join(withConfig, ConfigName), []byte("cluster:\n  cochange: {enabled: true, commits: 200}\n"), 0o644)
	misspelt := filepath.Join(t.TempDir(), ConfigName)
	os.WriteFile(misspelt, []byte("cluster:\n  cochange: {enable: true}\n"), 0o644)
	negative := filepath.Join(t.TempDir(), ConfigName)
	os.WriteFile(negative, []byte("cluster:\n  cochange: {max_files: -1}\n"), 0o644)

	tests := []struct {
		name    string
		args    []string
		code    int
		stderr  string
		noMatch string
	}{
		{"flag: an error before the analysis", []string{"analyze", "-C", plain, "--cochange"}, 2, "decompose: --cochange: ", ""},
		{"config: a warning", []string{"analyze", "-C", withConfig}, 0, "decompose: warning: co-change signal off: ", ""},
		{"config, quiet", []string{"analyze", "-C", withConfig, "-q"}, 0, "", "warning"},
		{"config switched off by the flag", []string{"analyze", "-C", withConfig, "--cochange=false"}, 0, "", "warning"},
		{"misspelt key", []string{"analyze", "-C", plain, "--config", misspelt}, 2, "field enable not found", ""},
		{"negative limit", []string{"analyze", "-C", plain, "--config", negative}, 2, "cluster.cochange.max_files", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.stderr)
			}
			if tt.noMatch != "" && strings.Contains(stderr, tt.noMatch) {
				t.Errorf("stderr %q has %q", stderr, tt.noMatch)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("stderr is not one line: %q", stderr)
			}
		})
	}

	// the plan echoes what was used
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := run(t, "analyze", "-C", withConfig, "-q", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(out, "plan.yaml"))
	if !regexp.MustCompile(`cochange:\n +enabled: false\n +commits: 200\n`).Match(data) {
		t.Error("plan.yaml does not say that co-change was off")
	}
}
