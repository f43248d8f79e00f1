package cluster

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"decompose/analysis"
	"decompose/analysis/model"
	gen "decompose/cluster/planted"
)

// The planted-partition tests generate small monoliths with known
// contexts (package planted), analyze and cluster them with the default
// settings, and score the result against the partition they were
// written with. The domain words are drawn per seed, plain nouns or
// made-up words, so no list of usual domain names can pass them.

// plantedSeeds are the seeds tried for every layout.
var plantedSeeds = []uint64{1, 2, 3, 4}

// plantedFloor is the MoJoFM every seed of a layout must reach: what the
// clustering reaches today, to keep; raise it as the clustering improves.
var plantedFloor = map[gen.Layout]float64{
	gen.Modular:       100,
	gen.Layered:       100,
	gen.LayeredByName: 100,
	gen.Hexagonal:     100,
}

// plantedSkips are the properties that fail today, by
// "layout/seed/property", with what the clustering finds instead. Each
// is a case for the clustering to turn on: delete its entry when it
// passes.
var plantedSkips = map[string]string{}

// plantedRun is a generated monolith, its model and its decomposition.
type plantedRun struct {
	pm *gen.Monolith
	m  *model.Model
	d  *Decomposition
	pl map[string]string // declaration → found context, "" for the kernel
}

type plantedEntry struct {
	once sync.Once
	run  *plantedRun
	err  error
}

var plantedRuns sync.Map // "layout/seed" → *plantedEntry

// plantedLoad generates, analyzes and clusters the monolith of layout
// and seed, once per test binary.
func plantedLoad(t *testing.T, layout gen.Layout, seed uint64) *plantedRun {
	t.Helper()
	if testing.Short() {
		t.Skip("loads a program")
	}
	v, _ := plantedRuns.LoadOrStore(fmt.Sprintf("%s/%d", layout, seed), &plantedEntry{})
	e := v.(*plantedEntry)
	e.once.Do(func() {
		dir := stableDir(t, fmt.Sprintf("planted-%s-%d", layout, seed))
		pm, err := gen.Generate(dir, seed, layout)
		if err != nil {
			e.err = err
			return
		}
		m, err := analyzeDir(dir)
		if err != nil {
			e.err = err
			return
		}
		d, err := Cluster(m, DefaultConfig())
		if err != nil {
			e.err = err
			return
		}
		checkPartition(t, m, d)
		e.run = &plantedRun{pm: pm, m: m, d: d, pl: placement(t, m, d)}
	})
	if e.err != nil {
		t.Fatal(e.err)
	}
	return e.run
}

// stableDir returns an empty directory for the test's program, at the
// same path on every run and removed after the test: the go command's
// build cache keys compiled packages by their directory, so a program
// written again at the same path loads from the cache. A lock file keeps
// two test processes from sharing the path; the second gets a private
// directory, and loads cold.
func stableDir(t *testing.T, name string) string {
	t.Helper()
	base := filepath.Join(os.TempDir(), fmt.Sprintf("decompose-cluster-test-%d", os.Getuid()))
	if err := os.MkdirAll(base, 0o755); err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(base, name+".lock")
	if !lockFile(lock) {
		return t.TempDir()
	}
	dir := filepath.Join(base, name)
	t.Cleanup(func() {
		os.RemoveAll(dir)
		os.Remove(lock)
	})
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// lockFile creates the file lock holding this process's id, and reports
// whether it did; a lock left by a process that is gone is taken over.
func lockFile(lock string) bool {
	for try := 0; try < 2; try++ {
		f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprint(f, os.Getpid())
			f.Close()
			return true
		}
		data, err := os.ReadFile(lock)
		if err != nil {
			continue // removed meanwhile
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err == nil && pid > 0 && processAlive(pid) {
			return false
		}
		os.Remove(lock)
	}
	return false
}

// processAlive reports whether the process pid exists.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	return err == nil && p.Signal(syscall.Signal(0)) == nil
}

// analyzeDir analyzes the module in dir with the default call graph and
// wants it to load without errors.
func analyzeDir(dir string) (*model.Model, error) {
	m, _, err := analysis.Analyze(context.Background(), analysis.Config{Dir: dir}, analysis.DefaultAlgorithm)
	if err != nil {
		return nil, err
	}
	if len(m.Errors) > 0 {
		var msgs []string
		for _, e := range m.Errors {
			msgs = append(msgs, fmt.Sprintf("%s %s: %s", e.Package, e.Pos, e.Msg))
		}
		return nil, fmt.Errorf("%s does not load:\n%s", dir, strings.Join(msgs, "\n"))
	}
	return m, nil
}

