package plandiff

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"decompose/cmd/internal/check"
	"decompose/emit/golden"
)

// spec is a hand-built plan, written as YAML and read as check reads it.
type spec struct {
	module        string
	contexts      []ctx
	kernel        []string
	kernelMembers []member
	ignored       []string
	ignoredDecls  []string
	contracts     []contract
	findings      []finding
}

type ctx struct {
	name      string
	packages  []string
	members   []member
	dependsOn []string
}

type member struct {
	pkg   string
	decls []string
}

type contract struct{ from, to, caller, callee, style string }

type finding struct {
	check, severity, object, decl, pos string
	contexts                           []string
}

func (s spec) yaml() string {
	var b strings.Builder
	fmt.Fprintf(&b, "schema: decompose/v1\nmodule: %s\ncontexts:\n", s.module)
	list := func(indent, key string, vals []string) {
		if len(vals) == 0 {
			return
		}
		fmt.Fprintf(&b, "%s%s:\n", indent, key)
		for _, v := range vals {
			fmt.Fprintf(&b, "%s  - %s\n", indent, v)
		}
	}
	members := func(indent string, ms []member) {
		if len(ms) == 0 {
			return
		}
		fmt.Fprintf(&b, "%smembers:\n", indent)
		for _, m := range ms {
			fmt.Fprintf(&b, "%s  - package: %s\n", indent, m.pkg)
			list(indent+"    ", "decls", m.decls)
		}
	}
	for _, c := range s.contexts {
		fmt.Fprintf(&b, "  - name: %s\n    packages: [%s]\n", c.name, strings.Join(c.packages, ", "))
		members("    ", c.members)
		if len(c.dependsOn) > 0 {
			fmt.Fprintf(&b, "    metrics:\n      depends_on: [%s]\n", strings.Join(c.dependsOn, ", "))
		}
	}
	fmt.Fprintf(&b, "shared_kernel: [%s]\n", strings.Join(s.kernel, ", "))
	if len(s.kernelMembers) > 0 {
		b.WriteString("kernel:\n")
		members("  ", s.kernelMembers)
	}
	list("", "ignored", s.ignored)
	list("", "ignored_decls", s.ignoredDecls)
	b.WriteString("findings:\n")
	for _, f := range s.findings {
		fmt.Fprintf(&b, "  - check: %s\n    severity: %s\n    object: %s\n    pos: %s\n    contexts: [%s]\n    message: %s of %s\n", f.check, f.severity, f.object, f.pos, strings.Join(f.contexts, ", "), f.check, f.object)
		if f.decl != "" {
			fmt.Fprintf(&b, "    decl: %s\n", f.decl)
		}
	}
	if len(s.contracts) > 0 {
		b.WriteString("contracts:\n")
		for _, c := range s.contracts {
			fmt.Fprintf(&b, "  - from: %s\n    to: %s\n    caller: %s\n    callee: %s\n    style: %s\n", c.from, c.to, c.caller, c.callee, c.style)
		}
	}
	return b.String()
}

func (s spec) parse(t *testing.T, file string) *check.Accepted {
	t.Helper()
	a, err := check.ParseAccepted(file, []byte(s.yaml()))
	if err != nil {
		t.Fatalf("%v\n%s", err, s.yaml())
	}
	return a
}

// base is a small plan: orders and billing share the split package web,
// users stands alone; orders calls billing through two contracts.
func base() spec {
	return spec{
		module: "m",
		contexts: []ctx{
			{name: "orders", packages: []string{"m/orders", "m/orders/invoice"}, members: []member{{"m/web", []string{"OrderView", "Server.PlaceOrder"}}}, dependsOn: []string{"billing"}},
			{name: "billing", packages: []string{"m/billing"}, members: []member{{"m/web", []string{"Server.Pay"}}}},
			{name: "users", packages: []string{"m/users", "m/users/password"}},
		},
		kernel:        []string{"m/cmd/app", "m/lib/log"},
		kernelMembers: []member{{"m/web", []string{"NewServer", "Server"}}},
		contracts: []contract{
			{"orders", "billing", "m/orders.Place", "m/billing.Service.Charge", "sync"},
			{"orders", "billing", "m/orders.Retry", "m/billing.Service.Charge", "sync"},
			{"orders", "billing", "m/orders.Cancel", "m/billing.Service.Refund", "async"},
		},
		findings: []finding{
			{check: "global-mutable", severity: "blocker", object: "m/orders.cache", pos: "orders/cache.go:3:5", contexts: []string{"orders"}},
			{check: "goroutine", severity: "warning", object: "m/billing.Worker.Run", decl: "m/cmd/app.main", pos: "cmd/app/main.go:20:2", contexts: []string{"billing", "shared-kernel"}},
		},
	}
}

