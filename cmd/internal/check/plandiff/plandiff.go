// Package plandiff compares two accepted decompositions: two plans as
// decompose analyze writes them (plan.yaml, plan.json), or two plans as
// decompose check reads them, edited by hand (package check parses both).
//
// It reports what a reviewer of a change to the plan needs to see:
//
//   - contexts added, removed or renamed. Contexts are matched by the
//     overlap of the units they own, not by name: the Jaccard index of
//     their units, at least MinOverlap, the best pairs first (ties by
//     shared units, then by the old and the new name); a context left
//     unmatched keeps its name's partner, if that is unmatched too. A
//     matched pair with two names is a rename.
//   - units (packages owned wholly, package patterns, declarations of
//     split packages) that moved from one owner to another — a context,
//     the shared kernel, the ignored code — or that only one plan owns;
//   - contracts (the calls allowed between contexts, by caller context,
//     callee context and callee) added, removed or changed between sync
//     and async; and the allowed dependencies (metrics.depends_on) added
//     or removed;
//   - findings opened, closed or changed. A finding is matched by its
//     fingerprint (check, object, declaration and contexts, not the
//     line), the old plan's contexts renamed as matched; one whose
//     severity differs is changed. Else one with the same check, object
//     and declaration is the same finding with other contexts: changed.
//
// Compare is a pure function of the two plans: the same inputs give the
// same diff, every list in a stable order.
package plandiff

import (
	"fmt"
	"sort"
	"strings"

	"decompose/analysis/model"
	"decompose/cmd/internal/check"
	"decompose/emit/plan"
)

// Schema names the version of the JSON form of a diff.
const Schema = "decompose/diff/v1"

// MinOverlap is the Jaccard index of their units from which an old and a
// new context can be the same context.
const MinOverlap = 0.5

// Ignored stands for the code a plan leaves out on purpose (ignored,
// ignored_decls) where an owner is named.
const Ignored = "(ignored)"

// Changes of a context.
const (
	ContextKept    = "kept"
	ContextRenamed = "renamed"
	ContextAdded   = "added"
	ContextRemoved = "removed"
)

// Changes of a contract, an allowed dependency or a finding.
const (
	Added    = "added"
	Removed  = "removed"
	Restyled = "restyled" // a contract changed between sync and async
	Opened   = "opened"
	Closed   = "closed"
	Changed  = "changed" // a finding's severity or contexts
)

// Kinds of unit.
const (
	KindPackage     = "package"
	KindPattern     = "pattern" // a package pattern ending in /...
	KindDeclaration = "declaration"
)

// Diff is what changed from one plan to another.
type Diff struct {
	Schema string `json:"schema"`
	// Old and New name the two plans.
	Old string `json:"old"`
	New string `json:"new"`
	// Module is the plans' module path.
	Module string `json:"module,omitempty"`
	// Differences counts every change below but the kept contexts.
	Differences int `json:"differences"`
	// Contexts are every context of either plan: renamed, added, removed,
	// then kept, each by name.
	Contexts []ContextChange `json:"contexts"`
	// Moved are the units both plans own, by different owners.
	Moved []Move `json:"moved"`
	// UnitsAdded are the units only the new plan owns, UnitsRemoved those
	// only the old one owns.
	UnitsAdded   []Unit             `json:"units_added"`
	UnitsRemoved []Unit             `json:"units_removed"`
	Contracts    []ContractChange   `json:"contracts"`
	DependsOn    []DependencyChange `json:"depends_on"`
	Findings     []FindingChange    `json:"findings"`
}

// ContextChange is a context of either plan and its partner in the other.
type ContextChange struct {
	// Change is kept, renamed, added or removed.
	Change string `json:"change"`
	// Old and New are its names in each plan (empty where it is not).
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// OldUnits and NewUnits count the units it owns in each plan, Common
	// those it owns in both; Overlap is their Jaccard index.
	OldUnits int     `json:"old_units"`
	NewUnits int     `json:"new_units"`
	Common   int     `json:"common"`
	Overlap  float64 `json:"overlap"`
}

