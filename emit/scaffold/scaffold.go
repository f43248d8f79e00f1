package scaffold

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"

	"golang.org/x/mod/module"

	"decompose/analysis/model"
	"decompose/emit/plan"
)

// Options tune a scaffold.
type Options struct {
	// Contexts limits the scaffold to these contexts; all when empty.
	Contexts []string
	// Router deploys each context as one function serving all its
	// triggers (routes, schedules, queues) instead of one function per
	// entry point.
	Router bool
	// ModulePrefix names each context's module <ModulePrefix>/<context>;
	// default <plan module>/services.
	ModulePrefix string
}

// Scaffold is a generated scaffold.
type Scaffold struct {
	// Contexts are the scaffolded contexts, sorted by name.
	Contexts []Context
	// All names every context of the plan, scaffolded or not.
	All []string
}

// Context is the scaffold of one context: a Go module in the folder Dir.
type Context struct {
	Name    string
	Dir     string
	Module  string
	Package string
	// Runtime is the context's target runtime (function, container or
	// stateful), from the plan's summary or derived from its entry
	// points; RuntimeReason says why.
	Runtime       string
	RuntimeReason string
	Functions     []Function
	// Files are the generated files, by slash-separated path inside Dir.
	Files map[string][]byte
	// Warnings are problems of the plan that the scaffold works around.
	Warnings []string
}

// Function is one deployable function of a context.
type Function struct {
	// Name is its folder under cmd/, and ID its name in template.yaml.
	Name string
	ID   string
	// Trigger is what invokes it: "GET /cart", "schedule rate(1 minute)",
	// "queue SendConfirmationQueue".
	Trigger []string
	// Wraps are the monolith's code it runs once wired: "decl (pos)".
	Wraps []string
}

// Files returns every file of the scaffold, by slash-separated path from
// the output folder ("checkout/go.mod").
func (s *Scaffold) Files() map[string][]byte {
	out := map[string][]byte{}
	for _, c := range s.Contexts {
		for p, b := range c.Files {
			out[c.Dir+"/"+p] = b
		}
	}
	return out
}

// Generate makes the scaffold of the plan's contexts. It is pure: the same
// plan and options give the same files, byte for byte.
func Generate(p *plan.Plan, o Options) (*Scaffold, error) {
	if err := CheckPlan(p); err != nil {
		return nil, err
	}
	prefix := o.ModulePrefix
	if prefix == "" {
		prefix = p.Module + "/services"
	}
	prefix = strings.TrimSuffix(prefix, "/")
	byName := map[string]plan.Context{}
	var names []string
	for _, c := range p.Contexts {
		byName[c.Name] = c
		names = append(names, c.Name)
	}
	sort.Strings(names)
	selected := names
	if len(o.Contexts) > 0 {
		seen := map[string]bool{}
		selected = nil
		for _, n := range o.Contexts {
			if _, ok := byName[n]; !ok {
				return nil, fmt.Errorf("unknown context %q: the plan has %s", n, strings.Join(names, ", "))
			}
			if !seen[n] {
				seen[n] = true
				selected = append(selected, n)
			}
		}
		sort.Strings(selected)
	}
	known := knownPackages(p)
	apis := buildAPIs(p.Contracts, known)
	s := &Scaffold{All: names}
	for _, n := range selected {
		mod := prefix + "/" + n
		if err := module.CheckImportPath(mod); err != nil {
			return nil, fmt.Errorf("module path %s: %v (set a module prefix)", mod, err)
		}
		m := newContextModel(p, byName[n], mod, apis, known, o.Router)
		files, err := m.files()
		if err != nil {
			return nil, fmt.Errorf("context %s: %w", n, err)
		}
		c := Context{
			Name: n, Dir: n, Module: mod, Package: m.pkg,
			Runtime: m.runtime, RuntimeReason: m.runtimeReason,
			Files: files, Warnings: m.warnings,
		}
		for _, f := range m.functions {
			c.Functions = append(c.Functions, Function{Name: f.Dir, ID: f.ID, Trigger: f.triggers(), Wraps: f.wraps()})
		}
		s.Contexts = append(s.Contexts, c)
	}
	return s, nil
}

