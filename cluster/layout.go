package cluster

import (
	"maps"
	"math"
	"path"
	"slices"
	"strings"
	"unicode"

	"decompose/analysis/model"
)

// layout is what the folders the authors wrote say of each package: its
// home (the folder or domain word it belongs to) and how that was found.
type layout struct {
	home []string // per package: its home label, "" for the root
	// service marks packages whose home is a service folder: a folder whose
	// subtree repeats the shape of its siblings'.
	service []bool
	how     []string // per package: why its home is what it is
	// named marks the home labels that the layout itself names as
	// services or domain words.
	named map[string]bool
	// layer marks the homes of packages that are layers (fileLayers).
	layer map[string]bool
}

// packageWeights sums the model's edges between packages, both ways.
func packageWeights(u *universe) map[[2]int]float64 {
	w := map[[2]int]float64{}
	for _, e := range u.edges {
		a, b := u.decls[u.declIdx[e.From]].pkg, u.decls[u.declIdx[e.To]].pkg
		if a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		w[[2]int{a, b}] += 1 + math.Log(math.Max(float64(e.Weight), 1))
	}
	return w
}

// How a home was found.
const (
	homeDirectory = "directory"      // the first folder below the root that holds code
	homeService   = "service-folder" // siblings repeat this folder's shape
	homeWord      = "domain-word"    // a compound package name whose stem recurs across layers
)

// relDirs are the packages' folders relative to the analyzed root: the
// longest folder prefix they share is left out, so that analyzing
// ./internal/... or a workspace sees the same layout.
func relDirs(u *universe) []string {
	dirs := make([]string, len(u.pkgs))
	for i, pk := range u.pkgs {
		dirs[i] = pk.dir
	}
	var prefix []string
	for i, d := range dirs {
		parts := strings.Split(d, "/")
		if d == "" {
			parts = nil
		}
		if i == 0 {
			prefix = parts
			continue
		}
		n := 0
		for n < len(prefix) && n < len(parts) && prefix[n] == parts[n] {
			n++
		}
		prefix = prefix[:n]
	}
	if len(dirs) == 1 && len(prefix) > 0 {
		prefix = prefix[:len(prefix)-1]
	}
	cut := strings.Join(prefix, "/")
	for i, d := range dirs {
		switch {
		case d == cut:
			dirs[i] = ""
		case cut != "":
			dirs[i] = strings.TrimPrefix(d, cut+"/")
		}
	}
	return dirs
}

// folderTree indexes the folders that hold analyzed packages.
type folderTree struct {
	children map[string][]string // folder → child names holding code below, sorted
	code     map[string]bool     // folder holds a package of its own
	below    map[string][]string // folder → the folders below it, as paths relative to it
	affixes  map[string]affixOf  // folder → the affix its children share
	// inside and outside weigh the dependencies within a folder and
	// across its border
	inside, outside map[string]float64
	// serving counts, per folder, the children holding a package with
	// an entry point of its own
	serving map[string]int
}

// affixOf is the affix a folder's children share, if any.
type affixOf struct {
	affix  string
	suffix bool
}

func newFolderTree(dirs []string) *folderTree {
	t := &folderTree{children: map[string][]string{}, code: map[string]bool{}, below: map[string][]string{}, serving: map[string]int{}}
	children := map[string]map[string]bool{}
	below := map[string]map[string]bool{}
	add := func(m map[string]map[string]bool, k, v string) {
		if m[k] == nil {
			m[k] = map[string]bool{}
		}
		m[k][v] = true
	}
	for _, d := range dirs {
		t.code[d] = true
		if d == "" {
			continue
		}
		parts := strings.Split(d, "/")
		for i := range parts {
			add(children, strings.Join(parts[:i], "/"), parts[i])
			f := strings.Join(parts[:i+1], "/")
			for j := i + 2; j <= len(parts); j++ {
				add(below, f, strings.Join(parts[i+1:j], "/"))
			}
		}
	}
	t.affixes = map[string]affixOf{}
	for f, cs := range children {
		t.children[f] = slices.Sorted(maps.Keys(cs))
		if len(cs) >= 2 {
			a, suf := affix(t.children[f])
			t.affixes[f] = affixOf{a, suf}
		}
	}
	for f, bs := range below {
		t.below[f] = slices.Sorted(maps.Keys(bs))
	}
	return t
}

func join(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "/" + child
}

