package planted

import "fmt"

// storeNames say how a store's methods are spelled in one layout.
type storeNames struct {
	recv  string // receiver: "s *Store"
	db    string // the *sql.DB expression: "s.db"
	ent   string // the entity type: "Harbor", "model.Harbor"
	ent2  string // the second entity's type
	wrap  string // func(op string, err error) error
	close string // func(io.Closer)
}

// queryRows writes the body of a method listing elem values from the rows
// of query (args follows ctx), scanning each into x with scan; op names
// the failure.
func queryRows(f *file, n storeNames, query, args, op, elem, scan string) {
	f.p("	rows, err := %s.QueryContext(ctx, %q%s)", n.db, query, args)
	f.p("	if err != nil {")
	f.p("		return nil, %s(%q, err)", n.wrap, op)
	f.p("	}")
	f.p("	defer %s(rows)", n.close)
	f.p("	var out []%s", elem)
	f.p("	for rows.Next() {")
	f.p("		var x %s", elem)
	f.p("		if err := rows.Scan(%s); err != nil {", scan)
	f.p("			return nil, err")
	f.p("		}")
	f.p("		out = append(out, x)")
	f.p("	}")
	f.p("	return out, rows.Err()")
}

// storeMethods writes a store's methods over c's tables: List, Get,
// Insert, SetStatus, Pending, Count, and for a second entity Add<E2> and
// <E2>s.
func storeMethods(f *file, c *ctxPlan, n storeNames) {
	t := c.table
	f.p("// List returns every %s.", c.ent)
	f.p("func (%s) List(ctx context.Context) ([]%s, error) {", n.recv, n.ent)
	queryRows(f, n, "SELECT id, title, status FROM "+t+" ORDER BY id", "", "list "+c.ent, n.ent, "&x.ID, &x.Title, &x.Status")
	f.p("}")
	f.p("")
	f.p("// Get returns the %s id.", c.ent)
	f.p("func (%s) Get(ctx context.Context, id int64) (%s, error) {", n.recv, n.ent)
	f.p("	var x %s", n.ent)
	f.p("	err := %s.QueryRowContext(ctx, \"SELECT id, title, status FROM %s WHERE id = $1\", id).Scan(&x.ID, &x.Title, &x.Status)", n.db, t)
	f.p("	return x, %s(\"get %s\", err)", n.wrap, c.ent)
	f.p("}")
	f.p("")
	f.p("// Insert adds x and returns its id.")
	f.p("func (%s) Insert(ctx context.Context, x %s) (int64, error) {", n.recv, n.ent)
	f.p("	var id int64")
	f.p("	err := %s.QueryRowContext(ctx, \"INSERT INTO %s (title, status) VALUES ($1, $2) RETURNING id\", x.Title, x.Status).Scan(&id)", n.db, t)
	f.p("	return id, %s(\"insert %s\", err)", n.wrap, c.ent)
	f.p("}")
	f.p("")
	f.p("// SetStatus changes the status of the %s id.", c.ent)
	f.p("func (%s) SetStatus(ctx context.Context, id int64, status string) error {", n.recv)
	f.p("	_, err := %s.ExecContext(ctx, \"UPDATE %s SET status = $1 WHERE id = $2\", status, id)", n.db, t)
	f.p("	return %s(\"update %s\", err)", n.wrap, c.ent)
	f.p("}")
	f.p("")
	f.p("// Pending returns the ids of the %s rows still new.", c.ent)
	f.p("func (%s) Pending(ctx context.Context) ([]int64, error) {", n.recv)
	queryRows(f, n, "SELECT id FROM "+t+" WHERE status = 'new' LIMIT 100", "", "pending "+c.ent, "int64", "&x")
	f.p("}")
	f.p("")
	f.p("// Count counts the %s rows.", c.ent)
	f.p("func (%s) Count(ctx context.Context) (int, error) {", n.recv)
	f.p("	var k int")
	f.p("	err := %s.QueryRowContext(ctx, \"SELECT count(*) FROM %s\").Scan(&k)", n.db, t)
	f.p("	return k, %s(\"count %s\", err)", n.wrap, c.ent)
	f.p("}")
	if c.ent2 == "" {
		return
	}
	f.p("")
	f.p("// Add%s attaches a %s to the %s parent.", c.Ent2(), c.ent2, c.ent)
	f.p("func (%s) Add%s(ctx context.Context, parent int64, note string) error {", n.recv, c.Ent2())
	f.p("	_, err := %s.ExecContext(ctx, \"INSERT INTO %s (parent_id, note) VALUES ($1, $2)\", parent, note)", n.db, c.tab2)
	f.p("	return %s(\"add %s\", err)", n.wrap, c.ent2)
	f.p("}")
	f.p("")
	f.p("// %ss returns the %s rows of the %s parent.", c.Ent2(), c.ent2, c.ent)
	f.p("func (%s) %ss(ctx context.Context, parent int64) ([]%s, error) {", n.recv, c.Ent2(), n.ent2)
	queryRows(f, n, "SELECT id, parent_id, note FROM "+c.tab2+" WHERE parent_id = $1", ", parent", "list "+c.ent2, n.ent2, "&x.ID, &x.Parent, &x.Note")
	f.p("}")
}

