// Package checks documents every check of analysis/state: what it finds,
// why that blocks running the code as stateless functions, how a
// finding's severity is decided and what replaces the state. Each record
// is the only text of its check: findings take their title, why and
// remedy from it, the SARIF rules their descriptions, and
// analysis/state/checks.md its text. The package imports nothing of the
// analysis, so emitters read it without loading SSA.
package checks

import "strings"

// A Check is the documentation of one kind of finding.
type Check struct {
	// Name is the stable identifier: the diagnostic category and the
	// finding kind in plans and SARIF.
	Name  string
	Title string
	// Finds says what the check reports and how it recognises it in the
	// code.
	Finds string
	// Rationale says why the state blocks stateless execution.
	Rationale string
	// Remedy names the managed service that replaces the state.
	Remedy string
	// SeverityRule says in words how analysis/state ranks a finding.
	SeverityRule string
}

// Description is the check's rationale followed by its severity rule.
func (c *Check) Description() string { return c.Rationale + " Severity: " + c.SeverityRule }

func (c *Check) String() string { return c.Name }

// acrossContexts ends the severity rule of the checks of state a context
// holds: the plan, which knows the contexts, raises their findings by it.
const acrossContexts = " In the plan, a finding above info is a blocker when one context writes the state other than during initialisation or start-up and another context reads it."

