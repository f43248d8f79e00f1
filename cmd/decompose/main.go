// Command decompose proposes how to split a Go monolith into serverless
// services: it loads the program, clusters it into bounded contexts, flags
// the in-process state that blocks stateless extraction and writes a
// migration plan.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	err := newRootCmd(os.Stdout, os.Stderr).Execute()
	os.Exit(exitCode(err, os.Stderr))
}

// Exit codes: 0 success, 1 the analysis ran but reported problems (parts of
// the program did not load), 2 usage errors and failures.
const (
	exitOK       = 0
	exitProblems = 1
	exitFatal    = 2
)

// errProblems is returned when a run completed but found problems it has
// already reported.
var errProblems = errors.New("problems reported")

func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errProblems):
		return exitProblems
	}
	fmt.Fprintln(stderr, "decompose: "+err.Error())
	return exitFatal
}
