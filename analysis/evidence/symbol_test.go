package evidence

import (
	"testing"

	"decompose/analysis/model"
)

// testDecls is a small model: a shop with a dotted module path, a package
// whose last element has a dot, a generic function and type, a vendored
// library, and two main packages.
var testDecls = []model.Decl{
	{ID: "example.com/shop/checkout.Place", Package: "example.com/shop/checkout"},
	{ID: "example.com/shop/checkout.Service", Package: "example.com/shop/checkout"},
	{ID: "example.com/shop/checkout.Service.Place", Package: "example.com/shop/checkout"},
	{ID: "example.com/shop/checkout.Service.total", Package: "example.com/shop/checkout"},
	{ID: "example.com/shop/checkout.Cart", Package: "example.com/shop/checkout"},
	{ID: "example.com/shop/checkout.Cart.Sum", Package: "example.com/shop/checkout"},
	{ID: "example.com/shop/checkout.init", Package: "example.com/shop/checkout"},
	{ID: "example.com/shop/catalog/search.Rank", Package: "example.com/shop/catalog/search"},
	{ID: "example.com/shop/catalog/search.Map", Package: "example.com/shop/catalog/search"},
	{ID: "example.com/shop/catalog/search.Index", Package: "example.com/shop/catalog/search"},
	{ID: "example.com/shop/catalog/search.Index.Add", Package: "example.com/shop/catalog/search"},
	{ID: "gopkg.in/yaml.v3.Unmarshal", Package: "gopkg.in/yaml.v3"},
	{ID: "gopkg.in/yaml.v3.decoder", Package: "gopkg.in/yaml.v3"},
	{ID: "gopkg.in/yaml.v3.decoder.unmarshal", Package: "gopkg.in/yaml.v3"},
	{ID: "github.com/lib/pq.conn.Exec", Package: "github.com/lib/pq"},
	{ID: "example.com/shop/cmd/shop.main", Package: "example.com/shop/cmd/shop"},
	{ID: "example.com/shop/cmd/shop.routes", Package: "example.com/shop/cmd/shop"},
	{ID: "example.com/shop/cmd/admin.main", Package: "example.com/shop/cmd/admin"},
	{ID: "example.com/shop/cmd/admin.serve", Package: "example.com/shop/cmd/admin"},
	{ID: "example.com/shop/nomore.Var", Package: "example.com/shop/nomore"},
}

var testMains = []string{"example.com/shop/cmd/admin", "example.com/shop/cmd/shop"}