// contextNamed returns the context of s with that name.
func (s *spec) context(t *testing.T, name string) *ctx {
	t.Helper()
	for i := range s.contexts {
		if s.contexts[i].name == name {
			return &s.contexts[i]
		}
	}
	t.Fatalf("no context %s", name)
	return nil
}

// summary is a diff in short lines, for the table's expectations.
func summary(d *Diff) []string {
	var out []string
	for _, c := range d.Contexts {
		if c.Change != ContextKept {
			out = append(out, fmt.Sprintf("context %s %s→%s %.2f", c.Change, c.Old, c.New, c.Overlap))
		}
	}
	for _, m := range d.Moved {
		out = append(out, fmt.Sprintf("moved %s %s %s→%s", m.Kind, m.Unit, m.From, m.To))
	}
	for _, u := range d.UnitsAdded {
		out = append(out, fmt.Sprintf("unit added %s %s in %s", u.Kind, u.Unit, u.Context))
	}
	for _, u := range d.UnitsRemoved {
		out = append(out, fmt.Sprintf("unit removed %s %s from %s", u.Kind, u.Unit, u.Context))
	}
	for _, c := range d.Contracts {
		out = append(out, words("contract %s %s→%s %s %s %s", c.Change, c.From, c.To, c.Callee, c.OldStyle, c.Style))
	}
	for _, c := range d.DependsOn {
		out = append(out, fmt.Sprintf("depends_on %s %s→%s", c.Change, c.From, c.To))
	}
	for _, f := range d.Findings {
		ctxs := "[" + strings.Join(f.Contexts, ",") + "]"
		if f.OldContexts != nil {
			ctxs = "[" + strings.Join(f.OldContexts, ",") + "]→" + ctxs
		}
		out = append(out, words("finding %s %s %s %s %s %s", f.Change, f.Check, f.Object, ctxs, f.OldSeverity, f.Severity))
	}
	return out
}

