package diagram

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"decompose/analysis/model"
)

// dejaVuASCII holds the advance widths of the printable ASCII characters
// (from the space to the tilde) in DejaVu Sans 2.37, regular and bold, in
// 1/2048 of the font size, as read from DejaVuSans.ttf and
// DejaVuSans-Bold.ttf (fonts-dejavu-core); dejaVuMarks those of the other
// characters the diagrams draw.
var dejaVuASCII = [2][95]int{{
	651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
	1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087,
	2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612,
	1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024,
	1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253,
	1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
}, {
	713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748,
	1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716, 1188,
	2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038, 1714, 1741,
	1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748, 936, 1716, 1024,
	1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362, 702, 2134, 1458, 1407,
	1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192, 1458, 748, 1458, 1716,
}}

var dejaVuMarks = map[rune][2]int{
	'⚠': {1836, 1836},
	'·': {651, 778},
	'…': {2048, 2048},
	'▶': {1575, 1575},
}

// dejaVuWidth is how wide DejaVu Sans draws s at size points, kerning
// aside.
func dejaVuWidth(s string, size float64, bold bool) (float64, error) {
	b := 0
	if bold {
		b = 1
	}
	units := 0
	for _, r := range s {
		switch w, ok := dejaVuMarks[r]; {
		case r >= ' ' && r <= '~':
			units += dejaVuASCII[b][r-' ']
		case ok:
			units += w[b]
		default:
			return 0, fmt.Errorf("no DejaVu Sans width for %q in %q", r, s)
		}
	}
	return float64(units) / 2048 * size, nil
}

// svgText is a line of text in an SVG drawing, where DejaVu Sans draws
// it.
type svgText struct {
	s           string
	left, right float64
	y           string
}

// svgBox is a node, a cluster or the whole graph of an SVG drawing: the
// bounds of its outline and its text.
type svgBox struct {
	class      string
	minX, maxX float64
	texts      []svgText
}

var svgNumber = regexp.MustCompile(`-?[0-9]*\.?[0-9]+`)

// svgBoxes reads the nodes, clusters and graph of a graphviz SVG
// drawing, measuring its text with DejaVu Sans.
func svgBoxes(svg []byte) ([]*svgBox, error) {
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = false
	var boxes []*svgBox
	var stack []*svgBox // the box each open element belongs to
	var text *xml.StartElement
	var chars strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return boxes, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[a.Name.Local] = a.Value
			}
			var cur *svgBox
			if len(stack) > 0 {
				cur = stack[len(stack)-1]
			}
			switch c := attr["class"]; {
			case tok.Name.Local == "g" && (c == "graph" || c == "node" || c == "cluster"):
				cur = &svgBox{class: c, minX: math.Inf(1), maxX: math.Inf(-1)}
				boxes = append(boxes, cur)
			case tok.Name.Local == "g" && c == "edge":
				cur = nil
			}
			stack = append(stack, cur)
			if cur == nil {
				continue
			}
			var coords string
			switch tok.Name.Local {
			case "path":
				coords = attr["d"]
			case "polygon", "polyline":
				coords = attr["points"]
			case "ellipse":
				cx, _ := strconv.ParseFloat(attr["cx"], 64)
				rx, _ := strconv.ParseFloat(attr["rx"], 64)
				cur.minX, cur.maxX = min(cur.minX, cx-rx), max(cur.maxX, cx+rx)
			case "text":
				t := tok.Copy()
				text = &t
				chars.Reset()
			}
			// graphviz writes absolute coordinates, x then y
			for i, n := range svgNumber.FindAllString(coords, -1) {
				if i%2 == 0 {
					x, _ := strconv.ParseFloat(n, 64)
					cur.minX, cur.maxX = min(cur.minX, x), max(cur.maxX, x)
				}
			}
		case xml.CharData:
			if text != nil {
				chars.Write(tok)
			}
		case xml.EndElement:
			cur := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if tok.Name.Local != "text" || text == nil || cur == nil {
				continue
			}
			attr := map[string]string{}
			for _, a := range text.Attr {
				attr[a.Name.Local] = a.Value
			}
			text = nil
			x, _ := strconv.ParseFloat(attr["x"], 64)
			size, _ := strconv.ParseFloat(attr["font-size"], 64)
			w, err := dejaVuWidth(chars.String(), size, attr["font-weight"] == "bold")
			if err != nil {
				return nil, err
			}
			t := svgText{s: chars.String(), left: x, right: x + w, y: attr["y"]}
			switch attr["text-anchor"] {
			case "middle":
				t.left, t.right = x-w/2, x+w/2
			case "end":
				t.left, t.right = x-w, x
			}
			cur.texts = append(cur.texts, t)
		}
	}
}

