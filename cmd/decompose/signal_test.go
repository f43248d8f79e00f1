//go:build unix

package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestSignalEndsRunAndChild sends SIGINT or SIGTERM to a decompose
// process while the go list that go/packages started runs (a stand-in go
// command that tells its pid through a FIFO and then waits): decompose
// ends that process, leaves the --out folder as it was, unlocked and with
// nothing beside it, and exits 128 plus the signal's number.
func TestSignalEndsRunAndChild(t *testing.T) {
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	ok := extract(t, "testdata/ok.txtar")
	tests := []struct {
		sig  syscall.Signal
		code int
	}{
		{syscall.SIGINT, 130},
		{syscall.SIGTERM, 143},
	}
	for _, tt := range tests {
		t.Run(tt.sig.String(), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := run(t, "analyze", "-C", ok, "-q", "--out", out); code != 0 {
				t.Fatalf("first run: %d %s", code, stderr)
			}
			before := outFiles(t, out)

			bin := t.TempDir()
			fifo := filepath.Join(bin, "pid")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skip("no FIFOs here:", err)
			}
			script := "#!/bin/sh\ncase \"$*\" in *-find=*) echo $$ > \"$PID_FIFO\"; exec sleep 3600;; esac\nexec \"$REAL_GO\" \"$@\"\n"
			if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "analyze", "-C", ok, "-q", "--no-cache", "--out", out)
			cmd.Env = append(os.Environ(), "DECOMPOSE_TEST_MAIN=1", "PID_FIFO="+fifo, "REAL_GO="+realGo,
				"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GOPROXY=off", "GOFLAGS=-mod=mod")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			pids := make(chan int, 1)
			go func() {
				f, err := os.Open(fifo) // until the stand-in opens it
				if err != nil {
					pids <- 0
					return
				}
				defer f.Close()
				line, _ := bufio.NewReader(f).ReadString('\n')
				pid, _ := strconv.Atoi(strings.TrimSpace(line))
				pids <- pid
			}()
			var child int
			select {
			case child = <-pids:
			case err := <-exited:
				os.WriteFile(fifo, nil, 0) // let the reader go
				t.Fatalf("decompose ended before go list ran: %v\n%s", err, stderr.String())
			}
			if child <= 0 {
				t.Fatal("no pid from the stand-in go command")
			}
			t.Cleanup(func() { syscall.Kill(child, syscall.SIGKILL) })
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			err := <-exited
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tt.code {
				t.Errorf("exit %v, want %d; stderr:\n%s", err, tt.code, stderr.String())
			}
			if want := "decompose: interrupted by " + map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[tt.sig] + "\n"; stderr.String() != want {
				t.Errorf("stderr %q, want %q", stderr.String(), want)
			}
			// decompose waited for its child: by now it is gone
			if err := syscall.Kill(child, 0); !errors.Is(err, syscall.ESRCH) {
				t.Errorf("go list (pid %d) still runs after decompose ended: %v", child, err)
			}
			if after := outFiles(t, out); !reflect.DeepEqual(before, after) {
				t.Errorf("--out changed")
			}
			if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
				t.Errorf("left beside --out: %v", entries)
			}
		})
	}
}
