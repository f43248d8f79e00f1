package planted

// lib is a shared library of a generated program: its package name and
// import path.
type lib struct{ name, dir, path string }

// kernelNames draws the names of the shared libraries.
func (g *gen) kernelNames() (log, db, bus, web string) {
	log = pick(g.r, "log", "logging", "logx", "applog", "journal")
	db = pick(g.r, "db", "sqldb", "database", "dbutil", "storage")
	bus = pick(g.r, "bus", "events", "pubsub", "eventbus", "broker", "signals")
	web = pick(g.r, "web", "httpx", "respond", "rest", "render")
	return
}

func (g *gen) lib(dir string) lib {
	return lib{name: lastElem(dir), dir: dir, path: g.pkgPath(dir)}
}

func lastElem(dir string) string {
	for i := len(dir) - 1; i >= 0; i-- {
		if dir[i] == '/' {
			return dir[i+1:]
		}
	}
	return dir
}

// logLib writes the logging library: Info and Error.
func (g *gen) logLib(dir string) lib {
	l := g.lib(dir)
	f := newFile(l.name).std()
	f.p("// Logger writes structured logs to standard error.")
	f.p("var Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))")
	f.p("")
	f.p("// Info logs msg with key-value pairs.")
	f.p("func Info(msg string, args ...any) { Logger.Info(msg, args...) }")
	f.p("")
	f.p("// Error logs msg with err.")
	f.p("func Error(msg string, err error, args ...any) { Logger.Error(msg, append(args, \"err\", err)...) }")
	g.put(dir+"/"+l.name+".go", f)
	g.whole(dir, "")
	return l
}

// dbLib writes the database helpers: Open, Wrap and Close.
func (g *gen) dbLib(dir string) lib {
	l := g.lib(dir)
	f := newFile(l.name).std()
	f.p("// ErrNotFound is returned when no row matches.")
	f.p("var ErrNotFound = errors.New(\"not found\")")
	f.p("")
	f.p("// Open opens the database at dsn.")
	f.p("func Open(dsn string) (*sql.DB, error) {")
	f.p("	conn, err := sql.Open(\"postgres\", dsn)")
	f.p("	if err != nil {")
	f.p("		return nil, fmt.Errorf(\"open database: %%w\", err)")
	f.p("	}")
	f.p("	conn.SetMaxOpenConns(8)")
	f.p("	return conn, nil")
	f.p("}")
	f.p("")
	f.p("// Wrap names the operation that failed; it keeps nil as nil.")
	f.p("func Wrap(op string, err error) error {")
	f.p("	if err == nil {")
	f.p("		return nil")
	f.p("	}")
	f.p("	if errors.Is(err, sql.ErrNoRows) {")
	f.p("		return fmt.Errorf(\"%%s: %%w\", op, ErrNotFound)")
	f.p("	}")
	f.p("	return fmt.Errorf(\"%%s: %%w\", op, err)")
	f.p("}")
	f.p("")
	f.p("// Close closes c, ignoring the error.")
	f.p("func Close(c io.Closer) { _ = c.Close() }")
	g.put(dir+"/"+l.name+".go", f)
	g.whole(dir, "")
	return l
}

// busLib writes the in-process event bus.
func (g *gen) busLib(dir string) lib {
	l := g.lib(dir)
	f := newFile(l.name).std()
	f.p("// Event says that something happened to the row ID.")
	f.p("type Event struct {")
	f.p("	Topic string")
	f.p("	ID    int64")
	f.p("}")
	f.p("")
	f.p("// Handler handles an event.")
	f.p("type Handler func(ctx context.Context, e Event) error")
	f.p("")
	f.p("// Bus delivers events to their subscribers.")
	f.p("type Bus struct {")
	f.p("	mu   sync.RWMutex")
	f.p("	subs map[string][]Handler")
	f.p("}")
	f.p("")
	f.p("// New returns an empty bus.")
	f.p("func New() *Bus { return &Bus{subs: map[string][]Handler{}} }")
	f.p("")
	f.p("// Subscribe calls h for every event on topic.")
	f.p("func (b *Bus) Subscribe(topic string, h Handler) {")
	f.p("	b.mu.Lock()")
	f.p("	defer b.mu.Unlock()")
	f.p("	b.subs[topic] = append(b.subs[topic], h)")
	f.p("}")
	f.p("")
	f.p("// Publish delivers an event to the subscribers of topic.")
	f.p("func (b *Bus) Publish(ctx context.Context, topic string, id int64) error {")
	f.p("	b.mu.RLock()")
	f.p("	hs := b.subs[topic]")
	f.p("	b.mu.RUnlock()")
	f.p("	for _, h := range hs {")
	f.p("		if err := h(ctx, Event{Topic: topic, ID: id}); err != nil {")
	f.p("			return err")
	f.p("		}")
	f.p("	}")
	f.p("	return nil")
	f.p("}")
	g.put(dir+"/"+l.name+".go", f)
	g.whole(dir, "")
	return l
}

// webLib writes the HTTP response helpers: JSON, Fail and ID.
func (g *gen) webLib(dir string) lib {
	l := g.lib(dir)
	f := newFile(l.name).std()
	webHelpers(f, "JSON", "Fail", "ID")
	g.put(dir+"/"+l.name+".go", f)
	g.whole(dir, "")
	return l
}

// webHelpers writes the three response helpers under the given names.
func webHelpers(f *file, jsonName, failName, idName string) {
	f.p("// %s writes v as JSON.", jsonName)
	f.p("func %s(w http.ResponseWriter, v any) {", jsonName)
	f.p("	w.Header().Set(\"Content-Type\", \"application/json\")")
	f.p("	_ = json.NewEncoder(w).Encode(v)")
	f.p("}")
	f.p("")
	f.p("// %s writes err with a status that fits it.", failName)
	f.p("func %s(w http.ResponseWriter, err error) {", failName)
	f.p("	code := http.StatusInternalServerError")
	f.p("	if strings.Contains(err.Error(), \"not found\") {")
	f.p("		code = http.StatusNotFound")
	f.p("	}")
	f.p("	http.Error(w, err.Error(), code)")
	f.p("}")
	f.p("")
	f.p("// %s reads the {id} path parameter.", idName)
	f.p("func %s(r *http.Request) (int64, error) {", idName)
	f.p("	return strconv.ParseInt(r.PathValue(\"id\"), 10, 64)")
	f.p("}")
}
