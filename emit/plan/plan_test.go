package plan

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/emit/golden"
)

// shopModel is a small layered shop: handlers and store serve orders and
// users, a money value type is shared, main wires it all.
func shopModel() *model.Model {
	const mod = "example.com/shop"
	m := &model.Model{Schema: model.ModelSchema, Modules: []model.Module{{Path: mod, Dir: "."}}}
	pkg := func(p, name string, files ...string) {
		pk := model.Package{Path: mod + p, Name: name, Module: mod, Dir: p}
		for _, f := range files {
			pk.Files = append(pk.Files, model.File{Path: p[1:] + "/" + f, Lines: 20})
		}
		m.Packages = append(m.Packages, pk)
	}
	decl := func(p, name string, kind model.DeclKind, file string) {
		d := model.Decl{ID: mod + p + "." + name, Package: mod + p, Name: name, Kind: kind, Pos: p[1:] + "/" + file + ":3:6", Lines: 6}
		if kind == model.KindMethod {
			for i := range name {
				if name[i] == '.' {
					d.Recv, d.Name = name[:i], name[i+1:]
				}
			}
		}
		m.Decls = append(m.Decls, d)
	}
	edge := func(from, to string, kind model.EdgeKind, w int) {
		m.Edges = append(m.Edges, model.Edge{From: mod + from, To: mod + to, Kind: kind, Weight: w, Pos: "handlers/x.go:1:1"})
	}
	pkg("/handlers", "handlers", "orders.go", "users.go", "server.go")
	pkg("/store", "store", "orders.go", "users.go")
	pkg("/money", "money", "money.go")
	pkg("/cmd/shop", "main", "main.go")
	decl("/handlers", "Server", model.KindType, "server.go")
	for _, x := range []struct{ file, h1, h2, st, model, route string }{
		{"orders.go", "PlaceOrder", "ListOrders", "OrderStore", "Order", "/orders"},
		{"users.go", "Register", "GetUser", "UserStore", "User", "/users"},
	} {
		decl("/handlers", "Server."+x.h1, model.KindMethod, x.file)
		decl("/handlers", "Server."+x.h2, model.KindMethod, x.file)
		decl("/store", x.st, model.KindType, x.file)
		decl("/store", x.st+".Save", model.KindMethod, x.file)
		decl("/store", x.st+".Find", model.KindMethod, x.file)
		decl("/store", x.model, model.KindType, x.file)
		edge("/handlers.Server."+x.h1, "/store."+x.st+".Save", model.EdgeCall, 1)
		edge("/handlers.Server."+x.h2, "/store."+x.st+".Find", model.EdgeCall, 2)
		edge("/handlers.Server."+x.h1, "/store."+x.model, model.EdgeTypeRef, 1)
		edge("/store."+x.st+".Save", "/store."+x.model, model.EdgeTypeRef, 1)
		edge("/store."+x.st+".Find", "/store."+x.model, model.EdgeTypeRef, 1)
		edge("/store."+x.model, "/money.Money", model.EdgeTypeRef, 1)
		m.EntryPoints = append(m.EntryPoints,
			model.EntryPoint{Kind: model.EntryHTTP, Decl: mod + "/handlers.Server." + x.h1, Package: mod + "/handlers", Framework: "net/http", Method: "POST", Route: x.route, Pos: "handlers/server.go:10:2"},
			model.EntryPoint{Kind: model.EntryHTTP, Decl: mod + "/handlers.Server." + x.h2, Package: mod + "/handlers", Framework: "net/http", Method: "GET", Route: x.route, Pos: "handlers/server.go:11:2"})
	}
	decl("/money", "Money", model.KindType, "money.go")
	decl("/money", "Money.Add", model.KindMethod, "money.go")
	decl("/cmd/shop", "main", model.KindFunc, "main.go")
	edge("/cmd/shop.main", "/handlers.Server", model.EdgeTypeRef, 1)
	edge("/cmd/shop.main", "/store.OrderStore", model.EdgeTypeRef, 1)
	edge("/cmd/shop.main", "/store.UserStore", model.EdgeTypeRef, 1)
	m.EntryPoints = append(m.EntryPoints, model.EntryPoint{Kind: model.EntryMain, Decl: mod + "/cmd/shop.main", Package: mod + "/cmd/shop", Pos: "cmd/shop/main.go:5:6"})
	return m
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		cfg  func(c *cluster.Config)
	}{
		{"shop", nil},
		{"shop-pinned", func(c *cluster.Config) {
			c.Pin = map[string][]string{"accounts": {"example.com/shop/store.UserStore"}}
			c.SharedKernel = []string{"example.com/shop/money"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := shopModel()
			cfg := cluster.DefaultConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			d, err := cluster.Cluster(m, cfg)
			if err != nil {
				t.Fatal(err)
			}
			p := Build(m, d, DefaultConfig())
			y, err := MarshalYAML(p)
			if err != nil {
				t.Fatal(err)
			}
			j, err := MarshalJSON(p)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", tt.name+".yaml"), y)
			golden.Check(t, filepath.Join("testdata", tt.name+".json"), j)
			// the two forms carry the same plan
			var fromY, fromJ Plan
			if err := yaml.Unmarshal(y, &fromY); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(j, &fromJ); err != nil {
				t.Fatal(err)
			}
			y2, _ := MarshalYAML(&fromJ)
			if !bytes.Equal(y, y2) {
				t.Errorf("YAML and JSON forms differ")
			}
		})
	}
}

// TestScorerKeys checks the keys the evaluation scorer reads, decoding the
// YAML into the scorer's own shape.
func TestScorerKeys(t *testing.T) {
	m := shopModel()
	d, err := cluster.Cluster(m, cluster.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	y, err := MarshalYAML(Build(m, d, DefaultConfig()))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Schema   string `yaml:"schema"`
		Module   string `yaml:"module"`
		Contexts []struct {
			Name     string   `yaml:"name"`
			Packages []string `yaml:"packages"`
			Members  []struct {
				Package string   `yaml:"package"`
				Decls   []string `yaml:"decls"`
			} `yaml:"members"`
		} `yaml:"contexts"`
		SharedKernel []string `yaml:"shared_kernel"`
	}
	if err := yaml.Unmarshal(y, &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != Schema || s.Module != "example.com/shop" || len(s.Contexts) == 0 {
		t.Fatalf("schema %q module %q contexts %d", s.Schema, s.Module, len(s.Contexts))
	}
	seen := map[string]string{}
	for _, c := range s.Contexts {
		for _, p := range c.Packages {
			if prev, ok := seen[p]; ok {
				t.Errorf("%s in %s and %s", p, prev, c.Name)
			}
			seen[p] = c.Name
		}
		for _, mb := range c.Members {
			if len(mb.Decls) == 0 {
				t.Errorf("empty member %s in %s", mb.Package, c.Name)
			}
		}
	}
	for _, p := range s.SharedKernel {
		if _, ok := seen[p]; ok {
			t.Errorf("%s both in a context and in the kernel", p)
		}
	}
}

func TestDeterministicBytes(t *testing.T) {
	m := shopModel()
	var first []byte
	for i := 0; i < 3; i++ {
		d, err := cluster.Cluster(m, cluster.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		y, err := MarshalYAML(Build(m, d, DefaultConfig()))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = y
		} else if !bytes.Equal(first, y) {
			t.Fatalf("run %d gives other bytes", i)
		}
	}
}
