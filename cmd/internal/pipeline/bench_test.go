package pipeline

import (
	"context"
	"testing"

	"decompose/analysis"
	"decompose/cluster"
	"decompose/emit/plan"
	"decompose/emit/sarif"
)

// BenchmarkRender builds the plan and emits every artefact of the example shop (plan, model,
// findings, report, diagrams) from its model and decomposition, drawing
// every diagram (no cache).
func BenchmarkRender(b *testing.B) {
	m, _, err := analysis.Analyze(context.Background(), analysis.Config{Dir: "../../../testdata/shop"}, analysis.DefaultAlgorithm)
	if err != nil {
		b.Fatal(err)
	}
	dec, err := cluster.Cluster(m, cluster.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p := plan.Build(m, dec, plan.DefaultConfig())
		if _, err := Render(context.Background(), m, dec, p, nil, sarif.Tool{}); err != nil {
			b.Fatal(err)
		}
	}
}
