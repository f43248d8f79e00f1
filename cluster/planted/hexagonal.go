package planted

import (
	"fmt"
	"strings"
)

// hexagonal writes <container>/{adapters,app,domain,ports}/<ctx> per
// context (layer names per seed): domain types, the ports a context's
// logic needs and offers, the logic, and the adapters (SQL and HTTP);
// contexts call one another through their ports.
func (g *gen) hexagonal() {
	A := pick(g.r, "adapters", "adapter", "infra", "infrastructure")
	P := pick(g.r, "app", "application", "usecase")
	D := pick(g.r, "domain", "core", "model")
	O := pick(g.r, "ports", "port", "contracts")
	container := pick(g.r, "internal", "", "src")
	logN, _, busN, webN := g.kernelNames()
	kernelAt := pick(g.r, "pkg", "platform", "lib")
	if container != "" && g.r.IntN(2) == 0 {
		kernelAt = container + "/" + kernelAt
	}
	splitAdapters := g.r.IntN(2) == 0 // adapters/<ctx>/{sql,http}.go or adapters/{sql,http}/<ctx>
	g.plan(A, P, D, O, container, kernelAt, logN, busN, webN, "cmd", "main", "postgres", "http", "sql")
	appDir := "cmd/" + pick(g.r, "app", "api", g.words.Next())
	in := func(layer string, c *ctxPlan) string { return strings.TrimPrefix(container+"/"+layer+"/"+c.name, "/") }
	kdir := func(n string) string { return kernelAt + "/" + n }
	logL, busL, webL := g.logLib(kdir(logN)), g.busLib(kdir(busN)), g.webLib(kdir(webN))
	sqlDir := func(c *ctxPlan) string {
		if splitAdapters {
			return strings.TrimPrefix(container+"/"+A+"/postgres/"+c.name, "/")
		}
		return in(A, c)
	}
	httpDir := func(c *ctxPlan) string {
		if splitAdapters {
			return strings.TrimPrefix(container+"/"+A+"/http/"+c.name, "/")
		}
		return in(A, c)
	}
	alias := func(c *ctxPlan, layer string) string { return c.name + strings.ToLower(layer[:1]) + layer[1:] }
	for _, c := range g.ctxs {
		dom, ports := alias(c, D), alias(c, O)

		// domain
		f := newFile(c.name)
		entityTypes(f, c, c.Ent(), c.Ent2())
		f.p("")
		f.p("// Done reports whether the %s is settled.", c.ent)
		f.p("func (x %s) Done() bool { return x.Status == \"done\" }", c.Ent())
		g.put(in(D, c)+"/"+c.name+".go", f)
		g.whole(in(D, c), c.name)

		// ports
		f = newFile(c.name).std().use(dom, g.pkgPath(in(D, c)))
		E, E2 := dom+"."+c.Ent(), dom+"."+c.Ent2()
		f.p("// Repository keeps the %s rows.", c.ent)
		f.p("type Repository interface {")
		f.p("	List(ctx context.Context) ([]%s, error)", E)
		f.p("	Get(ctx context.Context, id int64) (%s, error)", E)
		f.p("	Insert(ctx context.Context, x %s) (int64, error)", E)
		f.p("	SetStatus(ctx context.Context, id int64, status string) error")
		f.p("	Pending(ctx context.Context) ([]int64, error)")
		f.p("	Count(ctx context.Context) (int, error)")
		if c.ent2 != "" {
			f.p("	Add%s(ctx context.Context, parent int64, note string) error", c.Ent2())
			f.p("	%ss(ctx context.Context, parent int64) ([]%s, error)", c.Ent2(), E2)
		}
		f.p("}")
		f.p("")
		f.p("// Service is what the %s context offers.", c.name)
		f.p("type Service interface {")
		f.p("	List(ctx context.Context) ([]%s, error)", E)
		f.p("	Get(ctx context.Context, id int64) (%s, error)", E)
		f.p("	Create(ctx context.Context, title string) (int64, error)")
		f.p("	Count(ctx context.Context) (int, error)")
		f.p("	Status(ctx context.Context, id int64) (string, error)")
		if c.ent2 != "" {
			f.p("	Add%s(ctx context.Context, parent int64, note string) error", c.Ent2())
			f.p("	%ss(ctx context.Context, parent int64) ([]%s, error)", c.Ent2(), E2)
		}
		f.p("}")
		g.put(in(O, c)+"/"+pick(g.r, "ports", c.name, "interfaces")+".go", f)
		g.whole(in(O, c), c.name)

		// application
		f = newFile(c.name).std().use(dom, g.pkgPath(in(D, c))).use(ports, g.pkgPath(in(O, c))).use(logL.name, logL.path).use(busL.name, busL.path)
		var cross []string
		var deps []*ctxPlan
		seen := map[int]bool{}
		for i, o := range c.callees() {
			oc := g.ctxs[o]
			if !seen[o] {
				deps = append(deps, oc)
				seen[o] = true
				f.use(alias(oc, O), g.pkgPath(in(O, oc)))
			}
			cross = append(cross, crossCall(c, oc, i, func(o *ctxPlan, method, args string) string {
				return "s." + o.name + "." + method + "(" + args + ")"
			}))
		}
		f.p("// App is the %s logic.", c.name)
		f.p("type App struct {")
		f.p("	repo %s.Repository", ports)
		f.p("	hub  *%s.Bus", busL.name)
		for _, o := range deps {
			f.p("	%s %s.Service", o.name, alias(o, O))
		}
		f.p("}")
		f.p("")
		f.p("var _ %s.Service = (*App)(nil)", ports)
		f.p("")
		params := []string{"repo " + ports + ".Repository", "hub *" + busL.name + ".Bus"}
		fields := []string{"repo: repo", "hub: hub"}
		for _, o := range deps {
			params = append(params, fmt.Sprintf("%s %s.Service", o.name, alias(o, O)))
			fields = append(fields, o.name+": "+o.name)
		}
		f.p("// New returns the %s logic.", c.name)
		f.p("func New(%s) *App {", strings.Join(params, ", "))
		f.p("	return &App{%s}", strings.Join(fields, ", "))
		f.p("}")
		f.p("")
		serviceMethods(f, g, c, serviceNames{recv: "s *App", store: "s.repo", ent: E, ent2: E2, log: logL.name,
			publish: "s.hub.Publish(ctx, \"" + c.name + ".created\", id)", cross: cross, event: busL.name + ".Event"})
		g.put(in(P, c)+"/"+pick(g.r, "app", c.name, "service")+".go", f)
		g.whole(in(P, c), c.name)

		// adapters: SQL
		f = newFile(c.name).std().use(dom, g.pkgPath(in(D, c)))
		f.p("// Postgres keeps the %s rows in SQL.", c.ent)
		f.p("type Postgres struct{ db *sql.DB }")
		f.p("")
		f.p("// NewPostgres returns the %s rows on db.", c.ent)
		f.p("func NewPostgres(db *sql.DB) *Postgres { return &Postgres{db: db} }")
		f.p("")
		f.p("func wrap(op string, err error) error {")
		f.p("	if err == nil {")
		f.p("		return nil")
		f.p("	}")
		f.p("	return fmt.Errorf(\"%s: %%s: %%w\", op, err)", c.name)
		f.p("}")
		f.p("")
		f.p("func closeRows(c io.Closer) { _ = c.Close() }")
		f.p("")
		storeMethods(f, c, storeNames{recv: "p *Postgres", db: "p.db", ent: E, ent2: E2, wrap: "wrap", close: "closeRows"})
		g.put(sqlDir(c)+"/"+pick(g.r, "postgres", "sql", "repository")+".go", f)
		g.whole(sqlDir(c), c.name)

		// adapters: HTTP
		f = newFile(c.name).std().use(ports, g.pkgPath(in(O, c))).use(webL.name, webL.path)
		methods := handlerMethodNames(c, false, g.r.IntN(2) == 0)
		f.p("// HTTP serves the %s routes.", c.name)
		f.p("type HTTP struct{ svc %s.Service }", ports)
		f.p("")
		f.p("// NewHTTP returns the %s routes on svc.", c.name)
		f.p("func NewHTTP(svc %s.Service) *HTTP { return &HTTP{svc: svc} }", ports)
		f.p("")
		handlerMethods(f, c, handlerNames{recv: "h *HTTP", svc: "h.svc", json: webL.name + ".JSON", fail: webL.name + ".Fail", id: webL.name + ".ID", methods: methods})
		f.p("")
		f.p("// Register registers the %s routes on mux.", c.name)
		f.p("func (h *HTTP) Register(mux *http.ServeMux) {")
		reg := "mux"
		if g.defaultMux {
			reg = "http"
		}
		g.routes(f, c, reg, "h", methods)
		f.p("}")
		g.put(httpDir(c)+"/"+pick(g.r, "http", "handlers", "routes")+".go", f)
		g.whole(httpDir(c), c.name)
	}

	// main
	f := newFile("main").std().use(logL.name, logL.path).use(busL.name, busL.path)
	openMain(f, logL, "sql.Open(\"postgres\", os.Getenv(\"DATABASE_URL\"))")
	f.p("	hub := %s.New()", busL.name)
	f.p("	mux := http.NewServeMux()")
	for _, c := range g.ctxs {
		app, sqlA, httpA := alias(c, P), c.name+"SQL", c.name+"HTTP"
		f.use(app, g.pkgPath(in(P, c)))
		if sqlDir(c) == httpDir(c) {
			sqlA, httpA = alias(c, A), alias(c, A)
			f.use(sqlA, g.pkgPath(sqlDir(c)))
		} else {
			sqlA, httpA = c.name+"postgres", c.name+"http"
			f.use(sqlA, g.pkgPath(sqlDir(c))).use(httpA, g.pkgPath(httpDir(c)))
		}
		args := []string{sqlA + ".NewPostgres(conn)", "hub"}
		seen := map[int]bool{}
		for _, o := range c.callees() {
			if !seen[o] {
				args = append(args, g.ctxs[o].name+"App")
				seen[o] = true
			}
		}
		f.p("	%sApp := %s.New(%s)", c.name, app, strings.Join(args, ", "))
		f.p("	%s.NewHTTP(%sApp).Register(mux)", httpA, c.name)
		for _, s := range c.subs {
			o := g.ctxs[s]
			f.p("	hub.Subscribe(%q, %sApp.On%sCreated)", o.name+".created", c.name, o.Ent())
		}
		if c.bg {
			f.p("	go %sApp.Run(ctx, time.Minute)", c.name)
		}
	}
	g.closeMain(f, logL, appDir)
}
