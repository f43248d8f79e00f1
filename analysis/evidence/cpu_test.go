package evidence

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	pprof "github.com/google/pprof/profile"
)

// stackSample is one sample of a hand-built profile: its stack, leaf
// first, each location's lines joined by "|" innermost first (an inlined
// call), and its CPU time in milliseconds.
type stackSample struct {
	stack []string
	ms    int64
}

// build makes a CPU profile as runtime/pprof writes it: samples/count and
// cpu/nanoseconds, a period of 10ms, and one location per distinct frame
// group.
func build(samples []stackSample) *pprof.Profile {
	p := &pprof.Profile{
		SampleType:    []*pprof.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType:    &pprof.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:        10_000_000,
		DurationNanos: 30e9,
	}
	funcs := map[string]*pprof.Function{}
	locs := map[string]*pprof.Location{}
	fn := func(name string) *pprof.Function {
		if f, ok := funcs[name]; ok {
			return f
		}
		f := &pprof.Function{ID: uint64(len(p.Function) + 1), Name: name, SystemName: name, Filename: "x.go"}
		funcs[name] = f
		p.Function = append(p.Function, f)
		return f
	}
	for _, s := range samples {
		var sl []*pprof.Location
		for _, frame := range s.stack {
			l, ok := locs[frame]
			if !ok {
				l = &pprof.Location{ID: uint64(len(p.Location) + 1), Address: uint64(0x1000 + len(p.Location)*8)}
				for i, name := range strings.Split(frame, "|") {
					l.Line = append(l.Line, pprof.Line{Function: fn(name), Line: int64(10 + i)})
				}
				locs[frame] = l
				p.Location = append(p.Location, l)
			}
			sl = append(sl, l)
		}
		p.Sample = append(p.Sample, &pprof.Sample{Location: sl, Value: []int64{s.ms / 10, s.ms * 1e6}})
	}
	return p
}

