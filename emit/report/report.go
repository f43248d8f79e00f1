// Package report renders a plan as report.html: one self-contained page
// (inline CSS, a little vanilla JavaScript, the SVG diagrams inline, no
// network fetch of any kind) with the contexts at a glance, the context
// map, the dependency cycles between contexts, the migration steps, the
// findings, data ownership, the cost sketch and the metrics. A click on a
// context, in the table or on its node in a diagram, shows its packages,
// findings and the explanation of every placement. Without JavaScript the
// context links still work, through the :target selector.
//
// Everything is escaped by html/template; the diagrams are inlined only
// when they hold no script, no foreign object and no link out of the page.
package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"

	"decompose/emit/english"
	"decompose/emit/plan"
)

// Caps on what the page lists; plan.yaml has everything.
const (
	MaxStepCalls     = 100 // calls that become remote, per step
	MaxExplanations  = 150 // placements explained, per context
	MaxInfoFindings  = 300 // informational findings
	MaxContextEntry  = 60  // entry points, per context
	MaxTables        = 200
	MaxTableContexts = 20
	MaxCycles        = 50 // dependency cycles
	MaxCycleEdges    = 30 // calls between the contexts of a cycle, per cycle
	MaxCycleBreaks   = 20 // edges to break, per cycle
	MaxBreakCallees  = 5  // callees named, per edge to break
)

// Diagrams are the SVG drawings to inline: the context map, the package
// graph, and each context's inside view by context name. Any may be
// missing.
type Diagrams struct {
	ContextMap []byte
	Packages   []byte
	Contexts   map[string][]byte
}

//go:embed report.html.tmpl
var pageTemplate string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"fileLine": plan.FileLine,
	"short":    plan.ShortName,
	"thousands": func(n any) string {
		switch x := n.(type) {
		case int:
			return plan.Thousands(int64(x))
		case int64:
			return plan.Thousands(x)
		}
		return fmt.Sprint(n)
	},
	"money": func(x float64) string { return fmt.Sprintf("%.2f", x) },
	"num":   num,
	"secs":  func(ns int64) float64 { return math.Round(float64(ns)/1e6) / 1e3 },
	"ratio": func(a, b int64) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	},
	"times": func(a, b float64) float64 { return math.Round(a/b*100) / 100 },
	"observedCost": func(cs []plan.ContextCost) bool {
		for _, c := range cs {
			if c.Observed {
				return true
			}
		}
		return false
	},
	"pct":      func(x float64) string { return fmt.Sprintf("%.0f%%", x*100) },
	"f2":       func(x float64) string { return fmt.Sprintf("%.2f", x) },
	"f3":       func(x float64) string { return fmt.Sprintf("%.3f", x) },
	"plural":   english.Plural,
	"entry":    plan.EntryPoint.Label,
	"contract": contractLabel,
	"join":     strings.Join,
}).Parse(pageTemplate))

// Render returns report.html for p.
func Render(p *plan.Plan, d Diagrams) ([]byte, error) {
	v := view(p, d)
	var b bytes.Buffer
	if err := page.Execute(&b, v); err != nil {
		return nil, fmt.Errorf("report: %v", err)
	}
	return b.Bytes(), nil
}

// pageView is what the template reads.
type pageView struct {
	P          *plan.Plan
	Blockers   int
	Warnings   int
	Rows       []ctxRow
	Cycles     []cycleView
	CyclesLeft int
	Steps      []stepView
	Findings   []plan.Finding // blockers and warnings
	Info       []plan.Finding
	InfoLeft   int
	Tables     []tableRow
	TableCtxs  []string
	TablesLeft int
	ColsLeft   int
	ContextMap template.HTML
	Packages   template.HTML
	Omitted    []string // diagrams left out, and why
}

type ctxRow struct {
	C            plan.Context
	S            plan.ContextSummary
	HasSummary   bool
	Findings     []plan.Finding
	Entries      []plan.EntryPoint
	EntriesLeft  int
	Explain      []plan.Unit
	ExplainLeft  int
	Inside       template.HTML
	RuntimeClass string
	EntryLabel   string
}

type stepView struct {
	S         plan.Step
	Headline  string
	Pairs     string
	Calls     []plan.RemoteCall
	CallsLeft int
	Sites     int
	Events    int
}

type cycleView struct {
	C          plan.Cycle
	Edges      []plan.CycleEdge // heaviest first
	EdgesLeft  int
	Breaks     []breakView
	BreaksLeft int
}

type breakView struct {
	B           plan.CycleBreak
	Callees     []string
	CalleesLeft int
}

type tableRow struct {
	T     plan.TableOwnership
	Marks []string
}

