package scaffold

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"

	"decompose/emit/english"
	"decompose/emit/plan"
)

// LambdaModule and LambdaVersion are the AWS Lambda library every
// generated module requires.
const (
	LambdaModule  = "github.com/aws/aws-lambda-go"
	LambdaVersion = "v1.55.1"
	// GoVersion is the go directive of the generated modules: the one
	// LambdaVersion's own go.mod asks for.
	GoVersion = "1.26"
)

// LambdaGoSum is the go.sum of a generated module as go mod tidy writes
// it, from the checksum database: LambdaModule at LambdaVersion, and the
// modules its go.mod requires, which its own tests import (tidy records
// them for go test all). With fewer lines a generated module builds, but a
// user's go mod tidy changes go.sum, and the next scaffold run skips it
// as edited.
const LambdaGoSum = `github.com/aws/aws-lambda-go v1.55.1 h1:We2cCp4BwqqH/JW+bEEo1FhgG71rslvjfi4y7KmlrR0=
github.com/aws/aws-lambda-go v1.55.1/go.mod h1:V+NzkHNR6vBC8C1PDloqSLE+7jYWFiPvJJFiCiTm8nE=
github.com/davecgh/go-spew v1.1.1 h1:vj9j/u1bqnvCEfJOwUhtlOARqs3+rkHYY13jYWTU97c=
github.com/davecgh/go-spew v1.1.1/go.mod h1:J7Y8YcW2NihsgmVo/mv3lAwl/skON4iLHjSsI+c5H38=
github.com/pmezard/go-difflib v1.0.0 h1:4DBwDE0NGyQoBHbLQYPwSUPoCMWR5BEzIk/f1lZbAQM=
github.com/pmezard/go-difflib v1.0.0/go.mod h1:iKH77koFhYxTK1pcRnkKkqfTogsbg7gZNVY4sRDYZ/4=
github.com/stretchr/testify v1.7.2 h1:4jaiDzPyXQvSd7D0EjG45355tLlV3VOECpq10pLC+8s=
github.com/stretchr/testify v1.7.2/go.mod h1:R6va5+xMeoiuVRoj+gSkQ7d3FALtqAAGI1FQKckRals=
gopkg.in/yaml.v3 v3.0.1 h1:fxVm/GzAzEWqLHuvctI91KS9hhNmmWOoWu0XTYJS7CA=
gopkg.in/yaml.v3 v3.0.1/go.mod h1:K4uyk7z7BCEPqu6E+C64Yfv1cQ7kz7rIZviUmN+EgEM=
`

//go:embed internal/adapt/adapt.go
var adaptSource []byte

//go:embed internal/adapt/adapt_test.go
var adaptTestSource []byte

