package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	pprof "github.com/google/pprof/profile"
	"golang.org/x/tools/txtar"
)

// profModule is a small program with a main package and a route, for the
// evidence flags.
const profModule = `-- go.mod --
module example.com/prof

go 1.22
-- cmd/srv/main.go --
package main

import (
	"net/http"

	"example.com/prof/work"
)

func main() {
	http.HandleFunc("GET /work", work.Handle)
	http.ListenAndServe("127.0.0.1:0", nil)
}
-- work/work.go --
package work

import "net/http"

// Handle answers GET /work.
func Handle(w http.ResponseWriter, r *http.Request) { Busy() }

// Busy works.
func Busy() {}
`

func writeModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse([]byte(profModule)).Files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// cpuProfile writes a CPU profile whose one stack is names (leaf first).
func cpuProfile(t *testing.T, path string, sampleType string, names ...string) {
	t.Helper()
	types := []*pprof.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}}
	if sampleType != "cpu" {
		types = []*pprof.ValueType{{Type: "alloc_objects", Unit: "count"}, {Type: sampleType, Unit: "bytes"}}
	}
	p := &pprof.Profile{
		SampleType:    types,
		PeriodType:    &pprof.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:        10_000_000,
		DurationNanos: 10e9,
	}
	var locs []*pprof.Location
	for i, n := range names {
		f := &pprof.Function{ID: uint64(i + 1), Name: n}
		p.Function = append(p.Function, f)
		l := &pprof.Location{ID: uint64(i + 1), Line: []pprof.Line{{Function: f, Line: 3}}}
		p.Location = append(p.Location, l)
		locs = append(locs, l)
	}
	p.Sample = []*pprof.Sample{{Location: locs, Value: []int64{100, 1e9}}}
	var b bytes.Buffer
	if err := p.Write(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestAnalyzeEvidenceInput(t *testing.T) {
	mod := writeModule(t)
	files := t.TempDir()
	at := func(name, content string) string {
		p := filepath.Join(files, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	good := filepath.Join(files, "good.pprof")
	cpuProfile(t, good, "cpu", "example.com/prof/work.Busy", "example.com/prof/work.Handle", "net/http.HandlerFunc.ServeHTTP")
	other := filepath.Join(files, "other.pprof")
	cpuProfile(t, other, "cpu", "example.com/else.Work", "runtime.goexit")
	heap := filepath.Join(files, "heap.pprof")
	cpuProfile(t, heap, "alloc_space", "example.com/prof/work.Busy")
	text := at("notes.txt", "not a profile\n")
	traffic := at("traffic.yaml", "routes:\n  - route: GET /work\n    requests: 3600\n    period: hour\n")
	unknownKey := at("unknown.yaml", "routes:\n  - route: GET /work\n    rqs: 1\n")
	negative := at("negative.csv", "route,requests\nGET /work,-3\n")
	unknownRoute := at("route.yaml", "routes:\n  - route: GET /work\n    requests: 10\n  - route: POST /nope\n    requests: 1\n")

	tests := []struct {
		name           string
		args           []string
		code           int
		stderr, stdout string
	}{
		{"not pprof", []string{"--profile", text}, 2, "not a pprof profile", ""},
		{"missing profile", []string{"--profile", filepath.Join(files, "none.pprof")}, 2, "no such file", ""},
		{"heap profile", []string{"--profile", heap}, 2, "not a CPU profile", ""},
		{"off and a file", []string{"--profile", "off", "--profile", good}, 2, "--profile off excludes", ""},
		{"another program", []string{"--profile", other}, 0, "a profile of another program?); not used", ""},
		{"unknown traffic key", []string{"--traffic", unknownKey}, 2, `unknown.yaml:3: unknown key "rqs"`, ""},
		{"negative rate", []string{"--traffic", negative}, 2, "negative.csv:2: requests -3 is negative", ""},
		{"missing traffic file", []string{"--traffic", filepath.Join(files, "none.yaml")}, 2, "no such file", ""},
		{"unknown route", []string{"--traffic", unknownRoute}, 0, "route.yaml:4: POST /nope is no route of the analyzed code; not used", "traffic"},
		{"profile and traffic", []string{"--profile", good, "--traffic", traffic}, 0, "", "good.pprof: 1.0 s of CPU over 10.0 s, 100% of it in the analyzed code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"analyze", "-C", mod, "--no-cache"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if code == 2 && strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("more than one line:\n%s", stderr)
			}
		})
	}
}

// TestDefaultPGO uses the default.pgo beside the main package, as go
// build -pgo=auto does, unless --profile names others or off.
func TestDefaultPGO(t *testing.T) {
	mod := writeModule(t)
	cpuProfile(t, filepath.Join(mod, "cmd/srv/default.pgo"), "cpu", "example.com/prof/work.Busy", "main.main")
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := run(t, "analyze", "-C", mod, "--no-cache", "--out", out)
	if code != 0 || !strings.Contains(stdout, "profile       cmd/srv/default.pgo: 1.0 s of CPU") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	plan, _ := os.ReadFile(filepath.Join(out, "plan.yaml"))
	if !strings.Contains(string(plan), "path: cmd/srv/default.pgo") || !strings.Contains(string(plan), "main: example.com/prof/cmd/srv") {
		t.Errorf("plan.yaml does not name the default.pgo used")
	}
	code, stdout, _ = run(t, "analyze", "-C", mod, "--no-cache", "--profile", "off")
	if code != 0 || strings.Contains(stdout, "default.pgo") {
		t.Errorf("--profile off: exit %d\n%s", code, stdout)
	}
	// a default.pgo that is no profile is a warning: nobody named it
	os.WriteFile(filepath.Join(mod, "cmd/srv/default.pgo"), []byte("junk"), 0o644)
	code, _, stderr = run(t, "analyze", "-C", mod, "--no-cache")
	if code != 0 || !strings.Contains(stderr, "warning: profile cmd/srv/default.pgo: not a pprof profile") {
		t.Errorf("junk default.pgo: exit %d\n%s", code, stderr)
	}
}

// TestLoadgenHotContextProvisioned drives the shop with its load
// generator, and checks that the context the load makes busy, the
// catalog (half of the requests are searches), is the one the plan keeps
// on provisioned capacity, while from the code alone it is a function.
func TestLoadgenHotContextProvisioned(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the shop for a few seconds")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	load := t.TempDir()
	cmd := exec.Command("go", "run", "./testdata/loadgen", "-out", load, "-duration", "2s", "-requests", "600")
	cmd.Dir = "../../testdata/shop"
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("loadgen: %v\n%s", err, out)
	}
	runtimes := func(args ...string) map[string]string {
		out := filepath.Join(t.TempDir(), "out")
		code, _, stderr := run(t, append([]string{"analyze", "-C", "../../testdata/shop", "-q", "--out", out}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		data, err := os.ReadFile(filepath.Join(out, "plan.json"))
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Summary []struct {
				Context string
				Runtime struct{ Target string }
			}
			Observed *struct {
				Contexts []struct {
					Context  string
					CPUShare float64 `json:"cpu_share"`
				}
			}
		}
		if err := json.Unmarshal(data, &p); err != nil {
			t.Fatal(err)
		}
		rt := map[string]string{}
		for _, s := range p.Summary {
			rt[s.Context] = s.Runtime.Target
		}
		if p.Observed != nil {
			hottest, share := "", 0.0
			for _, c := range p.Observed.Contexts {
				if c.CPUShare > share {
					hottest, share = c.Context, c.CPUShare
				}
			}
			rt["hottest"] = hottest
		}
		return rt
	}
	before := runtimes()
	after := runtimes("--profile", filepath.Join(load, "cpu.pprof"), "--traffic", filepath.Join(load, "traffic.yaml"))
	if before["catalog"] != "function" {
		t.Errorf("from the code alone, catalog is %q, want function", before["catalog"])
	}
	if after["hottest"] != "catalog" || after["catalog"] != "stateful" {
		t.Errorf("with the load's evidence, the hottest context is %q and catalog is %q; want catalog, stateful", after["hottest"], after["catalog"])
	}
	for c, target := range after {
		if c != "catalog" && c != "hottest" && target == "stateful" {
			t.Errorf("%s is kept on provisioned capacity too", c)
		}
	}
}

// TestEvidenceFromConfig reads the evidence files named in decompose.yaml,
// relative to it; the flags replace them.
func TestEvidenceFromConfig(t *testing.T) {
	mod := writeModule(t)
	os.MkdirAll(filepath.Join(mod, "prof"), 0o755)
	cpuProfile(t, filepath.Join(mod, "prof", "cpu.pprof"), "cpu", "example.com/prof/work.Busy", "example.com/prof/work.Handle")
	os.WriteFile(filepath.Join(mod, "prof", "traffic.csv"), []byte("route,requests,period\nGET /work,60,minute\n"), 0o644)
	os.WriteFile(filepath.Join(mod, "decompose.yaml"), []byte("profiles: [prof/cpu.pprof]\ntraffic: prof/traffic.csv\n"), 0o644)
	code, stdout, stderr := run(t, "analyze", "-C", mod, "--no-cache")
	if code != 0 || !strings.Contains(stdout, "profile       prof/cpu.pprof:") || !strings.Contains(stdout, "traffic       prof/traffic.csv: 1 routes used") {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = run(t, "analyze", "-C", mod, "--no-cache", "--profile", "off", "--traffic", filepath.Join(mod, "prof", "traffic.csv"))
	if code != 0 || strings.Contains(stdout, "profile ") {
		t.Errorf("--profile off over the file: exit %d\n%s", code, stdout)
	}
}
