package check

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/emit/plan"
)

// Accepted is the decomposition a team accepted: a plan.yaml written by
// decompose analyze, possibly edited by hand. Check reads these keys of it:
//
//	contexts[].name, .packages, .members   who owns which code
//	shared_kernel, kernel.members          the shared kernel
//	ignored, ignored_decls                 code left out on purpose
//	contracts[].from, .to, .callee, .style the calls allowed between
//	                                       contexts, sync or async
//	contexts[].metrics.depends_on          the contexts each may use the
//	                                       types and functions of
//	findings                               the baseline of known findings
//	config                                 the clustering settings (drift)
//
// Every other key is read (an unknown key is an error) and ignored.
type Accepted struct {
	// File is the name errors and reports give the plan.
	File string
	// Module is the plan's module path; empty when it has none.
	Module    string
	Contexts  []Context
	Kernel    Owner // Name is model.Kernel
	Contracts []Contract
	// Baseline are the plan's findings.
	Baseline     []plan.Finding
	Ignored      []string
	IgnoredDecls []string
	// Config is the clustering configuration the plan echoes; nil when
	// the plan has none.
	Config *cluster.Config
}

// Context is an accepted context.
type Context struct {
	Owner
	// At is the position of its name in the plan.
	At Pos
	// DependsOn are the contexts whose types and functions it may use
	// (metrics.depends_on); its calls need contracts all the same.
	DependsOn []Entry
}

// Owner is a context or the kernel: the packages it owns wholly (exact
// paths or patterns ending in /...) and the declarations of split
// packages it owns.
type Owner struct {
	Name     string
	Packages []Entry
	Members  []Member
}

// Member is the part of a split package an owner holds.
type Member struct {
	Package Entry
	Decls   []Entry
}

// Entry is a value of the plan with its position there.
type Entry struct {
	Value string
	At    Pos
}

// Pos is a line and column of the plan.
type Pos struct{ Line, Col int }

// Contract is an accepted call between two contexts.
type Contract struct {
	From, To, Caller, Callee, Style string
	At                              Pos
}

// MaxPlanSize caps what is read of a plan: the plans of the largest
// evaluation programs are a few megabytes.
const MaxPlanSize = 64 << 20

// ReadAccepted reads an accepted plan from r; file names it in errors.
func ReadAccepted(file string, r io.Reader) (*Accepted, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPlanSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if len(data) > MaxPlanSize {
		return nil, fmt.Errorf("%s: larger than %d MiB", file, MaxPlanSize>>20)
	}
	return ParseAccepted(file, data)
}

