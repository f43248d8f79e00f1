// Command decompose proposes how to split a Go monolith into serverless
// services: it loads the program, clusters it into bounded contexts, flags
// the in-process state that blocks stateless extraction and writes a
// migration plan.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signalContext(context.Background())
	err := newRootCmd(os.Stdout, os.Stderr).ExecuteContext(ctx)
	if cause, ok := context.Cause(ctx).(interrupted); ok {
		err = cause // whatever the run made of the cancellation
	}
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// Exit codes: 0 success, 1 the analysis ran but reported problems (parts of
// the program did not load), 2 usage errors and failures, 128 plus the
// signal's number when a signal ended the run (130 for SIGINT, 143 for
// SIGTERM).
const (
	exitOK       = 0
	exitProblems = 1
	exitFatal    = 2
)

// errProblems is returned when a run completed but found problems it has
// already reported.
var errProblems = errors.New("problems reported")

// interrupted is the cause of a run cancelled by a signal.
type interrupted struct{ sig syscall.Signal }

func (i interrupted) Error() string {
	name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[i.sig]
	return "interrupted by " + name
}

// signalContext is cancelled, with an interrupted cause, by the first
// SIGINT or SIGTERM. The run then stops where it is, ends the processes it
// started and removes what it staged. A second signal ends the process at
// once (what it leaves, the next run cleans up).
func signalContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch) // the next one takes its default course
			cancel(interrupted{s.(syscall.Signal)})
		case <-done:
		}
	}()
	return ctx, func() {
		close(done)
		signal.Stop(ch)
		cancel(nil)
	}
}

func exitCode(err error, stderr io.Writer) int {
	var in interrupted
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errProblems):
		return exitProblems
	case errors.As(err, &in):
		fmt.Fprintln(stderr, "decompose: "+in.Error())
		return 128 + int(in.sig)
	}
	fmt.Fprintln(stderr, "decompose: "+err.Error())
	return exitFatal
}
