package cluster

import (
	"cmp"
	"math"
	"path"
	"slices"
	"sort"
	"strings"

	"decompose/analysis/model"
)

// Signal kinds beside the model's edge kinds.
const (
	kindTable      = "table"
	kindReceiver   = "receiver"
	kindFile       = "same-file"
	kindPackage    = "same-package"
	kindPath       = "path"
	kindVocabulary = "vocabulary"
	kindCPU        = "observed-cpu"
)

// sigEdge is a weighted, directed signal between two nodes of the signal
// graph (declarations and shared resources such as tables).
type sigEdge struct {
	from, to int32
	kind     string
	w        float64
}

// signals is the weighted dependency graph between declarations (and
// extra resources), with the structural nodes (files, packages, words)
// that carry the proximity and vocabulary signals.
type signals struct {
	u *universe
	// nodes: [0,nd) declarations, [nd,nd+nres) resources, then files,
	// packages and words.
	nd, nres  int
	resNames  []string
	fileBase  int
	files     []string
	fileOf    []int32 // decl → file node offset
	pkgBase   int
	wordBase  int
	words     []string
	sig       []sigEdge // sorted by (from, to, kind)
	structure []sigEdge // decl/file/pkg ↔ file/pkg/word edges, sorted
	cochange  []sigEdge // file ↔ file co-change edges, sorted
	adj       [][]int32 // per decl/resource node: indexes into sig touching it
}

func (s *signals) numNodes() int { return s.wordBase + len(s.words) }

// nodeName names a node for explanations.
func (s *signals) nodeName(n int) string {
	switch {
	case n < s.nd:
		return s.u.decls[n].id
	case n < s.fileBase:
		return s.resNames[n-s.nd]
	case n < s.pkgBase:
		return s.files[n-s.fileBase]
	case n < s.wordBase:
		return s.u.pkgs[n-s.pkgBase].path
	default:
		return "word:" + s.words[n-s.wordBase]
	}
}

func kindWeight(w Weights, kind string) float64 {
	switch kind {
	case string(model.EdgeCall):
		return w.Call
	case string(model.EdgeDynamicCall):
		return w.DynamicCall
	case string(model.EdgeRef):
		return w.Ref
	case string(model.EdgeTypeRef):
		return w.TypeRef
	case string(model.EdgeImplements):
		return w.Implements
	case string(model.EdgeRead), string(model.EdgeWrite):
		return w.SharedData
	case kindTable:
		return w.SharedTable
	}
	return 1
}

