package main

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"decompose/analysis"
	"decompose/cmd/internal/check"
	"decompose/cmd/internal/pipeline"
)

// reportsAt checks the program as it was at a git revision against the
// same accepted plan, and returns the fingerprints of its reports: what
// was there already. The revision's files are read with git archive into
// a temporary folder, removed afterwards: nothing of the repository, its
// work tree or its .git, is written. Plan entries naming code that did
// not exist then are no errors there.
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
	if err := extractRevision(ctx, top, commit, tree); err != nil {
		return nil, fmt.Errorf("--new-from-rev: read %s: %v", rev, err)
	}
	old := cfg
	old.Dir = filepath.Join(tree, rel)
	// never cached: the folder is new each time, and so would be the key
	m, _, err := pipeline.Load(ctx, old, o.algo, true)
	if err != nil {
		return nil, fmt.Errorf("--new-from-rev %s: %v", rev, err)
	}
	if len(m.Errors) > 0 {
		e := m.Errors[0]
		return nil, fmt.Errorf("--new-from-rev %s: the program did not load there: %s %s", rev, e.Pos, e.Msg)
	}
	res, err := check.Check(m, accepted, check.Options{Root: old.Dir, Drift: !o.noDrift})
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

// extractRevision writes the files of a commit into dir, from git archive
// (which only reads the repository). Paths leaving dir are refused; links
// are kept only when they point inside it.
func extractRevision(ctx context.Context, top, commit, dir string) error {
	cmd := exec.CommandContext(ctx, "git", "-C", top, "archive", "--format=tar", commit)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	tr := tar.NewReader(out)
	var extractErr error
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			extractErr = err
			break
		}
		name := filepath.FromSlash(path.Clean(h.Name))
		if !filepath.IsLocal(name) {
			extractErr = fmt.Errorf("archive path %q leaves the folder", h.Name)
			break
		}
		target := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeDir:
			extractErr = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			extractErr = writeFrom(target, tr, h.FileInfo().Mode().Perm())
		case tar.TypeSymlink:
			if filepath.IsLocal(filepath.Join(filepath.Dir(name), filepath.FromSlash(h.Linkname))) && !filepath.IsAbs(h.Linkname) {
				if extractErr = os.MkdirAll(filepath.Dir(target), 0o755); extractErr == nil {
					extractErr = os.Symlink(h.Linkname, target)
				}
			}
		}
		if extractErr != nil {
			break
		}
	}
	if extractErr != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return extractErr
	}
	if err := cmd.Wait(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("git archive: %s", msg)
		}
		return err
	}
	return nil
}

// writeFrom writes r into a new file at target, creating its folder.
func writeFrom(target string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
