package planted

import (
	"math/rand/v2"
	"strings"
)

// nouns are plain English nouns with no business meaning, so that a
// generated program's domain words say nothing a list of usual domain
// words (orders, users, payments) could know.
var nouns = []string{
	"garden", "ticket", "harbor", "lesson", "recipe", "parcel", "badge", "voucher", "tenant", "fleet",
	"vendor", "survey", "meadow", "lantern", "orchard", "quarry", "canyon", "ferry", "cabin", "violin",
	"pepper", "walnut", "saddle", "kettle", "marble", "pigeon", "tunnel", "beacon", "rocket", "blanket",
	"candle", "comet", "desert", "falcon", "glacier", "harvest", "island", "jungle", "kayak", "lagoon",
	"mirror", "nugget", "oyster", "puzzle", "quiver", "raven", "salmon", "timber", "umbrella", "valley",
	"wagon", "yacht", "zebra", "anchor", "bishop", "cactus", "dolphin", "fossil", "goblet", "hammer",
	"igloo", "jacket", "kitten", "lemon", "mitten", "needle", "onion", "parrot", "quartz", "ribbon",
	"spider", "turnip", "velvet", "walrus", "banjo", "cobalt", "dagger", "ember", "fiddle", "gravel",
	"hazel", "ivory", "jigsaw", "lumber", "mango", "nectar", "otter", "pebble", "rhubarb", "sonnet",
	"tulip", "urchin", "vortex", "willow", "acorn", "bramble", "chimney", "dune", "easel", "feather",
}

const (
	consonants = "bdfgklmnprstvz"
	vowels     = "aeiou"
)

// madeUp is a pronounceable word that means nothing: two or three
// consonant-vowel syllables, sometimes closed by n, r or l.
func madeUp(r *rand.Rand) string {
	var b strings.Builder
	for i, n := 0, 2+r.IntN(2); i < n; i++ {
		b.WriteByte(consonants[r.IntN(len(consonants))])
		b.WriteByte(vowels[r.IntN(len(vowels))])
	}
	if r.IntN(3) == 0 {
		b.WriteByte("nrl"[r.IntN(3)])
	}
	return b.String()
}

// wordPool draws distinct words, no one a prefix, suffix or part of
// another, so that a word found in a name is never part of a longer one.
type wordPool struct {
	r       *rand.Rand
	madeUp  bool
	taken   []string
	reserve map[string]bool
}

func newWordPool(r *rand.Rand, madeUp bool, reserved ...string) *wordPool {
	p := &wordPool{r: r, madeUp: madeUp, reserve: map[string]bool{}}
	p.Reserve(reserved...)
	return p
}

// Reserve keeps a word (a layer or library name) from being drawn and
// from overlapping a drawn one.
func (p *wordPool) Reserve(ws ...string) {
	for _, w := range ws {
		for _, part := range strings.Split(w, "/") {
			if part != "" {
				p.reserve[part] = true
			}
		}
	}
}

func (p *wordPool) clashes(w string) bool {
	if goKeywords[w] || len(w) < 4 {
		return true
	}
	for _, t := range p.taken {
		if strings.Contains(t, w) || strings.Contains(w, t) {
			return true
		}
	}
	for t := range p.reserve {
		if strings.Contains(t, w) || strings.Contains(w, t) {
			return true
		}
	}
	return false
}

// Next returns a new word.
func (p *wordPool) Next() string {
	for tries := 0; ; tries++ {
		var w string
		if p.madeUp || tries > 1000 {
			w = madeUp(p.r)
		} else {
			w = nouns[p.r.IntN(len(nouns))]
		}
		if !p.clashes(w) {
			p.taken = append(p.taken, w)
			return w
		}
	}
}

// NewWords returns n fresh made-up words from seed that overlap none of
// the avoided words: replacement words for renaming a program's domain
// vocabulary.
func NewWords(seed uint64, n int, avoid ...string) []string {
	p := newWordPool(rand.New(rand.NewPCG(seed, 0x5eed)), true, avoid...)
	out := make([]string, 0, n)
	for len(out) < n {
		// three syllables at least: shorter made-up words are too
		// often real ones (data, time, note)
		if w := p.Next(); len(w) >= 6 {
			out = append(out, w)
		}
	}
	return out
}

var goKeywords = map[string]bool{
	"break": true, "case": true, "chan": true, "const": true, "continue": true, "default": true,
	"defer": true, "else": true, "fallthrough": true, "for": true, "func": true, "go": true, "goto": true,
	"if": true, "import": true, "interface": true, "map": true, "package": true, "range": true,
	"return": true, "select": true, "struct": true, "switch": true, "type": true, "var": true,
}

// title upper-cases the first letter.
func title(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

// pick returns one of xs.
func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }
