package plandiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"decompose/emit/english"
	"decompose/emit/markdown"
)

// Names from the plans are escaped as plan.md escapes them: a plan is
// edited by hand, and its names end up in a pull-request comment.
var (
	text = markdown.Inline
	code = markdown.Code
)

// MarshalJSON returns the diff as indented JSON, ending in a newline:
// every change, uncapped.
func MarshalJSON(d *Diff) ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// MaxRows caps each table of the Markdown form: a pull-request comment
// has a size limit, and a reader stops long before. The JSON form lists
// everything.
const MaxRows = 50

// WriteMarkdown writes the diff as Markdown for a pull-request comment: a
// heading, a line of counts, then a table for each kind of change there
// is. Declaration IDs and packages are written without the module path.
func WriteMarkdown(w io.Writer, d *Diff) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### decompose diff: %s → %s\n\n", code(d.Old), code(d.New))
	if d.Differences == 0 {
		b.WriteString("No change to the decomposition: the same contexts own the same code, with the same contracts, allowed dependencies and findings.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString(d.counts() + ".\n")
	short := shortener(d.Module)
	// an old context's name, and what it is called now when it was
	// renamed
	now := map[string]string{}
	for _, c := range d.Contexts {
		if c.Change == ContextRenamed {
			now[c.Old] = c.New
		}
	}
	was := func(old string) string {
		if n, ok := now[old]; ok {
			return text(old) + " (now " + text(n) + ")"
		}
		return text(old)
	}

	var rows [][]string
	for _, c := range d.Contexts {
		switch c.Change {
		case ContextRenamed:
			rows = append(rows, []string{c.Change, text(c.Old) + " → " + text(c.New), fmt.Sprintf("%d → %d (%d in both)", c.OldUnits, c.NewUnits, c.Common), fmt.Sprintf("%.2f", c.Overlap)})
		case ContextAdded:
			rows = append(rows, []string{c.Change, text(c.New), fmt.Sprint(c.NewUnits), ""})
		case ContextRemoved:
			rows = append(rows, []string{c.Change, text(c.Old), fmt.Sprint(c.OldUnits), ""})
		}
	}
	table(&b, "Contexts", []string{"change", "context", "units", "overlap"}, rows)

	rows = nil
	for _, m := range d.Moved {
		rows = append(rows, []string{code(short(m.Unit)), m.Kind, was(m.From), text(m.To)})
	}
	table(&b, "Units moved", []string{"unit", "kind", "from", "to"}, rows)

	rows = nil
	for _, u := range d.UnitsAdded {
		rows = append(rows, []string{"added", code(short(u.Unit)), u.Kind, text(u.Context)})
	}
	for _, u := range d.UnitsRemoved {
		rows = append(rows, []string{"removed", code(short(u.Unit)), u.Kind, was(u.Context)})
	}
	table(&b, "Units only one plan owns", []string{"change", "unit", "kind", "owner"}, rows)

	rows = nil
	for _, c := range d.Contracts {
		style := c.Style
		if c.Change == Restyled {
			style = c.OldStyle + " → " + c.Style
		}
		from, to := text(c.From), text(c.To)
		if c.Change == Removed {
			from, to = was(c.From), was(c.To)
		}
		rows = append(rows, []string{c.Change, from + " → " + to, code(short(c.Callee)), style})
	}
	table(&b, "Contracts", []string{"change", "from → to", "callee", "style"}, rows)

	rows = nil
	for _, c := range d.DependsOn {
		from, to := text(c.From), text(c.To)
		if c.Change == Removed {
			from, to = was(c.From), was(c.To)
		}
		rows = append(rows, []string{c.Change, from, to})
	}
	table(&b, "Allowed dependencies (depends_on)", []string{"change", "context", "may use the types and functions of"}, rows)

	rows = nil
	for _, f := range d.Findings {
		sev := text(f.Severity)
		if f.OldSeverity != "" {
			sev = text(f.OldSeverity) + " → " + sev
		}
		names := func(cs []string, name func(string) string) string {
			out := make([]string, len(cs))
			for i, c := range cs {
				out[i] = name(c)
			}
			return strings.Join(out, ", ")
		}
		ctxs := names(f.Contexts, text)
		switch {
		case f.Change == Closed:
			ctxs = names(f.Contexts, was)
		case f.OldContexts != nil:
			ctxs = names(f.OldContexts, was) + " → " + ctxs
		}
		pos := ""
		if f.Pos != "" {
			pos = code(f.Pos)
		}
		rows = append(rows, []string{f.Change, sev, text(f.Check), code(short(f.Object)), ctxs, pos})
	}
	table(&b, "Findings", []string{"change", "severity", "check", "object", "contexts", "position"}, rows)

	_, err := io.WriteString(w, b.String())
	return err
}

// counts is the line that sums the diff up: "1 context renamed, 1 added;
// 3 units moved; 2 contracts added, 1 removed".
func (d *Diff) counts() string {
	var parts []string
	group := func(noun string, kinds []string, n []int) {
		var items []string
		for i, k := range kinds {
			if n[i] == 0 {
				continue
			}
			if len(items) == 0 {
				items = append(items, english.Plural(n[i], noun)+" "+k)
			} else {
				items = append(items, fmt.Sprintf("%d %s", n[i], k))
			}
		}
		if len(items) > 0 {
			parts = append(parts, strings.Join(items, ", "))
		}
	}
	ctx := map[string]int{}
	for _, c := range d.Contexts {
		ctx[c.Change]++
	}
	group("context", []string{ContextRenamed, ContextAdded, ContextRemoved}, []int{ctx[ContextRenamed], ctx[ContextAdded], ctx[ContextRemoved]})
	group("unit", []string{"moved", "added", "removed"}, []int{len(d.Moved), len(d.UnitsAdded), len(d.UnitsRemoved)})
	ct := map[string]int{}
	for _, c := range d.Contracts {
		ct[c.Change]++
	}
	group("contract", []string{Added, Removed, Restyled}, []int{ct[Added], ct[Removed], ct[Restyled]})
	dep := map[string]int{}
	for _, c := range d.DependsOn {
		dep[c.Change]++
	}
	group("allowed dependency", []string{Added, Removed}, []int{dep[Added], dep[Removed]})
	fs := map[string]int{}
	for _, f := range d.Findings {
		fs[f.Change]++
	}
	group("finding", []string{Opened, Closed, Changed}, []int{fs[Opened], fs[Closed], fs[Changed]})
	return strings.Join(parts, "; ")
}

// table writes a Markdown table under a heading, at most MaxRows rows,
// with a line counting the rest; nothing when there are no rows.
func table(b *strings.Builder, title string, head []string, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "\n#### %s\n\n| %s |\n|%s\n", title, strings.Join(head, " | "), strings.Repeat(" --- |", len(head)))
	for i, r := range rows {
		if i == MaxRows {
			fmt.Fprintf(b, "\n… and %d more: `decompose diff --format json` lists every one.\n", len(rows)-MaxRows)
			break
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(r, " | "))
	}
}

// shortener drops the module path from packages and declaration IDs of
// the module: example.com/shop/checkout.Service.Place is
// checkout.Service.Place. Anything else is left as it is.
func shortener(module string) func(string) string {
	return func(s string) string {
		if module != "" {
			if rest, ok := strings.CutPrefix(s, module+"/"); ok && rest != "" {
				return rest
			}
		}
		return s
	}
}
