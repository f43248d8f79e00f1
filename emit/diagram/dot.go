package diagram

import (
	"fmt"
	"math"
	"strings"
)

// fontName is the font every diagram is laid out with, and fontFamily
// the list of fonts its SVG asks for, beginning with it.
//
// Graphviz, as go-graphviz runs it, has no fonts: it sizes text with
// tables of character widths built in for a few fonts, DejaVu Sans among
// them. DejaVu Sans is the widest of the common sans fonts (some 15%
// wider than Helvetica) and the one a stock Debian draws with when a
// font is missing: the layout takes its widths and the SVG asks for it
// first, so the text fits its boxes as drawn. Where it is missing,
// Helvetica or Arial draws lower-case letters, digits and most capitals
// narrower; a name in capitals can come out a few points wider, which
// the margins inside the boxes (8pt) take up. Graphviz counts a
// character outside ASCII as a space per byte of its UTF-8: more than
// DejaVu Sans draws ⚠, · and ▶, and short of its … by a twentieth of
// the font size, again within the margins.
const (
	fontName   = "DejaVu Sans"
	fontFamily = "DejaVu Sans,Helvetica,Arial,sans-serif"
)

// dotWriter writes one DOT digraph, indented.
type dotWriter struct {
	b      strings.Builder
	indent string
}

func newDot(name string) *dotWriter {
	w := &dotWriter{indent: "  "}
	fmt.Fprintf(&w.b, "digraph %s {\n", quote(name))
	return w
}

func (w *dotWriter) line(format string, args ...any) {
	w.b.WriteString(w.indent)
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

func (w *dotWriter) open(format string, args ...any) {
	w.line(format, args...)
	w.indent += "  "
}

func (w *dotWriter) close() {
	w.indent = w.indent[:len(w.indent)-2]
	w.line("}")
}

// note adds the node that says what was left out: a headline, then a
// line per detail.
func (w *dotWriter) note(headline string, details []string) {
	var b strings.Builder
	fmt.Fprintf(&b, "<b>%s</b>", html(headline))
	for _, d := range details {
		fmt.Fprintf(&b, `<br align="left"/>· %s`, html(d))
	}
	b.WriteString(`<br align="left"/>`)
	w.line(`"note" [id="note", shape=note, style=filled, fillcolor="#fff8dc", color="#b7950b", fontname="`+fontName+`", fontsize=10, label=<%s>];`, b.String())
}

func (w *dotWriter) bytes() []byte {
	w.b.WriteString("}\n")
	return []byte(w.b.String())
}

// quote makes a DOT string literal.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// html escapes text for a DOT HTML-like label.
func html(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// penwidth grows an edge's pen with the logarithm of its weight, from 1
// for a single site to 7.
func penwidth(w int) float64 {
	if w < 1 {
		w = 1
	}
	return math.Min(7, math.Round((1+0.8*math.Log(float64(w)))*10)/10)
}

// nodeID and edgeID name the context map's SVG elements, for pages that
// link to them.
func nodeID(name string) string     { return "context-" + name }
func edgeID(from, to string) string { return "calls-" + from + "-to-" + to }
