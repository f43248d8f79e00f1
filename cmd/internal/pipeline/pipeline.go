// Package pipeline runs decompose's stages in order, load → model →
// cluster → plan → artefacts, for the commands, their benchmarks and the
// evaluation: each calls Run (or Load alone, as check does) and prints or
// writes what it needs. Nothing here prints or touches the output folder.
package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"path/filepath"

	"decompose/analysis"
	"decompose/analysis/cache"
	"decompose/analysis/history"
	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/emit/diagram"
	"decompose/emit/plan"
	"decompose/emit/sarif"
)

// Options are the settings of a run.
type Options struct {
	// Load says what to load; its Progress, when set, also hears the
	// names of the later stages.
	Load      analysis.Config
	Algorithm string
	// NoCache neither reads nor fills the caches of models and diagrams.
	NoCache bool
	// Model, when set, is analysed instead of loading the program (a
	// saved model.json, say).
	Model   *model.Model
	Cluster cluster.Config
	Plan    plan.Config
	// CoChangeRequired makes a missing git history an error (the user
	// asked for the co-change signal on the command line) rather than a
	// warning that switches the signal off.
	CoChangeRequired bool
	// Tool is what findings.sarif says of the tool.
	Tool sarif.Tool
	// Measure, when set, ties what the program was seen doing to the
	// loaded model before clustering (analyze's --profile and --traffic):
	// it may set the clustering's observed-CPU input and the plan's
	// measurements. Its error stops the run.
	Measure func(m *model.Model, cl *cluster.Config, pc *plan.Config) error
}

// Result is what a run made.
type Result struct {
	Model         *model.Model
	Decomposition *cluster.Decomposition
	Plan          *plan.Plan
	// Artefacts are every output file, sorted by name.
	Artefacts []Artefact
	Phases    []Phase
	// History is the git history the co-change signal read, or nil.
	History *history.Log
	// Warnings are problems that did not stop the run.
	Warnings []string
}

// Phase is a timed stage of a run.
type Phase struct {
	Name string
	Took time.Duration
}

// Run loads the program (or takes Options.Model), clusters it, builds the
// plan and renders every artefact. Load problems of the analysed code are
// in Result.Model.Errors, not in the error, which is for a run that could
// not finish.
func Run(ctx context.Context, o Options) (*Result, error) {
	// the model is stored while it is clustered and rendered
	defer Wait()
	r := &Result{}
	progress := func(stage string) {
		if o.Load.Progress != nil {
			o.Load.Progress(stage)
		}
	}
	if err := r.readHistory(ctx, &o, progress); err != nil {
		return nil, err
	}
	if o.Model != nil {
		r.Model = o.Model
	} else {
		m, phases, err := Load(ctx, o.Load, o.Algorithm, o.NoCache)
		if err != nil {
			return nil, err
		}
		r.Model = m
		r.Phases = append(r.Phases, phases...)
	}

	start := time.Now()
	if o.Measure != nil {
		progress("evidence")
		if err := o.Measure(r.Model, &o.Cluster, &o.Plan); err != nil {
			return nil, err
		}
		if o.Plan.Measured != nil {
			r.Phases = append(r.Phases, Phase{"evidence", time.Since(start)})
		}
		start = time.Now()
	}
	progress("cluster")
	dec, err := cluster.Cluster(r.Model, o.Cluster)
	if err != nil {
		return nil, err
	}
	r.Decomposition = dec
	r.Phases = append(r.Phases, Phase{"cluster", time.Since(start)})

	start = time.Now()
	progress("emit")
	r.Plan = plan.Build(r.Model, dec, o.Plan)
	var svgs *diagram.Cache
	if !o.NoCache {
		svgs = svgCache()
	}
	if r.Artefacts, err = Render(ctx, r.Model, dec, r.Plan, svgs, o.Tool); err != nil {
		return nil, err
	}
	r.Phases = append(r.Phases, Phase{"emit", time.Since(start)})
	return r, nil
}

// readHistory reads the git history of the analysed module's root for the
// co-change signal, when it is on. It is read on every run, never cached:
// it changes with every commit while the model may not. Without history
// (no git, no work tree, no commits) the signal is switched off with a
// warning, or the run fails if CoChangeRequired.
func (r *Result) readHistory(ctx context.Context, o *Options, progress func(string)) error {
	co := o.Cluster.CoChange
	if !co.Enabled {
		return nil
	}
	start := time.Now()
	progress("history")
	h, err := func() (*history.Log, error) {
		root, err := analysis.RootDir(ctx, o.Load)
		if err != nil {
			return nil, nil // not a module: the load reports it, in its own words
		}
		return history.Read(ctx, root, history.Options{
			Commits:  cmp.Or(co.Commits, cluster.DefaultCoChangeCommits),
			MaxFiles: cmp.Or(co.MaxFiles, cluster.DefaultCoChangeMaxFiles),
		})
	}()
	switch {
	case err == nil && h != nil:
		r.History = h
		o.Cluster.History = h.Commits
		r.Phases = append(r.Phases, Phase{"history", time.Since(start)})
		return nil
	case err == nil:
	case ctx.Err() != nil:
		return ctx.Err()
	case o.CoChangeRequired:
		return fmt.Errorf("--cochange: %w", err)
	default:
		r.Warnings = append(r.Warnings, fmt.Sprintf("co-change signal off: %v", err))
	}
	// the plan echoes the settings: it says what was used
	o.Cluster.CoChange.Enabled = false
	return nil
}

// svgCache is where rendered diagrams are kept between runs: the svg
// folder of the model cache.
func svgCache() *diagram.Cache {
	dir, err := cache.Dir()
	if err != nil {
		return nil
	}
	return &diagram.Cache{Dir: filepath.Join(dir, "svg"), Salt: cache.BinaryID()}
}