func encode(t testing.TB, p *pprof.Profile, gzip bool) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	if gzip {
		err = p.Write(&b)
	} else {
		err = p.WriteUncompressed(&b)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const (
	ck  = "example.com/shop/checkout."
	sea = "example.com/shop/catalog/search."
)

// shopSamples exercise every kind of frame: methods, closures, an inlined
// call, recursion, a generic instance, runtime frames between the model's,
// and a sample with no frame of the model.
var shopSamples = []stackSample{
	// Service.Place → Place (inlined into it) → search.Rank, under net/http
	{[]string{"runtime.mallocgc", sea + "Rank", ck + "Place|" + ck + "(*Service).Place", "net/http.HandlerFunc.ServeHTTP", "net/http.(*conn).serve"}, 100},
	// Service.Place's closure calls search.Map[...] through sort
	{[]string{sea + "Map[...]", "sort.Slice", ck + "(*Service).Place.func1", ck + "(*Service).Place", "net/http.(*conn).serve"}, 50},
	// recursion: Place → Rank → Place → Rank
	{[]string{sea + "Rank", ck + "Place", sea + "Rank", ck + "Place"}, 20},
	// the garbage collector
	{[]string{"runtime.scanobject", "runtime.gcDrain", "runtime.gcBgMarkWorker"}, 30},
	// Cart.Sum alone, value and pointer receiver frames
	{[]string{ck + "Cart.Sum", ck + "(*Cart).Sum", ck + "(*Service).total"}, 10},
}

func attribute(t *testing.T, data []byte) *CPU {
	t.Helper()
	p, err := ParseProfile(data)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Attribute([]Input{{Path: "cpu.pprof", Profile: p}}, NewSymbols(testDecls, testMains))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAttribute(t *testing.T) {
	const ms = 1_000_000
	p := build(shopSamples)
	for _, enc := range []struct {
		name string
		data []byte
	}{
		{"gzip", encode(t, p, true)},
		{"uncompressed", encode(t, p, false)},
	} {
		t.Run(enc.name, func(t *testing.T) {
			c := attribute(t, enc.data)
			if c.TotalNanos != 210*ms || c.MappedNanos != 180*ms || c.DurationNanos != 30e9 {
				t.Errorf("total %d, mapped %d, duration %d", c.TotalNanos, c.MappedNanos, c.DurationNanos)
			}
			want := []DeclCPU{
				{sea + "Map", 50 * ms, 50 * ms},
				{sea + "Rank", 120 * ms, 120 * ms},
				{ck + "Cart.Sum", 10 * ms, 10 * ms},
				{ck + "Place", 0, 120 * ms},
				{ck + "Service.Place", 0, 150 * ms},
				{ck + "Service.total", 0, 10 * ms},
			}
			if !reflect.DeepEqual(c.Decls, want) {
				t.Errorf("decls\n got %+v\nwant %+v", c.Decls, want)
			}
			wantEdges := []EdgeCPU{
				{sea + "Rank", ck + "Place", 20 * ms},
				{ck + "Place", sea + "Rank", 120 * ms},
				// Service.Place → search.Map passes through sort.Slice: no edge
				{ck + "Service.Place", ck + "Place", 100 * ms},
				{ck + "Service.total", ck + "Cart.Sum", 10 * ms},
			}
			if !reflect.DeepEqual(c.Edges, wantEdges) {
				t.Errorf("edges\n got %+v\nwant %+v", c.Edges, wantEdges)
			}
			if len(c.Warnings) != 0 {
				t.Errorf("warnings: %q", c.Warnings)
			}
			if got := c.Decl(sea + "Rank").Cum; got != 120*ms {
				t.Errorf("Decl(Rank).Cum = %d", got)
			}
			if got := c.Decl("nothing"); got.Cum != 0 {
				t.Errorf("Decl(nothing) = %+v", got)
			}
			src := c.Sources[0]
			if src.Samples != 5 || src.Functions != 15 || src.MappedFunctions != 8 || src.SampleType != "cpu/nanoseconds" {
				t.Errorf("source %+v", src)
			}
			ctx := c.Contexts(func(id string) string {
				switch {
				case strings.HasPrefix(id, ck):
					return "checkout"
				case strings.HasPrefix(id, sea):
					return "catalog"
				}
				return ""
			})
			wantCtx := []ContextCPU{
				{"catalog", 170 * ms, 170.0 / 180},
				{"checkout", 10 * ms, 10.0 / 180},
			}
			if !reflect.DeepEqual(ctx, wantCtx) {
				t.Errorf("contexts\n got %+v\nwant %+v", ctx, wantCtx)
			}
		})
	}
}

// TestFastReaderAgreesWithPprof decodes the same profiles with the fast
// reader and with github.com/google/pprof/profile.
func TestFastReaderAgreesWithPprof(t *testing.T) {
	p := build(shopSamples)
	data := encode(t, p, true)
	fast, err := ParseProfile(data)
	if err != nil {
		t.Fatal(err)
	}
	pp, err := pprof.ParseData(data)
	if err != nil {
		t.Fatal(err)
	}
	slow := FromPprof(pp)
	sym := NewSymbols(testDecls, testMains)
	a, err := Attribute([]Input{{Path: "x", Profile: fast}}, sym)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Attribute([]Input{{Path: "x", Profile: slow}}, sym)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Decls, b.Decls) || !reflect.DeepEqual(a.Edges, b.Edges) || a.MappedNanos != b.MappedNanos || !reflect.DeepEqual(a.Sources, b.Sources) {
		t.Errorf("fast %+v\npprof %+v", a, b)
	}
	if !reflect.DeepEqual(fast.SampleTypes, slow.SampleTypes) || fast.Period != slow.Period || fast.PeriodType != slow.PeriodType {
		t.Errorf("header: fast %+v %v %v, pprof %+v %v %v", fast.SampleTypes, fast.Period, fast.PeriodType, slow.SampleTypes, slow.Period, slow.PeriodType)
	}
}

// TestSampleCount reads a profile that counts samples only: each stands
// for the period.
func TestSampleCount(t *testing.T) {
	p := build(shopSamples[:1])
	p.SampleType = p.SampleType[:1]
	for _, s := range p.Sample {
		s.Value = s.Value[:1]
	}
	c := attribute(t, encode(t, p, true))
	if c.MappedNanos != 100e6 || c.Sources[0].SampleType != "samples/count" {
		t.Errorf("mapped %d, source %+v", c.MappedNanos, c.Sources[0])
	}
	p.PeriodType = nil
	p.Period = 0
	c = attribute(t, encode(t, p, true))
	if c.MappedNanos != 10*DefaultPeriod {
		t.Errorf("without a period, mapped %d", c.MappedNanos)
	}
}

// TestMainPackage reads "main." as the main package given, and otherwise
// as the one whose declarations the profile names most.
func TestMainPackage(t *testing.T) {
	p := build([]stackSample{
		{[]string{ck + "Place", "main.routes.func1", "main.main"}, 40},
		{[]string{"main.main"}, 10},
	})
	prof, err := ParseProfile(encode(t, p, true))
	if err != nil {
		t.Fatal(err)
	}
	sym := NewSymbols(testDecls, testMains)
	c, err := Attribute([]Input{{Path: "x", Profile: prof}}, sym)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sources[0].Main != "example.com/shop/cmd/shop" || c.Decl("example.com/shop/cmd/shop.main").Cum != 50e6 {
		t.Errorf("chosen main %q, decls %+v", c.Sources[0].Main, c.Decls)
	}
	c, err = Attribute([]Input{{Path: "x", Profile: prof, Main: "example.com/shop/cmd/admin"}}, sym)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sources[0].Main != "example.com/shop/cmd/admin" || c.Decl("example.com/shop/cmd/admin.main").Cum != 50e6 || c.Decl("example.com/shop/cmd/shop.routes").Cum != 0 {
		t.Errorf("given main %q, decls %+v", c.Sources[0].Main, c.Decls)
	}
}

// TestMerge adds two profiles up.
func TestMerge(t *testing.T) {
	a, err := ParseProfile(encode(t, build(shopSamples[:1]), true))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseProfile(encode(t, build(shopSamples[1:2]), true))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Attribute([]Input{{Path: "a", Profile: a}, {Path: "b", Profile: b}}, NewSymbols(testDecls, testMains))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) != 2 || c.MappedNanos != 150e6 || c.DurationNanos != 60e9 || c.Decl(ck+"Service.Place").Cum != 150e6 {
		t.Errorf("merged %+v", c)
	}
}

func TestBadProfiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := encode(t, build(shopSamples), true)
	heap := build(shopSamples)
	heap.SampleType = []*pprof.ValueType{{Type: "alloc_objects", Unit: "count"}, {Type: "alloc_space", Unit: "bytes"}}
	heap.PeriodType = &pprof.ValueType{Type: "space", Unit: "bytes"}

	for _, tc := range []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrNotPprof, "the file is empty"},
		{"text", []byte("period: month\nroutes: []\n"), ErrNotPprof, ""},
		{"json", []byte(`{"schema": "decompose/model/v1"}`), ErrNotPprof, ""},
		{"truncated", good[:len(good)/2], ErrNotPprof, ""},
		{"random", bytes.Repeat([]byte{0xff, 0x13, 0x80}, 1000), ErrNotPprof, ""},
		{"preprofile", []byte("GO PREPROFILE V1\nmain.main\nmain.f\n0 10\n"), ErrNotPprof, "go tool preprofile"},
	} {
		_, err := ReadProfile(write(tc.name, tc.data))
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := ReadProfile(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing file: %v", err)
	}

	// a heap profile is pprof, not CPU
	p, err := ReadProfile(write("heap", encode(t, heap, true)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Attribute([]Input{{Path: "heap", Profile: p}}, NewSymbols(testDecls, testMains))
	if !errors.Is(err, ErrNotCPU) || !strings.Contains(err.Error(), "alloc_objects/count") {
		t.Errorf("heap profile: %v", err)
	}

	// another program's profile: read, used for nothing, said so
	other := build([]stackSample{{[]string{"example.com/other.Work", "main.main"}, 50}})
	p, err = ReadProfile(write("other", encode(t, other, true)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Attribute([]Input{{Path: "other", Profile: p}}, NewSymbols(testDecls, testMains))
	if err != nil {
		t.Fatal(err)
	}
	if c.Used() || len(c.Sources) != 0 || len(c.Decls) != 0 || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "another program") {
		t.Errorf("another program's profile: %+v", c)
	}

	// of another version of the code: the part that maps is used, the
	// rest is told
	changed := build([]stackSample{
		{[]string{ck + "Place"}, 50},
		{[]string{ck + "Renamed", ck + "Place"}, 50},
	})
	p, err = ReadProfile(write("changed", encode(t, changed, true)))
	if err != nil {
		t.Fatal(err)
	}
	c, err = Attribute([]Input{{Path: "changed", Profile: p}}, NewSymbols(testDecls, testMains))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Used() || c.MappedNanos != 100e6 || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], ck+"Renamed") {
		t.Errorf("profile of changed code: %+v", c)
	}
}

func TestDefaultPGO(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"cmd/shop", "cmd/admin", "cmd/tool/default.pgo"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "cmd/shop/default.pgo"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := DefaultPGO([]MainPackage{
		{"example.com/shop/cmd/tool", filepath.Join(dir, "cmd/tool")},   // a folder named default.pgo
		{"example.com/shop/cmd/shop", filepath.Join(dir, "cmd/shop")},   // the profile
		{"example.com/shop/cmd/admin", filepath.Join(dir, "cmd/admin")}, // none
	})
	want := []Found{{Path: filepath.Join(dir, "cmd/shop/default.pgo"), Main: "example.com/shop/cmd/shop"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultPGO = %+v, want %+v", got, want)
	}
}
