package cluster

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"decompose/analysis"
	"decompose/analysis/model"
)

// intended is the example monolith's intended decomposition, as written
// next to it in decomposition.yaml.
type intended struct {
	contexts map[string]map[string]bool // context → "pkg" or "pkg.Decl" units
	kernel   map[string]bool
	split    []string // packages with members, sorted
}

// intendedSet is a context or the kernel in decomposition.yaml: packages,
// and declarations of split packages as a map from package to names.
type intendedSet struct {
	Packages []string            `yaml:"packages"`
	Members  map[string][]string `yaml:"members"`
}

func (c intendedSet) units() map[string]bool {
	units := map[string]bool{}
	for _, p := range c.Packages {
		units[p] = true
	}
	for pkg, decls := range c.Members {
		for _, d := range decls {
			units[pkg+"."+d] = true
		}
	}
	return units
}

// readIntended reads decomposition.yaml: contexts as a map from name to
// {packages, members}, and the kernel under shared_kernel.
// recoverExample clusters the model m of the example monolith in dir with
// the default settings and sets it beside the intended decomposition: the
// context of every unit (pl), the intended context of every unit (want)
// and the found context matching each intended one (match).
func recoverExample(t *testing.T, m *model.Model, dir string) (in *intended, d *Decomposition, pl, want, match map[string]string) {
	t.Helper()
	in = readIntended(t, filepath.Join(dir, "decomposition.yaml"))
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	pl = placement(t, m, d)
	want = in.want(m)
	return in, d, pl, want, in.match(want, pl)
}

func readIntended(t *testing.T, path string) *intended {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Contexts     map[string]intendedSet `yaml:"contexts"`
		SharedKernel intendedSet            `yaml:"shared_kernel"`
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(raw.Contexts) == 0 {
		t.Fatalf("%s: no contexts", path)
	}
	in := &intended{contexts: map[string]map[string]bool{}, kernel: raw.SharedKernel.units()}
	split := map[string]bool{}
	for name, c := range raw.Contexts {
		in.contexts[name] = c.units()
		for pkg := range c.Members {
			split[pkg] = true
		}
	}
	for pkg := range raw.SharedKernel.Members {
		split[pkg] = true
	}
	in.split = slices.Sorted(maps.Keys(split))
	return in
}

// TestShopRecovered loads the example monolith and checks that its
// intended decomposition is recovered exactly, split packages included.
func TestShopRecovered(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a program")
	}
	dir := filepath.Join("..", "testdata", "shop")
	m, _, err := analysis.Analyze(context.Background(), analysis.Config{Dir: dir}, analysis.DefaultAlgorithm)
	if err != nil {
		t.Fatal(err)
	}
	in, d, pl, want, match := recoverExample(t, m, dir)
	var wrong []string
	for id, w := range want {
		got := pl[id]
		if w == "" && got != "" || w != "" && got != match[w] {
			wrong = append(wrong, id+": in "+quote(got)+", want "+quote(w))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(in.contexts)) {
		if found := match[name]; found != name {
			wrong = append(wrong, "context "+name+" is named "+quote(found))
		}
	}
	for _, decl := range m.Decls {
		if _, ok := want[decl.ID]; !ok {
			wrong = append(wrong, decl.ID+": not in decomposition.yaml")
		}
	}
	known := map[string]bool{}
	for _, p := range m.Packages {
		known[p.Path] = true
	}
	for _, decl := range m.Decls {
		known[decl.ID] = true
	}
	for _, units := range append([]map[string]bool{in.kernel}, mapValues(in.contexts)...) {
		for unit := range units {
			if !known[unit] {
				wrong = append(wrong, unit+": in decomposition.yaml, not in the program")
			}
		}
	}
	if len(d.Contexts) != len(in.contexts) {
		var names []string
		for _, c := range d.Contexts {
			names = append(names, c.Name)
		}
		wrong = append(wrong, "contexts: "+strings.Join(names, ", ")+", want "+strings.Join(slices.Sorted(maps.Keys(in.contexts)), ", "))
	}
	if got, want := strings.Join(d.Split, ", "), strings.Join(in.split, ", "); got != want {
		wrong = append(wrong, "split packages: "+got+", want "+want)
	}
	sort.Strings(wrong)
	for _, w := range wrong {
		t.Error(w)
	}
}

// want is the intended context of each declaration of m ("" for the
// kernel): by its own entry, by its type's, or by its package's.
func (in *intended) want(m *model.Model) map[string]string {
	want := map[string]string{}
	for _, decl := range m.Decls {
		short := strings.TrimPrefix(decl.ID, decl.Package+".")
		typ := decl.Package + "." + strings.SplitN(short, ".", 2)[0]
		for name, units := range in.contexts {
			if units[decl.ID] || (!units[decl.ID] && units[typ] && decl.Kind == model.KindMethod) {
				want[decl.ID] = name
			}
		}
		if _, ok := want[decl.ID]; ok {
			continue
		}
		for name, units := range in.contexts {
			if units[decl.Package] {
				want[decl.ID] = name
			}
		}
		if in.kernel[decl.Package] || in.kernel[decl.ID] || (decl.Kind == model.KindMethod && in.kernel[typ] && !kernelMethodListed(in, decl.ID)) {
			want[decl.ID] = ""
		}
	}
	return want
}

// match pairs each intended context with the found context holding most
// of its declarations.
func (in *intended) match(want, pl map[string]string) map[string]string {
	match := map[string]string{} // intended → found
	for name := range in.contexts {
		count := map[string]int{}
		for id, w := range want {
			if w == name {
				count[pl[id]]++
			}
		}
		best, n := "", -1
		for c, k := range count {
			if k > n || (k == n && c < best) {
				best, n = c, k
			}
		}
		match[name] = best
	}
	return match
}

func mapValues[V any](m map[string]V) []V {
	out := make([]V, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

// kernelMethodListed reports whether a method is listed in a context on
// its own (Server.GetProduct), which overrides its type's kernel place.
func kernelMethodListed(in *intended, id string) bool {
	for _, units := range in.contexts {
		if units[id] {
			return true
		}
	}
	return false
}

func quote(s string) string {
	if s == "" {
		return "the kernel"
	}
	return s
}
