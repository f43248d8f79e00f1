package sarif

import (
	"encoding/json"
	"testing"

	"decompose/emit/plan"
)

func TestMarshal(t *testing.T) {
	p := &plan.Plan{Findings: []plan.Finding{
		{Check: "global-mutable", Severity: "blocker", Pos: "users/session.go:28:2", Object: "ex/users.sessions", Message: "sessions map", Why: "lost", Remedy: "a key-value store", Contexts: []string{"users"}},
		{Check: "shared-table", Severity: "warning", Pos: "store/cart.go:33:35", Object: "table:stock"},
		{Check: "global-init-only", Severity: "info", Pos: "x.go:1", Object: "ex.x"},
	}}
	b, err := Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var log Log
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("bad log header: %+v", log)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != 3 {
		t.Errorf("rules: %+v", run.Tool.Driver.Rules)
	}
	tests := []struct {
		rule, level, uri string
		line, col        int
	}{
		{"global-mutable", "error", "users/session.go", 28, 2},
		{"shared-table", "warning", "store/cart.go", 33, 35},
		{"global-init-only", "note", "x.go", 1, 0},
	}
	for i, tt := range tests {
		r := run.Results[i]
		if r.RuleID != tt.rule || r.Level != tt.level || run.Tool.Driver.Rules[r.RuleIndex].ID != tt.rule {
			t.Errorf("result %d: %+v", i, r)
		}
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != tt.uri || loc.Region.StartLine != tt.line || loc.Region.StartColumn != tt.col {
			t.Errorf("result %d location: %+v %+v", i, loc.ArtifactLocation, loc.Region)
		}
	}
	b2, _ := Marshal(p)
	if string(b) != string(b2) {
		t.Error("output is not deterministic")
	}
}