func TestResolve(t *testing.T) {
	sym := NewSymbols(testDecls, testMains)
	for _, tc := range []struct{ name, want string }{
		// functions and methods
		{"example.com/shop/checkout.Place", "example.com/shop/checkout.Place"},
		{"example.com/shop/checkout.(*Service).Place", "example.com/shop/checkout.Service.Place"},
		{"example.com/shop/checkout.Cart.Sum", "example.com/shop/checkout.Cart.Sum"},
		{"example.com/shop/checkout.(*Cart).Sum", "example.com/shop/checkout.Cart.Sum"},
		// closures, go and defer wrappers, method values, range-over-func bodies
		{"example.com/shop/checkout.Place.func1", "example.com/shop/checkout.Place"},
		{"example.com/shop/checkout.Place.func1.2", "example.com/shop/checkout.Place"},
		{"example.com/shop/checkout.Place.func1.func2", "example.com/shop/checkout.Place"},
		{"example.com/shop/checkout.(*Service).Place.func3", "example.com/shop/checkout.Service.Place"},
		{"example.com/shop/checkout.(*Service).Place.func3.1", "example.com/shop/checkout.Service.Place"},
		{"example.com/shop/checkout.Place.gowrap1", "example.com/shop/checkout.Place"},
		{"example.com/shop/checkout.(*Service).total.deferwrap1", "example.com/shop/checkout.Service.total"},
		{"example.com/shop/checkout.(*Service).Place-fm", "example.com/shop/checkout.Service.Place"},
		{"example.com/shop/checkout.Place-range1", "example.com/shop/checkout.Place"},
		{"example.com/shop/checkout.Place.func2-range1.1", "example.com/shop/checkout.Place"},
		// generic instances
		{"example.com/shop/catalog/search.Map[...]", "example.com/shop/catalog/search.Map"},
		{"example.com/shop/catalog/search.Map[go.shape.int,go.shape.string]", "example.com/shop/catalog/search.Map"},
		{"example.com/shop/catalog/search.Map[example.com/shop/checkout.Cart].func1", "example.com/shop/catalog/search.Map"},
		{"example.com/shop/catalog/search.(*Index[...]).Add", "example.com/shop/catalog/search.Index.Add"},
		{"example.com/shop/catalog/search.Index[go.shape.struct { example.com/x/y.A int }].Add", "example.com/shop/catalog/search.Index.Add"},
		// init functions and initialisers
		{"example.com/shop/checkout.init", "example.com/shop/checkout.init"},
		{"example.com/shop/checkout.init.0", "example.com/shop/checkout.init"},
		{"example.com/shop/checkout.init.func1", "example.com/shop/checkout.init"},
		{"example.com/shop/checkout.glob..func1", "example.com/shop/checkout.init"},
		{"example.com/shop/nomore.init", ""},
		{"example.com/shop/nomore.glob..func1", ""},
		// dots in the package path
		{"gopkg.in/yaml%2ev3.Unmarshal", "gopkg.in/yaml.v3.Unmarshal"},
		{"gopkg.in/yaml%2ev3.(*decoder).unmarshal", "gopkg.in/yaml.v3.decoder.unmarshal"},
		// vendored copies
		{"example.com/shop/vendor/github.com/lib/pq.(*conn).Exec", "github.com/lib/pq.conn.Exec"},
		{"vendor/github.com/lib/pq.(*conn).Exec", "github.com/lib/pq.conn.Exec"},
		// a promoted method's wrapper goes to its type; equality to the type
		{"example.com/shop/checkout.(*Service).Header", "example.com/shop/checkout.Service"},
		{"type:.eq.example.com/shop/checkout.Cart", "example.com/shop/checkout.Cart"},
		// package main: the one main package that declares it
		{"main.routes", "example.com/shop/cmd/shop.routes"},
		{"main.routes.func1", "example.com/shop/cmd/shop.routes"},
		{"main.serve", "example.com/shop/cmd/admin.serve"},
		{"main.main", ""}, // both declare it
		// other code
		{"runtime.mallocgc", ""},
		{"net/http.(*conn).serve", ""},
		{"example.com/other.Place", ""},
		{"example.com/shop/checkout.Unknown", ""},
		{"type:.eq.[2]interface {}", ""},
		{"", ""},
		{"noDot", ""},
	} {
		if got := sym.Resolve(tc.name); got != tc.want {
			t.Errorf("Resolve(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	shop := sym.withMain("example.com/shop/cmd/shop")
	if got := shop.Resolve("main.main"); got != "example.com/shop/cmd/shop.main" {
		t.Errorf("with the main package known, main.main = %q", got)
	}
	if got := shop.Resolve("main.serve"); got != "" {
		t.Errorf("with the shop's main package known, main.serve = %q, want none", got)
	}
}

func TestSplitName(t *testing.T) {
	for _, tc := range []struct {
		name, pkg string
		rest      []string
	}{
		{"example.com/shop/checkout.(*Service).Place.func1", "example.com/shop/checkout", []string{"(*Service)", "Place", "func1"}},
		{"gopkg.in/yaml%2ev3.Unmarshal", "gopkg.in/yaml.v3", []string{"Unmarshal"}},
		{"main.main", "main", []string{"main"}},
		{"a/b.G[a/c.T].M-fm", "a/b", []string{"G", "M"}},
	} {
		pkg, rest, ok := SplitName(tc.name)
		if !ok || pkg != tc.pkg || len(rest) != len(tc.rest) {
			t.Errorf("SplitName(%q) = %q %q %v", tc.name, pkg, rest, ok)
			continue
		}
		for i := range rest {
			if rest[i] != tc.rest[i] {
				t.Errorf("SplitName(%q) = %q %q", tc.name, pkg, rest)
			}
		}
	}
}
