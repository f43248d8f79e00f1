package main

import (
	"strings"
	"testing"
)

// BenchmarkCheck times decompose check on the planted shop with its model
// cached, the way a pull request's second run finds it: the go command's
// cache key, the plan, the check and drift's clustering; and the same
// without drift.
func BenchmarkCheck(b *testing.B) {
	s := shopFixtureB(b)
	var out, errs strings.Builder
	root := newRootCmd(&out, &errs)
	root.SetArgs([]string{"check", "-C", s.planted}) // fills the model cache
	root.Execute()
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"cached", []string{"check", "-C", s.planted}},
		{"cached-no-drift", []string{"check", "-C", s.planted, "--no-drift"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				var out, errs strings.Builder
				root := newRootCmd(&out, &errs)
				root.SetArgs(bc.args)
				if code := exitCode(root.Execute(), &errs); code != 1 {
					b.Fatalf("exit %d: %s", code, errs.String())
				}
			}
		})
	}
}