func view(p *plan.Plan, d Diagrams) *pageView {
	v := &pageView{P: p}
	summary := map[string]plan.ContextSummary{}
	for _, s := range p.Summary {
		summary[s.Context] = s
	}
	byCtx := map[string][]plan.Finding{}
	for _, f := range p.Findings {
		switch f.Severity {
		case "blocker":
			v.Blockers++
		case "warning":
			v.Warnings++
		}
		if f.Severity == "blocker" || f.Severity == "warning" {
			v.Findings = append(v.Findings, f)
			for _, c := range f.Contexts {
				byCtx[c] = append(byCtx[c], f)
			}
		} else if len(v.Info) < MaxInfoFindings {
			v.Info = append(v.Info, f)
		} else {
			v.InfoLeft++
		}
	}
	for _, c := range p.Contexts {
		s, ok := summary[c.Name]
		row := ctxRow{C: c, S: s, HasSummary: ok, Findings: byCtx[c.Name], RuntimeClass: "rt-" + s.Runtime.Target, EntryLabel: entryCounts(s.EntryPoints)}
		row.Entries = c.EntryPoints
		if len(row.Entries) > MaxContextEntry {
			row.EntriesLeft = len(row.Entries) - MaxContextEntry
			row.Entries = row.Entries[:MaxContextEntry]
		}
		row.Explain = c.Explanation
		if len(row.Explain) > MaxExplanations {
			row.ExplainLeft = len(row.Explain) - MaxExplanations
			row.Explain = row.Explain[:MaxExplanations]
		}
		if svg := d.Contexts[c.Name]; len(svg) > 0 {
			h, why := inlineSVG(svg)
			row.Inside = h
			if why != "" {
				v.Omitted = append(v.Omitted, fmt.Sprintf("inside view of %s: %s", c.Name, why))
			}
		}
		v.Rows = append(v.Rows, row)
	}
	for i, c := range p.Cycles {
		if i == MaxCycles {
			v.CyclesLeft = len(p.Cycles) - MaxCycles
			break
		}
		cv := cycleView{C: c, Edges: append([]plan.CycleEdge(nil), c.Edges...)}
		sort.SliceStable(cv.Edges, func(i, j int) bool { return cv.Edges[i].Sites > cv.Edges[j].Sites })
		if len(cv.Edges) > MaxCycleEdges {
			cv.EdgesLeft = len(cv.Edges) - MaxCycleEdges
			cv.Edges = cv.Edges[:MaxCycleEdges]
		}
		for j, b := range c.Break {
			if j == MaxCycleBreaks {
				cv.BreaksLeft = len(c.Break) - MaxCycleBreaks
				break
			}
			bv := breakView{B: b, Callees: b.Callees}
			if len(bv.Callees) > MaxBreakCallees {
				bv.CalleesLeft = len(bv.Callees) - MaxBreakCallees
				bv.Callees = bv.Callees[:MaxBreakCallees]
			}
			cv.Breaks = append(cv.Breaks, bv)
		}
		v.Cycles = append(v.Cycles, cv)
	}
	for _, s := range p.Steps {
		sv := stepView{S: s, Calls: s.RemoteCalls}
		pairs := map[string][2]int{}
		for _, c := range s.RemoteCalls {
			k := c.From + " → " + c.To
			pairs[k] = [2]int{pairs[k][0] + 1, pairs[k][1] + c.Sites}
			sv.Sites += c.Sites
			if c.Contract == plan.ContractEvent {
				sv.Events++
			}
		}
		sv.Pairs = pairSummary(pairs)
		calls := "no call becomes remote"
		if n := len(s.RemoteCalls); n > 0 {
			calls = english.Plural(n, "call") + " " + english.Agree(n, "becomes", "become") + " remote"
		}
		sv.Headline = fmt.Sprintf("%s · %s to externalise · %s", calls, english.Plural(len(s.Externalise), "finding"), english.Plural(len(s.Tables), "table"))
		if len(sv.Calls) > MaxStepCalls {
			calls := append([]plan.RemoteCall(nil), sv.Calls...)
			sort.SliceStable(calls, func(i, j int) bool { return calls[i].Sites > calls[j].Sites })
			sv.CallsLeft = len(calls) - MaxStepCalls
			sv.Calls = calls[:MaxStepCalls]
		}
		v.Steps = append(v.Steps, sv)
	}
	ctxSet := map[string]bool{}
	for _, t := range p.DataOwnership {
		for c := range t.Access {
			ctxSet[c] = true
		}
	}
	for c := range ctxSet {
		v.TableCtxs = append(v.TableCtxs, c)
	}
	sort.Strings(v.TableCtxs)
	if len(v.TableCtxs) > MaxTableContexts {
		v.ColsLeft = len(v.TableCtxs) - MaxTableContexts
		v.TableCtxs = v.TableCtxs[:MaxTableContexts]
	}
	for i, t := range p.DataOwnership {
		if i == MaxTables {
			v.TablesLeft = len(p.DataOwnership) - MaxTables
			break
		}
		row := tableRow{T: t}
		for _, c := range v.TableCtxs {
			row.Marks = append(row.Marks, t.Access[c])
		}
		v.Tables = append(v.Tables, row)
	}
	var why string
	if len(d.ContextMap) > 0 {
		v.ContextMap, why = inlineSVG(d.ContextMap)
		if why != "" {
			v.Omitted = append(v.Omitted, "context map: "+why)
		}
	}
	if len(d.Packages) > 0 {
		v.Packages, why = inlineSVG(d.Packages)
		if why != "" {
			v.Omitted = append(v.Omitted, "package graph: "+why)
		}
	}
	return v
}

