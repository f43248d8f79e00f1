package planted

import (
	"fmt"
	"strings"
)

// layered writes one package per layer (handlers, services, repository,
// model; names per seed), each with one file per context and a file of
// helpers every context uses, and a main package wiring everything.
func (g *gen) layered() {
	H := pick(g.r, "handlers", "api", "web", "transport", "controllers", "rest")
	S := pick(g.r, "services", "service", "usecases", "logic", "biz")
	R := pick(g.r, "repository", "store", "repo", "dao", "persistence", "db")
	M := pick(g.r, "model", "models", "entity", "domain", "types")
	container := pick(g.r, "", "", "internal", "app")
	logN, dbN, _, _ := g.kernelNames()
	if dbN == R {
		dbN = "sqldb"
	}
	useDB := g.r.IntN(2) == 0
	kernelAt := pick(g.r, "platform", "pkg", "lib", container)
	style := g.r.IntN(3)         // 0: one Server type, 1: per-context Register, 2: routes in main
	suffixed := g.r.IntN(2) == 0 // <ctx>_<layer>.go rather than <ctx>.go
	g.plan(H, S, R, M, container, kernelAt, logN, dbN, "cmd", "main", "http", "server", "platform")
	appDir := "cmd/" + pick(g.r, "app", "server", g.words.Next())
	in := func(d string) string { return strings.TrimPrefix(container+"/"+d, "/") }
	kdir := func(n string) string { return strings.TrimPrefix(kernelAt+"/"+n, "/") }
	hDir, sDir, rDir, mDir := in(H), in(S), in(R), in(M)
	logL := g.logLib(kdir(logN))
	var dbL lib
	if useDB {
		dbL = g.dbLib(kdir(dbN))
	}
	ctxFile := func(dir string, c *ctxPlan) string {
		rel := dir + "/" + c.name + ".go"
		if suffixed {
			rel = dir + "/" + c.name + "_" + strings.TrimSuffix(lastElem(dir), "s") + ".go"
		}
		g.inSplit(rel, c.name)
		return rel
	}
	shared := func(dir, name string) string {
		rel := dir + "/" + name + ".go"
		g.inSplit(rel, "")
		return rel
	}
	mName, rName, sName, hName := lastElem(mDir), lastElem(rDir), lastElem(sDir), lastElem(hDir)
	wrap, closeF := "wrap", "closeRows"
	if useDB {
		wrap, closeF = dbL.name+".Wrap", dbL.name+".Close"
	} else {
		f := newFile(rName).std()
		f.p("func wrap(op string, err error) error {")
		f.p("	if err == nil {")
		f.p("		return nil")
		f.p("	}")
		f.p("	return fmt.Errorf(\"%%s: %%w\", op, err)")
		f.p("}")
		f.p("")
		f.p("func closeRows(rows *sql.Rows) { _ = rows.Close() }")
		g.put(shared(rDir, pick(g.r, rName, "helpers", "sql")), f)
	}
	// the services' shared file: an audit helper every service calls
	f := newFile(sName).std().use(logL.name, logL.path)
	f.p("// ErrConflict is returned when a row changed meanwhile.")
	f.p("var ErrConflict = errors.New(\"conflict\")")
	f.p("")
	f.p("func audit(op string, id int64) error {")
	f.p("	%s.Info(op, \"id\", id, \"at\", time.Now())", logL.name)
	f.p("	return nil")
	f.p("}")
	g.put(shared(sDir, pick(g.r, sName, "common", "audit")), f)

	// the handlers' shared file: response helpers, and the Server type
	f = newFile(hName).std().use(sName, g.pkgPath(sDir))
	webHelpers(f, "writeJSON", "fail", "pathID")
	if style == 0 {
		f.p("")
		f.p("// Server serves every route.")
		f.p("type Server struct {")
		for _, c := range g.ctxs {
			f.p("	%s *%s.%sService", c.name, sName, c.Name())
		}
		f.p("}")
		f.p("")
		var params, fields []string
		for _, c := range g.ctxs {
			params = append(params, fmt.Sprintf("%s *%s.%sService", c.name, sName, c.Name()))
			fields = append(fields, c.name+": "+c.name)
		}
		f.p("// NewServer returns a server on the services.")
		f.p("func NewServer(%s) *Server {", strings.Join(params, ", "))
		f.p("	return &Server{%s}", strings.Join(fields, ", "))
		f.p("}")
		f.p("")
		f.p("// Routes registers every route on mux.")
		f.p("func (s *Server) Routes(mux *http.ServeMux) {")
		reg := "mux"
		if g.defaultMux {
			reg = "http"
		}
		for _, c := range g.ctxs {
			g.routes(f, c, reg, "s", handlerMethodNames(c, false, true))
		}
		f.p("}")
	}
	g.put(shared(hDir, pick(g.r, hName, "respond", "server")), f)

	for _, c := range g.ctxs {
		// model
		f := newFile(mName)
		entityTypes(f, c, c.Ent(), c.Ent2())
		f.p("")
		f.p("// Done reports whether the %s is settled.", c.ent)
		f.p("func (x %s) Done() bool { return x.Status == \"done\" }", c.Ent())
		g.put(ctxFile(mDir, c), f)

		// repository
		f = newFile(rName).std().use(mName, g.pkgPath(mDir))
		if useDB {
			f.use(dbL.name, dbL.path)
		}
		repo := c.Name() + "Repo"
		f.p("// %s keeps the %s rows.", repo, c.ent)
		f.p("type %s struct{ db *sql.DB }", repo)
		f.p("")
		f.p("// New%s returns the %s rows on db.", repo, c.ent)
		f.p("func New%s(db *sql.DB) *%s { return &%s{db: db} }", repo, repo, repo)
		f.p("")
		storeMethods(f, c, storeNames{recv: "r *" + repo, db: "r.db", ent: mName + "." + c.Ent(), ent2: mName + "." + c.Ent2(), wrap: wrap, close: closeF})
		g.put(ctxFile(rDir, c), f)

		// service
		f = newFile(sName).std().use(rName, g.pkgPath(rDir)).use(mName, g.pkgPath(mDir)).use(logL.name, logL.path)
		svc := c.Name() + "Service"
		var cross []string
		var deps []*ctxPlan
		seen := map[int]bool{}
		for i, o := range c.callees() {
			oc := g.ctxs[o]
			if !seen[o] {
				deps = append(deps, oc)
				seen[o] = true
			}
			cross = append(cross, crossCall(c, oc, i, func(o *ctxPlan, method, args string) string {
				return "s." + o.name + "." + method + "(" + args + ")"
			}))
		}
		f.p("// %s is the %s logic.", svc, c.name)
		f.p("type %s struct {", svc)
		f.p("	repo *%s.%s", rName, repo)
		for _, o := range deps {
			f.p("	%s *%sService", o.name, o.Name())
		}
		f.p("}")
		f.p("")
		params := []string{"repo *" + rName + "." + repo}
		fields := []string{"repo: repo"}
		for _, o := range deps {
			params = append(params, fmt.Sprintf("%s *%sService", o.name, o.Name()))
			fields = append(fields, o.name+": "+o.name)
		}
		f.p("// New%s returns the %s logic.", svc, c.name)
		f.p("func New%s(%s) *%s {", svc, strings.Join(params, ", "), svc)
		f.p("	return &%s{%s}", svc, strings.Join(fields, ", "))
		f.p("}")
		f.p("")
		serviceMethods(f, g, c, serviceNames{recv: "s *" + svc, store: "s.repo", ent: mName + "." + c.Ent(), ent2: mName + "." + c.Ent2(),
			log: logL.name, publish: "audit(\"create " + c.ent + "\", id)", cross: cross})
		g.put(ctxFile(sDir, c), f)

		// handlers
		f = newFile(hName).std().use(sName, g.pkgPath(sDir))
		switch style {
		case 0:
			handlerMethods(f, c, handlerNames{recv: "s *Server", svc: "s." + c.name, json: "writeJSON", fail: "fail", id: "pathID", methods: handlerMethodNames(c, false, true)})
		default:
			ht := c.Name() + "Handler"
			methods := handlerMethodNames(c, style == 2, false)
			f.p("// %s serves the %s routes.", ht, c.name)
			f.p("type %s struct{ svc *%s.%s }", ht, sName, svc)
			f.p("")
			f.p("// New%s returns the %s handlers.", ht, c.name)
			f.p("func New%s(svc *%s.%s) *%s { return &%s{svc: svc} }", ht, sName, svc, ht, ht)
			f.p("")
			handlerMethods(f, c, handlerNames{recv: "h *" + ht, svc: "h.svc", json: "writeJSON", fail: "fail", id: "pathID", methods: methods})
			if style == 1 {
				f.p("")
				f.p("// Register registers the %s routes on mux.", c.name)
				f.p("func (h *%s) Register(mux *http.ServeMux) {", ht)
				reg := "mux"
				if g.defaultMux {
					reg = "http"
				}
				g.routes(f, c, reg, "h", methods)
				f.p("}")
			}
		}
		g.put(ctxFile(hDir, c), f)
	}

	// main
	f = newFile("main").std().use(logL.name, logL.path).use(hName, g.pkgPath(hDir)).use(sName, g.pkgPath(sDir)).use(rName, g.pkgPath(rDir))
	if useDB {
		f.use(dbL.name, dbL.path)
	}
	open := `sql.Open("postgres", os.Getenv("DATABASE_URL"))`
	if useDB {
		open = dbL.name + `.Open(os.Getenv("DATABASE_URL"))`
	}
	openMain(f, logL, open)
	f.p("	mux := http.NewServeMux()")
	var all []string
	for _, c := range g.ctxs {
		args := []string{fmt.Sprintf("%s.New%sRepo(conn)", rName, c.Name())}
		seen := map[int]bool{}
		for _, o := range c.callees() {
			if !seen[o] {
				args = append(args, g.ctxs[o].name+"Svc")
				seen[o] = true
			}
		}
		f.p("	%sSvc := %s.New%sService(%s)", c.name, sName, c.Name(), strings.Join(args, ", "))
		all = append(all, c.name+"Svc")
		if c.bg {
			f.p("	go %sSvc.Run(ctx, time.Minute)", c.name)
		}
	}
	reg := "mux"
	if g.defaultMux {
		reg = "http"
	}
	switch style {
	case 0:
		f.p("	%s.NewServer(%s).Routes(mux)", hName, strings.Join(all, ", "))
	case 1:
		for _, c := range g.ctxs {
			f.p("	%s.New%sHandler(%sSvc).Register(mux)", hName, c.Name(), c.name)
		}
	case 2:
		for _, c := range g.ctxs {
			v := c.name + "H"
			f.p("	%s := %s.New%sHandler(%sSvc)", v, hName, c.Name(), c.name)
			g.routes(f, c, reg, v, handlerMethodNames(c, true, false))
		}
	}
	g.closeMain(f, logL, appDir)
}
