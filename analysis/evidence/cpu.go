package evidence

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// CPU is the CPU time of one or more profiles attributed to the
// declarations of a model. Every figure is in nanoseconds of CPU.
//
// A sample's stack is read as the model sees it: every frame (each line
// of a location, so inlined calls count as frames) is mapped to its
// declaration, frames of other code (the runtime, the standard library,
// dependencies) are left out, and consecutive frames of one declaration
// (a method and its closures, a method value's wrapper) become one. Then:
//
//   - Flat time of a declaration is that of the samples whose innermost
//     mapped frame it is: its own code and the library and runtime code it
//     calls, up to the next declaration of the model.
//   - Cum time is that of the samples with the declaration anywhere on
//     the stack, once per sample however often it recurs.
//   - An edge's time is that of the samples in which the caller's frame is
//     directly outside the callee's, once per sample. A call that passes
//     through other code (a callback from the standard library, a
//     handler reached through net/http) is no edge: the model's call edges
//     are the calls written in the code.
//   - Mapped time is that of the samples with at least one mapped frame;
//     the rest (idle runtime work, the garbage collector's own goroutines,
//     code of other programs) is unattributed.
type CPU struct {
	Sources       []Source
	TotalNanos    int64
	MappedNanos   int64
	DurationNanos int64
	Decls         []DeclCPU
	Edges         []EdgeCPU
	// Warnings say what of the profiles could not be used, one line each.
	Warnings []string
}

// Source describes one profile read.
type Source struct {
	Path string `json:"path"`
	// Main is the main package that the profile's "main." functions
	// belong to ("" when none of them is the model's).
	Main string `json:"main,omitempty"`
	// SampleType is the value used: "cpu/nanoseconds", or
	// "samples/count" times the period.
	SampleType    string `json:"sample_type"`
	Samples       int    `json:"samples"`
	DurationNanos int64  `json:"duration_nanos"`
	TotalNanos    int64  `json:"total_nanos"`
	MappedNanos   int64  `json:"mapped_nanos"`
	// Functions counts the profile's functions; Mapped those that are
	// declarations of the model.
	Functions       int `json:"functions"`
	MappedFunctions int `json:"mapped_functions"`
}

// DeclCPU is one declaration's CPU time.
type DeclCPU struct {
	ID   string `json:"id"`
	Flat int64  `json:"flat_nanos"`
	Cum  int64  `json:"cum_nanos"`
}

// EdgeCPU is the CPU time of the samples in which From called To.
type EdgeCPU struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Nanos int64  `json:"nanos"`
}

// ContextCPU is a context's CPU time: Flat sums its declarations' flat
// time, so that the contexts' flat times add up to the mapped time, and
// Share is Flat over the mapped time.
type ContextCPU struct {
	Context string  `json:"context"`
	Flat    int64   `json:"flat_nanos"`
	Share   float64 `json:"share"`
}

// ErrNotCPU is returned (wrapped) for a profile with no CPU samples.
var ErrNotCPU = errors.New("not a CPU profile")

// DefaultPeriod is the time a sample stands for in a profile that counts
// samples without saying their period: runtime/pprof samples at 100 Hz.
const DefaultPeriod = 10_000_000

// cpuValue finds the value of a sample that is CPU time, and the factor
// that turns it into nanoseconds.
func cpuValue(p *Profile) (index int, scale int64, name string, err error) {
	units := map[string]int64{"nanoseconds": 1, "microseconds": 1e3, "milliseconds": 1e6, "seconds": 1e9}
	for i, st := range p.SampleTypes {
		if st.Type == "cpu" && units[st.Unit] > 0 {
			return i, units[st.Unit], st.String(), nil
		}
	}
	for i, st := range p.SampleTypes {
		if st.Type == "samples" && st.Unit == "count" {
			if p.PeriodType.Type == "cpu" && units[p.PeriodType.Unit] > 0 && p.Period > 0 {
				return i, p.Period * units[p.PeriodType.Unit], st.String(), nil
			}
			return i, DefaultPeriod, st.String(), nil
		}
	}
	var types []string
	for _, st := range p.SampleTypes {
		types = append(types, st.String())
	}
	return 0, 0, "", fmt.Errorf("%w: its samples are %s, not cpu/nanoseconds or samples/count", ErrNotCPU, strings.Join(types, ", "))
}

// Input is one profile to attribute.
type Input struct {
	Path    string
	Profile *Profile
	// Main is the import path of the main package the profile is of, when
	// known (a default.pgo found beside it); otherwise the main package
	// whose declarations most of the profile's "main." functions name.
	Main string
}

