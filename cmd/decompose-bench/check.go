package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// The bars of decompose check, which runs on every pull request: with the
// model cached and one file changed, within warmBar times go vet of the
// same packages after the same change; without the model cache, within
// coldBar times analyze without it.
const (
	warmBar = 2.0
	coldBar = 1.2
)

// benchCheck times decompose check on a copy of the repository in dir
// (the user's repository is never written), against the references of its
// bars in the same runs: go vet and decompose analyze. file, relative to
// dir, is the file each warm run changes by appending a comment.
//
// The copy gets an accepted plan (the plan.yaml that analyze writes, as
// decompose-plan.yaml, unless plan names one of the repository's files).
// Then, interleaved n times: a comment appended to file and check timed
// (the model cache holds the model before the change), check timed again
// with nothing changed (the cached model), another comment appended and go
// vet timed (its cache holds the results before the change), check
// --no-cache timed and analyze --no-cache timed.
func benchCheck(dir, file, plan string, n int, algo string, patterns []string) error {
	tmp, bin, err := buildDecompose()
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// The copy is made at the same path on every run for the same
	// repository: the go command's build cache keys compiled packages on
	// their directory, so the first run at a new path compiles every
	// package anew, vendored ones included, and later runs reuse it.
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(abs))
	repo := filepath.Join(os.TempDir(), "decompose-bench-"+hex.EncodeToString(sum[:6]), filepath.Base(abs))
	if err := os.RemoveAll(repo); err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Dir(repo))
	fmt.Fprintf(os.Stderr, "copying %s to %s ...\n", dir, repo)
	if err := copyTree(abs, repo); err != nil {
		return fmt.Errorf("copy %s: %v", dir, err)
	}
	changed := filepath.Join(repo, filepath.FromSlash(file))
	if st, err := os.Stat(changed); err != nil || !st.Mode().IsRegular() || !strings.HasSuffix(file, ".go") {
		return fmt.Errorf("-check %s: not a Go file of %s", file, dir)
	}
	os.Setenv("DECOMPOSE_CACHE", filepath.Join(tmp, "cache"))

	if plan == "" {
		fmt.Fprintf(os.Stderr, "writing the accepted plan with decompose analyze ...\n")
		argv := append([]string{bin, "analyze", "-q", "--algo", algo, "--out", filepath.Join(tmp, "plan")}, patterns...)
		if _, err := measure(repo, argv, false); err != nil {
			return err
		}
		data, err := os.ReadFile(filepath.Join(tmp, "plan", "plan.yaml"))
		if err != nil {
			return err
		}
		plan = "decompose-plan.yaml"
		if err := os.WriteFile(filepath.Join(repo, plan), data, 0o644); err != nil {
			return err
		}
	}

	checkArgs := []string{bin, "check", "-v", "--algo", algo, "--plan", plan}
	warm := append(append([]string{}, checkArgs...), patterns...)
	coldCheck := append(append(append([]string{}, checkArgs...), "--no-cache"), patterns...)
	coldAnalyze := append([]string{bin, "analyze", "-v", "--no-cache", "--algo", algo, "--out", filepath.Join(tmp, "out-cold")}, patterns...)
	vet := append([]string{"go", "vet"}, patterns...)
	edits := 0
	change := func() error {
		edits++
		return appendComment(changed, edits)
	}
	type step struct {
		name   string
		change bool // append a comment to file first
		argv   []string
	}
	steps := []step{
		{"check, one file changed", true, warm},
		{"check, nothing changed", false, warm},
		{"go vet, one file changed", true, vet},
		{"check --no-cache", false, coldCheck},
		{"analyze --no-cache", false, coldAnalyze},
	}

	// One untimed round warms the build cache, the file cache, go vet's
	// cache and the model cache, so that the medians measure steady state.
	fmt.Fprintf(os.Stderr, "warming up in %s ...\n", repo)
	results := map[string][]sample{}
	var size string
	for i := 0; i <= n; i++ {
		if i > 0 {
			fmt.Fprintf(os.Stderr, "run %d/%d\n", i, n)
		}
		for _, s := range steps {
			if s.change {
				if err := change(); err != nil {
					return err
				}
			}
			smp, err := measure(repo, s.argv, false)
			if err != nil {
				return err
			}
			if smp.size != "" {
				size = smp.size
			}
			if i > 0 {
				results[s.name] = append(results[s.name], smp)
			}
		}
	}

	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "repository\t%s\t(a copy; %s, %d runs, medians)\n", dir, strings.Join(patterns, " "), n)
	if size != "" {
		fmt.Fprintf(tw, "size\t%s\n", size)
	}
	fmt.Fprintf(tw, "changed\t%s\t(a comment appended before each run so marked)\n", file)
	fmt.Fprintln(tw, "measurement\twall\tmin..max\tpeak RSS\tphases")
	for _, s := range steps {
		ss := results[s.name]
		fmt.Fprintf(tw, "%s\t%s\t%s..%s\t%s\t%s\n", s.name, round(median(ss, wallOf)), round(minOf(ss)), round(maxOf(ss)),
			mib(medianRSS(ss)), phaseMedians(ss))
	}
	ratio := func(a, b string) float64 {
		return float64(median(results[a], wallOf)) / float64(median(results[b], wallOf))
	}
	verdict := func(r, bar float64) string {
		if r <= bar {
			return fmt.Sprintf("within %.1f×", bar)
		}
		return fmt.Sprintf("above %.1f×", bar)
	}
	w := ratio(steps[0].name, steps[2].name)
	c := ratio(steps[3].name, steps[4].name)
	fmt.Fprintf(tw, "ratio\twarm: check / go vet = %.2f\t%s\n", w, verdict(w, warmBar))
	fmt.Fprintf(tw, "ratio\tcold: check / analyze = %.2f\t%s\n", c, verdict(c, coldBar))
	return tw.Flush()
}

// appendComment appends a comment line to a Go file: a change to its
// contents that changes nothing else.
func appendComment(path string, n int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	line := fmt.Sprintf("// decompose-bench change %d at %s\n", n, time.Now().Format(time.RFC3339Nano))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		line = "\n" + line
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// copyTree copies the directory src to dst (which must not exist): its
// directories, regular files and symbolic links, with their modes.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			return copyFile(path, target, info.Mode().Perm())
		}
		return nil // sockets, pipes, devices: no part of a program
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
