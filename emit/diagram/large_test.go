package diagram

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/emit/golden"
)

var (
	collapsedNote = regexp.MustCompile(`([0-9]+) packages collapsed into ([0-9]+) directory nodes`)
	droppedNote   = regexp.MustCompile(`([0-9]+) packages not drawn: the least connected`)
	packagesLabel = regexp.MustCompile(`([0-9]+) packages`)
)

// TestLarge draws a generated program of 2,000 packages in 10 contexts
// (and a kernel of 10): every diagram stays within its caps, every
// context keeps its cluster, and the note accounts for every package.
func TestLarge(t *testing.T) {
	in := large(10, 5, 5, 8)
	total := 0
	for _, c := range in.Decomposition.Contexts {
		total += len(c.Packages)
	}
	if total != 2000 {
		t.Fatalf("%d packages generated", total)
	}
	total += len(in.Decomposition.Kernel.Packages)
	dot := PackageGraphDOT(in, Options{})
	golden.Check(t, filepath.Join("testdata", "large-packages.dot"), dot)
	g := parse(t, dot)
	note := g.nodes["note"]["label"]
	if note == "" {
		t.Fatal("no note says what is left out")
	}
	if len(g.nodes)-1 > DefaultMaxNodes {
		t.Errorf("%d nodes drawn, cap %d", len(g.nodes)-1, DefaultMaxNodes)
	}
	if len(g.edges) > DefaultMaxEdges {
		t.Errorf("%d edges drawn, cap %d", len(g.edges), DefaultMaxEdges)
	}
	if len(g.clusters) != 11 {
		t.Errorf("%d clusters, want a cluster per context and the kernel", len(g.clusters))
	}
	// count what is drawn: a package per plain node, the number in the
	// label of a directory node
	drawn, dirs := 0, 0
	for name, members := range g.clusters {
		group := strings.TrimPrefix(name, "cluster_")
		for _, n := range members {
			if !strings.HasPrefix(n, group+"|") {
				t.Errorf("%s in the cluster of %s", n, group)
			}
			if strings.HasSuffix(n, "/…") {
				dirs++
				m := packagesLabel.FindStringSubmatch(g.nodes[n]["label"])
				if m == nil {
					t.Fatalf("directory node %s says no count: %q", n, g.nodes[n]["label"])
				}
				k, _ := strconv.Atoi(m[1])
				drawn += k
			} else {
				drawn++
			}
		}
	}
	dropped := 0
	if m := droppedNote.FindStringSubmatch(note); m != nil {
		dropped, _ = strconv.Atoi(m[1])
	}
	if drawn+dropped != total {
		t.Errorf("%d packages drawn and %d not drawn, of %d; note: %s", drawn, dropped, total, note)
	}
	if m := collapsedNote.FindStringSubmatch(note); m == nil || m[2] != strconv.Itoa(dirs) {
		t.Errorf("the note %q does not count the %d directory nodes", note, dirs)
	}
	if !strings.Contains(note, "not drawn") {
		t.Errorf("the note %q does not say what was not drawn", note)
	}

	svg, err := SVG(context.Background(), dot)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "large-packages.svg"), svg)
	if n := strings.Count(string(svg), `class="cluster"`); n != 11 {
		t.Errorf("%d clusters in the SVG", n)
	}

	mmd := PackageGraphMermaid(in, Options{})
	checkMermaid(t, mmd)
	nodes := 0
	for _, line := range strings.Split(string(mmd), "\n") {
		if mermaidNode.MatchString(strings.TrimSpace(line)) {
			nodes++
		}
	}
	if nodes-1 > MermaidMaxNodes {
		t.Errorf("%d Mermaid nodes, cap %d", nodes-1, MermaidMaxNodes)
	}

	inside, err := InsideDOT(in, "ctx03", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ig := parse(t, inside)
	if len(ig.nodes)-1 > DefaultMaxNodes || ig.nodes["note"] == nil {
		t.Errorf("inside view: %d nodes, note %v", len(ig.nodes), ig.nodes["note"])
	}
	for _, other := range []string{"ctx00", "ctx09", model.Kernel} {
		if ig.nodes[other] == nil {
			t.Errorf("inside view lacks %s", other)
		}
	}
}

// TestManyContexts caps the context map itself: 80 contexts, each
// calling the next five.
func TestManyContexts(t *testing.T) {
	in := Input{Model: &model.Model{}, Decomposition: &cluster.Decomposition{Module: "m", Root: "m"}}
	for i := 0; i < 80; i++ {
		pkg := fmt.Sprintf("m/c%02d", i)
		in.Decomposition.Contexts = append(in.Decomposition.Contexts, cluster.Context{Name: fmt.Sprintf("c%02d", i), Packages: []string{pkg}})
		in.Model.Decls = append(in.Model.Decls, model.Decl{ID: pkg + ".F", Package: pkg, Name: "F"})
		for j := 1; j <= 5 && i+j < 80; j++ {
			in.Model.Edges = append(in.Model.Edges, model.Edge{From: pkg + ".F", To: fmt.Sprintf("m/c%02d.F", i+j), Kind: model.EdgeCall, Weight: 1 + (i*j)%7})
		}
	}
	dot := ContextMapDOT(in, Options{MaxEdges: 100})
	g := parse(t, dot)
	if n := len(g.nodes) - 1; n != DefaultMaxNodes {
		t.Errorf("%d nodes, want %d", n, DefaultMaxNodes)
	}
	if g.nodes[model.Kernel] == nil {
		t.Error("the kernel is not drawn")
	}
	if n := len(g.edges); n != 100 {
		t.Errorf("%d edges, want 100", n)
	}
	note := g.nodes["note"]["label"]
	if !strings.Contains(note, "21 contexts and ") || !strings.Contains(note, "those with the fewest calls") || !strings.Contains(note, "(the lightest, ") {
		t.Errorf("note %q", note)
	}
	mmd := ContextMapMermaid(in, Options{})
	checkMermaid(t, mmd)
	if !strings.Contains(string(mmd), `left_out["51 contexts and `) {
		t.Errorf("Mermaid note missing:\n%s", mmd)
	}
}
