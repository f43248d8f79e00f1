package golden

import "testing"

func TestDiff(t *testing.T) {
	tests := []struct{ got, want, diff string }{
		{"a\nb\nc\n", "a\nb\nc\n", "(no line differs)"},
		{"a\nx\nc\n", "a\nb\nc\n", "line 2:\n got:  x\n want: b"},
		{"a\nb\n", "a\nb\nc\n", "line 3:\n got:  \n want: c"},
		{"a", "a\nb", "line 2:\n got:  (end of file)\n want: b"},
	}
	for _, tc := range tests {
		if d := Diff([]byte(tc.got), []byte(tc.want)); d != tc.diff {
			t.Errorf("Diff(%q, %q) = %q, want %q", tc.got, tc.want, d, tc.diff)
		}
	}
}