// entityTypes writes c's entity types, named ent and ent2.
func entityTypes(f *file, c *ctxPlan, ent, ent2 string) {
	f.p("// %s is a %s.", ent, c.ent)
	f.p("type %s struct {", ent)
	f.p("	ID     int64  `json:\"id\"`")
	f.p("	Title  string `json:\"title\"`")
	f.p("	Status string `json:\"status\"`")
	f.p("}")
	if c.ent2 != "" {
		f.p("")
		f.p("// %s is a note on a %s.", ent2, c.ent)
		f.p("type %s struct {", ent2)
		f.p("	ID     int64  `json:\"id\"`")
		f.p("	Parent int64  `json:\"parent\"`")
		f.p("	Note   string `json:\"note\"`")
		f.p("}")
	}
}

// serviceNames say how a service's methods are spelled in one layout.
type serviceNames struct {
	recv    string // "s *Service"
	store   string // "s.store": has the storeMethods
	ent     string // the entity type as the service names it
	ent2    string
	log     string // the logging library's name
	publish string // a statement publishing the creation of id, or ""
	// cross are expressions (T, error) calling other contexts, with ctx
	// and id in scope
	cross []string
	// event is the bus event type for subscription handlers ("" when
	// the layout has no bus)
	event string
}

// serviceMethods writes a service over c's store: List, Get, Create,
// Process, Count, Status, Run for a background context, notes for a
// second entity, and a handler for each subscription.
func serviceMethods(f *file, g *gen, c *ctxPlan, n serviceNames) {
	norm := "normalize" + c.Ent()
	f.p("// List returns every %s.", c.ent)
	f.p("func (%s) List(ctx context.Context) ([]%s, error) {", n.recv, n.ent)
	f.p("	%s.Info(\"list %s\")", n.log, c.ent)
	f.p("	return %s.List(ctx)", n.store)
	f.p("}")
	f.p("")
	f.p("// Get returns one %s.", c.ent)
	f.p("func (%s) Get(ctx context.Context, id int64) (%s, error) {", n.recv, n.ent)
	f.p("	return %s.Get(ctx, id)", n.store)
	f.p("}")
	f.p("")
	// cross calls go half in Create, half in Process
	var inCreate, inProcess []string
	for i, x := range n.cross {
		if i%2 == 0 {
			inCreate = append(inCreate, x)
		} else {
			inProcess = append(inProcess, x)
		}
	}
	f.p("// Create records a new %s.", c.ent)
	f.p("func (%s) Create(ctx context.Context, title string) (int64, error) {", n.recv)
	f.p("	title, err := %s(title)", norm)
	f.p("	if err != nil {")
	f.p("		return 0, err")
	f.p("	}")
	f.p("	var id int64")
	for _, x := range inCreate {
		f.p("	if _, err := %s; err != nil {", x)
		f.p("		return 0, err")
		f.p("	}")
	}
	f.p("	id, err = %s.Insert(ctx, %s{Title: title, Status: \"new\"})", n.store, n.ent)
	f.p("	if err != nil {")
	f.p("		return 0, err")
	f.p("	}")
	if n.publish != "" {
		f.p("	if err := %s; err != nil {", n.publish)
		f.p("		return id, err")
		f.p("	}")
	}
	f.p("	%s.Info(\"%s created\", \"id\", id)", n.log, c.ent)
	f.p("	return id, nil")
	f.p("}")
	f.p("")
	f.p("// Process settles the %s rows still new.", c.ent)
	f.p("func (%s) Process(ctx context.Context) error {", n.recv)
	f.p("	ids, err := %s.Pending(ctx)", n.store)
	f.p("	if err != nil {")
	f.p("		return err")
	f.p("	}")
	f.p("	for _, id := range ids {")
	for _, x := range inProcess {
		f.p("		if _, err := %s; err != nil {", x)
		f.p("			return err")
		f.p("		}")
	}
	f.p("		if err := %s.SetStatus(ctx, id, \"done\"); err != nil {", n.store)
	f.p("			return err")
	f.p("		}")
	f.p("	}")
	f.p("	return nil")
	f.p("}")
	f.p("")
	f.p("// Count is how many %s rows there are.", c.ent)
	f.p("func (%s) Count(ctx context.Context) (int, error) {", n.recv)
	f.p("	return %s.Count(ctx)", n.store)
	f.p("}")
	f.p("")
	f.p("// Status returns the status of the %s id.", c.ent)
	f.p("func (%s) Status(ctx context.Context, id int64) (string, error) {", n.recv)
	f.p("	x, err := %s.Get(ctx, id)", n.store)
	f.p("	return x.Status, err")
	f.p("}")
	if c.bg {
		f.p("")
		f.p("// Run processes new %s rows every period until ctx ends.", c.ent)
		f.p("func (%s) Run(ctx context.Context, every time.Duration) {", n.recv)
		f.p("	t := time.NewTicker(every)")
		f.p("	defer t.Stop()")
		f.p("	for {")
		f.p("		select {")
		f.p("		case <-ctx.Done():")
		f.p("			return")
		f.p("		case <-t.C:")
		f.p("			if err := %s.Process(ctx); err != nil {", recvVar(n.recv))
		f.p("				%s.Error(\"process %s\", err)", n.log, c.ent)
		f.p("			}")
		f.p("		}")
		f.p("	}")
		f.p("}")
	}
	if c.ent2 != "" {
		f.p("")
		f.p("// Add%s attaches a %s to a %s.", c.Ent2(), c.ent2, c.ent)
		f.p("func (%s) Add%s(ctx context.Context, parent int64, note string) error {", n.recv, c.Ent2())
		f.p("	if _, err := %s.Get(ctx, parent); err != nil {", n.store)
		f.p("		return err")
		f.p("	}")
		f.p("	return %s.Add%s(ctx, parent, strings.TrimSpace(note))", n.store, c.Ent2())
		f.p("}")
		f.p("")
		f.p("// %ss lists the %s rows of a %s.", c.Ent2(), c.ent2, c.ent)
		f.p("func (%s) %ss(ctx context.Context, parent int64) ([]%s, error) {", n.recv, c.Ent2(), n.ent2)
		f.p("	return %s.%ss(ctx, parent)", n.store, c.Ent2())
		f.p("}")
	}
	if n.event != "" {
		for _, s := range c.subs {
			o := g.ctxs[s]
			f.p("")
			f.p("// On%sCreated notes a new %s.", o.Ent(), o.ent)
			f.p("func (%s) On%sCreated(ctx context.Context, e %s) error {", n.recv, o.Ent(), n.event)
			f.p("	%s.Info(\"%s seen\", \"topic\", e.Topic, \"id\", e.ID)", n.log, o.ent)
			f.p("	_, err := %s.Pending(ctx)", n.store)
			f.p("	return err")
			f.p("}")
		}
	}
	f.p("")
	f.p("func %s(title string) (string, error) {", norm)
	f.p("	title = strings.TrimSpace(title)")
	f.p("	if title == \"\" {")
	f.p("		return \"\", errors.New(\"%s: empty title\")", c.ent)
	f.p("	}")
	f.p("	if len(title) > 80 {")
	f.p("		title = title[:80]")
	f.p("	}")
	f.p("	return title, nil")
	f.p("}")
}

