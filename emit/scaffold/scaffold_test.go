package scaffold

import (
	"bytes"
	"go/format"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"decompose/emit/golden"
	"decompose/emit/plan"
)

func tinyPlan(t *testing.T) *plan.Plan {
	t.Helper()
	data, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePlan(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGolden compares the scaffold of the hand-written plan, in both
// layouts, with testdata/golden (go test -update rewrites it). The adapt
// package is copied verbatim and tested on its own.
func TestGolden(t *testing.T) {
	for _, router := range []bool{false, true} {
		name := "functions"
		if router {
			name = "router"
		}
		t.Run(name, func(t *testing.T) {
			s, err := Generate(tinyPlan(t), Options{Router: router})
			if err != nil {
				t.Fatal(err)
			}
			files := s.Files()
			for p := range files {
				if strings.Contains(p, "/internal/adapt/") {
					delete(files, p)
				}
			}
			dir := filepath.Join("testdata", "golden", name)
			if golden.Update() {
				os.RemoveAll(dir)
				for p, b := range files {
					full := filepath.Join(dir, filepath.FromSlash(p))
					os.MkdirAll(filepath.Dir(full), 0o755)
					if err := os.WriteFile(full, b, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			var onDisk []string
			filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					onDisk = append(onDisk, filepath.ToSlash(rel))
				}
				return nil
			})
			sort.Strings(onDisk)
			if got := slices.Sorted(maps.Keys(files)); strings.Join(got, "\n") != strings.Join(onDisk, "\n") {
				t.Fatalf("files differ from %s (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", dir, strings.Join(got, "\n"), strings.Join(onDisk, "\n"))
			}
			for _, p := range onDisk {
				want, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
				if !bytes.Equal(files[p], want) {
					t.Errorf("%s differs from the golden file (go test -update rewrites it)", p)
				}
			}
		})
	}
}

func TestDeterministicAndFormatted(t *testing.T) {
	p := tinyPlan(t)
	a, err := Generate(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		b, err := Generate(tinyPlan(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		fa, fb := a.Files(), b.Files()
		if len(fa) != len(fb) {
			t.Fatalf("run %d: %d files, then %d", i, len(fa), len(fb))
		}
		for k := range fa {
			if !bytes.Equal(fa[k], fb[k]) {
				t.Fatalf("run %d: %s differs", i, k)
			}
		}
	}
	for name, b := range a.Files() {
		switch {
		case strings.HasSuffix(name, ".go"):
			f, err := format.Source(b)
			if err != nil || !bytes.Equal(f, b) {
				t.Errorf("%s is not gofmt-clean (%v)", name, err)
			}
		case strings.HasSuffix(name, ".yaml"):
			var n yaml.Node
			if err := yaml.Unmarshal(b, &n); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

// TestWhatIsGenerated checks the layout decisions on the hand-written plan.
func TestWhatIsGenerated(t *testing.T) {
	s, err := Generate(tinyPlan(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Context{}
	for _, c := range s.Contexts {
		byName[c.Name] = c
	}
	orders, billing := byName["orders"], byName["billing"]
	if orders.Module != "example.com/tiny/services/orders" {
		t.Errorf("module %q", orders.Module)
	}
	if orders.Runtime != "container" || billing.Runtime != "function" {
		t.Errorf("runtimes orders %q, billing %q; want container (a ticker loop), function", orders.Runtime, billing.Runtime)
	}
	fns := map[string]Function{}
	for _, f := range orders.Functions {
		fns[f.Name] = f
	}
	want := map[string]string{
		"create":           "POST /orders",
		"get":              "GET /orders/{id}",
		"cancel":           "POST /orders/{id}/cancel",
		"static":           "ANY /static/{proxy+}",
		"sweeper-run":      "schedule rate(1 minute)",
		"notify":           "queue NotifyQueue",
		"mark-paid-events": "queue MarkPaidQueue",
	}
	for name, trig := range want {
		f, ok := fns[name]
		if !ok {
			t.Errorf("orders: no function %s; have %v", name, slices.Sorted(maps.Keys(fns)))
			continue
		}
		if f.Trigger[0] != trig {
			t.Errorf("orders %s: trigger %q, want %q", name, f.Trigger[0], trig)
		}
	}
	if len(orders.Functions) != len(want) {
		t.Errorf("orders: %d functions, want %d: %v", len(orders.Functions), len(want), slices.Sorted(maps.Keys(fns)))
	}
	// the duplicate route and the gRPC service are left to a person
	readme := string(orders.Files["README.md"])
	for _, s := range []string{"GetAgain", "tiny.Orders", "RegisterOrdersServer", "`orders/orders.go:88` **goroutine**", "the queue consumer `Notify`", "the scheduled job `SweeperRun`", "`web/server.go:10` **field-mutable**"} {
		if !strings.Contains(readme, s) {
			t.Errorf("orders README lacks %q", s)
		}
	}
	bf := map[string]bool{}
	for _, f := range billing.Functions {
		bf[f.Name] = true
	}
	for _, n := range []string{"invoice", "on-payment", "rpc", "refund-events"} {
		if !bf[n] {
			t.Errorf("billing: no function %s; have %v", n, bf)
		}
	}
	tmpl := string(billing.Files["template.yaml"])
	for _, s := range []string{"SessionsTable:", "TimeToLiveSpecification", "RatesLookupCacheTable:", "RatesLookupCacheEndpoint:", "LedgerFilesBucket:", "RefundQueue:", "Path: \"/invoices/{id}\"", "DatabaseURL:", "ReportBatchItemFailures"} {
		if !strings.Contains(tmpl, s) {
			t.Errorf("billing template.yaml lacks %q", s)
		}
	}
	readme = string(billing.Files["README.md"])
	for _, s := range []string{"`billing/session.go:14` **global-mutable**", "Remedy: a key-value store with expiry", "Scaffold: `SessionsTable` (DynamoDB table, `SESSIONS_TABLE`)", "`billing/ledger/export.go:30` **file-write**"} {
		if !strings.Contains(readme, s) {
			t.Errorf("billing README lacks %q", s)
		}
	}
	client := string(orders.Files["clients/billing/client.go"])
	for _, s := range []string{
		"Charge(ctx context.Context, orderID int64, amount Money, items []OrdersItem, meta map[string]string) (Receipt, error)",
		"Item(ctx context.Context, id int64) (LedgerItem, bool, error)",
		"Audit(ctx context.Context, inArg string, cb json.RawMessage, ch json.RawMessage, rArg Request) (int, error, error)",
		"Refund(ctx context.Context, orderID int64, reason error, at time.Time, notes ...string) error",
		"type OrdersItem = json.RawMessage",
		"type RefundMessage struct",
	} {
		if !strings.Contains(client, s) {
			t.Errorf("orders' billing client lacks %q", s)
		}
	}
}

func TestLambdaGoSumMatchesRepository(t *testing.T) {
	sum, err := os.ReadFile("../../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, l := range strings.Split(string(sum), "\n") {
		have[l] = true
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(LambdaGoSum), "\n") {
		lines[l] = true
		if !have[l] {
			t.Errorf("go.sum lacks %q: the generator's pinned checksums and this module's differ", l)
		}
	}
	// what go mod tidy writes (checked by hand, online, with go mod tidy
	// -diff in a generated module): both lines of the module and of every
	// module its go.mod requires
	want := []string{LambdaModule + " " + LambdaVersion}
	for _, r := range lambdaRequires(t) {
		want = append(want, r.Mod.Path+" "+r.Mod.Version)
	}
	for _, mv := range want {
		for _, suffix := range []string{" h1:", "/go.mod h1:"} {
			found := false
			for l := range lines {
				found = found || strings.HasPrefix(l, mv+suffix)
			}
			if !found {
				t.Errorf("LambdaGoSum lacks the line %s%s...: go mod tidy adds it", mv, suffix)
			}
		}
	}
	if len(lines) != 2*len(want) {
		t.Errorf("LambdaGoSum has %d lines, want %d: two for each of %s", len(lines), 2*len(want), want)
	}
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), LambdaModule+" "+LambdaVersion) {
		t.Errorf("go.mod does not require %s %s", LambdaModule, LambdaVersion)
	}
}

// lambdaRequires are the requirements of LambdaModule's go.mod at
// LambdaVersion, read from the module cache, where this module's own
// requirement of it put the file.
func lambdaRequires(t *testing.T) []*modfile.Require {
	t.Helper()
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	esc, err := module.EscapePath(LambdaModule)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(strings.TrimSpace(string(out)), "cache", "download", filepath.FromSlash(esc), "@v", LambdaVersion+".mod")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go mod download fetches it)", err)
	}
	f, err := modfile.ParseLax(path, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f.Require
}

func TestParsePlanBadInput(t *testing.T) {
	good, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, data, want string
	}{
		{"not yaml", "schema: [", "not a plan"},
		{"no schema", "module: x\n", "no schema key"},
		{"wrong schema", "schema: decompose/v2\n", `plan schema "decompose/v2", want "decompose/v1"`},
		{"unknown key", strings.Replace(string(good), "packages:", "pakages:", 1), "field pakages not found"},
		{"bad name", strings.Replace(string(good), "name: billing", "name: billing-service", 1), `context name "billing-service" is not a valid folder and Go identifier`},
		{"keyword", strings.Replace(string(good), "name: billing", "name: func", 1), "cannot name a Go package"},
		{"duplicate", strings.Replace(string(good), "name: billing", "name: orders", 1), `context "orders" appears twice`},
		{"case", strings.Replace(string(good), "name: billing", "name: Orders", 1), "differ only in case"},
		{"no contexts", "schema: decompose/v1\nmodule: x\ncontexts: []\n", "no contexts"},
		{"no module", "schema: decompose/v1\ncontexts: [{name: a}]\n", "names no module"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePlan([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
	if got := suggestName("Billing Service"); got != "billing_service" {
		t.Errorf("suggestName: %q", got)
	}
}

// TestParsePlanCutShort: a plan cut at any line boundary is refused or
// still holds every context; never a scaffold of some of them.
func TestParsePlanCutShort(t *testing.T) {
	good, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	whole, err := ParsePlan(good)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(good), "\n")
	for i := range lines {
		cut := strings.Join(lines[:i], "")
		p, err := ParsePlan([]byte(cut))
		if err == nil && len(p.Contexts) != len(whole.Contexts) {
			t.Errorf("cut after line %d: %d of %d contexts, no error", i, len(p.Contexts), len(whole.Contexts))
		}
	}
	second := strings.Index(string(good), "  - name: orders")
	tests := []struct {
		name, data, want string
	}{
		{"cut before the second context", string(good[:second]), "the plan has no metrics key: it is cut short"},
		{"counts more than it lists", strings.Replace(string(good), "metrics:\n  contexts: 2\n", "metrics:\n  contexts: 3\n", 1), "the plan lists 2 of the 3 contexts it counts (metrics.contexts): it is cut short"},
		{"a context removed by hand, the count kept", string(good[:second]) + string(good[strings.Index(string(good), "shared_kernel:"):]), "the plan lists 1 of the 2 contexts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePlan([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err %v, want one line with %q", err, tt.want)
			}
		})
	}
	// a context removed by hand with its count lowered is a plan
	edited := string(good[:second]) + strings.Replace(string(good[strings.Index(string(good), "shared_kernel:"):]), "  contexts: 2\n", "  contexts: 1\n", 1)
	if p, err := ParsePlan([]byte(edited)); err != nil || len(p.Contexts) != 1 {
		t.Errorf("edited plan: %v", err)
	}
}

func TestGenerateOptions(t *testing.T) {
	p := tinyPlan(t)
	if _, err := Generate(p, Options{Contexts: []string{"shipping"}}); err == nil || !strings.Contains(err.Error(), `unknown context "shipping": the plan has billing, orders`) {
		t.Errorf("unknown context: %v", err)
	}
	if _, err := Generate(p, Options{ModulePrefix: "Not A Path"}); err == nil || !strings.Contains(err.Error(), "module path") {
		t.Errorf("bad prefix: %v", err)
	}
	if _, err := Generate(p, Options{ModulePrefix: "shop/services"}); err != nil {
		t.Errorf("a module path without a dot is a valid local module: %v", err)
	}
	s, err := Generate(p, Options{Contexts: []string{"orders", "orders"}, ModulePrefix: "git.example.org/svc/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Contexts) != 1 || s.Contexts[0].Module != "git.example.org/svc/orders" {
		t.Errorf("got %+v", s.Contexts)
	}
	if !bytes.HasPrefix(s.Contexts[0].Files["go.mod"], []byte("module git.example.org/svc/orders\n\ngo "+GoVersion+"\n")) {
		t.Errorf("go.mod:\n%s", s.Contexts[0].Files["go.mod"])
	}
}

func TestNormalizeRoute(t *testing.T) {
	tests := []struct{ framework, method, route, pattern, api string }{
		{"", "GET", "/orders/{id}", "GET /orders/{id}", "GET /orders/{id}"},
		{"", "get", "/orders/:id/items/:item", "GET /orders/{id}/items/{item}", "GET /orders/{id}/items/{item}"},
		{"", "", "/static/", "/static/", "ANY /static/{proxy+}"},
		{"", "ANY", "/", "/", "ANY /{proxy+}"},
		{"", "GET", "/files/{path...}", "GET /files/{path...}", "GET /files/{path+}"},
		{"", "GET", "/files/*", "GET /files/{path...}", "GET /files/{path+}"},
		{"", "GET", "/files/*filepath", "GET /files/{filepath...}", "GET /files/{filepath+}"},
		{"", "GET", "/users/{id:[0-9]+}", "GET /users/{id}", "GET /users/{id}"},
		{"", "GET", "/{$}", "GET /{$}", "GET /"},
		{"", "GET", "example.com/home", "GET /home", "GET /home"},
		{"", "POST", "/a/{x}/b/{x}", "POST /a/{x}/b/{x2}", "POST /a/{x}/b/{x2}"},
		{"gin", "GET", "/", "GET /{$}", "GET /"},
		{"gin", "GET", "/articles/", "GET /articles/{$}", "GET /articles/"},
	}
	for _, tt := range tests {
		pattern, m, p, ok := normalizeRoute(tt.framework, tt.method, tt.route)
		if !ok || pattern != tt.pattern || m+" "+p != tt.api {
			t.Errorf("normalizeRoute(%q, %q, %q) = %q, %q %q, %v; want %q, %q", tt.framework, tt.method, tt.route, pattern, m, p, ok, tt.pattern, tt.api)
		}
	}
	for _, bad := range []string{"", "orders", "/a{b}"} {
		if _, _, _, ok := normalizeRoute("", "GET", bad); ok {
			t.Errorf("normalizeRoute(%q) accepted", bad)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"GetCart": "get-cart", "GetHTTPStats": "get-http-stats", "TrackerRun": "tracker-run", "V2Orders": "v2-orders"} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"SessionsTable": "SESSIONS_TABLE", "ProductsURL": "PRODUCTS_URL"} {
		if got := screaming(in); got != want {
			t.Errorf("screaming(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"id": "ID", "orderID": "OrderID", "urlFor": "URLFor", "holdStock": "HoldStock", "identity": "Identity"} {
		if got := exported(in); got != want {
			t.Errorf("exported(%q) = %q, want %q", in, got, want)
		}
	}
	known := map[string]bool{"gopkg.in/x.v1": true}
	for in, want := range map[string][3]string{
		"example.com/shop/handlers.Server.GetCart": {"example.com/shop/handlers", "Server", "GetCart"},
		"example.com/shop/money.New":               {"example.com/shop/money", "", "New"},
		"gopkg.in/x.v1.T.M":                        {"gopkg.in/x.v1", "T", "M"},
		"main.run":                                 {"main", "", "run"},
	} {
		p, r, n := declParts(in, known)
		if [3]string{p, r, n} != want {
			t.Errorf("declParts(%q) = %q %q %q, want %v", in, p, r, n, want)
		}
	}
}

func TestComment(t *testing.T) {
	got := comment(0, "A short paragraph.\n\nItems:\n  - one with a rather long text that has to wrap somewhere past the end of the line\n  - two")
	want := "// A short paragraph.\n//\n// Items:\n//   - one with a rather long text that has to wrap somewhere past the end of\n//     the line\n//   - two\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestRuntimeFromPlan(t *testing.T) {
	p := tinyPlan(t)
	p.Summary = []plan.ContextSummary{{Context: "billing", Runtime: plan.Runtime{
		Target:  plan.RuntimeStateful,
		Reasons: []plan.Reason{{Rule: "state-of-record", Target: plan.RuntimeStateful, Detail: "sessions are the system of record"}},
	}}}
	s, err := Generate(p, Options{Contexts: []string{"billing"}})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Contexts[0]
	if c.Runtime != "stateful" || !strings.Contains(c.RuntimeReason, "sessions are the system of record") {
		t.Errorf("runtime %q (%s), want the plan's", c.Runtime, c.RuntimeReason)
	}
	if !strings.Contains(string(c.Files["README.md"]), "Target runtime: **stateful**") {
		t.Errorf("README does not give the plan's runtime")
	}
}

// FuzzParsePlan: a plan of any bytes is parsed or refused with one line,
// and a parsed plan holds as many contexts as it counts, each a valid
// folder name.
func FuzzParsePlan(f *testing.F) {
	good, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(good))
	second := strings.Index(string(good), "  - name: orders")
	f.Add(string(good[:second]))
	f.Add(strings.Replace(string(good), "name: billing", "name: ../etc", 1))
	f.Add("schema: decompose/v1\nmodule: x\ncontexts: [{name: a}]\nmetrics: {contexts: 2}\n")
	f.Add("schema: decompose/v1\n---\nschema: other\n")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePlan([]byte(s))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			return
		}
		if len(p.Contexts) < p.Metrics.Contexts {
			t.Errorf("%d contexts, %d counted", len(p.Contexts), p.Metrics.Contexts)
		}
		for _, c := range p.Contexts {
			if ValidContextName(c.Name) != nil || !filepath.IsLocal(c.Name) {
				t.Errorf("context name %q", c.Name)
			}
		}
	})
}

// TestTimersScaffolded: a one-shot timer (the shop's per-order
// time.AfterFunc) becomes a queue consumer whose message carries the
// timer's arguments and is sent with a delivery delay, not a schedule; a
// ticker loop stays a rate(...) schedule.
func TestTimersScaffolded(t *testing.T) {
	tests := []struct {
		name     string
		plan     *plan.Plan
		context  string
		function string
		trigger  string
		files    map[string][]string // file: what it must hold
		not      map[string][]string // file: what it must not hold
	}{
		{
			name: "time.AfterFunc", plan: shopPlan(t), context: "checkout", function: "hold-stock",
			trigger: "queue HoldStockQueue, delayed",
			files: map[string][]string{
				"jobs.go": {"type HoldStockArgs struct {\n\tOrderID int64 `json:\"orderID\"`\n}",
					"var HoldStockConsumer func(ctx context.Context, args HoldStockArgs) error",
					"json.Unmarshal(body, &args)"},
				"README.md": {"`DelaySeconds` up to 900 s", "one-time EventBridge Scheduler schedule `at(...)`",
					"not a recurring schedule", "Scaffold: the delayed queue consumer `HoldStock`"},
				"function": {"Type: SQS", "Queue: !GetAtt HoldStockQueue.Arn"},
			},
			not: map[string][]string{
				"jobs.go":   {"HoldStockEvery", "HoldStockJob"},
				"README.md": {"monolith's period"},
				"function":  {"ScheduleV2", "rate("},
			},
		},
		{
			name: "ticker", plan: tinyPlan(t), context: "orders", function: "sweeper-run",
			trigger: "schedule rate(1 minute)",
			files: map[string][]string{
				"jobs.go":   {"var SweeperRunJob func(ctx context.Context) error"},
				"README.md": {"to the monolith's period"},
				"function":  {"Type: ScheduleV2", "ScheduleExpression: \"rate(1 minute)\""},
			},
			not: map[string][]string{"jobs.go": {"SweeperRunArgs", "Delay"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Generate(tt.plan, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var c *Context
			for i := range s.Contexts {
				if s.Contexts[i].Name == tt.context {
					c = &s.Contexts[i]
				}
			}
			if c == nil {
				t.Fatalf("no context %s", tt.context)
			}
			found := false
			files := map[string]string{}
			for p, b := range c.Files {
				files[p] = string(b)
			}
			for _, f := range c.Functions {
				if f.Name == tt.function {
					found = true
					files["function"] = templateResource(files["template.yaml"], f.ID)
					if got := strings.Join(f.Trigger, "; "); got != tt.trigger {
						t.Errorf("trigger %q, want %q", got, tt.trigger)
					}
				}
			}
			if !found {
				t.Errorf("no function %s", tt.function)
			}
			for file, wants := range tt.files {
				for _, w := range wants {
					if !strings.Contains(files[file], w) {
						t.Errorf("%s does not hold %q", file, w)
					}
				}
			}
			for file, nots := range tt.not {
				for _, n := range nots {
					if strings.Contains(files[file], n) {
						t.Errorf("%s holds %q", file, n)
					}
				}
			}
		})
	}
}

// templateResource is the resource id of a SAM template, up to the next
// resource.
func templateResource(tpl, id string) string {
	_, rest, ok := strings.Cut(tpl, "\n  "+id+":\n")
	if !ok {
		return ""
	}
	for i, l := range strings.Split(rest, "\n") {
		if len(l) > 2 && l[:2] == "  " && l[2] != ' ' {
			return strings.Join(strings.Split(rest, "\n")[:i], "\n")
		}
	}
	return rest
}
