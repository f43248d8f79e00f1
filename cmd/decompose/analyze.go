package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"decompose/analysis"
	"decompose/emit/outdir"
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

Exit status: 0 on success, 1 when parts of the program did not load (they are
reported and the rest is analyzed), 2 on usage errors and failures.`,
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
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			return o.run(ctx)
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
	_ = cmd.RegisterFlagCompletionFunc("algo", cobra.FixedCompletions(analysis.Algorithms, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagDirname("dir")
	_ = cmd.MarkFlagDirname("out")
	return cmd
}

// complete fills in settings from the config file where no flag set them.
func (o *analyzeOptions) complete() error {
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
	if !o.set("algo") && cfg.Algo != "" {
		o.algo = cfg.Algo
	}
	if !o.set("tags") && len(cfg.Tags) > 0 {
		o.tags = cfg.Tags
	}
	if !o.set("tests") && cfg.Tests {
		o.tests = true
	}
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
	return nil
}

func (o *analyzeOptions) run(ctx context.Context) error {
	var out *outdir.Dir
	if o.out != "" {
		// Opened first: an unusable folder should fail before minutes of
		// analysis, not after.
		d, err := outdir.Open(o.outPath(), o.force)
		if err != nil {
			return err
		}
		out = d
	}
	cfg := analysis.Config{Dir: o.dir, Patterns: o.patterns, Tags: o.tags, Tests: o.tests}
	model, prog, err := analysis.Analyze(ctx, cfg, o.algo)
	if err != nil {
		return err
	}
	modelJSON, err := json.MarshalIndent(model, "", "  ")
	if err != nil {
		return err
	}
	modelJSON = append(modelJSON, '\n')
	if out != nil {
		if err := out.Write("model.json", modelJSON); err != nil {
			return err
		}
	}
	switch {
	case o.format == "json":
		if _, err := o.stdout.Write(modelJSON); err != nil {
			return err
		}
	case !o.quiet:
		s := summary{model: model, timings: prog.Timings, verbose: o.verbose}
		if out != nil {
			s.outDir, s.written = out.Path(), out.Written()
		}
		if err := s.print(o.stdout); err != nil {
			return err
		}
	}
	if len(model.Errors) > 0 {
		for _, e := range model.Errors {
			msg := e.Msg
			if e.Pos != "" {
				msg = e.Pos + ": " + msg
			}
			fmt.Fprintln(o.stderr, "decompose: "+msg)
		}
		return errProblems
	}
	return nil
}

// outPath is --out, relative to the directory decompose was started in
// (not to -C: the output never goes into the analyzed tree by accident).
func (o *analyzeOptions) outPath() string {
	return filepath.Clean(o.out)
}