// newLayout reads the layout. Three properties of code written by people
// decide it, in this order of strength:
//
//   - Compound names: a folder whose children share an affix (userbus,
//     productbus) names its children by their stems (user, product); a
//     stem found in two or more such folders (userbus, userapp) is a
//     domain word, and a package whose path holds it, as a stem or whole,
//     is at home in that word, across the layers.
//   - Repeated shape: siblings whose subtrees repeat one shape
//     (<svc>/cmd, <svc>/internal/{app,domain}) are service folders, the
//     varying part being the domain, unless the dependency graph says the
//     repeated sub-folders are the domains (a hexagonal adapters/,
//     domain/ over the same domain folders): the grouping with the higher
//     modularity wins.
//   - Otherwise a package's home is the first folder on its path that
//     is a unit: that holds code of its own, or whose packages depend on
//     one another at least as much as on the rest (see defaultHome).
func newLayout(u *universe, pkgW map[[2]int]float64) *layout {
	dirs := u.rels
	t := newFolderTree(dirs)
	t.coupling(dirs, pkgW)
	t.entries(u, dirs)
	np := len(u.pkgs)
	lay := &layout{home: make([]string, np), service: make([]bool, np), how: make([]string, np), named: map[string]bool{}}
	claims := map[string]bool{} // service folders
	words := compoundWords(t)
	// repeated shapes: the rows are services unless grouping by the
	// repeated sub-folders fits the dependency graph better; where the
	// graph cannot tell (no dependency below the folder), sub-folders
	// named by domain words found elsewhere decide for them
	type tie struct {
		folder     string
		rows, cols []string
	}
	var ties []tie
	for _, f := range slices.Sorted(maps.Keys(t.children)) {
		rows, cols := repeatedShape(t, f)
		if len(rows) == 0 {
			continue
		}
		qc, qr := modularityOf(t, dirs, pkgW, f, cols), modularityOf(t, dirs, pkgW, f, nil)
		switch {
		case qc > qr:
			for _, c := range cols {
				words[c] = true
			}
		case qc == qr && len(cols) > 0:
			ties = append(ties, tie{f, rows, cols})
		default:
			for _, c := range rows {
				claims[join(f, c)] = true
			}
		}
	}
	for _, tc := range ties {
		known := true
		for _, c := range tc.cols {
			known = known && words[c]
		}
		if known {
			continue
		}
		for _, c := range tc.rows {
			claims[join(tc.folder, c)] = true
		}
	}
	// a folder of service folders is no unit
	for f := range claims {
		parent := path.Dir(f)
		if parent == "." {
			parent = ""
		}
		t.outside[parent] = math.Inf(1)
	}
	for i, d := range dirs {
		lay.home[i] = defaultHome(t, d)
		lay.how[i] = homeDirectory
	}
	// a domain word anywhere on the path is the strongest evidence, then
	// the outermost service folder
	for i, d := range dirs {
		if d == "" {
			continue
		}
		parts := strings.Split(d, "/")
		found := false
		for k := range parts {
			if w := wordOf(t, strings.Join(parts[:k], "/"), parts[k], words); w != "" {
				lay.home[i], lay.how[i] = "~"+w, homeWord
				lay.named["~"+w] = true
				found = true
				break
			}
		}
		for k := 0; k < len(parts) && !found; k++ {
			if f := strings.Join(parts[:k+1], "/"); claims[f] {
				lay.home[i], lay.how[i], lay.service[i] = f, homeService, true
				lay.named[f] = true
				found = true
			}
		}
	}
	lay.layer = fileLayers(u, lay.home)
	return lay
}

// defaultHome is the first folder on d's path that is a unit (see unit):
// one that holds code of its own, or whose children depend on one
// another at least as much as on the rest of the program
// (billing/{api,store}). A folder holding no code whose packages the rest
// of the program uses more than they use one another (internal/, pkg/,
// modules/ in many layouts) is a folder of separate things, and each
// child is looked at in turn.
func defaultHome(t *folderTree, d string) string {
	if d == "" {
		return ""
	}
	parts := strings.Split(d, "/")
	home := parts[0]
	for k := 1; k < len(parts) && !t.unit(home); k++ {
		home = join(home, parts[k])
	}
	return home
}

