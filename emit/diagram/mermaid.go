package diagram

import (
	"fmt"
	"sort"
	"strings"

	"decompose/analysis/model"
	"decompose/emit/english"
)

// mermaidWriter writes a Mermaid flowchart: identifiers made of letters,
// digits and underscores (never a keyword, never clashing), labels
// quoted and escaped, and edge styles gathered into linkStyle lines.
type mermaidWriter struct {
	b      strings.Builder
	ids    map[string]string // key → identifier
	taken  map[string]bool
	edges  int
	styles map[string][]int // linkStyle → edge numbers
	class  map[string][]string
}

func newMermaid() *mermaidWriter {
	w := &mermaidWriter{ids: map[string]string{}, taken: map[string]bool{}, styles: map[string][]int{}, class: map[string][]string{}}
	w.b.WriteString("flowchart LR\n")
	return w
}

// id gives the identifier of a key, the same each time: a prefix, then
// the key's letters and digits with anything else as "_", numbered when
// two keys would meet.
func (w *mermaidWriter) id(prefix, key string) string {
	if id, ok := w.ids[prefix+"\x00"+key]; ok {
		return id
	}
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte('_')
	for _, r := range key {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	id := b.String()
	for n := 2; w.taken[id]; n++ {
		id = fmt.Sprintf("%s_%d", b.String(), n)
	}
	w.taken[id] = true
	w.ids[prefix+"\x00"+key] = id
	return id
}

// text escapes a label for a quoted Mermaid string; lines are joined
// with <br/>.
func mermaidText(lines ...string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "#", "#35;", "&", "#amp;")
	for i, l := range lines {
		lines[i] = r.Replace(l)
	}
	return `"` + strings.Join(lines, "<br/>") + `"`
}