// CheckPlan reports why a plan cannot be scaffolded: a wrong schema, no
// module, no contexts or fewer than it counts, or context names that are
// not folder names and Go identifiers, or that repeat (also in another
// case, for case-insensitive file systems).
func CheckPlan(p *plan.Plan) error {
	if p == nil {
		return fmt.Errorf("no plan")
	}
	if p.Schema != plan.Schema {
		return fmt.Errorf("plan schema %q, want %q", p.Schema, plan.Schema)
	}
	if p.Module == "" {
		return fmt.Errorf("the plan names no module")
	}
	if len(p.Contexts) == 0 {
		return fmt.Errorf("the plan has no contexts")
	}
	if n := p.Metrics.Contexts; len(p.Contexts) < n {
		return fmt.Errorf("the plan lists %d of the %d contexts it counts (metrics.contexts): it is cut short; analyze again, or lower metrics.contexts if you removed contexts by hand", len(p.Contexts), n)
	}
	seen := map[string]string{}
	for _, c := range p.Contexts {
		if err := ValidContextName(c.Name); err != nil {
			return err
		}
		low := strings.ToLower(c.Name)
		if other, ok := seen[low]; ok {
			if other == c.Name {
				return fmt.Errorf("context %q appears twice in the plan", c.Name)
			}
			return fmt.Errorf("contexts %q and %q differ only in case: their folders would be one on some file systems", other, c.Name)
		}
		seen[low] = c.Name
	}
	return nil
}

func knownPackages(p *plan.Plan) map[string]bool {
	known := map[string]bool{}
	for _, c := range p.Contexts {
		for _, pk := range c.Packages {
			known[pk] = true
		}
		for _, m := range c.Members {
			known[m.Package] = true
		}
		for _, e := range c.EntryPoints {
			if e.Package != "" {
				known[e.Package] = true
			}
		}
	}
	for _, pk := range p.SharedKernel {
		known[pk] = true
	}
	for _, m := range p.Kernel.Members {
		known[m.Package] = true
	}
	return known
}

// contextModel is what the files of one context are generated from.
type contextModel struct {
	plan          *plan.Plan
	c             plan.Context
	pkg, module   string
	runtime       string
	runtimeReason string
	router        bool
	known         map[string]bool

	routes   []*route
	jobs     []*job
	workers  []*worker
	startup  []plan.EntryPoint // init and main: run at cold start
	manual   []manualEntry     // entry points the scaffold cannot serve
	in       *api              // the context's remote API, if others call it
	clients  []*client
	stores   []*store
	database bool // the context touches SQL tables
	owned    []string
	readOnly []plan.TableOwnership

	blockers, warns, kernelBlockers []plan.Finding

	functions []*function
	warnings  []string
}

type route struct {
	Ident     string
	Pattern   string // ServeMux pattern
	APIMethod string // API Gateway method (ANY for all)
	APIPath   string // API Gateway path
	EP        plan.EntryPoint
}

type job struct {
	Ident string
	EP    plan.EntryPoint
}

type worker struct {
	Ident string
	EP    plan.EntryPoint
	// Why a queue: a message consumer, or a goroutine the monolith starts
	// per request.
	Consumer bool
	// Delayed: work the monolith ran once after a delay (time.AfterFunc,
	// a timer that fires once); its messages are sent with a delivery
	// delay and carry Args.
	Delayed bool
}

func (w *worker) trigger() string {
	if w.Delayed {
		return "queue " + w.Ident + "Queue, delayed"
	}
	return "queue " + w.Ident + "Queue"
}

type manualEntry struct {
	EP  plan.EntryPoint
	Why string
}

type client struct {
	Callee  string
	Pkg     string // package name of clients/<callee>
	Alias   string // its import name in the context's package
	Field   string // Deps field (sync) and Field+"Events" (async)
	EnvURL  string
	Param   string // template parameter of the callee's URL
	Sync    []*method
	Async   []*method
	Aliases []alias
}

type store struct {
	Kind  string // table, bucket
	Ident string // template logical ID and Stores field
	Env   string
	TTL   bool
	// Cache is the template parameter of an optional cache endpoint
	// (ElastiCache) for state that is a cache; CacheEnv its variable.
	Cache, CacheEnv string
	Findings        []plan.Finding
}

