package sarif

import (
	"encoding/json"
	"net/url"
	"slices"
	"testing"

	"decompose/analysis/checks"
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
	for _, r := range run.Tool.Driver.Rules {
		i := slices.IndexFunc(checks.All, func(c *checks.Check) bool { return c.Name == r.ID })
		if i < 0 {
			continue
		}
		c := checks.All[i]
		if r.ShortDescription.Text != c.Title || r.FullDescription.Text != c.Description() || r.Help.Text != c.Remedy {
			t.Errorf("rule %s does not say what its check's record says: %+v", r.ID, r)
		}
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
	for i, r := range run.Results {
		if got, want := r.PartialFingerprints[FingerprintKey], p.Findings[i].Fingerprint(); got != want || len(got) != 16 {
			t.Errorf("result %d: fingerprint %q, want %q", i, got, want)
		}
	}
	if d := run.Tool.Driver; d.Version != "" || d.InformationURI != "" {
		t.Errorf("Marshal names a version: %+v", d)
	}
}

// TestMarshalTool: the tool's version and information URI, and
// fingerprints that do not move with the lines.
func TestMarshalTool(t *testing.T) {
	f := plan.Finding{Check: "global-mutable", Severity: "blocker", Pos: "a.go:3:1", Object: "ex.v", Contexts: []string{"b", "a"}}
	moved := f
	moved.Pos = "a.go:40:1"
	moved.Contexts = []string{"a", "b"}
	other := f
	other.Contexts = []string{"a"}
	b, err := MarshalTool(&plan.Plan{Findings: []plan.Finding{f, moved, other}}, Tool{Version: "v1.2.3", InformationURI: "https://example.com/decompose"})
	if err != nil {
		t.Fatal(err)
	}
	var log Log
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	d := log.Runs[0].Tool.Driver
	if d.Version != "v1.2.3" || d.InformationURI != "https://example.com/decompose" {
		t.Errorf("driver %+v", d)
	}
	rs := log.Runs[0].Results
	if rs[0].PartialFingerprints[FingerprintKey] != rs[1].PartialFingerprints[FingerprintKey] {
		t.Error("a finding moved down changes its fingerprint")
	}
	if rs[0].PartialFingerprints[FingerprintKey] == rs[2].PartialFingerprints[FingerprintKey] {
		t.Error("a finding of other contexts has the same fingerprint")
	}
}

// TestLocationURI: file paths become RFC 3986 URI references, one
// percent-encoded segment at a time.
func TestLocationURI(t *testing.T) {
	tests := []struct {
		pos, uri, base string
		line           int
	}{
		{"users/session.go:28:2", "users/session.go", "%SRCROOT%", 28},
		{"a b/c#d?e%f.go:3:1", "a%20b/c%23d%3Fe%25f.go", "%SRCROOT%", 3},
		{"wëb/x.go:4", "w%C3%ABb/x.go", "%SRCROOT%", 4},
		{"javascript:alert(1)/x.go:5:1", "javascript%3Aalert%281%29/x.go", "%SRCROOT%", 5},
		{"../outside/x.go:6:1", "../outside/x.go", "%SRCROOT%", 6},
		{"/root/go/pkg/mod/ex@v1/x y.go:7:2", "file:///root/go/pkg/mod/ex@v1/x%20y.go", "", 7},
	}
	for _, tt := range tests {
		loc, ok := location(tt.pos)
		if !ok {
			t.Errorf("location(%q) failed", tt.pos)
			continue
		}
		a := loc.PhysicalLocation.ArtifactLocation
		if a.URI != tt.uri || a.URIBaseID != tt.base || loc.PhysicalLocation.Region.StartLine != tt.line {
			t.Errorf("location(%q) = %+v line %d, want %q %q line %d", tt.pos, a, loc.PhysicalLocation.Region.StartLine, tt.uri, tt.base, tt.line)
		}
		if _, err := url.Parse(a.URI); err != nil {
			t.Errorf("%q: %v", a.URI, err)
		}
	}
}
