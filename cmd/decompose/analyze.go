package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"decompose/analysis"
	"decompose/analysis/cache"
	"decompose/analysis/history"
	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/emit/diagram"
	"decompose/emit/markdown"
	"decompose/emit/outdir"
	"decompose/emit/plan"
	"decompose/emit/report"
	"decompose/emit/sarif"
)

// analyzeOptions are the analyze command's settings, from flags and the
// config file.
type analyzeOptions struct {
	dir        string
	patterns   []string
	tags       []string
	tests      bool
	algo       string
	out        string
	force      bool
	configPath string
	format     string
	quiet      bool
	verbose    bool
	noCache    bool
	contexts   int
	cochange   bool
	memLimit   string
	memory     int64 // the soft memory limit in bytes; 0: none set here
	cluster    cluster.Config
	migration  plan.Config

	stdout, stderr io.Writer
	set            func(name string) bool // whether a flag was given
}

func newAnalyzeCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &analyzeOptions{stdout: stdout, stderr: stderr}
	cmd := &cobra.Command{
		Use:   "analyze [packages]",
		Short: "Analyze a Go program and propose how to split it",
		Long: `analyze loads the named packages (default ./...) with their types and SSA
form, builds a call graph and a weighted dependency model of the program, and
prints a summary. With --out it writes its artefacts into that folder.

The --out folder is written as a whole or not at all: the new content is
assembled beside it and swapped in; a lock file keeps a second run out (it
stops with exit 2), and the next run cleans up after an interrupted one.

Exit status: 0 on success, 1 when parts of the program did not load (they are
reported and the rest is analyzed), 2 on usage errors and failures, 130 after
SIGINT and 143 after SIGTERM (the --out folder is left as it was).`,
		Example: `  decompose analyze ./...
  decompose analyze -C ../shop --out plan/ ./...
  decompose analyze --format json ./internal/... > model.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.patterns = args
			o.set = func(name string) bool { return cmd.Flags().Changed(name) }
			if err := o.complete(); err != nil {
				return err
			}
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.dir, "dir", "C", "", "run as if in `DIR` (like go -C)")
	f.StringSliceVar(&o.tags, "tags", nil, "comma-separated build `tags`")
	f.BoolVar(&o.tests, "tests", false, "include test files")
	f.StringVar(&o.algo, "algo", analysis.DefaultAlgorithm, "call-graph `algorithm`: "+strings.Join(analysis.Algorithms, ", "))
	f.StringVarP(&o.out, "out", "o", "", "write artefacts into `DIR`")
	f.BoolVar(&o.force, "force", false, "write into a non-empty --out folder that decompose did not create")
	f.StringVar(&o.configPath, "config", "", "read settings from `FILE` (default: "+ConfigName+" at the module root)")
	f.StringVar(&o.format, "format", "text", "what to print on stdout: text (a summary) or json (the model)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also print phase timings and every entry point")
	f.BoolVar(&o.noCache, "no-cache", false, "do not use or fill the caches of models and diagrams of unchanged programs")
	f.IntVar(&o.contexts, "contexts", 0, "ask for `N` contexts (default: as many as the signals support)")
	f.BoolVar(&o.cochange, "cochange", false, "add the co-change signal: files committed together in the git history")
	f.StringVar(&o.memLimit, "memory-limit", defaultMemoryLimit, "soft limit on the heap (`SIZE` such as 900MiB or 2GiB, or off), raised to 1.5x the live heap when that outgrows it; GOMEMLIMIT, when set, takes its place")
	_ = cmd.RegisterFlagCompletionFunc("algo", cobra.FixedCompletions(analysis.Algorithms, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagDirname("dir")
	_ = cmd.MarkFlagDirname("out")
	return cmd
}

// complete fills in settings from the config file where no flag set them.
func (o *analyzeOptions) complete() error {
	o.cluster = cluster.DefaultConfig()
	o.migration = plan.DefaultConfig()
	defer func() {
		if o.set("contexts") {
			o.cluster.Contexts = o.contexts
		}
		if o.set("cochange") {
			o.cluster.CoChange.Enabled = o.cochange
		}
	}()
	path := o.configPath
	if path == "" {
		dir := o.dir
		if dir == "" {
			dir = "."
		}
		path = findConfig(dir)
	} else if o.dir != "" && !filepath.IsAbs(path) {
		// like go -C, flags name paths relative to the new directory
		path = filepath.Join(o.dir, path)
	}
	if path == "" {
		return nil
	}
	cfg, err := readConfig(path)
	if err != nil {
		return err
	}
	cfg.applyLoading(o.set, &o.algo, &o.tags, &o.tests)
	o.cluster = cfg.Cluster
	o.migration = cfg.migrationConfig()
	return nil
}

func (o *analyzeOptions) validate() error {
	if !analysis.ValidAlgorithm(o.algo) {
		return fmt.Errorf("unknown --algo %q: want one of %s", o.algo, strings.Join(analysis.Algorithms, ", "))
	}
	if !slices.Contains([]string{"text", "json"}, o.format) {
		return fmt.Errorf("unknown --format %q: want text or json", o.format)
	}
	if o.quiet && o.verbose {
		return fmt.Errorf("--quiet and --verbose exclude each other")
	}
	if o.force && o.out == "" {
		return fmt.Errorf("--force goes with --out")
	}
	if o.contexts < 0 {
		return fmt.Errorf("--contexts must not be negative (0: as many as the structure suggests)")
	}
	limit, err := parseMemoryLimit(o.memLimit)
	if err != nil {
		return err
	}
	if o.set("memory-limit") || os.Getenv("GOMEMLIMIT") == "" {
		o.memory = limit
	}
	return nil
}

func (o *analyzeOptions) run(ctx context.Context) (err error) {
	if o.memory > 0 {
		defer limitMemory(o.memory)()
	}
	var out *outdir.Dir
	if o.out != "" {
		// Opened first: an unusable folder should fail before minutes of
		// analysis, not after.
		d, oerr := outdir.Open(o.outPath(), o.force)
		if oerr != nil {
			return oerr
		}
		out = d
		defer out.Close() // without a commit, the folder is as it was
		if n := out.Note(); n != "" {
			fmt.Fprintln(o.stderr, "decompose: "+term(n))
		}
	}
	var pr *progress
	if !o.quiet {
		pr = newProgress(o.stderr)
	}
	defer pr.stop()
	cfg := analysis.Config{Dir: o.dir, Patterns: o.patterns, Tags: o.tags, Tests: o.tests, Progress: pr.set}
	var phases []phase
	hist, histWarning, err := o.history(ctx, cfg, pr)
	if err != nil {
		return err
	}
	if hist != nil {
		o.cluster.History = hist.Commits
		phases = append(phases, phase{"history", hist.took})
	} else {
		// the plan echoes the settings: it says what was used
		o.cluster.CoChange.Enabled = false
	}
	m, modelPhases, err := o.model(ctx, cfg)
	if err != nil {
		return err
	}
	phases = append(phases, modelPhases...)

	start := time.Now()
	pr.set("cluster")
	dec, err := cluster.Cluster(m, o.cluster)
	if err != nil {
		return err
	}
	phases = append(phases, phase{"cluster", time.Since(start)})

	start = time.Now()
	pr.set("emit")
	artefacts, pl, err := render(m, dec, o.migration, o.svgCache())
	if err != nil {
		return err
	}
	var removed []string
	if out != nil {
		// every file checked before any is written: a refusal leaves the
		// folder as it was
		names := make([]string, len(artefacts))
		for i, a := range artefacts {
			names[i] = a.name
		}
		if err := out.Check(names); err != nil {
			return err
		}
		for _, a := range artefacts {
			if err := out.Write(a.name, a.data); err != nil {
				return err
			}
		}
		if removed, err = out.Prune(); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := out.Commit(); err != nil {
			return err
		}
	}
	phases = append(phases, phase{"emit", time.Since(start)})
	pr.stop() // before anything is printed
	if histWarning != "" && !o.quiet {
		fmt.Fprintln(o.stderr, "decompose: warning: "+histWarning)
	}
	switch {
	case o.format == "json":
		if _, err := o.stdout.Write(artefactData(artefacts, "model.json")); err != nil {
			return err
		}
	case !o.quiet:
		s := summary{model: m, dec: dec, plan: pl, phases: phases, verbose: o.verbose}
		if hist != nil {
			s.history = hist.summary(cmp.Or(o.cluster.CoChange.MaxFiles, cluster.DefaultCoChangeMaxFiles))
		}
		if out != nil {
			s.outDir, s.written, s.removed = out.Path(), out.Written(), removed
		}
		if err := s.print(o.stdout); err != nil {
			return err
		}
	}
	if len(m.Errors) > 0 {
		for _, e := range m.Errors {
			msg := e.Msg
			if e.Pos != "" {
				msg = e.Pos + ": " + msg
			}
			fmt.Fprintln(o.stderr, "decompose: "+term(msg))
		}
		return errProblems
	}
	return nil
}

// readHistory is the history the co-change signal reads, and how long
// reading it took.
type readHistory struct {
	*history.Log
	took time.Duration
}

func (h *readHistory) summary(maxFiles int) string {
	head := h.Head
	if len(head) > 12 {
		head = head[:12]
	}
	return fmt.Sprintf("%d commits up to %s, %d of them left out (more than %d files)", h.Read, head, h.Skipped, maxFiles)
}

// history reads the git history of the analyzed module's root for the
// co-change signal, when it is on. It is read on every run, never cached:
// it changes with every commit while the model may not. Without history
// (no git, no work tree, no commits) an explicit --cochange is an error,
// found before the analysis starts; co-change switched on in the config
// file is only a warning, so that the file serves every copy of the code,
// an export without .git included.
func (o *analyzeOptions) history(ctx context.Context, cfg analysis.Config, pr *progress) (*readHistory, string, error) {
	co := o.cluster.CoChange
	if !co.Enabled {
		return nil, "", nil
	}
	start := time.Now()
	pr.set("history")
	root, err := analysis.RootDir(ctx, cfg)
	if err != nil {
		// not a module: the load reports it, in its own words
		return nil, "", nil
	}
	h, err := history.Read(ctx, root, history.Options{
		Commits:  cmp.Or(co.Commits, cluster.DefaultCoChangeCommits),
		MaxFiles: cmp.Or(co.MaxFiles, cluster.DefaultCoChangeMaxFiles),
	})
	switch {
	case err == nil:
		return &readHistory{h, time.Since(start)}, "", nil
	case ctx.Err() != nil:
		return nil, "", ctx.Err()
	case o.set("cochange"):
		return nil, "", fmt.Errorf("--cochange: %w", err)
	}
	return nil, fmt.Sprintf("co-change signal off: %v", err), nil
}

// model loads the program and builds its model, or takes the model of the
// unchanged program from the cache.
func (o *analyzeOptions) model(ctx context.Context, cfg analysis.Config) (*model.Model, []phase, error) {
	return loadModel(ctx, cfg, o.algo, o.noCache)
}

// outPath is --out, relative to the directory decompose was started in
// (not to -C: the output never goes into the analyzed tree by accident).
func (o *analyzeOptions) outPath() string {
	return filepath.Clean(o.out)
}

// artefact is one output file.
type artefact struct {
	name string
	data []byte
}

// render produces every artefact from the run's results. It is pure: the
// same inputs give the same bytes. The artefacts are independent of one
// another once the plan is built, so they are made concurrently.
// svgCache is where rendered diagrams are kept between runs: the svg
// folder of the model cache, unless --no-cache.
func (o *analyzeOptions) svgCache() *diagram.Cache {
	if o.noCache {
		return nil
	}
	dir, err := cache.Dir()
	if err != nil {
		return nil
	}
	return &diagram.Cache{Dir: filepath.Join(dir, "svg"), Salt: cache.BinaryID()}
}

func render(m *model.Model, dec *cluster.Decomposition, mcfg plan.Config, svgs *diagram.Cache) ([]artefact, *plan.Plan, error) {
	p := plan.Build(m, dec, mcfg)
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
	run(3, func() (err error) { findings, err = sarif.MarshalTool(p, sarifTool()); return err })
	run(4, func() (err error) {
		if d, err = drawings(m, dec, p, svgs); err != nil {
			return err
		}
		planMD = markdown.Render(p, d.markdown())
		reportHTML, err = report.Render(p, d.report())
		return err
	})
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	out := []artefact{
		{"findings.sarif", findings},
		{"model.json", modelJSON},
		{"plan.json", planJSON},
		{"plan.md", planMD},
		{"plan.yaml", planYAML},
		{"report.html", reportHTML},
	}
	out = append(out, d.files...)
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, p, nil
}

// diagrams are the drawings of a run: the files written (DOT and SVG),
// and what plan.md and report.html embed.
type diagrams struct {
	files               []artefact
	contextMapSVG       []byte
	packagesSVG         []byte
	insideSVG           map[string][]byte
	contextMapMermaid   []byte
	packageGraphMermaid []byte
}

// drawings draws the context map, the package graph and each context's
// inside view (contexts/<name>.dot and .svg), and their Mermaid forms for
// plan.md.
func drawings(m *model.Model, dec *cluster.Decomposition, p *plan.Plan, svgs *diagram.Cache) (*diagrams, error) {
	dr := diagram.NewDrawer(diagram.Input{Model: m, Decomposition: dec, Blockers: blockers(p), Breaks: breaks(p)})
	d := &diagrams{insideSVG: map[string][]byte{}}
	draw := func(name string, dot []byte) ([]byte, error) {
		svg, err := svgs.SVG(context.Background(), dot)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		d.files = append(d.files, artefact{name + ".dot", dot}, artefact{name + ".svg", svg})
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

func artefactData(as []artefact, name string) []byte {
	for _, a := range as {
		if a.name == name {
			return a.data
		}
	}
	return nil
}