// resource names the kind of AWS resource a store is.
func (s *store) resource() string {
	if s.Kind == "bucket" {
		return "S3 bucket"
	}
	return "DynamoDB table"
}

type function struct {
	Dir     string
	ID      string
	Kind    string // http, schedule, queue, rpc, events, router
	Route   *route
	Job     *job
	Worker  *worker
	Method  *method
	Routes  []*route
	Jobs    []*job
	Workers []*worker
	Events  []*method
	Sync    []*method // the remote API's synchronous methods it serves
	RPC     bool
}

func (f *function) triggers() []string {
	var out []string
	addRoute := func(r *route) { out = append(out, r.APIMethod+" "+r.APIPath) }
	switch f.Kind {
	case "http":
		addRoute(f.Route)
	case "schedule":
		out = append(out, "schedule "+defaultSchedule)
	case "queue":
		out = append(out, f.Worker.trigger())
	case "rpc":
		out = append(out, "POST /rpc/{method}")
	case "events":
		out = append(out, "queue "+f.Method.Name+"Queue")
	case "router":
		for _, r := range f.Routes {
			addRoute(r)
		}
		if f.RPC {
			out = append(out, "POST /rpc/{method}")
		}
		for _, j := range f.Jobs {
			out = append(out, "schedule "+defaultSchedule+" ("+j.Ident+")")
		}
		for _, w := range f.Workers {
			out = append(out, w.trigger())
		}
		for _, m := range f.Events {
			out = append(out, "queue "+m.Name+"Queue")
		}
	}
	return out
}

func (f *function) wraps() []string {
	var out []string
	ep := func(e plan.EntryPoint) {
		out = append(out, declAt(e.Decl, e.Pos))
	}
	rpc := func(m *method) { out = append(out, m.Callee) }
	switch f.Kind {
	case "http":
		ep(f.Route.EP)
	case "schedule":
		ep(f.Job.EP)
	case "queue":
		ep(f.Worker.EP)
	case "events":
		rpc(f.Method)
	case "rpc", "router":
		for _, m := range f.Sync {
			rpc(m)
		}
		for _, r := range f.Routes {
			ep(r.EP)
		}
		for _, j := range f.Jobs {
			ep(j.EP)
		}
		for _, w := range f.Workers {
			ep(w.EP)
		}
		for _, m := range f.Events {
			rpc(m)
		}
	}
	return out
}

func declAt(decl, pos string) string {
	if decl == "" {
		decl = "(anonymous)"
	}
	if pos == "" {
		return decl
	}
	return decl + " (" + pos + ")"
}

// defaultSchedule is the schedule of a job: the monolith's period is not in
// the plan.
const defaultSchedule = "rate(1 minute)"

// genericNames are method names that say little without their type.
var genericNames = map[string]bool{
	"Run": true, "Start": true, "Serve": true, "Loop": true, "Handle": true, "Process": true, "Work": true,
	"Consume": true, "Listen": true, "Poll": true, "Tick": true, "Do": true, "Execute": true, "Main": true,
	"ServeHTTP": true, "Handler": true, "Func": true,
}

func newContextModel(p *plan.Plan, c plan.Context, mod string, apis map[string]*api, known map[string]bool, router bool) *contextModel {
	m := &contextModel{plan: p, c: c, pkg: strings.ToLower(c.Name), module: mod, router: router, known: known}
	m.in = apis[c.Name]
	if m.in != nil {
		m.warnings = append(m.warnings, m.in.Warnings...)
	}
	root := newNamer("Routes", "Wire", "Deps", "Stores", "RPC", "Router", "Server",
		"dir:server", "dir:router", "dir:rpc", "dir:internal", "dir:api", "dir:clients")
	if m.in != nil {
		for _, mt := range m.in.Methods {
			if mt.Async {
				root.taken[mt.Name+"EventsFunction"] = true
				root.taken[mt.Name+"Queue"] = true
				root.taken["dir:"+kebab(mt.Name)+"-events"] = true
			}
		}
	}
	m.entryPoints(root)
	m.outgoing(apis)
	m.state()
	m.runtime, m.runtimeReason = runtimeOf(p, c)
	m.layoutFunctions()
	return m
}

