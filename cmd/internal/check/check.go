// Package check holds a program to the decomposition a team accepted: the
// contexts, shared kernel and contracts of a plan.yaml, and its findings as
// the baseline. It reports the dependencies between contexts that no
// contract allows, code that nobody owns, new blockers, synchronous calls
// on edges the plan made asynchronous and, as advice, the units the
// clustering would now place elsewhere (drift).
//
// Check is a pure function of the model and the accepted plan: the same
// inputs give the same reports, in the same order.
package check

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/emit/plan"
)

// The rules a report breaks.
const (
	// RuleBoundary is a dependency between two contexts (a call, a
	// reference, a type use, a variable access) that no accepted contract
	// allows.
	RuleBoundary = "boundary"
	// RuleUnowned is a package, or a declaration of a split package, that
	// no context owns and the shared kernel does not either: new code.
	RuleUnowned = "unowned"
	// RuleBlocker is a finding of blocker severity that the plan's
	// findings (the baseline) do not hold.
	RuleBlocker = "new-blocker"
	// RuleSyncOnAsync is a call that waits for its result on an edge the
	// plan made asynchronous.
	RuleSyncOnAsync = "sync-on-async"
	// RuleDrift is advice, not a violation: a unit the clustering of the
	// program as it is now would place in another context.
	RuleDrift = "drift"
)

// Rules lists every rule, in the order reports of one position come.
var Rules = []string{RuleBoundary, RuleUnowned, RuleBlocker, RuleSyncOnAsync, RuleDrift}

// Report is one violation, or one piece of advice.
type Report struct {
	Rule string `json:"rule"`
	// Advice marks a report that is not a violation (drift).
	Advice bool `json:"advice,omitempty"`
	// Pos is "file:line:col" relative to the module or workspace root.
	Pos string `json:"pos"`
	// From and To are the two contexts of a dependency (To the context
	// the clustering suggests, for drift; From the accepted one).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Contexts are the contexts a finding involves.
	Contexts []string `json:"contexts,omitempty"`
	// Kind is the dependency's kind (call, dynamic-call, ref, type-ref,
	// read, write) or the finding's check.
	Kind string `json:"kind,omitempty"`
	// Source and Target are the declarations (or packages) involved:
	// caller and callee, user and used, the new code, the finding's
	// object.
	Source string `json:"source,omitempty"`
	Target string `json:"target,omitempty"`
	// Path is a call path that reaches the source: an entry point's label
	// (a route, main, background), then declaration IDs, the target last.
	Path    []string `json:"path,omitempty"`
	Message string   `json:"message"`
	// shortPath is Path without the module path, for text.
	shortPath []string
	// Fingerprint identifies the report without its position: the rule
	// and the declarations and contexts involved. It stays the same when
	// lines move.
	Fingerprint string `json:"fingerprint"`
}

// Result is what a check found.
type Result struct {
	Reports []Report
	// Violations counts the reports that are not advice.
	Violations int
	// Took is how long the check took, drift's clustering included;
	// Drift how long that took.
	Took, Drift time.Duration
}

// Options are the settings of a check.
type Options struct {
	// Root is the directory positions are relative to (the model's
	// Root); it is read for the positions of package clauses.
	Root string
	// Strict makes plan entries that name code the program does not have
	// errors: a package or pattern that matches no package, a member
	// declaration that does not exist.
	Strict bool
	// Drift runs the clustering to report drift.
	Drift bool
}

