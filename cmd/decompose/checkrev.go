package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"decompose/analysis"
	"decompose/check"
)

// reportsAt checks the program as it was at a git revision against the
// same accepted plan, and returns the fingerprints of its reports: what
// was there already. The revision is checked out, detached, into a
// temporary worktree of the repository (git worktree add), which is
// removed afterwards; the work tree itself is not touched. Plan entries
// naming code that did not exist then are no errors there.
func (o *checkOptions) reportsAt(ctx context.Context, rev string, accepted *check.Accepted, cfg analysis.Config) (map[string]bool, error) {
	dir, err := filepath.Abs(cmpDir(o.dir))
	if err != nil {
		return nil, err
	}
	if dir, err = filepath.EvalSymlinks(dir); err != nil {
		return nil, err
	}
	top, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("--new-from-rev: %s is not in a git work tree", dir)
	}
	commit, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("--new-from-rev: no revision %q in %s", rev, top)
	}
	rel, err := filepath.Rel(top, dir)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "decompose-rev-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	tree := filepath.Join(tmp, "tree")
	if _, err := git(ctx, top, "worktree", "add", "--detach", "--quiet", tree, commit); err != nil {
		return nil, fmt.Errorf("--new-from-rev: check out %s: %v", rev, err)
	}
	defer git(context.Background(), top, "worktree", "remove", "--force", tree)
	old := cfg
	old.Dir = filepath.Join(tree, rel)
	// never cached: the folder is new each time, and so would be the key
	model, _, err := loadModel(ctx, old, o.algo, true)
	if err != nil {
		return nil, fmt.Errorf("--new-from-rev %s: %v", rev, err)
	}
	if len(model.Errors) > 0 {
		e := model.Errors[0]
		return nil, fmt.Errorf("--new-from-rev %s: the program did not load there: %s %s", rev, e.Pos, e.Msg)
	}
	res, err := check.Check(model, accepted, check.Options{Root: old.Dir, Drift: !o.noDrift})
	if err != nil {
		return nil, fmt.Errorf("--new-from-rev %s: %v", rev, err)
	}
	seen := map[string]bool{}
	for _, r := range res.Reports {
		seen[r.Fingerprint] = true
	}
	return seen, nil
}

// git runs git in dir and returns its output's first line.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			first, _, _ := strings.Cut(msg, "\n")
			return "", fmt.Errorf("%s", first)
		}
		return "", err
	}
	first, _, _ := strings.Cut(strings.TrimSpace(stdout.String()), "\n")
	return first, nil
}

// onlyNew keeps the reports whose fingerprints were not there before.
func onlyNew(res *check.Result, before map[string]bool) *check.Result {
	out := &check.Result{}
	for _, r := range res.Reports {
		if before[r.Fingerprint] {
			continue
		}
		out.Reports = append(out.Reports, r)
		if !r.Advice {
			out.Violations++
		}
	}
	return out
}
