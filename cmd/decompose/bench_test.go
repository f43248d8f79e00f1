package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	pprof "github.com/google/pprof/profile"

	"decompose/analysis"
	"decompose/analysis/model"
	"decompose/cmd/internal/pipeline"
)

// BenchmarkCheck times decompose check on the planted shop with its model
// cached, the way a pull request's second run finds it: the go command's
// cache key, the plan, the check and drift's clustering; and the same
// without drift. one-file-changed appends a comment to a file before each
// check, the way a pull request's first run finds the model of its base:
// cached, but not for this program.
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
	b.Run("one-file-changed", func(b *testing.B) {
		dir := filepath.Join(b.TempDir(), "shop")
		if err := copyTree(s.planted, dir); err != nil {
			b.Fatal(err)
		}
		file := filepath.Join(dir, "checkout", "checkout.go")
		n := 0
		for b.Loop() {
			n++
			f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				b.Fatal(err)
			}
			fmt.Fprintf(f, "// change %d\n", n)
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			var out, errs strings.Builder
			root := newRootCmd(&out, &errs)
			root.SetArgs([]string{"check", "-C", dir})
			if code := exitCode(root.Execute(), &errs); code != 1 {
				b.Fatalf("exit %d: %s", code, errs.String())
			}
		}
	})
}

// BenchmarkAnalyzeShopProfile50MB times analyze on the shop, its model
// cached, without a profile and with a 50 MB CPU profile of the shop's
// functions (made here: every sample a distinct path of 20 to 60 frames
// through the shop's declarations, runtime and standard library frames
// between them): the difference is what reading the profile adds.
func BenchmarkAnalyzeShopProfile50MB(b *testing.B) {
	shop := "../../testdata/shop"
	prof := filepath.Join(b.TempDir(), "big.pprof")
	if err := os.WriteFile(prof, shopProfile(b, shop, 50<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	analyze := func(b *testing.B, args ...string) {
		var out, errs strings.Builder
		root := newRootCmd(&out, &errs)
		root.SetArgs(append([]string{"analyze", "-C", shop, "-q"}, args...))
		if code := exitCode(root.Execute(), &errs); code != 0 {
			b.Fatalf("exit %d: %s", code, errs.String())
		}
	}
	analyze(b)   // fills the model cache
	runtime.GC() // the generator's garbage is not analyze's
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"no-profile", []string{"--profile", "off"}},
		{"profile-50MB", []string{"--profile", prof}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				analyze(b, bc.args...)
			}
		})
	}
}

// shopProfile makes a CPU profile of about size bytes whose frames are the
// shop's declarations as the runtime names them.
func shopProfile(b *testing.B, dir string, size int) []byte {
	m, _, err := pipeline.Load(context.Background(), analysis.Config{Dir: dir}, analysis.DefaultAlgorithm, false)
	if err != nil {
		b.Fatal(err)
	}
	p := &pprof.Profile{
		SampleType:    []*pprof.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType:    &pprof.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:        10_000_000,
		DurationNanos: 3600e9,
	}
	var names []string
	for _, d := range m.Decls {
		switch d.Kind {
		case model.KindFunc:
			names = append(names, d.Package+"."+d.Name)
		case model.KindMethod:
			names = append(names, d.Package+".(*"+d.Recv+")."+d.Name)
		}
	}
	for i := range 2000 {
		names = append(names, fmt.Sprintf("runtime.f%d", i), fmt.Sprintf("net/http.(*conn).f%d", i))
	}
	for i, n := range names {
		f := &pprof.Function{ID: uint64(i + 1), Name: n, SystemName: n}
		p.Function = append(p.Function, f)
		for k := range 4 {
			p.Location = append(p.Location, &pprof.Location{ID: uint64(len(p.Location) + 1), Line: []pprof.Line{{Function: f, Line: int64(10 + k)}}})
		}
	}
	r := rand.New(rand.NewSource(1))
	var buf bytes.Buffer
	for {
		for range 100_000 {
			stack := make([]*pprof.Location, 20+r.Intn(41))
			for i := range stack {
				stack[i] = p.Location[r.Intn(len(p.Location))]
			}
			p.Sample = append(p.Sample, &pprof.Sample{Location: stack, Value: []int64{1, 10_000_000}})
		}
		if len(p.Sample)%500_000 != 0 {
			continue
		}
		buf.Reset()
		if err := p.Write(&buf); err != nil {
			b.Fatal(err)
		}
		if buf.Len() >= size {
			return buf.Bytes()
		}
	}
}
