package plan

import (
	"bytes"
	"testing"

	"go.yaml.in/yaml/v3"

	"decompose/cluster"
)

// TestMarshalYAMLWhole checks that encoding the plan key by key and list
// element by element gives the bytes of encoding it whole.
func TestMarshalYAMLWhole(t *testing.T) {
	tests := []struct {
		name string
		p    *Plan
	}{
		{"empty", &Plan{}},
		{"empty lists", &Plan{Schema: Schema, Contexts: []Context{}, SharedKernel: []string{}, Findings: []Finding{}}},
		{"awkward text", &Plan{
			Schema: Schema, Module: "example.com/x",
			Contexts: []Context{{Name: "a", Packages: []string{"p"}, Vocabulary: []string{"yes", "no", "- dash", "# hash", "a: b"}}, {Name: "b"}},
			Findings: []Finding{
				{Check: "c", Message: "two lines\n\nwith an empty one\n", Why: "  leading spaces", Remedy: "trailing space ", Path: []string{"x", "y"}},
				{Check: "d", Message: "'quoted' \"both\"", Why: "tab\there", Remedy: "ünïcödé → ✓"},
			},
			DataOwnership: []TableOwnership{{Table: "t", Access: map[string]string{"b": "r", "a": "rw"}}},
			Steps:         []Step{{Order: 1, Context: "a", Verify: []Check{{Kind: "k", What: "multi\nline"}}, Remaining: Remaining{Contexts: []string{}}}},
			Cost:          &CostSketch{Note: "n", Contexts: []ContextCost{{Context: "a", PayPerUse: 1.5, BreakEven: 1e9}}},
			Warnings:      []string{"w"},
		}},
		{"model", buildShop(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var whole bytes.Buffer
			enc := yaml.NewEncoder(&whole)
			enc.SetIndent(2)
			if err := enc.Encode(tt.p); err != nil {
				t.Fatal(err)
			}
			enc.Close()
			got, err := MarshalYAML(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, whole.Bytes()) {
				t.Errorf("MarshalYAML differs from the whole encoding:\n%s\n---\n%s", got, whole.Bytes())
			}
		})
	}
}

func buildShop(t *testing.T) *Plan {
	t.Helper()
	m := shopModel()
	d, err := cluster.Cluster(m, cluster.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return Build(m, d, DefaultConfig())
}
