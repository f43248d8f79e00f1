package analysis

import (
	"context"
	"os"
	"testing"
)

// The benchmarks use the example monolith. Loading is dominated by the go
// command and the type checker; BuildModel is the part this package adds.

const benchDir = "../testdata/shop"

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(context.Background(), Config{Dir: benchDir}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCallGraph(b *testing.B) {
	prog, err := Load(context.Background(), Config{Dir: benchDir})
	if err != nil {
		b.Fatal(err)
	}
	for _, algo := range Algorithms {
		b.Run(algo, func(b *testing.B) {
			for b.Loop() {
				if _, err := CallGraph(context.Background(), prog, algo); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBuildModel(b *testing.B) {
	prog, err := Load(context.Background(), Config{Dir: benchDir})
	if err != nil {
		b.Fatal(err)
	}
	cg, err := CallGraph(context.Background(), prog, DefaultAlgorithm)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		BuildModel(prog, cg, DefaultAlgorithm)
	}
}

// BenchmarkKey times the model cache's key: listed anew (ComputeKey, as
// when nothing changed since the last run) and from a load's listing
// (KeyOf, as after a changed file). DECOMPOSE_BENCH_DIR names another
// repository (a large vendored one shows the cost of hashing).
func BenchmarkKey(b *testing.B) {
	b.Setenv("DECOMPOSE_CACHE", b.TempDir())
	dir := benchDir
	if d := os.Getenv("DECOMPOSE_BENCH_DIR"); d != "" {
		dir = d
	}
	ctx := context.Background()
	cfg, err := Config{Dir: dir}.Resolve(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("listed", func(b *testing.B) {
		for b.Loop() {
			if _, err := ComputeKey(ctx, cfg, DefaultAlgorithm); err != nil {
				b.Fatal(err)
			}
		}
	})
	var listing *Listing
	lcfg := cfg
	lcfg.Listed = func(l *Listing) { listing = l }
	if _, err := Load(ctx, lcfg); err != nil {
		b.Fatal(err)
	}
	b.Run("from-load", func(b *testing.B) {
		for b.Loop() {
			if _, err := KeyOf(ctx, cfg, DefaultAlgorithm, listing); err != nil {
				b.Fatal(err)
			}
		}
	})
}
