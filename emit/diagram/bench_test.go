package diagram

import (
	"context"
	"testing"
)

// BenchmarkDrawer draws every DOT and Mermaid text of a generated program
// of 2,000 packages in 10 contexts: the context map, the package graph and
// an inside view per context, as analyze --out does.
func BenchmarkDrawer(b *testing.B) {
	in := large(10, 5, 5, 8)
	for b.Loop() {
		d := NewDrawer(in)
		d.ContextMapDOT(Options{})
		d.PackageGraphDOT(Options{})
		for _, c := range in.Decomposition.Contexts {
			if _, err := d.InsideDOT(c.Name, Options{}); err != nil {
				b.Fatal(err)
			}
		}
		d.ContextMapMermaid(Options{})
		d.PackageGraphMermaid(Options{})
	}
}

// BenchmarkSVG lays out and renders the capped package graph of the same
// program with graphviz.
func BenchmarkSVG(b *testing.B) {
	dot := PackageGraphDOT(large(10, 5, 5, 8), Options{})
	ctx := context.Background()
	for b.Loop() {
		if _, err := SVG(ctx, dot); err != nil {
			b.Fatal(err)
		}
	}
}
