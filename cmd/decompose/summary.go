package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/cmd/internal/pipeline"
	"decompose/emit/plan"
)

// printFindings counts the findings by check and severity and lists the
// blockers (every finding with -v).
func (s summary) printFindings(w io.Writer) error {
	if s.plan == nil {
		return nil
	}
	fs := s.plan.Findings
	bySev := map[string]int{}
	type key struct{ check, sev string }
	byCheck := map[key]int{}
	for _, f := range fs {
		bySev[f.Severity]++
		byCheck[key{f.Check, f.Severity}]++
	}
	fmt.Fprintf(w, "\nfindings: %d blockers, %d warnings, %d info\n", bySev["blocker"], bySev["warning"], bySev["info"])
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  SEVERITY\tCHECK\tCONTEXTS\tOBJECT\tPOSITION")
	for _, f := range fs {
		if f.Severity == "info" || (f.Severity == "warning" && !s.verbose) {
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", f.Severity, f.Check, term(dash(strings.Join(f.Contexts, ","))), term(f.Object), term(f.Pos))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	shared := 0
	for _, t := range s.plan.DataOwnership {
		if t.Shared {
			shared++
		}
	}
	if len(s.plan.DataOwnership) > 0 {
		fmt.Fprintf(w, "tables: %d, written by more than one context: %d\n", len(s.plan.DataOwnership), shared)
	}
	return nil
}

// printContexts lists the proposed contexts and the kernel.
func (s summary) printContexts(w io.Writer) error {
	d := s.dec
	if d == nil {
		return nil
	}
	fmt.Fprintf(w, "\ncontexts: %d (modularity %.2f)\n", len(d.Contexts), d.Metrics.Modularity)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  CONTEXT\tPACKAGES\tSPLIT\tENTRY POINTS\tVOCABULARY")
	for _, c := range d.Contexts {
		vocab := c.Vocabulary
		if len(vocab) > 5 {
			vocab = vocab[:5]
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%s\n", term(c.Name), len(c.Packages), len(c.Members), len(c.EntryPoints), term(strings.Join(vocab, " ")))
	}
	fmt.Fprintf(tw, "  (shared kernel)\t%d\t%d\t\t%d infrastructure\n", len(d.Kernel.Packages), len(d.Kernel.Members), len(d.Kernel.Infrastructure))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(d.Borderline) > 0 {
		fmt.Fprintf(w, "borderline placements: %d (see plan.yaml)\n", len(d.Borderline))
	}
	for _, warn := range d.Warnings {
		fmt.Fprintf(w, "warning: %s\n", term(warn))
	}
	return nil
}

// summary is the text printed on stdout after a run.
type summary struct {
	model   *model.Model
	dec     *cluster.Decomposition
	plan    *plan.Plan
	phases  []pipeline.Phase
	verbose bool
	history string // the history the co-change signal read, when on
	outDir  string
	written []string
	removed []string // by this run: written by an earlier one, no longer produced
}

func (s summary) print(w io.Writer) error {
	m := s.model
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	var mods []string
	for _, mod := range m.Modules {
		mods = append(mods, term(mod.Path))
	}
	fmt.Fprintf(tw, "modules\t%s\n", strings.Join(mods, ", "))
	gen, broken, lines := 0, 0, 0
	for _, p := range m.Packages {
		lines += p.Lines
		for _, f := range p.Files {
			if f.Generated {
				gen++
			}
		}
		if p.Broken {
			broken++
		}
	}
	fmt.Fprintf(tw, "packages\t%d (%d lines, %d generated files, %d with errors)\n", len(m.Packages), lines, gen, broken)
	kinds := map[model.DeclKind]int{}
	for _, d := range m.Decls {
		kinds[d.Kind]++
	}
	fmt.Fprintf(tw, "declarations\t%d (%s)\n", len(m.Decls), counts(kinds, []model.DeclKind{
		model.KindFunc, model.KindMethod, model.KindType, model.KindVar, model.KindConst}))
	ek := map[model.EdgeKind]int{}
	for _, e := range m.Edges {
		ek[e.Kind]++
	}
	fmt.Fprintf(tw, "edges\t%d (%s; call graph: %s)\n", len(m.Edges), counts(ek, model.EdgeKinds), m.Algorithm)
	entryKinds := map[model.EntryKind]int{}
	for _, e := range m.EntryPoints {
		entryKinds[e.Kind]++
	}
	fmt.Fprintf(tw, "entry points\t%d (%s)\n", len(m.EntryPoints), counts(entryKinds, []model.EntryKind{
		model.EntryHTTP, model.EntryGRPC, model.EntryConsumer, model.EntryBackground, model.EntryMain, model.EntryInit}))
	fmt.Fprintf(tw, "load errors\t%d\n", len(m.Errors))
	if s.history != "" {
		fmt.Fprintf(tw, "co-change\t%s\n", s.history)
	}
	if s.plan != nil && s.plan.Observed != nil {
		for _, line := range observedLines(s.plan.Observed) {
			fmt.Fprintf(tw, "%s\t%s\n", line[0], term(line[1]))
		}
	}
	if s.verbose {
		var parts []string
		for _, p := range s.phases {
			parts = append(parts, p.Name+" "+dur(p.Took))
		}
		fmt.Fprintf(tw, "timings\t%s\n", strings.Join(parts, ", "))
	}
	if s.outDir != "" {
		fmt.Fprintf(tw, "written\t%s: %s\n", s.outDir, strings.Join(s.written, ", "))
		if len(s.removed) > 0 {
			fmt.Fprintf(tw, "removed\t%s (no longer produced)\n", strings.Join(s.removed, ", "))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := s.printContexts(w); err != nil {
		return err
	}
	if err := s.printFindings(w); err != nil {
		return err
	}
	if s.verbose && len(m.EntryPoints) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "KIND\tMETHOD\tROUTE\tHANDLER\tPOSITION")
		for _, e := range m.EntryPoints {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Kind, term(dash(e.Method)), term(dash(e.Route)), term(dash(e.Decl)), term(e.Pos))
		}
		return tw.Flush()
	}
	return nil
}

// counts renders "k1 n1, k2 n2" in the given order, skipping zeros.
func counts[K ~string](m map[K]int, order []K) string {
	var parts []string
	for _, k := range order {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// term makes a string from the analyzed code safe to print on a terminal:
// control characters (escape sequences that retitle the window, set the
// clipboard or move the cursor; line breaks and tabs that break the
// columns), the invisible reordering marks and bytes that are not UTF-8
// (a lone 0x9b starts a sequence on some terminals) are written as Go
// escapes.
func term(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func dur(d time.Duration) string {
	return d.Round(time.Millisecond).String()
}

// observedLines say which profiles and traffic file the plan used.
func observedLines(o *plan.Observed) [][2]string {
	var out [][2]string
	for _, p := range o.Profiles {
		out = append(out, [2]string{"profile", fmt.Sprintf("%s: %.1f s of CPU over %.1f s, %.0f%% of it in the analyzed code (%d of %d functions)",
			p.Path, float64(p.TotalNanos)/1e9, float64(p.DurationNanos)/1e9, 100*float64(p.MappedNanos)/float64(max(p.TotalNanos, 1)), p.MappedFunctions, p.Functions)})
	}
	if o.Traffic != "" {
		out = append(out, [2]string{"traffic", fmt.Sprintf("%s: %d routes used", o.Traffic, len(o.Routes))})
	}
	return out
}
