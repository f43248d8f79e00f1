// Command decompose-eval scores decompose's plans against the authors' own
// decompositions of real code bases (the truth files and scorer of the
// evaluation set) and prints a Markdown table beside the one-directory-per-
// service baseline.
//
//	go run ./cmd/decompose-eval -eval ../shared/eval -repos ../evalrepos
//
// -repos holds one clone per truth file, named like it (goddd for
// goddd.truth.yaml), checked out at the commit the truth file names. The
// pattern analyzed is the truth file's `scope` or `analyse` when it has one,
// else ./... (a workspace root means every module of the workspace).
// -flags passes further flags to decompose analyze, to score a setting:
//
//	go run ./cmd/decompose-eval -eval ../shared/eval -repos ../evalrepos -flags --cochange
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

type truth struct {
	Repo      string         `yaml:"repo"`
	Commit    string         `yaml:"commit"`
	Scope     string         `yaml:"scope"`
	Analyse   string         `yaml:"analyse"`
	FileLevel map[string]any `yaml:"file_level"`
}

type score struct {
	Packages      int     `json:"packages"`
	Decls         int     `json:"decls"`
	TruthContexts int     `json:"truth_contexts"`
	PlanContexts  int     `json:"plan_contexts"`
	MoJoFM        float64 `json:"mojofm"`
	ARI           float64 `json:"ari"`
	C2C           float64 `json:"c2c50"`
	DirMoJoFM     float64 `json:"dir_mojofm"`
	DirARI        float64 `json:"dir_ari"`
}

func main() {
	evalDir := flag.String("eval", "../shared/eval", "the evaluation folder (truth/ and score/)")
	repos := flag.String("repos", "../evalrepos", "the folder of clones, one per truth file")
	only := flag.String("only", "", "comma-separated truth names to run (default all)")
	extra := flag.String("flags", "", "further flags for decompose analyze, separated by spaces (e.g. --cochange)")
	flag.Parse()
	if err := run(*evalDir, *repos, *only, strings.Fields(*extra)); err != nil {
		fmt.Fprintln(os.Stderr, "decompose-eval:", err)
		os.Exit(2)
	}
}

func run(evalDir, repos, only string, extra []string) error {
	evalDir, _ = filepath.Abs(evalDir)
	repos, _ = filepath.Abs(repos)
	truths, err := filepath.Glob(filepath.Join(evalDir, "truth", "*.truth.yaml"))
	if err != nil || len(truths) == 0 {
		return fmt.Errorf("no truth files in %s/truth", evalDir)
	}
	sort.Strings(truths)
	tmp, err := os.MkdirTemp("", "decompose-eval")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "decompose")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/decompose").CombinedOutput(); err != nil {
		return fmt.Errorf("build decompose: %v\n%s", err, out)
	}
	want := map[string]bool{}
	for _, n := range strings.Split(only, ",") {
		if n != "" {
			want[n] = true
		}
	}
	fmt.Println("| code base | elements | truth contexts | plan contexts | MoJoFM | ARI | c2c@50 | directory baseline MoJoFM | baseline ARI |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, path := range truths {
		name := strings.TrimSuffix(filepath.Base(path), ".truth.yaml")
		if len(want) > 0 && !want[name] {
			continue
		}
		row, err := evaluate(bin, evalDir, path, filepath.Join(repos, name), filepath.Join(tmp, name), extra)
		if err != nil {
			fmt.Printf("| %s | %s |\n", name, oneLine(err.Error()))
			continue
		}
		elems := fmt.Sprint(row.Packages)
		if row.Decls > 0 {
			elems = fmt.Sprintf("%d (%d decls)", row.Packages, row.Decls)
		}
		fmt.Printf("| %s | %s | %d | %d | %.1f | %.3f | %.1f | %.1f | %.3f |\n", name, elems, row.TruthContexts, row.PlanContexts,
			row.MoJoFM, row.ARI, row.C2C, row.DirMoJoFM, row.DirARI)
	}
	return nil
}

func evaluate(bin, evalDir, truthPath, repo, out string, extra []string) (*score, error) {
	data, err := os.ReadFile(truthPath)
	if err != nil {
		return nil, err
	}
	var t truth
	if err := yaml.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s: %v", truthPath, err)
	}
	if st, err := os.Stat(repo); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("no clone at %s", repo)
	}
	pattern := "./..."
	for _, p := range []string{t.Scope, t.Analyse} {
		if p != "" {
			pattern = p
		}
	}
	args := append([]string{"analyze", "-q", "-C", repo, "--out", out}, extra...)
	cmd := exec.Command(bin, append(args, pattern)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			return nil, fmt.Errorf("decompose: %v: %s", err, oneLine(stderr.String()))
		}
	}
	args = []string{"run", ".", "-json", "-truth", truthPath, "-plan", filepath.Join(out, "plan.yaml")}
	if len(t.FileLevel) > 0 {
		args = append(args, "-dir", repo)
	}
	sc := exec.Command("go", args...)
	sc.Dir = filepath.Join(evalDir, "score")
	stderr.Reset()
	sc.Stderr = &stderr
	res, err := sc.Output()
	if err != nil {
		return nil, fmt.Errorf("score: %v: %s", err, oneLine(stderr.String()))
	}
	var s score
	if err := json.Unmarshal(res, &s); err != nil {
		return nil, fmt.Errorf("score output: %v", err)
	}
	return &s, nil
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