// entryPoints sorts the context's entry points into routes, jobs and
// queue workers, and names them.
func (m *contextModel) entryPoints(root *namer) {
	mux := http.NewServeMux()
	apiKeys := map[string]plan.EntryPoint{}
	eps := append([]plan.EntryPoint{}, m.c.EntryPoints...)
	slices.SortFunc(eps, plan.EntryPoint.Compare)
	for _, e := range eps {
		_, recv, name := declParts(e.Decl, m.known)
		name = exported(name)
		recv = exported(recv)
		switch e.Kind {
		case "http":
			pattern, apiMethod, apiPath, ok := normalizeRoute(e.Framework, e.Method, e.Route)
			if !ok {
				m.manual = append(m.manual, manualEntry{e, "its route is unknown or not a path; add it to Routes by hand"})
				continue
			}
			if other, dup := apiKeys[apiMethod+" "+apiPath]; dup {
				m.manual = append(m.manual, manualEntry{e, fmt.Sprintf("its route %s %s is the route of %s too", apiMethod, apiPath, other.Decl)})
				continue
			}
			if err := register(mux, pattern); err != nil {
				m.manual = append(m.manual, manualEntry{e, fmt.Sprintf("its route %q conflicts with another: %v", pattern, err)})
				continue
			}
			apiKeys[apiMethod+" "+apiPath] = e
			cands := []string{name, recv + name, camel(e.Method + " " + e.Route)}
			if name == "" || genericNames[name] {
				cands = cands[1:]
				if recv == "" {
					cands = cands[1:]
				}
			}
			ident := root.pick(cands, func(b string) []string {
				return []string{b, b + "Handler", b + "Function", "dir:" + kebab(b)}
			})
			m.routes = append(m.routes, &route{Ident: ident, Pattern: pattern, APIMethod: apiMethod, APIPath: apiPath, EP: e})
		case "background", "consumer":
			cands := []string{name, recv + name, exported(pkgName(e.Package)) + recv + name}
			if genericNames[name] || name == "" {
				cands = cands[1:]
			}
			if e.Kind == "background" && (e.Once || e.Framework == "time.AfterFunc") {
				// a delayed one-off: a message with a delivery delay,
				// not a schedule
				ident := root.pick(cands, func(b string) []string {
					return []string{b + "Later", "Delayed" + b, b + "Delayed", b + "Function", "dir:" + kebab(b)}
				})
				m.workers = append(m.workers, &worker{Ident: ident, EP: e, Delayed: true})
				continue
			}
			if e.Kind == "background" && e.Ticker {
				ident := root.pick(cands, func(b string) []string {
					return []string{b + "Job", "Run" + b, b + "Schedule", b + "Every", b + "Function", "dir:" + kebab(b)}
				})
				m.jobs = append(m.jobs, &job{Ident: ident, EP: e})
				continue
			}
			ident := root.pick(cands, func(b string) []string {
				return []string{b + "Consumer", "Consume" + b, b + "Queue", b + "Function", "dir:" + kebab(b)}
			})
			m.workers = append(m.workers, &worker{Ident: ident, EP: e, Consumer: e.Kind == "consumer"})
		case "init", "main":
			m.startup = append(m.startup, e)
		case "grpc":
			m.manual = append(m.manual, manualEntry{e, "it serves gRPC (" + orUnknown(e.Route) + "), which API Gateway HTTP APIs do not carry: serve it from cmd/server (a container) with google.golang.org/grpc, or put a JSON route in front of it"})
		default:
			m.manual = append(m.manual, manualEntry{e, "the scaffold has no trigger for entry points of kind " + e.Kind})
		}
	}
	for _, me := range m.manual {
		m.warnings = append(m.warnings, fmt.Sprintf("%s %s: %s", me.EP.Kind, declAt(me.EP.Decl, me.EP.Pos), me.Why))
	}
}

// register adds pattern to mux, turning the ServeMux's panic on a bad or
// conflicting pattern into an error.
func register(mux *http.ServeMux, pattern string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
	return nil
}

