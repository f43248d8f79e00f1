package plan

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"decompose/analysis/model"
	"decompose/cluster"
)

// Finding is a piece of state that blocks, or complicates, stateless
// extraction, with the contexts it involves.
type Finding struct {
	Check    string `yaml:"check" json:"check"`
	Title    string `yaml:"title" json:"title"`
	Severity string `yaml:"severity" json:"severity"`
	// Basis says why the severity is what it is.
	Basis  string `yaml:"basis" json:"basis"`
	Pos    string `yaml:"pos" json:"pos"`
	Object string `yaml:"object" json:"object"`
	// Contexts are every context whose code touches the object or holds
	// the site. Writers are the contexts that write it while serving
	// (writes during initialisation and start-up are not counted: each
	// service repeats them at its cold start); Readers those that read it.
	Contexts []string `yaml:"contexts,omitempty" json:"contexts,omitempty"`
	Writers  []string `yaml:"writers,omitempty" json:"writers,omitempty"`
	Readers  []string `yaml:"readers,omitempty" json:"readers,omitempty"`
	Decl     string   `yaml:"decl,omitempty" json:"decl,omitempty"`
	Phase    string   `yaml:"phase,omitempty" json:"phase,omitempty"`
	// Path is a call path from an entry point that makes it reachable.
	Path    []string `yaml:"path,omitempty" json:"path,omitempty"`
	Message string   `yaml:"message" json:"message"`
	Why     string   `yaml:"why" json:"why"`
	Remedy  string   `yaml:"remedy" json:"remedy"`
}

// Fingerprint identifies a finding without its position: its check,
// object, declaration and contexts, hashed. It stays the same when lines
// move, so that a finding is known again in a later plan (decompose check
// matches its baseline by it; findings.sarif carries it).
func (f Finding) Fingerprint() string {
	cs := append([]string{}, f.Contexts...)
	sort.Strings(cs)
	h := sha256.Sum256([]byte(strings.Join([]string{"finding", f.Check, f.Object, f.Decl, strings.Join(cs, ",")}, "\x00")))
	return hex.EncodeToString(h[:8])
}

// TableOwnership is one row of the table × context matrix.
type TableOwnership struct {
	Table string `yaml:"table" json:"table"`
	// Access maps each context that touches the table to "r", "w" or "rw".
	Access map[string]string `yaml:"access" json:"access"`
	// Owner is the only context that writes it, if there is one. The
	// shared kernel's accesses are listed but own nothing.
	Owner string `yaml:"owner,omitempty" json:"owner,omitempty"`
	// Shared marks a table more than one context writes: a blocker.
	Shared bool `yaml:"shared,omitempty" json:"shared,omitempty"`
}

// Locate returns a function that names the context holding a declaration
// of m under d (model.Kernel for the kernel, "" for unknown or ignored IDs).
func Locate(m *model.Model, d *cluster.Decomposition) func(declID string) string {
	return locateIn(m, d.Placement())
}

func locateIn(m *model.Model, p *model.Placement) func(declID string) string {
	decls := make(map[string]model.Decl, len(m.Decls))
	for _, d := range m.Decls {
		decls[d.ID] = d
	}
	return func(id string) string {
		d, ok := decls[id]
		if !ok {
			return ""
		}
		return p.ContextOf(d)
	}
}

// stateChecks are the checks about state a context holds; a write by one
// context that another reads is the worst case of all.
var stateChecks = map[string]bool{
	"global-singleton": true, "global-mutable": true, "field-mutable": true, "cache-library": true,
}

// findings turns the model's findings into the plan's, with contexts. The
// per-query SQL findings are summarised by the data-ownership matrix
// instead.
func findings(m *model.Model, locate func(string) string) []Finding {
	var out []Finding
	for _, f := range m.Findings {
		if f.Check == "sql-tables" {
			continue
		}
		pf := Finding{
			Check: f.Check, Title: f.Title, Severity: string(f.Severity), Basis: f.Basis, Pos: f.Pos,
			Object: f.Object, Decl: f.Decl, Phase: string(f.Phase), Path: f.Path,
			Message: f.Message, Why: f.Why, Remedy: f.Remedy,
		}
		all := set{}
		writers, readers := set{}, set{}
		for _, a := range f.Writers {
			if a.Phase == model.PhaseInit || a.Phase == model.PhaseStartup {
				// set up before serving: each service rebuilds it at
				// its own cold start
				continue
			}
			writers.add(locate(a.Decl))
		}
		for _, a := range f.Readers {
			readers.add(locate(a.Decl))
		}
		all.addAll(writers)
		all.addAll(readers)
		if f.Decl != "" {
			all.add(locate(f.Decl))
		}
		all.add(locate(f.Object)) // a goroutine's function, when it is one
		pf.Contexts, pf.Writers, pf.Readers = all.sorted(), writers.sorted(), readers.sorted()
		if stateChecks[f.Check] && f.Severity != model.SeverityInfo {
			if others := readers.minus(writers); len(writers) > 0 && len(others) > 0 {
				pf.Severity = string(model.SeverityBlocker)
				pf.Basis = fmt.Sprintf("written by %s and read by %s: state shared across future services", strings.Join(writers.sorted(), ", "), strings.Join(others, ", "))
			}
		}
		out = append(out, pf)
	}
	return out
}

