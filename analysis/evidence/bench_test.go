package evidence

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand"
	"runtime"
	"sync"
	"testing"

	"decompose/analysis/model"

	pprof "github.com/google/pprof/profile"
)

// bigProfile makes a CPU profile of about size bytes once compressed, of
// a program shaped like a large service: 40 000 functions in 400
// packages, half of them the model's, each called from several lines;
// every sample a distinct call path of 20 to 60 frames down a call tree,
// one location in eight an inlined call; values as runtime/pprof writes
// them. It also returns the model's declarations.
func bigProfile(size int) ([]byte, []model.Decl) {
	r := rand.New(rand.NewSource(1))
	const pkgs, perPkg = 400, 100
	p := &pprof.Profile{
		SampleType:    []*pprof.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType:    &pprof.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:        10_000_000,
		DurationNanos: 3600e9,
	}
	var decls []model.Decl
	for i := 0; i < pkgs*perPkg; i++ {
		pkg := fmt.Sprintf("example.com/big/svc%d/part", i/perPkg)
		if i/perPkg%2 == 1 {
			pkg = fmt.Sprintf("github.com/dep%d/lib", i/perPkg)
		}
		recv := fmt.Sprintf("T%d", i%7)
		name := fmt.Sprintf("%s.(*%s).Method%d", pkg, recv, i)
		if i%3 == 0 {
			name += ".func1"
		}
		p.Function = append(p.Function, &pprof.Function{ID: uint64(i + 1), Name: name, SystemName: name, Filename: pkg + "/f.go"})
		if i/perPkg%2 == 0 {
			decls = append(decls, model.Decl{ID: fmt.Sprintf("%s.%s.Method%d", pkg, recv, i), Package: pkg})
		}
	}
	// locations: four call sites per function, one in eight with an
	// inlined callee
	for i := 0; i < 4*len(p.Function); i++ {
		f := p.Function[i/4]
		l := &pprof.Location{ID: uint64(i + 1), Address: 0x400000 + uint64(i)*24}
		if i%8 == 0 {
			l.Line = append(l.Line, pprof.Line{Function: p.Function[r.Intn(len(p.Function))], Line: 12})
		}
		l.Line = append(l.Line, pprof.Line{Function: f, Line: int64(20 + i%4)})
		p.Location = append(p.Location, l)
	}
	// call paths: each function calls a few others; a sample walks down
	// from a root
	callees := make([][]int, len(p.Function))
	for i := range callees {
		for k := 0; k < 6; k++ {
			callees[i] = append(callees[i], r.Intn(len(p.Function)))
		}
	}
	var buf bytes.Buffer
	for {
		for k := 0; k < 100_000; k++ {
			depth := 20 + r.Intn(41)
			fn := r.Intn(64) // a few roots: main, the server loops
			stack := make([]*pprof.Location, depth)
			for d := depth - 1; d >= 0; d-- {
				stack[d] = p.Location[fn*4+r.Intn(4)]
				fn = callees[fn][r.Intn(len(callees[fn]))]
			}
			n := int64(1 + r.Intn(3))
			p.Sample = append(p.Sample, &pprof.Sample{Location: stack, Value: []int64{n, n * 10_000_000}})
		}
		if len(p.Sample)%500_000 != 0 {
			continue
		}
		buf.Reset()
		if err := p.Write(&buf); err != nil {
			panic(err)
		}
		if buf.Len() >= size {
			return buf.Bytes(), decls
		}
	}
}

var big struct {
	once  sync.Once
	data  []byte
	decls []model.Decl
}

// BenchmarkReadProfile50MB reads a 50 MB profile and attributes it to a
// model of 20 000 declarations: what --profile adds to analyze.
func BenchmarkReadProfile50MB(b *testing.B) {
	big.once.Do(func() { big.data, big.decls = bigProfile(50 << 20) })
	runtime.GC() // the generator's garbage is not the reader's
	b.SetBytes(int64(len(big.data)))
	b.ReportMetric(float64(len(big.data))/(1<<20), "MB")
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		n++
		p, err := ParseProfile(big.data)
		if err != nil {
			b.Fatal(err)
		}
		c, err := Attribute([]Input{{Path: "big.pprof", Profile: p}}, NewSymbols(big.decls, nil))
		if err != nil || !c.Used() {
			b.Fatal(err, c.Warnings)
		}
	}
	// the CPU time beside the wall time: on a busy machine the two differ
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(n), "cpu-ms/op")
}

// BenchmarkGunzip50MB only decompresses the same profile: the floor of
// any reader of it.
func BenchmarkGunzip50MB(b *testing.B) {
	big.once.Do(func() { big.data, big.decls = bigProfile(50 << 20) })
	runtime.GC() // the generator's garbage is not the reader's
	b.SetBytes(int64(len(big.data)))
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		n++
		zr, err := gzip.NewReader(bytes.NewReader(big.data))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(n), "cpu-ms/op")
}
