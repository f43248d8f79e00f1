package evidence

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const goodYAML = `# from the dashboards, last 30 days
period: month
routes:
  - route: GET /search
    requests: 1_200_000
    p50_ms: 40
    p99_ms: 250
  - route: /products/{id}
    requests: 3e5
  - entry: example.com/shop/notifications.Relay.Run
    requests: 720
    period: hour
`

const goodCSV = `# from the dashboards
route,requests,p50_ms,p99_ms,period
GET /search,1200000,40,250,
/products/{id},300000,,,month
`

func TestParseTraffic(t *testing.T) {
	y, err := ParseTraffic("traffic.yaml", []byte(goodYAML))
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Line: 4, Route: "GET /search", Requests: 1.2e6, Period: Month, P50MS: 40, P99MS: 250},
		{Line: 8, Route: "/products/{id}", Requests: 3e5, Period: Month},
		{Line: 10, Entry: "example.com/shop/notifications.Relay.Run", Requests: 720, Period: time.Hour},
	}
	if !reflect.DeepEqual(y.Rows, want) {
		t.Errorf("YAML\n got %+v\nwant %+v", y.Rows, want)
	}
	if got := y.Rows[2].PerSecond(); got != 0.2 {
		t.Errorf("720 an hour is %g/s", got)
	}
	c, err := ParseTraffic("traffic.csv", []byte(goodCSV))
	if err != nil {
		t.Fatal(err)
	}
	wantCSV := []Row{
		{Line: 3, Route: "GET /search", Requests: 1.2e6, Period: Month, P50MS: 40, P99MS: 250},
		{Line: 4, Route: "/products/{id}", Requests: 3e5, Period: Month},
	}
	if !reflect.DeepEqual(c.Rows, wantCSV) {
		t.Errorf("CSV\n got %+v\nwant %+v", c.Rows, wantCSV)
	}
}

func TestBadTraffic(t *testing.T) {
	for _, tc := range []struct{ file, content, want string }{
		{"t.yaml", "", "t.yaml: the file is empty"},
		{"t.yaml", "period: month\nroutes:\n  - route: GET /x\n    reqests: 10\n", `t.yaml:4: unknown key "reqests"`},
		{"t.yaml", "perod: month\nroutes: []\n", `t.yaml:1: unknown key "perod"`},
		{"t.yaml", "routes:\n  - route: GET /x\n    requests: -5\n", "t.yaml:3: requests -5 is negative"},
		{"t.yaml", "routes:\n  - route: GET /x\n    requests: lots\n", `t.yaml:3: requests "lots" is not a number`},
		{"t.yaml", "routes:\n  - route: GET /x\n    requests: NaN\n", `t.yaml:3: requests "NaN" is not a finite number`},
		{"t.yaml", "routes:\n  - route: GET /x\n    requests: 1\n    p99_ms: -1\n", "t.yaml:4: p99_ms -1 is negative"},
		{"t.yaml", "routes:\n  - route: GET /x\n    requests: 1\n    p50_ms: 90\n    p99_ms: 10\n", "t.yaml:4: p50_ms 90 is above p99_ms 10"},
		{"t.yaml", "routes:\n  - route: GET /x\n", "t.yaml:2: requests is required"},
		{"t.yaml", "routes:\n  - route: GET /x\n    entry: a.B\n    requests: 1\n", "t.yaml:2: give route or entry, not both"},
		{"t.yaml", "routes:\n  - requests: 1\n", "t.yaml:2: a row needs a route or an entry"},
		{"t.yaml", "routes:\n  - route: search\n    requests: 1\n", `t.yaml:2: route "search" is not "METHOD /pattern"`},
		{"t.yaml", "period: fortnight\nroutes: []\n", `t.yaml:1: period "fortnight" is neither`},
		{"t.yaml", "period: -1h\nroutes: []\n", `t.yaml:1: period "-1h" must be positive`},
		{"t.yaml", "routes:\n  - route: GET /x\n    requests: 1\n    period: 0s\n", `t.yaml:4: period "0s" must be positive`},
		{"t.yaml", "routes:\n  - route: GET /x\n    requests: 1\n  - route: GET  /x\n    requests: 2\n", "t.yaml:4: GET /x is given twice (first at line 2)"},
		{"t.yaml", "routes: {a: 1}\n", "t.yaml:1: routes must be a list"},
		{"t.yaml", "- 1\n", "t.yaml:1: expected a mapping"},
		{"t.yaml", "period: month\n", "t.yaml:1: no routes key"},
		{"t.yaml", "routes:\n  - route: [GET, /x]\n    requests: 1\n", "t.yaml:2: route must be a single value"},
		{"t.yaml", "routes: [\n", "t.yaml: yaml:"},
		{"t.csv", "", "t.csv: the file is empty"},
		{"t.csv", "route,requests,qps\n", `t.csv:1: unknown column "qps"`},
		{"t.csv", "route,requests\nGET /x,-1\n", "t.csv:2: requests -1 is negative"},
		{"t.csv", "route,requests\nGET /x,1,2\n", "t.csv:2: wrong number of fields"},
		{"t.csv", "route,route\n", `t.csv:1: column "route" given twice`},
		{"t.csv", "# comment\nroute,requests\n\nGET /x,1\nGET /x,2\n", "t.csv:5: GET /x is given twice (first at line 4)"},
	} {
		_, err := ParseTraffic(tc.file, []byte(tc.content))
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v, want %q", tc.content, err, tc.want)
		}
	}
}

