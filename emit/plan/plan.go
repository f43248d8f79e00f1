package plan

import (
	"bytes"
	"encoding/json"
	"sort"

	"gopkg.in/yaml.v3"

	"decompose/analysis"
	"decompose/cluster"
)

// Schema names this version of the plan's format.
const Schema = "decompose/v1"

// Plan is the decomposition plan written as plan.yaml and plan.json.
type Plan struct {
	Schema   string    `yaml:"schema" json:"schema"`
	Module   string    `yaml:"module" json:"module"`
	Root     string    `yaml:"root,omitempty" json:"root,omitempty"`
	Contexts []Context `yaml:"contexts" json:"contexts"`
	// SharedKernel lists every package placed wholly in the kernel, shared
	// kernel and infrastructure alike.
	SharedKernel []string `yaml:"shared_kernel" json:"shared_kernel"`
	Kernel       Kernel   `yaml:"kernel" json:"kernel"`
	Split        []string `yaml:"split,omitempty" json:"split,omitempty"`
	Ignored      []string `yaml:"ignored,omitempty" json:"ignored,omitempty"`
	IgnoredDecls []string `yaml:"ignored_decls,omitempty" json:"ignored_decls,omitempty"`
	Borderline   []Unit   `yaml:"borderline,omitempty" json:"borderline,omitempty"`
	Metrics      Metrics  `yaml:"metrics" json:"metrics"`
	// Findings are the state that blocks stateless extraction, worst
	// first; DataOwnership the table × context matrix.
	Findings []Finding `yaml:"findings" json:"findings"`
	// Contracts are the calls between contexts that become remote.
	Contracts     []Contract       `yaml:"contracts,omitempty" json:"contracts,omitempty"`
	DataOwnership []TableOwnership `yaml:"data_ownership,omitempty" json:"data_ownership,omitempty"`
	Config        Config           `yaml:"config" json:"config"`
	Warnings      []string         `yaml:"warnings,omitempty" json:"warnings,omitempty"`
}

// Context is one proposed bounded context.
type Context struct {
	Name        string         `yaml:"name" json:"name"`
	Pinned      bool           `yaml:"pinned,omitempty" json:"pinned,omitempty"`
	Packages    []string       `yaml:"packages" json:"packages"`
	Members     []Member       `yaml:"members,omitempty" json:"members,omitempty"`
	EntryPoints []EntryPoint   `yaml:"entry_points,omitempty" json:"entry_points,omitempty"`
	Vocabulary  []string       `yaml:"vocabulary,omitempty" json:"vocabulary,omitempty"`
	Metrics     ContextMetrics `yaml:"metrics" json:"metrics"`
	Explanation []Unit         `yaml:"explanation" json:"explanation"`
}

// Member lists the declarations of a split package that belong to one
// context (or to the kernel).
type Member struct {
	Package string   `yaml:"package" json:"package"`
	Decls   []string `yaml:"decls" json:"decls"`
}

// EntryPoint is an entry point a context serves.
type EntryPoint struct {
	Kind      string `yaml:"kind" json:"kind"`
	Method    string `yaml:"method,omitempty" json:"method,omitempty"`
	Route     string `yaml:"route,omitempty" json:"route,omitempty"`
	Decl      string `yaml:"decl,omitempty" json:"decl,omitempty"`
	Package   string `yaml:"package" json:"package"`
	Framework string `yaml:"framework,omitempty" json:"framework,omitempty"`
	Ticker    bool   `yaml:"ticker,omitempty" json:"ticker,omitempty"`
	Pos       string `yaml:"pos,omitempty" json:"pos,omitempty"`
}

// Kernel describes what belongs to no context.
type Kernel struct {
	// Infrastructure are the packages of SharedKernel that are technical
	// (logging, configuration, database plumbing, composition roots).
	Infrastructure []string `yaml:"infrastructure,omitempty" json:"infrastructure,omitempty"`
	// Members are the declarations of split packages that stay shared.
	Members     []Member `yaml:"members,omitempty" json:"members,omitempty"`
	Explanation []Unit   `yaml:"explanation,omitempty" json:"explanation,omitempty"`
}

// Unit explains the placement of a package or a declaration.
type Unit struct {
	Unit        string     `yaml:"unit" json:"unit"`
	Package     string     `yaml:"package,omitempty" json:"package,omitempty"`
	Decl        string     `yaml:"decl,omitempty" json:"decl,omitempty"`
	Context     string     `yaml:"context,omitempty" json:"context,omitempty"`
	Reason      string     `yaml:"reason" json:"reason"`
	Score       float64    `yaml:"score,omitempty" json:"score,omitempty"`
	Second      string     `yaml:"second,omitempty" json:"second,omitempty"`
	SecondScore float64    `yaml:"second_score,omitempty" json:"second_score,omitempty"`
	Margin      float64    `yaml:"margin" json:"margin"`
	Evidence    []Evidence `yaml:"evidence,omitempty" json:"evidence,omitempty"`
	UsedBy      []string   `yaml:"used_by,omitempty" json:"used_by,omitempty"`
}

// Evidence is one signal behind a placement.
type Evidence struct {
	Kind   string  `yaml:"kind" json:"kind"`
	From   string  `yaml:"from" json:"from"`
	To     string  `yaml:"to" json:"to"`
	Weight float64 `yaml:"weight" json:"weight"`
}

