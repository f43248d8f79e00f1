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
//
// The example monoliths of testdata/ that carry a truth file are scored
// too. Each row is compared with the last committed table (the first
// table of -last, README.md by default): the Δ column gives the change
// in MoJoFM, and the command exits 1 when any case scores lower, so that
// a change that lowers a case is seen before it is committed.
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

	"go.yaml.in/yaml/v3"
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
	last := flag.String("last", "README.md", "the file whose first score table is the last committed one")
	flag.Parse()
	lower, err := run(*evalDir, *repos, *only, *last, strings.Fields(*extra))
	if err != nil {
		fmt.Fprintln(os.Stderr, "decompose-eval:", err)
		os.Exit(2)
	}
	if len(lower) > 0 {
		fmt.Fprintf(os.Stderr, "decompose-eval: lower than the last committed table: %s\n", strings.Join(lower, ", "))
		os.Exit(1)
	}
}

// lastScores reads the first table of a Markdown file whose header starts
// with "| code base |": code base → MoJoFM.
func lastScores(path string) map[string]float64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	out := map[string]float64{}
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "| code base |"):
			in = true
			continue
		case in && !strings.HasPrefix(line, "|"):
			return out
		case !in || strings.HasPrefix(line, "|---"):
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 7 {
			continue
		}
		var x float64
		if _, err := fmt.Sscan(strings.TrimSpace(cells[5]), &x); err == nil {
			out[strings.TrimSpace(cells[1])] = x
		}
	}
	return out
}

// cases are the truth files of the evaluation and of the example
// monoliths, each with the folder to analyze.
func cases(evalDir, repos string) ([][2]string, error) {
	truths, err := filepath.Glob(filepath.Join(evalDir, "truth", "*.truth.yaml"))
	if err != nil || len(truths) == 0 {
		return nil, fmt.Errorf("no truth files in %s/truth", evalDir)
	}
	var out [][2]string
	for _, t := range truths {
		out = append(out, [2]string{t, filepath.Join(repos, strings.TrimSuffix(filepath.Base(t), ".truth.yaml"))})
	}
	own, _ := filepath.Glob(filepath.Join("testdata", "*", "*.truth.yaml"))
	for _, t := range own {
		t, _ = filepath.Abs(t)
		out = append(out, [2]string{t, filepath.Dir(t)})
	}
	sort.Slice(out, func(i, j int) bool { return filepath.Base(out[i][0]) < filepath.Base(out[j][0]) })
	return out, nil
}

func run(evalDir, repos, only, lastPath string, extra []string) ([]string, error) {
	evalDir, _ = filepath.Abs(evalDir)
	repos, _ = filepath.Abs(repos)
	all, err := cases(evalDir, repos)
	if err != nil {
		return nil, err
	}
	last := lastScores(lastPath)
	tmp, err := os.MkdirTemp("", "decompose-eval")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "decompose")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/decompose").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build decompose: %v\n%s", err, out)
	}
	want := map[string]bool{}
	for _, n := range strings.Split(only, ",") {
		if n != "" {
			want[n] = true
		}
	}
	fmt.Println("| code base | elements | truth contexts | plan contexts | MoJoFM | ARI | c2c@50 | directory baseline MoJoFM | baseline ARI | Δ MoJoFM |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	var lower []string
	for _, c := range all {
		path, repo := c[0], c[1]
		name := strings.TrimSuffix(filepath.Base(path), ".truth.yaml")
		if len(want) > 0 && !want[name] {
			continue
		}
		row, err := evaluate(bin, evalDir, path, repo, filepath.Join(tmp, name), extra)
		if err != nil {
			fmt.Printf("| %s | %s |\n", name, oneLine(err.Error()))
			if _, ok := last[name]; ok {
				lower = append(lower, name)
			}
			continue
		}
		delta := "new"
		if x, ok := last[name]; ok {
			d := row.MoJoFM - x
			delta = fmt.Sprintf("%+.1f", d)
			if d < -0.05 {
				lower = append(lower, name)
			}
		}
		elems := fmt.Sprint(row.Packages)
		if row.Decls > 0 {
			elems = fmt.Sprintf("%d (%d decls)", row.Packages, row.Decls)
		}
		fmt.Printf("| %s | %s | %d | %d | %.1f | %.3f | %.1f | %.1f | %.3f | %s |\n", name, elems, row.TruthContexts, row.PlanContexts,
			row.MoJoFM, row.ARI, row.C2C, row.DirMoJoFM, row.DirARI, delta)
	}
	return lower, nil
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