// Check holds the model to the accepted plan.
func Check(m *model.Model, a *Accepted, o Options) (*Result, error) {
	start := time.Now()
	c := newChecker(m, a, o)
	if o.Strict {
		if err := c.stale(); err != nil {
			return nil, err
		}
	}
	c.unowned()
	c.dependencies()
	c.blockers()
	var drift time.Duration
	if o.Drift {
		start := time.Now()
		if err := c.drift(); err != nil {
			return nil, err
		}
		drift = time.Since(start)
	}
	sortReports(c.reports)
	res := &Result{Reports: c.reports, Drift: drift}
	for _, r := range c.reports {
		if !r.Advice {
			res.Violations++
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// Owners other than contexts.
const (
	nobody  = ""         // new code
	ignored = "(ignore)" // left out by the plan's ignore patterns
)

type checker struct {
	m     *model.Model
	a     *Accepted
	o     Options
	decls map[string]model.Decl
	pkgs  map[string]model.Package
	*Index
	modules []string // module paths, longest first, for short names
	paths   *paths
	reports []Report
	// typesByName are the type declarations by their qualified name in
	// signatures ("catalog.Product"), made when first needed.
	typesByName map[string][]string
}

func newChecker(m *model.Model, a *Accepted, o Options) *checker {
	c := &checker{
		m: m, a: a, o: o,
		decls: map[string]model.Decl{}, pkgs: map[string]model.Package{},
		Index: a.Index(),
	}
	for _, d := range m.Decls {
		c.decls[d.ID] = d
	}
	for _, p := range m.Packages {
		c.pkgs[p.Path] = p
	}
	for _, mod := range m.Modules {
		c.modules = append(c.modules, mod.Path)
	}
	sort.Slice(c.modules, func(i, j int) bool { return len(c.modules[i]) > len(c.modules[j]) })
	c.paths = newPaths(m)
	return c
}

// packageOwner is the owner of a package placed wholly (or by a
// pattern), ignored, or nobody; split tells a split package.
func (c *checker) packageOwner(path string) (owner string, split bool) {
	if c.IgnoredPackages[path] {
		return ignored, false
	}
	if o, ok := c.Exact[path]; ok {
		return o, false
	}
	if _, ok := c.Split[path]; ok {
		return nobody, true
	}
	for _, p := range c.Patterns {
		if p.Matches(path) {
			return p.Owner, false
		}
	}
	return nobody, false
}

// owner is the owner of a declaration: a context, model.Kernel,
// ignored, or nobody; members of split packages as model.MemberOwner
// reads them.
func (c *checker) owner(id string) string {
	d, ok := c.decls[id]
	if !ok || c.IgnoredDecls[id] {
		return ignored
	}
	o, split := c.packageOwner(d.Package)
	if !split {
		return o
	}
	if o, ok := model.MemberOwner(c.Split[d.Package], d); ok {
		return o
	}
	return nobody
}

// isContext tells an owner that is a context.
func isContext(o string) bool {
	return o != nobody && o != ignored && o != model.Kernel
}

// stale refuses plan entries that name nothing in the program.
func (c *checker) stale() error {
	file := c.a.File
	for _, o := range c.a.Owners() {
		for _, e := range o.Packages {
			if prefix, ok := strings.CutSuffix(e.Value, "/..."); ok {
				p := Pattern{Prefix: prefix}
				found := false
				for path := range c.pkgs {
					if p.Matches(path) {
						found = true
						break
					}
				}
				if !found {
					return fmt.Errorf("%s:%d:%d: pattern %s matches no package of the program", file, e.At.Line, e.At.Col, e.Value)
				}
			} else if _, ok := c.pkgs[e.Value]; !ok {
				return fmt.Errorf("%s:%d:%d: package %s is not in the program", file, e.At.Line, e.At.Col, e.Value)
			}
		}
		for _, mem := range o.Members {
			if _, ok := c.pkgs[mem.Package.Value]; !ok {
				e := mem.Package
				return fmt.Errorf("%s:%d:%d: split package %s is not in the program", file, e.At.Line, e.At.Col, e.Value)
			}
			for _, d := range mem.Decls {
				if _, ok := c.decls[mem.Package.Value+"."+d.Value]; !ok {
					return fmt.Errorf("%s:%d:%d: %s has no declaration %s", file, d.At.Line, d.At.Col, mem.Package.Value, d.Value)
				}
			}
		}
	}
	return nil
}

// unowned reports packages no one owns, and declarations of split
// packages no one owns (a method only when its type is owned: else the
// type is reported).
func (c *checker) unowned() {
	for _, p := range c.m.Packages {
		if o, split := c.packageOwner(p.Path); o == nobody && !split {
			c.add(Report{
				Rule: RuleUnowned, Pos: c.packagePos(p), Source: p.Path,
				Message:     fmt.Sprintf("new package %s: no context owns it and it is not in the shared kernel; add it to a context's packages or to shared_kernel in the plan", p.Path),
				Fingerprint: fingerprint(RuleUnowned, p.Path),
			})
		}
	}
	for _, d := range c.m.Decls {
		if _, split := c.packageOwner(d.Package); !split || c.owner(d.ID) != nobody {
			continue
		}
		if d.Kind == model.KindMethod && c.owner(d.Package+"."+d.Recv) == nobody {
			continue
		}
		name := strings.TrimPrefix(d.ID, d.Package+".")
		c.add(Report{
			Rule: RuleUnowned, Pos: d.Pos, Source: d.ID,
			Message:     fmt.Sprintf("new declaration %s in split package %s: no context owns it; list %s under the members of a context or of the kernel in the plan", c.short(d.ID), c.short(d.Package), name),
			Fingerprint: fingerprint(RuleUnowned, d.ID),
		})
	}
}

// contractKey is an allowed call: the two contexts and the callee.
type contractKey struct{ from, to, callee string }

// styles are the styles the accepted contracts give one key.
type styles struct{ sync, async bool }

// dependencies reports the dependencies between contexts that no contract
// allows, and the synchronous calls on asynchronous edges.
//
// A call or dynamic call from A to B is allowed when a contract from A to
// B has its callee. A type is allowed to a context that takes part in a
// contract carrying it, as caller or callee, whichever context owns the
// type: the callee's receiver, the types its signature names, and the
// types those use (the fields of a request). A constant is a value
// compiled into its user, never a dependency between services. The types,
// function references (a handler passed on) and variables nothing but
// their package's init writes (an error sentinel) of B are allowed to A
// when the plan accepts that A depends on B: B is in A's
// metrics.depends_on, or a contract goes between them, either way. Any
// other variable access between contexts is state shared across future
// services, and never allowed.
func (c *checker) dependencies() {
	allowed := map[contractKey]*styles{}
	pairs := map[[2]string]bool{} // both orders
	pairStyles := map[[2]string]*styles{}
	carried := map[string]map[string]bool{} // context → types
	for _, ct := range c.a.Contracts {
		k := contractKey{ct.From, ct.To, ct.Callee}
		s := allowed[k]
		if s == nil {
			s = &styles{}
			allowed[k] = s
		}
		if ct.Style == "async" {
			s.async = true
		} else {
			s.sync = true
		}
		pair := [2]string{ct.From, ct.To}
		pairs[pair], pairs[[2]string{ct.To, ct.From}] = true, true
		ps := pairStyles[pair]
		if ps == nil {
			ps = &styles{}
			pairStyles[pair] = ps
		}
		ps.sync = ps.sync || ct.Style != "async"
		ps.async = ps.async || ct.Style == "async"
		for _, ctx := range []string{ct.From, ct.To} {
			if carried[ctx] == nil {
				carried[ctx] = map[string]bool{}
			}
			c.carried(ct.Callee, carried[ctx])
		}
	}
	c.closeTypes(carried)
	dependsOn := map[[2]string]bool{}
	for _, ctx := range c.a.Contexts {
		for _, d := range ctx.DependsOn {
			dependsOn[[2]string{ctx.Name, d.Value}] = true
		}
	}
	written := map[string]bool{}
	for _, e := range c.m.Edges {
		if e.Kind == model.EdgeWrite && e.From != e.To {
			if d, ok := c.decls[e.To]; ok && e.From != d.Package+".init" {
				written[e.To] = true
			}
		}
	}
	for _, e := range c.m.Edges {
		if e.Kind == model.EdgeImplements {
			continue // a type satisfying an interface depends on nothing
		}
		from, to := c.owner(e.From), c.owner(e.To)
		if from == to || !isContext(from) || !isContext(to) {
			continue
		}
		pair := [2]string{from, to}
		target := c.decls[e.To]
		ok := false
		switch e.Kind {
		case model.EdgeCall, model.EdgeDynamicCall, model.EdgeRef:
			if s := allowed[contractKey{from, to, e.To}]; s != nil {
				ok = true
				if e.Kind != model.EdgeRef && !s.sync && e.Weight > e.Async {
					c.syncOnAsync(e, from, to)
				}
			} else if e.Kind == model.EdgeRef {
				ok = target.Kind == model.KindConst || dependsOn[pair]
			}
		case model.EdgeTypeRef:
			ok = carried[from][e.To] || dependsOn[pair]
		case model.EdgeRead:
			ok = (pairs[pair] || dependsOn[pair]) && !written[e.To]
		}
		if !ok {
			waits := e.Kind != model.EdgeRef && e.Weight > e.Async
			c.boundary(e, from, to, pairs[pair] || dependsOn[pair], written[e.To], waits && pairStyles[pair] != nil && !pairStyles[pair].sync)
		}
	}
}

// qualified matches the types a signature names: "catalog.Product".
var qualified = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*`)

// carried adds the types a callee's contract carries: its receiver and the
// types its signature names (by package name, as signatures write them).
func (c *checker) carried(callee string, into map[string]bool) {
	d, ok := c.decls[callee]
	if !ok {
		return
	}
	if d.Recv != "" {
		into[d.Package+"."+d.Recv] = true
	}
	names := map[string]bool{}
	for _, q := range qualified.FindAllString(d.Signature, -1) {
		names[q] = true
	}
	if len(names) == 0 {
		return
	}
	if c.typesByName == nil {
		c.typesByName = map[string][]string{}
		for _, t := range c.m.Decls {
			if t.Kind == model.KindType {
				q := c.pkgs[t.Package].Name + "." + t.Name
				c.typesByName[q] = append(c.typesByName[q], t.ID)
			}
		}
	}
	for q := range names {
		for _, id := range c.typesByName[q] {
			into[id] = true
		}
	}
}

// closeTypes adds to each context's carried types the types those use
// (the fields of a request type), whoever owns them.
func (c *checker) closeTypes(carried map[string]map[string]bool) {
	uses := map[string][]string{}
	for _, e := range c.m.Edges {
		if e.Kind == model.EdgeTypeRef && c.decls[e.From].Kind == model.KindType {
			uses[e.From] = append(uses[e.From], e.To)
		}
	}
	for _, set := range carried {
		var queue []string
		for t := range set {
			queue = append(queue, t)
		}
		for len(queue) > 0 {
			t := queue[0]
			queue = queue[1:]
			for _, u := range uses[t] {
				if !set[u] {
					set[u] = true
					queue = append(queue, u)
				}
			}
		}
	}
}

// boundary reports a dependency no contract allows; asyncPair tells a
// call that waits on a pair whose every contract is asynchronous.
func (c *checker) boundary(e model.Edge, from, to string, pair, written, asyncPair bool) {
	src, dst := c.short(e.From), c.short(e.To)
	var what, why string
	switch e.Kind {
	case model.EdgeCall:
		what, why = "calls "+dst, "which no contract of the plan allows"
	case model.EdgeDynamicCall:
		what, why = "calls "+dst+" through an interface or a function value", "which no contract of the plan allows"
	case model.EdgeRef:
		what, why = "refers to "+dst, fmt.Sprintf("and %s does not depend on %s in the plan", from, to)
	case model.EdgeTypeRef:
		what, why = "uses type "+dst, fmt.Sprintf("which no contract of %s carries, and %s does not depend on %s in the plan", from, from, to)
	case model.EdgeRead:
		what = "reads variable " + dst
		switch {
		case written:
			why = "state of " + to + " shared across future services"
		case !pair:
			why = fmt.Sprintf("and %s does not depend on %s in the plan", from, to)
		}
	case model.EdgeWrite:
		what, why = "writes variable "+dst, "state of "+to+" shared across future services"
	default:
		what, why = string(e.Kind)+" "+dst, "which the plan does not allow"
	}
	if asyncPair && (e.Kind == model.EdgeCall || e.Kind == model.EdgeDynamicCall) {
		why += fmt.Sprintf(", and it waits where the plan makes every call from %s to %s asynchronous", from, to)
	}
	c.add(Report{
		Rule: RuleBoundary, Pos: c.edgePos(e), From: from, To: to, Kind: string(e.Kind), Source: e.From, Target: e.To,
		Path:        c.paths.to(e.From, e.To),
		Message:     fmt.Sprintf("%s → %s: %s %s, %s", from, to, src, what, why),
		Fingerprint: fingerprint(RuleBoundary, string(e.Kind), e.From, e.To, from, to),
	})
}

func (c *checker) syncOnAsync(e model.Edge, from, to string) {
	sync := e.Weight - e.Async
	sites := "a call that waits"
	if sync > 1 {
		sites = strconv.Itoa(sync) + " calls that wait"
	}
	c.add(Report{
		Rule: RuleSyncOnAsync, Pos: c.edgePos(e), From: from, To: to, Kind: string(e.Kind), Source: e.From, Target: e.To,
		Path:        c.paths.to(e.From, e.To),
		Message:     fmt.Sprintf("%s → %s: %s makes %s for %s, on an edge the plan made asynchronous; send it as an event or discard its result", from, to, c.short(e.From), sites, c.short(e.To)),
		Fingerprint: fingerprint(RuleSyncOnAsync, e.From, e.To, from, to),
	})
}

// edgePos is where an edge's first site is, else where its source is
// declared (the model gives no site for some references in generated
// init code).
func (c *checker) edgePos(e model.Edge) string {
	if e.Pos != "" {
		return e.Pos
	}
	return c.decls[e.From].Pos
}

// decomposition is the accepted plan as the cluster package writes one,
// its patterns expanded over the program's packages.
func (c *checker) decomposition() *cluster.Decomposition {
	d := &cluster.Decomposition{}
	packages := func(name string) []string {
		var out []string
		for _, p := range c.m.Packages {
			if o, split := c.packageOwner(p.Path); o == name && !split {
				out = append(out, p.Path)
			}
		}
		return out
	}
	members := func(o Owner) []cluster.Member {
		var out []cluster.Member
		for _, m := range o.Members {
			cm := cluster.Member{Package: m.Package.Value}
			for _, e := range m.Decls {
				cm.Decls = append(cm.Decls, e.Value)
			}
			out = append(out, cm)
		}
		return out
	}
	for _, ctx := range c.a.Contexts {
		d.Contexts = append(d.Contexts, cluster.Context{Name: ctx.Name, Packages: packages(ctx.Name), Members: members(ctx.Owner)})
	}
	d.Kernel.Packages = packages(model.Kernel)
	d.Kernel.Members = members(c.a.Kernel)
	return d
}

// blockers reports the blocker findings of the program, their contexts
// taken from the accepted plan, that the baseline does not hold.
func (c *checker) blockers() {
	known := map[string]bool{}
	for _, f := range c.a.Baseline {
		if f.Severity == string(model.SeverityBlocker) {
			known[f.Fingerprint()] = true
		}
	}
	for _, f := range plan.Findings(c.m, c.decomposition()) {
		if f.Severity != string(model.SeverityBlocker) || known[f.Fingerprint()] {
			continue
		}
		c.add(Report{
			Rule: RuleBlocker, Pos: f.Pos, Contexts: f.Contexts, Kind: f.Check, Source: f.Decl, Target: f.Object, Path: f.Path,
			Message:     fmt.Sprintf("new blocker in %s: %s: %s", strings.Join(f.Contexts, ", "), f.Check, f.Message),
			Fingerprint: f.Fingerprint(),
		})
	}
}

func (c *checker) add(r Report) {
	for _, p := range r.Path {
		r.shortPath = append(r.shortPath, c.short(p))
	}
	c.reports = append(c.reports, r)
}

// short is an ID without the module path: "checkout.Service.Pay".
func (c *checker) short(id string) string {
	for _, mod := range c.modules {
		if rest, ok := strings.CutPrefix(id, mod+"/"); ok {
			return rest
		}
	}
	return id
}

// packagePos is the position of the package clause of a package's first
// file, else its first line.
func (c *checker) packagePos(p model.Package) string {
	if len(p.Files) == 0 {
		return p.Dir
	}
	file := p.Files[0].Path
	if c.o.Root != "" {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, filepath.Join(c.o.Root, filepath.FromSlash(file)), nil, parser.PackageClauseOnly)
		if err == nil {
			pos := fset.Position(f.Package)
			return fmt.Sprintf("%s:%d:%d", file, pos.Line, pos.Column)
		}
	}
	return file + ":1:1"
}

// fingerprint hashes a report's identity.
func fingerprint(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:8])
}

// sortReports orders violations by position, then advice by position.
func sortReports(rs []Report) {
	rank := map[string]int{}
	for i, r := range Rules {
		rank[r] = i
	}
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Advice != b.Advice {
			return !a.Advice
		}
		if c := comparePos(a.Pos, b.Pos); c != 0 {
			return c < 0
		}
		if a.Rule != b.Rule {
			return rank[a.Rule] < rank[b.Rule]
		}
		if a.Message != b.Message {
			return a.Message < b.Message
		}
		return a.Fingerprint < b.Fingerprint
	})
}

// SplitPos splits "file:line:col" (col optional); ok is false when pos
// has no line.
func SplitPos(pos string) (file string, line, col int, ok bool) {
	parts := strings.Split(pos, ":")
	if len(parts) >= 3 {
		l, err1 := strconv.Atoi(parts[len(parts)-2])
		c, err2 := strconv.Atoi(parts[len(parts)-1])
		if err1 == nil && err2 == nil {
			return strings.Join(parts[:len(parts)-2], ":"), l, c, true
		}
	}
	if len(parts) >= 2 {
		if l, err := strconv.Atoi(parts[len(parts)-1]); err == nil {
			return strings.Join(parts[:len(parts)-1], ":"), l, 0, true
		}
	}
	return pos, 0, 0, false
}

func comparePos(a, b string) int {
	fa, la, ca, _ := SplitPos(a)
	fb, lb, cb, _ := SplitPos(b)
	switch {
	case fa != fb:
		return strings.Compare(fa, fb)
	case la != lb:
		return la - lb
	}
	return ca - cb
}
