// Package markdown renders a plan as plan.md, for people: the contexts,
// a context map GitHub draws (Mermaid), the blockers, the calls that become
// remote and who owns which table. It reads the plan only, so plan.md and
// plan.yaml always say the same thing.
package markdown

import (
	"fmt"
	"sort"
	"strings"

	"decompose/emit/plan"
)

// Limits keep plan.md readable on large programs; what is left out is
// counted, never dropped silently.
const (
	maxFindings  = 40 // blockers and warnings listed
	maxContracts = 60
	maxTables    = 60
	maxMapEdges  = 40
)

// Render returns plan.md for p.
func Render(p *plan.Plan) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("# Decomposition plan for %s\n\n", code(p.Module))
	sev := map[string]int{}
	for _, f := range p.Findings {
		sev[f.Severity]++
	}
	w("%d candidate contexts, %d shared-kernel packages; %d blockers, %d warnings. ", len(p.Contexts), len(p.SharedKernel), sev["blocker"], sev["warning"])
	w("Modularity Q %.2f, inter-context call share (ICP) %.2f.\n\n", p.Metrics.Modularity, p.Metrics.ICP)

	w("## Contexts\n\n")
	w("| context | packages | split packages | declarations | entry points | blockers | depends on | vocabulary |\n")
	w("|---|---|---|---|---|---|---|---|\n")
	blockers := map[string]int{}
	for _, f := range p.Findings {
		if f.Severity == "blocker" {
			for _, c := range f.Contexts {
				blockers[c]++
			}
		}
	}
	for _, c := range p.Contexts {
		w("| %s | %d | %d | %d | %d | %d | %s | %s |\n", code(c.Name), len(c.Packages), len(c.Members), c.Metrics.Decls,
			len(c.EntryPoints), blockers[c.Name], cell(c.Metrics.DependsOn, 6), cell(c.Vocabulary, 5))
	}
	w("\nShared kernel (a library every service carries): %s.\n\n", cell(p.SharedKernel, 12))

	w("## Context map\n\n")
	w("Solid arrows are synchronous calls, dashed ones asynchronous (every site fire-and-forget); labels count call sites.\n\n")
	b.WriteString(contextMap(p))

	w("\n## Blockers and warnings\n\n")
	var shown, left int
	for _, f := range p.Findings {
		if f.Severity == "info" {
			continue
		}
		if shown == 0 {
			w("| severity | check | contexts | object | position | remedy |\n|---|---|---|---|---|---|\n")
		}
		if shown == maxFindings {
			left++
			continue
		}
		shown++
		w("| %s | %s | %s | %s | %s | %s |\n", f.Severity, f.Check, cell(f.Contexts, 4), code(f.Object), code(f.Pos), escape(f.Remedy))
	}
	if shown == 0 {
		w("None.\n")
	}
	if left > 0 {
		w("\n%d more in plan.yaml.\n", left)
	}

	w("\n## Calls that become remote\n\n")
	if len(p.Contracts) == 0 {
		w("None: no context calls another.\n")
	} else {
		w("| from | to | caller → callee | sites | style | first site |\n|---|---|---|---|---|---|\n")
		for i, c := range p.Contracts {
			if i == maxContracts {
				w("\n%d more in plan.yaml.\n", len(p.Contracts)-maxContracts)
				break
			}
			w("| %s | %s | %s → %s | %d | %s | %s |\n", c.From, c.To, code(short(c.Caller)), code(short(c.Callee)), c.Sites, c.Style, code(c.Pos))
		}
	}

	w("\n## Data ownership\n\n")
	if len(p.DataOwnership) == 0 {
		w("No SQL table access found.\n")
	} else {
		ctxs := tableContexts(p.DataOwnership)
		w("| table | owner | %s |\n|---|---|%s\n", strings.Join(ctxs, " | "), strings.Repeat("---|", len(ctxs)))
		for i, t := range p.DataOwnership {
			if i == maxTables {
				w("\n%d more tables in plan.yaml.\n", len(p.DataOwnership)-maxTables)
				break
			}
			owner := t.Owner
			if t.Shared {
				owner = "**shared**"
			}
			var marks []string
			for _, c := range ctxs {
				marks = append(marks, t.Access[c])
			}
			w("| %s | %s | %s |\n", code(t.Table), owner, strings.Join(marks, " | "))
		}
	}

	w("\n## Metrics\n\n")
	m := p.Metrics
	w("| Q | SM | ICP | IFN | NED |\n|---|---|---|---|---|\n| %.3f | %.3f | %.3f | %.3f | %.3f |\n", m.Modularity, m.StructuralModularity, m.ICP, m.IFN, m.NED)
	return []byte(b.String())
}

// contextMap draws the contexts and the calls between them in Mermaid.
func contextMap(p *plan.Plan) string {
	type key struct{ from, to string }
	sites := map[key]int{}
	async := map[key]bool{}
	for _, c := range p.Contracts {
		k := key{c.From, c.To}
		if _, seen := sites[k]; !seen {
			async[k] = true
		}
		sites[k] += c.Sites
		async[k] = async[k] && c.Style == "async"
	}
	keys := make([]key, 0, len(sites))
	for k := range sites {
		keys = append(keys, k)
	}
	// heaviest first, so a cap keeps what matters
	sort.Slice(keys, func(i, j int) bool {
		if sites[keys[i]] != sites[keys[j]] {
			return sites[keys[i]] > sites[keys[j]]
		}
		if keys[i].from != keys[j].from {
			return keys[i].from < keys[j].from
		}
		return keys[i].to < keys[j].to
	})
	var b strings.Builder
	b.WriteString("```mermaid\nflowchart LR\n")
	for _, c := range p.Contexts {
		fmt.Fprintf(&b, "  %s[\"%s<br/>%d entry points\"]\n", id(c.Name), c.Name, len(c.EntryPoints))
	}
	left := 0
	for i, k := range keys {
		if i >= maxMapEdges {
			left++
			continue
		}
		arrow := "-->"
		if async[k] {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|%d| %s\n", id(k.from), arrow, sites[k], id(k.to))
	}
	b.WriteString("```\n")
	if left > 0 {
		fmt.Fprintf(&b, "\nThe %d lightest of %d context pairs are not drawn.\n", left, len(keys))
	}
	return b.String()
}

// id makes a Mermaid node identifier from a context name.
func id(name string) string {
	var b strings.Builder
	b.WriteString("ctx_")
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func tableContexts(rows []plan.TableOwnership) []string {
	set := map[string]bool{}
	for _, r := range rows {
		for c := range r.Access {
			set[c] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// short drops the module-path part of a declaration ID: pkg.Name.
func short(decl string) string {
	if i := strings.LastIndexByte(decl, '/'); i >= 0 {
		return decl[i+1:]
	}
	return decl
}

func cell(xs []string, max int) string {
	if len(xs) == 0 {
		return "–"
	}
	if len(xs) > max {
		return escape(strings.Join(xs[:max], ", ")) + fmt.Sprintf(" (+%d)", len(xs)-max)
	}
	return escape(strings.Join(xs, ", "))
}

func code(s string) string {
	if s == "" {
		return "–"
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

// escape keeps text from breaking a table row.
func escape(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}
