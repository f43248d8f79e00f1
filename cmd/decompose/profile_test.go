package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfiles checks that --cpuprofile and --memprofile write pprof files
// (gzipped protocol buffers), also for a run that reports problems, and
// that an unwritable profile path is a one-line error.
func TestProfiles(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		code    int
	}{
		{"clean run", "testdata/ok.txtar", exitOK},
		{"run with load errors", "testdata/broken.txtar", exitProblems},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := extract(t, tt.fixture)
			cpu, mem := filepath.Join(t.TempDir(), "cpu.out"), filepath.Join(t.TempDir(), "mem.out")
			code, _, stderr := run(t, "analyze", "-q", "-C", dir, "--cpuprofile", cpu, "--memprofile", mem, "./...")
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			for _, f := range []string{cpu, mem} {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
					t.Errorf("%s is not a pprof profile (%d bytes)", filepath.Base(f), len(data))
				}
			}
		})
	}
	t.Run("unwritable", func(t *testing.T) {
		dir := extract(t, "testdata/ok.txtar")
		code, _, stderr := run(t, "analyze", "-q", "-C", dir, "--cpuprofile", filepath.Join(t.TempDir(), "no", "such", "cpu.out"), "./...")
		if code != exitFatal || !strings.Contains(stderr, "cpu profile") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("exit %d, stderr %q; want exit 2 and one line about the cpu profile", code, stderr)
		}
	})
}