// Move is a unit that changed owner.
type Move struct {
	Unit string `json:"unit"`
	Kind string `json:"kind"`
	// From is its owner in the old plan, by the old plan's name; To its
	// owner in the new one. An owner is a context, model.Kernel or
	// Ignored.
	From string `json:"from"`
	To   string `json:"to"`
}

// Unit is a unit only one plan owns, with its owner there.
type Unit struct {
	Unit    string `json:"unit"`
	Kind    string `json:"kind"`
	Context string `json:"context"`
}

// ContractChange is a contract added, removed or restyled. Contexts are
// named as in the plan that has the contract (the new one for a restyled
// contract).
type ContractChange struct {
	Change string `json:"change"`
	From   string `json:"from"`
	To     string `json:"to"`
	Callee string `json:"callee"`
	// Style is sync or async (sync when the plan has contracts of both
	// styles for the callee: a call that waits is allowed); OldStyle the
	// style before, for a restyled contract.
	Style    string `json:"style"`
	OldStyle string `json:"old_style,omitempty"`
}

// DependencyChange is an allowed dependency (From may use the types and
// functions of To) added or removed.
type DependencyChange struct {
	Change string `json:"change"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// FindingChange is a finding opened, closed or changed: in severity, or
// in contexts (the same check, object and declaration).
type FindingChange struct {
	Change   string `json:"change"`
	Severity string `json:"severity"`
	// OldSeverity is the severity before, for a finding whose severity
	// changed.
	OldSeverity string   `json:"old_severity,omitempty"`
	Check       string   `json:"check"`
	Object      string   `json:"object"`
	Decl        string   `json:"decl,omitempty"`
	Contexts    []string `json:"contexts,omitempty"`
	// OldContexts are the contexts before, as the old plan names them,
	// for a finding whose contexts changed (not by a rename alone).
	OldContexts []string `json:"old_contexts,omitempty"`
	Pos         string   `json:"pos,omitempty"`
	Message     string   `json:"message,omitempty"`
	// Fingerprint is the finding's in the plan that holds it (the new
	// one, for a changed finding).
	Fingerprint string `json:"fingerprint"`
}

// Compare compares two plans. Plans of two different modules are not two
// versions of one decomposition: an error.
func Compare(old, new *check.Accepted) (*Diff, error) {
	if old.Module != "" && new.Module != "" && old.Module != new.Module {
		return nil, fmt.Errorf("%s is a plan of module %s and %s of module %s: not two versions of one program's plan", old.File, old.Module, new.File, new.Module)
	}
	d := &Diff{
		Schema: Schema, Old: old.File, New: new.File, Module: new.Module,
		Contexts: []ContextChange{}, Moved: []Move{}, UnitsAdded: []Unit{}, UnitsRemoved: []Unit{},
		Contracts: []ContractChange{}, DependsOn: []DependencyChange{}, Findings: []FindingChange{},
	}
	if d.Module == "" {
		d.Module = old.Module
	}
	o, n := newSide(old), newSide(new)
	units := universe(o, n)
	oldOwners, newOwners := owners(o, units), owners(n, units)
	rename := d.matchContexts(old, new, units, oldOwners, newOwners)
	d.units(units, oldOwners, newOwners, rename)
	d.contracts(old, new, rename)
	d.dependsOn(old, new, rename)
	d.findings(old, new, rename)
	for _, c := range d.Contexts {
		if c.Change != ContextKept {
			d.Differences++
		}
	}
	d.Differences += len(d.Moved) + len(d.UnitsAdded) + len(d.UnitsRemoved) + len(d.Contracts) + len(d.DependsOn) + len(d.Findings)
	return d, nil
}

// unit is a package, a package pattern, or a declaration of a split
// package (pkg and name).
type unit struct {
	pkg, name string
	pattern   bool
}

func (u unit) String() string {
	if u.name != "" {
		return u.pkg + "." + u.name
	}
	return u.pkg
}

func (u unit) kind() string {
	switch {
	case u.name != "":
		return KindDeclaration
	case u.pattern:
		return KindPattern
	}
	return KindPackage
}

// side tells the owner of any unit in one plan, as check reads it.
// side is one plan's placement of the units.
type side struct{ *check.Index }

func newSide(a *check.Accepted) *side { return &side{a.Index()} }

// universe is every unit either plan names, sorted.
func universe(sides ...*side) []unit {
	seen := map[unit]bool{}
	for _, s := range sides {
		for p := range s.Exact {
			seen[unit{pkg: p}] = true
		}
		for _, p := range s.Patterns {
			seen[unit{pkg: p.Prefix, pattern: true}] = true
		}
		for p := range s.IgnoredPackages {
			seen[unit{pkg: p}] = true
		}
		for id := range s.IgnoredDecls {
			if pkg, name, ok := splitID(id); ok {
				seen[unit{pkg: pkg, name: name}] = true
			}
		}
		for p, names := range s.Split {
			for name := range names {
				seen[unit{pkg: p, name: name}] = true
			}
		}
	}
	out := make([]unit, 0, len(seen))
	for u := range seen {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.pkg != b.pkg {
			return a.pkg < b.pkg
		}
		if a.pattern != b.pattern {
			return !a.pattern
		}
		return a.name < b.name
	})
	return out
}

// splitID cuts a declaration ID into its package path and its name
// (Name or Type.Method): the first dot after the path's last slash.
func splitID(id string) (pkg, name string, ok bool) {
	slash := strings.LastIndexByte(id, '/')
	dot := strings.IndexByte(id[slash+1:], '.')
	if dot < 0 {
		return "", "", false
	}
	i := slash + 1 + dot
	return id[:i], id[i+1:], id[i+1:] != ""
}

// split marks a package unit whose package the plan splits: its owners
// are those of its declarations.
const split = "\x00split"

// owner is the owner of u in the plan: a context, model.Kernel,
// Ignored, split for a package the plan splits, or "" when the plan owns
// it not.
func (s *side) owner(u unit) string {
	if u.name != "" {
		if s.IgnoredDecls[u.String()] {
			return Ignored
		}
		if names, ok := s.Split[u.pkg]; ok {
			return memberOwner(names, u.name)
		}
		if o := s.packageOwner(u.pkg, false); o != split {
			return o
		}
		return ""
	}
	return s.packageOwner(u.pkg, u.pattern)
}

// packageOwner is the owner of a package, or of a pattern's prefix: an
// exact entry, else the longest pattern that covers it; a pattern the
// plan replaced by its packages takes the owner of its prefix package.
func (s *side) packageOwner(pkg string, isPattern bool) string {
	if !isPattern {
		if s.IgnoredPackages[pkg] {
			return Ignored
		}
		if o, ok := s.Exact[pkg]; ok {
			return o
		}
		if _, ok := s.Split[pkg]; ok {
			return split
		}
	}
	for _, p := range s.Patterns {
		if p.Matches(pkg) {
			return p.Owner
		}
	}
	if isPattern {
		if o, ok := s.Exact[pkg]; ok {
			return o
		}
	}
	return ""
}

// memberOwner reads a split package's members as check does: a method
// listed on its own ("Type.Method"), else with its type, else by name.
func memberOwner(names map[string]string, name string) string {
	if o, ok := names[name]; ok {
		return o
	}
	if recv, _, ok := strings.Cut(name, "."); ok {
		return names[recv]
	}
	return ""
}

func owners(s *side, units []unit) []string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = s.owner(u)
	}
	return out
}

// candidate is a possible pair of an old and a new context.
type candidate struct {
	old, new                  string
	common, union, olds, news int
}

// better orders candidates: the higher Jaccard index first (compared
// exactly, as fractions), then more shared units, then by name.
func (a candidate) better(b candidate) bool {
	if l, r := a.common*b.union, b.common*a.union; l != r {
		return l > r
	}
	if a.common != b.common {
		return a.common > b.common
	}
	if a.old != b.old {
		return a.old < b.old
	}
	return a.new < b.new
}

func (a candidate) overlap() float64 {
	if a.union == 0 {
		return 0
	}
	return float64(a.common) / float64(a.union)
}

// matchContexts pairs the contexts of the two plans, fills d.Contexts
// and returns the names of the old plan's owners in the new one.
func (d *Diff) matchContexts(old, new *check.Accepted, units []unit, oldOwners, newOwners []string) map[string]string {
	count := func(owners []string) map[string]int {
		m := map[string]int{}
		for _, o := range owners {
			m[o]++
		}
		return m
	}
	oldCount, newCount := count(oldOwners), count(newOwners)
	common := map[[2]string]int{}
	for i := range units {
		common[[2]string{oldOwners[i], newOwners[i]}]++
	}
	cand := func(o, n string) candidate {
		c := common[[2]string{o, n}]
		return candidate{old: o, new: n, common: c, union: oldCount[o] + newCount[n] - c, olds: oldCount[o], news: newCount[n]}
	}
	var cands []candidate
	for _, oc := range old.Contexts {
		for _, nc := range new.Contexts {
			c := cand(oc.Name, nc.Name)
			if c.common > 0 && float64(c.common) >= MinOverlap*float64(c.union) {
				cands = append(cands, c)
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].better(cands[j]) })
	rename := map[string]string{model.Kernel: model.Kernel, Ignored: Ignored}
	taken := map[string]bool{}
	var pairs []candidate
	for _, c := range cands {
		if _, ok := rename[c.old]; ok || taken[c.new] {
			continue
		}
		rename[c.old], taken[c.new] = c.new, true
		pairs = append(pairs, c)
	}
	// a context that no overlap matched keeps its name's partner, if
	// that is unmatched too: not a context removed and one added
	newNames := map[string]bool{}
	for _, nc := range new.Contexts {
		newNames[nc.Name] = true
	}
	for _, oc := range old.Contexts {
		if _, ok := rename[oc.Name]; !ok && newNames[oc.Name] && !taken[oc.Name] {
			rename[oc.Name], taken[oc.Name] = oc.Name, true
			pairs = append(pairs, cand(oc.Name, oc.Name))
		}
	}
	for _, c := range pairs {
		change := ContextKept
		if c.old != c.new {
			change = ContextRenamed
		}
		d.Contexts = append(d.Contexts, ContextChange{Change: change, Old: c.old, New: c.new, OldUnits: c.olds, NewUnits: c.news, Common: c.common, Overlap: round(c.overlap())})
	}
	for _, oc := range old.Contexts {
		if _, ok := rename[oc.Name]; !ok {
			d.Contexts = append(d.Contexts, ContextChange{Change: ContextRemoved, Old: oc.Name, OldUnits: oldCount[oc.Name]})
		}
	}
	for _, nc := range new.Contexts {
		if !taken[nc.Name] {
			d.Contexts = append(d.Contexts, ContextChange{Change: ContextAdded, New: nc.Name, NewUnits: newCount[nc.Name]})
		}
	}
	order := map[string]int{ContextRenamed: 0, ContextAdded: 1, ContextRemoved: 2, ContextKept: 3}
	sort.SliceStable(d.Contexts, func(i, j int) bool {
		a, b := d.Contexts[i], d.Contexts[j]
		if order[a.Change] != order[b.Change] {
			return order[a.Change] < order[b.Change]
		}
		return a.name() < b.name()
	})
	return rename
}

func (c ContextChange) name() string {
	if c.New != "" {
		return c.New
	}
	return c.Old
}

// round keeps three decimals: enough to read, stable to print.
func round(x float64) float64 {
	return float64(int(x*1000+0.5)) / 1000
}

// renamed is an old owner's name in the new plan, for comparisons; a
// removed context is named so that no context of the new plan is, even
// one that took its name. A nil rename is the new plan's own: names are
// as they are.
func renamed(rename map[string]string, old string) string {
	if rename == nil {
		return old
	}
	if n, ok := rename[old]; ok {
		return n
	}
	return "\x00removed " + old
}

// units fills the moved, added and removed units. A package one plan
// splits is compared declaration by declaration.
func (d *Diff) units(units []unit, oldOwners, newOwners []string, rename map[string]string) {
	for i, u := range units {
		o, n := oldOwners[i], newOwners[i]
		switch {
		case o == split || n == split, o == "" && n == "":
		case o == "":
			d.UnitsAdded = append(d.UnitsAdded, Unit{Unit: u.String(), Kind: u.kind(), Context: n})
		case n == "":
			d.UnitsRemoved = append(d.UnitsRemoved, Unit{Unit: u.String(), Kind: u.kind(), Context: o})
		case renamed(rename, o) != n:
			d.Moved = append(d.Moved, Move{Unit: u.String(), Kind: u.kind(), From: o, To: n})
		}
	}
}

// contractKey is what check allows: a call from one context to another's
// callee.
type contractKey struct{ from, to, callee string }

// styles gives each key the style check holds it to: sync when any of
// its contracts is sync, else async.
func styles(cs []check.Contract, rename map[string]string) (map[contractKey]string, map[contractKey]contractKey) {
	out := map[contractKey]string{}
	orig := map[contractKey]contractKey{} // renamed key → as in the plan
	for _, c := range cs {
		k := contractKey{renamed(rename, c.From), renamed(rename, c.To), c.Callee}
		orig[k] = contractKey{c.From, c.To, c.Callee}
		if out[k] != "sync" {
			out[k] = c.Style
		}
	}
	return out, orig
}

func (d *Diff) contracts(old, new *check.Accepted, rename map[string]string) {
	before, orig := styles(old.Contracts, rename)
	after, _ := styles(new.Contracts, nil)
	for k, style := range after {
		switch was, ok := before[k]; {
		case !ok:
			d.Contracts = append(d.Contracts, ContractChange{Change: Added, From: k.from, To: k.to, Callee: k.callee, Style: style})
		case was != style:
			d.Contracts = append(d.Contracts, ContractChange{Change: Restyled, From: k.from, To: k.to, Callee: k.callee, Style: style, OldStyle: was})
		}
	}
	for k, style := range before {
		if _, ok := after[k]; !ok {
			o := orig[k]
			d.Contracts = append(d.Contracts, ContractChange{Change: Removed, From: o.from, To: o.to, Callee: o.callee, Style: style})
		}
	}
	order := map[string]int{Added: 0, Removed: 1, Restyled: 2}
	sort.Slice(d.Contracts, func(i, j int) bool {
		a, b := d.Contracts[i], d.Contracts[j]
		if order[a.Change] != order[b.Change] {
			return order[a.Change] < order[b.Change]
		}
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.Callee < b.Callee
	})
}

func (d *Diff) dependsOn(old, new *check.Accepted, rename map[string]string) {
	pairs := func(a *check.Accepted, rename map[string]string) map[[2]string][2]string {
		out := map[[2]string][2]string{} // renamed pair → as in the plan
		for _, c := range a.Contexts {
			for _, e := range c.DependsOn {
				out[[2]string{renamed(rename, c.Name), renamed(rename, e.Value)}] = [2]string{c.Name, e.Value}
			}
		}
		return out
	}
	before, after := pairs(old, rename), pairs(new, nil)
	for k := range after {
		if _, ok := before[k]; !ok {
			d.DependsOn = append(d.DependsOn, DependencyChange{Change: Added, From: k[0], To: k[1]})
		}
	}
	for k, o := range before {
		if _, ok := after[k]; !ok {
			d.DependsOn = append(d.DependsOn, DependencyChange{Change: Removed, From: o[0], To: o[1]})
		}
	}
	sort.Slice(d.DependsOn, func(i, j int) bool {
		a, b := d.DependsOn[i], d.DependsOn[j]
		if a.Change != b.Change {
			return a.Change == Added
		}
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
}

// severityRank orders findings: the worst first.
var severityRank = map[string]int{"blocker": 0, "warning": 1, "info": 2}

func (d *Diff) findings(old, new *check.Accepted, rename map[string]string) {
	index := func(fs []plan.Finding, rename map[string]string) (map[string]plan.Finding, []string) {
		out := map[string]plan.Finding{}
		var keys []string
		for _, f := range fs {
			g := f
			g.Contexts = make([]string, len(f.Contexts))
			for i, c := range f.Contexts {
				g.Contexts[i] = renamed(rename, c)
			}
			k := g.Fingerprint()
			if _, ok := out[k]; !ok {
				out[k] = f
				keys = append(keys, k)
			}
		}
		return out, keys
	}
	before, beforeKeys := index(old.Baseline, rename)
	after, afterKeys := index(new.Baseline, nil)
	change := func(kind string, f plan.Finding) FindingChange {
		return FindingChange{
			Change: kind, Severity: f.Severity, Check: f.Check, Object: f.Object, Decl: f.Decl,
			Contexts: f.Contexts, Pos: f.Pos, Message: f.Message, Fingerprint: f.Fingerprint(),
		}
	}
	changed := func(was, f plan.Finding, sameContexts bool) {
		c := change(Changed, f)
		if was.Severity != f.Severity {
			c.OldSeverity = was.Severity
		}
		if !sameContexts {
			c.OldContexts = was.Contexts
			if c.OldContexts == nil {
				c.OldContexts = []string{}
			}
		}
		d.Findings = append(d.Findings, c)
	}
	// the same fingerprint, the old contexts renamed: the same finding
	type object struct{ check, object, decl string }
	var opened []plan.Finding
	for _, k := range afterKeys {
		f := after[k]
		if was, ok := before[k]; !ok {
			opened = append(opened, f)
		} else if was.Severity != f.Severity {
			changed(was, f, true)
		}
	}
	// else the same check, object and declaration: the same finding,
	// whose contexts changed
	closed := map[object][]plan.Finding{}
	for _, k := range beforeKeys {
		if _, ok := after[k]; !ok {
			f := before[k]
			o := object{f.Check, f.Object, f.Decl}
			closed[o] = append(closed[o], f)
		}
	}
	for _, f := range opened {
		o := object{f.Check, f.Object, f.Decl}
		if was := closed[o]; len(was) > 0 {
			changed(was[0], f, false)
			closed[o] = was[1:]
			continue
		}
		d.Findings = append(d.Findings, change(Opened, f))
	}
	for _, k := range beforeKeys {
		f := before[k]
		o := object{f.Check, f.Object, f.Decl}
		if was := closed[o]; len(was) > 0 && was[0].Fingerprint() == f.Fingerprint() {
			d.Findings = append(d.Findings, change(Closed, f))
			closed[o] = was[1:]
		}
	}
	order := map[string]int{Opened: 0, Closed: 1, Changed: 2}
	sort.SliceStable(d.Findings, func(i, j int) bool {
		a, b := d.Findings[i], d.Findings[j]
		if order[a.Change] != order[b.Change] {
			return order[a.Change] < order[b.Change]
		}
		if ra, rb := rank(a.Severity), rank(b.Severity); ra != rb {
			return ra < rb
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		if a.Object != b.Object {
			return a.Object < b.Object
		}
		return a.Fingerprint < b.Fingerprint
	})
}

func rank(severity string) int {
	if r, ok := severityRank[severity]; ok {
		return r
	}
	return len(severityRank)
}
