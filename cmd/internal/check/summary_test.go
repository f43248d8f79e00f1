package check

import (
	"fmt"
	"strings"
	"testing"
)

func TestWriteSummary(t *testing.T) {
	res := &Result{}
	for i := range SummaryRows + 2 {
		res.Reports = append(res.Reports, Report{Rule: RuleBoundary, Pos: fmt.Sprintf("a/a.go:%d:1", i+1), From: "a", To: "b|c", Message: fmt.Sprintf("a → b|c: call %d", i)})
		res.Violations++
	}
	res.Reports = append(res.Reports,
		Report{Rule: RuleBlocker, Pos: "a/s.go:1:5", Contexts: []string{"a", "b"}, Message: "new blocker in a: <script>"},
		Report{Rule: RuleDrift, Advice: true, Pos: "a/d.go:1:1", From: "a", To: "b", Message: "drift"})
	res.Violations++
	var b strings.Builder
	if err := WriteSummary(&b, res, "plan.yaml", "origin/main"); err != nil {
		t.Fatal(err)
	}
	want := "### decompose check: 13 violations of `plan.yaml`, new since `origin/main`\n\n" +
		"| rule | reports |\n| --- | --- |\n| boundary | 12 |\n| new-blocker | 1 |\n| drift (advice) | 1 |\n\n" +
		"| position | rule | contexts | message |\n| --- | --- | --- | --- |\n"
	for i := range SummaryRows {
		want += fmt.Sprintf("| `a/a.go:%d:1` | boundary | a → b\\|c | a → b\\|c: call %d |\n", i+1, i)
	}
	want += "\n… and 3 more: the check's annotations and its SARIF log list every one.\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}

	b.Reset()
	WriteSummary(&b, &Result{Reports: []Report{{Rule: RuleDrift, Advice: true, Pos: "a/d.go:1:1", Message: "drift"}}}, "plan.yaml", "")
	if want := "### decompose check: no violations of `plan.yaml`\n\n| rule | reports |\n| --- | --- |\n| drift (advice) | 1 |\n"; b.String() != want {
		t.Errorf("advice only: got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	WriteSummary(&b, &Result{Reports: []Report{{Rule: RuleBlocker, Pos: "a/s.go:1:5", Contexts: []string{"a"}, Message: "new blocker in a: <b>x</b> *y*"}}, Violations: 1}, "plan.yaml", "")
	if !strings.Contains(b.String(), "| `a/s.go:1:5` | new-blocker | a | new blocker in a: &lt;b&gt;x&lt;/b&gt; \\*y\\* |\n") {
		t.Errorf("markup in a message is not escaped:\n%s", b.String())
	}
}
