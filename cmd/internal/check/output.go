package check

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"decompose/emit/sarif"
)

// WriteText writes one line per report, as go vet does:
// "file:line:col: message", then the call path when there is one.
func WriteText(w io.Writer, res *Result) error {
	for _, r := range res.Reports {
		if _, err := fmt.Fprintln(w, r.Pos+": "+r.text()); err != nil {
			return err
		}
	}
	return nil
}

// text is the message with the call path.
func (r Report) text() string {
	msg := r.Message
	if len(r.shortPath) > 0 {
		msg += " (path: " + strings.Join(r.shortPath, " → ") + ")"
	}
	return msg
}

// WriteGitHub writes GitHub Actions workflow commands: an error annotation
// per violation, a notice per piece of advice.
func WriteGitHub(w io.Writer, res *Result) error {
	for _, r := range res.Reports {
		kind := "error"
		if r.Advice {
			kind = "notice"
		}
		file, line, col, ok := SplitPos(r.Pos)
		props := "file=" + ghProperty(file)
		if ok {
			props += fmt.Sprintf(",line=%d", line)
			if col > 0 {
				props += fmt.Sprintf(",col=%d", col)
			}
		}
		props += ",title=" + ghProperty("decompose check: "+r.Rule)
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", kind, props, ghData(r.text())); err != nil {
			return err
		}
	}
	return nil
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// JSONSchema names the version of the JSON form of a check's result.
const JSONSchema = "decompose/check/v1"

// MarshalJSON returns the result as indented JSON: the plan checked, the
// counts and every report.
func MarshalJSON(res *Result, planFile string) ([]byte, error) {
	reports := res.Reports
	if reports == nil {
		reports = []Report{}
	}
	b, err := json.MarshalIndent(struct {
		Schema     string   `json:"schema"`
		Plan       string   `json:"plan"`
		Violations int      `json:"violations"`
		Advice     int      `json:"advice"`
		Reports    []Report `json:"reports"`
	}{JSONSchema, planFile, res.Violations, len(res.Reports) - res.Violations, reports}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ruleDocs document each rule in SARIF logs.
var ruleDocs = map[string][2]string{
	RuleBoundary:    {"Dependency between contexts that no contract allows", "A call, reference, type use or variable access from one accepted context into another that the plan's contracts do not allow. Call through a contract (add one to the plan if the team accepts it), or move the code."},
	RuleUnowned:     {"Code that no context owns", "A package, or a declaration of a split package, that no context of the plan owns and the shared kernel does not either. Add it to a context's packages or members, or to the shared kernel."},
	RuleBlocker:     {"New blocker finding", "State that blocks stateless extraction (written on a request path, shared between contexts) that the plan's findings, the accepted baseline, do not hold. Remove the state, or accept it by adding the finding to the plan."},
	RuleSyncOnAsync: {"Synchronous call on an asynchronous edge", "A call that waits for its result on a contract the plan made asynchronous (style: async). Send an event or discard the result, or make the contract sync in the plan."},
	RuleDrift:       {"Drift from the accepted decomposition", "Advice: the clustering of the program as it is now would place this unit in another context. Move the code, or move the unit in the plan."},
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	FullDescription      sarifMessage `json:"fullDescription"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId,omitempty"`
		} `json:"artifactLocation"`
		Region *sarifRegion `json:"region,omitempty"`
	} `json:"physicalLocation"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// FingerprintKey is the key of partialFingerprints in SARIF results, in
// check's logs and in analyze's findings.sarif.
const FingerprintKey = sarif.FingerprintKey

// MarshalSARIF returns the result as a SARIF 2.1.0 log. Every rule is
// listed; each result carries its fingerprint under partialFingerprints,
// which does not change when lines move, so that code scanning tracks a
// violation across commits. Positions are relative to %SRCROOT%: the
// reports' positions as they are (decompose check makes them relative to
// the repository's root).
func MarshalSARIF(res *Result, tool sarif.Tool) ([]byte, error) {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "decompose check", Version: tool.Version, InformationURI: tool.InformationURI}}}
	index := map[string]int{}
	for i, id := range Rules {
		r := sarifRule{ID: id, ShortDescription: sarifMessage{ruleDocs[id][0]}, FullDescription: sarifMessage{ruleDocs[id][1]}}
		r.DefaultConfiguration.Level = "error"
		if id == RuleDrift {
			r.DefaultConfiguration.Level = "note"
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
		index[id] = i
	}
	run.Results = []sarifResult{}
	for _, r := range res.Reports {
		level := "error"
		if r.Advice {
			level = "note"
		}
		sr := sarifResult{
			RuleID: r.Rule, RuleIndex: index[r.Rule], Level: level, Message: sarifMessage{r.text()},
			PartialFingerprints: map[string]string{FingerprintKey: r.Fingerprint},
			Properties:          map[string]any{},
		}
		if file, line, col, ok := SplitPos(r.Pos); ok {
			var loc sarifLocation
			loc.PhysicalLocation.ArtifactLocation.URI = uriOf(file)
			loc.PhysicalLocation.ArtifactLocation.URIBaseID = "%SRCROOT%"
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: line, StartColumn: col}
			sr.Locations = []sarifLocation{loc}
		}
		for k, v := range map[string]string{"from": r.From, "to": r.To, "kind": r.Kind, "source": r.Source, "target": r.Target} {
			if v != "" {
				sr.Properties[k] = v
			}
		}
		if len(r.Contexts) > 0 {
			sr.Properties["contexts"] = r.Contexts
		}
		if len(r.Path) > 0 {
			sr.Properties["path"] = r.Path
		}
		run.Results = append(run.Results, sr)
	}
	b, err := json.MarshalIndent(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// uriOf percent-encodes each segment of a slash-separated relative path.
func uriOf(file string) string {
	segs := strings.Split(file, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(segs, "/")
}
