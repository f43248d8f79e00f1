package planted

import (
	"strings"
)

// modular writes <container>/<ctx>/{handler,service,store} per context,
// the shared libraries in a folder of their own, and a main package that
// calls each context's Wire once.
func (g *gen) modular() {
	hp := pick(g.r, "handler", "api", "transport", "delivery", "endpoint", "rest")
	sp := pick(g.r, "service", "app", "core", "logic", "usecase", "domain")
	stp := pick(g.r, "store", "repo", "persistence", "data", "repository", "dal")
	container := pick(g.r, "", "internal", "modules")
	kernelAt := pick(g.r, "pkg", "platform", "lib", "shared", "")
	if container != "" && g.r.IntN(3) == 0 {
		kernelAt = container + "/" + pick(g.r, "platform", "common", "kit")
	}
	logN, dbN, busN, webN := g.kernelNames()
	if webN == hp {
		webN = "httpx"
	}
	if dbN == stp {
		dbN = "sqldb"
	}
	useWeb := g.r.IntN(2) == 0
	appDir := pick(g.r, "cmd/server", "cmd/app", "cmd/monolith", ".")
	g.plan(hp, sp, stp, container, kernelAt, logN, dbN, busN, webN, "cmd", "server", "monolith", "main", "http")
	if appDir == "cmd/app" {
		appDir = "cmd/" + g.words.Next()
	}
	kdir := func(n string) string { return strings.TrimPrefix(kernelAt+"/"+n, "/") }
	logL, dbL, busL := g.logLib(kdir(logN)), g.dbLib(kdir(dbN)), g.busLib(kdir(busN))
	var webL lib
	if useWeb {
		webL = g.webLib(kdir(webN))
	}
	g.m.ServiceDirs = map[string]string{}
	root := func(c *ctxPlan) string { return strings.TrimPrefix(container+"/"+c.name, "/") }
	for _, c := range g.ctxs {
		base := root(c)
		g.m.ServiceDirs[c.name] = base
		stDir, svDir, hDir := base+"/"+stp, base+"/"+sp, base+"/"+hp

		// store
		f := newFile(stp).std().use(dbL.name, dbL.path)
		entityTypes(f, c, c.Ent(), c.Ent2())
		f.p("")
		f.p("// Store keeps the %s rows.", c.ent)
		f.p("type Store struct{ db *sql.DB }")
		f.p("")
		f.p("// New returns a store on db.")
		f.p("func New(db *sql.DB) *Store { return &Store{db: db} }")
		f.p("")
		storeMethods(f, c, storeNames{recv: "s *Store", db: "s.db", ent: c.Ent(), ent2: c.Ent2(), wrap: dbL.name + ".Wrap", close: dbL.name + ".Close"})
		g.put(stDir+"/"+pick(g.r, stp, c.name, "sql")+".go", f)
		g.whole(stDir, c.name)

		// service
		f = newFile(sp).std().use(stp, g.pkgPath(stDir)).use(logL.name, logL.path).use(busL.name, busL.path)
		var cross []string
		for i, o := range c.callees() {
			oc := g.ctxs[o]
			alias := oc.name + sp
			f.use(alias, g.pkgPath(root(oc)+"/"+sp))
			cross = append(cross, crossCall(c, oc, i, func(o *ctxPlan, method, args string) string {
				if method == "Count" {
					return alias + ".Count" + o.Ent() + "s(ctx, s.conn)"
				}
				return alias + "." + o.Ent() + "Status(ctx, s.conn, id)"
			}))
		}
		f.p("// Service is the %s context's logic.", c.name)
		f.p("type Service struct {")
		f.p("	store *%s.Store", stp)
		f.p("	conn  *sql.DB")
		f.p("	hub   *%s.Bus", busL.name)
		f.p("}")
		f.p("")
		f.p("// New returns the service on conn, publishing on hub.")
		f.p("func New(conn *sql.DB, hub *%s.Bus) *Service {", busL.name)
		f.p("	return &Service{store: %s.New(conn), conn: conn, hub: hub}", stp)
		f.p("}")
		f.p("")
		serviceMethods(f, g, c, serviceNames{recv: "s *Service", store: "s.store", ent: stp + "." + c.Ent(), ent2: stp + "." + c.Ent2(),
			log: logL.name, publish: "s.hub.Publish(ctx, \"" + c.name + ".created\", id)", cross: cross, event: busL.name + ".Event"})
		f.p("")
		f.p("// Count%ss is how many %s rows there are, for other contexts.", c.Ent(), c.ent)
		f.p("func Count%ss(ctx context.Context, conn *sql.DB) (int, error) {", c.Ent())
		f.p("	return %s.New(conn).Count(ctx)", stp)
		f.p("}")
		f.p("")
		f.p("// %sStatus is the status of the %s id, for other contexts.", c.Ent(), c.ent)
		f.p("func %sStatus(ctx context.Context, conn *sql.DB, id int64) (string, error) {", c.Ent())
		f.p("	x, err := %s.New(conn).Get(ctx, id)", stp)
		f.p("	return x.Status, err")
		f.p("}")
		g.put(svDir+"/"+pick(g.r, sp, c.name, "logic")+".go", f)
		g.whole(svDir, c.name)

		// handler and wiring
		f = newFile(hp).std().use(sp, g.pkgPath(svDir)).use(busL.name, busL.path)
		jsonF, failF, idF := "writeJSON", "fail", "pathID"
		if useWeb {
			f.use(webL.name, webL.path)
			jsonF, failF, idF = webL.name+".JSON", webL.name+".Fail", webL.name+".ID"
		}
		methods := handlerMethodNames(c, false, g.r.IntN(2) == 0)
		f.p("// Handler serves the %s routes.", c.name)
		f.p("type Handler struct{ svc *%s.Service }", sp)
		f.p("")
		handlerMethods(f, c, handlerNames{recv: "h *Handler", svc: "h.svc", json: jsonF, fail: failF, id: idF, methods: methods})
		f.p("")
		f.p("// Wire builds the %s context on conn and hub and registers its routes.", c.name)
		f.p("func Wire(ctx context.Context, mux *http.ServeMux, conn *sql.DB, hub *%s.Bus) {", busL.name)
		f.p("	svc := %s.New(conn, hub)", sp)
		f.p("	h := &Handler{svc: svc}")
		reg := "mux"
		if g.defaultMux {
			reg = "http"
		}
		g.routes(f, c, reg, "h", methods)
		for _, s := range c.subs {
			o := g.ctxs[s]
			f.p("	hub.Subscribe(%q, svc.On%sCreated)", o.name+".created", o.Ent())
		}
		if c.bg {
			f.p("	go svc.Run(ctx, time.Minute)")
		}
		f.p("}")
		if !useWeb {
			f.p("")
			webHelpers(f, jsonF, failF, idF)
		}
		g.put(hDir+"/"+pick(g.r, hp, c.name, "routes")+".go", f)
		g.whole(hDir, c.name)
	}

	// main
	f := newFile("main").std().use(logL.name, logL.path).use(dbL.name, dbL.path).use(busL.name, busL.path)
	openMain(f, logL, dbL.name+".Open(os.Getenv(\"DATABASE_URL\"))")
	f.p("	defer conn.Close()")
	f.p("	hub := %s.New()", busL.name)
	f.p("	mux := http.NewServeMux()")
	for _, c := range g.ctxs {
		alias := c.name + hp
		f.use(alias, g.pkgPath(root(c)+"/"+hp))
		f.p("	%s.Wire(ctx, mux, conn, hub)", alias)
	}
	f.p("	%s.Info(\"listening\", \"addr\", \":8080\")", logL.name)
	g.closeMain(f, logL, appDir)
}