// inlineSVG returns an SVG document as markup to place in the page: from
// its <svg> element on, without comments and namespace declarations (not
// needed inline in HTML, and they look like addresses to a reader checking
// that nothing is fetched). A drawing that could run code or fetch
// anything is left out, with the reason.
func inlineSVG(svg []byte) (template.HTML, string) {
	s := string(svg)
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", "not an SVG drawing"
	}
	s = stripXMLNS(stripComments(s[i:]))
	if unsafeSVG(s) {
		return "", "left out: it holds a script, a foreign object or a link out of the page"
	}
	return template.HTML(strings.TrimSpace(s)), ""
}

// unsafeSVG tells a drawing that holds scripts, event handlers, foreign
// content, or references out of the page (href, src or url() to anything
// but an anchor in the page; @import).
func unsafeSVG(s string) bool {
	l := strings.ToLower(s)
	for _, bad := range []string{"<script", "<foreignobject", "<iframe", "<object", "<embed", "<image", "<use", "javascript:", "@import"} {
		if strings.Contains(l, bad) {
			return true
		}
	}
	for _, attr := range []string{"href", "src"} {
		for i := 0; ; {
			j := strings.Index(l[i:], attr)
			if j < 0 {
				break
			}
			i += j + len(attr)
			k := skipSpace(l, i)
			if k < len(l) && l[k] == '=' {
				if v := skipQuote(l, skipSpace(l, k+1)); v < len(l) && l[v] != '#' {
					return true
				}
			}
		}
	}
	for i := 0; ; {
		j := strings.Index(l[i:], "url(")
		if j < 0 {
			break
		}
		i += j + len("url(")
		if v := skipQuote(l, skipSpace(l, i)); v < len(l) && l[v] != '#' {
			return true
		}
	}
	// event handler attributes: on…= after a space, inside a tag
	for i := 0; ; {
		j := strings.Index(l[i:], " on")
		if j < 0 {
			break
		}
		i += j + len(" on")
		k := i
		for k < len(l) && l[k] >= 'a' && l[k] <= 'z' {
			k++
		}
		if k > i {
			// an attribute: inside a tag, not in text
			inTag := strings.LastIndexByte(l[:i], '<') > strings.LastIndexByte(l[:i], '>')
			if e := skipSpace(l, k); inTag && e < len(l) && l[e] == '=' {
				return true
			}
		}
	}
	return false
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

func skipQuote(s string, i int) int {
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		return skipSpace(s, i+1)
	}
	return i
}

// stripComments removes <!-- … --> comments.
func stripComments(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i:], "-->")
		if j < 0 {
			return b.String()
		}
		s = s[i+j+len("-->"):]
	}
}

// stripXMLNS removes xmlns and xmlns:prefix attributes.
func stripXMLNS(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, " xmlns")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		rest := s[i+len(" xmlns"):]
		k := 0
		if k < len(rest) && rest[k] == ':' {
			k++
			for k < len(rest) && (rest[k] >= 'a' && rest[k] <= 'z' || rest[k] >= 'A' && rest[k] <= 'Z') {
				k++
			}
		}
		if !strings.HasPrefix(rest[k:], `="`) {
			b.WriteString(s[:i+len(" xmlns")])
			s = rest
			continue
		}
		end := strings.IndexByte(rest[k+2:], '"')
		if end < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = rest[k+2+end+1:]
	}
}

// pairSummary spells the calls by pair of contexts, heaviest first.
func pairSummary(pairs map[string][2]int) string {
	keys := make([]string, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sort.SliceStable(keys, func(i, j int) bool { return pairs[keys[i]][1] > pairs[keys[j]][1] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %s, %s", k, english.Plural(pairs[k][0], "call"), english.Plural(pairs[k][1], "site")))
	}
	return strings.Join(parts, " · ")
}

func entryCounts(e plan.EntryCounts) string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, english.Plural(n, what))
		}
	}
	add(e.Routes, "route")
	add(e.RPC, "gRPC service")
	add(e.Consumers, "consumer")
	add(e.Jobs, "job")
	return strings.Join(parts, ", ")
}

func contractLabel(c string) string {
	if c == plan.ContractEvent {
		return "event"
	}
	return "request/response"
}

func num(x float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.10f", x), "0"), ".")
}
