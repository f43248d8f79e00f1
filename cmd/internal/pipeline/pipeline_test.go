package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"decompose/analysis"
	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/emit/plan"
)

// TestRunFromSavedModel: a run on a model read back from its own
// model.json gives the same artefacts, byte for byte, as the run that
// loaded the program; and the artefacts are the ones analyze documents.
func TestRunFromSavedModel(t *testing.T) {
	opts := Options{
		Load:      analysis.Config{Dir: "../../../testdata/shop", Patterns: []string{"./..."}},
		Algorithm: analysis.DefaultAlgorithm,
		NoCache:   true,
		Cluster:   cluster.DefaultConfig(),
		Plan:      plan.DefaultConfig(),
	}
	loaded, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, a := range loaded.Artefacts {
		names[a.Name] = true
	}
	for _, want := range []string{"context-map.dot", "context-map.svg", "findings.sarif", "model.json", "packages.svg", "plan.json", "plan.md", "plan.yaml", "report.html"} {
		if !names[want] {
			t.Errorf("no %s among %d artefacts", want, len(loaded.Artefacts))
		}
	}
	var saved model.Model
	if err := json.Unmarshal(artefact(t, loaded, "model.json"), &saved); err != nil {
		t.Fatal(err)
	}
	saved.Root = loaded.Model.Root
	opts.Model = &saved
	again, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Artefacts) != len(loaded.Artefacts) {
		t.Fatalf("%d artefacts from the saved model, %d from loading", len(again.Artefacts), len(loaded.Artefacts))
	}
	for i, a := range again.Artefacts {
		if b := loaded.Artefacts[i]; a.Name != b.Name || !bytes.Equal(a.Data, b.Data) {
			t.Errorf("%s differs from the loaded run's %s", a.Name, b.Name)
		}
	}
}

func artefact(t *testing.T, r *Result, name string) []byte {
	t.Helper()
	for _, a := range r.Artefacts {
		if a.Name == name {
			return a.Data
		}
	}
	t.Fatalf("no artefact %s", name)
	return nil
}