// normalizeRoute turns a route as frameworks write it (net/http patterns,
// chi and gorilla {name} and {name:regexp}, gin, echo and fiber :name and
// *name) into a ServeMux pattern and an API Gateway method and path. A
// trailing slash is a subtree for net/http only.
func normalizeRoute(framework, method, route string) (pattern, apiMethod, apiPath string, ok bool) {
	netHTTP := framework == "" || framework == "net/http"
	route = strings.TrimSpace(route)
	if route == "" {
		return "", "", "", false
	}
	if !strings.HasPrefix(route, "/") {
		i := strings.Index(route, "/")
		if i < 0 {
			return "", "", "", false
		}
		route = route[i:] // drop a host
	}
	method = strings.ToUpper(strings.TrimSpace(method))
	valid := method != ""
	for _, r := range method {
		if r < 'A' || r > 'Z' {
			valid = false
		}
	}
	if !valid || method == "ANY" || method == "ALL" {
		method = ""
	}
	segs := strings.Split(route[1:], "/")
	var mux, api []string
	names := map[string]bool{}
	wild := func(n string, i int) string {
		n = identOnly(n)
		if n == "" {
			n = fmt.Sprintf("p%d", i)
		}
		base := n
		for j := 2; names[n]; j++ {
			n = fmt.Sprintf("%s%d", base, j)
		}
		names[n] = true
		return n
	}
	subtree := false
	for i, s := range segs {
		last := i == len(segs)-1
		switch {
		case s == "" && last && netHTTP:
			// a subtree (the root: every path)
			subtree = true
		case s == "" && last:
			// an exact path ending in a slash
			mux, api = append(mux, "{$}"), append(api, "")
		case s == "{$}" && last:
			mux = append(mux, s)
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"):
			inner := s[1 : len(s)-1]
			greedy := strings.HasSuffix(inner, "...")
			inner = strings.TrimSuffix(inner, "...")
			if j := strings.Index(inner, ":"); j >= 0 {
				inner = inner[:j]
			}
			n := wild(inner, i)
			if greedy && last {
				mux, api = append(mux, "{"+n+"...}"), append(api, "{"+n+"+}")
			} else {
				mux, api = append(mux, "{"+n+"}"), append(api, "{"+n+"}")
			}
		case strings.HasPrefix(s, ":"):
			n := wild(s[1:], i)
			mux, api = append(mux, "{"+n+"}"), append(api, "{"+n+"}")
		case strings.HasPrefix(s, "*"):
			n := wild(s[1:], i)
			if n == fmt.Sprintf("p%d", i) {
				delete(names, n)
				n = wild("path", i)
			}
			if last {
				mux, api = append(mux, "{"+n+"...}"), append(api, "{"+n+"+}")
			} else {
				mux, api = append(mux, "{"+n+"}"), append(api, "{"+n+"}")
			}
		default:
			if strings.ContainsAny(s, "{}") {
				return "", "", "", false
			}
			mux, api = append(mux, s), append(api, s)
		}
	}
	pattern = "/" + strings.Join(mux, "/")
	apiPath = "/" + strings.Join(api, "/")
	if len(mux) > 0 && mux[len(mux)-1] == "{$}" {
		// ServeMux writes an exact "/a/" as "/a/{$}", API Gateway as "/a/"
		apiPath = "/" + strings.TrimSuffix(strings.Join(api, "/"), "/")
		if apiPath != "/" {
			apiPath += "/"
		}
	}
	if subtree {
		if pattern != "/" {
			pattern += "/"
		}
		apiPath = path.Join(apiPath, "{proxy+}")
	}
	if method != "" {
		pattern = method + " " + pattern
	}
	apiMethod = method
	if apiMethod == "" {
		apiMethod = "ANY"
	}
	return pattern, apiMethod, apiPath, true
}