// The checks.
var (
	// GlobalInitOnly is found by analysis/state, in globals.go.
	GlobalInitOnly = &Check{
		Name:  "global-init-only",
		Title: "Package variable written only during initialisation",
		Finds: "A package variable written only during initialisation (its initialiser, init functions, " +
			"and functions only they call) and read afterwards. Unused variables and cgo's generated " +
			"variables are not reported.",
		Rationale: "The value is computed when the package initialises and only read afterwards " +
			"(configuration, compiled regexps, parsed templates, lookup tables, embedded data). " +
			"Every cold start recomputes it, which is correct; it only costs start-up time.",
		Remedy:       "none needed; keep the initialisation cheap, or load large data from object storage or a parameter store once per cold start",
		SeverityRule: "always info. Error sentinels (variables of an error type) are not reported.",
	}
	// GlobalSingleton is found by analysis/state, in globals.go.
	GlobalSingleton = &Check{
		Name:  "global-singleton",
		Title: "Package variable assigned at run time (singleton)",
		Finds: "A package variable given a new value at run time: assigned, decoded through its address " +
			"(json.Unmarshal(b, &cfg)), built lazily under sync.Once, or built by sync.OnceValue, " +
			"OnceValues or OnceFunc.",
		Rationale: "A package variable is set by code that runs after initialisation: a database handle " +
			"set by an Init function, a lazily built client (sync.Once, sync.OnceValue). Each function " +
			"instance builds its own on cold start; if it is assigned per request, one request's value " +
			"leaks into the next request the same instance serves and is missing on every other instance.",
		Remedy:       "build it in the function's cold-start path from configuration (a parameter store or environment); keep per-request values in the request context",
		SeverityRule: "info if every write runs during initialisation; warning if written only at start-up, through sync.Once or sync.OnceValue, or by code whose phase is unknown; blocker if assigned on a request path or in background work without sync.Once." + acrossContexts,
	}
	// GlobalMutable is found by analysis/state, in globals.go.
	GlobalMutable = &Check{
		Name:  "global-mutable",
		Title: "Package variable that accumulates state at run time",
		Finds: "A package variable changed in place at run time: a map update or delete, an append stored " +
			"back, a read-modify-write (counter++), a store into a field or element, a sync.Map, atomic " +
			"or expvar write, a bytes.Buffer or container/list write, or a call of a method of the " +
			"package that changes its receiver.",
		Rationale: "A package-level map, slice, counter or object is updated in place after " +
			"initialisation: a cache, a registry, a session table, a counter. Functions keep nothing " +
			"between invocations and run as many instances: the data is lost on every cold start and " +
			"each instance sees a different subset.",
		Remedy:       "move the data to a managed store: a key-value store (DynamoDB, Firestore, Redis) for sessions and registries, a cache service (ElastiCache, Memorystore) for caches, an atomic counter in the store for counters",
		SeverityRule: "info if every write runs during initialisation (a table filled by init); warning if written only at start-up or by code whose phase is unknown; blocker if written on a request path or in background work." + acrossContexts,
	}
	// GlobalMutex is found by analysis/state, in globals.go.
	GlobalMutex = &Check{
		Name:  "global-mutex",
		Title: "Package-level mutex guarding shared state",
		Finds: "A package-level sync.Mutex or RWMutex that is locked; the message lists the package " +
			"variables used in the functions that lock it.",
		Rationale: "A package-level lock serialises access within one process only. Instances of a " +
			"function do not share it: whatever it protects needs a store that gives the same " +
			"guarantee across instances.",
		Remedy:       "use the store's own concurrency control: conditional writes or transactions in the key-value store or serverless SQL database; a distributed lock only if mutual exclusion is really required",
		SeverityRule: "warning if the lock is taken after initialisation; info otherwise. The state it guards is reported by its own findings.",
	}
	// FieldMutable is found by analysis/state, in fields.go.
	FieldMutable = &Check{
		Name:  "field-mutable",
		Title: "Field of a long-lived object mutated at run time",
		Finds: "A field of a long-lived object changed by the object's methods at run time. The object " +
			"counts as long-lived when a method that changes the field is a registered request handler " +
			"(a ServeHTTP method, a method value or function literal with a handler's parameters, or a " +
			"function the driver's Options.Handler names), or takes a lock held in the object itself. " +
			"Methods that change their receiver without such evidence (builders, per-request values) " +
			"are not reported.",
		Rationale: "A server or service object lives as long as the process and its methods update one " +
			"of its fields (a map of sessions, an in-memory repository, a catalog reloaded in place). " +
			"The object is long-lived because its methods are request handlers or because they take " +
			"the object's own lock. As functions, each instance has its own copy, empty at cold start.",
		Remedy:       "move the field's data to a key-value store or a serverless SQL database; keep only clients and configuration in the object",
		SeverityRule: "info if every write runs during initialisation; warning if written only at start-up or by methods whose phase is unknown; blocker if written by a request handler, on a request path or in background work." + acrossContexts,
	}
	// CacheLibrary is found by analysis/state, in cache.go.
	CacheLibrary = &Check{
		Name:  "cache-library",
		Title: "In-process cache from a cache library",
		Finds: "A package variable or struct field whose type comes from an in-process cache library: " +
			cacheLibraries() + "; matched by the type's package path, any major version and subpackage. " +
			"A third-party type not on the list " +
			"counts by the shape of its methods (dependencies have no bodies to read): a lookup by key " +
			"that answers the value and whether it was there, with no context and no error (a remote " +
			"cache's client needs both, and is not flagged), and a method that stores under a key or " +
			"fills the cache from a loader function (GetOrFetch). The finding lists the functions that " +
			"fill it (a store, or a read-through lookup) and read it.",
		Rationale: "An in-process cache (golang-lru, go-cache, ristretto, bigcache, freecache, groupcache, ...) " +
			"starts empty on every cold start and is not shared between instances: hit rates collapse and " +
			"invalidation no longer reaches every copy. Where the cache is the only copy of the data, the " +
			"data is lost.",
		Remedy:       "a managed cache service (ElastiCache or Memorystore for Redis/Valkey, Momento); a key-value store if the cache holds data that exists nowhere else",
		SeverityRule: "warning: a cache held in a package variable or in a field." + acrossContexts,
	}
	// Goroutine is found by analysis/state, in goroutine.go.
	Goroutine = &Check{
		Name:  "goroutine",
		Title: "Goroutine that outlives its caller",
		Finds: "A go statement whose goroutine outlives the function that starts it. Long-lived: its body, " +
			"or a function of the package it calls (three levels deep), receives from a channel, waits " +
			"in a blocking select, sleeps, waits on a sync.Cond, accepts connections, or has a loop " +
			"without exit. Fire-and-forget: anything else. A goroutine that runs an HTTP or gRPC server " +
			"(http.ListenAndServe, (*grpc.Server).Serve, gin's Run, echo's Start, fiber's Listen) is a " +
			"server loop. A goroutine joined by the function that starts it (it calls WaitGroup.Wait or " +
			"errgroup's Wait, or receives from a channel it shares with the goroutine) ends with that " +
			"call and is not reported, unless the starter runs during initialisation or start-up, where " +
			"that call lasts as long as the process.",
		Rationale: "A function instance is frozen or stopped once it has answered: a goroutine that loops or " +
			"waits for events (a worker, a watcher, a signal handler) never gets to run, and work handed to " +
			"a goroutine that nobody waits for may be lost. Goroutines joined by the function that starts " +
			"them (a WaitGroup, a channel it receives from) end with it and are not reported.",
		Remedy:       "a queue with a consumer function for background work, a scheduled function for periodic work; the platform's HTTP front end replaces a serving goroutine",
		SeverityRule: "blocker if the goroutine loops without end or blocks waiting for events; blocker for fire-and-forget work started on a request path, warning elsewhere; info for a goroutine that runs an HTTP or gRPC server.",
	}
	// Timer is found by analysis/state, in goroutine.go.
	Timer = &Check{
		Name:  "timer",
		Title: "Ticker or timer driving background work",
		Finds: "time.NewTicker and time.Tick (periodic work when their ticks are received in a loop), " +
			"time.AfterFunc (delayed work) and time.NewTimer (usually a timeout; harmful only when it " +
			"drives background work, which the goroutine check reports). time.After is not reported.",
		Rationale: "Tickers and AfterFunc callbacks run work on a schedule inside the process; a function " +
			"instance exists only while it serves a request and cannot run scheduled work.",
		Remedy:       "a scheduled function (EventBridge Scheduler, Cloud Scheduler) for periodic work; a queue with delivery delay for delayed work",
		SeverityRule: "time.NewTicker and time.Tick whose ticks are received in a loop: blocker, unless on a request path (a polling loop bounded by the request: warning); other tickers: blocker in background work or in initialisation or start-up code, warning otherwise; time.AfterFunc: blocker when armed on a request path or in background work, warning otherwise; time.NewTimer: info.",
	}
	// FileWrite is found by analysis/state, in files.go.
	FileWrite = &Check{
		Name:  "file-write",
		Title: "Write to the local file system",
		Finds: "os.Create, os.WriteFile, os.OpenFile with write flags (O_WRONLY, O_RDWR, O_APPEND, " +
			"O_CREATE, O_TRUNC) when the flags are a constant, or with flags not known statically; " +
			"os.Mkdir, MkdirAll, Rename, Remove, RemoveAll, Truncate, Symlink, Link; io/ioutil.WriteFile; " +
			"temporary files and directories (os.CreateTemp, os.MkdirTemp, ioutil.TempFile, " +
			"ioutil.TempDir; also paths under /tmp or os.TempDir(), and a temporary file's own Name()). " +
			"The path is quoted when it is a constant. Reads (os.Open, os.ReadFile, OpenFile with " +
			"O_RDONLY) are not reported.",
		Rationale: "A function's disk is ephemeral and private to one instance: files written there are gone " +
			"at the next cold start and invisible to other instances; often only a temporary directory is writable.",
		Remedy:       "object storage (S3, Cloud Storage) for files that must persist or be shared; the temporary directory for scratch files used within one invocation",
		SeverityRule: "info for temporary files and directories and for writes during initialisation; warning for writes at start-up or by code whose phase is unknown; blocker for writes on a request path or in background work.",
	}
	// SQLTables is found by analysis/state, in sql.go and gorm.go.
	SQLTables = &Check{
		Name:  "sql-tables",
		Title: "SQL or ORM access to tables",
		Finds: "The tables a call reads and writes, found with package decompose/analysis/sqltable from the " +
			"query text: the first string parameter of database/sql's *DB, *Tx and *Conn Query, " +
			"QueryRow, Exec and Prepare (and their Context forms); sqlx's Select, Get, NamedExec, " +
			"NamedQuery, Queryx, QueryRowx, MustExec, Preparex, PrepareNamed (methods and functions); " +
			"pgx's Query, QueryRow, Exec, Prepare and Batch.Queue (connections, pools, pgx.Tx); GORM's " +
			"Raw and Exec; and methods of the program's own query interfaces (such as sqlc's DBTX) when " +
			"the query is SQL. A query resolves when it is a constant, a choice between constants, a " +
			"concatenation of constants, a package variable set once to a constant, or such a query " +
			"passed through Rebind, sqlx.In or sqlx.Named. GORM models: the calls of *gorm.DB " +
			"(gorm.io/gorm and jinzhu/gorm) First, Find, Take, Last, Related, FirstOrInit (reads), " +
			"Create, Save, Delete, FirstOrCreate, CreateInBatches, AutoMigrate (writes), and Count, " +
			"Pluck, Scan, Update, Updates, UpdateColumn(s) on a chain started by Model(&T{}) or " +
			"Table(\"name\"). A model's table is the constant its TableName method returns, else GORM's " +
			"default: the type name in snake_case with its last word plural (see GormTableName).",
		Rationale: "Which functions read and write which tables decides data ownership: a table written by " +
			"more than one context must be split or owned by one context behind an API. The per-package pass " +
			"records the access; the whole-program stage builds the table × context matrix.",
		Remedy:       "give each table one owning context (its own serverless SQL database or schema); other contexts go through the owner's API or events",
		SeverityRule: "info: the blocker is decided on the table × context matrix.",
	}
	// SQLDynamic is found by analysis/state, in sql.go and gorm.go.
	SQLDynamic = &Check{
		Name:  "sql-dynamic",
		Title: "SQL built at run time (unknown tables)",
		Finds: "A query built at run time (fmt.Sprintf, a parameter, a builder) or a GORM call whose model " +
			"is not known statically: unknown tables, listed with their position for review.",
		Rationale: "The query text is not a constant, so the tables it touches cannot be known statically; " +
			"data ownership must be checked by hand at this position.",
		Remedy:       "review the query; prefer constant queries per operation so that ownership is visible",
		SeverityRule: "info.",
	}
	// SQLUnparsed is found by analysis/state, in sql.go.
	SQLUnparsed = &Check{
		Name:  "sql-unparsed",
		Title: "SQL that could not be parsed",
		Finds: "A constant query that package sqltable could not parse, reported with its position and the " +
			"parser's reason, never guessed.",
		Rationale:    "The query is a constant but its tables could not be extracted; it is reported, never guessed.",
		Remedy:       "review the query's tables by hand",
		SeverityRule: "info.",
	}
)

