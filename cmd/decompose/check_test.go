package main

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"decompose/analysis"
	"decompose/cluster"
	"decompose/cmd/internal/pipeline"
	"decompose/emit/golden"
	"decompose/emit/plan"
)

// shop is the fixture of the check tests, made once per test binary:
//
//   - accepted: a copy of testdata/shop where the order confirmation is
//     queued fire and forget, so that its plan makes checkout →
//     notifications asynchronous; the plan analyze makes of it is
//     committed there as decompose-plan.yaml.
//   - planted: the same code and plan, with one violation of each kind.
type shop struct {
	accepted, planted string
	plan              []byte
}

var (
	shopOnce sync.Once
	shopFix  *shop
	shopErr  error
)

// fixtureDirs are removed by TestMain.
var fixtureDirs []string

func shopFixture(t *testing.T) *shop {
	t.Helper()
	return shopFixtureB(t)
}

// shopFixtureB is shopFixture for tests and benchmarks alike.
func shopFixtureB(tb testing.TB) *shop {
	tb.Helper()
	shopOnce.Do(func() { shopFix, shopErr = makeShop() })
	if shopErr != nil {
		tb.Fatal(shopErr)
	}
	return shopFix
}

func makeShop() (*shop, error) {
	os.Setenv("GOPROXY", "off") // no test reaches the network
	dir, err := os.MkdirTemp("", "decompose-check")
	if err != nil {
		return nil, err
	}
	fixtureDirs = append(fixtureDirs, dir)
	s := &shop{accepted: filepath.Join(dir, "accepted"), planted: filepath.Join(dir, "planted")}
	if err := copyTree("../../testdata/shop", s.accepted); err != nil {
		return nil, err
	}
	if err := edit(filepath.Join(s.accepted, "checkout/order.go"),
		"\tif err := s.notify.OrderConfirmed(ctx, c); err != nil {\n\t\tlog.Error(ctx, \"queue order confirmation\", \"order\", order.ID, \"err\", err)\n\t}\n",
		"\ts.notify.OrderConfirmed(ctx, c) // fire and forget: the outbox retries\n"); err != nil {
		return nil, err
	}
	// the accepted plan, made as analyze makes it (the model is cached
	// on the way, for the checks of the same code)
	m, _, err := pipeline.Load(context.Background(), analysis.Config{Dir: s.accepted}, analysis.DefaultAlgorithm, false)
	if err != nil {
		return nil, err
	}
	pipeline.Wait()
	dec, err := cluster.Cluster(m, cluster.DefaultConfig())
	if err != nil {
		return nil, err
	}
	if s.plan, err = plan.MarshalYAML(plan.Build(m, dec, plan.DefaultConfig())); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(s.accepted, DefaultPlanName), s.plan, 0o644); err != nil {
		return nil, err
	}
	if err := copyTree(s.accepted, s.planted); err != nil {
		return nil, err
	}
	for _, e := range plants {
		if err := edit(filepath.Join(s.planted, e.file), e.old, e.new); err != nil {
			return nil, err
		}
	}
	reviews := filepath.Join(s.planted, "reviews")
	if err := os.MkdirAll(reviews, 0o755); err != nil {
		return nil, err
	}
	return s, os.WriteFile(filepath.Join(reviews, "reviews.go"), []byte(reviewsGo), 0o644)
}

// plants are the violations planted in the shop, one of each kind.
var plants = []struct{ file, old, new string }{
	// a call from checkout into catalog's internals (its stock admin),
	// and a call that waits on the asynchronous checkout → notifications
	{"checkout/order.go", "\tif err := s.catalog.Release(ctx, stockLines(order.Items)); err != nil {\n\t\tlog.Error(ctx, \"release stock of cancelled order\", \"order\", order.ID, \"err\", err)\n\t}\n\treturn order, nil",
		"\tif err := s.catalog.Release(ctx, stockLines(order.Items)); err != nil {\n\t\tlog.Error(ctx, \"release stock of cancelled order\", \"order\", order.ID, \"err\", err)\n\t}\n" +
			"\tfor _, it := range order.Items {\n\t\tif err := s.catalog.SetStock(ctx, it.ProductID, 0); err != nil {\n\t\t\treturn Order{}, err\n\t\t}\n\t}\n" +
			"\tif err := s.notify.OrderConfirmed(ctx, notifications.OrderConfirmation{OrderID: order.ID, Email: order.Email}); err != nil {\n\t\treturn Order{}, err\n\t}\n\treturn order, nil"},
	// a new global, written by the place-order handler
	{"checkout/order.go", "// sendConfirmation queues", "// LastPlaced is the ID of the last order placed.\nvar LastPlaced int64\n\n// sendConfirmation queues"},
	{"handlers/checkout.go", "\tw.Header().Set(\"Location\", \"/orders/\"+strconv.FormatInt(order.ID, 10))", "\tcheckout.LastPlaced = order.ID\n\tw.Header().Set(\"Location\", \"/orders/\"+strconv.FormatInt(order.ID, 10))"},
	// inside the split handlers package: a shipping handler uses
	// checkout's error mapping
	{"handlers/shipping.go", "\t\tfail(w, r, http.StatusInternalServerError, err)\n\t\treturn\n\t}\n\tsh, err := s.Shipping.ForOrder", "\t\tfail(w, r, checkoutStatus(err), err)\n\t\treturn\n\t}\n\tsh, err := s.Shipping.ForOrder"},
}

