package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deepModule writes a module whose HTTP handler reaches a write of a
// package map through a chain of depth functions.
func deepModule(t *testing.T, depth int) string {
	t.Helper()
	dir := t.TempDir()
	var web strings.Builder
	web.WriteString("package web\n\nimport \"net/http\"\n\nvar hits = map[string]int{}\n\n")
	web.WriteString("func Handle(w http.ResponseWriter, r *http.Request) { f0(r.URL.Path) }\n\n")
	for i := range depth {
		next := fmt.Sprintf("f%d(p)", i+1)
		if i == depth-1 {
			next = "hits[p]++"
		}
		fmt.Fprintf(&web, "func f%d(p string) { %s }\n", i, next)
	}
	web.WriteString("\nfunc Routes(mux *http.ServeMux) { mux.HandleFunc(\"/x\", Handle) }\n")
	files := map[string]string{
		"go.mod":     "module example.com/deep\n\ngo 1.22\n",
		"web/web.go": web.String(),
		"cmd/app/main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/deep/web\"\n)\n\n" +
			"func main() {\n\tmux := http.NewServeMux()\n\tweb.Routes(mux)\n\thttp.ListenAndServe(\":8080\", mux)\n}\n",
	}
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLongCallPath: a finding reached through a long chain of calls keeps
// its path, the entry point and the first calls, how many were left out,
// and the last calls up to the access.
func TestLongCallPath(t *testing.T) {
	const fn = "example.com/deep/web."
	tests := []struct {
		depth int
		len   int
		gap   string // the element after the first maxPath/2, "" without a gap
	}{
		{10, 12, ""},
		{62, 64, ""},
		{63, 64, "… 2 more calls …"},
		{200, 64, "… 139 more calls …"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.depth), func(t *testing.T) {
			m, _, err := Analyze(context.Background(), Config{Dir: deepModule(t, tt.depth)}, "vta")
			if err != nil {
				t.Fatal(err)
			}
			var path []string
			for _, f := range m.Findings {
				if f.Object == fn+"hits" {
					path = f.Path
				}
			}
			if len(path) != tt.len {
				t.Fatalf("path of %d, want %d: %q", len(path), tt.len, path)
			}
			last := fmt.Sprintf("%sf%d", fn, tt.depth-1)
			if path[0] != "/x" || path[1] != fn+"Handle" || path[2] != fn+"f0" || path[len(path)-1] != last {
				t.Errorf("path %q..%q, want /x, Handle, f0 .. %s", path[:3], path[len(path)-1], last)
			}
			if tt.gap != "" && path[maxPath/2] != tt.gap {
				t.Errorf("path[%d] = %q, want %q", maxPath/2, path[maxPath/2], tt.gap)
			}
			if tt.gap == "" && path[len(path)-2] != fmt.Sprintf("%sf%d", fn, tt.depth-2) {
				t.Errorf("the path skips a call: %q", path[len(path)-2:])
			}
		})
	}
}

// TestStateChangedThroughAnotherPackage: a package variable of web that a
// handler changes through a method of package store is a blocker, as the
// same code in one package is; one only read through store stays info.
func TestStateChangedThroughAnotherPackage(t *testing.T) {
	m, _, err := Analyze(context.Background(), Config{Dir: extract(t, "testdata/crosspkg.txtar")}, "vta")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range m.Findings {
		if strings.HasPrefix(f.Object, "example.com/cross/web.") {
			got[strings.TrimPrefix(f.Object, "example.com/cross/web.")] = fmt.Sprintf("%s %s", f.Check, f.Severity)
		}
	}
	tests := []struct{ object, want string }{
		{"hits", "global-mutable blocker"},
		{"tally", "global-mutable blocker"},
		{"same", "global-mutable blocker"},
		{"seen", "global-init-only info"},
	}
	for _, tt := range tests {
		if got[tt.object] != tt.want {
			t.Errorf("%s: %q, want %q", tt.object, got[tt.object], tt.want)
		}
	}
}

// TestCacheKnownByShape: a field holding a dependency's type that works as
// an in-process cache (a lookup answering value and found, a read-through
// fill) is reported though the library is not on the list of cache
// libraries.
func TestCacheKnownByShape(t *testing.T) {
	m, _, err := Analyze(context.Background(), Config{Dir: extract(t, "testdata/shapedcache.txtar")}, "vta")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range m.Findings {
		got = append(got, fmt.Sprintf("%s %s %s: %s", f.Check, f.Severity, f.Object, f.Message))
	}
	want := "cache-library warning example.com/shaped/repo.Repository.cache: field Repository.cache holds an in-process cache (sturdyc.Client); filled by Repository.Name"
	for _, g := range got {
		if strings.HasPrefix(g, want) {
			return
		}
	}
	t.Errorf("findings:\n%s\nwant one starting %q", strings.Join(got, "\n"), want)
}