// ParseAccepted parses an accepted plan. Errors name the file and the
// line: a YAML syntax error, an unknown key, a value of the wrong type, a
// context named twice, a package or declaration given two owners, a
// contract naming a context the plan does not have.
func ParseAccepted(file string, data []byte) (*Accepted, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlErr(file, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:1: not a plan: want a mapping with schema: %s", file, plan.Schema)
	}
	root := doc.Content[0]
	schema := value(root, "schema")
	switch {
	case schema == nil:
		return nil, fmt.Errorf("%s:1: not a plan: no schema key (want schema: %s)", file, plan.Schema)
	case schema.Value != plan.Schema:
		return nil, fmt.Errorf("%s:%d:%d: plan schema %q, want %q", file, schema.Line, schema.Column, schema.Value, plan.Schema)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p plan.Plan
	if err := dec.Decode(&p); err != nil {
		return nil, yamlErr(file, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: more than one YAML document (a line ---); only the first would be read", file)
	}

	a := &Accepted{File: file, Module: p.Module, Baseline: p.Findings, Ignored: p.Ignored, IgnoredDecls: p.IgnoredDecls}
	if value(root, "config") != nil {
		cfg := p.Config
		a.Config = &cfg
	}
	ctxNodes := items(value(root, "contexts"))
	seen := map[string]Pos{}
	for i, c := range p.Contexts {
		n := at(ctxNodes, i, root)
		at := posOf(value(n, "name"), n)
		switch {
		case c.Name == "":
			return nil, fmt.Errorf("%s:%d:%d: a context without a name", file, at.Line, at.Col)
		case c.Name == model.Kernel:
			return nil, fmt.Errorf("%s:%d:%d: %s names the shared kernel, not a context: list its packages under shared_kernel", file, at.Line, at.Col, c.Name)
		}
		if first, ok := seen[c.Name]; ok {
			return nil, fmt.Errorf("%s:%d:%d: context %s named twice (first at line %d)", file, at.Line, at.Col, c.Name, first.Line)
		}
		seen[c.Name] = at
		ctx := Context{At: at, Owner: Owner{Name: c.Name}}
		ctx.Packages = entries(c.Packages, value(n, "packages"))
		ctx.Members = memberEntries(c.Members, value(n, "members"))
		ctx.DependsOn = entries(c.Metrics.DependsOn, value(value(n, "metrics"), "depends_on"))
		a.Contexts = append(a.Contexts, ctx)
	}
	for _, c := range a.Contexts {
		for _, d := range c.DependsOn {
			if _, ok := seen[d.Value]; !ok {
				return nil, fmt.Errorf("%s:%d:%d: context %s depends_on %q, which is not a context of the plan", file, d.At.Line, d.At.Col, c.Name, d.Value)
			}
		}
	}
	a.Kernel = Owner{Name: model.Kernel, Packages: entries(p.SharedKernel, value(root, "shared_kernel"))}
	if k := value(root, "kernel"); k != nil {
		a.Kernel.Members = memberEntries(p.Kernel.Members, value(k, "members"))
	}
	if err := a.checkOwners(); err != nil {
		return nil, err
	}
	contractNodes := items(value(root, "contracts"))
	for i, c := range p.Contracts {
		n := at(contractNodes, i, root)
		ct := Contract{From: c.From, To: c.To, Caller: c.Caller, Callee: c.Callee, Style: c.Style, At: posOf(n, n)}
		for _, side := range []struct{ key, name string }{{"from", c.From}, {"to", c.To}} {
			if _, ok := seen[side.name]; !ok {
				at := posOf(value(n, side.key), n)
				return nil, fmt.Errorf("%s:%d:%d: contract %s: %q is not a context of the plan", file, at.Line, at.Col, side.key, side.name)
			}
		}
		if c.Callee == "" {
			return nil, fmt.Errorf("%s:%d:%d: contract without a callee", file, ct.At.Line, ct.At.Col)
		}
		if c.Style != "sync" && c.Style != "async" {
			at := posOf(value(n, "style"), n)
			return nil, fmt.Errorf("%s:%d:%d: contract style %q, want sync or async", file, at.Line, at.Col, c.Style)
		}
		a.Contracts = append(a.Contracts, ct)
	}
	return a, nil
}

// checkOwners refuses a package or a declaration with two owners.
func (a *Accepted) checkOwners() error {
	pkgs := map[string]Entry{}
	decls := map[string]Entry{}
	split := map[string]Entry{}
	for _, o := range a.Owners() {
		for _, e := range o.Packages {
			if first, ok := pkgs[e.Value]; ok {
				return fmt.Errorf("%s:%d:%d: package %s listed twice (first at line %d)", a.File, e.At.Line, e.At.Col, e.Value, first.At.Line)
			}
			pkgs[e.Value] = e
		}
		for _, m := range o.Members {
			split[m.Package.Value] = m.Package
			for _, d := range m.Decls {
				id := m.Package.Value + "." + d.Value
				if first, ok := decls[id]; ok {
					return fmt.Errorf("%s:%d:%d: declaration %s listed twice (first at line %d)", a.File, d.At.Line, d.At.Col, id, first.At.Line)
				}
				decls[id] = d
			}
		}
	}
	for path, e := range split {
		if whole, ok := pkgs[path]; ok {
			return fmt.Errorf("%s:%d:%d: package %s is split (members) and also listed whole at line %d", a.File, e.At.Line, e.At.Col, path, whole.At.Line)
		}
	}
	return nil
}

// Index is where an accepted plan puts packages and declarations, for
// lookups: check reads a program against it, diff compares two of them.
type Index struct {
	Exact    map[string]string            // package → owner
	Patterns []Pattern                    // "prefix/..." entries, the longest prefix first
	Split    map[string]map[string]string // package → member name → owner
	// IgnoredPackages and IgnoredDecls are the plan's ignored entries.
	IgnoredPackages map[string]bool
	IgnoredDecls    map[string]bool
}

// Pattern is a "prefix/..." entry of an owner.
type Pattern struct {
	Prefix, Owner string
	Entry         Entry
}

// Matches tells a package path the pattern covers.
func (p Pattern) Matches(path string) bool {
	return path == p.Prefix || strings.HasPrefix(path, p.Prefix+"/")
}

// Index indexes the plan's owners.
func (a *Accepted) Index() *Index {
	x := &Index{
		Exact: map[string]string{}, Split: map[string]map[string]string{},
		IgnoredPackages: map[string]bool{}, IgnoredDecls: map[string]bool{},
	}
	for _, o := range a.Owners() {
		for _, e := range o.Packages {
			if prefix, ok := strings.CutSuffix(e.Value, "/..."); ok {
				x.Patterns = append(x.Patterns, Pattern{prefix, o.Name, e})
			} else {
				x.Exact[e.Value] = o.Name
			}
		}
		for _, m := range o.Members {
			if x.Split[m.Package.Value] == nil {
				x.Split[m.Package.Value] = map[string]string{}
			}
			for _, d := range m.Decls {
				x.Split[m.Package.Value][d.Value] = o.Name
			}
		}
	}
	sort.SliceStable(x.Patterns, func(i, j int) bool { return len(x.Patterns[i].Prefix) > len(x.Patterns[j].Prefix) })
	for _, p := range a.Ignored {
		x.IgnoredPackages[p] = true
	}
	for _, d := range a.IgnoredDecls {
		x.IgnoredDecls[d] = true
	}
	return x
}

// Owners are the contexts, then the kernel.
func (a *Accepted) Owners() []Owner {
	out := make([]Owner, 0, len(a.Contexts)+1)
	for _, c := range a.Contexts {
		out = append(out, c.Owner)
	}
	return append(out, a.Kernel)
}

func entries(vals []string, seq *yaml.Node) []Entry {
	ns := items(seq)
	out := make([]Entry, len(vals))
	for i, v := range vals {
		out[i] = Entry{Value: v, At: posOf(at(ns, i, seq), seq)}
	}
	return out
}

func memberEntries(ms []plan.Member, seq *yaml.Node) []Member {
	ns := items(seq)
	out := make([]Member, len(ms))
	for i, m := range ms {
		n := at(ns, i, seq)
		out[i] = Member{
			Package: Entry{Value: m.Package, At: posOf(value(n, "package"), n)},
			Decls:   entries(m.Decls, value(n, "decls")),
		}
	}
	return out
}

// at is ns[i], or the fallback when the decoded list and the nodes do not
// line up (an alias stands for a whole list).
func at(ns []*yaml.Node, i int, fallback *yaml.Node) *yaml.Node {
	if i < len(ns) {
		return ns[i]
	}
	return fallback
}

// value is the value of key in a mapping node, or nil.
func value(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// items are the elements of a sequence node; nil for anything else.
func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// posOf is the position of n, else of the fallback.
func posOf(n, fallback *yaml.Node) Pos {
	if n == nil {
		n = fallback
	}
	if n == nil {
		return Pos{}
	}
	return Pos{n.Line, n.Column}
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlErr turns a yaml.v3 error ("yaml: line 12: ...", or a list of type
// errors, each "line N: ...") into one line that names the file and the
// line of the first problem.
func yamlErr(file string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(msg)
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if line, err := strconv.Atoi(m[1]); err == nil {
			return fmt.Errorf("%s:%d: %s", file, line, m[2])
		}
	}
	return fmt.Errorf("%s: %s", file, strings.TrimPrefix(msg, "yaml: "))
}
