package scaffold

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"decompose/emit/plan"
)

// ParsePlan reads a saved plan (plan.yaml, or plan.json: JSON is YAML).
// Keys the schema does not have are errors, so that a misspelt key in a
// hand-edited plan does not pass silently.
func ParsePlan(data []byte) (*plan.Plan, error) {
	var head struct {
		Schema  string     `yaml:"schema"`
		Metrics *yaml.Node `yaml:"metrics"`
	}
	if err := yaml.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("not a plan: %s", oneLine(err))
	}
	switch head.Schema {
	case plan.Schema:
	case "":
		return nil, fmt.Errorf("not a plan: no schema key (want schema: %s)", plan.Schema)
	default:
		return nil, fmt.Errorf("plan schema %q, want %q", head.Schema, plan.Schema)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p plan.Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("plan: %s", oneLine(err))
	}
	if err := CheckPlan(&p); err != nil {
		return nil, err
	}
	// analyze writes the metrics, with the count of contexts, after the
	// contexts: a plan cut short among them still parses
	if head.Metrics == nil {
		return nil, fmt.Errorf("the plan has no metrics key: it is cut short, or was not written by decompose analyze")
	}
	return &p, nil
}

// oneLine joins a multi-line error (yaml lists each problem on a line).
func oneLine(err error) string {
	var parts []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}