// outgoing builds the clients of the contexts this one calls.
func (m *contextModel) outgoing(apis map[string]*api) {
	byCallee := map[string]*client{}
	for _, ct := range m.plan.Contracts {
		if ct.From != m.c.Name || ct.To == m.c.Name {
			continue
		}
		a := apis[ct.To]
		if a == nil {
			continue
		}
		cl := byCallee[ct.To]
		if cl == nil {
			pkg := strings.ToLower(ct.To)
			cl = &client{
				Callee: ct.To, Pkg: pkg, Alias: pkg + "client", Field: exported(ct.To),
				EnvURL: screaming(exported(ct.To)) + "_URL", Param: exported(ct.To) + "URL",
			}
			byCallee[ct.To] = cl
		}
		for _, mt := range a.Methods {
			if mt.Callee != ct.Callee {
				continue
			}
			list := &cl.Sync
			if ct.Style == "async" || ct.Style == "event" {
				list = &cl.Async
			}
			if !slices.Contains(*list, mt) {
				*list = append(*list, mt)
			}
		}
	}
	for _, cl := range byCallee {
		sortMethods(cl.Sync)
		sortMethods(cl.Async)
		used := map[string]bool{}
		for _, mt := range append(append([]*method{}, cl.Sync...), cl.Async...) {
			for _, f := range append(append([]field{}, mt.Params...), mt.Results...) {
				for _, a := range apis[cl.Callee].Aliases {
					if mentions(f.Type, a.Name) {
						used[a.Name] = true
					}
				}
			}
		}
		for _, a := range apis[cl.Callee].Aliases {
			if used[a.Name] {
				cl.Aliases = append(cl.Aliases, a)
			}
		}
		m.clients = append(m.clients, cl)
	}
	sort.Slice(m.clients, func(i, j int) bool { return m.clients[i].Callee < m.clients[j].Callee })
}

