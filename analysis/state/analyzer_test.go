package state_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"decompose/analysis/state"
)

// Each fixture package under testdata/src documents one check: every
// hazard carries a want comment, every harmless look-alike carries none
// (or an info one, never a blocker).
func TestAnalyzer(t *testing.T) {
	if err := state.Analyzer.Flags.Set("min", "info"); err != nil {
		t.Fatal(err)
	}
	defer state.Analyzer.Flags.Set("min", "warning")
	// one run loads the standard library once for every fixture
	analysistest.Run(t, analysistest.TestData(), state.Analyzer,
		"globals", "startup", "fields", "caches", "goroutines", "timers", "files", "sqlaccess", "gormmodels", "crosspkg/store", "crosspkg/web", "shapedcaches")
}
