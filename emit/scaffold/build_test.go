package scaffold

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"decompose/analysis"
	"decompose/cluster"
	"decompose/emit/plan"
)

// shopPlan is the plan of the example monolith, built as analyze builds
// it, and read back from its YAML as scaffold reads it.
func shopPlan(t *testing.T) *plan.Plan {
	t.Helper()
	return planOf(t, "../../testdata/shop")
}

// planOf analyzes the module in dir with the defaults and returns its plan
// as scaffold reads it back from plan.yaml.
func planOf(t *testing.T, dir string) *plan.Plan {
	t.Helper()
	m, _, err := analysis.Analyze(context.Background(), analysis.Config{Dir: dir}, analysis.DefaultAlgorithm)
	if err != nil {
		t.Fatal(err)
	}
	d, err := cluster.Cluster(m, cluster.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	y, err := plan.MarshalYAML(plan.Build(m, d, plan.DefaultConfig()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePlan(y)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// goCmd runs the go command offline: the generated modules' only
// dependency, aws-lambda-go, is in the module cache because this module
// requires it too.
func goCmd(dir string, args ...string) string {
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	cmd := exec.Command(gobin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GOWORK="+filepath.Join(dir, "go.work"),
		"GOFLAGS=-mod=readonly -buildvcs=false",
		"GOPROXY=off", "GOSUMDB=off", "GONOSUMDB=*", "GOTOOLCHAIN=local",
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Sprintf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return ""
}

// TestScaffoldsBuild generates the scaffold of the example monolith (one
// function per entry point) and of the hand-written plan (one router per
// context, and one function per entry point), writes them as decompose
// scaffold does, and builds and vets the generated modules, offline, in one
// workspace.
func TestScaffoldsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generated modules")
	}
	dir := t.TempDir()
	shop, err := Generate(shopPlan(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(context.Background(), filepath.Join(dir, "shop"), shop, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	tiny, err := Generate(tinyPlan(t), Options{Router: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(context.Background(), filepath.Join(dir, "tiny"), tiny, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	// the hand-written plan one function per entry point too, vetted only
	// (vet type-checks every package; linking more commands adds nothing)
	tinyFns, err := Generate(tinyPlan(t), Options{ModulePrefix: "example.com/tiny/fns"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(context.Background(), filepath.Join(dir, "tinyfns"), tinyFns, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	functions := 0
	for _, c := range shop.Contexts {
		functions += len(c.Functions)
	}
	t.Logf("%d shop functions", functions)
	buildAndVet(t, dir, []written{{"shop", shop, true}, {"tiny", tiny, true}, {"tinyfns", tinyFns, false}})
	if msg := goCmd(dir, "test", "./shop/checkout/internal/adapt"); msg != "" {
		t.Error(msg)
	}
}

// written is a scaffold written to dir/name; build says whether its
// commands are linked or only vetted.
type written struct {
	name  string
	s     *Scaffold
	build bool
}

// buildAndVet builds and vets the generated modules under dir, offline, in
// one workspace.
func buildAndVet(t *testing.T, dir string, ws []written) {
	t.Helper()
	var mods, build, vet []string
	for _, w := range ws {
		for _, c := range w.s.Contexts {
			mods = append(mods, "./"+w.name+"/"+c.Dir)
			pattern := "./" + w.name + "/" + c.Dir + "/..."
			vet = append(vet, pattern)
			if w.build {
				build = append(build, pattern)
			}
		}
	}
	sort.Strings(mods)
	work := "go " + GoVersion + "\n\nuse (\n\t" + strings.Join(mods, "\n\t") + "\n)\n"
	if err := os.WriteFile(filepath.Join(dir, "go.work"), []byte(work), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d modules", len(mods))
	// build and vet side by side; the build compiles and links every
	// command
	done := make(chan string)
	go func() {
		done <- goCmd(dir, append([]string{"vet"}, vet...)...)
	}()
	if msg := goCmd(dir, append([]string{"build"}, build...)...); msg != "" {
		t.Error(msg)
	}
	if msg := <-done; msg != "" {
		t.Error(msg)
	}
}

// TestScaffoldRepoBuilds does for any Go repository what TestScaffoldsBuild
// does for the example: analyze it as decompose analyze does, generate the
// scaffolds of its plan (one function per entry point), and build and vet
// them. It runs only when asked:
//
//	DECOMPOSE_SCAFFOLD_REPO=../some/repo go test ./emit/scaffold -run TestScaffoldRepoBuilds -v
func TestScaffoldRepoBuilds(t *testing.T) {
	repo := os.Getenv("DECOMPOSE_SCAFFOLD_REPO")
	if repo == "" {
		t.Skip("set DECOMPOSE_SCAFFOLD_REPO to a repository's directory")
	}
	if !filepath.IsAbs(repo) {
		// go test runs in the package's folder; the path was given from
		// the module root
		repo = filepath.Join("..", "..", repo)
	}
	s, err := Generate(planOf(t, repo), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := Write(context.Background(), filepath.Join(dir, "repo"), s, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	functions := 0
	for _, c := range s.Contexts {
		functions += len(c.Functions)
		t.Logf("%s: %d functions", c.Dir, len(c.Functions))
	}
	t.Logf("%s: %d contexts, %d functions", repo, len(s.Contexts), functions)
	buildAndVet(t, dir, []written{{"repo", s, true}})
}