// mentions reports whether the Go type text t names the identifier name.
func mentions(t, name string) bool {
	for _, w := range strings.FieldsFunc(t, func(r rune) bool {
		return !(r == '_' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) {
		if w == name {
			return true
		}
	}
	return false
}

func sortMethods(ms []*method) {
	sort.Slice(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
}

// stateChecks are the findings about in-process state that a managed store
// replaces.
var stateChecks = map[string]bool{"global-mutable": true, "field-mutable": true, "cache-library": true}

// state sorts the findings that involve the context, and derives the
// managed stores that replace its flagged state.
func (m *contextModel) state() {
	names := newNamer()
	byIdent := map[string]*store{}
	add := func(kind, ident string, f plan.Finding) *store {
		s := byIdent[kind+" "+ident]
		if s == nil {
			ident = names.pick([]string{ident}, nil)
			s = &store{Kind: kind, Ident: ident, Env: screaming(ident)}
			byIdent[kind+" "+ident] = s
			m.stores = append(m.stores, s)
		}
		s.Findings = append(s.Findings, f)
		return s
	}
	for _, f := range m.plan.Findings {
		in := slices.Contains(f.Contexts, m.c.Name)
		if !in {
			if f.Severity == "blocker" && len(f.Contexts) > 0 && allKernel(f.Contexts) {
				m.kernelBlockers = append(m.kernelBlockers, f)
			}
			continue
		}
		switch f.Severity {
		case "blocker":
			m.blockers = append(m.blockers, f)
		case "warning":
			m.warns = append(m.warns, f)
		default:
			continue
		}
		switch {
		case stateChecks[f.Check]:
			obj := objectName(f.Object)
			cache := f.Check == "cache-library" || strings.Contains(strings.ToLower(f.Object), "cache")
			if f.Check == "cache-library" && f.Decl != "" {
				_, r, n := declParts(f.Decl, m.known)
				obj = exported(r) + exported(n) + "Cache"
			}
			s := add("table", obj+"Table", f)
			low := strings.ToLower(f.Object)
			if cache || strings.Contains(low, "session") || strings.Contains(low, "token") {
				s.TTL = true
			}
			if cache && s.Cache == "" {
				base := strings.TrimSuffix(s.Ident, "Table")
				if !strings.HasSuffix(base, "Cache") {
					base += "Cache"
				}
				s.Cache = base + "Endpoint"
				s.CacheEnv = screaming(s.Cache)
			}
		case f.Check == "file-write":
			name := ""
			if f.Decl != "" {
				p, _, _ := declParts(f.Decl, m.known)
				name = exported(pkgName(p))
			}
			if name == "" {
				name = exported(pkgName(path.Dir(strings.SplitN(f.Pos, ":", 2)[0])))
			}
			if name == "" {
				name = exported(m.c.Name)
			}
			add("bucket", name+"FilesBucket", f)
		}
	}
	for _, t := range m.plan.DataOwnership {
		acc, ok := t.Access[m.c.Name]
		if !ok {
			continue
		}
		m.database = true
		if t.Owner == m.c.Name {
			m.owned = append(m.owned, t.Table)
		} else if !strings.Contains(acc, "w") {
			m.readOnly = append(m.readOnly, t)
		}
	}
}

func allKernel(cs []string) bool {
	for _, c := range cs {
		if c != model.Kernel {
			return false
		}
	}
	return true
}

// objectName is the exported last name of an object ID:
// "example.com/shop/users.sessions" → "Sessions".
func objectName(obj string) string {
	if i := strings.LastIndex(obj, "/"); i >= 0 {
		obj = obj[i+1:]
	}
	if i := strings.LastIndex(obj, "."); i >= 0 {
		obj = obj[i+1:]
	}
	if n := exported(obj); n != "" {
		return n
	}
	return "State"
}

// runtimeOf is the context's target runtime: the plan's, when its summary
// has one, else derived from the entry points.
func runtimeOf(p *plan.Plan, c plan.Context) (string, string) {
	for _, s := range p.Summary {
		if s.Context == c.Name && s.Runtime.Target != "" {
			var why []string
			for _, r := range s.Runtime.Reasons {
				if r.Target == s.Runtime.Target {
					why = append(why, r.Detail)
				}
			}
			reason := "the plan's runtime"
			if len(why) > 0 {
				reason += ": " + strings.Join(why, "; ")
			}
			return s.Runtime.Target, reason
		}
	}
	var loops, grpc []string
	for _, e := range c.EntryPoints {
		switch e.Kind {
		case "background":
			loops = append(loops, e.Decl)
		case "grpc":
			grpc = append(grpc, e.Decl)
		}
	}
	switch {
	case len(loops) > 0:
		return "container", "the monolith runs background work here (" + strings.Join(loops, ", ") + "); a container keeps it running, functions need it rebuilt on schedules and queues"
	case len(grpc) > 0:
		return "container", "it serves gRPC (" + strings.Join(grpc, ", ") + "), which API Gateway HTTP APIs do not carry"
	}
	return "function", "request-driven entry points only"
}

// layoutFunctions lays out the deployable functions.
func (m *contextModel) layoutFunctions() {
	sync, events := m.incoming()
	rpc := len(sync) > 0
	if m.router {
		if len(m.routes)+len(m.jobs)+len(m.workers)+len(events) > 0 || rpc {
			m.functions = append(m.functions, &function{
				Dir: "router", ID: "RouterFunction", Kind: "router",
				Routes: m.routes, Jobs: m.jobs, Workers: m.workers, Events: events, Sync: sync, RPC: rpc,
			})
		}
		return
	}
	for _, r := range m.routes {
		m.functions = append(m.functions, &function{Dir: kebab(r.Ident), ID: r.Ident + "Function", Kind: "http", Route: r})
	}
	if rpc {
		m.functions = append(m.functions, &function{Dir: "rpc", ID: "RPCFunction", Kind: "rpc", Sync: sync, RPC: true})
	}
	for _, j := range m.jobs {
		m.functions = append(m.functions, &function{Dir: kebab(j.Ident), ID: j.Ident + "Function", Kind: "schedule", Job: j})
	}
	for _, w := range m.workers {
		m.functions = append(m.functions, &function{Dir: kebab(w.Ident), ID: w.Ident + "Function", Kind: "queue", Worker: w})
	}
	for _, mt := range events {
		m.functions = append(m.functions, &function{Dir: kebab(mt.Name) + "-events", ID: mt.Name + "EventsFunction", Kind: "events", Method: mt})
	}
	sort.SliceStable(m.functions, func(i, j int) bool { return m.functions[i].Dir < m.functions[j].Dir })
}

// incomingSync and incomingAsync are the context's remote API methods
// called synchronously and by message.
func (m *contextModel) incoming() (sync, async []*method) {
	if m.in == nil {
		return nil, nil
	}
	for _, mt := range m.in.Methods {
		if mt.Sync {
			sync = append(sync, mt)
		}
		if mt.Async {
			async = append(async, mt)
		}
	}
	return sync, async
}