// reviewsGo is a new package that no context owns.
const reviewsGo = `// Package reviews holds product reviews.
package reviews

// Stars draws a rating.
func Stars(n int) string {
	s := ""
	for i := 0; i < n; i++ {
		s += "*"
	}
	return s
}
`

func edit(path, old, new string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !strings.Contains(string(data), old) {
		return &fs.PathError{Op: "edit", Path: path, Err: fs.ErrNotExist}
	}
	return os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644)
}

func prepend(path, text string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(text), data...), 0o644)
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

// goldenCheck compares got with testdata/check/name, or rewrites it with
// -update.
func goldenCheck(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "check", name), []byte(got))
}

func TestCheckAcceptedIsClean(t *testing.T) {
	s := shopFixture(t)
	for _, format := range []string{"text", "json"} {
		code, stdout, stderr := run(t, "check", "-C", s.accepted, "--format", format)
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %s, stdout %s", format, code, stderr, stdout)
		}
		if format == "text" && stdout != "" {
			t.Errorf("the plan of the code itself reports:\n%s", stdout)
		}
		if format == "json" && !strings.Contains(stdout, `"violations": 0,`) {
			t.Errorf("json: %s", stdout)
		}
	}
	// part of the program: the plan's other packages are no errors, and
	// a part is not clustered for drift
	if code, stdout, stderr := run(t, "check", "-C", s.accepted, "./checkout/...", "./handlers/..."); code != 0 || stdout != "" {
		t.Errorf("part of the program: exit %d, stdout %s, stderr %s", code, stdout, stderr)
	}
	// the accepted plan holds the async edge the plants break
	if !strings.Contains(string(s.plan), "callee: example.com/shop/notifications.Service.OrderConfirmed\n    signature: func(ctx context.Context, c notifications.OrderConfirmation) error\n    sites: 1\n    async: 1\n") {
		t.Fatal("the accepted plan does not make checkout → notifications asynchronous")
	}
}

