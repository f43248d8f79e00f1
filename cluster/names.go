package cluster

import (
	"cmp"
	"maps"
	"math"
	"path"
	"slices"
	"sort"
	"strings"
)

// wordScore counts a word for one context, with the forms it was written in.
type wordScore struct {
	tf       float64
	surfaces map[string]float64
}

// contextWords gathers each context's vocabulary: the words of its whole
// packages' paths (strongest: they are the authors' own names), of the
// routes it serves, of the files of its split-package declarations, and of
// its declarations' names.
func (r *run) contextWords(p *partition) []map[string]*wordScore {
	u := r.u
	out := make([]map[string]*wordScore, p.nctx)
	for i := range out {
		out[i] = map[string]*wordScore{}
	}
	add := func(c int32, text string, w float64, pathLike bool) {
		if c < 0 {
			return
		}
		for _, sw := range r.v.surfaces(text) {
			st, surf := sw[0], sw[1]
			if pathLike {
				st, surf = trimServiceSuffix(st), trimServiceSuffix(surf)
			}
			if st == "" || r.v.stop[st] {
				continue
			}
			ws := out[c][st]
			if ws == nil {
				ws = &wordScore{surfaces: map[string]float64{}}
				out[c][st] = ws
			}
			ws.tf += w
			if pathLike {
				// directory, route and file names are the authors' own
				// spelling of a context; identifiers are singular
				ws.surfaces[surf] += 10 * w
			} else {
				ws.surfaces[surf] += w
			}
		}
	}
	for pi, pk := range u.pkgs {
		c := p.pkgCtx[pi]
		if c < 0 {
			continue
		}
		mass := 1 + math.Log(1+float64(len(pk.decls)))
		elems := strings.Split(relPath(u, pk.path), "/")
		for _, e := range elems {
			add(c, e, 3*mass, true)
		}
	}
	for _, e := range u.entries {
		if d, ok := u.declIdx[e.Decl]; ok && e.Route != "" {
			add(p.ctx[d], routeText(e.Route), 2, true)
		}
	}
	for d, di := range u.decls {
		c := p.ctx[d]
		if c < 0 {
			continue
		}
		add(c, di.short, 1, false)
		if p.pkgCtx[di.pkg] == splitPkg {
			add(c, strings.TrimSuffix(path.Base(di.file), ".go"), 0.5, false)
		}
	}
	return out
}

