package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"decompose/emit/scaffold"
)

// scaffoldOptions are the scaffold command's settings.
type scaffoldOptions struct {
	planPath     string
	out          string
	contexts     []string
	router       bool
	force        bool
	modulePrefix string
	quiet        bool
	verbose      bool

	stdout, stderr io.Writer
}

func newScaffoldCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &scaffoldOptions{stdout: stdout, stderr: stderr}
	cmd := &cobra.Command{
		Use:   "scaffold --plan plan.yaml --out DIR",
		Short: "Generate a Go module per context from a saved plan",
		Long: `scaffold reads a plan written by analyze (plan.yaml, edited or not) and writes,
for each context, a Go module that builds on its own: one AWS Lambda function
per entry point (or one per context with --router) adapting API Gateway,
SQS and EventBridge Scheduler events to the monolith's handler signatures, a
net/http server for a container runtime, typed clients of the contexts it
calls, the server of the calls it answers, an AWS SAM template.yaml and a
README whose TODO list points at every blocker. It does not analyze anything:
edit the plan (move a package, rename a context) and run it again.

A file is replaced only while its content is what scaffold wrote there;
edited files are skipped and listed (--force replaces them). Each context
The whole --out folder is assembled in a temporary folder beside it and
swapped in at once: a failure or an interrupt leaves the old scaffold or the
new one. A lock file keeps a second run into the same folder out.

Exit status: 0 on success (skipped files are listed, not errors), 2 on usage
errors and failures (a second run into a folder in use among them), 130 after
SIGINT and 143 after SIGTERM.`,
		Example: `  decompose analyze --out out ./... && decompose scaffold --plan out/plan.yaml --out services
  decompose scaffold --plan plan.yaml --out services --context checkout --router`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.planPath, "plan", "", "the saved plan (`FILE`: plan.yaml or plan.json)")
	f.StringVarP(&o.out, "out", "o", "", "write the scaffold into `DIR`, one folder per context")
	f.StringSliceVar(&o.contexts, "context", nil, "scaffold only this context (repeatable, or comma-separated `names`)")
	f.BoolVar(&o.router, "router", false, "one function per context serving all its triggers, not one per entry point")
	f.BoolVar(&o.force, "force", false, "replace edited files and files decompose did not write")
	f.StringVar(&o.modulePrefix, "module-prefix", "", "name each module `PREFIX`/<context> (default: <plan module>/services)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also list every function and the monolith code it runs")
	_ = cmd.MarkFlagFilename("plan", "yaml", "yml", "json")
	_ = cmd.MarkFlagDirname("out")
	return cmd
}

func (o *scaffoldOptions) validate() error {
	if o.planPath == "" {
		return fmt.Errorf("--plan is required: the plan.yaml that analyze --out wrote")
	}
	if o.out == "" {
		return fmt.Errorf("--out is required: the folder to write the scaffold into")
	}
	if o.quiet && o.verbose {
		return fmt.Errorf("--quiet and --verbose exclude each other")
	}
	for _, c := range o.contexts {
		if err := scaffold.ValidContextName(c); err != nil {
			return fmt.Errorf("--context: %v", err)
		}
	}
	return nil
}

func (o *scaffoldOptions) run(ctx context.Context) error {
	data, err := os.ReadFile(o.planPath)
	if err != nil {
		return fmt.Errorf("read plan: %v", err)
	}
	p, err := scaffold.ParsePlan(data)
	if err != nil {
		return fmt.Errorf("%s: %v", o.planPath, err)
	}
	s, err := scaffold.Generate(p, scaffold.Options{Contexts: o.contexts, Router: o.router, ModulePrefix: o.modulePrefix})
	if err != nil {
		return err
	}
	out := filepath.Clean(o.out)
	rep, err := scaffold.Write(ctx, out, s, scaffold.WriteOptions{Force: o.force})
	if err != nil {
		return err
	}
	if rep.Note != "" {
		fmt.Fprintln(o.stderr, "decompose: "+term(rep.Note))
	}
	if o.quiet {
		// skipped files are no error, but are never passed over in silence
		for _, sk := range rep.Skipped {
			fmt.Fprintf(o.stderr, "decompose: skipped %s: %s\n", term(sk.Path), sk.Reason)
		}
		return nil
	}
	return o.print(out, s, rep)
}

func (o *scaffoldOptions) print(out string, s *scaffold.Scaffold, rep *scaffold.Report) error {
	w := tabwriter.NewWriter(o.stdout, 0, 4, 2, ' ', 0)
	functions := 0
	for _, c := range s.Contexts {
		functions += len(c.Functions)
	}
	fmt.Fprintf(w, "scaffold\t%s: %d %s, %d %s\n", out, len(s.Contexts), scaffoldPlural(len(s.Contexts), "context"), functions, scaffoldPlural(functions, "function"))
	for _, c := range s.Contexts {
		clients := 0
		for p := range c.Files {
			if strings.HasPrefix(p, "clients/") {
				clients++
			}
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%d %s, %d %s\n", c.Name, c.Module, c.Runtime, len(c.Functions), scaffoldPlural(len(c.Functions), "function"), clients, scaffoldPlural(clients, "client"))
		if o.verbose {
			for _, f := range c.Functions {
				fmt.Fprintf(w, "    cmd/%s\t%s\t%s\n", f.Name, term(strings.Join(f.Trigger, ", ")), term(strings.Join(f.Wraps, ", ")))
			}
		}
	}
	fmt.Fprintf(w, "files\t%d created, %d updated, %d unchanged", len(rep.Created), len(rep.Updated), len(rep.Unchanged))
	if len(rep.Overwritten) > 0 {
		fmt.Fprintf(w, ", %d overwritten (--force)", len(rep.Overwritten))
	}
	if len(rep.Removed) > 0 {
		fmt.Fprintf(w, ", %d removed (no longer generated)", len(rep.Removed))
	}
	fmt.Fprintln(w)
	if err := w.Flush(); err != nil {
		return err
	}
	if len(rep.Skipped) > 0 {
		fmt.Fprintf(o.stdout, "skipped %d %s, left as they are (--force replaces them):\n", len(rep.Skipped), scaffoldPlural(len(rep.Skipped), "file"))
		for _, sk := range rep.Skipped {
			fmt.Fprintf(o.stdout, "  %s: %s\n", term(sk.Path), sk.Reason)
		}
	}
	if len(rep.Kept) > 0 {
		fmt.Fprintf(o.stdout, "kept %d edited %s that the plan no longer generates:\n", len(rep.Kept), scaffoldPlural(len(rep.Kept), "file"))
		for _, k := range rep.Kept {
			fmt.Fprintf(o.stdout, "  %s\n", term(k))
		}
	}
	if len(rep.Orphans) > 0 {
		fmt.Fprintf(o.stdout, "left alone: %s, scaffolded for contexts the plan no longer has\n", term(strings.Join(rep.Orphans, ", ")))
	}
	if o.verbose {
		for _, c := range s.Contexts {
			for _, warn := range c.Warnings {
				fmt.Fprintf(o.stdout, "note: %s: %s\n", c.Name, term(warn))
			}
		}
	}
	return nil
}

func scaffoldPlural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