// TestCheckPlanted asserts the exact reports of every kind, in every
// format.
func TestCheckPlanted(t *testing.T) {
	s := shopFixture(t)
	t.Setenv("GITHUB_ACTIONS", "")
	formats := []struct{ golden, format, github string }{
		{"planted.txt", "text", ""},
		{"planted.json", "json", ""},
		{"planted.sarif", "sarif", ""},
		{"planted.github", "text", "true"},
	}
	for _, f := range formats {
		t.Run(f.golden, func(t *testing.T) {
			t.Setenv("GITHUB_ACTIONS", f.github)
			code, stdout, stderr := run(t, "check", "-C", s.planted, "--format", f.format)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
			}
			if stderr != "decompose: 5 violations of decompose-plan.yaml\n" {
				t.Errorf("stderr %q", stderr)
			}
			goldenCheck(t, f.golden, stdout)
		})
	}
	t.Run("sarif is valid", func(t *testing.T) {
		_, stdout, _ := run(t, "check", "-C", s.planted, "--format", "sarif")
		var log struct {
			Version string
			Runs    []struct {
				Tool struct {
					Driver struct {
						Version, InformationURI string
					}
				}
				Results []struct {
					RuleID              string
					PartialFingerprints map[string]string
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &log); err != nil {
			t.Fatal(err)
		}
		d := log.Runs[0].Tool.Driver
		// no information URI unless the build sets one
		if log.Version != "2.1.0" || d.Version == "" || d.InformationURI != informationURI {
			t.Errorf("version %q, driver %+v", log.Version, d)
		}
		for _, r := range log.Runs[0].Results {
			if len(r.PartialFingerprints["decompose/v1"]) != 16 {
				t.Errorf("%s: fingerprints %v", r.RuleID, r.PartialFingerprints)
			}
		}
	})
}

// TestCheckSARIFAndSummaryFiles: one run prints the text and writes the
// SARIF log and the summary, as the GitHub Action runs it; the summary is
// appended to what the file holds.
func TestCheckSARIFAndSummaryFiles(t *testing.T) {
	s := shopFixture(t)
	t.Setenv("GITHUB_ACTIONS", "")
	dir := t.TempDir()
	sarifFile, summaryFile := filepath.Join(dir, "check.sarif"), filepath.Join(dir, "summary.md")
	os.WriteFile(summaryFile, []byte("an earlier step's summary\n"), 0o644)
	code, stdout, stderr := run(t, "check", "-C", s.planted, "--sarif", sarifFile, "--summary", summaryFile)
	if code != 1 || stderr != "decompose: 5 violations of decompose-plan.yaml\n" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	goldenCheck(t, "planted.txt", stdout)
	sarifLog, err := os.ReadFile(sarifFile)
	if err != nil {
		t.Fatal(err)
	}
	goldenCheck(t, "planted.sarif", string(sarifLog))
	summary, err := os.ReadFile(summaryFile)
	if err != nil {
		t.Fatal(err)
	}
	earlier, ours, ok := strings.Cut(string(summary), "\n")
	if !ok || earlier != "an earlier step's summary" {
		t.Errorf("the summary replaced what the file held:\n%s", summary)
	}
	goldenCheck(t, "planted.summary.md", ours)

	// the accepted code: a clean summary
	code, _, stderr = run(t, "check", "-C", s.accepted, "--summary", summaryFile)
	if code != 0 {
		t.Fatalf("accepted: exit %d, stderr %q", code, stderr)
	}
	summary, _ = os.ReadFile(summaryFile)
	if !strings.HasSuffix(string(summary), "\n### decompose check: no violations of `decompose-plan.yaml`\n") {
		t.Errorf("clean summary:\n%s", summary)
	}
	// a folder that does not exist: one line, exit 2
	code, _, stderr = run(t, "check", "-C", s.accepted, "--sarif", filepath.Join(dir, "none", "check.sarif"))
	if want := "decompose: --sarif: open " + filepath.Join(dir, "none", "check.sarif") + ": no such file or directory\n"; code != 2 || stderr != want {
		t.Errorf("exit %d, stderr %q, want 2 and %q", code, stderr, want)
	}
}

// TestCheckFingerprintsSurviveLineMoves moves every planted line down
// and finds the same fingerprints at other positions.
func TestCheckFingerprintsSurviveLineMoves(t *testing.T) {
	s := shopFixture(t)
	moved := filepath.Join(t.TempDir(), "moved")
	if err := copyTree(s.planted, moved); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"checkout/order.go", "handlers/checkout.go", "handlers/shipping.go", "reviews/reviews.go"} {
		if err := prepend(filepath.Join(moved, f), "// A comment that moves every line below it.\n\n"); err != nil {
			t.Fatal(err)
		}
	}
	prints := func(dir string) (map[string]bool, map[string]bool) {
		_, stdout, _ := run(t, "check", "-C", dir, "--format", "json")
		var out struct {
			Reports []struct{ Pos, Fingerprint string }
		}
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatal(err)
		}
		fps, pos := map[string]bool{}, map[string]bool{}
		for _, r := range out.Reports {
			fps[r.Fingerprint] = true
			pos[r.Pos] = true
		}
		return fps, pos
	}
	before, posBefore := prints(s.planted)
	after, posAfter := prints(moved)
	if len(before) != 5 || len(after) != len(before) {
		t.Fatalf("fingerprints before %v, after %v", before, after)
	}
	for fp := range before {
		if !after[fp] {
			t.Errorf("fingerprint %s lost when lines moved", fp)
		}
	}
	for p := range posAfter {
		if posBefore[p] {
			t.Errorf("position %s did not move: the test moves nothing", p)
		}
	}
}

