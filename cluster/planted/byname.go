package planted

import (
	"fmt"
	"strings"
)

// byName writes layers told apart by package name: business/<ctx>bus,
// app/<ctx>app, stores/<ctx>db, with folders, affixes and nesting per
// seed, shared libraries in the layer folders' sdk and in foundation/,
// and a main package wiring everything.
func (g *gen) byName() {
	type variant struct {
		busTop, appTop, dbTop string // dbTop "" nests stores under the business package
		busAff, appAff, dbAff string
		logDir, dbDir, webDir string
	}
	vs := []variant{
		{"business/domain", "app/domain", "", "bus", "app", "db", "foundation/logger", "business/sdk/sqldb", "app/sdk/web"},
		{"business", "app", "stores", "bus", "app", "db", "foundation/log", "business/sdk/dbx", "app/sdk/respond"},
		{"core", "api", "data", "core", "api", "store", "kit/logging", "kit/sqlkit", "api/shared/httpx"},
		{"logic", "web", "storage", "svc", "http", "repo", "base/journal", "storage/common/database", "web/common/render"},
	}
	v := vs[g.r.IntN(len(vs))]
	prefix := g.r.IntN(3) == 0
	g.plan(v.busTop, v.appTop, v.dbTop, v.busAff, v.appAff, v.dbAff, v.logDir, v.dbDir, v.webDir, "cmd", "main", "services", "sdk")
	appDir := pick(g.r, "cmd/", "api/services/") + g.words.Next()
	logL, dbL, webL := g.logLib(v.logDir), g.dbLib(v.dbDir), g.webLib(v.webDir)
	name := func(c *ctxPlan, aff string) string {
		if prefix {
			return aff + c.name
		}
		return c.name + aff
	}
	busDir := func(c *ctxPlan) string { return v.busTop + "/" + name(c, v.busAff) }
	dbDir := func(c *ctxPlan) string {
		if v.dbTop == "" {
			return busDir(c) + "/stores/" + name(c, v.dbAff)
		}
		return v.dbTop + "/" + name(c, v.dbAff)
	}
	appDirOf := func(c *ctxPlan) string { return v.appTop + "/" + name(c, v.appAff) }
	for _, c := range g.ctxs {
		bus, db, app := name(c, v.busAff), name(c, v.dbAff), name(c, v.appAff)

		// business
		f := newFile(bus).std().use(logL.name, logL.path)
		entityTypes(f, c, c.Ent(), c.Ent2())
		f.p("")
		f.p("// Storer is what the %s logic needs of storage.", c.name)
		f.p("type Storer interface {")
		f.p("	List(ctx context.Context) ([]%s, error)", c.Ent())
		f.p("	Get(ctx context.Context, id int64) (%s, error)", c.Ent())
		f.p("	Insert(ctx context.Context, x %s) (int64, error)", c.Ent())
		f.p("	SetStatus(ctx context.Context, id int64, status string) error")
		f.p("	Pending(ctx context.Context) ([]int64, error)")
		f.p("	Count(ctx context.Context) (int, error)")
		if c.ent2 != "" {
			f.p("	Add%s(ctx context.Context, parent int64, note string) error", c.Ent2())
			f.p("	%ss(ctx context.Context, parent int64) ([]%s, error)", c.Ent2(), c.Ent2())
		}
		f.p("}")
		f.p("")
		var cross []string
		var deps []*ctxPlan
		seen := map[int]bool{}
		for i, o := range c.callees() {
			oc := g.ctxs[o]
			if !seen[o] {
				deps = append(deps, oc)
				seen[o] = true
				f.use(name(oc, v.busAff), g.pkgPath(busDir(oc)))
			}
			cross = append(cross, crossCall(c, oc, i, func(o *ctxPlan, method, args string) string {
				return "b." + o.name + "." + method + "(" + args + ")"
			}))
		}
		f.p("// Business is the %s logic.", c.name)
		f.p("type Business struct {")
		f.p("	storer Storer")
		for _, o := range deps {
			f.p("	%s *%s.Business", o.name, name(o, v.busAff))
		}
		f.p("}")
		f.p("")
		params := []string{"storer Storer"}
		fields := []string{"storer: storer"}
		for _, o := range deps {
			params = append(params, fmt.Sprintf("%s *%s.Business", o.name, name(o, v.busAff)))
			fields = append(fields, o.name+": "+o.name)
		}
		f.p("// NewBusiness returns the %s logic.", c.name)
		f.p("func NewBusiness(%s) *Business {", strings.Join(params, ", "))
		f.p("	return &Business{%s}", strings.Join(fields, ", "))
		f.p("}")
		f.p("")
		serviceMethods(f, g, c, serviceNames{recv: "b *Business", store: "b.storer", ent: c.Ent(), ent2: c.Ent2(), log: logL.name, cross: cross})
		g.put(busDir(c)+"/"+bus+".go", f)
		g.whole(busDir(c), c.name)

		// store
		f = newFile(db).std().use(bus, g.pkgPath(busDir(c))).use(dbL.name, dbL.path)
		f.p("// Store keeps the %s rows.", c.ent)
		f.p("type Store struct{ db *sql.DB }")
		f.p("")
		f.p("// NewStore returns the %s rows on db.", c.ent)
		f.p("func NewStore(db *sql.DB) *Store { return &Store{db: db} }")
		f.p("")
		storeMethods(f, c, storeNames{recv: "s *Store", db: "s.db", ent: bus + "." + c.Ent(), ent2: bus + "." + c.Ent2(), wrap: dbL.name + ".Wrap", close: dbL.name + ".Close"})
		g.put(dbDir(c)+"/"+db+".go", f)
		g.whole(dbDir(c), c.name)

		// app
		f = newFile(app).std().use(bus, g.pkgPath(busDir(c))).use(webL.name, webL.path)
		methods := handlerMethodNames(c, false, g.r.IntN(2) == 0)
		f.p("type api struct{ core *%s.Business }", bus)
		f.p("")
		handlerMethods(f, c, handlerNames{recv: "a *api", svc: "a.core", json: webL.name + ".JSON", fail: webL.name + ".Fail", id: webL.name + ".ID", methods: methods})
		f.p("")
		f.p("// Routes registers the %s routes.", c.name)
		f.p("func Routes(mux *http.ServeMux, core *%s.Business) {", bus)
		f.p("	a := &api{core: core}")
		reg := "mux"
		if g.defaultMux {
			reg = "http"
		}
		g.routes(f, c, reg, "a", methods)
		f.p("}")
		g.put(appDirOf(c)+"/"+pick(g.r, app, "route", "handlers")+".go", f)
		g.whole(appDirOf(c), c.name)
	}

	// main
	f := newFile("main").std().use(logL.name, logL.path).use(dbL.name, dbL.path)
	openMain(f, logL, dbL.name+".Open(os.Getenv(\"DATABASE_URL\"))")
	f.p("	mux := http.NewServeMux()")
	for _, c := range g.ctxs {
		bus, db, app := name(c, v.busAff), name(c, v.dbAff), name(c, v.appAff)
		f.use(bus, g.pkgPath(busDir(c))).use(db, g.pkgPath(dbDir(c))).use(app, g.pkgPath(appDirOf(c)))
		args := []string{db + ".NewStore(conn)"}
		seen := map[int]bool{}
		for _, o := range c.callees() {
			if !seen[o] {
				args = append(args, g.ctxs[o].name+"Core")
				seen[o] = true
			}
		}
		f.p("	%sCore := %s.NewBusiness(%s)", c.name, bus, strings.Join(args, ", "))
		f.p("	%s.Routes(mux, %sCore)", app, c.name)
		if c.bg {
			f.p("	go %sCore.Run(ctx, time.Minute)", c.name)
		}
	}
	g.closeMain(f, logL, appDir)
}
