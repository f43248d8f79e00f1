package cluster

import (
	"strings"
	"testing"

	"decompose/analysis/model"
)

// layoutOf reads the layout of packages in the given folders, each with
// one function (a route when the folder ends in "!"), where deps lists the
// calls between them ("a/b>c/d", by folder) and weights each call 1.
func layoutOf(t *testing.T, dirs []string, deps ...string) map[string]string {
	t.Helper()
	const mod = "example.com/m"
	m := &model.Model{}
	id := func(dir string) string { return mod + "/" + dir + ".F" }
	for _, d := range dirs {
		if r, ok := strings.CutSuffix(d, "!"); ok {
			d = r
			m.EntryPoints = append(m.EntryPoints, model.EntryPoint{Kind: model.EntryHTTP, Decl: id(d), Package: mod + "/" + d, Route: "/" + d})
		}
		m.Packages = append(m.Packages, model.Package{Path: mod + "/" + d, Name: "p", Dir: d})
		m.Decls = append(m.Decls, model.Decl{ID: id(d), Package: mod + "/" + d, Kind: model.KindFunc, Pos: d + "/f.go:1:1"})
	}
	for _, dep := range deps {
		from, to, ok := strings.Cut(dep, ">")
		if !ok {
			t.Fatalf("dependency %q: want from>to", dep)
		}
		m.Edges = append(m.Edges, model.Edge{From: id(from), To: id(to), Kind: model.EdgeCall, Weight: 1})
	}
	u, _, err := newUniverse(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	lay := newLayout(u, packageWeights(u))
	out := map[string]string{}
	for i, pk := range u.pkgs {
		out[pk.dir] = lay.home[i] + " " + lay.how[i]
	}
	return out
}

func TestLayout(t *testing.T) {
	cases := []struct {
		name string
		dirs []string
		deps []string
		want map[string]string
	}{{
		name: "service folders repeat one shape; their own name masked",
		dirs: []string{"orders/cmd/api", "orders/internal/app", "orders/internal/domain", "orders/orderspb",
			"billing/cmd/api", "billing/internal/app", "billing/internal/domain", "billing/billingpb",
			"platform/log", "platform/db"},
		deps: []string{"orders/cmd/api>orders/internal/app", "orders/internal/app>orders/internal/domain",
			"billing/cmd/api>billing/internal/app", "billing/internal/app>billing/internal/domain",
			"orders/internal/app>platform/log", "billing/internal/app>platform/log", "orders/internal/app>billing/billingpb"},
		want: map[string]string{
			"orders/internal/domain": "orders service-folder",
			"orders/orderspb":        "orders service-folder",
			"billing/billingpb":      "billing service-folder",
			"platform/log":           "platform/log directory", // platform holds no code, and others use it more than it uses itself
		},
	}, {
		name: "compound names: stems recurring across layers are domain words",
		dirs: []string{"app/userapp", "app/productapp", "app/checkapp", "business/userbus", "business/productbus", "business/orderbus",
			"business/userbus/stores/userdb", "business/types/user", "foundation/web"},
		want: map[string]string{
			"app/userapp":                    "~user domain-word",
			"business/userbus/stores/userdb": "~user domain-word",
			"business/productbus":            "~product domain-word",
			"business/types/user":            "~user domain-word",
			"app/checkapp":                   "app/checkapp directory", // a stem in one layer only
			"foundation/web":                 "foundation/web directory",
		},
	}, {
		name: "hexagonal: the repeated sub-folders are the domains when the code says so",
		dirs: []string{"adapters/order", "adapters/user", "adapters/order/postgres", "adapters/user/postgres",
			"domain/order", "domain/user", "ports/order", "ports/user"},
		deps: []string{"adapters/order>ports/order", "ports/order>domain/order", "adapters/order/postgres>domain/order",
			"adapters/user>ports/user", "ports/user>domain/user", "adapters/user/postgres>domain/user"},
		want: map[string]string{
			"adapters/order":          "~order domain-word",
			"adapters/order/postgres": "~order domain-word",
			"domain/user":             "~user domain-word",
			"ports/user":              "~user domain-word",
		},
	}, {
		name: "a folder without code is one unit when its packages depend on one another",
		dirs: []string{"billing/api", "billing/store", "pkg/log", "pkg/money", "orders"},
		deps: []string{"billing/api>billing/store", "billing/api>billing/store", "orders>pkg/log", "billing/api>pkg/log", "orders>pkg/money"},
		want: map[string]string{
			"billing/api":   "billing directory",
			"billing/store": "billing directory",
			"pkg/log":       "pkg/log directory",
			"pkg/money":     "pkg/money directory",
			"orders":        "orders directory",
		},
	}, {
		name: "a folder of targets: dense inside each child, not between them",
		dirs: []string{"modules/ingest", "modules/ingest/receiver", "modules/ingest/forward",
			"modules/query", "modules/query/engine", "modules/query/cache", "cmd/app"},
		deps: []string{"modules/ingest>modules/ingest/receiver", "modules/ingest>modules/ingest/forward", "modules/ingest/receiver>modules/ingest/forward",
			"modules/query>modules/query/engine", "modules/query>modules/query/cache", "modules/query/engine>modules/query/cache",
			"cmd/app>modules/ingest", "cmd/app>modules/query", "modules/query>modules/ingest"},
		want: map[string]string{
			"modules/ingest/receiver": "modules/ingest directory",
			"modules/query/cache":     "modules/query directory",
			"cmd/app":                 "cmd/app directory",
		},
	}, {
		name: "a folder two of whose children run things holds several, whatever ties them",
		dirs: []string{"internal/web!", "internal/jobs!", "internal/store", "internal/store/sqlx", "cmd/app"},
		deps: []string{"internal/web>internal/store", "internal/jobs>internal/store", "internal/web>internal/jobs",
			"internal/store>internal/store/sqlx", "cmd/app>internal/web"},
		want: map[string]string{
			"internal/web":        "internal/web directory",
			"internal/jobs":       "internal/jobs directory",
			"internal/store/sqlx": "internal/store directory",
		},
	}, {
		name: "the same folder with one child that runs things is one unit",
		dirs: []string{"internal/web!", "internal/jobs", "internal/store", "cmd/app"},
		deps: []string{"internal/web>internal/store", "internal/jobs>internal/store", "internal/web>internal/jobs", "cmd/app>internal/web"},
		want: map[string]string{
			"internal/web":  "internal directory",
			"internal/jobs": "internal directory",
		},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := layoutOf(t, c.dirs, c.deps...)
			for dir, want := range c.want {
				if got[dir] != want {
					t.Errorf("%s: home %q, want %q", dir, got[dir], want)
				}
			}
		})
	}
}

func TestAffix(t *testing.T) {
	cases := []struct {
		names  []string
		affix  string
		suffix bool
	}{
		// the affix most names share wins over a longer one fewer share
		// (auditbus, productbus and vproductbus all end in "tbus")
		{[]string{"auditbus", "homebus", "productbus", "userbus", "vproductbus"}, "bus", true},
		{[]string{"userapp", "orderapp", "checkapp"}, "app", true},
		{[]string{"usercache", "userdb", "userlog"}, "user", false},
		{[]string{"usercache", "userdb"}, "", true}, // two share endings by chance
		{[]string{"orders", "billing", "shipping"}, "", true},
		{[]string{"ab", "cb"}, "", true},                         // a stem needs two letters
		{[]string{"part0", "part1", "part2", "part3"}, "", true}, // digits make no word
	}
	for _, c := range cases {
		a, suf := affix(c.names)
		if a != c.affix || (a != "" && suf != c.suffix) {
			t.Errorf("affix(%v) = %q, %v; want %q, %v", c.names, a, suf, c.affix, c.suffix)
		}
	}
}
