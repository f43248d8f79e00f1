package english

import "testing"

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n     int
		word  string
		forms []string
		want  string
	}{
		{1, "call", nil, "1 call"},
		{0, "call", nil, "0 calls"},
		{2, "call", nil, "2 calls"},
		{2, "class", nil, "2 classes"},
		{2, "box", nil, "2 boxes"},
		{2, "batch", nil, "2 batches"},
		{2, "entry", nil, "2 entries"},
		{2, "day", nil, "2 days"}, // a vowel before the y
		{1, "person", []string{"people"}, "1 person"},
		{3, "person", []string{"people"}, "3 people"},
	} {
		if got := Plural(c.n, c.word, c.forms...); got != c.want {
			t.Errorf("Plural(%d, %q, %q) = %q, want %q", c.n, c.word, c.forms, got, c.want)
		}
	}
}

func TestAgree(t *testing.T) {
	for _, c := range []struct {
		n               int
		one, many, want string
	}{
		{1, "it calls", "they call", "it calls"},
		{2, "it calls", "they call", "they call"},
		{3, "one context", "%d contexts", "3 contexts"},
	} {
		if got := Agree(c.n, c.one, c.many); got != c.want {
			t.Errorf("Agree(%d, %q, %q) = %q, want %q", c.n, c.one, c.many, got, c.want)
		}
	}
}
