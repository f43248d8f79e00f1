package cluster

import (
	"math"
	"path"
	"slices"
	"strings"
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
}

// affixOf is the affix a folder's children share, if any.
type affixOf struct {
	affix  string
	suffix bool
}

func newFolderTree(dirs []string) *folderTree {
	t := &folderTree{children: map[string][]string{}, code: map[string]bool{}, below: map[string][]string{}}
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
		t.children[f] = sortedKeys(cs)
		if len(cs) >= 2 {
			a, suf := affix(t.children[f])
			t.affixes[f] = affixOf{a, suf}
		}
	}
	for f, bs := range below {
		t.below[f] = sortedKeys(bs)
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
	np := len(u.pkgs)
	lay := &layout{home: make([]string, np), service: make([]bool, np), how: make([]string, np), named: map[string]bool{}}
	// service folders: repeated shapes, outermost first
	type claim struct {
		folder string
		how    string
	}
	claims := map[string]claim{}
	words := map[string]bool{}
	for _, f := range sortedKeys(t.children) {
		rows, cols := repeatedShape(t, f)
		if len(rows) == 0 {
			continue
		}
		if modularityOf(dirs, pkgW, f, cols) > modularityOf(dirs, pkgW, f, nil) {
			// the repeated sub-folders are the domains: they recur
			// as domain words across the sibling layers
			for _, c := range cols {
				words[c] = true
			}
			continue
		}
		for _, c := range rows {
			if _, ok := claims[join(f, c)]; !ok {
				claims[join(f, c)] = claim{join(f, c), homeService}
			}
		}
	}
	for w := range compoundWords(t) {
		words[w] = true
	}
	// a folder of service folders is no unit
	for f := range claims {
		t.outside[path.Dir(f)] = math.Inf(1)
		if path.Dir(f) == "." {
			t.outside[""] = math.Inf(1)
		}
	}
	for i, d := range dirs {
		lay.home[i] = defaultHome(t, d)
		lay.how[i] = homeDirectory
	}
	for i, d := range dirs {
		if d == "" {
			continue
		}
		parts := strings.Split(d, "/")
		for k := range parts {
			prefix := strings.Join(parts[:k+1], "/")
			if w := wordOf(t, strings.Join(parts[:k], "/"), parts[k], words); w != "" {
				lay.home[i], lay.how[i] = "~"+w, homeWord
				lay.named["~"+w] = true
				break
			}
			if c, ok := claims[prefix]; ok {
				lay.home[i], lay.how[i], lay.service[i] = c.folder, c.how, true
				lay.named[c.folder] = true
				break
			}
		}
	}
	return lay
}

// defaultHome is the first folder on d's path that is a unit: one that
// holds code of its own, or whose children depend on one another, at
// least as much as on the rest of the program (billing/{api,store}), and
// holds no service folders. A folder
// holding no code whose packages the rest of the program uses more than
// they use one another (internal/, pkg/, modules/ in many layouts) is a
// folder of separate things, and each child is looked at in turn.
func defaultHome(t *folderTree, d string) string {
	if d == "" {
		return ""
	}
	parts := strings.Split(d, "/")
	home := parts[0]
	for k := 1; k < len(parts) && !t.code[home] && (len(t.children[home]) == 1 || t.inside[home] == 0 || t.inside[home] < t.outside[home]); k++ {
		home = join(home, parts[k])
	}
	return home
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

// shape is the set of paths of the folders below a folder, with the
// folder's own name masked in them (customers/customerspb and
// baskets/basketspb have one shape).
func shape(t *folderTree, f, name string) map[string]bool {
	s := map[string]bool{}
	n := strings.ToLower(name)
	st := stem(n)
	for _, b := range t.below[f] {
		b = strings.ToLower(b)
		if len(n) >= 3 {
			b = strings.ReplaceAll(b, n, "*")
		}
		if len(st) >= 3 {
			b = strings.ReplaceAll(b, st, "*")
		}
		s[b] = true
	}
	return s
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
	a := t.affixes[f]
	for i, c := range cs {
		name := c
		if s := stemOf(c, a.affix, a.suffix); s != "" {
			name = s
		}
		shapes[i] = shape(t, join(f, c), name)
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
	return rows, sortedKeys(colSet)
}

// modularityOf is the modularity of the packages below folder f grouped by
// their folder's child of f (cols nil), or by the first sub-folder below
// that child when it is one of cols.
func modularityOf(dirs []string, pkgW map[[2]int]float64, f string, cols []string) float64 {
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
		if cols != nil && len(parts) > 1 && slices.Contains(cols, strings.ToLower(parts[1])) {
			l = "|" + strings.ToLower(parts[1])
		}
		label[i] = l
	}
	var total float64
	deg := map[int]float64{}
	inside := 0.0
	for _, k := range sortedPairs(pkgW) {
		a, b := k[0], k[1]
		la, oka := label[a]
		lb, okb := label[b]
		if !oka || !okb {
			continue
		}
		w := pkgW[k]
		total += w
		deg[a] += w
		deg[b] += w
		if la == lb {
			inside += w
		}
	}
	if total == 0 {
		return 0
	}
	sum := map[string]float64{}
	for _, i := range sortedIDs(deg) {
		sum[label[i]] += deg[i]
	}
	q := inside / total
	for _, l := range sortedKeys(sum) {
		q -= math.Pow(sum[l]/(2*total), 2)
	}
	return q
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
// letters or more left; the longer on ties; "" when none. Three, because
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
				count := 0
				for _, m := range names {
					m = strings.ToLower(m)
					if len(m)-len(a) >= 2 && ((suf && strings.HasSuffix(m, a)) || (!suf && strings.HasPrefix(m, a))) {
						count++
					}
				}
				better := count > bestN || (count == bestN && (len(a) > len(best) || (len(a) == len(best) && a < best)))
				if count >= need && better {
					best, bestN, suffix = a, count, suf
				}
			}
		}
	}
	return best, suffix
}

// stemOf is a child name less its folder's affix, or "" when it has none.
func stemOf(name, aff string, suffix bool) string {
	n := strings.ToLower(name)
	if aff == "" || len(n)-len(aff) < 2 {
		return ""
	}
	if suffix {
		if s, ok := strings.CutSuffix(n, aff); ok {
			return s
		}
		return ""
	}
	if s, ok := strings.CutPrefix(n, aff); ok {
		return s
	}
	return ""
}

// compoundWords are the stems that two or more folders of compound names
// share: the domain words of a code base layered by package name.
func compoundWords(t *folderTree) map[string]bool {
	seen := map[string]int{}
	for _, f := range sortedKeys(t.children) {
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