// recvVar is the receiver's variable: "s" of "s *Service".
func recvVar(recv string) string {
	for i := 0; i < len(recv); i++ {
		if recv[i] == ' ' {
			return recv[:i]
		}
	}
	return recv
}

// handlerNames say how a context's HTTP handlers are spelled.
type handlerNames struct {
	recv    string // "h *Handler"
	svc     string // "h.svc": has the serviceMethods
	json    string // func(http.ResponseWriter, any)
	fail    string // func(http.ResponseWriter, error)
	id      string // func(*http.Request) (int64, error)
	methods map[string]string
}

// handlerOps are the handler operations, in route order.
var handlerOps = []string{"list", "get", "create", "add", "notes"}

// handlerMethodNames names the handlers of c: lower-case or exported,
// with or without the context's name.
func handlerMethodNames(c *ctxPlan, exported, named bool) map[string]string {
	base := map[string]string{"list": "list", "get": "get", "create": "create", "add": "add" + c.Ent2(), "notes": "list" + c.Ent2() + "s"}
	out := map[string]string{}
	for op, b := range base {
		name := b
		if named {
			switch op {
			case "list":
				name = "list" + c.Ent() + "s"
			case "get", "create":
				name = op + c.Ent()
			}
		}
		if exported {
			name = title(name)
		}
		out[op] = name
	}
	return out
}

