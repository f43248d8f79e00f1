//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadConfigOnlyRegularFiles: a config that is a device, a pipe, a
// link to either, a folder or a huge file is refused with one line, before
// it is read to the end (a device or a pipe has none).
func TestReadConfigOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	zeroLink := filepath.Join(dir, "zero.yaml")
	os.Symlink("/dev/zero", zeroLink)
	fifoLink := filepath.Join(dir, "fifo-link.yaml")
	os.Symlink(fifo, fifoLink)
	huge := filepath.Join(dir, "huge.yaml")
	os.WriteFile(huge, []byte("algo: vta\n"+strings.Repeat("# padding\n", maxConfigSize/10+1)), 0o644)
	fine := filepath.Join(dir, "fine.yaml")
	os.WriteFile(fine, []byte("algo: vta\n"+strings.Repeat("# padding\n", maxConfigSize/20)), 0o644)
	tests := []struct {
		name, path, err string
	}{
		{"device", "/dev/zero", "not a regular file"},
		{"link to a device", zeroLink, "not a regular file"},
		{"FIFO", fifo, "not a regular file"},
		{"link to a FIFO", fifoLink, "not a regular file"},
		{"folder", dir, "not a regular file"},
		{"huge", huge, "larger than 1024 KiB"},
		{"large but fine", fine, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readConfig(tt.path)
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "config "+tt.path+": "+tt.err) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err %v, want one line with %q", err, tt.err)
			}
		})
	}
}

// TestFoundConfigLinkedToDevice: a decompose.yaml found in the module root
// that links to /dev/zero stops analyze with exit 2.
func TestFoundConfigLinkedToDevice(t *testing.T) {
	ok := extract(t, "testdata/ok.txtar")
	if err := os.Symlink("/dev/zero", filepath.Join(ok, ConfigName)); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "analyze", "-C", ok, "-q")
	if code != 2 || !strings.Contains(stderr, "not a regular file") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestReadPlanLargerThanConfig: a plan is read up to check.MaxPlanSize,
// far beyond a config's limit (the plan of a large program is megabytes
// long), and refused beyond that; a device is refused as for configs.
func TestReadPlanLargerThanConfig(t *testing.T) {
	dir := t.TempDir()
	large := filepath.Join(dir, "large.yaml")
	content := "schema: decompose/v1\n" + strings.Repeat("# padding\n", 2*maxConfigSize/10)
	os.WriteFile(large, []byte(content), 0o644)
	if data, err := readPlanFile(large); err != nil || len(data) != len(content) {
		t.Errorf("a 2 MiB plan: %d bytes, err %v", len(data), err)
	}
	if _, err := readConfigFile(large); err == nil || err.Error() != "larger than 1024 KiB; a config is a few lines" {
		t.Errorf("the same file as a config: err %v", err)
	}
	if _, err := readPlanFile("/dev/zero"); err == nil || err.Error() != "not a regular file" {
		t.Errorf("a device as a plan: err %v", err)
	}
}