// words formats, with one space between words.
func words(format string, args ...any) string {
	return strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " ")
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, s *spec)
		want []string
	}{
		{"the same plan", func(t *testing.T, s *spec) {}, nil},
		{"lines move, order changes: no difference", func(t *testing.T, s *spec) {
			s.findings[0].pos = "orders/cache.go:30:5"
			slices.Reverse(s.contexts)
			slices.Reverse(s.contracts)
			slices.Reverse(s.findings)
		}, nil},
		{"a context renamed, same members: its contracts, dependencies and findings follow", func(t *testing.T, s *spec) {
			s.context(t, "orders").name = "checkout"
			for i := range s.contracts {
				s.contracts[i].from = "checkout"
			}
			s.findings[0].contexts = []string{"checkout"}
		}, []string{"context renamed orders→checkout 1.00"}},
		{"a package moves", func(t *testing.T, s *spec) {
			o := s.context(t, "orders")
			o.packages = o.packages[:1]
			b := s.context(t, "billing")
			b.packages = append(b.packages, "m/orders/invoice")
		}, []string{"moved package m/orders/invoice orders→billing"}},
		{"a declaration of a split package moves to the kernel", func(t *testing.T, s *spec) {
			o := s.context(t, "orders")
			o.members[0].decls = []string{"Server.PlaceOrder"}
			s.kernelMembers[0].decls = append(s.kernelMembers[0].decls, "OrderView")
		}, []string{"moved declaration m/web.OrderView orders→shared-kernel"}},
		{"a package joins a context whole: its declarations move", func(t *testing.T, s *spec) {
			s.context(t, "orders").members = nil
			s.context(t, "billing").members = nil
			s.kernelMembers = nil
			o := s.context(t, "orders")
			o.packages = append(o.packages, "m/web")
		}, []string{
			"moved declaration m/web.NewServer shared-kernel→orders",
			"moved declaration m/web.Server shared-kernel→orders",
			"moved declaration m/web.Server.Pay billing→orders",
		}},
		{"a method follows its type", func(t *testing.T, s *spec) {
			// Server.Pay is no longer listed on its own: it goes with
			// Server, to the kernel
			s.context(t, "billing").members = nil
		}, []string{"moved declaration m/web.Server.Pay billing→shared-kernel"}},
		{"a context added with new code, one removed into the kernel", func(t *testing.T, s *spec) {
			s.contexts = append(s.contexts, ctx{name: "reviews", packages: []string{"m/reviews"}})
			s.contexts = slices.DeleteFunc(s.contexts, func(c ctx) bool { return c.name == "users" })
			s.kernel = append(s.kernel, "m/users", "m/users/password")
		}, []string{
			"context added →reviews 0.00",
			"context removed users→ 0.00",
			"moved package m/users users→shared-kernel",
			"moved package m/users/password users→shared-kernel",
			"unit added package m/reviews in reviews",
		}},
		{"a package deleted, one ignored", func(t *testing.T, s *spec) {
			u := s.context(t, "users")
			u.packages = []string{"m/users"}
			s.kernel = s.kernel[1:]
			s.ignored = []string{"m/cmd/app"}
		}, []string{
			"moved package m/cmd/app shared-kernel→(ignored)",
			"unit removed package m/users/password from users",
		}},
		{"an ignored declaration", func(t *testing.T, s *spec) {
			s.ignoredDecls = []string{"m/web.OrderView"}
			s.context(t, "orders").members[0].decls = []string{"Server.PlaceOrder"}
		}, []string{"moved declaration m/web.OrderView orders→(ignored)"}},
		{"a pattern stands for its packages", func(t *testing.T, s *spec) {
			s.context(t, "users").packages = []string{"m/users/..."}
		}, nil},
		{"a renamed context that grew", func(t *testing.T, s *spec) {
			// users {users, users/password} → accounts {users,
			// users/password, users/admin}: renamed at 2/3
			u := s.context(t, "users")
			u.name = "accounts"
			u.packages = append(u.packages, "m/users/admin")
		}, []string{"context renamed users→accounts 0.67", "unit added package m/users/admin in accounts"}},
		{"an even split: ties go to the first name", func(t *testing.T, s *spec) {
			s.context(t, "users").packages = []string{"m/users"}
			s.contexts = append(s.contexts, ctx{name: "passwords", packages: []string{"m/users/password"}})
			s.context(t, "users").name = "sessions"
		}, []string{
			"context renamed users→passwords 0.50",
			"context added →sessions 0.00",
			"moved package m/users users→sessions",
		}},
		{"below the overlap, the same name keeps a context", func(t *testing.T, s *spec) {
			u := s.context(t, "users")
			u.packages = append(u.packages, "m/users/a", "m/users/b", "m/users/c")
		}, []string{
			"unit added package m/users/a in users",
			"unit added package m/users/b in users",
			"unit added package m/users/c in users",
		}},
		{"a rename and a new context of the old name", func(t *testing.T, s *spec) {
			s.context(t, "users").name = "accounts"
			s.contexts = append(s.contexts, ctx{name: "users", packages: []string{"m/people"}})
		}, []string{
			"context renamed users→accounts 1.00",
			"context added →users 0.00",
			"unit added package m/people in users",
		}},
		{"contracts added, removed, restyled; one of two callers removed is no change", func(t *testing.T, s *spec) {
			s.contracts = []contract{
				{"orders", "billing", "m/orders.Place", "m/billing.Service.Charge", "sync"},
				{"orders", "billing", "m/orders.Cancel", "m/billing.Service.Refund", "sync"},
				{"users", "billing", "m/users.Close", "m/billing.Service.Close", "async"},
			}
		}, []string{
			"contract added users→billing m/billing.Service.Close async",
			"contract restyled orders→billing m/billing.Service.Refund async sync",
		}},
		{"a contract removed", func(t *testing.T, s *spec) {
			s.contracts = s.contracts[2:]
		}, []string{"contract removed orders→billing m/billing.Service.Charge sync"}},
		{"allowed dependencies", func(t *testing.T, s *spec) {
			s.context(t, "orders").dependsOn = nil
			s.context(t, "users").dependsOn = []string{"orders", "billing"}
		}, []string{
			"depends_on added users→billing",
			"depends_on added users→orders",
			"depends_on removed orders→billing",
		}},
		{"findings opened, closed and changed", func(t *testing.T, s *spec) {
			s.findings[0].severity = "warning"
			s.findings[1].object = "m/billing.Worker.Loop"
			s.findings = append(s.findings, finding{check: "global-singleton", severity: "blocker", object: "m/users.sessions", pos: "users/s.go:1:5", contexts: []string{"users"}})
		}, []string{
			"finding opened global-singleton m/users.sessions [users] blocker",
			"finding opened goroutine m/billing.Worker.Loop [billing,shared-kernel] warning",
			"finding closed goroutine m/billing.Worker.Run [billing,shared-kernel] warning",
			"finding changed global-mutable m/orders.cache [orders] blocker warning",
		}},
		{"a finding whose contexts change, not by a rename, is changed", func(t *testing.T, s *spec) {
			s.findings[0].contexts = []string{"orders", "users"}
		}, []string{"finding changed global-mutable m/orders.cache [orders]→[orders,users] blocker"}},
		{"a finding of another declaration is another finding", func(t *testing.T, s *spec) {
			s.findings[1].decl = "m/cmd/app.run"
		}, []string{
			"finding opened goroutine m/billing.Worker.Run [billing,shared-kernel] warning",
			"finding closed goroutine m/billing.Worker.Run [billing,shared-kernel] warning",
		}},
		{"a context removed, its name taken by a renamed one", func(t *testing.T, s *spec) {
			// users is gone into the kernel; billing is now called users
			s.contexts = slices.DeleteFunc(s.contexts, func(c ctx) bool { return c.name == "users" })
			s.kernel = append(s.kernel, "m/users", "m/users/password")
			s.context(t, "billing").name = "users"
			s.context(t, "orders").dependsOn = []string{"users"}
			for i := range s.contracts {
				s.contracts[i].to = "users"
			}
			s.findings[1].contexts = []string{"shared-kernel", "users"}
		}, []string{
			"context renamed billing→users 1.00",
			"context removed users→ 0.00",
			"moved package m/users users→shared-kernel",
			"moved package m/users/password users→shared-kernel",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := base(), base()
			tt.edit(t, &new)
			d, err := Compare(old.parse(t, "old.yaml"), new.parse(t, "new.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			got := summary(d)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
			if d.Differences != len(tt.want) {
				t.Errorf("%d differences, want %d", d.Differences, len(tt.want))
			}
			// the other way round, the same changes undone
			back, err := Compare(new.parse(t, "new.yaml"), old.parse(t, "old.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if back.Differences != d.Differences {
				t.Errorf("backwards: %d differences, forwards %d:\n\t%s", back.Differences, d.Differences, strings.Join(summary(back), "\n\t"))
			}
		})
	}
}

func TestCompareRefusesTwoModules(t *testing.T) {
	a, b := base(), base()
	b.module = "example.com/other"
	_, err := Compare(a.parse(t, "old.yaml"), b.parse(t, "new.yaml"))
	if want := "old.yaml is a plan of module m and new.yaml of module example.com/other: not two versions of one program's plan"; err == nil || err.Error() != want {
		t.Errorf("err %v, want %s", err, want)
	}
	// a hand-written plan without a module compares with any
	b.module = ""
	if _, err := Compare(a.parse(t, "old.yaml"), b.parse(t, "new.yaml")); err != nil {
		t.Error(err)
	}
}

// TestOutput compares the Markdown and JSON of a diff with every kind of
// change with golden files (go test -update rewrites them).
func TestOutput(t *testing.T) {
	old, new := base(), base()
	new.context(t, "orders").name = "checkout"
	for i := range new.contracts {
		new.contracts[i].from = "checkout"
	}
	new.contracts[2].style = "sync"
	new.contracts = append(new.contracts, contract{"users", "billing", "m/users.Close", "m/billing.Service.Close|Now", "async"})
	new.findings[0].contexts = []string{"checkout"}
	new.findings[1].severity = "blocker"
	new.findings[1].contexts = []string{"billing", "checkout"}
	new.findings = append(new.findings, finding{check: "global-singleton", severity: "blocker", object: "m/users.sessions", pos: "users/s.go:1:5", contexts: []string{"users"}})
	c := new.context(t, "checkout")
	c.packages = c.packages[:1]
	c.dependsOn = nil
	new.context(t, "billing").packages = append(new.context(t, "billing").packages, "m/orders/invoice")
	new.contexts = append(new.contexts, ctx{name: "reviews_*beta*", packages: []string{"m/reviews"}})
	d, err := Compare(old.parse(t, "old.yaml"), new.parse(t, "new.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, d); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "diff.md"), md.Bytes())
	js, err := MarshalJSON(d)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "diff.json"), js)

	same, err := Compare(old.parse(t, "old.yaml"), old.parse(t, "new.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	md.Reset()
	WriteMarkdown(&md, same)
	golden.Check(t, filepath.Join("testdata", "same.md"), md.Bytes())
	js, _ = MarshalJSON(same)
	golden.Check(t, filepath.Join("testdata", "same.json"), js)
}

// TestMarkdownCapsTables: a table stops at MaxRows rows and counts the
// rest.
func TestMarkdownCapsTables(t *testing.T) {
	old, new := base(), base()
	for i := range MaxRows + 7 {
		new.context(t, "users").packages = append(new.context(t, "users").packages, fmt.Sprintf("m/users/p%03d", i))
	}
	d, err := Compare(old.parse(t, "old.yaml"), new.parse(t, "new.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	WriteMarkdown(&md, d)
	out := md.String()
	if n := strings.Count(out, "| added | `users/p"); n != MaxRows {
		t.Errorf("%d rows, want %d", n, MaxRows)
	}
	if !strings.Contains(out, "\n… and 7 more: `decompose diff --format json` lists every one.\n") {
		t.Errorf("no count of the rest:\n%s", out)
	}
	if !strings.Contains(out, "57 units added") {
		t.Errorf("counts:\n%s", out)
	}
}