// All lists every check, in the order the documentation gives them.
var All = []*Check{
	GlobalInitOnly, GlobalSingleton, GlobalMutable, GlobalMutex, FieldMutable, CacheLibrary,
	Goroutine, Timer, FileWrite, SQLTables, SQLDynamic, SQLUnparsed,
}

// CachePackages are the in-process cache libraries the cache-library check
// matches, by module path; any major version and subpackage matches.
var CachePackages = []string{
	"github.com/hashicorp/golang-lru",
	"github.com/patrickmn/go-cache",
	"github.com/dgraph-io/ristretto",
	"github.com/allegro/bigcache",
	"github.com/coocood/freecache",
	"github.com/golang/groupcache",
	"github.com/mailgun/groupcache",
	"github.com/karlseguin/ccache",
	"github.com/jellydator/ttlcache",
	"github.com/bluele/gcache",
	"github.com/VictoriaMetrics/fastcache",
	"github.com/maypok86/otter",
	"github.com/Yiling-J/theine-go",
}

// cacheLibraries names the cache libraries for the documentation:
// their module paths without github.com/.
func cacheLibraries() string {
	var names []string
	for _, c := range CachePackages {
		names = append(names, strings.TrimPrefix(c, "github.com/"))
	}
	return strings.Join(names, ", ")
}
