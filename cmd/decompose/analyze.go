package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"decompose/analysis"
	"decompose/analysis/history"
	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/cmd/internal/pipeline"
	"decompose/emit/outdir"
	"decompose/emit/plan"
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
	evidence   evidenceInput

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
	f.StringArrayVar(&o.evidence.profiles, "profile", nil, "a pprof CPU profile of the program, `FILE` (repeatable); default: the default.pgo of its main packages, as go build -pgo=auto; off for none")
	f.StringVar(&o.evidence.traffic, "traffic", "", "request rates and latency targets per route, `FILE` (YAML, or CSV when it ends in .csv)")
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
	cfg.applyEvidence(o.set, filepath.Dir(path), &o.evidence.profiles, &o.evidence.traffic)
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
	if err := o.evidence.validate(o.dir); err != nil {
		return err
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
	o.evidence.start() // profiles are read while the program loads
	var measured *plan.Measured
	res, err := pipeline.Run(ctx, pipeline.Options{
		Load:             analysis.Config{Dir: o.dir, Patterns: o.patterns, Tags: o.tags, Tests: o.tests, Progress: pr.set},
		Algorithm:        o.algo,
		NoCache:          o.noCache,
		Cluster:          o.cluster,
		Plan:             o.migration,
		CoChangeRequired: o.set("cochange"),
		Tool:             sarifTool(),
		Measure: func(m *model.Model, cl *cluster.Config, pc *plan.Config) (err error) {
			measured, err = o.evidence.measure(m, cl)
			pc.Measured = measured
			return err
		},
	})
	if err != nil {
		return err
	}
	m, artefacts := res.Model, res.Artefacts
	start := time.Now()
	var removed []string
	if out != nil {
		// every file checked before any is written: a refusal leaves the
		// folder as it was
		names := make([]string, len(artefacts))
		for i, a := range artefacts {
			names[i] = a.Name
		}
		if err := out.Check(names); err != nil {
			return err
		}
		for _, a := range artefacts {
			if err := out.Write(a.Name, a.Data); err != nil {
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
	phases := res.Phases
	if out != nil {
		// the emit phase includes writing the folder
		phases[len(phases)-1].Took += time.Since(start)
	}
	pr.stop() // before anything is printed
	if !o.quiet {
		for _, w := range res.Warnings {
			fmt.Fprintln(o.stderr, "decompose: warning: "+w)
		}
	}
	if measured != nil && !o.quiet {
		for _, w := range measured.Warnings {
			fmt.Fprintln(o.stderr, "decompose: warning: "+term(w))
		}
	}
	switch {
	case o.format == "json":
		if _, err := o.stdout.Write(artefactData(artefacts, "model.json")); err != nil {
			return err
		}
	case !o.quiet:
		s := summary{model: m, dec: res.Decomposition, plan: res.Plan, phases: phases, verbose: o.verbose}
		if res.History != nil {
			s.history = historySummary(res.History, cmp.Or(o.cluster.CoChange.MaxFiles, cluster.DefaultCoChangeMaxFiles))
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

// historySummary says which commits the co-change signal read.
func historySummary(h *history.Log, maxFiles int) string {
	head := h.Head
	if len(head) > 12 {
		head = head[:12]
	}
	return fmt.Sprintf("%d commits up to %s, %d of them left out (more than %d files)", h.Read, head, h.Skipped, maxFiles)
}

// outPath is --out, relative to the directory decompose was started in
// (not to -C: the output never goes into the analyzed tree by accident).
func (o *analyzeOptions) outPath() string {
	return filepath.Clean(o.out)
}

func artefactData(as []pipeline.Artefact, name string) []byte {
	for _, a := range as {
		if a.Name == name {
			return a.Data
		}
	}
	return nil
}