// Attribute maps the samples of the profiles to the declarations that
// sym indexes and adds them up. A profile without CPU samples is an
// error; one of which no sample maps to the model (a profile of another
// program) is left out with a warning.
func Attribute(inputs []Input, sym *Symbols) (*CPU, error) {
	c := &CPU{}
	acc := newAccumulator(len(sym.list))
	for _, in := range inputs {
		idx, scale, name, err := cpuValue(in.Profile)
		if err != nil {
			return nil, fmt.Errorf("profile %s: %w", in.Path, err)
		}
		s := sym
		if in.Main != "" {
			s = sym.withMain(in.Main)
		} else if len(sym.mains) > 1 {
			s = sym.withMain(chooseMain(in.Profile, sym))
		}
		part := attributeOne(in.Profile, s, idx, scale, acc)
		src := part.src
		src.Path, src.SampleType = in.Path, name
		if s.main != "" {
			src.Main = s.main
		} else if len(sym.mains) == 1 && part.mainMapped {
			src.Main = sym.mains[0]
		}
		if part.src.MappedNanos == 0 {
			c.Warnings = append(c.Warnings, fmt.Sprintf(
				"profile %s: none of its %d functions is a declaration of the analyzed code (a profile of another program?); not used",
				in.Path, src.Functions))
			continue
		}
		if part.unmatched > 0 && part.unmatched*100 >= part.src.MappedNanos {
			c.Warnings = append(c.Warnings, fmt.Sprintf(
				"profile %s: %.1f%% of its attributed CPU is in %d functions of the analyzed packages that match no declaration (%s): a profile of other code than this?",
				in.Path, 100*float64(part.unmatched)/float64(part.src.MappedNanos), len(part.unmatchedNames), listNames(part.unmatchedNames, 3)))
		}
		c.Sources = append(c.Sources, src)
		c.TotalNanos += src.TotalNanos
		c.MappedNanos += src.MappedNanos
		c.DurationNanos += src.DurationNanos
	}
	for i, id := range sym.list {
		if acc.cum[i] > 0 {
			c.Decls = append(c.Decls, DeclCPU{ID: id, Flat: acc.flat[i], Cum: acc.cum[i]})
		}
	}
	for _, e := range acc.edges.slots {
		if e.key != 0 {
			c.Edges = append(c.Edges, EdgeCPU{From: sym.list[e.key>>32], To: sym.list[uint32(e.key)], Nanos: e.nanos})
		}
	}
	sort.Slice(c.Edges, func(i, j int) bool {
		a, b := c.Edges[i], c.Edges[j]
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	return c, nil
}

// Used reports whether any profile's samples map to the model.
func (c *CPU) Used() bool { return c != nil && c.MappedNanos > 0 }

// Decl returns a declaration's CPU time (zero when it has none).
func (c *CPU) Decl(id string) DeclCPU {
	i := sort.Search(len(c.Decls), func(i int) bool { return c.Decls[i].ID >= id })
	if i < len(c.Decls) && c.Decls[i].ID == id {
		return c.Decls[i]
	}
	return DeclCPU{ID: id}
}

// Contexts rolls the declarations' flat CPU time up to the contexts that
// contextOf assigns them to ("" for none, whose time is left out), sorted
// by name. It reads the sums Attribute made, not the samples again.
func (c *CPU) Contexts(contextOf func(id string) string) []ContextCPU {
	flat := map[string]int64{}
	for _, d := range c.Decls {
		if n := contextOf(d.ID); n != "" {
			flat[n] += d.Flat
		}
	}
	out := make([]ContextCPU, 0, len(flat))
	for n, f := range flat {
		x := ContextCPU{Context: n, Flat: f}
		if c.MappedNanos > 0 {
			x.Share = float64(f) / float64(c.MappedNanos)
		}
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Context < out[j].Context })
	return out
}

// accumulator adds stacks' time up by declaration and edge, once per
// stack: a stamp remembers the last stack that counted each.
type accumulator struct {
	flat, cum []int64
	stamp     []int
	edges     edgeTable
	n         int
}

func newAccumulator(n int) *accumulator {
	return &accumulator{flat: make([]int64, n), cum: make([]int64, n), stamp: make([]int, n)}
}

// edgeTable is an open-addressing hash table of edges, keyed by caller
// and callee index (caller<<32 | callee, never 0 since frames differ):
// the accumulator's inner loop, where a map was most of the time.
type edgeTable struct {
	slots []edgeSlot
	n     int
}

type edgeSlot struct {
	key   uint64
	nanos int64
	stamp int
}

// merge adds another accumulator's sums.
func (a *accumulator) merge(b *accumulator) {
	for i := range b.flat {
		a.flat[i] += b.flat[i]
		a.cum[i] += b.cum[i]
	}
	for _, sl := range b.edges.slots {
		if sl.key != 0 {
			a.edges.get(sl.key).nanos += sl.nanos
		}
	}
}

func (t *edgeTable) get(key uint64) *edgeSlot {
	if t.n*2 >= len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for i := (key * 0x9E3779B97F4A7C15) >> 20 & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.key == key {
			return sl
		}
		if sl.key == 0 {
			sl.key = key
			t.n++
			return sl
		}
	}
}