func TestMatch(t *testing.T) {
	entries := []Entry{
		{Kind: "http", Decl: "shop/handlers.Server.Search", Method: "GET", Route: "/search"},
		{Kind: "http", Decl: "shop/handlers.Server.GetProduct", Method: "GET", Route: "/products/{id}"},
		{Kind: "http", Decl: "shop/handlers.Server.SetProduct", Method: "PUT", Route: "/products/{id}"},
		{Kind: "http", Decl: "shop/handlers.Healthz", Route: "/healthz"},
		{Kind: "background", Decl: "shop/notifications.Relay.Run"},
	}
	tr, err := ParseTraffic("t.yaml", []byte(`routes:
  - route: GET /search
    requests: 100
  - route: /products/{id}
    requests: 5
  - route: GET /products/{id}
    requests: 50
  - route: GET /healthz
    requests: 10
  - route: POST /nope
    requests: 1
  - entry: shop/notifications.Relay.Run
    requests: 7
  - entry: shop/catalog.Service.Search
    requests: 7
  - route: /search
    requests: 3
`))
	if err != nil {
		t.Fatal(err)
	}
	rates, warnings := tr.Match(entries)
	var got []string
	for _, r := range rates {
		got = append(got, r.Label()+" → "+r.EntryLabel+" "+r.Decl)
	}
	want := []string{
		"GET /search → GET /search shop/handlers.Server.Search",
		"GET /products/{id} → GET /products/{id} shop/handlers.Server.GetProduct",
		"GET /healthz → /healthz shop/handlers.Healthz",
		"shop/notifications.Relay.Run → shop/notifications.Relay.Run shop/notifications.Relay.Run",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rates\n got %q\nwant %q", got, want)
	}
	wantWarn := []string{
		"traffic file t.yaml:4: /products/{id} names GET /products/{id} and PUT /products/{id}; give the method; not used",
		"traffic file t.yaml:10: POST /nope is no route of the analyzed code; not used",
		"traffic file t.yaml:14: shop/catalog.Service.Search is no entry point of the analyzed code; not used",
		"traffic file t.yaml:16: GET /search was given at line 2 already; not used",
	}
	if !reflect.DeepEqual(warnings, wantWarn) {
		t.Errorf("warnings\n got %q\nwant %q", warnings, wantWarn)
	}
}
