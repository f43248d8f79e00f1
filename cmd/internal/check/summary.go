package check

import (
	"fmt"
	"io"
	"strings"

	"decompose/emit/english"
	"decompose/emit/markdown"
)

// SummaryRows caps the violations a summary lists; the text, the
// annotations and the SARIF log have every one.
const SummaryRows = 10

// WriteSummary writes a Markdown summary of a check, for a GitHub job's
// step summary ($GITHUB_STEP_SUMMARY) or a pull-request comment: the
// verdict, the reports counted by rule, and the first SummaryRows
// violations in the order of the text (by position). newFromRev is the
// revision only what is new was reported against, if any.
func WriteSummary(w io.Writer, res *Result, planFile, newFromRev string) error {
	var b strings.Builder
	verdict := "no violations"
	if res.Violations > 0 {
		verdict = english.Plural(res.Violations, "violation")
	}
	since := ""
	if newFromRev != "" {
		since = ", new since " + markdown.Code(newFromRev)
	}
	fmt.Fprintf(&b, "### decompose check: %s of %s%s\n", verdict, markdown.Code(planFile), since)

	count := map[string]int{}
	for _, r := range res.Reports {
		count[r.Rule]++
	}
	if len(res.Reports) > 0 {
		b.WriteString("\n| rule | reports |\n| --- | --- |\n")
		for _, rule := range Rules {
			if count[rule] == 0 {
				continue
			}
			name := rule
			if rule == RuleDrift {
				name += " (advice)"
			}
			fmt.Fprintf(&b, "| %s | %d |\n", name, count[rule])
		}
	}

	if res.Violations > 0 {
		b.WriteString("\n| position | rule | contexts | message |\n| --- | --- | --- | --- |\n")
		listed := 0
		for _, r := range res.Reports {
			if r.Advice {
				continue
			}
			if listed == SummaryRows {
				break
			}
			listed++
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", markdown.Code(r.Pos), r.Rule, r.contexts(), markdown.Inline(r.Message))
		}
		if rest := res.Violations - listed; rest > 0 {
			fmt.Fprintf(&b, "\n… and %d more: the check's annotations and its SARIF log list every one.\n", rest)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// contexts names the contexts of a report for a table cell: from → to,
// else a finding's contexts.
func (r Report) contexts() string {
	switch {
	case r.From != "" && r.To != "":
		return markdown.Inline(r.From) + " → " + markdown.Inline(r.To)
	case len(r.Contexts) > 0:
		names := make([]string, len(r.Contexts))
		for i, c := range r.Contexts {
			names[i] = markdown.Inline(c)
		}
		return strings.Join(names, ", ")
	}
	return "–"
}
