package outdir

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The steps of writing the second set, in order: each one is where a
// failure or an interrupt is injected below.
var steps = []string{"stage", "write contexts/a.svg", "write plan.yaml", "prune", "manifest", "lock", "aside", "swap", "cleanup"}

// oldSet writes the first set into dir/out, with a file of the user's
// beside it, and returns the tree.
func oldSet(t *testing.T, out string) map[string]string {
	t.Helper()
	d, err := Open(out, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"plan.yaml", "contexts/a.svg", "contexts/gone.svg"} {
		if err := d.Write(n, []byte("old "+n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Close()
	os.WriteFile(filepath.Join(out, "contexts", "mine.txt"), []byte("mine"), 0o644)
	return files(t, out)
}

// newSet writes the second set: two files replaced, one pruned.
func newSet(out string) error {
	d, err := Open(out, false)
	if err != nil {
		return err
	}
	defer d.Close()
	for _, n := range []string{"contexts/a.svg", "plan.yaml"} {
		if err := d.Write(n, []byte("new "+n)); err != nil {
			return err
		}
	}
	if _, err := d.Prune(); err != nil {
		return err
	}
	return d.Commit()
}

var wantNew = map[string]string{
	"contexts/a.svg":    "new contexts/a.svg",
	"contexts/mine.txt": "mine",
	"plan.yaml":         "new plan.yaml",
	ManifestName:        manifestHeader + "contexts/a.svg\nplan.yaml\n",
}

// files lists the files under dir with their contents.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			b, _ := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// beside lists what is in out's parent besides out.
func beside(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != filepath.Base(out) {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestStepsRecorded: the steps the tests below inject at are the steps a
// run takes.
func TestStepsRecorded(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	oldSet(t, out)
	var got []string
	TestHook = func(step string) error { got = append(got, step); return nil }
	defer func() { TestHook = nil }()
	if err := newSet(out); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, steps) {
		t.Errorf("steps %q, want %q", got, steps)
	}
	if got := files(t, out); !reflect.DeepEqual(got, wantNew) {
		t.Errorf("new set:\n%v\nwant\n%v", got, wantNew)
	}
	if b := beside(t, out); len(b) > 0 {
		t.Errorf("left beside the folder: %v", b)
	}
}

// TestFailureAtEachStep: a step that fails leaves the old set, and nothing
// beside it, and the folder unlocked; once the set is in place (cleanup)
// it is the new set, and the next run removes the old one.
func TestFailureAtEachStep(t *testing.T) {
	boom := errors.New("disk full")
	for _, step := range steps {
		t.Run(step, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			old := oldSet(t, out)
			TestHook = func(s string) error {
				if s == step {
					return boom
				}
				return nil
			}
			err := newSet(out)
			TestHook = nil
			want, leftover := old, false
			if step == "cleanup" {
				want, leftover = wantNew, true
			} else if !errors.Is(err, boom) {
				t.Fatalf("err %v, want %v", err, boom)
			}
			if got := files(t, out); !reflect.DeepEqual(got, want) {
				t.Errorf("after a failure at %s:\n%v\nwant\n%v", step, got, want)
			}
			if b := beside(t, out); (len(b) > 0) != leftover {
				t.Errorf("beside the folder: %v", b)
			}
			d, err := Open(out, false)
			if err != nil {
				t.Fatalf("next run: %v", err)
			}
			if note := d.Note(); leftover != strings.Contains(note, "removed .decompose-old-out-") {
				t.Errorf("note %q", note)
			}
			d.Close()
			if b := beside(t, out); len(b) > 0 {
				t.Errorf("beside the folder after the next run: %v", b)
			}
		})
	}
}

// TestInterruptAtEachStep ends a process (as a kill would: no deferred
// cleanup) before each step: the folder holds the old set or, once the
// new one was moved in, the new one, and the next run says what it
// cleaned up and leaves nothing beside the folder.
func TestInterruptAtEachStep(t *testing.T) {
	if os.Getenv("OUTDIR_CRASH_AT") != "" {
		return // the helper's own run
	}
	tests := []struct {
		step string
		new  bool   // the new set is in place
		note string // what the next run says, "" for nothing
	}{
		{"stage", false, ""},
		{"write contexts/a.svg", false, "removed .decompose-tmp-out-"},
		{"write plan.yaml", false, "removed .decompose-tmp-out-"},
		{"prune", false, "removed .decompose-tmp-out-"},
		{"manifest", false, "removed .decompose-tmp-out-"},
		{"lock", false, "removed .decompose-tmp-out-"},
		{"aside", false, "removed .decompose-tmp-out-"},
		{"swap", false, "put back the previous output from .decompose-old-out-"},
		{"cleanup", true, "removed .decompose-old-out-"},
	}
	for _, tt := range tests {
		t.Run(tt.step, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			old := oldSet(t, out)
			cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptHelper$")
			cmd.Env = append(os.Environ(), "OUTDIR_CRASH_AT="+tt.step, "OUTDIR_CRASH_DIR="+out)
			b, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 3 {
				t.Fatalf("helper: %v\n%s", err, b)
			}
			d, err := Open(out, false)
			if err != nil {
				t.Fatalf("next run: %v", err)
			}
			note := d.Note()
			d.Close()
			if tt.note == "" && note != "" || !strings.Contains(note, tt.note) {
				t.Errorf("note %q, want %q", note, tt.note)
			}
			if strings.Contains(note, "\n") {
				t.Errorf("note is not one line: %q", note)
			}
			want := old
			if tt.new {
				want = wantNew
			}
			if got := files(t, out); !reflect.DeepEqual(got, want) {
				t.Errorf("after an interrupt at %s:\n%v\nwant\n%v", tt.step, got, want)
			}
			if b := beside(t, out); len(b) > 0 {
				t.Errorf("beside the folder: %v", b)
			}
		})
	}
}

// TestInterruptHelper is the process TestInterruptAtEachStep ends.
func TestInterruptHelper(t *testing.T) {
	step, out := os.Getenv("OUTDIR_CRASH_AT"), os.Getenv("OUTDIR_CRASH_DIR")
	if step == "" {
		t.Skip("run by TestInterruptAtEachStep")
	}
	TestHook = func(s string) error {
		if s == step {
			os.Exit(3)
		}
		return nil
	}
	newSet(out)
	t.Fatalf("step %s never came", step)
}

// TestLockKeepsSecondRunOut: while one run holds the folder, before,
// during and right after the swap, a second one is refused with one line
// naming the holder; once the first ends, the second runs.
func TestLockKeepsSecondRunOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	oldSet(t, out)
	second := func() error {
		s, err := Lock(out)
		if err == nil {
			s.Unlock()
		}
		return err
	}
	for _, at := range []string{"stage", "aside", "swap", "cleanup"} {
		t.Run(at, func(t *testing.T) {
			var got error
			TestHook = func(s string) error {
				if s == at {
					got = second()
				}
				return nil
			}
			err := newSet(out)
			TestHook = nil
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || !strings.Contains(got.Error(), "is in use by another decompose run (pid ") || strings.Contains(got.Error(), "\n") {
				t.Errorf("second run during %s: %v", at, got)
			}
			if err := second(); err != nil {
				t.Errorf("second run after the first: %v", err)
			}
			if _, err := os.Stat(filepath.Join(out, LockName)); err == nil {
				t.Error("lock file left in the folder")
			}
		})
	}
}

// TestEarlierLeftoversInside: the temporary files and the moved-aside
// context folders that earlier versions left inside an output folder are
// removed, a missing folder put back first.
func TestEarlierLeftoversInside(t *testing.T) {
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, ".decompose-tmp-123"), []byte("half"), 0o644)
	os.MkdirAll(filepath.Join(out, ".decompose-old-456", "orders"), 0o755)
	os.WriteFile(filepath.Join(out, ".decompose-old-456", "orders", "mine.go"), []byte("mine"), 0o644)
	os.MkdirAll(filepath.Join(out, ".decompose-old-456", "catalog"), 0o755)
	os.MkdirAll(filepath.Join(out, "catalog"), 0o755)
	s, err := Lock(out)
	if err != nil {
		t.Fatal(err)
	}
	s.Unlock()
	want := out + ": an earlier run was interrupted; put back orders; removed .decompose-old-456, .decompose-tmp-123"
	if s.Note() != want {
		t.Errorf("note %q\nwant %q", s.Note(), want)
	}
	if got := files(t, out); !reflect.DeepEqual(got, map[string]string{"orders/mine.go": "mine"}) {
		t.Errorf("folder: %v", got)
	}
}
