// Package state finds the in-process state that stands in the way of
// running a Go program as stateless functions, and the database tables
// each function reads and writes.
//
// A serverless function keeps nothing between invocations and runs as
// many instances at once: whatever a request leaves in memory or on the
// local disk is gone at the next cold start and invisible to the other
// instances. The checks below find that state from the SSA form of the
// code, by how it is written and read (stores, map updates, appends,
// method calls), never by names; names only colour the wording of
// messages and remedies.
//
// # Drivers
//
// [Inspect] works on one *ssa.Package built by any driver: the tool's
// whole-program loader (which builds SSA once, with
// ssa.InstantiateGenerics), golang.org/x/tools/go/ssa/ssautil, or the
// buildssa pass. It never loads anything and needs no bodies for imported
// packages. [Analyzer] wraps it as a golang.org/x/tools/go/analysis
// analyzer, so that go vet -vettool, gopls and golangci-lint can run it;
// cmd/decompose-vet is that analyzer as a command.
//
// # Phases and severity
//
// Most severities depend on when the code that writes the state runs: a
// variable written during package initialisation is rebuilt on every cold
// start (info), one written by start-up code reached from main is a
// singleton built once per instance (warning), one written while serving
// requests or by background work holds state between requests (blocker).
// That is a [Phase].
//
// Per package, Inspect estimates phases from the package alone: package
// initialisers and init functions run during initialisation; main runs at
// start-up; functions with a request handler's parameters (net/http's
// ResponseWriter and *Request, gin's *Context, echo's Context, fiber's
// *Ctx, fasthttp's *RequestCtx) run while serving; goroutine bodies run in
// the background. Callees inherit their callers' phases through static
// calls. Exported
// functions, methods, and functions used as values may run at any time:
// their phase is unknown and their findings are warnings that say "a
// blocker if it runs per request".
//
// The whole-program stage knows better: it passes its own phases, derived
// from reachability from the entry points, either as [Options].Phase or
// afterwards to [Resolve], which recomputes every severity by the rule of
// its check; where it answers PhaseUnknown the estimate stands. Each [Finding] keeps the facts the rules need: the accesses
// with the functions that make them, and the site's function.
//
// # Who owns what
//
// A finding about an object lists its Writers and Readers: the function
// whose code makes each access (a *ssa.Function, closures included), the
// model's declaration ID it belongs to ("pkg.Func", "pkg.Type.Method",
// "pkg.init"; closures belong to their enclosing declaration and
// package-level initialisers to their variable), the position and the
// kind of access. [Finding.WriterDecls] and [Finding.ReaderDecls] list the
// declarations. Mapping those to contexts gives "written by one context and
// read by another". For data ownership, findings of the sql-tables check
// carry the tables a call reads and writes; [TablesByFunc] and
// [TablesByDecl] gather them per function and per declaration.
//
// # Checks
//
// Each check is declared once, as a [Check] value with its title,
// rationale, remedy and severity rule; its logic lives in the file named
// after it.
//
// global-init-only (globals.go). A package variable written only during
// initialisation (its initialiser, init functions, and functions only they
// call) and read afterwards: configuration, compiled regexps, parsed
// templates, lookup tables, embedded data. Rebuilt on every cold start,
// which is correct. Severity: info. Error sentinels (variables of an error
// type), unused variables and cgo's generated variables are not reported. Remedy: none; keep
// initialisation cheap or load large data once per cold start from object
// storage or a parameter store.
//
// global-singleton (globals.go). A package variable given a new value at
// run time: a database handle set by an Init function, configuration
// decoded through its address (json.Unmarshal(b, &cfg)), a client built
// lazily under sync.Once, a value built by sync.OnceValue, OnceValues or
// OnceFunc. Severity: info if every write runs during initialisation;
// warning if written at start-up, under sync.Once or sync.OnceValue, or
// by code of unknown phase; blocker if assigned on a request path without
// sync.Once (one request's value leaks into the next), or in background
// work. Remedy: build it on
// the cold-start path from configuration; per-request values belong in the
// request context; database handles behind a connection proxy or a
// serverless SQL database.
//
// global-mutable (globals.go). A package variable changed in place at run
// time: a map update or delete, an append stored back, a read-modify-write
// (counter++), a store into a field or element, a sync.Map, atomic or
// expvar write, a bytes.Buffer or container/list write, or a call of a
// method of the package that changes its receiver. These are caches,
// registries, session tables and counters. Severity: info if every write
// runs during initialisation (a table filled by init); warning at start-up
// or of unknown phase; blocker on a request path or in background work. Remedy: a key-value
// store (DynamoDB, Firestore, Redis) for sessions and registries, with
// expiry for sessions; a cache service (ElastiCache, Memorystore, Momento)
// for caches; a queue for slices of pending work; an atomic counter in the
// store for counters.
//
// global-mutex (globals.go). A package-level sync.Mutex or RWMutex that is
// locked; the message lists the package variables used in the functions
// that lock it. An in-process lock does not exclude other instances.
// Severity: warning if locked after initialisation, info otherwise; the
// guarded state has findings of its own. Remedy: the store's own
// concurrency control (conditional writes, transactions); a distributed
// lock only where mutual exclusion is really needed.
//
// field-mutable (fields.go). A field of a long-lived object changed by the
// object's methods at run time: a server struct's session map, an
// in-memory repository, a catalog reloaded in place. The object counts as
// long-lived when a method that changes the field is a registered request
// handler (a ServeHTTP method, a method value or function literal with a
// handler's parameters, or a function the driver's Options.Handler names),
// or takes a lock held in the object itself. Methods that change their
// receiver without such evidence (builders, per-request values) are not
// reported. Severity: by the phase of the writers, as global-mutable; a
// registered handler's writes run on a request path. Remedy: move the
// field's data to a key-value store or a serverless SQL database.
//
// cache-library (cache.go). A package variable or struct field whose type
// comes from an in-process cache library: hashicorp/golang-lru,
// patrickmn/go-cache, dgraph-io/ristretto, allegro/bigcache,
// coocood/freecache, golang/groupcache, mailgun/groupcache,
// karlseguin/ccache, jellydator/ttlcache, bluele/gcache,
// VictoriaMetrics/fastcache, maypok86/otter, theine-go; matched by the
// type's package path, any major version. A third-party type not on the
// list counts by the shape of its methods (dependencies have no bodies to
// read): a lookup by key that answers the value and whether it was there,
// with no context and no error (a remote cache's client needs both, and
// is not flagged), and a method that stores under a key or fills the
// cache from a loader function (GetOrFetch). Lists the functions that
// fill (a store, or a read-through lookup) and read it. Severity: warning (empty on every cold start, not shared);
// when the cache is the only copy of the data, treat it as a blocker.
// Remedy: a managed cache service, or a key-value store if the cache holds
// data that exists nowhere else.
//
// goroutine (goroutine.go). A go statement whose goroutine outlives the
// function that starts it. Long-lived: its body, or a function of the
// package it calls (three levels deep), receives from a channel, waits in
// a blocking select, sleeps, waits on a sync.Cond, accepts connections, or
// has a loop without exit. Fire-and-forget: anything else. A goroutine
// that runs an HTTP or gRPC server (http.ListenAndServe, (*grpc.Server).Serve,
// gin's Run, echo's Start, fiber's Listen) is a server loop. A goroutine
// joined by the function that starts it (it calls WaitGroup.Wait or
// errgroup's Wait, or receives from a channel it shares with the goroutine)
// ends with that call and is not reported, unless the starter runs during
// initialisation or start-up, where that call lasts as long as the
// process. Severity: blocker if long-lived or if fire-and-forget on a
// request path, warning if fire-and-forget elsewhere, info for a server loop. Remedy: a queue with a consumer function, a
// scheduled function; the platform's front end replaces a server loop.
//
// timer (goroutine.go). time.NewTicker and time.Tick whose ticks are
// received in a loop drive periodic work: blocker, except on a request
// path (a polling loop the request bounds: warning). Other tickers:
// blocker in background work or in initialisation or start-up code,
// warning elsewhere. time.AfterFunc: blocker when armed on a request path
// or in background work (the timer lives in one instance), else warning. time.NewTimer: info (usually a timeout; harmful only
// when it drives background work, which the goroutine check reports).
// time.After is not reported. Remedy: a scheduled function (EventBridge
// Scheduler, Cloud Scheduler); a queue with delivery delay for delayed work.
//
// file-write (files.go). os.Create, os.WriteFile, os.OpenFile with write
// flags (O_WRONLY, O_RDWR, O_APPEND, O_CREATE, O_TRUNC) when the flags are
// a constant, or with flags not known statically; os.Mkdir, MkdirAll,
// Rename, Remove, RemoveAll, Truncate, Symlink, Link; io/ioutil.WriteFile;
// temporary files and directories (os.CreateTemp, os.MkdirTemp,
// ioutil.TempFile, ioutil.TempDir). The path is quoted when it is a
// constant. Reads (os.Open, os.ReadFile, OpenFile with O_RDONLY) are not
// reported. Severity: info for temporary files and directories (also
// paths under /tmp or os.TempDir(), and a temporary file's own Name()) and
// for writes during initialisation; warning at start-up or of unknown
// phase; blocker on a request path or in background work. Remedy: object
// storage (S3, Cloud
// Storage); the temporary directory for scratch files used within one
// invocation.
//
// sql-tables (sql.go, gorm.go). The tables a call reads and writes, found
// with package decompose/analysis/sqltable from the query text: the first
// string parameter of database/sql's *DB, *Tx and *Conn Query, QueryRow,
// Exec and Prepare (and their Context forms); sqlx's Select, Get,
// NamedExec, NamedQuery, Queryx, QueryRowx, MustExec, Preparex,
// PrepareNamed (methods and functions); pgx's Query, QueryRow, Exec,
// Prepare and Batch.Queue (connections, pools, pgx.Tx); GORM's Raw and
// Exec; and methods of the program's own query interfaces (such as sqlc's
// DBTX) when the query is SQL. A query resolves when it is a constant, a
// choice between constants, a concatenation of constants, a package
// variable set once to a constant, or such a query passed through Rebind,
// sqlx.In or sqlx.Named. GORM models: the calls of *gorm.DB (gorm.io/gorm
// and jinzhu/gorm) First, Find, Take, Last, Related, FirstOrInit (reads),
// Create, Save, Delete, FirstOrCreate, CreateInBatches, AutoMigrate
// (writes), and Count, Pluck, Scan, Update, Updates, UpdateColumn(s) on a
// chain started by Model(&T{}) or Table("name"). A model's table is the
// constant its TableName method returns, else GORM's default: the type
// name in snake_case with its last word plural (see [GormTableName]).
// Severity: info; a table written by more than one context is a blocker,
// decided on the whole program's table × context matrix. Remedy: one
// owning context per table; the others go through its API or events.
//
// sql-dynamic (sql.go, gorm.go). A query built at run time (fmt.Sprintf,
// a parameter, a builder) or a GORM call whose model is not known
// statically: unknown tables, listed with their position for review.
// Severity: info.
//
// sql-unparsed (sql.go). A constant query that sqltable could not parse,
// reported with its position and the parser's reason, never guessed.
// Severity: info.
//
// # Limits
//
// Accesses are found through selections, indexing, loads and closure
// captures of one function; state reached through a pointer that was
// passed to another package, stored in an interface or returned is not
// followed. A GORM model's TableName method is read only when its body
// was built (a model of another package, under a per-package driver,
// counts as unknown). Inspect sees the accesses of one package; [InspectProgram]
// adds those that other packages make to its variables. Phases are
// estimates until the whole-program stage resolves them.
package state