// clearance is the least room, in points, between a line of text and its
// box's outline: graphviz leaves about 8.
const clearance = 4

// textOverflows lists the text of an SVG drawing that DejaVu Sans draws
// closer than clearance to its box's outline, or past it, or over the
// text beside it, with by how much.
func textOverflows(svg []byte) ([]string, error) {
	boxes, err := svgBoxes(svg)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, b := range boxes {
		for _, t := range b.texts {
			if over := max(b.minX-t.left, t.right-b.maxX) + clearance; over > 0 {
				out = append(out, fmt.Sprintf("%s %q is %.1fpt too wide for its box", b.class, t.s, over))
			}
		}
		// spans on one line, such as a cluster's title and its blockers
		lines := map[string][]svgText{}
		for _, t := range b.texts {
			lines[t.y] = append(lines[t.y], t)
		}
		for _, ts := range lines {
			sort.Slice(ts, func(i, j int) bool { return ts[i].left < ts[j].left })
			for i := 1; i < len(ts); i++ {
				if over := ts[i-1].right - ts[i].left; over > 0.01 {
					out = append(out, fmt.Sprintf("%s %q runs into %q by %.1fpt", b.class, ts[i-1].s, ts[i].s, over))
				}
			}
		}
	}
	return out, nil
}

// wideFixture is the fixture with labels DejaVu Sans draws wide: capitals,
// blockers in every place, long routes.
func wideFixture() Input {
	in := fixture()
	for i := range in.Model.Decls {
		d := &in.Model.Decls[i]
		d.Name = "WJ" + strings.ToUpper(d.Name) + "MW"
		if d.Recv != "" {
			d.Recv = "YP" + strings.ToUpper(d.Recv)
		}
	}
	for i := range in.Model.EntryPoints {
		if ep := &in.Model.EntryPoints[i]; ep.Route != "" {
			ep.Route = "/WWW/MMM/{ID}" + ep.Route + "/…"
		}
	}
	in.Blockers = map[string]int{"orders": 12, "shipping": 100, "catalog": 1, model.Kernel: 7}
	return in
}

// TestTextFits: where DejaVu Sans draws the text, the widest of the
// common sans fonts and the one a stock Debian has, every label stays
// inside its node or cluster, cluster titles stay clear of their
// blockers, and legends inside the picture. DIAGRAM_SVG, a glob, checks
// those SVG files instead.
func TestTextFits(t *testing.T) {
	svgs := map[string][]byte{}
	if glob := os.Getenv("DIAGRAM_SVG"); glob != "" {
		files, _ := filepath.Glob(glob)
		if len(files) == 0 {
			t.Fatalf("no SVG files match %s", glob)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			svgs[f] = data
		}
	} else {
		ctx := context.Background()
		for name, in := range map[string]Input{"fixture": fixture(), "wide": wideFixture(), "large": large(10, 5, 5, 8)} {
			dots := map[string][]byte{
				"contexts": ContextMapDOT(in, Options{}),
				"packages": PackageGraphDOT(in, Options{}),
			}
			for _, c := range in.Decomposition.Contexts[:min(3, len(in.Decomposition.Contexts))] {
				dots["inside-"+c.Name], _ = InsideDOT(in, c.Name, Options{})
			}
			dots["inside-kernel"], _ = InsideDOT(in, model.Kernel, Options{})
			for what, dot := range dots {
				svg, err := SVG(ctx, dot)
				if err != nil {
					t.Fatal(err)
				}
				svgs[name+" "+what] = svg
			}
		}
	}
	for name, svg := range svgs {
		out, err := textOverflows(svg)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, o := range out {
			t.Errorf("%s: %s", name, o)
		}
	}
}

// TestFontFamily: the SVG asks first for the font the layout measured,
// then for narrower ones, and names no other.
func TestFontFamily(t *testing.T) {
	svg, err := SVG(context.Background(), PackageGraphDOT(fixture(), Options{}))
	if err != nil {
		t.Fatal(err)
	}
	families := map[string]int{}
	for _, m := range regexp.MustCompile(`font-family="([^"]*)"`).FindAllSubmatch(svg, -1) {
		families[string(m[1])]++
	}
	if len(families) != 1 || families[fontFamily] == 0 || !strings.HasPrefix(fontFamily, fontName+",") {
		t.Errorf("font families %v, want only %q", families, fontFamily)
	}
}
