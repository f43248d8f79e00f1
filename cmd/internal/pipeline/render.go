package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/emit/diagram"
	"decompose/emit/markdown"
	"decompose/emit/plan"
	"decompose/emit/report"
	"decompose/emit/sarif"
)

// Artefact is one output file.
type Artefact struct {
	Name string
	Data []byte
}

// Render produces every artefact of a plan: the model, the plan, the
// findings, plan.md, report.html and the diagrams. It is pure: the same
// inputs give the same bytes. The artefacts are independent of one another
// once the plan is built, so they are made concurrently.
func Render(ctx context.Context, m *model.Model, dec *cluster.Decomposition, p *plan.Plan, svgs *diagram.Cache, tool sarif.Tool) ([]Artefact, error) {
	var (
		wg                                      sync.WaitGroup
		modelJSON, planYAML, planJSON, findings []byte
		reportHTML, planMD                      []byte
		d                                       *diagrams
		errs                                    [5]error
	)
	run := func(i int, f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f()
		}()
	}
	run(0, func() (err error) {
		modelJSON, err = json.MarshalIndent(m, "", "  ")
		modelJSON = append(modelJSON, '\n')
		return err
	})
	run(1, func() (err error) { planYAML, err = plan.MarshalYAML(p); return err })
	run(2, func() (err error) { planJSON, err = plan.MarshalJSON(p); return err })
	run(3, func() (err error) { findings, err = sarif.MarshalTool(p, tool); return err })
	run(4, func() (err error) {
		if d, err = drawings(ctx, m, dec, p, svgs); err != nil {
			return err
		}
		planMD = markdown.Render(p, d.markdown())
		reportHTML, err = report.Render(p, d.report())
		return err
	})
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	out := []Artefact{
		{"findings.sarif", findings},
		{"model.json", modelJSON},
		{"plan.json", planJSON},
		{"plan.md", planMD},
		{"plan.yaml", planYAML},
		{"report.html", reportHTML},
	}
	out = append(out, d.files...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// diagrams are the drawings of a run: the files written (DOT and SVG),
// and what plan.md and report.html embed.
type diagrams struct {
	files               []Artefact
	contextMapSVG       []byte
	packagesSVG         []byte
	insideSVG           map[string][]byte
	contextMapMermaid   []byte
	packageGraphMermaid []byte
}

// drawings draws the context map, the package graph and each context's
// inside view (contexts/<name>.dot and .svg), and their Mermaid forms for
// plan.md.
func drawings(ctx context.Context, m *model.Model, dec *cluster.Decomposition, p *plan.Plan, svgs *diagram.Cache) (*diagrams, error) {
	dr := diagram.NewDrawer(diagram.Input{Model: m, Decomposition: dec, Blockers: blockers(p), Breaks: breaks(p)})
	d := &diagrams{insideSVG: map[string][]byte{}}
	draw := func(name string, dot []byte) ([]byte, error) {
		svg, err := svgs.SVG(ctx, dot)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		d.files = append(d.files, Artefact{name + ".dot", dot}, Artefact{name + ".svg", svg})
		return svg, nil
	}
	var err error
	if d.contextMapSVG, err = draw("context-map", dr.ContextMapDOT(diagram.Options{})); err != nil {
		return nil, err
	}
	if d.packagesSVG, err = draw("packages", dr.PackageGraphDOT(diagram.Options{})); err != nil {
		return nil, err
	}
	for _, c := range dec.Contexts {
		dot, err := dr.InsideDOT(c.Name, diagram.Options{})
		if err != nil {
			return nil, err
		}
		if d.insideSVG[c.Name], err = draw("contexts/"+c.Name, dot); err != nil {
			return nil, err
		}
	}
	d.contextMapMermaid = dr.ContextMapMermaid(diagram.Options{})
	d.packageGraphMermaid = dr.PackageGraphMermaid(diagram.Options{})
	return d, nil
}

func (d *diagrams) markdown() markdown.Diagrams {
	return markdown.Diagrams{ContextMap: string(d.contextMapMermaid), Packages: string(d.packageGraphMermaid)}
}

func (d *diagrams) report() report.Diagrams {
	return report.Diagrams{ContextMap: d.contextMapSVG, Packages: d.packagesSVG, Contexts: d.insideSVG}
}

// blockers counts the blocker findings of each context (and of the
// kernel) for the diagrams to mark.
func blockers(p *plan.Plan) map[string]int {
	n := map[string]int{}
	for _, f := range p.Findings {
		if f.Severity == "blocker" {
			for _, c := range f.Contexts {
				n[c]++
			}
		}
	}
	return n
}

// breaks are the calls the plan proposes to break to end dependency
// cycles between contexts.
func breaks(p *plan.Plan) map[[2]string]bool {
	out := map[[2]string]bool{}
	for _, c := range p.Cycles {
		for _, b := range c.Break {
			out[[2]string{b.From, b.To}] = true
		}
	}
	return out
}