// unit reports whether a folder is one unit (see defaultHome). A folder
// of service folders is none, and neither is one two or more of whose
// children hold entry points of their own (routes in one, jobs in
// another: internal/ of a code base written wholly inside it): it holds
// several things that run.
func (t *folderTree) unit(f string) bool {
	if t.code[f] {
		return true
	}
	if len(t.children[f]) == 1 || t.inside[f] == 0 || t.inside[f] < t.outside[f] {
		return false
	}
	return t.serving[f] < 2
}

// entries fills serving: for every folder, how many of its children hold
// a package with an entry point other than init.
func (t *folderTree) entries(u *universe, dirs []string) {
	seen := map[string]bool{} // folder/child pairs counted
	for pi, pk := range u.pkgs {
		serves := false
		for _, e := range pk.entries {
			serves = serves || u.entries[e].Kind != model.EntryInit
		}
		if !serves || dirs[pi] == "" {
			continue
		}
		parts := strings.Split(dirs[pi], "/")
		for i := range parts {
			f, c := strings.Join(parts[:i], "/"), parts[i]
			if !seen[f+"\x00"+c] {
				seen[f+"\x00"+c] = true
				t.serving[f]++
			}
		}
	}
}

// coupling sums, per folder, the weight of the dependencies between its
// children (inside) and between its packages and the rest (outside);
// dependencies within one child say nothing of the folder.
func (t *folderTree) coupling(dirs []string, pkgW map[[2]int]float64) {
	t.inside, t.outside = map[string]float64{}, map[string]float64{}
	for _, k := range sortedPairs(pkgW) {
		a, b := dirs[k[0]], dirs[k[1]]
		w := pkgW[k]
		pa, pb := strings.Split(a, "/"), strings.Split(b, "/")
		if a == "" {
			pa = nil
		}
		if b == "" {
			pb = nil
		}
		common := 0
		for common < len(pa) && common < len(pb) && pa[common] == pb[common] {
			common++
		}
		// folders both lie in: inside when they part just below it
		if common < len(pa) && common < len(pb) {
			t.inside[strings.Join(pa[:common], "/")] += w
		}
		// folders only one lies in: outside
		for _, p := range [][]string{pa, pb} {
			for i := common + 1; i <= len(p); i++ {
				t.outside[strings.Join(p[:i], "/")] += w
			}
		}
	}
}

// shape is the set of paths of the folders below child c of folder f,
// each element masked (see mask).
func shape(t *folderTree, f, c string) map[string]bool {
	s := map[string]bool{}
	for _, b := range t.below[join(f, c)] {
		parts := strings.Split(b, "/")
		for i := range parts {
			parts[i] = t.mask(f, c, parts[i])
		}
		s[strings.Join(parts, "/")] = true
	}
	return s
}

// mask writes an element below child c of folder f with c's own name
// (its stem, when f's children share an affix) as "*": customers/
// customerspb and baskets/basketspb have one shape.
func (t *folderTree) mask(f, c, elem string) string {
	name := strings.ToLower(c)
	if a := t.affixes[f]; a.affix != "" {
		if s := stemOf(c, a.affix, a.suffix); s != "" {
			name = s
		}
	}
	e := strings.ToLower(elem)
	for _, n := range []string{name, stem(name)} {
		if len(n) >= 3 {
			e = strings.ReplaceAll(e, n, "*")
		}
	}
	return e
}

// repeatedShape returns the children of f whose subtrees repeat a sibling's
// shape (at least two shared paths, covering half of the smaller subtree),
// and the first elements of the shared paths.
func repeatedShape(t *folderTree, f string) (rows, cols []string) {
	cs := t.children[f]
	if len(cs) < 2 {
		return nil, nil
	}
	shapes := make([]map[string]bool, len(cs))
	for i, c := range cs {
		shapes[i] = shape(t, f, c)
	}
	in := make([]bool, len(cs))
	colSet := map[string]bool{}
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			common := 0
			for p := range shapes[i] {
				if shapes[j][p] {
					common++
				}
			}
			if common >= 2 && 2*common >= min(len(shapes[i]), len(shapes[j])) {
				in[i], in[j] = true, true
				for p := range shapes[i] {
					if shapes[j][p] && !strings.Contains(p, "/") && p != "*" {
						colSet[p] = true
					}
				}
			}
		}
	}
	for i, c := range cs {
		if in[i] {
			rows = append(rows, c)
		}
	}
	return rows, slices.Sorted(maps.Keys(colSet))
}

// modularityOf is the modularity of the packages below folder f grouped by
// their folder's child of f (cols nil), or by the first sub-folder below
// that child when it is one of cols.
func modularityOf(t *folderTree, dirs []string, pkgW map[[2]int]float64, f string, cols []string) float64 {
	label := map[int]string{}
	for i, d := range dirs {
		rest, ok := strings.CutPrefix(d, f+"/")
		if f == "" {
			rest, ok = d, d != ""
		}
		if !ok {
			continue
		}
		parts := strings.Split(rest, "/")
		l := parts[0]
		if cols != nil && len(parts) > 1 {
			if c := t.mask(f, parts[0], parts[1]); slices.Contains(cols, c) {
				l = "|" + c
			}
		}
		label[i] = l
	}
	var q modularitySum
	for _, k := range sortedPairs(pkgW) {
		la, oka := label[k[0]]
		lb, okb := label[k[1]]
		if oka && okb {
			q.add(la, lb, pkgW[k])
		}
	}
	return q.value()
}

// modularitySum accumulates weighted edges between labelled nodes and
// gives the modularity of the labelling: the share of weight inside
// labels less the share expected by chance.
type modularitySum struct {
	total, inside float64
	deg           map[string]float64
}

func (q *modularitySum) add(la, lb string, w float64) {
	if q.deg == nil {
		q.deg = map[string]float64{}
	}
	q.total += w
	q.deg[la] += w
	q.deg[lb] += w
	if la == lb {
		q.inside += w
	}
}

func (q *modularitySum) value() float64 {
	if q.total == 0 {
		return 0
	}
	v := q.inside / q.total
	for _, l := range slices.Sorted(maps.Keys(q.deg)) {
		v -= math.Pow(q.deg[l]/(2*q.total), 2)
	}
	return v
}

