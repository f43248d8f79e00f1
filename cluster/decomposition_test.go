package cluster

import (
	"testing"

	"decompose/analysis/model"
)

// TestPlacement: whole packages, split packages by member names (a method
// on its own, else with its type), the kernel, and what is ignored.
func TestPlacement(t *testing.T) {
	d := &Decomposition{
		Contexts: []Context{
			{Name: "a", Packages: []string{"x/a"}, Members: []Member{{Package: "x/s", Decls: []string{"T", "U.M", "F"}}}},
			{Name: "b", Members: []Member{{Package: "x/s", Decls: []string{"T.Other"}}}},
		},
		Kernel:       Kernel{Infrastructure: []string{"x/db"}, Members: []Member{{Package: "x/s", Decls: []string{"U"}}}},
		Ignored:      []string{"x/gen"},
		IgnoredDecls: []string{"x/a.Skip"},
	}
	place := d.Placement().ContextOf
	for _, c := range []struct {
		decl model.Decl
		want string
	}{
		{model.Decl{ID: "x/a.F", Package: "x/a", Name: "F"}, "a"},
		{model.Decl{ID: "x/a.Skip", Package: "x/a", Name: "Skip"}, ""},
		{model.Decl{ID: "x/gen.G", Package: "x/gen", Name: "G"}, ""},
		{model.Decl{ID: "x/db.Open", Package: "x/db", Name: "Open"}, model.Kernel},
		{model.Decl{ID: "x/s.F", Package: "x/s", Name: "F"}, "a"},
		{model.Decl{ID: "x/s.T", Package: "x/s", Name: "T"}, "a"},
		{model.Decl{ID: "x/s.T.Do", Package: "x/s", Name: "Do", Recv: "T", Kind: model.KindMethod}, "a"},       // with its type
		{model.Decl{ID: "x/s.T.Other", Package: "x/s", Name: "Other", Recv: "T", Kind: model.KindMethod}, "b"}, // listed on its own
		{model.Decl{ID: "x/s.U.M", Package: "x/s", Name: "M", Recv: "U", Kind: model.KindMethod}, "a"},
		{model.Decl{ID: "x/s.U.N", Package: "x/s", Name: "N", Recv: "U", Kind: model.KindMethod}, model.Kernel},
		{model.Decl{ID: "x/s.G", Package: "x/s", Name: "G"}, model.Kernel}, // named by no list
		{model.Decl{ID: "x/other.H", Package: "x/other", Name: "H"}, model.Kernel},
	} {
		if got := place(c.decl); got != c.want {
			t.Errorf("%s placed in %q, want %q", c.decl.ID, got, c.want)
		}
	}
}