// Metrics are the quality metrics of the whole decomposition; see
// cluster.Metrics for their exact formulas.
type Metrics struct {
	Contexts             int     `yaml:"contexts" json:"contexts"`
	Units                int     `yaml:"units" json:"units"`
	KernelUnits          int     `yaml:"kernel_units" json:"kernel_units"`
	Resolution           float64 `yaml:"resolution" json:"resolution"`
	Modularity           float64 `yaml:"modularity" json:"modularity"`
	StructuralModularity float64 `yaml:"structural_modularity" json:"structural_modularity"`
	ICP                  float64 `yaml:"icp" json:"icp"`
	IFN                  float64 `yaml:"ifn" json:"ifn"`
	NED                  float64 `yaml:"ned" json:"ned"`
}

// ContextMetrics are one context's metrics; see cluster.ContextMetrics.
type ContextMetrics struct {
	Packages     int      `yaml:"packages" json:"packages"`
	Decls        int      `yaml:"decls" json:"decls"`
	Cohesion     float64  `yaml:"cohesion" json:"cohesion"`
	Coupling     float64  `yaml:"coupling" json:"coupling"`
	Interfaces   int      `yaml:"interfaces" json:"interfaces"`
	DependsOn    []string `yaml:"depends_on,omitempty" json:"depends_on,omitempty"`
	DependedOnBy []string `yaml:"depended_on_by,omitempty" json:"depended_on_by,omitempty"`
}

// Config echoes the clustering settings the plan was made with.
type Config = cluster.Config

// Build makes the plan of a decomposition of the model. It is a pure
// function of its inputs.
func Build(m *analysis.Model, d *cluster.Decomposition) *Plan {
	p := &Plan{
		Schema:       Schema,
		Module:       d.Module,
		Root:         d.Root,
		Contexts:     []Context{},
		SharedKernel: []string{},
		Split:        d.Split,
		Ignored:      d.Ignored,
		IgnoredDecls: d.IgnoredDecls,
		Config:       d.Config,
		Warnings:     d.Warnings,
	}
	if p.Module == "" && m != nil && len(m.Modules) > 0 {
		p.Module = m.Modules[0].Path
	}
	for _, c := range d.Contexts {
		pc := Context{
			Name:        c.Name,
			Pinned:      c.Pinned,
			Packages:    append([]string{}, c.Packages...),
			Members:     members(c.Members),
			Vocabulary:  c.Vocabulary,
			Explanation: units(c.Placements),
			Metrics: ContextMetrics{
				Packages:     c.Metrics.Packages,
				Decls:        c.Metrics.Decls,
				Cohesion:     c.Metrics.Cohesion,
				Coupling:     c.Metrics.Coupling,
				Interfaces:   c.Metrics.Interfaces,
				DependsOn:    c.Metrics.DependsOn,
				DependedOnBy: c.Metrics.DependedOnBy,
			},
		}
		for _, e := range c.EntryPoints {
			pc.EntryPoints = append(pc.EntryPoints, EntryPoint{
				Kind: string(e.Kind), Method: e.Method, Route: e.Route, Decl: e.Decl,
				Package: e.Package, Framework: e.Framework, Ticker: e.Ticker, Pos: e.Pos,
			})
		}
		p.Contexts = append(p.Contexts, pc)
	}
	p.SharedKernel = append(p.SharedKernel, d.Kernel.Packages...)
	p.SharedKernel = append(p.SharedKernel, d.Kernel.Infrastructure...)
	sort.Strings(p.SharedKernel)
	p.Kernel = Kernel{
		Infrastructure: d.Kernel.Infrastructure,
		Members:        members(d.Kernel.Members),
		Explanation:    units(d.Kernel.Placements),
	}
	p.Borderline = units(d.Borderline)
	if m != nil {
		locate := Locate(m, d)
		p.Contracts = contracts(m, locate)
		p.Findings = findings(m, locate)
		var tableFindings []Finding
		p.DataOwnership, tableFindings = ownership(m, locate)
		p.Findings = append(p.Findings, tableFindings...)
		sortFindings(p.Findings)
	}
	if p.Findings == nil {
		p.Findings = []Finding{}
	}
	mt := d.Metrics
	p.Metrics = Metrics{
		Contexts: mt.Contexts, Units: mt.Units, KernelUnits: mt.KernelUnits, Resolution: mt.Resolution,
		Modularity: mt.Modularity, StructuralModularity: mt.StructuralModularity, ICP: mt.ICP, IFN: mt.IFN, NED: mt.NED,
	}
	return p
}

func members(ms []cluster.Member) []Member {
	var out []Member
	for _, m := range ms {
		out = append(out, Member{Package: m.Package, Decls: append([]string{}, m.Decls...)})
	}
	return out
}

func units(ps []cluster.Placement) []Unit {
	var out []Unit
	for _, p := range ps {
		u := Unit{
			Unit: p.Unit, Package: p.Package, Decl: p.Decl, Context: p.Context, Reason: p.Reason,
			Score: p.Score, Second: p.Second, SecondScore: p.SecondScore, Margin: p.Margin, UsedBy: p.UsedBy,
		}
		if u.Package == u.Unit {
			u.Package = ""
		}
		for _, e := range p.Evidence {
			u.Evidence = append(u.Evidence, Evidence{Kind: e.Kind, From: e.From, To: e.To, Weight: e.Weight})
		}
		out = append(out, u)
	}
	return out
}

// MarshalYAML returns the plan as YAML. The output depends only on the
// plan: fields come in declaration order and map keys sorted.
func MarshalYAML(p *Plan) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MarshalJSON returns the plan as indented JSON, ending in a newline.
func MarshalJSON(p *Plan) ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