// sortedPairs are the keys of a package-pair map in order.
func sortedPairs(m map[[2]int]float64) [][2]int {
	ks := make([][2]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	return ks
}

// affix is the suffix or prefix (two letters or more) that most of the
// names share, at least three and 60% of them, each with a stem of two
// letters or more left, counted by their letters (part0, part1 share no
// affix: a digit is no word); the longer on ties; "" when none. Three, because
// two names share endings by chance (order, user; billing, shipping).
func affix(names []string) (string, bool) {
	need := max(3, int(math.Ceil(0.6*float64(len(names)))))
	best, bestN, suffix := "", 0, true
	for _, n := range names {
		n = strings.ToLower(n)
		for k := 2; k <= len(n)-2; k++ {
			for _, suf := range []bool{true, false} {
				a := n[len(n)-k:]
				if !suf {
					a = n[:k]
				}
				// names that differ only in digits (part0, part1) are one
				stems := map[string]bool{}
				for _, m := range names {
					m = strings.ToLower(m)
					st, ok := strings.CutSuffix(m, a)
					if !suf {
						st, ok = strings.CutPrefix(m, a)
					}
					if ok && letterCount(st) >= 2 {
						stems[strings.Map(onlyLetters, st)] = true
					}
				}
				count := len(stems)
				better := count > bestN || (count == bestN && (len(a) > len(best) || (len(a) == len(best) && a < best)))
				if count >= need && better {
					best, bestN, suffix = a, count, suf
				}
			}
		}
	}
	return best, suffix
}

// onlyLetters keeps letters, for strings.Map.
func onlyLetters(r rune) rune {
	if unicode.IsLetter(r) {
		return r
	}
	return -1
}

// letterCount counts the letters of s.
func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// stemOf is a child name less its folder's affix, or "" when it has none.
func stemOf(name, aff string, suffix bool) string {
	n := strings.ToLower(name)
	if aff == "" {
		return ""
	}
	st, ok := strings.CutSuffix(n, aff)
	if !suffix {
		st, ok = strings.CutPrefix(n, aff)
	}
	if !ok || letterCount(st) < 2 {
		return ""
	}
	return st
}

// compoundWords are the stems that two or more folders of compound names
// share: the domain words of a code base layered by package name.
func compoundWords(t *folderTree) map[string]bool {
	seen := map[string]int{}
	for _, f := range slices.Sorted(maps.Keys(t.children)) {
		a := t.affixes[f]
		if a.affix == "" {
			continue
		}
		for _, c := range t.children[f] {
			if s := stemOf(c, a.affix, a.suffix); s != "" {
				seen[s]++
			}
		}
	}
	words := map[string]bool{}
	for s, n := range seen {
		if n >= 2 {
			words[s] = true
		}
	}
	return words
}

// wordOf is the domain word a folder's child carries: its stem, when its
// siblings share an affix, or its whole name; "" when that is no domain
// word.
func wordOf(t *folderTree, parent, child string, words map[string]bool) string {
	if len(words) == 0 {
		return ""
	}
	n := strings.ToLower(child)
	if a := t.affixes[parent]; a.affix != "" {
		if s := stemOf(child, a.affix, a.suffix); s != "" && words[s] {
			return s
		}
	}
	if words[n] {
		return n
	}
	return ""
}

// homeName is the last element of a home label, for names.
func homeName(h string) string {
	return path.Base(strings.TrimPrefix(h, "~"))
}

// fileLayers marks, by home, the packages that are layers: sibling
// packages most of whose files repeat names that three or more siblings
// use (rest/order.go, store/order.go, models/order.go; or order_rest.go,
// order_store.go), where
// grouping the declarations by those names fits the dependency graph
// better than grouping them by package. The same repetition among
// services built alike (booking/service.go, handling/service.go) groups
// better by package, and marks nothing. A layer serves several contexts:
// it is clustered declaration by declaration, never taken whole.
func fileLayers(u *universe, homes []string) map[string]bool {
	byParent := map[string][]int{}
	for pi, pk := range u.pkgs {
		if len(pk.decls) > 0 && !pk.main {
			byParent[path.Dir(u.rels[pi])] = append(byParent[path.Dir(u.rels[pi])], pi)
		}
	}
	stemsOf := func(pi int) map[string]bool {
		out := map[string]bool{}
		own := ownWords(u, pi)
		for _, f := range u.pkgs[pi].files {
			if s := fileStem(f, own); s != "" {
				out[s] = true
			}
		}
		return out
	}
	layers := map[string]bool{}
	for _, parent := range slices.Sorted(maps.Keys(byParent)) {
		ps := byParent[parent]
		stems := make([]map[string]bool, len(ps))
		for i, pi := range ps {
			stems[i] = stemsOf(pi)
		}
		// a name three siblings repeat is a domain across layers
		count := map[string]int{}
		for i := range ps {
			for st := range stems[i] {
				count[st]++
			}
		}
		in := map[int]bool{}
		shared := map[string]bool{}
		for i, pi := range ps {
			n := 0
			for st := range stems[i] {
				if count[st] >= 3 {
					n++
				}
			}
			if n >= 2 && 2*n >= len(stems[i]) {
				in[pi] = true
				for st := range stems[i] {
					if count[st] >= 3 {
						shared[st] = true
					}
				}
			}
		}
		if len(in) < 2 {
			continue
		}
		byPkg, byStem := map[int]string{}, map[int]string{}
		for _, pi := range slices.Sorted(maps.Keys(in)) {
			own := ownWords(u, pi)
			for _, d := range u.pkgs[pi].decls {
				byPkg[d] = u.pkgs[pi].path
				byStem[d] = byPkg[d]
				if s := fileStem(u.decls[d].file, own); shared[s] {
					byStem[d] = "|" + s
				}
			}
		}
		if declModularity(u, byStem) > declModularity(u, byPkg) {
			for pi := range in {
				layers[homes[pi]] = true
			}
		}
	}
	return layers
}

// fileStem is a file's name less the words of its package's own name
// (own: order_rest.go in rest/ is "order"), as fileLayers compares them.
func fileStem(file string, own map[string]bool) string {
	var keep []string
	for _, w := range splitWords(strings.TrimSuffix(path.Base(file), ".go")) {
		if !own[w] && !own[singular(w)] && !own[stem(w)] {
			keep = append(keep, w)
		}
	}
	return strings.Join(keep, "_")
}

// ownWords are the words of a package's folder name, with their
// singular and stem.
func ownWords(u *universe, pi int) map[string]bool {
	own := map[string]bool{}
	for _, w := range splitWords(path.Base(u.rels[pi])) {
		own[w], own[singular(w)], own[stem(w)] = true, true, true
	}
	return own
}

// declModularity is the modularity of the model's edges between the
// labelled declarations.
func declModularity(u *universe, label map[int]string) float64 {
	var q modularitySum
	for _, e := range u.edges {
		a, b := u.declIdx[e.From], u.declIdx[e.To]
		la, oka := label[a]
		lb, okb := label[b]
		if oka && okb && a != b {
			q.add(la, lb, 1+math.Log(math.Max(float64(e.Weight), 1)))
		}
	}
	return q.value()
}
