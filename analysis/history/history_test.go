package history

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// gitEnv makes the test's git commands, and those Read runs, independent
// of the machine's configuration and clock.
func gitEnv(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": os.DevNull, "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com",
		"GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.com",
	} {
		t.Setenv(k, v)
	}
}

// repo is a scratch repository whose commits have fixed dates.
type repo struct {
	t   *testing.T
	dir string
	n   int
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	r := &repo{t: t, dir: t.TempDir()}
	r.git("init", "-q")
	return r
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	date := fmt.Sprintf("2024-01-01T00:%02d:00Z", r.n)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes the files (a new line each time) and commits them.
func (r *repo) commit(files ...string) {
	r.t.Helper()
	r.n++
	for _, f := range files {
		path := filepath.Join(r.dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			r.t.Fatal(err)
		}
		fh, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			r.t.Fatal(err)
		}
		fmt.Fprintf(fh, "// %d\n", r.n)
		fh.Close()
	}
	r.git("add", "--all")
	r.git("commit", "-q", "-m", fmt.Sprintf("change %d", r.n))
}

func TestRead(t *testing.T) {
	gitEnv(t)
	r := newRepo(t)
	r.commit("README.md", "mod/go.mod", "mod/a/a.go")
	r.commit("mod/a/a.go", "mod/b/b.go")
	r.commit("mod/a/a.go", "mod/b/b.go", "docs/notes.md")
	r.commit("mod/b/b.go", "mod/c/with space.go", "mod/c/c.go", "mod/c/d.go") // bulk with MaxFiles 3
	r.commit("docs/notes.md")
	// a merge commit repeats its parents' changes: left out
	r.git("checkout", "-q", "-b", "side")
	r.commit("mod/c/c.go", "mod/a/a.go")
	r.git("checkout", "-q", "-")
	r.commit("mod/b/b.go")
	r.n++
	r.git("merge", "-q", "--no-ff", "-m", "merge", "side")
	head := r.git("rev-parse", "HEAD")

	tests := []struct {
		name string
		dir  string
		opt  Options
		want [][]string
		read int
		skip int
	}{
		{"module below the top", "mod", Options{}, [][]string{
			{"b/b.go"},
			{"a/a.go", "c/c.go"},
			{"b/b.go", "c/c.go", "c/d.go", "c/with space.go"},
			{"a/a.go", "b/b.go"},
			{"a/a.go", "b/b.go"},
			{"a/a.go", "go.mod"},
		}, 6, 0},
		{"bulk commits left out", "mod", Options{MaxFiles: 3}, [][]string{
			{"b/b.go"},
			{"a/a.go", "c/c.go"},
			{"a/a.go", "b/b.go"},
			{"a/a.go", "b/b.go"},
			{"a/a.go", "go.mod"},
		}, 6, 1},
		{"the whole commit counts against MaxFiles", "mod", Options{MaxFiles: 2}, [][]string{
			{"b/b.go"},
			{"a/a.go", "c/c.go"},
			{"a/a.go", "b/b.go"},
		}, 6, 3},
		{"newest commits only", "mod", Options{Commits: 2}, [][]string{
			{"b/b.go"},
			{"a/a.go", "c/c.go"},
		}, 2, 0},
		{"a package directory", "mod/c", Options{}, [][]string{
			{"c.go"},
			{"c.go", "d.go", "with space.go"},
		}, 2, 0},
		{"the top", ".", Options{Commits: 3}, [][]string{
			{"mod/b/b.go"},
			{"mod/a/a.go", "mod/c/c.go"},
			{"docs/notes.md"},
		}, 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Read(context.Background(), filepath.Join(r.dir, tt.dir), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(l.Commits, tt.want) {
				t.Errorf("commits\n%q\nwant\n%q", l.Commits, tt.want)
			}
			if l.Read != tt.read || l.Skipped != tt.skip {
				t.Errorf("read %d, skipped %d; want %d, %d", l.Read, l.Skipped, tt.read, tt.skip)
			}
			if l.Head != head {
				t.Errorf("head %s, want %s", l.Head, head)
			}
		})
	}
}

func TestReadWithoutHistory(t *testing.T) {
	gitEnv(t)
	empty := newRepo(t)
	plain := t.TempDir()
	// even where the temporary folder lies in a repository
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(plain))
	tests := []struct {
		name string
		dir  string
		want error
	}{
		{"not a work tree", plain, ErrNotRepository},
		{"no commits", empty.dir, ErrNoCommits},
		{"inside .git", filepath.Join(empty.dir, ".git"), ErrNotRepository},
		{"missing directory", filepath.Join(plain, "gone"), ErrNotRepository},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Read(context.Background(), tt.dir, Options{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Read = %v, %v; want %v", l, err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is not one line", err)
			}
		})
	}
}

func TestReadChangesNothing(t *testing.T) {
	gitEnv(t)
	r := newRepo(t)
	r.commit("a.go", "b.go")
	r.commit("b.go")
	// an edited, unstaged file would make git status refresh the index
	os.WriteFile(filepath.Join(r.dir, "a.go"), []byte("edited\n"), 0o644)
	before := snapshot(t, r.dir)
	if _, err := Read(context.Background(), r.dir, Options{}); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, r.dir); !reflect.DeepEqual(before, after) {
		t.Errorf("the repository changed:\n%v\n%v", before, after)
	}
}

// snapshot lists every file of the tree with its size and time.
func snapshot(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, fmt.Sprintf("%s %d %d", path, info.Size(), info.ModTime().UnixNano()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParse(t *testing.T) {
	h1, h2, h3 := strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)
	tests := []struct {
		name   string
		out    string
		prefix string
		max    int
		want   [][]string
		read   int
		skip   int
	}{
		{"empty", "", "", 0, nil, 0, 0},
		{"two commits", "\x01" + h1 + "\nx.go\x00a.go\x00\x00\x01" + h2 + "\nb.go\x00", "", 0,
			[][]string{{"a.go", "x.go"}, {"b.go"}}, 2, 0},
		{"a commit without files", "\x01" + h1 + "\x00\x00\x01" + h2 + "\nb.go\x00", "", 0,
			[][]string{{"b.go"}}, 2, 0},
		{"odd names", "\x01" + h1 + "\nm/a\nb.go\x00m/tab\t.go\x00", "m/", 0,
			[][]string{{"a\nb.go", "tab\t.go"}}, 1, 0},
		{"outside the prefix", "\x01" + h1 + "\nm/a.go\x00n/b.go\x00\x00\x01" + h3 + "\nn/c.go\x00", "m/", 0,
			[][]string{{"a.go"}}, 2, 0},
		{"too many files", "\x01" + h1 + "\na\x00b\x00c\x00\x00\x01" + h2 + "\na\x00b\x00", "", 2,
			[][]string{{"a", "b"}}, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := parse([]byte(tt.out), tt.prefix, tt.max)
			if !reflect.DeepEqual(l.Commits, tt.want) || l.Read != tt.read || l.Skipped != tt.skip {
				t.Errorf("parse = %q (read %d, skipped %d); want %q (%d, %d)", l.Commits, l.Read, l.Skipped, tt.want, tt.read, tt.skip)
			}
		})
	}
}