// TestCheckSilenced adds to the accepted plan what the team would accept
// of each violation, one at a time and all together: each silences its
// own reports and no other.
func TestCheckSilenced(t *testing.T) {
	s := shopFixture(t)
	contract := func(caller, callee, to, style string) string {
		return "contracts:\n  - from: checkout\n    to: " + to + "\n    caller: example.com/shop/checkout.Service." + caller +
			"\n    callee: " + callee + "\n    sites: 1\n    pos: checkout/order.go:1:1\n    style: " + style + "\n"
	}
	type change struct{ old, new string }
	accept := map[string]change{
		"boundary: the call into catalog's stock admin": {"contracts:\n", contract("Cancel", "example.com/shop/catalog.Service.SetStock", "catalog", "sync")},
		"sync-on-async: the confirmation that waits":    {"contracts:\n", contract("Cancel", "example.com/shop/notifications.Service.OrderConfirmed", "notifications", "sync")},
		"unowned: the reviews package":                  {"shared_kernel:\n", "shared_kernel:\n  - example.com/shop/reviews\n"},
		"new-blocker: LastPlaced":                       {"findings:\n", "findings:\n  - check: global-singleton\n    severity: blocker\n    object: example.com/shop/checkout.LastPlaced\n    contexts:\n      - checkout\n    message: accepted until orders count in the database\n"},
		// the call inside the split package is accepted by moving
		// checkoutStatus from checkout's members to the kernel's
		"boundary: the shipping handler's status": {"          - checkoutStatus\n", ""},
	}
	kernelHandlers := "kernel:\n  infrastructure:\n"
	_, all, _ := run(t, "check", "-C", s.planted, "--no-drift")
	lines := strings.Split(strings.TrimSpace(all), "\n")
	if len(lines) != 5 {
		t.Fatalf("planted reports:\n%s", all)
	}
	dir := t.TempDir()
	combined := string(s.plan)
	for name, c := range accept {
		p := string(s.plan)
		if !strings.Contains(p, c.old) {
			t.Fatalf("%s: the plan has no %q", name, c.old)
		}
		p = strings.Replace(p, c.old, c.new, 1)
		combined = strings.Replace(combined, c.old, c.new, 1)
		if strings.HasPrefix(name, "boundary: the shipping") {
			p = addKernelMember(t, p, kernelHandlers)
			combined = addKernelMember(t, combined, kernelHandlers)
		}
		file := filepath.Join(dir, strings.NewReplacer(" ", "-", ":", "", "'", "").Replace(name)+".yaml")
		os.WriteFile(file, []byte(p), 0o644)
		code, stdout, stderr := run(t, "check", "-C", s.planted, "--plan", file, "--no-drift")
		got := strings.Split(strings.TrimSpace(stdout), "\n")
		if code != 1 || len(got) != 4 {
			t.Errorf("%s: exit %d, want 1 with 4 reports of 5; stderr %s\n%s", name, code, stderr, stdout)
			continue
		}
		for _, l := range got {
			if !strings.Contains(all, l) {
				t.Errorf("%s: a report that was not there: %s", name, l)
			}
		}
		rule, _, _ := strings.Cut(name, ":")
		silenced := 0
		for _, l := range lines {
			if !strings.Contains(stdout, l) {
				silenced++
				if !strings.Contains(l, map[string]string{"boundary": "→", "sync-on-async": "asynchronous", "unowned": "new package", "new-blocker": "new blocker"}[rule]) {
					t.Errorf("%s silenced another report: %s", name, l)
				}
			}
		}
		if silenced != 1 {
			t.Errorf("%s silenced %d reports, want 1", name, silenced)
		}
	}
	file := filepath.Join(dir, "all.yaml")
	os.WriteFile(file, []byte(combined), 0o644)
	// advice alone is no violation: moving checkoutStatus to the kernel
	// is drift from what the clustering would do
	code, stdout, stderr := run(t, "check", "-C", s.planted, "--plan", file)
	if want := "handlers/checkout.go:212:6: drift: the clustering would now place declaration handlers.checkoutStatus in checkout, not shared-kernel\n"; code != 0 || stdout != want || stderr != "" {
		t.Errorf("everything accepted: exit %d, stdout %s, stderr %s; want exit 0 and\n%s", code, stdout, stderr, want)
	}
}

// addKernelMember lists handlers.checkoutStatus among the kernel's
// members.
func addKernelMember(t *testing.T, p, at string) string {
	t.Helper()
	const members = "  members:\n    - package: example.com/shop/handlers\n      decls:\n"
	i := strings.Index(p, at)
	if i < 0 {
		t.Fatalf("the plan has no %q", at)
	}
	j := strings.Index(p[i:], members)
	if j < 0 {
		t.Fatalf("the kernel has no members of handlers")
	}
	k := i + j + len(members)
	return p[:k] + "        - checkoutStatus\n" + p[k:]
}

