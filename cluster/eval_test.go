package cluster_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"decompose/analysis"
	"decompose/cluster"
	"decompose/emit/plan"
)

// TestEvalPlans writes NAME.plan.yaml beside every NAME.json model in the
// folder DECOMPOSE_EVAL_MODELS names (see EVALUATION.md); without it, it
// is skipped.
func TestEvalPlans(t *testing.T) {
	dir := os.Getenv("DECOMPOSE_EVAL_MODELS")
	if dir == "" {
		t.Skip("DECOMPOSE_EVAL_MODELS is not set")
	}
	models, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range models {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m analysis.Model
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		d, err := cluster.Cluster(&m, cluster.DefaultConfig())
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		y, err := plan.MarshalYAML(plan.Build(&m, d))
		if err != nil {
			t.Fatal(err)
		}
		out := strings.TrimSuffix(path, ".json") + ".plan.yaml"
		if err := os.WriteFile(out, y, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d contexts", out, len(d.Contexts))
	}
}