// handlerMethods writes c's HTTP handlers.
func handlerMethods(f *file, c *ctxPlan, n handlerNames) {
	m := n.methods
	f.p("func (%s) %s(w http.ResponseWriter, r *http.Request) {", n.recv, m["list"])
	f.p("	xs, err := %s.List(r.Context())", n.svc)
	f.p("	if err != nil {")
	f.p("		%s(w, err)", n.fail)
	f.p("		return")
	f.p("	}")
	f.p("	%s(w, xs)", n.json)
	f.p("}")
	f.p("")
	f.p("func (%s) %s(w http.ResponseWriter, r *http.Request) {", n.recv, m["get"])
	f.p("	id, err := %s(r)", n.id)
	f.p("	if err != nil {")
	f.p("		http.Error(w, err.Error(), http.StatusBadRequest)")
	f.p("		return")
	f.p("	}")
	f.p("	x, err := %s.Get(r.Context(), id)", n.svc)
	f.p("	if err != nil {")
	f.p("		%s(w, err)", n.fail)
	f.p("		return")
	f.p("	}")
	f.p("	%s(w, x)", n.json)
	f.p("}")
	f.p("")
	f.p("func (%s) %s(w http.ResponseWriter, r *http.Request) {", n.recv, m["create"])
	f.p("	var in struct {")
	f.p("		Title string `json:\"title\"`")
	f.p("	}")
	f.p("	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {")
	f.p("		http.Error(w, err.Error(), http.StatusBadRequest)")
	f.p("		return")
	f.p("	}")
	f.p("	id, err := %s.Create(r.Context(), in.Title)", n.svc)
	f.p("	if err != nil {")
	f.p("		%s(w, err)", n.fail)
	f.p("		return")
	f.p("	}")
	f.p("	w.WriteHeader(http.StatusCreated)")
	f.p("	%s(w, map[string]int64{\"id\": id})", n.json)
	f.p("}")
	if c.ent2 == "" {
		return
	}
	f.p("")
	f.p("func (%s) %s(w http.ResponseWriter, r *http.Request) {", n.recv, m["add"])
	f.p("	id, err := %s(r)", n.id)
	f.p("	if err != nil {")
	f.p("		http.Error(w, err.Error(), http.StatusBadRequest)")
	f.p("		return")
	f.p("	}")
	f.p("	var in struct {")
	f.p("		Note string `json:\"note\"`")
	f.p("	}")
	f.p("	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {")
	f.p("		http.Error(w, err.Error(), http.StatusBadRequest)")
	f.p("		return")
	f.p("	}")
	f.p("	if err := %s.Add%s(r.Context(), id, in.Note); err != nil {", n.svc, c.Ent2())
	f.p("		%s(w, err)", n.fail)
	f.p("		return")
	f.p("	}")
	f.p("	w.WriteHeader(http.StatusNoContent)")
	f.p("}")
	f.p("")
	f.p("func (%s) %s(w http.ResponseWriter, r *http.Request) {", n.recv, m["notes"])
	f.p("	id, err := %s(r)", n.id)
	f.p("	if err != nil {")
	f.p("		http.Error(w, err.Error(), http.StatusBadRequest)")
	f.p("		return")
	f.p("	}")
	f.p("	xs, err := %s.%ss(r.Context(), id)", n.svc, c.Ent2())
	f.p("	if err != nil {")
	f.p("		%s(w, err)", n.fail)
	f.p("		return")
	f.p("	}")
	f.p("	%s(w, xs)", n.json)
	f.p("}")
}

// routes writes the registration of c's handlers: mux is the expression
// registering ("mux" or "http"), h the handler value's expression.
func (g *gen) routes(f *file, c *ctxPlan, mux, h string, methods map[string]string) {
	pat := map[string]string{
		"list":   g.route("GET", c, ""),
		"get":    g.route("GET", c, "/{id}"),
		"create": g.route("POST", c, ""),
		"add":    g.route("POST", c, "/{id}/"+c.ent2+"s"),
		"notes":  g.route("GET", c, "/{id}/"+c.ent2+"s"),
	}
	for _, op := range handlerOps {
		if (op == "add" || op == "notes") && c.ent2 == "" {
			continue
		}
		f.p("	%s.HandleFunc(%q, %s.%s)", mux, pat[op], h, methods[op])
	}
}

// crossCall is an expression of context c calling context o: its count
// or the status of a row, through call(o, method, args).
func crossCall(c, o *ctxPlan, i int, call func(o *ctxPlan, method, args string) string) string {
	if i%2 == 0 {
		return call(o, "Count", "ctx")
	}
	return call(o, "Status", "ctx, id")
}

var _ = fmt.Sprintf
