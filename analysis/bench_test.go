package analysis

import (
	"context"
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
