package check

import (
	"strings"
	"testing"
)

// FuzzParseAccepted: a hand-edited plan never crashes the reader, and
// every error names the file and is one line.
func FuzzParseAccepted(f *testing.F) {
	f.Add([]byte(acceptedYAML))
	f.Add([]byte("schema: decompose/v1\ncontexts:\n  - name: a\n    packages: &p [m/a]\n  - name: b\n    packages: *p\n"))
	f.Add([]byte("schema: decompose/v1\ncontexts:\n  - name: a\n    members:\n      - package: m/w\n        decls: *x\n"))
	f.Add([]byte("schema: decompose/v1\ncontracts:\n  - {from: a, to: b, callee: c, style: async}\n"))
	f.Add([]byte("schema: decompose/v1\nkernel: {members: [{package: m/w, decls: [A]}]}\nshared_kernel: [m/k/...]\n"))
	f.Add([]byte("schema: \"decompose/v1\"\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAccepted("plan.yaml", data)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "plan.yaml") || strings.Contains(msg, "\n") {
				t.Errorf("error %q", msg)
			}
			return
		}
		if _, err := Check(program(), a, Options{}); err != nil {
			t.Errorf("a plan that parses fails the check: %v", err)
		}
	})
}