func (t *edgeTable) grow() {
	old := t.slots
	t.slots = make([]edgeSlot, max(1024, 2*len(old)))
	t.n = 0
	for _, sl := range old {
		if sl.key != 0 {
			*t.get(sl.key) = sl
		}
	}
}

func (a *accumulator) add(fr []int32, nanos int64) {
	a.n++
	a.flat[fr[0]] += nanos
	for i, f := range fr {
		if f < 0 {
			continue
		}
		if a.stamp[f] != a.n {
			a.stamp[f] = a.n
			a.cum[f] += nanos
		}
		if i+1 < len(fr) && fr[i+1] >= 0 {
			e := a.edges.get(uint64(fr[i+1])<<32 | uint64(f))
			if e.stamp != a.n {
				e.stamp = a.n
				e.nanos += nanos
			}
		}
	}
}

type partial struct {
	src            Source
	unmatched      int64
	unmatchedNames []string
	mainMapped     bool
}

// walker reads a profile's samples as stacks of declarations.
type walker struct {
	p     *Profile
	idx   int
	scale int64
	// location ID → its frames' declarations (-1 for other code),
	// innermost first, consecutive repeats merged: the one frame itself
	// when there is one (most locations), else -2-k for
	// frames[off[k]:off[k+1]]
	byID   []int32
	byMap  map[uint64]int32
	frames []int32
	off    []int32
}

// A location's entry packs its code and whether it has a frame of the
// model's packages that matches no declaration (bit 0): 0 for an unknown
// location, (code+2)<<1|unmatched > 0 for one frame, -((k+1)<<1|unmatched)
// for several, frames[off[2k]:off[2k+1]]. Four bytes keep the table of a
// large profile in cache.
func packEntry(code int32, multi int, unmatched bool) int32 {
	u := int32(0)
	if unmatched {
		u = 1
	}
	if multi >= 0 {
		return -(int32(multi+1)<<1 | u)
	}
	return (code+2)<<1 | u
}

// eachIn calls f with the CPU time and the stack of every sample from lo
// to hi: declaration indexes innermost first, -1 for other code between
// two of them, none at either end (empty when no frame is the model's).
// unmatched tells a sample with a frame of the model's packages that is no
// declaration. seq is reused between calls.
func (w *walker) eachIn(lo, hi int, f func(seq []int32, v int64, unmatched bool)) {
	p := w.p
	var buf []int32
	for s := lo; s < hi; s++ {
		v := p.values[s*p.nvalues+w.idx] * w.scale
		if v <= 0 {
			continue
		}
		end := len(p.sampleLocs)
		if s+1 < len(p.sampleOff) {
			end = p.sampleOff[s+1]
		}
		b := p.sampleLocs[p.sampleOff[s]:end]
		seq := buf[:0]
		last := int32(-1 << 30)
		unmatched := false
		for len(b) > 0 {
			id, n := uvarint(b)
			if n <= 0 {
				break
			}
			b = b[n:]
			var e int32
			if w.byID != nil {
				if id < uint64(len(w.byID)) {
					e = w.byID[id]
				}
			} else {
				e = w.byMap[id]
			}
			switch {
			case e == 0:
				continue
			case e > 0:
				unmatched = unmatched || e&1 != 0
				if d := e>>1 - 2; d != last {
					seq = append(seq, d)
					last = d
				}
				continue
			}
			x := -e
			unmatched = unmatched || x&1 != 0
			k := 2 * (x>>1 - 1)
			for _, d := range w.frames[w.off[k]:w.off[k+1]] {
				if d != last {
					seq = append(seq, d)
					last = d
				}
			}
		}
		buf = seq[:0]
		for len(seq) > 0 && seq[len(seq)-1] < 0 {
			seq = seq[:len(seq)-1]
		}
		lead := 0
		for lead < len(seq) && seq[lead] < 0 {
			lead++
		}
		f(seq[lead:], v, unmatched)
	}
}

