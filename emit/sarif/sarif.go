// Package sarif writes a plan's findings as SARIF 2.1.0, the format code
// scanning views (GitHub, GitLab, IDEs) read.
package sarif

import (
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"decompose/analysis/checks"
	"decompose/emit/plan"
)

const (
	schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
	version   = "2.1.0"
)

// Log is a SARIF log with one run.
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// Run is the run of one tool.
type Run struct {
	Tool    RunTool  `json:"tool"`
	Results []Result `json:"results"`
}

// RunTool describes decompose and its rules.
type RunTool struct {
	Driver Driver `json:"driver"`
}

// Driver is the tool's main component.
type Driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri,omitempty"`
	Rules          []Rule `json:"rules"`
}

// Rule is one check.
type Rule struct {
	ID                   string  `json:"id"`
	Name                 string  `json:"name"`
	ShortDescription     Message `json:"shortDescription"`
	FullDescription      Message `json:"fullDescription"`
	Help                 Message `json:"help"`
	DefaultConfiguration Config  `json:"defaultConfiguration"`
}

// Config holds a rule's default level.
type Config struct {
	Level string `json:"level"`
}

// Message is a plain-text message.
type Message struct {
	Text string `json:"text"`
}

// Result is one finding.
type Result struct {
	RuleID    string     `json:"ruleId"`
	RuleIndex int        `json:"ruleIndex"`
	Level     string     `json:"level"`
	Message   Message    `json:"message"`
	Locations []Location `json:"locations,omitempty"`
	// PartialFingerprints hold the finding's fingerprint under
	// FingerprintKey: it does not change when lines move.
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Properties          map[string]string `json:"properties,omitempty"`
}

// FingerprintKey is the key of the fingerprints decompose writes in
// partialFingerprints.
const FingerprintKey = "decompose/v1"

// Tool is what a log says of the tool that wrote it.
type Tool struct {
	Version        string
	InformationURI string
}

// Location is where a result is.
type Location struct {
	PhysicalLocation PhysicalLocation `json:"physicalLocation"`
}

// PhysicalLocation is a file and region.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Region           *Region          `json:"region,omitempty"`
}

// ArtifactLocation is a file relative to the source root, or a file: URI
// for one outside it.
type ArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// Region is a position in a file.
type Region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// sharedTable documents the plan's own check, which has no checks.Check.
var sharedTable = Rule{
	ID:               "shared-table",
	Name:             "SharedTable",
	ShortDescription: Message{"Database table shared between contexts"},
	FullDescription:  Message{"A table written by more than one future service couples them through its schema and invariants; a table read directly by a context other than its owner ties the reader to the owner's schema."},
	Help:             Message{"Split the table so that each context owns its part, or give one context ownership and an API (or events) the others use."},
}

// Level maps a severity to a SARIF level.
func Level(severity string) string {
	switch severity {
	case "blocker":
		return "error"
	case "warning":
		return "warning"
	}
	return "note"
}

// Marshal returns the findings of p as an indented SARIF log. Every rule
// that a finding uses is listed, its descriptions taken from the check's
// record (checks.Check): the title, the rationale with the severity rule,
// and the remedy.
func Marshal(p *plan.Plan) ([]byte, error) { return MarshalTool(p, Tool{}) }

// MarshalTool is Marshal with the tool's version and information URI.
func MarshalTool(p *plan.Plan, tool Tool) ([]byte, error) {
	used := map[string]bool{}
	for _, f := range p.Findings {
		used[f.Check] = true
	}
	var rules []Rule
	for _, c := range checks.All {
		if used[c.Name] {
			rules = append(rules, Rule{
				ID:               c.Name,
				Name:             ruleName(c.Name),
				ShortDescription: Message{c.Title},
				FullDescription:  Message{c.Description()},
				Help:             Message{c.Remedy},
			})
		}
	}
	if used[sharedTable.ID] {
		rules = append(rules, sharedTable)
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	index := map[string]int{}
	for i := range rules {
		rules[i].DefaultConfiguration = Config{Level: "warning"}
		index[rules[i].ID] = i
	}
	results := []Result{}
	for _, f := range p.Findings {
		i, ok := index[f.Check]
		if !ok {
			continue
		}
		text := f.Message
		if f.Why != "" {
			text += ". " + f.Why
		}
		if f.Remedy != "" {
			text += " Remedy: " + f.Remedy
		}
		r := Result{RuleID: f.Check, RuleIndex: i, Level: Level(f.Severity), Message: Message{text},
			PartialFingerprints: map[string]string{FingerprintKey: f.Fingerprint()}}
		if loc, ok := location(f.Pos); ok {
			r.Locations = []Location{loc}
		}
		r.Properties = map[string]string{"severity": f.Severity, "object": f.Object}
		if len(f.Contexts) > 0 {
			r.Properties["contexts"] = strings.Join(f.Contexts, ",")
		}
		results = append(results, r)
	}
	log := Log{
		Schema:  schemaURI,
		Version: version,
		Runs:    []Run{{Tool: RunTool{Driver: Driver{Name: "decompose", Version: tool.Version, InformationURI: tool.InformationURI, Rules: rules}}, Results: results}},
	}
	b, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// location parses "file:line:col".
func location(pos string) (Location, bool) {
	parts := strings.Split(pos, ":")
	if len(parts) < 2 {
		return Location{}, false
	}
	var line, col int
	var err error
	file := pos
	if len(parts) >= 3 {
		col, err = strconv.Atoi(parts[len(parts)-1])
		if err == nil {
			line, err = strconv.Atoi(parts[len(parts)-2])
			file = strings.Join(parts[:len(parts)-2], ":")
		}
	}
	if err != nil || len(parts) < 3 {
		line, err = strconv.Atoi(parts[len(parts)-1])
		if err != nil {
			return Location{}, false
		}
		col = 0
		file = strings.Join(parts[:len(parts)-1], ":")
	}
	return Location{PhysicalLocation{
		ArtifactLocation: artifact(file),
		Region:           &Region{StartLine: line, StartColumn: col},
	}}, true
}

// artifact is the location of a slash-separated file path: a URI
// reference relative to the source root, or a file: URI for an absolute
// path (a file outside the root). Each segment is percent-encoded (RFC
// 3986), colons too, so that no segment reads as a scheme, and a space,
// "#", "?" or "%" in a file name stays part of it.
func artifact(file string) ArtifactLocation {
	segs := strings.Split(file, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	uri := strings.Join(segs, "/")
	if strings.HasPrefix(file, "/") {
		return ArtifactLocation{URI: "file://" + uri}
	}
	return ArtifactLocation{URI: uri, URIBaseID: "%SRCROOT%"}
}

// ruleName turns "global-mutable" into "GlobalMutable".
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