// buildSignals weighs every signal. v supplies the vocabulary.
func buildSignals(u *universe, cfg Config, v *vocab) *signals {
	w := cfg.Weights
	s := &signals{u: u, nd: len(u.decls)}

	// shared resources: the model's database tables and the extra
	// edges' endpoints that are not declarations
	resIdx := map[string]int{}
	addRes := func(name string) {
		if _, ok := u.declIdx[name]; ok {
			return
		}
		if _, ok := resIdx[name]; !ok {
			resIdx[name] = 0
			s.resNames = append(s.resNames, name)
		}
	}
	tables := tableEdges(u)
	for _, e := range tables {
		addRes(e.To)
	}
	for _, e := range cfg.Extra {
		addRes(e.From)
		addRes(e.To)
	}
	sort.Strings(s.resNames)
	for i, r := range s.resNames {
		resIdx[r] = s.nd + i
	}
	s.nres = len(s.resNames)
	node := func(id string) (int, bool) {
		if d, ok := u.declIdx[id]; ok {
			return d, true
		}
		r, ok := resIdx[id]
		return r, ok
	}

	// fan-in, for hub damping: the distinct other packages using a
	// declaration, or a third of the distinct declarations using it,
	// whichever is larger
	users := map[int]map[int]bool{}
	callers := map[int]map[int]bool{}
	for _, e := range u.edges {
		f, t := u.declIdx[e.From], u.declIdx[e.To]
		fp, tp := u.decls[f].pkg, u.decls[t].pkg
		if u.group(f) == u.group(t) {
			continue
		}
		if callers[t] == nil {
			callers[t] = map[int]bool{}
		}
		callers[t][f] = true
		if fp == tp {
			continue
		}
		if users[t] == nil {
			users[t] = map[int]bool{}
		}
		users[t][fp] = true
	}
	damp := func(t int) float64 {
		if t >= s.nd || w.HubDamping == 0 {
			return 1
		}
		n := math.Max(float64(len(users[t])), float64(len(callers[t]))/3)
		if n <= 1 {
			return 1
		}
		return 1 / (1 + w.HubDamping*math.Log(n))
	}
	genf := func(d int) float64 {
		if d < s.nd && u.decls[d].gen {
			return w.Generated
		}
		return 1
	}
	acc := map[sigKey]float64{}
	addSig := func(f, t int, kind string, count float64) {
		if f == t || count <= 0 {
			return
		}
		x := kindWeight(w, kind) * (1 + math.Log(math.Max(1, count))) * damp(t) * genf(f) * genf(t)
		if x <= 0 {
			return
		}
		acc[sigKey{int32(f), int32(t), kind}] += x
	}
	for _, e := range u.edges {
		addSig(u.declIdx[e.From], u.declIdx[e.To], string(e.Kind), float64(max(e.Weight, 1)))
	}
	for _, e := range append(tables, cfg.Extra...) {
		f, ok1 := node(e.From)
		t, ok2 := node(e.To)
		if !ok1 || !ok2 {
			continue
		}
		kind := e.Kind
		if kind == "" {
			kind = kindTable
		}
		wt := e.Weight
		if wt <= 0 {
			wt = 1
		}
		addSig(f, t, kind, wt)
	}
	// observed CPU: the calls a profile saw, by their share of its time;
	// ties stronger the hotter the path, damped like the static calls
	if wc := w.ObservedCPUWeight(); wc > 0 {
		for _, e := range cfg.CPU {
			f, ok1 := u.declIdx[e.From]
			t, ok2 := u.declIdx[e.To]
			if !ok1 || !ok2 || f == t || !(e.Share > 0) {
				continue
			}
			if x := wc * math.Log1p(100*math.Min(e.Share, 1)) * damp(t) * genf(f) * genf(t); x > 0 {
				acc[sigKey{int32(f), int32(t), kindCPU}] += x
			}
		}
	}
	for d, di := range u.decls {
		if di.typ >= 0 && w.Receiver > 0 {
			// a type with many methods (a Server whose handlers serve
			// every context) holds each of them less
			n := float64(len(u.methods[di.typ])) / 3
			x := w.Receiver
			if n > 1 && w.HubDamping > 0 {
				x /= 1 + w.HubDamping*math.Log(n)
			}
			acc[sigKey{int32(d), int32(di.typ), kindReceiver}] += x
		}
	}
	s.sig = sortedSig(acc)
	s.adj = make([][]int32, s.nd+s.nres)
	for i, e := range s.sig {
		s.adj[e.from] = append(s.adj[e.from], int32(i))
		s.adj[e.to] = append(s.adj[e.to], int32(i))
	}

	// files
	fileIdx := map[string]int{}
	for _, d := range u.decls {
		if _, ok := fileIdx[d.file]; !ok {
			fileIdx[d.file] = 0
			s.files = append(s.files, d.file)
		}
	}
	sort.Strings(s.files)
	for i, f := range s.files {
		fileIdx[f] = i
	}
	s.fileBase = s.nd + s.nres
	s.pkgBase = s.fileBase + len(s.files)
	s.wordBase = s.pkgBase + len(u.pkgs)
	s.fileOf = make([]int32, s.nd)
	st := map[sigKey]float64{}
	for d, di := range u.decls {
		f := fileIdx[di.file]
		s.fileOf[d] = int32(f)
		st[sigKey{int32(d), int32(s.fileBase + f), kindFile}] += w.File * genf(d)
		st[sigKey{int32(d), int32(s.pkgBase + di.pkg), kindPackage}] += w.Proximity * genf(d)
	}

	// vocabulary: identifiers, routes, file names, package paths, resources
	type use struct {
		node int
		kind string
		w    float64
	}
	uses := map[string][]use{}
	addWords := func(n int, kind string, text string, wt float64) {
		for _, x := range v.words(text) {
			uses[x] = append(uses[x], use{n, kind, wt})
		}
	}
	for d, di := range u.decls {
		addWords(d, kindVocabulary, di.short, w.Vocabulary*genf(d))
	}
	for _, e := range u.entries {
		if d, ok := u.declIdx[e.Decl]; ok && e.Route != "" {
			addWords(d, kindVocabulary, routeText(e.Route), w.Vocabulary)
		}
	}
	for i, r := range s.resNames {
		addWords(s.nd+i, kindVocabulary, resourceText(r), w.Vocabulary)
	}
	perFile := make([]float64, len(s.files))
	for d := range u.decls {
		perFile[s.fileOf[d]] += genf(d)
	}
	for i, f := range s.files {
		// a file's name speaks for every declaration in it
		base := strings.TrimSuffix(path.Base(f), ".go")
		addWords(s.fileBase+i, kindVocabulary, base, w.Vocabulary*math.Max(1, perFile[i]))
	}
	for i, p := range u.pkgs {
		rel := relPath(u, p.path)
		mass := math.Log(math.E + float64(len(p.decls)))
		addWords(s.pkgBase+i, kindPath, rel, w.Proximity*mass)
	}
	var ws []string
	for x := range uses {
		ws = append(ws, x)
	}
	sort.Strings(ws)
	total := float64(s.nd + len(s.files) + len(u.pkgs))
	for _, x := range ws {
		us := uses[x]
		df := map[int]bool{}
		for _, e := range us {
			df[e.node] = true
		}
		if len(df) < 2 || float64(len(df)) > 0.5*total {
			continue
		}
		idf := math.Min(3, math.Log(1+total/float64(len(df))))
		wi := s.wordBase + len(s.words)
		s.words = append(s.words, x)
		for _, e := range us {
			st[sigKey{int32(e.node), int32(wi), e.kind}] += e.w * idf
		}
	}
	s.structure = sortedSig(st)
	s.cochange = coChange(s, cfg)
	return s
}

