package scaffold

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strconv"
	"strings"
)

// gofile assembles one Go source file: a package clause with its doc, the
// imports the body asked for, and the body; gofmt-formatted.
type gofile struct {
	pkg     string
	doc     string
	imports map[string]string // path → name ("" for the default)
	body    bytes.Buffer
}

func newGoFile(pkg, doc string) *gofile {
	return &gofile{pkg: pkg, doc: doc, imports: map[string]string{}}
}

// use imports path (under name, when not "") and returns the name to
// write it by.
func (g *gofile) use(path string, name ...string) string {
	n := ""
	if len(name) > 0 {
		n = name[0]
	}
	g.imports[path] = n
	if n != "" {
		return n
	}
	return path[strings.LastIndex(path, "/")+1:]
}

// p writes a formatted line (format and args as for fmt.Fprintf).
func (g *gofile) p(format string, args ...any) {
	fmt.Fprintf(&g.body, format, args...)
	g.body.WriteByte('\n')
}

// comment writes text as a // comment, wrapped, indented by tabs.
func (g *gofile) comment(tabs int, text string) {
	g.body.WriteString(comment(tabs, text))
}

// comment renders text as // lines of at most about 80 columns. Paragraphs
// are separated by blank lines; lines starting with "  - " or a tab are
// kept as they are.
func comment(tabs int, text string) string {
	indent := strings.Repeat("\t", tabs)
	var b strings.Builder
	width := 77 - 4*tabs
	if width < 40 {
		width = 40
	}
	paras := strings.Split(strings.TrimSpace(text), "\n\n")
	for i, para := range paras {
		if i > 0 {
			b.WriteString(indent + "//\n")
		}
		for _, line := range strings.Split(para, "\n") {
			if strings.HasPrefix(line, "\t") {
				b.WriteString(indent + "//" + line + "\n")
				continue
			}
			prefix, cont := "", ""
			if strings.HasPrefix(line, "  - ") {
				prefix, cont = "  - ", "    "
				line = line[4:]
			}
			cur, n := prefix, 0
			for _, w := range strings.Fields(line) {
				if n > 0 && len(cur)+1+len(w) > width {
					b.WriteString(strings.TrimRight(indent+"// "+cur, " ") + "\n")
					cur, n = cont, 0
				}
				if n > 0 {
					cur += " "
				}
				cur += w
				n++
			}
			b.WriteString(strings.TrimRight(indent+"// "+cur, " ") + "\n")
		}
	}
	return b.String()
}

// bytes returns the file's formatted source.
func (g *gofile) bytes() ([]byte, error) {
	var out bytes.Buffer
	if g.doc != "" {
		out.WriteString(comment(0, g.doc))
	}
	fmt.Fprintf(&out, "package %s\n\n", g.pkg)
	var groups [3][]string // standard library, others, this module
	for path, name := range g.imports {
		spec := strconv.Quote(path)
		if name != "" {
			spec = name + " " + spec
		}
		switch {
		case !strings.Contains(strings.SplitN(path, "/", 2)[0], "."):
			groups[0] = append(groups[0], spec)
		case strings.HasPrefix(path, "github.com/aws/"):
			groups[1] = append(groups[1], spec)
		default:
			groups[2] = append(groups[2], spec)
		}
	}
	if len(g.imports) > 0 {
		out.WriteString("import (\n")
		first := true
		for _, grp := range groups {
			if len(grp) == 0 {
				continue
			}
			sort.Strings(grp)
			if !first {
				out.WriteString("\n")
			}
			first = false
			for _, s := range grp {
				out.WriteString("\t" + s + "\n")
			}
		}
		out.WriteString(")\n\n")
	}
	out.Write(g.body.Bytes())
	src, err := format.Source(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated Go does not parse: %v\n%s", err, numbered(out.Bytes()))
	}
	return src, nil
}

func numbered(src []byte) string {
	var b strings.Builder
	for i, l := range strings.Split(string(src), "\n") {
		fmt.Fprintf(&b, "%4d %s\n", i+1, l)
	}
	return b.String()
}

// quote is a Go string literal.
func quote(s string) string { return strconv.Quote(s) }
