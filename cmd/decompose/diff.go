package main

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"decompose/cmd/internal/check"
	"decompose/cmd/internal/check/plandiff"
	"decompose/emit/english"
)

// diffOptions are the diff command's settings.
type diffOptions struct {
	dir      string
	format   string
	exitCode bool
	labels   []string
	old, new string

	stdin          io.Reader
	stdout, stderr io.Writer
}

func newDiffCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &diffOptions{stdout: stdout, stderr: stderr}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two plans: contexts, units, contracts and findings",
		Long: `diff compares two plans — plan.yaml or plan.json as analyze writes them, or
accepted plans as check reads them (` + DefaultPlanName + `, edited by hand) — and
reports what changed in the decomposition:

  contexts      added, removed or renamed; contexts are matched by the
                overlap of the units they own (Jaccard index at least 0.5,
                the best pairs first), not by name
  units         packages, package patterns and declarations of split
                packages that moved from one context (or the shared kernel,
                or the ignored code) to another, or that one plan only owns
  contracts     the calls allowed between contexts, added, removed or
                changed between sync and async; and the allowed
                dependencies (metrics.depends_on) added or removed
  findings      opened, closed or changed, matched by their fingerprint
                (check, object, declaration and contexts, not the line);
                changed: another severity, or other contexts for the same
                check, object and declaration

The Markdown form (default) is made for a pull-request comment; --format
json lists every change. Either plan can be - for standard input, and
--label names a plan in the output (first OLD, then NEW). diff reads only the
two plans, never the program.

Exit status: 0 (with --exit-code: 0 no differences, 1 differences), 2 a plan
that cannot be read or parsed, or plans of two different modules.`,
		Example: `  decompose diff out/plan.yaml ` + DefaultPlanName + `
  git show origin/main:` + DefaultPlanName + ` | decompose diff --label main - ` + DefaultPlanName + `
  decompose diff --format json --exit-code old/plan.json new/plan.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return fmt.Errorf("diff needs two plans, OLD and NEW; got %s", english.Plural(len(args), "argument"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.old, o.new = args[0], args[1]
			o.stdin = cmd.InOrStdin()
			if err := o.validate(); err != nil {
				return err
			}
			return o.run()
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.dir, "dir", "C", "", "run as if in `DIR` (like go -C): OLD and NEW are relative to it")
	f.StringVar(&o.format, "format", "markdown", "output: markdown (for a pull-request comment) or json")
	f.BoolVar(&o.exitCode, "exit-code", false, "exit with status 1 when the plans differ, like git diff --exit-code")
	f.StringArrayVar(&o.labels, "label", nil, "show `LABEL` for OLD in the output and errors (a second --label: for NEW), like diff --label; for a plan read from standard input")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"markdown", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagDirname("dir")
	return cmd
}

func (o *diffOptions) validate() error {
	if !slices.Contains([]string{"markdown", "json"}, o.format) {
		return fmt.Errorf("unknown --format %q: want markdown or json", o.format)
	}
	if o.old == "-" && o.new == "-" {
		return errors.New("OLD and NEW are both - : standard input holds one plan")
	}
	if len(o.labels) > 2 {
		return fmt.Errorf("--label given %d times: once for OLD, twice for OLD and NEW", len(o.labels))
	}
	return nil
}

func (o *diffOptions) run() error {
	old, err := o.read(o.old, 0)
	if err != nil {
		return err
	}
	new, err := o.read(o.new, 1)
	if err != nil {
		return err
	}
	d, err := plandiff.Compare(old, new)
	if err != nil {
		return err
	}
	if o.format == "json" {
		b, err := plandiff.MarshalJSON(d)
		if err != nil {
			return err
		}
		if _, err := o.stdout.Write(b); err != nil {
			return err
		}
	} else if err := plandiff.WriteMarkdown(o.stdout, d); err != nil {
		return err
	}
	if o.exitCode && d.Differences > 0 {
		return errProblems
	}
	return nil
}

// read reads and parses the i-th plan as check does; "-" is standard
// input. Its --label, if given, names it.
func (o *diffOptions) read(name string, i int) (*check.Accepted, error) {
	label := name
	if name == "-" {
		label = "stdin"
	}
	if i < len(o.labels) {
		label = o.labels[i]
	}
	if name == "-" {
		return check.ReadAccepted(label, o.stdin)
	}
	data, err := readPlanFile(relativeTo(o.dir, name))
	if err != nil {
		return nil, fmt.Errorf("read plan %s: %v", term(name), unwrapPath(err))
	}
	return check.ParseAccepted(label, data)
}