// ownership builds the table × context matrix and a finding for every
// table that more than one context touches.
func ownership(m *model.Model, locate func(string) string) ([]TableOwnership, []Finding) {
	type use struct {
		read, write bool
		pos         string // first write site, else first read site
	}
	tables := map[string]map[string]*use{}
	for _, t := range m.Tables {
		ctx := locate(t.Decl)
		if ctx == "" {
			continue
		}
		if tables[t.Table] == nil {
			tables[t.Table] = map[string]*use{}
		}
		u := tables[t.Table][ctx]
		if u == nil {
			u = &use{}
			tables[t.Table][ctx] = u
		}
		if t.Write {
			if !u.write {
				u.pos = t.Pos
			}
			u.write = true
		} else {
			if u.pos == "" {
				u.pos = t.Pos
			}
			u.read = true
		}
	}
	names := make([]string, 0, len(tables))
	for n := range tables {
		names = append(names, n)
	}
	sort.Strings(names)
	var rows []TableOwnership
	var fs []Finding
	for _, n := range names {
		row := TableOwnership{Table: n, Access: map[string]string{}}
		writers, readers := set{}, set{}
		for ctx, u := range tables[n] {
			mark := ""
			if u.read {
				mark += "r"
			}
			if u.write {
				mark += "w"
			}
			row.Access[ctx] = mark
			if ctx == model.Kernel {
				// the kernel is a library every service carries (and
				// the composition root migrates schemas at start-up):
				// its accesses are shown but own nothing
				continue
			}
			if u.read {
				readers.add(ctx)
			}
			if u.write {
				writers.add(ctx)
			}
		}
		w := writers.sorted()
		if len(w) == 1 {
			row.Owner = w[0]
		}
		row.Shared = len(w) > 1
		rows = append(rows, row)
		others := readers.minus(writers)
		if len(w) == 0 || (len(w) == 1 && len(others) == 0) {
			continue
		}
		f := Finding{
			Check: "shared-table", Title: "Database table shared between contexts",
			Object: "table:" + n, Contexts: union(w, readers.sorted()), Writers: w, Readers: readers.sorted(),
		}
		ctxs := slices.Sorted(maps.Keys(tables[n]))
		if len(w) > 1 {
			f.Severity = string(model.SeverityBlocker)
			f.Basis = "written by " + strings.Join(w, ", ")
			f.Pos = firstPos(tables[n], ctxs, func(u *use) bool { return u.write }, func(u *use) string { return u.pos })
			f.Message = fmt.Sprintf("table %s is written by %d contexts (%s)", n, len(w), strings.Join(w, ", "))
			f.Why = "services that write the same table are coupled through its schema and its invariants: neither can change, migrate or scale its data alone, and concurrent writers race."
			f.Remedy = "split the table so that each context owns its part, or give one context ownership and let the others call its API or react to its events; a serverless SQL database per service afterwards."
		} else {
			f.Severity = string(model.SeverityWarning)
			f.Basis = "written by " + w[0] + ", read by " + strings.Join(others, ", ")
			f.Pos = firstPos(tables[n], ctxs, func(u *use) bool { return !u.write }, func(u *use) string { return u.pos })
			f.Message = fmt.Sprintf("table %s is owned by %s and read directly by %s", n, w[0], strings.Join(others, ", "))
			f.Why = "a context that reads another's table depends on its schema: the owner can no longer change it alone."
			f.Remedy = "read through the owner's API, or keep a read model fed by the owner's events."
		}
		fs = append(fs, f)
	}
	return rows, fs
}

func firstPos[U any](m map[string]U, keys []string, pick func(U) bool, pos func(U) string) string {
	best := ""
	for _, k := range keys {
		if u := m[k]; pick(u) && (best == "" || pos(u) < best) {
			best = pos(u)
		}
	}
	return best
}

// sortFindings orders findings worst first, then by position.
func sortFindings(fs []Finding) {
	rank := map[string]int{"blocker": 0, "warning": 1, "info": 2}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(rank[a.Severity], rank[b.Severity]),
			cmp.Compare(a.Pos, b.Pos),
			cmp.Compare(a.Check, b.Check),
			cmp.Compare(a.Object, b.Object),
		)
	})
}

type set map[string]bool

func (s set) add(x string) {
	if x != "" {
		s[x] = true
	}
}

func (s set) addAll(t set) {
	for x := range t {
		s[x] = true
	}
}

func (s set) sorted() []string {
	out := make([]string, 0, len(s))
	for x := range s {
		out = append(out, x)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

// minus lists, sorted, the elements of s not in t.
func (s set) minus(t set) []string {
	var out []string
	for x := range s {
		if !t[x] {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

func union(a, b []string) []string {
	s := set{}
	for _, x := range a {
		s.add(x)
	}
	for _, x := range b {
		s.add(x)
	}
	return s.sorted()
}

// Locator is Locate for a plan already built (or read back from
// plan.yaml): it names the context holding each declaration of m.
func (p *Plan) Locator(m *model.Model) func(declID string) string {
	return locateIn(m, p.Placement())
}

// Placement is where the plan puts each declaration.
func (p *Plan) Placement() *model.Placement {
	pl := model.NewPlacement()
	for _, c := range p.Contexts {
		for _, pkg := range c.Packages {
			pl.Package(pkg, c.Name)
		}
		for _, m := range c.Members {
			pl.Members(m.Package, m.Decls, c.Name)
		}
	}
	for _, pkg := range p.SharedKernel {
		pl.Package(pkg, model.Kernel)
	}
	for _, m := range p.Kernel.Members {
		pl.Members(m.Package, m.Decls, model.Kernel)
	}
	for _, s := range p.Ignored {
		pl.Ignore(s)
	}
	for _, s := range p.IgnoredDecls {
		pl.Ignore(s)
	}
	return pl
}