// trimServiceSuffix turns "cartservice" or "shippingsvc" into "cart" and
// "shipping".
func trimServiceSuffix(w string) string {
	for _, suf := range []string{"service", "svc", "srv"} {
		if strings.HasSuffix(w, suf) && len(w) >= len(suf)+3 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// names gives every context a unique name from its most distinctive word:
// tf · ln(1 + K/cf), where tf is the word's weight in the context and cf
// the number of contexts using it. Pinned contexts keep their pin's name.
// Larger contexts choose first.
func (r *run) names(p *partition, words []map[string]*wordScore, pinned map[int32]string) ([]string, [][]string) {
	k := p.nctx
	cf := map[string]int{}
	for _, ws := range words {
		for w := range ws {
			cf[w]++
		}
	}
	type cand struct {
		word  string
		score float64
	}
	ranked := make([][]cand, k)
	vocab := make([][]string, k)
	for c, ws := range words {
		var total float64
		for _, w := range slices.Sorted(maps.Keys(ws)) {
			total += ws[w].tf
		}
		for w, x := range ws {
			s := x.tf / math.Max(total, 1) * math.Log(1+float64(k)/float64(cf[w]))
			ranked[c] = append(ranked[c], cand{w, s})
		}
		slices.SortFunc(ranked[c], func(a, b cand) int {
			return cmp.Or(
				cmp.Compare(b.score, a.score),
				cmp.Compare(a.word, b.word),
			)
		})
		// shown as most often written (shipping, not ship)
		for _, x := range ranked[c] {
			if len(vocab[c]) == 8 {
				break
			}
			if w := surface(ws[x.word], x.word); !slices.Contains(vocab[c], w) {
				vocab[c] = append(vocab[c], w)
			}
		}
	}
	size := make([]int, k)
	for _, c := range p.ctx {
		if c >= 0 {
			size[c]++
		}
	}
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return size[order[i]] > size[order[j]] })
	names := make([]string, k)
	used := map[string]bool{}
	for c, n := range pinned {
		names[c] = n
		used[n] = true
	}
	// a context anchored in a service directory named by a domain word
	// takes that directory's name
	anchors := r.anchorNames(p)
	for _, c := range order {
		if n := anchors[c]; names[c] == "" && n != "" && !used[n] {
			names[c] = n
			used[n] = true
		}
	}
	for _, c := range order {
		if names[c] != "" {
			continue
		}
		for _, x := range ranked[c] {
			n := surface(words[c][x.word], x.word)
			if ValidName(n) && !used[n] {
				names[c] = n
				break
			}
			if ValidName(x.word) && !used[x.word] {
				names[c] = x.word
				break
			}
		}
		if names[c] == "" {
			// two words, then a letter: never a bare number
			for i := 0; i < len(ranked[c]) && names[c] == ""; i++ {
				for j := i + 1; j < len(ranked[c]); j++ {
					n := ranked[c][i].word + ranked[c][j].word
					if ValidName(n) && !used[n] {
						names[c] = n
						break
					}
				}
			}
		}
		if names[c] == "" {
			base := "context"
			if len(ranked[c]) > 0 && ValidName(ranked[c][0].word) {
				base = ranked[c][0].word
			}
			for i := 0; ; i++ {
				n := base + letters(i)
				if !used[n] {
					names[c] = n
					break
				}
			}
		}
		used[names[c]] = true
	}
	return names, vocab
}

// letters spells i as a, b, ..., z, aa, ab, ...
func letters(i int) string {
	s := ""
	for {
		s = string(rune('a'+i%26)) + s
		i = i/26 - 1
		if i < 0 {
			return s
		}
	}
}

// surface is the form a stem was most often written in.
func surface(ws *wordScore, stem string) string {
	if ws == nil {
		return stem
	}
	best, bw := stem, -1.0
	keys := make([]string, 0, len(ws.surfaces))
	for s := range ws.surfaces {
		keys = append(keys, s)
	}
	sort.Strings(keys)
	for _, s := range keys {
		if ws.surfaces[s] > bw {
			best, bw = s, ws.surfaces[s]
		}
	}
	return best
}

// anchorNames names the contexts anchored in a service directory: the
// directory holding most of the declarations of a context's whole
// packages, when most of that directory's declarations are in the
// context and its last element is a domain word (orders, catalog;
// cartservice gives cart).
func (r *run) anchorNames(p *partition) []string {
	u := r.u
	out := make([]string, p.nctx)
	held := make([]map[string]int, p.nctx) // context → label → declarations
	total := map[string]int{}              // label → declarations
	for pi, pk := range u.pkgs {
		l := r.lay.home[pi]
		if l == "" || pk.main {
			continue
		}
		total[l] += len(pk.decls)
		c := p.pkgCtx[pi]
		if c < 0 {
			continue
		}
		if held[c] == nil {
			held[c] = map[string]int{}
		}
		held[c][l] += len(pk.decls)
	}
	for c, ls := range held {
		top, n, sum := "", -1, 0
		for _, l := range slices.Sorted(maps.Keys(ls)) {
			sum += ls[l]
			if ls[l] > n {
				top, n = l, ls[l]
			}
		}
		if top == "" || 2*n < sum || 2*n < total[top] || !r.serviceName(top) {
			continue
		}
		// order-history, customer_web: the folder's letters
		name := strings.Map(func(r rune) rune {
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, trimServiceSuffix(strings.ToLower(homeName(top))))
		if ValidName(name) && (r.lay.named[top] || !r.v.stop[name] && !r.v.stop[singular(name)]) {
			out[c] = name
		}
	}
	return out
}
