package main

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"decompose/emit/plan"
)

// The GitHub Action, the pre-commit hook and the README's examples of both
// are tested here without the network: their files parse, the commands
// they run exist with every flag they pass, the README runs what the
// action runs, and the action's check step runs as a script on a
// throwaway repository.

const (
	actionDir = ".github/actions/check" // from the repository's root
	repoRoot  = "../.."                 // the repository's root from here
)

type action struct {
	Name    string
	Inputs  map[string]struct{ Description, Default string }
	Outputs map[string]struct{ Description, Value string }
	Runs    struct {
		Using string
		Steps []actionStep
	}
}

type actionStep struct {
	Name, ID, If, Uses, Shell, Run string
	WorkingDirectory               string `yaml:"working-directory"`
	Env, With                      map[string]string
}

func readAction(t *testing.T) (*action, string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, actionDir, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a, string(data)
}

func (a *action) step(t *testing.T, id string) actionStep {
	t.Helper()
	for _, s := range a.Runs.Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("action.yml has no step %s", id)
	return actionStep{}
}

// commands are the decompose command lines of a shell script, each with
// its continuation lines joined.
func commands(script string) []string {
	var out []string
	lines := strings.Split(script, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if _, rest, ok := strings.Cut(line, "| decompose "); ok {
			line = "decompose " + rest // the end of a pipe
		}
		if !strings.HasPrefix(line, "decompose ") {
			continue
		}
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + strings.TrimSpace(lines[i])
		}
		out = append(out, strings.Join(strings.Fields(line), " "))
	}
	return out
}

var flagPattern = regexp.MustCompile(`(?:^|[\s+{])(--?[A-Za-z][A-Za-z0-9-]*)`)

// parseCommand splits a decompose command line into its subcommand and
// the flags it passes, in order (a flag inside ${VAR:+...} counts).
func parseCommand(line string) (sub string, flags []string) {
	fields := strings.Fields(line)
	if len(fields) > 1 {
		sub = fields[1]
	}
	for _, m := range flagPattern.FindAllStringSubmatch(line, -1) {
		flags = append(flags, m[1])
	}
	return sub, flags
}

// checkCommand fails unless line runs an existing subcommand with
// existing flags.
func checkCommand(t *testing.T, where, line string) *cobra.Command {
	t.Helper()
	sub, flags := parseCommand(line)
	root := newRootCmd(io.Discard, io.Discard)
	cmd, _, err := root.Find([]string{sub})
	if err != nil || cmd == root {
		t.Errorf("%s runs decompose %s, which is no command: %s", where, sub, line)
		return nil
	}
	for _, f := range flags {
		name := strings.TrimLeft(f, "-")
		var fl = cmd.Flag(name)
		if !strings.HasPrefix(f, "--") {
			fl = cmd.Flags().ShorthandLookup(name)
		}
		if fl == nil {
			t.Errorf("%s passes %s, which decompose %s does not have: %s", where, f, sub, line)
		}
	}
	return cmd
}

func TestActionFile(t *testing.T) {
	a, text := readAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using %q, want composite", a.Runs.Using)
	}
	for _, in := range []string{"packages", "plan", "new-from-rev", "go-version", "working-directory"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("no input %s", in)
		}
	}
	if a.Inputs["plan"].Default != DefaultPlanName || a.Inputs["packages"].Default != "./..." {
		t.Errorf("defaults: plan %q, packages %q", a.Inputs["plan"].Default, a.Inputs["packages"].Default)
	}
	if d := a.Inputs["new-from-rev"].Default; d != "${{ github.event.pull_request.base.sha }}" {
		t.Errorf("new-from-rev defaults to %q, not the pull request's base", d)
	}
	// every input is used, and nothing else is
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(text, -1) {
		used[m[1]] = true
		if _, ok := a.Inputs[m[1]]; !ok {
			t.Errorf("action.yml uses inputs.%s, which it does not declare", m[1])
		}
	}
	for in := range a.Inputs {
		if !used[in] {
			t.Errorf("input %s is never used", in)
		}
	}
	var uses []string
	var decomposeCommands []string
	for _, s := range a.Runs.Steps {
		if s.Uses != "" {
			uses = append(uses, s.Uses)
		}
		if s.Run != "" && s.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash", s.Name, s.Shell)
		}
		if s.Run != "" {
			if out, err := exec.Command("bash", "-n", "-c", s.Run).CombinedOutput(); err != nil {
				t.Errorf("step %q does not parse as bash: %v\n%s", s.Name, err, out)
			}
		}
		decomposeCommands = append(decomposeCommands, commands(s.Run)...)
	}
	for _, want := range []string{"actions/setup-go@", "github/codeql-action/upload-sarif@"} {
		if !slices.ContainsFunc(uses, func(u string) bool { return strings.HasPrefix(u, want) }) {
			t.Errorf("no step uses %s", want)
		}
	}
	// decompose is installed from the action's own checkout: three
	// folders up from the action is this module
	var install actionStep
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "go install") {
			install = s
		}
	}
	if install.Env["ACTION_PATH"] != "${{ github.action_path }}" || !strings.Contains(install.Run, `cd "$ACTION_PATH/../../.."`) || !strings.Contains(install.Run, "go install ./cmd/decompose") {
		t.Errorf("the install step does not go install ./cmd/decompose from the action's checkout:\n%s", install.Run)
	}
	if root := filepath.Join(repoRoot, actionDir, "../../.."); !fileExists(filepath.Join(root, "go.mod")) || !fileExists(filepath.Join(root, "cmd/decompose/main.go")) {
		t.Errorf("%s is not the module's root", root)
	}
	// the commands it runs exist, with their flags
	var subs []string
	for _, line := range decomposeCommands {
		checkCommand(t, "action.yml", line)
		sub, _ := parseCommand(line)
		subs = append(subs, sub)
	}
	if !slices.Equal(subs, []string{"check", "diff"}) {
		t.Errorf("action.yml runs decompose %v, want check then diff", subs)
	}
	_, flags := parseCommand(decomposeCommands[0])
	for _, f := range []string{"--format", "--plan", "--sarif", "--summary", "--new-from-rev"} {
		if !slices.Contains(flags, f) {
			t.Errorf("the check step does not pass %s: %s", f, decomposeCommands[0])
		}
	}
}