func TestCheckBadInput(t *testing.T) {
	s := shopFixture(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(content), 0o644)
		return path
	}
	p := string(s.plan)
	replace := func(old, new string) string {
		if !strings.Contains(p, old) {
			t.Fatalf("the plan has no %q", old)
		}
		return strings.Replace(p, old, new, 1)
	}
	line := func(needle string) string { // the line of needle in p, 1-based
		i := strings.Index(p, needle)
		if i < 0 {
			t.Fatalf("the plan has no %q", needle)
		}
		return itoa(strings.Count(p[:i], "\n") + 1)
	}
	notYAML := write("notyaml.yaml", "schema: decompose/v1\ncontexts:\n\t- name: a\n")
	twice := write("twice.yaml", replace("  - name: shipping\n", "  - name: catalog\n"))
	unknownKey := write("unknown.yaml", replace("  - name: shipping\n", "  - name: shipping\n    packges: []\n"))
	nothing := write("nothing.yaml", replace("shared_kernel:\n", "shared_kernel:\n  - example.com/shop/nothing/...\n"))
	staleDecl := write("stale.yaml", replace("          - checkoutStatus\n", "          - checkoutStatuz\n"))
	badStyle := write("style.yaml", replace("    style: async\n", "    style: eventually\n"))
	noSchema := write("noschema.yaml", "contexts: []\n")
	tests := []struct {
		name, want string
		args       []string
	}{
		{"does not parse", "decompose: " + notYAML + ":3: found character that cannot start any token\n", []string{"--plan", notYAML}},
		{"context named twice", "decompose: " + twice + ":" + line("  - name: shipping\n") + ":11: context catalog named twice (first at line " + line("  - name: catalog\n") + ")\n", []string{"--plan", twice}},
		{"unknown key", "decompose: " + unknownKey + ":" + itoa(atoi(line("  - name: shipping\n"))+1) + ": field packges not found in type plan.Context\n", []string{"--plan", unknownKey}},
		{"pattern matches nothing", "decompose: " + nothing + ":" + itoa(atoi(line("shared_kernel:\n"))+1) + ":5: pattern example.com/shop/nothing/... matches no package of the program\n", []string{"--plan", nothing}},
		{"stale member", "decompose: " + staleDecl + ":" + line("          - checkoutStatus\n") + ":13: example.com/shop/handlers has no declaration checkoutStatuz\n", []string{"--plan", staleDecl}},
		{"bad style", "decompose: " + badStyle + ":" + line("    style: async\n") + ":12: contract style \"eventually\", want sync or async\n", []string{"--plan", badStyle}},
		{"no schema", "decompose: " + noSchema + ":1: not a plan: no schema key (want schema: decompose/v1)\n", []string{"--plan", noSchema}},
		{"no plan", "decompose: no decompose-plan.yaml in " + dir + ": commit the plan.yaml that analyze --out writes under that name, or name it with --plan\n", []string{"-C", dir}},
		{"missing plan", "decompose: read plan " + filepath.Join(dir, "none.yaml") + ": no such file or directory\n", []string{"--plan", filepath.Join(dir, "none.yaml")}},
		{"bad format", "decompose: unknown --format \"xml\": want text, json or sarif\n", []string{"--format", "xml"}},
		{"package pattern matches nothing", "decompose: no Go packages match ./nothing/... in " + s.accepted + ": pattern ./nothing/...: lstat ./nothing/: no such file or directory\n", []string{"./nothing/..."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"check", "-C", s.accepted}, tt.args...)
			if tt.args[0] == "-C" {
				args = append([]string{"check"}, tt.args...)
			}
			code, stdout, stderr := run(t, args...)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d, want 2; stdout %q", code, stdout)
			}
			if stderr != tt.want {
				t.Errorf("stderr\n%q\nwant\n%q", stderr, tt.want)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// TestCheckNewFromRev checks a throwaway git repository, with the shop in
// a folder of it: the new package was committed already, the calls planted
// after the commit are new.
func TestCheckNewFromRev(t *testing.T) {
	s := shopFixture(t)
	repo := filepath.Join(t.TempDir(), "repo")
	shop := filepath.Join(repo, "shop")
	if err := copyTree(s.accepted, shop); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(shop, "reviews"), 0o755)
	os.WriteFile(filepath.Join(shop, "reviews", "reviews.go"), []byte(reviewsGo), 0o644)
	gitRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	gitRun("init", "-q")
	gitRun("add", ".")
	gitRun("commit", "-q", "-m", "the shop with a reviews package nobody owns")
	if err := edit(filepath.Join(shop, plants[0].file), plants[0].old, plants[0].new); err != nil {
		t.Fatal(err)
	}
	status := gitRun("status", "--porcelain")

	_, all, _ := run(t, "check", "-C", shop)
	code, stdout, stderr := run(t, "check", "-C", shop, "--new-from-rev", "HEAD")
	if code != 1 || stderr != "decompose: 2 violations of decompose-plan.yaml\n" {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(all), "\n") {
		if !strings.Contains(l, "reviews") {
			want = append(want, l)
		}
	}
	if len(want) != 2 || stdout != strings.Join(want, "\n")+"\n" {
		t.Errorf("new since HEAD:\n%s\nwant the reports of all but the reviews package:\n%s", stdout, all)
	}
	// nothing left behind in the repository
	if got := gitRun("status", "--porcelain"); got != status {
		t.Errorf("git status changed:\n%s\nwas:\n%s", got, status)
	}
	if got := gitRun("worktree", "list", "--porcelain"); strings.Count(got, "worktree ") != 1 {
		t.Errorf("worktrees left:\n%s", got)
	}
	// the plan's own revision: nothing is new once it is committed
	gitRun("commit", "-q", "-a", "-m", "the planted calls")
	if code, stdout, _ := run(t, "check", "-C", shop, "--new-from-rev", "HEAD"); code != 0 || stdout != "" {
		t.Errorf("nothing new since HEAD: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := run(t, "check", "-C", shop, "--new-from-rev", "HEAD~1", "--format", "json"); code != 1 || !strings.Contains(stdout, `"violations": 2,`) || !strings.Contains(stdout, `"pos": "checkout/order.go:232:31"`) {
		t.Errorf("new since HEAD~1: exit %d\n%s", code, stdout)
	}

	// GitHub and SARIF take positions from the repository's root
	t.Setenv("GITHUB_ACTIONS", "true")
	_, stdout, _ = run(t, "check", "-C", shop, "--new-from-rev", "HEAD~1")
	if !strings.HasPrefix(stdout, "::error file=shop/checkout/order.go,line=232,col=31,") {
		t.Errorf("annotation not relative to the repository:\n%s", stdout)
	}
	_, stdout, _ = run(t, "check", "-C", shop, "--new-from-rev", "HEAD~1", "--format", "sarif")
	if !strings.Contains(stdout, `"uri": "shop/checkout/order.go"`) {
		t.Errorf("SARIF not relative to the repository:\n%s", stdout)
	}
	t.Setenv("GITHUB_ACTIONS", "")

	real := func(dir string) string {
		r, err := filepath.EvalSymlinks(dir)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tt := range []struct{ name, dir, rev, want string }{
		{"no such revision", shop, "nosuch", "decompose: --new-from-rev: no revision \"nosuch\" in " + real(repo) + "\n"},
		{"not a repository", s.accepted, "HEAD", "decompose: --new-from-rev: " + real(s.accepted) + " is not in a git work tree\n"},
	} {
		code, stdout, stderr := run(t, "check", "-C", tt.dir, "--new-from-rev", tt.rev)
		if code != 2 || stdout != "" || stderr != tt.want {
			t.Errorf("%s: exit %d, stderr %q, want exit 2 and %q", tt.name, code, stderr, tt.want)
		}
	}
}

// TestCheckOwnPlanIsClean holds the layered clinic, whose packages are all
// split between five contexts, to the plan analyze makes of it: no
// violation, no drift.
func TestCheckOwnPlanIsClean(t *testing.T) {
	shopFixture(t) // the environment of the tests
	dir := "../../testdata/clinic"
	m, _, err := pipeline.Load(context.Background(), analysis.Config{Dir: dir}, analysis.DefaultAlgorithm, false)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := cluster.Cluster(m, cluster.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	data, err := plan.MarshalYAML(plan.Build(m, dec, plan.DefaultConfig()))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\ncontracts:\n") || !strings.Contains(string(data), "members:") {
		t.Fatal("the clinic's plan has no contracts or no split packages: the test checks nothing")
	}
	file := filepath.Join(t.TempDir(), "plan.yaml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "check", "-C", dir, "--plan", file)
	if code != 0 || stdout != "" || stderr != "" {
		t.Errorf("exit %d, stderr %s, reports:\n%s", code, stderr, stdout)
	}
}
