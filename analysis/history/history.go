// Package history reads which files a Git repository's commits changed
// together: the input of clustering's co-change signal. It runs git
// read-only (git log and git rev-parse, with optional locks off) and never
// changes the repository.
package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// Options limit what is read.
type Options struct {
	// Commits is how many of the newest commits that touch the directory
	// are read, merges left out; ≤ 0 reads them all.
	Commits int
	// MaxFiles leaves out commits that changed more files than this in the
	// whole repository (bulk reformatting, renames, vendoring, which say
	// nothing about coupling); ≤ 0 keeps every commit.
	MaxFiles int
}

// Log is the history of one directory.
type Log struct {
	// Head is the commit the history ends at.
	Head string
	// Commits are, newest first, the files each kept commit changed below
	// the directory, relative to it with forward slashes and sorted.
	// Commits that changed no file there are left out.
	Commits [][]string
	// Read counts the commits read; Skipped those left out for changing
	// more than MaxFiles files.
	Read, Skipped int
}

// Errors of a directory without history.
var (
	ErrNoGit         = errors.New("git is not installed")
	ErrNotRepository = errors.New("not in a git work tree")
	ErrNoCommits     = errors.New("the repository has no commits")
)

// Read reads the history of dir: the commits that changed a file below it,
// with the files they changed there. dir may lie anywhere in a work tree;
// paths are made relative to it, so that they match positions relative to
// a module root below the repository's top.
func Read(ctx context.Context, dir string, opt Options) (*Log, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, ErrNoGit
	}
	out, err := git(ctx, dir, "rev-parse", "--is-inside-work-tree", "--show-prefix")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepository)
	}
	inside, prefix, _ := strings.Cut(strings.TrimRight(string(out), "\n"), "\n")
	if inside != "true" {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepository)
	}
	head, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, ErrNoCommits)
	}
	// Paths print relative to the repository's top whatever the user's
	// configuration (see git); --full-diff lists every file of a commit, so that
	// MaxFiles counts the whole commit and not only its part below dir.
	args := []string{"log", "-z", "--no-merges", "--no-renames", "--name-only", "--full-diff", "--format=format:%x01%H"}
	if opt.Commits > 0 {
		args = append(args, "-n", strconv.Itoa(opt.Commits))
	}
	args = append(args, "HEAD", "--", ".")
	out, err = git(ctx, dir, args...)
	if err != nil {
		return nil, err
	}
	l := parse(out, prefix, opt.MaxFiles)
	l.Head = strings.TrimSpace(string(head))
	return l, nil
}

// parse reads the output of git log -z --name-only
// --format=format:%x01%H: a commit is "\x01HASH\n" followed by its files,
// each ended by NUL, and an extra NUL between commits.
func parse(out []byte, prefix string, maxFiles int) *Log {
	l := &Log{}
	var files []string
	inCommit := false
	flush := func() {
		if !inCommit {
			return
		}
		l.Read++
		if maxFiles > 0 && len(files) > maxFiles {
			l.Skipped++
			files = files[:0]
			return
		}
		var mine []string
		for _, f := range files {
			if rel, ok := strings.CutPrefix(f, prefix); ok && rel != "" {
				mine = append(mine, rel)
			}
		}
		files = files[:0]
		if len(mine) == 0 {
			return
		}
		slices.Sort(mine)
		l.Commits = append(l.Commits, slices.Compact(mine))
	}
	for _, tok := range bytes.Split(out, []byte{0}) {
		if len(tok) > 0 && tok[0] == 1 {
			flush()
			inCommit = true
			_, first, _ := bytes.Cut(tok[1:], []byte{'\n'})
			tok = first
		}
		if len(tok) > 0 && inCommit {
			files = append(files, string(tok))
		}
	}
	flush()
	return l
}

// git runs a read-only git command in dir. The environment variables that
// would point git at another repository are dropped, and optional locks
// are off so that not even the index is refreshed.
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	full := append([]string{
		"-C", dir,
		"-c", "diff.relative=false", "-c", "log.follow=false", "-c", "log.showSignature=false",
	}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	env := []string{"GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0"}
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
			"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_OPTIONAL_LOCKS":
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}