func TestPreCommitHook(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Name, Entry, Language, Files string
		PassFilenames                    *bool `yaml:"pass_filenames"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 {
		t.Fatalf("%d hooks, want 1", len(hooks))
	}
	h := hooks[0]
	if h.ID != "decompose-check" || h.Entry != "decompose check" || h.Language != "golang" || h.PassFilenames == nil || *h.PassFilenames {
		t.Errorf("hook %+v: want id decompose-check, entry decompose check, language golang, pass_filenames false", h)
	}
	checkCommand(t, ".pre-commit-hooks.yaml", h.Entry)
	files, err := regexp.Compile(h.Files)
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	for path, want := range map[string]bool{
		"checkout/order.go": true, "main.go": true, DefaultPlanName: true, "services/shop/" + DefaultPlanName: true,
		"go.mod": true, "go.sum": true, ConfigName: true, "README.md": false, "old-decompose-plan.yaml": false, "go.mod.orig": false,
	} {
		if files.MatchString(path) != want {
			t.Errorf("files matches %s: %v, want %v", path, !want, want)
		}
	}
	// the README's configuration names this hook
	cfg := readmeBlock(t, "yaml", "repos:")
	var pc struct {
		Repos []struct {
			Repo, Rev string
			Hooks     []struct{ ID string }
		}
	}
	if err := yaml.Unmarshal([]byte(cfg), &pc); err != nil {
		t.Fatalf("README's pre-commit configuration: %v", err)
	}
	if len(pc.Repos) != 1 || len(pc.Repos[0].Hooks) != 1 || pc.Repos[0].Hooks[0].ID != h.ID {
		t.Errorf("README's pre-commit configuration %+v does not use hook %s", pc, h.ID)
	}
}

// TestREADMEWorkflow: the README's workflow uses the action with inputs it
// has, and the command the README says the action runs is the one it
// runs.
func TestREADMEWorkflow(t *testing.T) {
	a, _ := readAction(t)
	var wf struct {
		Permissions map[string]string
		Jobs        map[string]struct {
			Steps []struct {
				Uses string
				With map[string]string
			}
		}
	}
	if err := yaml.Unmarshal([]byte(readmeBlock(t, "yaml", "/"+actionDir+"@")), &wf); err != nil {
		t.Fatalf("README's workflow: %v", err)
	}
	if wf.Permissions["security-events"] != "write" {
		t.Errorf("the workflow does not give the SARIF upload security-events: write")
	}
	steps := 0
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			path, _, _ := strings.Cut(s.Uses, "@")
			if !strings.HasSuffix(path, "/"+actionDir) {
				continue
			}
			steps++
			for k := range s.With {
				if _, ok := a.Inputs[k]; !ok {
					t.Errorf("the workflow passes %s, which the action does not take", k)
				}
			}
		}
	}
	if steps != 1 {
		t.Fatalf("the README's workflow uses the action %d times, want 1", steps)
	}

	readme := commands(readmeBlock(t, "sh", "decompose check --format text"))
	if len(readme) != 1 {
		t.Fatalf("README shows %d commands of the action, want 1", len(readme))
	}
	checkCommand(t, "README", readme[0])
	action := commands(a.step(t, "check").Run)
	sub, flags := parseCommand(readme[0])
	asub, aflags := parseCommand(action[0])
	if sub != asub || !slices.Equal(flags, aflags) {
		t.Errorf("README says the action runs\n\t%s\nit runs\n\t%s", readme[0], action[0])
	}
}

// TestActionCheckStep runs the action's check step as GitHub would, with
// bash, in a throwaway git repository holding the shop: the base commit is
// the accepted shop; the pull request plants a call into catalog's stock
// administration and renames a context in the plan. The step gives the
// annotations, the SARIF log, the exit status as an output, and a summary
// with what is new and the diff of the plan.
func TestActionCheckStep(t *testing.T) {
	s := shopFixture(t)
	a, _ := readAction(t)
	step := a.step(t, "check")
	test, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	os.MkdirAll(bin, 0o755)
	// decompose is this test binary, run as the command
	if err := os.WriteFile(filepath.Join(bin, "decompose"), []byte("#!/bin/sh\nDECOMPOSE_TEST_MAIN=1 exec '"+test+"' \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(tmp, "repo")
	if err := copyTree(s.accepted, repo); err != nil {
		t.Fatal(err)
	}
	gitEnv := append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Env = gitEnv
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "the accepted shop")
	base := git("rev-parse", "HEAD")
	if err := edit(filepath.Join(repo, plants[0].file), plants[0].old, plants[0].new); err != nil {
		t.Fatal(err)
	}
	var p plan.Plan
	if err := yaml.Unmarshal(s.plan, &p); err != nil {
		t.Fatal(err)
	}
	renamed, err := plan.MarshalYAML(renameContext(&p, "users", "accounts"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(repo, DefaultPlanName), renamed, 0o644)

	summary, output := filepath.Join(tmp, "summary.md"), filepath.Join(tmp, "output")
	cmd := exec.Command("bash", "-e", "-c", step.Run) // GitHub runs bash with -e
	if step.WorkingDirectory != "${{ inputs.working-directory }}" || a.Inputs["working-directory"].Default != "." {
		t.Fatalf("the check step runs in %q, not in the input working-directory (default .)", step.WorkingDirectory)
	}
	cmd.Dir = repo
	cmd.Env = append(gitEnv,
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GITHUB_ACTIONS=true", "RUNNER_TEMP="+tmp, "GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+output,
		"PLAN="+DefaultPlanName, "PACKAGES=./...", "REV="+base)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the check step failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if got := stdout.String(); strings.Count(got, "::error ") != 2 || !strings.Contains(got, "::error file=checkout/order.go,line=232,col=31,title=decompose check%3A boundary::checkout → catalog") {
		t.Errorf("annotations:\n%s", got)
	}
	if stderr.String() != "decompose: 2 violations of decompose-plan.yaml\n" {
		t.Errorf("stderr %q", stderr.String())
	}
	out, _ := os.ReadFile(output)
	sarifFile := filepath.Join(tmp, "decompose-check.sarif")
	if want := "exit-code=1\nsarif-file=" + sarifFile + "\n"; string(out) != want {
		t.Errorf("outputs %q, want %q", out, want)
	}
	var log struct {
		Runs []struct{ Results []struct{ RuleID string } }
	}
	data, _ := os.ReadFile(sarifFile)
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) != 2 {
		t.Errorf("SARIF log: %v\n%s", err, data)
	}
	sum, _ := os.ReadFile(summary)
	for _, want := range []string{
		"### decompose check: 2 violations of `decompose-plan.yaml`, new since `" + base + "`\n",
		"| boundary | 1 |\n| sync-on-async | 1 |\n",
		"\n### decompose diff: `decompose-plan.yaml@" + base[:12] + "` → `decompose-plan.yaml`\n\n1 context renamed.\n",
		"| renamed | users → accounts |",
	} {
		if !strings.Contains(string(sum), want) {
			t.Errorf("the summary has no %q:\n%s", want, sum)
		}
	}

	// the last step fails the job with check's status
	result := a.Runs.Steps[len(a.Runs.Steps)-1]
	for code, want := range map[string]int{"0": 0, "1": 1, "2": 2, "": 2} {
		cmd := exec.Command("bash", "-e", "-c", result.Run)
		cmd.Env = append(os.Environ(), "CODE="+code)
		err := cmd.Run()
		got := 0
		if ee, ok := err.(*exec.ExitError); ok {
			got = ee.ExitCode()
		}
		if got != want {
			t.Errorf("result step with exit-code %q: exit %d, want %d", code, got, want)
		}
	}
}