func (w *mermaidWriter) line(indent int, format string, args ...any) {
	w.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

// edge writes an edge with an optional label and style.
func (w *mermaidWriter) edge(from, to, arrow, label, style string) {
	if label != "" {
		w.line(1, "%s %s|%s| %s", from, arrow, mermaidText(label), to)
	} else {
		w.line(1, "%s %s %s", from, arrow, to)
	}
	if style != "" {
		w.styles[style] = append(w.styles[style], w.edges)
	}
	w.edges++
}

// bytes ends the chart with the class definitions, class assignments
// and link styles, in a fixed order.
func (w *mermaidWriter) bytes() []byte {
	defs := []struct{ name, def string }{
		{"context", "fill:#f5f7fa,stroke:#4a5568,color:#1a202c"},
		{"blocked", "fill:#fdf2f2,stroke:#c0392b,stroke-width:3px,color:#1a202c"},
		{"kernel", "fill:#ececec,stroke:#a0aec0,color:#1a202c"},
		{"pkg", "fill:#ffffff,stroke:#4a5568,color:#1a202c"},
		{"dir", "fill:#ffffff,stroke:#4a5568,stroke-dasharray:4 3,color:#1a202c"},
		{"note", "fill:#fff8dc,stroke:#b7950b,color:#1a202c"},
	}
	for _, d := range defs {
		if ids := w.class[d.name]; len(ids) > 0 {
			w.line(1, "classDef %s %s", d.name, d.def)
			w.line(1, "class %s %s", strings.Join(ids, ","), d.name)
		}
	}
	var styles []string
	for s := range w.styles {
		styles = append(styles, s)
	}
	sort.Strings(styles)
	for _, s := range styles {
		nums := make([]string, len(w.styles[s]))
		for i, n := range w.styles[s] {
			nums[i] = fmt.Sprint(n)
		}
		w.line(1, "linkStyle %s %s", strings.Join(nums, ","), s)
	}
	return []byte(w.b.String())
}

// note writes the node saying what was left out.
func (w *mermaidWriter) note(headline string, details []string) {
	lines := append([]string{headline}, details...)
	w.line(1, "left_out[%s]", mermaidText(lines...))
	w.class["note"] = append(w.class["note"], "left_out")
}

// mermaidWidth is an edge's stroke width in pixels, from 1 to 5.
func mermaidWidth(weight int) string {
	return fmt.Sprintf("stroke-width:%.1fpx", 1+(penwidth(weight)-1)*4/6)
}

// ContextMapMermaid draws the context map as a Mermaid flowchart, for
// Markdown: the same nodes and edges as ContextMapDOT (synchronous calls
// solid, asynchronous ones dashed, the kernel's grey), capped by the
// Mermaid defaults. It is the chart's text, without the ``` fence.
func ContextMapMermaid(in Input, o Options) []byte {
	return NewDrawer(in).ContextMapMermaid(o)
}

// ContextMapMermaid is the package-level ContextMapMermaid.
func (d *Drawer) ContextMapMermaid(o Options) []byte {
	o = o.mermaid()
	cm := buildContextMap(d.x, o)
	w := newMermaid()
	for _, n := range cm.nodes {
		lines := []string{n.title(), n.sizeText(), entryText(n.entries)}
		if n.blockers > 0 {
			lines = append(lines, "⚠ "+english.Plural(n.blockers, "blocker"))
		}
		id := w.id("c", n.name)
		switch {
		case n.kernel:
			w.line(1, "%s[[%s]]", id, mermaidText(lines...))
			w.class["kernel"] = append(w.class["kernel"], id)
		case n.blockers > 0:
			w.line(1, "%s[%s]", id, mermaidText(lines...))
			w.class["blocked"] = append(w.class["blocked"], id)
		default:
			w.line(1, "%s[%s]", id, mermaidText(lines...))
			w.class["context"] = append(w.class["context"], id)
		}
	}
	for _, l := range cm.links {
		from, to, arrow, color := l.from, l.to, "-->", "#2d3748"
		switch {
		case l.kernel() && l.dir() == "both":
			arrow, color = "<-.->", "#a0aec0"
		case l.kernel() && l.dir() == "back":
			from, to, arrow, color = l.to, l.from, "-.->", "#a0aec0"
		case l.kernel():
			arrow, color = "-.->", "#a0aec0"
		case l.breaks:
			color = "#c0392b"
		case l.asyncLink():
			arrow = "-.->"
		}
		w.edge(w.id("c", from), w.id("c", to), arrow, l.text(), fmt.Sprintf("stroke:%s,%s", color, mermaidWidth(l.calls+l.back)))
	}
	if cm.leftNodes > 0 || cm.leftLinks > 0 {
		w.note(notDrawn(cm.leftNodes, "context", cm.leftLinks), nil)
	}
	return w.bytes()
}

// PackageGraphMermaid draws the package graph as a Mermaid flowchart:
// a subgraph per context and one for the shared kernel, each holding its
// packages, collapsed and capped like PackageGraphDOT but by the Mermaid
// defaults. It is the chart's text, without the ``` fence.
func PackageGraphMermaid(in Input, o Options) []byte {
	return NewDrawer(in).PackageGraphMermaid(o)
}

// PackageGraphMermaid is the package-level PackageGraphMermaid.
func (d *Drawer) PackageGraphMermaid(o Options) []byte {
	o = o.mermaid()
	x := d.x
	units, links := x.packageGraph()
	f := fit(units, links, x.groups(), o.MaxNodes, o.MaxEdges, true)
	w := newMermaid()
	ids := make([]string, len(f.nodes))
	for _, g := range x.groups() {
		first := true
		for i, n := range f.nodes {
			if n.group != g {
				continue
			}
			if first {
				title := placeTitle(g)
				if b := x.in.Blockers[g]; b > 0 {
					title += " ⚠ " + english.Plural(b, "blocker")
				}
				w.line(1, "subgraph %s[%s]", w.id("g", g), mermaidText(title))
				first = false
			}
			key := n.key
			if key == "" {
				key = x.pkgLabel(units[n.units[0]].pkg)
			}
			ids[i] = w.id("p", g+"_"+key)
			name, detail := x.nodeLabel(units, n)
			if detail != "" {
				w.line(2, "%s[%s]", ids[i], mermaidText(name, detail))
				w.class["dir"] = append(w.class["dir"], ids[i])
			} else {
				w.line(2, "%s[%s]", ids[i], mermaidText(name))
				w.class["pkg"] = append(w.class["pkg"], ids[i])
			}
		}
		if !first {
			w.line(1, "end")
			style := "fill:#f5f7fa,stroke:#4a5568"
			switch {
			case x.in.Blockers[g] > 0 && g == model.Kernel:
				style = "fill:#ececec,stroke:#c0392b,stroke-width:2px"
			case x.in.Blockers[g] > 0:
				style = "fill:#f5f7fa,stroke:#c0392b,stroke-width:2px"
			case g == model.Kernel:
				style = "fill:#ececec,stroke:#a0aec0"
			}
			w.line(1, "style %s %s", w.id("g", g), style)
		}
	}
	for _, l := range f.links {
		a, b := f.nodes[l.from], f.nodes[l.to]
		if l.clusters {
			from, to, arrow := w.id("g", a.group), w.id("g", b.group), "<-.->"
			switch l.dir() {
			case "forward":
				arrow = "-.->"
			case "back":
				from, to, arrow = to, from, "-.->"
			}
			w.edge(from, to, arrow, "", fmt.Sprintf("stroke:#a0aec0,%s", mermaidWidth(l.total())))
			continue
		}
		arrow, label, color := "-->", "", "#4a5568"
		switch styleOf(a.group, b.group) {
		case remote:
			color = "#c0392b"
			if l.calls > 0 {
				label = fmt.Sprint(l.calls)
			}
			if l.calls > 0 && l.async == l.calls {
				arrow = "-.->"
			}
		case inKernel:
			arrow, color = "-.->", "#a0aec0"
		}
		w.edge(ids[l.from], ids[l.to], arrow, label, fmt.Sprintf("stroke:%s,%s", color, mermaidWidth(l.weight)))
	}
	if head, details := f.leftOut("package"); head != "" {
		w.note(head, details)
	}
	return w.bytes()
}