const kernelLabel = "<kernel>"

// plantedScore sets the found partition beside the planted one, as the
// evaluation's scorer does: a package wholly in one intended context is
// one element, labelled by the found context holding most of its
// declarations; a declaration of a split package is one element. The
// shared kernel and main packages are not scored. It returns the found
// and intended labels of the elements, in the same order, and the
// elements.
func plantedScore(t *testing.T, r *plantedRun) (found, want, elems []string) {
	t.Helper()
	votes := map[string]map[string]int{}
	for _, decl := range r.m.Decls {
		c := r.pl[decl.ID]
		if c == "" {
			c = kernelLabel
		}
		if w, ok := r.pm.Decls[decl.ID]; ok {
			if w != "" {
				elems = append(elems, decl.ID)
				found = append(found, c)
				want = append(want, w)
			}
			continue
		}
		if slices.Contains(r.pm.Split, decl.Package) {
			t.Errorf("%s: a declaration of a split package the generator does not know", decl.ID)
			continue
		}
		if _, ok := r.pm.Packages[decl.Package]; !ok && !slices.Contains(r.pm.Mains, decl.Package) {
			t.Errorf("%s: a package the generator does not know", decl.Package)
		}
		if votes[decl.Package] == nil {
			votes[decl.Package] = map[string]int{}
		}
		votes[decl.Package][c]++
	}
	for id := range r.pm.Decls {
		if _, ok := r.pl[id]; !ok {
			t.Errorf("%s: planted, not in the model", id)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(r.pm.Packages)) {
		w := r.pm.Packages[p]
		if w == "" {
			continue
		}
		best, n := kernelLabel, -1
		for _, c := range slices.Sorted(maps.Keys(votes[p])) {
			if votes[p][c] > n {
				best, n = c, votes[p][c]
			}
		}
		elems = append(elems, p)
		found = append(found, best)
		want = append(want, w)
	}
	return found, want, elems
}

// describeFound says what each found context holds, in intended
// contexts' elements: "alpha = beta 5 + gamma 2".
func describeFound(found, want []string) string {
	hold := map[string]map[string]int{}
	for i := range found {
		if hold[found[i]] == nil {
			hold[found[i]] = map[string]int{}
		}
		hold[found[i]][want[i]]++
	}
	var parts []string
	for _, f := range slices.Sorted(maps.Keys(hold)) {
		var in []string
		for _, w := range slices.Sorted(maps.Keys(hold[f])) {
			in = append(in, fmt.Sprintf("%s %d", w, hold[f][w]))
		}
		parts = append(parts, f+" = "+strings.Join(in, " + "))
	}
	return strings.Join(parts, "; ")
}

// TestPlantedPartition clusters generated monoliths of every layout and
// checks, against the planted partition:
//   - floor: MoJoFM at least the layout's plantedFloor (what the
//     clustering reaches today; never skipped);
//   - target: MoJoFM at least 90 where the directory baseline reaches 90,
//     80 elsewhere (the bar of issue 12);
//   - baseline: MoJoFM at least the directory baseline's;
//   - contexts: as many contexts as planted;
//   - kernel: every shared library in the kernel.
//
// Run with -v to see every layout's and seed's scores.
func TestPlantedPartition(t *testing.T) {
	for _, layout := range gen.Layouts {
		for _, seed := range plantedSeeds {
			t.Run(fmt.Sprintf("%s/%d", layout, seed), func(t *testing.T) {
				t.Parallel()
				r := plantedLoad(t, layout, seed)
				found, want, elems := plantedScore(t, r)
				mojo, ari := mojoFM(found, want), adjustedRand(found, want)
				dirs := dirLabels(elems)
				dirMojo, dirARI := mojoFM(dirs, want), adjustedRand(dirs, want)
				var names []string
				for _, c := range r.d.Contexts {
					names = append(names, c.Name)
				}
				how := describeFound(found, want)
				t.Logf("planted %s seed %d: MoJoFM %.1f ARI %.3f | directory baseline MoJoFM %.1f ARI %.3f | %d contexts found of %d (%s); planted %s; found %s",
					layout, seed, mojo, ari, dirMojo, dirARI, len(r.d.Contexts), len(r.pm.Contexts), strings.Join(names, ", "),
					strings.Join(r.pm.Contexts, ", "), how)
				key := fmt.Sprintf("%s/%d/", layout, seed)
				t.Run("floor", func(t *testing.T) {
					if mojo < plantedFloor[layout] {
						t.Errorf("MoJoFM %.1f (ARI %.3f), below the %s floor %.1f: %s", mojo, ari, layout, plantedFloor[layout], how)
					}
				})
				t.Run("target", func(t *testing.T) {
					skipIf(t, plantedSkips[key+"target"])
					target := 80.0
					if dirMojo >= 90 {
						target = 90
					}
					if mojo < target {
						t.Errorf("MoJoFM %.1f (ARI %.3f), below %.0f: %s", mojo, ari, target, how)
					}
				})
				t.Run("baseline", func(t *testing.T) {
					skipIf(t, plantedSkips[key+"baseline"])
					if mojo < dirMojo {
						t.Errorf("MoJoFM %.1f (ARI %.3f), below the directory baseline's %.1f: %s", mojo, ari, dirMojo, how)
					}
				})
				t.Run("contexts", func(t *testing.T) {
					skipIf(t, plantedSkips[key+"contexts"])
					if len(r.d.Contexts) != len(r.pm.Contexts) {
						t.Errorf("%d contexts (%s), planted %d (%s): %s", len(r.d.Contexts), strings.Join(names, ", "),
							len(r.pm.Contexts), strings.Join(r.pm.Contexts, ", "), how)
					}
				})
				t.Run("kernel", func(t *testing.T) {
					skipIf(t, plantedSkips[key+"kernel"])
					where := packagePlaces(r.d)
					for _, p := range r.pm.Kernel {
						if w := where[p]; w != kernelLabel {
							t.Errorf("shared library %s is in %s, not in the kernel", p, w)
						}
					}
				})
			})
		}
	}
}

// dirLabels labels each element (a package, or a declaration of one) by
// the naive baseline of the evaluation's scorer: one context per
// top-level directory below the elements' common root, two levels deep
// under containers such as internal/ or modules/.
func dirLabels(elems []string) []string {
	pkgs := make([]string, len(elems))
	for i, e := range elems {
		pkgs[i] = e
		if strings.Contains(path.Base(e), ".") {
			pkgs[i], _ = splitID(e)
		}
	}
	prefix := strings.Split(pkgs[0], "/")
	for _, p := range pkgs[1:] {
		parts := strings.Split(p, "/")
		n := 0
		for n < len(prefix) && n < len(parts) && prefix[n] == parts[n] {
			n++
		}
		prefix = prefix[:n]
	}
	root := strings.Join(prefix, "/")
	out := make([]string, len(pkgs))
	for i, p := range pkgs {
		rest := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		if rest == "" {
			out[i] = "<root>"
			continue
		}
		parts := strings.Split(rest, "/")
		out[i] = parts[0]
		for _, layer := range []string{"internal", "pkg", "cmd", "app", "src", "services", "modules"} {
			if len(parts) > 1 && parts[0] == layer {
				out[i] = layer + "/" + parts[1]
			}
		}
	}
	return out
}

// packagePlaces says where each package is: a context's name, the
// kernel, or "split".
func packagePlaces(d *Decomposition) map[string]string {
	where := map[string]string{}
	for _, c := range d.Contexts {
		for _, p := range c.Packages {
			where[p] = "context " + c.Name
		}
	}
	for _, p := range append(append([]string{}, d.Kernel.Packages...), d.Kernel.Infrastructure...) {
		where[p] = kernelLabel
	}
	for _, p := range d.Split {
		where[p] = "split"
	}
	return where
}

// skipIf skips a case that fails today, saying how, unless the
// environment variable DECOMPOSE_RUN_FAILING is set: then every case
// runs, to see which pass now.
func skipIf(t *testing.T, why string) {
	t.Helper()
	if why != "" && os.Getenv("DECOMPOSE_RUN_FAILING") == "" {
		t.Skip(why)
	}
}