// attributeOne maps one profile's functions and locations to the
// declarations, and adds its samples to acc.
func attributeOne(p *Profile, sym *Symbols, idx int, scale int64, acc *accumulator) *partial {
	out := &partial{src: Source{Samples: p.Samples(), DurationNanos: p.DurationNanos, Functions: p.Functions()}}
	// function ID → declaration index
	fnDecl := make(map[uint64]int32, len(p.funcIDs))
	inModel := map[uint64]bool{}
	pkgs := sym.packages()
	for i, id := range p.funcIDs {
		name := p.strings[p.funcNames[i]]
		d := sym.Lookup(name)
		fnDecl[id] = d
		if d >= 0 {
			out.src.MappedFunctions++
			if strings.HasPrefix(name, "main.") {
				out.mainMapped = true
			}
		} else if pkg, _, ok := SplitName(name); ok && pkgs[pkg] {
			inModel[id] = true
			out.unmatchedNames = append(out.unmatchedNames, name)
		}
	}
	sort.Strings(out.unmatchedNames)
	w := &walker{p: p, idx: idx, scale: scale}
	var maxID uint64
	for _, id := range p.locIDs {
		maxID = max(maxID, id)
	}
	if maxID <= uint64(4*len(p.locIDs)+1024) {
		w.byID = make([]int32, maxID+1)
	} else {
		w.byMap = make(map[uint64]int32, len(p.locIDs))
	}
	for i, id := range p.locIDs {
		unmatched := false
		start := len(w.frames)
		for _, fn := range p.locLines[p.locOff[i]:p.locOff[i+1]] {
			d, ok := fnDecl[fn]
			if !ok {
				d = -1
			}
			if inModel[fn] {
				unmatched = true
			}
			if len(w.frames) == start || w.frames[len(w.frames)-1] != d {
				w.frames = append(w.frames, d)
			}
		}
		var e int32
		switch len(w.frames) - start {
		case 0:
			e = packEntry(-1, -1, unmatched)
		case 1:
			e = packEntry(w.frames[start], -1, unmatched)
			w.frames = w.frames[:start]
		default:
			e = packEntry(0, len(w.off)/2, unmatched)
			w.off = append(w.off, int32(start), int32(len(w.frames)))
		}
		if w.byID != nil {
			w.byID[id] = e
		} else {
			w.byMap[id] = e
		}
	}
	w.parallel(func(lo, hi int) func() {
		part := newAccumulator(len(acc.flat))
		var total, mapped, unmatched int64
		w.eachIn(lo, hi, func(seq []int32, v int64, unm bool) {
			total += v
			if unm {
				unmatched += v
			}
			if len(seq) > 0 {
				mapped += v
				part.add(seq, v)
			}
		})
		return func() {
			out.src.TotalNanos += total
			out.src.MappedNanos += mapped
			out.unmatched += unmatched
			acc.merge(part)
		}
	})
	return out
}

// minPart is the fewest samples worth a goroutine of their own.
const minPart = 20_000

// parallel walks the samples in parts at once, one per CPU (at most 4):
// work is called with each part's range and returns how to add its
// results up, which is done in the order of the parts.
func (w *walker) parallel(work func(lo, hi int) func()) {
	n := len(w.p.sampleOff)
	parts := min(runtime.GOMAXPROCS(0), 4, n/minPart+1)
	done := make([]func(), parts)
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := n*i/parts, n*(i+1)/parts
		wg.Go(func() { done[i] = work(lo, hi) })
	}
	wg.Wait()
	for _, f := range done {
		f()
	}
}

// chooseMain picks the main package whose declarations the profile's
// "main." functions name most often ("" when none, or a tie).
func chooseMain(p *Profile, sym *Symbols) string {
	count := map[string]int{}
	each := make([]*Symbols, len(sym.mains))
	for i, m := range sym.mains {
		each[i] = sym.withMain(m)
	}
	for i := range p.funcIDs {
		name := p.strings[p.funcNames[i]]
		if !strings.HasPrefix(name, "main.") {
			continue
		}
		for j, m := range sym.mains {
			if each[j].Lookup(name) >= 0 {
				count[m]++
			}
		}
	}
	best, n, tie := "", 0, false
	for _, m := range sym.mains {
		switch c := count[m]; {
		case c > n:
			best, n, tie = m, c, false
		case c == n && c > 0:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

func listNames(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(xs[:n], ", "), len(xs)-n)
}
