package scaffold

import (
	"bytes"
	"embed"
	"strings"
	"text/template"

	"decompose/emit/plan"
)

//go:embed readme.md.tmpl template.yaml.tmpl Makefile.tmpl
var templateFiles embed.FS

// templates are the files of a context's module that are mostly text:
// README.md, template.yaml and the Makefile.
var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"code":      code,
	"cell":      cell,
	"join":      strings.Join,
	"codes":     joinCode,
	"orAnon":    orAnon,
	"orUnknown": orUnknown,
	"fileLine":  plan.FileLine,
	"trimDot":   func(s string) string { return strings.TrimSuffix(s, ".") },
	"yq":        yq,
	"screaming": screaming,
}).ParseFS(templateFiles, "*.tmpl"))

// execute renders the template file name with data.
func execute(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
