package main

import (
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
	"decompose/analysis/model"
	"decompose/cmd/internal/check"
	"decompose/cmd/internal/pipeline"
	"decompose/emit/sarif"
)

// DefaultPlanName is the accepted plan check reads unless --plan names
// another: a plan.yaml written by analyze, committed under this name.
const DefaultPlanName = "decompose-plan.yaml"

// informationURI is where decompose is documented, for SARIF logs: set at
// build time (-ldflags "-X main.informationURI=https://..."); left out of
// the logs while empty, rather than naming a page that does not exist.
var informationURI = ""

// sarifTool is what SARIF logs say of decompose: its version and where it
// is documented.
func sarifTool() sarif.Tool {
	version, _ := toolVersion()
	return sarif.Tool{Version: version, InformationURI: informationURI}
}

// checkOptions are the check command's settings.
type checkOptions struct {
	dir        string
	planPath   string
	patterns   []string
	tags       []string
	tests      bool
	algo       string
	configPath string
	format     string
	noCache    bool
	noDrift    bool
	newFromRev string
	sarifPath  string
	summary    string
	verbose    bool

	stdout, stderr io.Writer
	getenv         func(string) string
	set            func(name string) bool
}

func newCheckCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &checkOptions{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "check [--plan FILE] [packages]",
		Short: "Hold the program to an accepted plan",
		Long: `check loads the named packages (default ./...) the way analyze does, with
the same model cache, and holds them to an accepted plan: a plan.yaml that
analyze wrote, committed as ` + DefaultPlanName + ` and edited by hand as the
split goes on. It reports, as file:line:col: message lines:

  boundary       a call, reference, type use or variable access between two
                 contexts that the plan does not allow (calls need a
                 contract, types and references a depends_on), inside a
                 split package too;
  unowned        a package, or a declaration of a split package, that no
                 context and not the shared kernel owns (new code);
  new-blocker    a finding of blocker severity that the plan's findings,
                 the accepted baseline, do not hold;
  sync-on-async  a call that waits for its result on a contract the plan
                 made asynchronous;
  drift          advice only: a unit the clustering would now place in
                 another context.

With --new-from-rev REV only what is new is reported: the program at REV,
read with git archive into a temporary folder that is removed afterwards, is
checked against the same plan, and its reports (matched by fingerprint, not
by line) are left out.

With GITHUB_ACTIONS=true the text format is written as GitHub Actions
annotations. --sarif FILE writes the SARIF log as well, and --summary FILE
appends a Markdown summary (the counts by rule and the first violations),
so that one run in CI gives the annotations, the log to upload and the
job's summary ($GITHUB_STEP_SUMMARY). check writes nothing else, and never
into the work tree on its own.

Exit status: 0 no violations (advice alone is clean), 1 violations, 2 errors:
a plan that does not parse or names code the program does not have, a
program that does not load, a revision that does not exist.`,
		Example: `  decompose analyze --out out ./... && cp out/plan.yaml ` + DefaultPlanName + `
  decompose check
  decompose check --format sarif > check.sarif
  decompose check --new-from-rev origin/main
  decompose check --sarif "$RUNNER_TEMP/check.sarif" --summary "$GITHUB_STEP_SUMMARY"
  decompose check -C services/shop --plan ../../plans/shop.yaml ./...`,
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
	f.StringVar(&o.planPath, "plan", "", "the accepted plan (`FILE`, default "+DefaultPlanName+")")
	f.StringVar(&o.format, "format", "text", "output: text (file:line:col: message), json or sarif")
	f.StringSliceVar(&o.tags, "tags", nil, "comma-separated build `tags`")
	f.BoolVar(&o.tests, "tests", false, "include test files")
	f.StringVar(&o.algo, "algo", analysis.DefaultAlgorithm, "call-graph `algorithm`: "+strings.Join(analysis.Algorithms, ", "))
	f.StringVar(&o.configPath, "config", "", "read algo, tags and tests from `FILE` (default: "+ConfigName+" at the module root)")
	f.BoolVar(&o.noCache, "no-cache", false, "neither use nor fill the model cache")
	f.BoolVar(&o.noDrift, "no-drift", false, "do not cluster the program to report drift")
	f.StringVar(&o.newFromRev, "new-from-rev", "", "report only what is new since the git revision `REV` (the program there, checked against the same plan)")
	f.StringVar(&o.sarifPath, "sarif", "", "also write the SARIF log to `FILE` (replaced), whatever --format is")
	f.StringVar(&o.summary, "summary", "", "also append a Markdown summary to `FILE` (for $GITHUB_STEP_SUMMARY)")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also print phase timings on stderr")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json", "sarif"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("algo", cobra.FixedCompletions(analysis.Algorithms, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagFilename("plan", "yaml", "yml", "json")
	_ = cmd.MarkFlagFilename("sarif", "sarif", "json")
	_ = cmd.MarkFlagFilename("summary", "md")
	_ = cmd.MarkFlagDirname("dir")
	return cmd
}

// complete takes the load settings from the config file where no flag
// set them, as analyze does, so that both load the same model.
func (o *checkOptions) complete() error {
	path := o.configPath
	if path == "" {
		path = findConfig(cmpDir(o.dir))
	} else {
		path = o.relative(path)
	}
	if path == "" {
		return nil
	}
	cfg, err := readConfig(path)
	if err != nil {
		return err
	}
	cfg.applyLoading(o.set, &o.algo, &o.tags, &o.tests)
	return nil
}

func (o *checkOptions) validate() error {
	if !analysis.ValidAlgorithm(o.algo) {
		return fmt.Errorf("unknown --algo %q: want one of %s", o.algo, strings.Join(analysis.Algorithms, ", "))
	}
	if !slices.Contains([]string{"text", "json", "sarif"}, o.format) {
		return fmt.Errorf("unknown --format %q: want text, json or sarif", o.format)
	}
	return nil
}

func cmpDir(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// relative resolves a path given on the command line: like go -C, flags
// name paths relative to the new directory.
func (o *checkOptions) relative(path string) string {
	return relativeTo(o.dir, path)
}

// relativeTo resolves a path given on the command line against -C DIR.
func relativeTo(dir, path string) string {
	if dir != "" && !filepath.IsAbs(path) {
		return filepath.Join(dir, path)
	}
	return path
}

func (o *checkOptions) run(ctx context.Context) error {
	name := o.planPath
	if name == "" {
		name = DefaultPlanName
	}
	path := o.relative(name)
	start := time.Now()
	data, err := readPlanFile(path)
	switch {
	case os.IsNotExist(err) && o.planPath == "":
		return fmt.Errorf("no %s in %s: commit the plan.yaml that analyze --out writes under that name, or name it with --plan", DefaultPlanName, cmpDir(o.dir))
	case err != nil:
		return fmt.Errorf("read plan %s: %v", name, unwrapPath(err))
	}
	// The program loads while the plan is parsed (the plan of a large
	// program is megabytes of YAML); a plan that does not parse stops the
	// load.
	cfg := analysis.Config{Dir: o.dir, Patterns: o.patterns, Tags: o.tags, Tests: o.tests}
	loadCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	// the model, when its cache key came after it, is stored while the
	// program is checked
	defer pipeline.Wait()
	type load struct {
		cfg    analysis.Config // resolved, for the root
		m      *model.Model
		phases []pipeline.Phase
		err    error
	}
	loading := make(chan load, 1)
	go func() {
		cfg := cfg
		if r, err := cfg.Resolve(loadCtx); err == nil {
			cfg = r
		} // else the load reports the failure, in its own words
		m, phases, err := pipeline.Load(loadCtx, cfg, o.algo, o.noCache)
		loading <- load{cfg, m, phases, err}
	}()
	accepted, err := check.ParseAccepted(name, data)
	if err != nil {
		cancel()
		<-loading
		return err
	}
	phases := []pipeline.Phase{{Name: "plan", Took: time.Since(start)}}
	l := <-loading
	if l.err != nil {
		return l.err
	}
	m, cfg := l.m, l.cfg
	phases = append(phases, l.phases...)
	if len(m.Errors) > 0 {
		for _, e := range m.Errors {
			msg := e.Msg
			if e.Pos != "" {
				msg = e.Pos + ": " + msg
			}
			fmt.Fprintln(o.stderr, "decompose: "+term(msg))
		}
		return fmt.Errorf("the program did not load completely (%d problems above): check needs all of it", len(m.Errors))
	}
	root := m.Root
	if root == "" { // a cached model does not carry it
		if root, err = analysis.RootDir(ctx, cfg); err != nil {
			return err
		}
	}
	// Plan entries that name nothing are errors, and drift is reported,
	// when the whole program is checked; narrower patterns leave part of
	// it out, and a part clusters differently.
	whole := len(o.patterns) == 0 || slices.Equal(o.patterns, []string{"./..."})
	o.noDrift = o.noDrift || !whole
	res, err := check.Check(m, accepted, check.Options{Root: root, Strict: whole, Drift: !o.noDrift})
	if err != nil {
		return err
	}
	phases = append(phases, pipeline.Phase{Name: "check", Took: res.Took - res.Drift})
	if !o.noDrift {
		phases = append(phases, pipeline.Phase{Name: "drift", Took: res.Drift})
	}
	if o.newFromRev != "" {
		start := time.Now()
		before, err := o.reportsAt(ctx, o.newFromRev, accepted, cfg)
		if err != nil {
			return err
		}
		res = onlyNew(res, before)
		phases = append(phases, pipeline.Phase{Name: "revision", Took: time.Since(start)})
	}
	if o.verbose {
		// on stderr: stdout holds the reports, in the format asked for
		var parts []string
		for _, p := range phases {
			parts = append(parts, p.Name+" "+dur(p.Took))
		}
		fmt.Fprintf(o.stderr, "timings  %s\n", strings.Join(parts, ", "))
	}
	if err := o.write(ctx, res, name, root); err != nil {
		return err
	}
	if err := o.writeFiles(ctx, res, name, root); err != nil {
		return err
	}
	if res.Violations > 0 {
		fmt.Fprintf(o.stderr, "decompose: %d %s of %s\n", res.Violations, scaffoldPlural(res.Violations, "violation"), term(name))
		return errProblems
	}
	return nil
}

// write prints the reports. Positions are relative to the module (or
// workspace) root, as in the plan; for GitHub annotations and SARIF, which
// GitHub resolves from the repository's root, they are relative to the root
// of the git work tree holding the module, when there is one.
func (o *checkOptions) write(ctx context.Context, res *check.Result, planName, root string) error {
	github := o.format == "text" && o.getenv("GITHUB_ACTIONS") == "true"
	if github || o.format == "sarif" {
		res = underRepository(ctx, res, root)
	}
	switch {
	case o.format == "json":
		b, err := check.MarshalJSON(res, planName)
		if err != nil {
			return err
		}
		_, err = o.stdout.Write(b)
		return err
	case o.format == "sarif":
		b, err := check.MarshalSARIF(res, sarifTool())
		if err != nil {
			return err
		}
		_, err = o.stdout.Write(b)
		return err
	case github:
		return check.WriteGitHub(o.stdout, res)
	}
	return check.WriteText(o.stdout, res)
}

// writeFiles writes the SARIF log and appends the summary where --sarif
// and --summary ask, with positions from the repository's root, as GitHub
// reads them.
func (o *checkOptions) writeFiles(ctx context.Context, res *check.Result, planName, root string) error {
	if o.sarifPath == "" && o.summary == "" {
		return nil
	}
	res = underRepository(ctx, res, root)
	if o.sarifPath != "" {
		b, err := check.MarshalSARIF(res, sarifTool())
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.relative(o.sarifPath), b, 0o644); err != nil {
			return fmt.Errorf("--sarif: %v", err)
		}
	}
	if o.summary != "" {
		var b strings.Builder
		if err := check.WriteSummary(&b, res, planName, o.newFromRev); err != nil {
			return err
		}
		f, err := os.OpenFile(o.relative(o.summary), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("--summary: %v", err)
		}
		if _, err := f.WriteString(b.String()); err != nil {
			f.Close()
			return fmt.Errorf("--summary: %v", err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("--summary: %v", err)
		}
	}
	return nil
}

// underRepository makes the positions of reports relative to the root of
// the git work tree that holds root; res as it is outside git, or when
// root is that work tree's root.
func underRepository(ctx context.Context, res *check.Result, root string) *check.Result {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return res
	}
	top, err := git(ctx, real, "rev-parse", "--show-toplevel")
	if err != nil {
		return res
	}
	rel, err := filepath.Rel(top, real)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return res
	}
	out := &check.Result{Violations: res.Violations}
	for _, r := range res.Reports {
		r.Pos = filepath.ToSlash(rel) + "/" + r.Pos
		out.Reports = append(out.Reports, r)
	}
	return out
}

// readPlanFile reads a plan: a regular file of at most check.MaxPlanSize
// bytes (the plan of a large program is megabytes long, far more than a
// config).
func readPlanFile(path string) ([]byte, error) {
	return readRegularFile(path, check.MaxPlanSize, fmt.Sprintf("larger than %d MiB", check.MaxPlanSize>>20))
}

// unwrapPath drops the path a PathError repeats.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