// tablePrefix names the resource node of a database table.
const tablePrefix = "table:"

// tableEdges joins each declaration to the database tables it reads or
// writes (Model.Tables), one edge per table, weighted by the number of
// accesses.
func tableEdges(u *universe) []ExtraEdge {
	count := map[[2]string]float64{}
	for _, t := range u.m.Tables {
		if _, ok := u.declIdx[t.Decl]; !ok || strings.TrimSpace(t.Table) == "" {
			continue
		}
		count[[2]string{t.Decl, tablePrefix + t.Table}]++
	}
	out := make([]ExtraEdge, 0, len(count))
	for k, n := range count {
		out = append(out, ExtraEdge{From: k[0], To: k[1], Kind: kindTable, Weight: n})
	}
	slices.SortFunc(out, func(a, b ExtraEdge) int {
		return cmp.Or(
			cmp.Compare(a.From, b.From),
			cmp.Compare(a.To, b.To),
		)
	})
	return out
}

// resourceText is the part of a resource's name that speaks for the
// domain: "orders" for "table:orders", "sales.order_lines" for
// "table:sales.order_lines".
func resourceText(r string) string {
	if i := strings.IndexByte(r, ':'); i >= 0 {
		return r[i+1:]
	}
	return r
}

type sigKey struct {
	from, to int32
	kind     string
}

func sortedSig(acc map[sigKey]float64) []sigEdge {
	out := make([]sigEdge, 0, len(acc))
	for k, x := range acc {
		out = append(out, sigEdge{k.from, k.to, k.kind, x})
	}
	slices.SortFunc(out, func(a, b sigEdge) int {
		return cmp.Or(
			cmp.Compare(a.from, b.from),
			cmp.Compare(a.to, b.to),
			cmp.Compare(a.kind, b.kind),
		)
	})
	return out
}

// routeText keeps the literal segments of a route, without parameters.
func routeText(r string) string {
	var parts []string
	for _, seg := range strings.Split(r, "/") {
		if seg == "" || strings.ContainsAny(seg, "{}:*<>") {
			continue
		}
		parts = append(parts, seg)
	}
	return strings.Join(parts, " ")
}

// relPath is a package's folder relative to the folder all analyzed
// packages share (see relDirs): what the authors wrote, whatever the
// module paths.
func relPath(u *universe, p string) string {
	if i, ok := u.pkgIdx[p]; ok && u.rels != nil {
		return u.rels[i]
	}
	return importRel(u, p)
}

// importRel is an import path relative to the common root of the analyzed
// packages' import paths.
func importRel(u *universe, p string) string {
	if p == u.root {
		return ""
	}
	return strings.TrimPrefix(p, u.root+"/")
}

// graph builds the undirected graph for community detection from the
// signals, leaving out the declarations where keep is false (and their
// edges).
func (s *signals) graph(keep []bool) *wgraph {
	return s.graphLoose(keep, nil)
}

// graphLoose is graph without the same-package edges of the declarations
// where loose is true: the declarations of a layered package serve
// different contexts, so sharing the package says nothing about where
// each belongs.
func (s *signals) graphLoose(keep, loose []bool) *wgraph {
	b := newGraphBuilder(s.numNodes())
	ok := func(n int32) bool { return int(n) >= s.nd || keep == nil || keep[n] }
	for _, e := range s.sig {
		if ok(e.from) && ok(e.to) {
			b.add(int(e.from), int(e.to), e.w)
		}
	}
	for _, e := range s.structure {
		if !ok(e.from) || !ok(e.to) {
			continue
		}
		if e.kind == kindPackage && loose != nil && int(e.from) < s.nd && loose[e.from] {
			continue
		}
		b.add(int(e.from), int(e.to), e.w)
	}
	if len(s.cochange) > 0 {
		// a file whose declarations are all left out (a main package, the
		// kernel) would bridge the files around it
		kept, _ := s.keptFiles(keep)
		for _, e := range s.cochange {
			if kept[int(e.from)-s.fileBase] && kept[int(e.to)-s.fileBase] {
				b.add(int(e.from), int(e.to), e.w)
			}
		}
	}
	return b.build()
}
