package cluster

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"decompose/analysis"
)

// intended is the example monolith's intended decomposition, as written
// next to it in decomposition.yaml.
type intended struct {
	contexts map[string]map[string]bool // context → "pkg" or "pkg.Decl" units
	kernel   map[string]bool
}

type intendedContext struct {
	Name     string   `yaml:"name"`
	Packages []string `yaml:"packages"`
	Members  []struct {
		Package string   `yaml:"package"`
		Decls   []string `yaml:"decls"`
	} `yaml:"members"`
}

// readIntended reads decomposition.yaml, with contexts either as a list
// of {name, packages, members} or as a map from name to {packages,
// members}, and the kernel under shared_kernel (or shared).
func readIntended(t *testing.T, path string) *intended {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("%s is not written yet", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Contexts     yaml.Node `yaml:"contexts"`
		SharedKernel []string  `yaml:"shared_kernel"`
		Shared       []string  `yaml:"shared"`
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var list []intendedContext
	switch raw.Contexts.Kind {
	case yaml.SequenceNode:
		if err := raw.Contexts.Decode(&list); err != nil {
			t.Fatalf("%s: contexts: %v", path, err)
		}
	case yaml.MappingNode:
		var byName map[string]intendedContext
		if err := raw.Contexts.Decode(&byName); err != nil {
			t.Fatalf("%s: contexts: %v", path, err)
		}
		for name, c := range byName {
			c.Name = name
			list = append(list, c)
		}
	default:
		t.Skipf("%s: no contexts in a form this test reads", path)
	}
	in := &intended{contexts: map[string]map[string]bool{}, kernel: map[string]bool{}}
	for _, c := range list {
		units := map[string]bool{}
		for _, p := range c.Packages {
			units[p] = true
		}
		for _, m := range c.Members {
			for _, d := range m.Decls {
				units[m.Package+"."+d] = true
			}
		}
		in.contexts[c.Name] = units
	}
	for _, p := range append(raw.SharedKernel, raw.Shared...) {
		in.kernel[p] = true
	}
	return in
}

// TestShopRecovered loads the example monolith and checks that its
// intended decomposition is recovered exactly, split packages included.
func TestShopRecovered(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a program")
	}
	dir := filepath.Join("..", "testdata", "shop")
	in := readIntended(t, filepath.Join(dir, "decomposition.yaml"))
	m, _, err := analysis.Analyze(context.Background(), analysis.Config{Dir: dir}, analysis.DefaultAlgorithm)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	pl := placement(t, m, d)
	// the intended context of each declaration: by its own entry, by
	// its type's, or by its package's
	want := map[string]string{}
	for _, decl := range m.Decls {
		short := strings.TrimPrefix(decl.ID, decl.Package+".")
		typ := decl.Package + "." + strings.SplitN(short, ".", 2)[0]
		for name, units := range in.contexts {
			if units[decl.ID] || (!units[decl.ID] && units[typ] && decl.Kind == analysis.KindMethod) {
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
		if in.kernel[decl.Package] {
			want[decl.ID] = ""
		}
	}
	// contexts match by name when the names agree, else by overlap
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
	var wrong []string
	for id, w := range want {
		got := pl[id]
		if w == "" && got != "" || w != "" && got != match[w] {
			wrong = append(wrong, id+": in "+quote(got)+", want "+quote(w))
		}
	}
	sort.Strings(wrong)
	for _, x := range wrong {
		t.Error(x)
	}
	for name, found := range match {
		if found != name {
			t.Logf("intended context %s is named %s", name, found)
		}
	}
}

func quote(s string) string {
	if s == "" {
		return "the kernel"
	}
	return s
}
