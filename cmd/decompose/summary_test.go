package main

import (
	"strings"
	"testing"
	"unicode"
)

func TestTerm(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/orders/{id}", "/orders/{id}"},
		{"/café", "/café"},
		{"/t\x1b]0;pwned\x07", `/t\x1b]0;pwned\a`},
		{"\x1b]52;c;Y2xpcA==\x1b\\", `\x1b]52;c;Y2xpcA==\x1b\`},
		{"a\nb\tc\rd", `a\nb\tc\rd`},
		{"\x9b31m", `\x9b31m`},
		{"\u009b31m", `\u009b31m`},
		{"\xff\xfe", `\xff\xfe`},
		{"abc\u202edef\u2066", `abc\u202edef\u2066`},
	}
	for _, tt := range tests {
		if got := term(tt.in); got != tt.want {
			t.Errorf("term(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestVerboseListingEscapes: the -v listing of a module whose route holds
// escape sequences prints them as text, never raw.
func TestVerboseListingEscapes(t *testing.T) {
	dir := extract(t, "testdata/hostile.txtar")
	code, stdout, stderr := run(t, "analyze", "-C", dir, "-v", "--no-cache")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if i := strings.IndexFunc(stdout, func(r rune) bool { return unicode.IsControl(r) && r != '\n' || r == '\u202e' }); i >= 0 {
		t.Errorf("stdout holds %q at %d", stdout[i:min(i+8, len(stdout))], i)
	}
	if !strings.Contains(stdout, `/t\x1b]0;pwned\a\x1b[2J\u202e\nx`) {
		t.Errorf("the route is not listed:\n%s", stdout)
	}
}
