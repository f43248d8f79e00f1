// Package scaffold generates, from a plan, one Go module per context that
// builds without the monolith: serverless functions adapting AWS Lambda
// events to the monolith's handler signatures, a net/http server for a
// container runtime, typed clients of the calls that become remote, the
// server of the calls a context answers, an AWS SAM template with the
// managed stores that replace flagged state, and a README whose TODO list
// points at every blocker.
//
// Generate is pure: a plan and options give a map of files, the same bytes
// every time, Go files gofmt-formatted. Write puts a scaffold on disk
// without ever replacing a file that was edited since it was generated
// (each context folder keeps the SHA-256 of what was written in
// ManifestName), and assembles each context folder in a temporary folder
// before moving it into place. ParsePlan reads a saved plan.yaml.
// README.md, template.yaml and the Makefile are text/template files of this
// package (readme.md.tmpl, template.yaml.tmpl, Makefile.tmpl), embedded and
// given their data as a struct; the Go files are written by code.
//
// # What a context's module holds
//
//	go.mod, go.sum      module <prefix>/<context>, go GoVersion, requiring
//	                    LambdaModule at LambdaVersion (LambdaGoSum)
//	service.go          Routes (every HTTP route on a Go 1.22 ServeMux), Deps
//	                    (clients of the contexts it calls), Stores (names of
//	                    the managed stores, from the environment)
//	handlers.go         per route: a package-level http.Handler that Wire
//	                    sets, and an adapter that calls it or answers 501,
//	                    documented with the monolith handler (decl, pos)
//	jobs.go             per recurring timed loop a job (an EventBridge
//	                    Scheduler rate schedule); per one-shot timer
//	                    (time.AfterFunc, a timer that fires once) the Args
//	                    its function captured and a consumer of a queue
//	                    whose messages are sent with a delivery delay (SQS
//	                    DelaySeconds up to 900 s, else a one-time at(...)
//	                    schedule); per consumer, and per goroutine started
//	                    per request, a queue consumer (SQS)
//	wire.go             Wire, run at cold start
//	api/api.go          the calls other contexts make to it: an API
//	                    interface served at POST /rpc/{Method}, and a
//	                    consumer per fire-and-forget call
//	clients/<c>/        per context it calls: an interface with the callee's
//	                    methods, an HTTP/JSON Client, and for fire-and-forget
//	                    calls a message type each and an SQS Queue sender
//	cmd/<function>/     one AWS Lambda function per entry point (or
//	                    cmd/router with Options.Router), cmd/rpc for the API,
//	                    cmd/<method>-events per message type
//	cmd/server/         a plain net/http server (Dockerfile): the container
//	                    target, running the jobs on tickers
//	internal/adapt/     API Gateway HTTP API, SQS and scheduler events to
//	                    net/http and plain functions (a copy of this
//	                    package's internal/adapt, with its tests)
//	template.yaml       AWS SAM: functions, HttpApi routes, queues with a
//	                    dead-letter queue, ScheduleV2 schedules, DynamoDB
//	                    tables (global, field and cache state; with TTL for
//	                    sessions and caches), S3 buckets (file writes), an
//	                    optional ElastiCache endpoint parameter per cache,
//	                    the database URL; Makefile builds each function
//	README.md           functions and what each runs, code to move, remote
//	                    calls, data, stores, and the TODO list
//
// # Types across contexts
//
// A remote method carries the callee's signature with its types mapped,
// since the generated module cannot import the monolith: basic types, any,
// time.Time, time.Duration and json.RawMessage stay, as do slices, arrays,
// pointers and string- or integer-keyed maps of mapped types (a pointer to
// a raw type is the raw type); a named type of the monolith (pkg.T)
// becomes an alias of json.RawMessage named T (PkgT when two packages'
// types share a name), the same in the client and in the api package; an
// error travels as its message; functions, channels, interfaces with
// methods, non-empty anonymous structs, generic instances, complex numbers
// and a context.Context other than the first parameter become
// json.RawMessage. Every method takes a context.Context first and returns
// an error last, added where the signature had none. A method of a type
// loses its receiver, which stays on the serving side.
package scaffold