// files generates every file of the context's module.
func (m *contextModel) files() (map[string][]byte, error) {
	out := map[string][]byte{}
	add := func(name string, gen func() ([]byte, error)) error {
		b, err := gen()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		out[name] = b
		return nil
	}
	text := func(s string) func() ([]byte, error) { return func() ([]byte, error) { return []byte(s), nil } }
	steps := []struct {
		name string
		gen  func() ([]byte, error)
		when bool
	}{
		{"go.mod", text(fmt.Sprintf("module %s\n\ngo %s\n\nrequire %s %s\n", m.module, GoVersion, LambdaModule, LambdaVersion)), true},
		{"go.sum", text(LambdaGoSum), true},
		{"service.go", m.serviceGo, true},
		{"handlers.go", m.handlersGo, len(m.routes) > 0},
		{"jobs.go", m.jobsGo, len(m.jobs)+len(m.workers) > 0},
		{"wire.go", m.wireGo, true},
		{"internal/adapt/adapt.go", text(string(adaptSource)), true},
		{"internal/adapt/adapt_test.go", text(string(adaptTestSource)), true},
		{"cmd/server/main.go", m.serverMain, true},
		{"Dockerfile", text(dockerfile), true},
		{".gitignore", text(".aws-sam/\n/server\nbootstrap\n"), true},
		{"README.md", m.readme, true},
	}
	if m.in != nil {
		steps = append(steps, struct {
			name string
			gen  func() ([]byte, error)
			when bool
		}{"api/api.go", m.apiGo, true})
	}
	if len(m.functions) > 0 {
		steps = append(steps, struct {
			name string
			gen  func() ([]byte, error)
			when bool
		}{"template.yaml", m.template, true}, struct {
			name string
			gen  func() ([]byte, error)
			when bool
		}{"Makefile", m.makefile, true})
	}
	for _, s := range steps {
		if !s.when {
			continue
		}
		if err := add(s.name, s.gen); err != nil {
			return nil, err
		}
	}
	for _, f := range m.functions {
		f := f
		if err := add("cmd/"+f.Dir+"/main.go", func() ([]byte, error) { return m.functionMain(f) }); err != nil {
			return nil, err
		}
	}
	for _, cl := range m.clients {
		cl := cl
		if err := add("clients/"+cl.Pkg+"/client.go", func() ([]byte, error) { return m.clientGo(cl) }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

const dockerfile = `# The container target: cmd/server, a plain net/http server.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /server ./cmd/server

FROM gcr.io/distroless/static-debian12
COPY --from=build /server /server
ENV PORT=8080
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/server"]
`

// importsName is the name the commands import the context's package by:
// its own, unless that is a name they use for something else.
func (m *contextModel) importName() string {
	switch m.pkg {
	case "adapt", "lambda", "http", "log", "api", "context", "os", "signal", "time", "errors", "syscall", "main":
		return "service"
	}
	return m.pkg
}

func (m *contextModel) useRoot(g *gofile) string {
	if m.importName() != m.c.Name {
		return g.use(m.module, m.importName())
	}
	return g.use(m.module)
}

func (m *contextModel) mono() string { return m.plan.Module }

// serviceGo is the package's main file: its doc, Routes, Deps and Stores.
func (m *contextModel) serviceGo() ([]byte, error) {
	doc := fmt.Sprintf(`Package %s is the %s context of %s as a service of its own.

Routes serves its HTTP routes: handlers.go adapts each to the monolith's handler that served it.`, m.pkg, m.c.Name, m.mono())
	if len(m.jobs)+len(m.workers) > 0 {
		doc += " jobs.go holds its scheduled jobs and queue workers."
	}
	if m.in != nil {
		doc += " Package api serves the calls other contexts make to it."
	}
	doc += " Wire, in wire.go, builds what they need at cold start."
	doc += "\n\nThe commands under cmd/ deploy it: one AWS Lambda function per entry point"
	if m.router {
		doc = strings.Replace(doc, "one AWS Lambda function per entry point", "one AWS Lambda function for every trigger (cmd/router)", 1)
	}
	doc += " (template.yaml), and cmd/server, a plain net/http server for a container runtime. Its target runtime is " + m.runtime + ": " + m.runtimeReason + "."
	g := newGoFile(m.pkg, doc)
	http := g.use("net/http")
	g.comment(0, "Routes returns the context's HTTP routes as the monolith registered them"+
		map[bool]string{true: ", and its remote API under /rpc/.", false: "."}[m.hasRPC()])
	g.p("func Routes() *%s.ServeMux {", http)
	g.p("mux := %s.NewServeMux()", http)
	for _, r := range m.routes {
		g.p("mux.HandleFunc(%s, %s)", quote(r.Pattern), r.Ident)
	}
	if m.hasRPC() {
		g.p("%s.Register(mux)", g.use(m.module+"/api"))
	}
	g.p("return mux")
	g.p("}")
	if len(m.clients) > 0 {
		g.p("")
		g.comment(0, "Deps are the contexts this one calls remotely; Wire sets them.")
		g.p("var Deps struct {")
		for _, cl := range m.clients {
			alias := g.use(m.module+"/clients/"+cl.Pkg, cl.Alias)
			if len(cl.Sync) > 0 {
				g.comment(1, fmt.Sprintf("%s calls the %s context over HTTP (clients/%s): %s.", cl.Field, cl.Callee, cl.Pkg, methodList(cl.Sync)))
				g.p("%s %s.API", cl.Field, alias)
			}
			if len(cl.Async) > 0 {
				g.comment(1, fmt.Sprintf("%sEvents sends messages to the %s context's queues (clients/%s): %s.", cl.Field, cl.Callee, cl.Pkg, methodList(cl.Async)))
				g.p("%sEvents %s.Events", cl.Field, alias)
			}
		}
		g.p("}")
	}
	if fields := m.storeFields(); len(fields) > 0 {
		g.p("")
		g.comment(0, "Stores name the managed services that replace the monolith's in-process state and goroutines; template.yaml creates them and passes their names in the environment, which Wire reads.")
		g.p("var Stores struct {")
		for _, f := range fields {
			g.comment(1, f.doc)
			g.p("%s string", f.name)
		}
		g.p("}")
	}
	return g.bytes()
}

func (m *contextModel) hasRPC() bool {
	sync, _ := m.incoming()
	return len(sync) > 0
}

func methodList(ms []*method) string {
	var names []string
	for _, mt := range ms {
		names = append(names, mt.Name)
	}
	return strings.Join(names, ", ")
}

type storeField struct{ name, env, doc string }

// storeFields are the Stores fields: tables, buckets, cache endpoints,
// work queues and the database.
func (m *contextModel) storeFields() []storeField {
	var out []storeField
	for _, s := range m.stores {
		var objs []string
		for _, f := range s.Findings {
			objs = append(objs, f.Object+" ("+plan.FileLine(f.Pos)+")")
		}
		what := "a DynamoDB table"
		if s.Kind == "bucket" {
			what = "an S3 bucket"
		}
		if s.TTL {
			what += " with expiry (attribute expires_at)"
		}
		out = append(out, storeField{s.Ident, s.Env, fmt.Sprintf("%s (%s) is %s, in place of %s.", s.Ident, s.Env, what, strings.Join(dedupe(objs), ", "))})
		if s.Cache != "" {
			out = append(out, storeField{s.Cache, s.CacheEnv, fmt.Sprintf("%s (%s) is the endpoint of an optional ElastiCache (Redis or Valkey) cache for the same state: empty unless the template's %s parameter is set.", s.Cache, s.CacheEnv, s.Cache)})
		}
	}
	for _, w := range m.workers {
		out = append(out, storeField{w.Ident + "QueueURL", screaming(w.Ident) + "_QUEUE_URL", fmt.Sprintf("%sQueueURL (%s_QUEUE_URL) is the SQS queue that %s reads: send it a message where the monolith %s.", w.Ident, screaming(w.Ident), "Consume"+w.Ident, startedBy(w))})
	}
	if m.database {
		out = append(out, storeField{"DatabaseURL", "DATABASE_URL", "DatabaseURL (DATABASE_URL) is the SQL database holding the context's tables (see README.md: Data)."})
	}
	return out
}

func startedBy(w *worker) string {
	if w.Consumer {
		return "published to " + w.EP.Framework
	}
	if w.Delayed {
		return fmt.Sprintf("armed the timer of %s (%s), due after its delay (adapt.Delay)", shortDecl(w.EP.Decl), w.EP.Pos)
	}
	return fmt.Sprintf("started %s in a goroutine (%s)", shortDecl(w.EP.Decl), w.EP.Pos)
}

// shortDecl is a declaration ID without its package path's directories.
func shortDecl(id string) string {
	if i := strings.LastIndex(id, "/"); i >= 0 {
		return id[i+1:]
	}
	return id
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// frameworkNote tells how a monolith handler registered with a framework
// becomes an http.Handler.
func frameworkNote(fw string) string {
	switch strings.ToLower(fw) {
	case "", "net/http":
		return "Its code moves into the handler unchanged: a func(http.ResponseWriter, *http.Request) is an http.HandlerFunc, and r.PathValue reads the route's parameters as before."
	case "chi", "gorilla/mux", "gorilla":
		return "Its code moves into the handler unchanged: " + fw + " handlers are http.HandlerFuncs; read path parameters with r.PathValue instead of the router's helper."
	case "gin", "echo":
		return "Its handler takes a " + fw + " context: set the handler to a " + fw + " router holding this route (a " + fw + " router is an http.Handler), or rewrite it as an http.HandlerFunc."
	case "fiber":
		return "Its handler takes a fiber context, which is not net/http: rewrite it as an http.HandlerFunc, or convert a fiber app with fiber's adaptor package."
	}
	return "Set the handler to the code of that handler as an http.Handler."
}

// handlersGo is one adapter per route.
func (m *contextModel) handlersGo() ([]byte, error) {
	g := newGoFile(m.pkg, "")
	http := g.use("net/http")
	adapt := g.use(m.module + "/internal/adapt")
	for i, r := range m.routes {
		if i > 0 {
			g.p("")
		}
		route := r.APIMethod + " " + r.EP.Route
		if r.APIMethod == "ANY" {
			route = r.EP.Route
		}
		fw := r.EP.Framework
		if fw == "" {
			fw = "net/http"
		}
		g.comment(0, fmt.Sprintf("%sHandler serves %s once Wire sets it to the code of the monolith's %s.", r.Ident, route, orAnon(r.EP.Decl)))
		g.p("var %sHandler %s.Handler", r.Ident, http)
		g.p("")
		g.comment(0, fmt.Sprintf("%s serves %s, the route of the monolith's %s, registered at %s with %s. %s Until %sHandler is set, it answers 501 Not Implemented.",
			r.Ident, route, orAnon(r.EP.Decl), orUnknown(r.EP.Pos), fw, frameworkNote(r.EP.Framework), r.Ident))
		g.p("func %s(w %s.ResponseWriter, r *%s.Request) {", r.Ident, http, http)
		g.p("if %sHandler == nil {", r.Ident)
		g.p("%s.NotWired(w, %s, %s)", adapt, quote(route), quote(orAnon(r.EP.Decl)))
		g.p("return")
		g.p("}")
		g.p("%sHandler.ServeHTTP(w, r)", r.Ident)
		g.p("}")
	}
	return g.bytes()
}

func orAnon(decl string) string {
	if decl == "" {
		return "handler (a function literal)"
	}
	return decl
}

func orUnknown(pos string) string {
	if pos == "" {
		return "an unknown position"
	}
	return pos
}

// jobsGo holds the scheduled jobs and the queue workers.
func (m *contextModel) jobsGo() ([]byte, error) {
	g := newGoFile(m.pkg, "")
	ctx := g.use("context")
	adapt := g.use(m.module + "/internal/adapt")
	first := true
	sep := func() {
		if !first {
			g.p("")
		}
		first = false
	}
	for _, j := range m.jobs {
		sep()
		how := "a goroutine"
		switch {
		case j.EP.Framework != "" && j.EP.Framework != "go":
			how = j.EP.Framework
		case j.EP.Ticker:
			how = "a goroutine on a ticker"
		}
		g.comment(0, fmt.Sprintf("%sEvery is how often cmd/server runs %s; template.yaml schedules it %s. The monolith's period is not in the plan: set both to it.", j.Ident, j.Ident+"Job", defaultSchedule))
		g.p("const %sEvery = %s.Minute", j.Ident, g.use("time"))
		g.p("")
		g.comment(0, fmt.Sprintf("%sJob does one round of the work of the monolith's %s, which it ran with %s (%s), once Wire sets it. A function keeps nothing between invocations: what the loop kept in memory goes to a store (see Stores).", j.Ident, orAnon(j.EP.Decl), how, orUnknown(j.EP.Pos)))
		g.p("var %sJob func(ctx %s.Context) error", j.Ident, ctx)
		g.p("")
		g.comment(0, fmt.Sprintf("Run%s runs %sJob: an EventBridge Scheduler schedule invokes it as a function, cmd/server on a ticker. Until %sJob is set it fails, saying so.", j.Ident, j.Ident, j.Ident))
		g.p("func Run%s(ctx %s.Context) error {", j.Ident, ctx)
		g.p("if %sJob == nil {", j.Ident)
		g.p("return %s.NotWiredError(%s, %s)", adapt, quote(j.Ident+"Job"), quote(orAnon(j.EP.Decl)))
		g.p("}")
		g.p("return %sJob(ctx)", j.Ident)
		g.p("}")
	}
	for _, w := range m.workers {
		sep()
		if w.Delayed {
			m.delayedGo(g, w)
			continue
		}
		what := fmt.Sprintf("the work of the monolith's %s, which it ran in a goroutine started at %s: the code that started it sends a message to %sQueue instead (Stores.%sQueueURL), and this consumer does the work.", orAnon(w.EP.Decl), orUnknown(w.EP.Pos), w.Ident, w.Ident)
		if w.Consumer {
			what = fmt.Sprintf("the monolith's message consumer %s, registered with %s at %s: its messages now arrive on %sQueue.", orAnon(w.EP.Decl), w.EP.Framework, orUnknown(w.EP.Pos), w.Ident)
		}
		g.comment(0, fmt.Sprintf("%sConsumer handles one message body of %sQueue once Wire sets it: %s", w.Ident, w.Ident, what))
		g.p("var %sConsumer func(ctx %s.Context, body []byte) error", w.Ident, ctx)
		g.p("")
		g.comment(0, fmt.Sprintf("Consume%s runs %sConsumer on one message; a failed message is delivered again, then goes to the dead-letter queue. Until %sConsumer is set it fails, saying so.", w.Ident, w.Ident, w.Ident))
		g.p("func Consume%s(ctx %s.Context, body []byte) error {", w.Ident, ctx)
		g.p("if %sConsumer == nil {", w.Ident)
		g.p("return %s.NotWiredError(%s, %s)", adapt, quote(w.Ident+"Consumer"), quote(orAnon(w.EP.Decl)))
		g.p("}")
		g.p("return %sConsumer(ctx, body)", w.Ident)
		g.p("}")
	}
	return g.bytes()
}

// delayedGo declares a delayed one-off: the arguments its message
// carries, and its consumer, which decodes them.
func (m *contextModel) delayedGo(g *gofile, w *worker) {
	ctx := g.use("context")
	adapt := g.use(m.module + "/internal/adapt")
	how := "a timer that fires once"
	if w.EP.Framework == "time.AfterFunc" {
		how = "time.AfterFunc"
	}
	g.comment(0, fmt.Sprintf("%sArgs are what the monolith's %s, run once after a delay with %s at %s, had from the code that armed the timer (the values its function captured): a %sQueue message carries them, as JSON. A timer lives and dies with its instance; the message does not.", w.Ident, orAnon(w.EP.Decl), how, orUnknown(w.EP.Pos), w.Ident))
	g.p("type %sArgs struct {", w.Ident)
	seen := map[string]bool{}
	for _, a := range w.EP.Args {
		name, typ, _ := strings.Cut(a, " ")
		field := exported(name)
		if field == "" {
			field = "Arg"
		}
		for base, i := field, 2; seen[field]; i++ {
			field = fmt.Sprintf("%s%d", base, i)
		}
		seen[field] = true
		goType, note := argType(g, typ)
		line := fmt.Sprintf("%s %s `json:%s`", field, goType, quote(name))
		if note != "" {
			line += " // " + note
		}
		g.p("%s", line)
	}
	g.p("}")
	g.p("")
	g.comment(0, fmt.Sprintf("%sConsumer does, once Wire sets it, the work of the monolith's %s for one message of %sQueue. The code that armed the timer sends that message instead (Stores.%sQueueURL), its body the JSON of %sArgs, due after the timer's delay: adapt.Delay says how, with SQS DelaySeconds up to 15 minutes, and beyond as a one-time EventBridge Scheduler schedule at(...) whose target is the queue and whose input is the body. It is a one-off per call, not a schedule.", w.Ident, orAnon(w.EP.Decl), w.Ident, w.Ident, w.Ident))
	g.p("var %sConsumer func(ctx %s.Context, args %sArgs) error", w.Ident, ctx, w.Ident)
	g.p("")
	g.comment(0, fmt.Sprintf("Consume%s decodes one message of %sQueue and runs %sConsumer; a failed message is delivered again, then goes to the dead-letter queue. Until %sConsumer is set it fails, saying so.", w.Ident, w.Ident, w.Ident, w.Ident))
	g.p("func Consume%s(ctx %s.Context, body []byte) error {", w.Ident, ctx)
	g.p("if %sConsumer == nil {", w.Ident)
	g.p("return %s.NotWiredError(%s, %s)", adapt, quote(w.Ident+"Consumer"), quote(orAnon(w.EP.Decl)))
	g.p("}")
	g.p("var args %sArgs", w.Ident)
	g.p("if err := %s.Unmarshal(body, &args); err != nil {", g.use("encoding/json"))
	g.p("return %s.Errorf(\"%s: %%w\", err)", g.use("fmt"), w.Ident+"Queue")
	g.p("}")
	g.p("return %sConsumer(ctx, args)", w.Ident)
	g.p("}")
}

// argType is the Go type of an argument a delayed message carries: the
// monolith's type when it is a basic one (or time.Time, time.Duration),
// else json.RawMessage with the monolith's type as a note.
func argType(g *gofile, typ string) (string, string) {
	switch typ {
	case "bool", "string", "int", "int8", "int16", "int32", "int64",
		"uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "byte", "rune":
		return typ, ""
	case "time.Time", "time.Duration":
		return g.use("time") + typ[len("time"):], ""
	case "[]string", "[]int", "[]int64", "[]byte":
		return typ, ""
	}
	return g.use("encoding/json") + ".RawMessage", "the monolith's " + typ
}

// wireGo is the service's composition point.
func (m *contextModel) wireGo() ([]byte, error) {
	g := newGoFile(m.pkg, "")
	var todo []string
	for _, r := range m.routes {
		todo = append(todo, fmt.Sprintf("  - %sHandler: %s", r.Ident, declAt(orAnon(r.EP.Decl), r.EP.Pos)))
	}
	for _, j := range m.jobs {
		todo = append(todo, fmt.Sprintf("  - %sJob: %s", j.Ident, declAt(orAnon(j.EP.Decl), j.EP.Pos)))
	}
	for _, w := range m.workers {
		todo = append(todo, fmt.Sprintf("  - %sConsumer: %s", w.Ident, declAt(orAnon(w.EP.Decl), w.EP.Pos)))
	}
	if m.in != nil {
		todo = append(todo, "  - api.Impl: the callees of the context's remote API (see package api)")
	}
	doc := "Wire builds the service at cold start, before the first request: the clients of the contexts it calls, the names of its stores, and, once their code has moved here, the handlers of its entry points. Until a handler is set, its route answers 501 Not Implemented and its job or consumer fails, saying what to wire."
	if len(todo) > 0 {
		doc += "\n\nThe handlers to set, and the monolith's code each takes over:\n" + strings.Join(todo, "\n")
	}
	if len(m.startup) > 0 {
		var s []string
		for _, e := range m.startup {
			s = append(s, "  - "+declAt(e.Decl, e.Pos))
		}
		doc += "\n\nThe monolith ran this at start-up; each instance runs it at its cold start, here or in the moved packages' init functions:\n" + strings.Join(s, "\n")
	}
	g.comment(0, doc)
	g.p("func Wire() error {")
	for _, cl := range m.clients {
		alias := g.use(m.module+"/clients/"+cl.Pkg, cl.Alias)
		if len(cl.Sync) > 0 {
			g.p("Deps.%s = %s.New(%s.Getenv(%s), nil)", cl.Field, alias, g.use("os"), quote(cl.EnvURL))
		}
		if len(cl.Async) > 0 {
			g.comment(1, fmt.Sprintf("Set Sender to an SQS client (see %s.Sender) to send %s's messages.", alias, cl.Callee))
			g.p("Deps.%sEvents = &%s.Queue{", cl.Field, alias)
			for _, mt := range cl.Async {
				g.p("%sURL: %s.Getenv(%s),", mt.Name, g.use("os"), quote(queueURLEnv(cl.Callee, mt)))
			}
			g.p("}")
		}
	}
	for _, f := range m.storeFields() {
		g.p("Stores.%s = %s.Getenv(%s)", f.name, g.use("os"), quote(f.env))
	}
	g.p("return nil")
	g.p("}")
	return g.bytes()
}

// queueURLEnv is the variable holding the URL of callee's queue for mt.
func queueURLEnv(callee string, mt *method) string {
	return screaming(exported(callee)) + "_" + screaming(mt.Name) + "_QUEUE_URL"
}

// functionMain is the command of one Lambda function.
func (m *contextModel) functionMain(f *function) ([]byte, error) {
	var what string
	switch f.Kind {
	case "http":
		what = fmt.Sprintf("serves %s %s", f.Route.APIMethod, f.Route.APIPath)
	case "schedule":
		what = "runs the scheduled job " + f.Job.Ident
	case "queue":
		what = "consumes " + f.Worker.Ident + "Queue"
	case "rpc":
		what = "serves the context's remote API (POST /rpc/{method})"
	case "events":
		what = "consumes " + f.Method.Name + "Queue, the messages of " + f.Method.Callee
	case "router":
		what = "serves every trigger of the context: its routes, remote API, schedules and queues"
	}
	doc := fmt.Sprintf("Command %s is the AWS Lambda function that %s for the %s service", f.Dir, what, m.c.Name)
	if w := f.wraps(); len(w) == 1 {
		doc += "; it runs the monolith's " + w[0]
	}
	doc += "."
	g := newGoFile("main", doc)
	lambda := g.use(LambdaModule + "/lambda")
	adapt := g.use(m.module + "/internal/adapt")
	log := g.use("log")
	root := m.useRoot(g)
	g.p("func main() {")
	g.p("if err := %s.Wire(); err != nil {", root)
	g.p("%s.Fatalf(\"wire: %%v\", err)", log)
	g.p("}")
	switch f.Kind {
	case "http":
		g.p("%s.Start(%s.HTTP(%s.HandlerFunc(%s.%s)))", lambda, adapt, g.use("net/http"), root, f.Route.Ident)
	case "schedule":
		g.p("%s.Start(%s.Schedule(%s.Run%s))", lambda, adapt, root, f.Job.Ident)
	case "queue":
		g.p("%s.Start(%s.SQS(%s.Consume%s))", lambda, adapt, root, f.Worker.Ident)
	case "rpc":
		g.p("%s.Start(%s.HTTP(%s.Handler()))", lambda, adapt, g.use(m.module+"/api"))
	case "events":
		g.p("%s.Start(%s.SQS(%s.%s))", lambda, adapt, g.use(m.module+"/api"), f.Method.Consume)
	case "router":
		g.p("rt := &%s.Router{", adapt)
		g.p("HTTP: %s.Routes(),", root)
		if len(f.Jobs) > 0 {
			g.p("Jobs: map[string]func(%s.Context) error{", g.use("context"))
			for _, j := range f.Jobs {
				g.p("%s: %s.Run%s,", quote(kebab(j.Ident)), root, j.Ident)
			}
			g.p("},")
		}
		if len(f.Workers)+len(f.Events) > 0 {
			g.p("Queues: []%s.Queue{", adapt)
			for _, w := range f.Workers {
				g.p("{ARN: %s.Getenv(%s), Consume: %s.Consume%s},", g.use("os"), quote(screaming(w.Ident)+"_QUEUE_ARN"), root, w.Ident)
			}
			for _, mt := range f.Events {
				g.p("{ARN: %s.Getenv(%s), Consume: %s.%s},", g.use("os"), quote(screaming(mt.Name)+"_QUEUE_ARN"), g.use(m.module+"/api"), mt.Consume)
			}
			g.p("},")
		}
		g.p("}")
		g.p("%s.Start(rt.Handle)", lambda)
	}
	g.p("}")
	return g.bytes()
}

// serverMain is the container target.
func (m *contextModel) serverMain() ([]byte, error) {
	doc := fmt.Sprintf("Command server runs the %s service as a plain net/http server, for a serverless container runtime (Cloud Run, App Runner, ECS on Fargate; see the Dockerfile): every route", m.c.Name)
	if m.hasRPC() {
		doc += ", the remote API under /rpc/"
	}
	if len(m.jobs) > 0 {
		doc += ", and the scheduled jobs on tickers"
	}
	doc += ". It listens on $PORT (default 8080) and stops gracefully on SIGTERM."
	if len(m.workers) > 0 || m.hasEvents() {
		doc += " Queue consumers run as their Lambda functions, or from here with an SQS poller of your choice."
	}
	g := newGoFile("main", doc)
	ctx := g.use("context")
	http := g.use("net/http")
	log := g.use("log")
	os := g.use("os")
	tm := g.use("time")
	root := m.useRoot(g)
	g.p("func main() {")
	g.p("if err := %s.Wire(); err != nil {", root)
	g.p("%s.Fatalf(\"wire: %%v\", err)", log)
	g.p("}")
	g.p("ctx, stop := %s.NotifyContext(%s.Background(), %s.Interrupt, %s.SIGTERM)", g.use("os/signal"), ctx, os, g.use("syscall"))
	g.p("defer stop()")
	if len(m.jobs) > 0 {
		adapt := g.use(m.module + "/internal/adapt")
		for _, j := range m.jobs {
			g.p("go %s.Every(ctx, %s.%sEvery, %s, %s.Run%s)", adapt, root, j.Ident, quote(j.Ident), root, j.Ident)
		}
	}
	g.p("addr := \":8080\"")
	g.p("if port := %s.Getenv(\"PORT\"); port != \"\" {", os)
	g.p("addr = \":\" + port")
	g.p("}")
	g.p("srv := &%s.Server{Addr: addr, Handler: %s.Routes(), ReadHeaderTimeout: 10 * %s.Second}", http, root, tm)
	g.p("go func() {")
	g.p("<-ctx.Done()")
	g.p("shutdown, cancel := %s.WithTimeout(%s.Background(), 10*%s.Second)", ctx, ctx, tm)
	g.p("defer cancel()")
	g.p("if err := srv.Shutdown(shutdown); err != nil {")
	g.p("%s.Printf(\"shutdown: %%v\", err)", log)
	g.p("}")
	g.p("}()")
	g.p("%s.Printf(\"%s: listening on %%s\", addr)", log, m.c.Name)
	g.p("if err := srv.ListenAndServe(); err != nil && !%s.Is(err, %s.ErrServerClosed) {", g.use("errors"), http)
	g.p("%s.Fatal(err)", log)
	g.p("}")
	g.p("}")
	return g.bytes()
}

func (m *contextModel) hasEvents() bool {
	_, async := m.incoming()
	return len(async) > 0
}

// typeDoc documents how the monolith's types are mapped, for the package
// docs of clients and the api package.
const typeDoc = `A method of a type in the monolith keeps its receiver on the serving side: if the receiver is a value the caller owns (a money amount, say) rather than a service, pass it as a parameter or move its type to the shared kernel instead of calling it remotely.

Types: the monolith's packages cannot be imported here, so each of its named types is an alias of json.RawMessage named after it, and its value travels as the JSON the other side encodes; replace an alias with a struct of the fields you use, here and in the other side's package. Basic types, time.Time, time.Duration, and slices, arrays, pointers and string- or integer-keyed maps of them stay as they are; an error travels as its message; functions, channels, interfaces with methods, generic instances and a context.Context other than the first parameter become json.RawMessage. Every method takes a context.Context first and returns an error last, added where the monolith's signature had none: a remote call can be cancelled and can fail.`

// apiDocs documents one method of a remote API.
func methodDoc(mt *method, callers bool) string {
	doc := fmt.Sprintf("%s is the monolith's %s, %s.", mt.Name, mt.Callee, orUnknownSig(mt.Signature))
	if callers {
		var cs []string
		for _, c := range mt.Calls {
			cs = append(cs, fmt.Sprintf("%s in %s (%s, %d %s)", c.Caller, c.From, c.Pos, c.Sites, english.Agree(c.Sites, "site", "sites")))
		}
		doc += " Called by " + strings.Join(cs, "; ") + "."
	}
	return doc
}

func orUnknownSig(s string) string {
	if s == "" {
		return "unknown signature"
	}
	return s
}

// signature renders a method's Go signature (without "func" and name).
func signature(mt *method, resultsToo bool) string {
	var ps []string
	ps = append(ps, mt.CtxName+" context.Context")
	for _, p := range mt.Params {
		t := p.Type
		if p.Variadic {
			t = "..." + t
		}
		ps = append(ps, p.Name+" "+t)
	}
	var rs []string
	if resultsToo {
		for _, r := range mt.Results {
			rs = append(rs, r.Type)
		}
	}
	rs = append(rs, "error")
	res := strings.Join(rs, ", ")
	if len(rs) > 1 {
		res = "(" + res + ")"
	}
	return "(" + strings.Join(ps, ", ") + ") " + res
}

// wireValue converts a Go value to its wire field (an error to its
// message).
func wireValue(f field, v string) string {
	if f.Error {
		return "errText(" + v + ")"
	}
	return v
}

// goValue converts a wire field back.
func goValue(f field, v string) string {
	if f.Error {
		return "errValue(" + v + ")"
	}
	return v
}

// structs writes the request and response types of the sync methods and
// the message types of the async ones.
func writeWireTypes(g *gofile, sync, async []*method) {
	fields := func(name string, fs []field) {
		if len(fs) == 0 {
			g.p("type %s struct{}", name)
			g.p("")
			return
		}
		g.p("type %s struct {", name)
		for _, f := range fs {
			g.p("%s %s `json:%s`", f.Field, f.Wire, quote(f.JSON))
		}
		g.p("}")
		g.p("")
	}
	for _, mt := range sync {
		fields("req"+mt.Name, mt.Params)
		if len(mt.Results) > 0 {
			fields("res"+mt.Name, mt.Results)
		}
	}
	for _, mt := range async {
		g.comment(0, fmt.Sprintf("%s is the message of %s: its arguments.", mt.Message, mt.Name))
		fields(mt.Message, mt.Params)
	}
}

func writeAliases(g *gofile, aliases []alias, other string) {
	for _, a := range aliases {
		g.comment(0, fmt.Sprintf("%s is %s in the monolith; it travels as the JSON %s. Replace the alias with a struct of the fields you need.", a.Name, a.Orig, other))
		g.p("type %s = %s.RawMessage", a.Name, g.use("encoding/json"))
		g.p("")
	}
}

func writeErrHelpers(g *gofile, ms []*method) {
	need := false
	for _, mt := range ms {
		if anyError(mt.Params) || anyError(mt.Results) {
			need = true
		}
	}
	if !need {
		return
	}
	errors := g.use("errors")
	g.p("func errText(err error) string {")
	g.p("if err == nil {")
	g.p("return \"\"")
	g.p("}")
	g.p("return err.Error()")
	g.p("}")
	g.p("")
	g.p("func errValue(s string) error {")
	g.p("if s == \"\" {")
	g.p("return nil")
	g.p("}")
	g.p("return %s.New(s)", errors)
	g.p("}")
	g.p("")
}

// imports for types used in signatures.
func useTypeImports(g *gofile, ms []*method) {
	for _, mt := range ms {
		all := append(append([]field{}, mt.Params...), mt.Results...)
		if usesType(all, "time.") {
			g.use("time")
		}
		if usesType(all, "json.") {
			g.use("encoding/json")
		}
	}
}

// apiGo is the server side of the context's remote API.
func (m *contextModel) apiGo() ([]byte, error) {
	sync, async := m.incoming()
	var callers []string
	for _, mt := range m.in.Methods {
		for _, c := range mt.Calls {
			callers = append(callers, c.From)
		}
	}
	callers = dedupe(sortedStrings(callers))
	doc := fmt.Sprintf("Package api serves the %s context's remote API: the calls that %s made to it in-process in %s.", m.c.Name, strings.Join(callers, ", "), m.mono())
	if len(sync) > 0 {
		doc += " A call that waits for its outcome is POST /rpc/{method} with the arguments as a JSON object, answered 200 with the results as one, or with {\"error\": message} and an error status."
	}
	if len(async) > 0 {
		doc += " A call whose every site was fire and forget is a message on an SQS queue of its own, consumed by a Consume function."
	}
	doc += "\n\n" + typeDoc
	g := newGoFile("api", doc)
	ctx := g.use("context")
	useTypeImports(g, m.in.Methods)
	g.comment(0, fmt.Sprintf("API is the %s context's remote API. Impl serves it.", m.c.Name))
	g.p("type API interface {")
	for _, mt := range m.in.Methods {
		g.comment(1, methodDoc(mt, true))
		g.p("%s%s", mt.Name, strings.Replace(signature(mt, true), "context.Context", ctx+".Context", 1))
	}
	g.p("}")
	g.p("")
	g.comment(0, "Impl serves the API once the service's Wire sets it to the code the monolith's callees move into; until then calls answer 501 Not Implemented and messages fail.")
	g.p("var Impl API")
	g.p("")
	writeAliases(g, m.in.Aliases, "the callers send or expect")
	writeWireTypes(g, sync, async)
	writeErrHelpers(g, m.in.Methods)
	if len(sync) > 0 {
		http := g.use("net/http")
		g.comment(0, "Handler serves the synchronous methods: POST /rpc/{method}.")
		g.p("func Handler() %s.Handler {", http)
		g.p("mux := %s.NewServeMux()", http)
		g.p("Register(mux)")
		g.p("return mux")
		g.p("}")
		g.p("")
		g.comment(0, "Register adds the routes of the synchronous methods to mux.")
		g.p("func Register(mux *%s.ServeMux) {", http)
		for _, mt := range sync {
			g.p("mux.HandleFunc(%s, serve%s)", quote("POST /rpc/"+mt.Name), mt.Name)
		}
		g.p("}")
		g.p("")
		for _, mt := range sync {
			g.p("func serve%s(w %s.ResponseWriter, r *%s.Request) {", mt.Name, http, http)
			g.p("var in req%s", mt.Name)
			g.p("if !decode(w, r, &in) {")
			g.p("return")
			g.p("}")
			g.p("if Impl == nil {")
			g.p("fail(w, %s.StatusNotImplemented, %s)", http, quote(mt.Name+" is not wired yet: set api.Impl (see wire.go)"))
			g.p("return")
			g.p("}")
			var results []string
			for i := range mt.Results {
				results = append(results, fmt.Sprintf("r%d", i))
			}
			results = append(results, "err")
			g.p("%s := Impl.%s(%s)", strings.Join(results, ", "), mt.Name, callArgs("r.Context()", mt.Params, "in."))
			g.p("if err != nil {")
			g.p("fail(w, %s.StatusInternalServerError, err.Error())", http)
			g.p("return")
			g.p("}")
			var fields []string
			for i, r := range mt.Results {
				fields = append(fields, r.Field+": "+wireValue(r, fmt.Sprintf("r%d", i)))
			}
			if len(mt.Results) == 0 {
				g.p("reply(w, struct{}{})")
			} else {
				g.p("reply(w, res%s{%s})", mt.Name, strings.Join(fields, ", "))
			}
			g.p("}")
			g.p("")
		}
		json := g.use("encoding/json")
		g.p("func decode(w %s.ResponseWriter, r *%s.Request, in any) bool {", http, http)
		g.p("if err := %s.NewDecoder(%s.MaxBytesReader(w, r.Body, 8<<20)).Decode(in); err != nil {", json, http)
		g.p("fail(w, %s.StatusBadRequest, \"arguments: \"+err.Error())", http)
		g.p("return false")
		g.p("}")
		g.p("return true")
		g.p("}")
		g.p("")
		g.p("func reply(w %s.ResponseWriter, out any) {", http)
		g.p("w.Header().Set(\"Content-Type\", \"application/json\")")
		g.p("if err := %s.NewEncoder(w).Encode(out); err != nil {", json)
		g.p("%s.Printf(\"reply: %%v\", err)", g.use("log"))
		g.p("}")
		g.p("}")
		g.p("")
		g.p("func fail(w %s.ResponseWriter, status int, msg string) {", http)
		g.p("w.Header().Set(\"Content-Type\", \"application/json\")")
		g.p("w.WriteHeader(status)")
		g.p("%s.NewEncoder(w).Encode(map[string]string{\"error\": msg})", json)
		g.p("}")
		g.p("")
	}
	for _, mt := range async {
		json := g.use("encoding/json")
		fmtp := g.use("fmt")
		g.comment(0, fmt.Sprintf("%s handles one %s from %sQueue: it calls Impl.%s.", mt.Consume, mt.Message, mt.Name, mt.Name))
		g.p("func %s(ctx %s.Context, body []byte) error {", mt.Consume, ctx)
		g.p("var m %s", mt.Message)
		g.p("if err := %s.Unmarshal(body, &m); err != nil {", json)
		g.p("return %s.Errorf(\"%s message: %%w\", err)", fmtp, mt.Name)
		g.p("}")
		g.p("if Impl == nil {")
		g.p("return %s.Errorf(%s)", fmtp, quote(mt.Name+" is not wired yet: set api.Impl (see wire.go)"))
		g.p("}")
		var results []string
		for range mt.Results {
			results = append(results, "_")
		}
		results = append(results, "err")
		if len(mt.Results) == 0 {
			g.p("return Impl.%s(%s)", mt.Name, callArgs("ctx", mt.Params, "m."))
		} else {
			g.p("%s := Impl.%s(%s)", strings.Join(results, ", "), mt.Name, callArgs("ctx", mt.Params, "m."))
			g.p("return err")
		}
		g.p("}")
		g.p("")
	}
	return g.bytes()
}

func sortedStrings(xs []string) []string {
	out := append([]string{}, xs...)
	sort.Strings(out)
	return out
}

// callArgs are the arguments of a call of Impl from a wire struct.
func callArgs(ctx string, ps []field, from string) string {
	args := []string{ctx}
	for _, p := range ps {
		v := goValue(p, from+p.Field)
		if p.Variadic {
			v += "..."
		}
		args = append(args, v)
	}
	return strings.Join(args, ", ")
}

// clientGo is the caller's side of a callee's remote API.
func (m *contextModel) clientGo(cl *client) ([]byte, error) {
	doc := fmt.Sprintf("Package %s calls the %s context's remote API from %s: the calls that were in-process in %s.", cl.Pkg, cl.Callee, m.c.Name, m.mono())
	if len(cl.Sync) > 0 {
		doc += fmt.Sprintf(" Client calls it over HTTP: POST {base URL}/rpc/{method} (the base URL is %s in the environment).", cl.EnvURL)
	}
	if len(cl.Async) > 0 {
		doc += " Queue sends the calls whose every site was fire and forget as SQS messages."
	}
	doc += "\n\n" + typeDoc
	g := newGoFile(cl.Pkg, doc)
	ctx := g.use("context")
	all := append(append([]*method{}, cl.Sync...), cl.Async...)
	useTypeImports(g, all)
	if len(cl.Sync) > 0 {
		g.comment(0, fmt.Sprintf("API is what %s calls of the %s context.", m.c.Name, cl.Callee))
		g.p("type API interface {")
		for _, mt := range cl.Sync {
			g.comment(1, methodDoc(mt, false)+" "+callsFrom(mt, m.c.Name))
			g.p("%s%s", mt.Name, strings.Replace(signature(mt, true), "context.Context", ctx+".Context", 1))
		}
		g.p("}")
		g.p("")
	}
	if len(cl.Async) > 0 {
		g.comment(0, fmt.Sprintf("Events are the messages %s sends to the %s context: calls whose every site was fire and forget (the results, if any, were never used).", m.c.Name, cl.Callee))
		g.p("type Events interface {")
		for _, mt := range cl.Async {
			g.comment(1, methodDoc(mt, false)+" "+callsFrom(mt, m.c.Name))
			g.p("%s%s", mt.Name, strings.Replace(signature(mt, false), "context.Context", ctx+".Context", 1))
		}
		g.p("}")
		g.p("")
	}
	writeAliases(g, cl.Aliases, "the "+cl.Callee+" service reads or writes")
	writeWireTypes(g, cl.Sync, cl.Async)
	writeErrHelpers(g, all)
	if len(cl.Sync) > 0 {
		http := g.use("net/http")
		g.comment(0, "Client calls the API over HTTP with JSON bodies.")
		g.p("type Client struct {")
		g.comment(1, fmt.Sprintf("BaseURL is the %s service's URL, such as its HTTP API's endpoint.", cl.Callee))
		g.p("BaseURL string")
		g.p("HTTP *%s.Client", http)
		g.p("}")
		g.p("")
		g.p("var _ API = (*Client)(nil)")
		g.p("")
		g.comment(0, "New returns a Client of the service at baseURL; a nil hc is http.DefaultClient.")
		g.p("func New(baseURL string, hc *%s.Client) *Client {", http)
		g.p("if hc == nil {")
		g.p("hc = %s.DefaultClient", http)
		g.p("}")
		g.p("return &Client{BaseURL: baseURL, HTTP: hc}")
		g.p("}")
		g.p("")
		for _, mt := range cl.Sync {
			g.comment(0, fmt.Sprintf("%s calls %s remotely.", mt.Name, shortDecl(mt.Callee)))
			g.p("func (c *Client) %s%s {", mt.Name, strings.Replace(signature(mt, true), "context.Context", ctx+".Context", 1))
			var fields []string
			for _, p := range mt.Params {
				fields = append(fields, p.Field+": "+wireValue(p, p.Name))
			}
			in := fmt.Sprintf("req%s{%s}", mt.Name, strings.Join(fields, ", "))
			if len(mt.Results) == 0 {
				g.p("return c.call(%s, %s, %s, nil)", mt.CtxName, quote(mt.Name), in)
			} else {
				g.p("var out res%s", mt.Name)
				g.p("err := c.call(%s, %s, %s, &out)", mt.CtxName, quote(mt.Name), in)
				var rs []string
				for _, r := range mt.Results {
					rs = append(rs, goValue(r, "out."+r.Field))
				}
				g.p("return %s, err", strings.Join(rs, ", "))
			}
			g.p("}")
			g.p("")
		}
		json := g.use("encoding/json")
		fmtp := g.use("fmt")
		g.comment(0, "Error is a call the service answered with an error.")
		g.p("type Error struct {")
		g.p("Method string")
		g.p("Status int")
		g.p("Message string")
		g.p("}")
		g.p("")
		g.p("func (e *Error) Error() string {")
		g.p("return %s.Sprintf(\"%s.%%s: %%d %%s\", e.Method, e.Status, e.Message)", fmtp, cl.Callee)
		g.p("}")
		g.p("")
		g.p("func (c *Client) call(ctx %s.Context, method string, in, out any) error {", ctx)
		g.p("if c.BaseURL == \"\" {")
		g.p("return %s.Errorf(\"%s.%%s: no base URL (set %s)\", method)", fmtp, cl.Callee, cl.EnvURL)
		g.p("}")
		g.p("body, err := %s.Marshal(in)", json)
		g.p("if err != nil {")
		g.p("return %s.Errorf(\"%s.%%s: %%w\", method, err)", fmtp, cl.Callee)
		g.p("}")
		g.p("req, err := %s.NewRequestWithContext(ctx, %s.MethodPost, %s.TrimSuffix(c.BaseURL, \"/\")+\"/rpc/\"+method, %s.NewReader(body))", http, http, g.use("strings"), g.use("bytes"))
		g.p("if err != nil {")
		g.p("return %s.Errorf(\"%s.%%s: %%w\", method, err)", fmtp, cl.Callee)
		g.p("}")
		g.p("req.Header.Set(\"Content-Type\", \"application/json\")")
		g.p("hc := c.HTTP")
		g.p("if hc == nil {")
		g.p("hc = %s.DefaultClient", http)
		g.p("}")
		g.p("res, err := hc.Do(req)")
		g.p("if err != nil {")
		g.p("return %s.Errorf(\"%s.%%s: %%w\", method, err)", fmtp, cl.Callee)
		g.p("}")
		g.p("defer res.Body.Close()")
		g.p("if res.StatusCode != %s.StatusOK {", http)
		g.p("e := &Error{Method: method, Status: res.StatusCode}")
		g.p("b, _ := %s.ReadAll(%s.LimitReader(res.Body, 64<<10))", g.use("io"), g.use("io"))
		g.p("var msg struct {")
		g.p("Error string `json:\"error\"`")
		g.p("}")
		g.p("if %s.Unmarshal(b, &msg) == nil && msg.Error != \"\" {", json)
		g.p("e.Message = msg.Error")
		g.p("} else {")
		g.p("e.Message = %s.TrimSpace(string(b))", g.use("strings"))
		g.p("}")
		g.p("return e")
		g.p("}")
		g.p("if out == nil {")
		g.p("return nil")
		g.p("}")
		g.p("if err := %s.NewDecoder(res.Body).Decode(out); err != nil {", json)
		g.p("return %s.Errorf(\"%s.%%s: results: %%w\", method, err)", fmtp, cl.Callee)
		g.p("}")
		g.p("return nil")
		g.p("}")
		g.p("")
	}
	if len(cl.Async) > 0 {
		json := g.use("encoding/json")
		fmtp := g.use("fmt")
		g.comment(0, "Sender puts a message body on the SQS queue at queueURL. With the AWS SDK for Go v2:\n\n\tqueue.Sender = SenderFunc(func(ctx context.Context, url string, body []byte) error {\n\t\t_, err := sqsClient.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String(string(body))})\n\t\treturn err\n\t})")
		g.p("type Sender interface {")
		g.p("Send(ctx %s.Context, queueURL string, body []byte) error", ctx)
		g.p("}")
		g.p("")
		g.comment(0, "SenderFunc is a function that is a Sender.")
		g.p("type SenderFunc func(ctx %s.Context, queueURL string, body []byte) error", ctx)
		g.p("")
		g.comment(0, "Send calls f.")
		g.p("func (f SenderFunc) Send(ctx %s.Context, queueURL string, body []byte) error {", ctx)
		g.p("return f(ctx, queueURL, body)")
		g.p("}")
		g.p("")
		g.comment(0, fmt.Sprintf("Queue sends Events as JSON messages to the %s context's queues (template.yaml of %s outputs their URLs).", cl.Callee, cl.Callee))
		g.p("type Queue struct {")
		g.p("Sender Sender")
		for _, mt := range cl.Async {
			g.comment(1, fmt.Sprintf("%sURL is the URL of %sQueue (%s).", mt.Name, mt.Name, queueURLEnv(cl.Callee, mt)))
			g.p("%sURL string", mt.Name)
		}
		g.p("}")
		g.p("")
		g.p("var _ Events = (*Queue)(nil)")
		g.p("")
		for _, mt := range cl.Async {
			g.comment(0, fmt.Sprintf("%s sends a %s.", mt.Name, mt.Message))
			g.p("func (q *Queue) %s%s {", mt.Name, strings.Replace(signature(mt, false), "context.Context", ctx+".Context", 1))
			var fields []string
			for _, p := range mt.Params {
				fields = append(fields, p.Field+": "+wireValue(p, p.Name))
			}
			g.p("return q.send(%s, %s, q.%sURL, %s{%s})", mt.CtxName, quote(mt.Name), mt.Name, mt.Message, strings.Join(fields, ", "))
			g.p("}")
			g.p("")
		}
		g.p("func (q *Queue) send(ctx %s.Context, method, url string, m any) error {", ctx)
		g.p("if q.Sender == nil {")
		g.p("return %s.Errorf(\"%s.%%s: no Sender (set it in wire.go)\", method)", fmtp, cl.Callee)
		g.p("}")
		g.p("if url == \"\" {")
		g.p("return %s.Errorf(\"%s.%%s: no queue URL\", method)", fmtp, cl.Callee)
		g.p("}")
		g.p("body, err := %s.Marshal(m)", json)
		g.p("if err != nil {")
		g.p("return %s.Errorf(\"%s.%%s: %%w\", method, err)", fmtp, cl.Callee)
		g.p("}")
		g.p("return q.Sender.Send(ctx, url, body)")
		g.p("}")
	}
	return g.bytes()
}

// callsFrom lists where caller calls mt.
func callsFrom(mt *method, caller string) string {
	var cs []string
	for _, c := range mt.Calls {
		if c.From == caller {
			cs = append(cs, fmt.Sprintf("%s (%s)", shortDecl(c.Caller), c.Pos))
		}
	}
	if len(cs) == 0 {
		return ""
	}
	return "Called from " + strings.Join(cs, ", ") + "."
}
