package cluster

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
)

// decompose assembles the Decomposition from a partition.
func (r *run) decompose(p *partition) *Decomposition {
	u := r.u
	pinned := map[int32]string{}
	for d, pin := range r.declPin {
		if pin >= 0 && p.ctx[d] >= 0 {
			pinned[p.ctx[d]] = r.pinNames[pin]
		}
	}
	words := r.contextWords(p)
	names, vocab := r.names(p, words, pinned)

	// contexts sorted by name; remap indexes
	order := make([]int, p.nctx)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return names[order[i]] < names[order[j]] })
	dec := &Decomposition{
		Module:       u.module,
		Root:         u.root,
		Ignored:      append([]string{}, u.ignored...),
		IgnoredDecls: append([]string{}, u.ignoredD...),
		Config:       r.cfg,
		Warnings:     append([]string{}, r.warnings...),
	}
	dec.Contexts = make([]Context, p.nctx)
	for i, c := range order {
		_, isPinned := pinned[int32(c)]
		dec.Contexts[i] = Context{Name: names[c], Pinned: isPinned, Vocabulary: vocab[c]}
	}
	pos := make([]int, p.nctx) // context index → position in dec.Contexts
	for i, c := range order {
		pos[c] = i
	}
	ctxName := func(c int32) string {
		if c < 0 {
			return ""
		}
		return names[c]
	}

	ex := r.newExplainer(p, ctxName)
	for pi, pk := range u.pkgs {
		switch c := p.pkgCtx[pi]; {
		case c >= 0:
			ctx := &dec.Contexts[pos[c]]
			ctx.Packages = append(ctx.Packages, pk.path)
			reason := ""
			if p.pkgReason[pi] == ReasonServiceFolder {
				reason = ReasonServiceFolder
			}
			ctx.Placements = append(ctx.Placements, ex.pkg(pi, c, reason))
		case c == kernelCtx:
			if r.infrastructure(pi, p.pkgReason[pi]) {
				dec.Kernel.Infrastructure = append(dec.Kernel.Infrastructure, pk.path)
			} else {
				dec.Kernel.Packages = append(dec.Kernel.Packages, pk.path)
			}
			dec.Kernel.Placements = append(dec.Kernel.Placements, ex.pkg(pi, kernelCtx, p.pkgReason[pi]))
		default:
			dec.Split = append(dec.Split, pk.path)
			byCtx := map[int32][]string{}
			for _, d := range pk.decls {
				c := p.ctx[d]
				byCtx[c] = append(byCtx[c], u.decls[d].short)
				pl := ex.decl(d, c, p.reason[d])
				if c >= 0 {
					ctx := &dec.Contexts[pos[c]]
					ctx.Placements = append(ctx.Placements, pl)
				} else {
					dec.Kernel.Placements = append(dec.Kernel.Placements, pl)
				}
			}
			for c, ds := range byCtx {
				sort.Strings(ds)
				m := Member{Package: pk.path, Decls: ds}
				if c >= 0 {
					ctx := &dec.Contexts[pos[c]]
					ctx.Members = append(ctx.Members, m)
				} else {
					dec.Kernel.Members = append(dec.Kernel.Members, m)
				}
			}
		}
	}
	// entry points
	for _, e := range u.entries {
		c := int32(kernelCtx)
		if d, ok := u.declIdx[e.Decl]; ok {
			c = p.ctx[d]
		} else if pc := p.pkgCtx[u.pkgIdx[e.Package]]; pc >= 0 {
			c = pc
		} else if pc == splitPkg {
			c = r.majority(p, u.pkgIdx[e.Package])
		}
		if c >= 0 {
			ctx := &dec.Contexts[pos[c]]
			ctx.EntryPoints = append(ctx.EntryPoints, e)
		}
	}
	for i := range dec.Contexts {
		ctx := &dec.Contexts[i]
		sort.Strings(ctx.Packages)
		sort.Slice(ctx.Members, func(a, b int) bool { return ctx.Members[a].Package < ctx.Members[b].Package })
		sortPlacements(ctx.Placements)
		for _, pl := range ctx.Placements {
			if pl.Reason != ReasonPinned && pl.Margin < r.cfg.Borderline {
				dec.Borderline = append(dec.Borderline, pl)
			}
		}
	}
	sort.Strings(dec.Split)
	sort.Strings(dec.Kernel.Packages)
	sort.Strings(dec.Kernel.Infrastructure)
	sort.Slice(dec.Kernel.Members, func(a, b int) bool { return dec.Kernel.Members[a].Package < dec.Kernel.Members[b].Package })
	sortPlacements(dec.Kernel.Placements)
	slices.SortFunc(dec.Borderline, func(a, b Placement) int {
		return cmp.Or(
			cmp.Compare(a.Margin, b.Margin),
			cmp.Compare(a.Unit, b.Unit),
		)
	})
	r.metrics(p, dec, pos)
	return dec
}

func sortPlacements(ps []Placement) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Unit < ps[j].Unit })
}

// majority is the context holding most of a split package's declarations.
func (r *run) majority(p *partition, pi int) int32 {
	count := map[int32]int{}
	for _, d := range r.u.pkgs[pi].decls {
		count[p.ctx[d]]++
	}
	best, n := int32(kernelCtx), 0
	for c, k := range count {
		if c >= 0 && (k > n || (k == n && c < best)) {
			best, n = c, k
		}
	}
	return best
}

// infraWords mark technical packages by their path.
var infraWords = setOf("log", "logger", "logging", "logs", "config", "cfg", "conf", "configs", "settings", "env",
	"db", "database", "sql", "postgres", "postgresql", "pg", "mysql", "sqlite", "mongo", "mongodb", "redis",
	"cache", "http", "httpserver", "httputil", "server", "grpc", "transport", "middleware", "metrics", "metric",
	"tracing", "trace", "telemetry", "otel", "monitoring", "health", "queue", "broker", "kafka", "rabbitmq",
	"rabbit", "amqp", "nats", "pubsub", "eventbus", "bus", "messaging", "platform", "infra", "infrastructure",
	"spanner", "dynamo", "dynamodb", "elasticsearch", "storage", "persistence", "migrations", "migration",
	"observability", "instrumentation", "instrumenting", "prometheus", "otelx", "logx", "server", "servers",
	"client", "clients", "genproto", "proto", "pb", "rpc", "gateway", "cmd", "transaction", "tx", "uow",
	"inmem", "memory", "inmemory", "mem", "memstore", "memdb")

// infraImports mark technical packages by what they import.
var infraImports = []string{"database/sql", "log/slog", "go.uber.org/zap", "github.com/sirupsen/logrus",
	"github.com/rs/zerolog", "github.com/prometheus/", "go.opentelemetry.io/", "github.com/jackc/", "gorm.io/",
	"github.com/jmoiron/sqlx", "github.com/lib/pq", "github.com/go-sql-driver/", "github.com/spf13/viper",
	"github.com/kelseyhightower/envconfig", "github.com/caarlos0/env", "github.com/redis/", "github.com/go-redis/",
	"github.com/rabbitmq/", "github.com/streadway/amqp", "github.com/segmentio/kafka-go", "github.com/IBM/sarama",
	"github.com/Shopify/sarama", "github.com/nats-io/", "cloud.google.com/go/", "go.mongodb.org/"}

// infrastructure tells technical kernel packages from domain ones.
func (r *run) infrastructure(pi int, reason string) bool {
	pk := r.u.pkgs[pi]
	if reason == ReasonComposition || pk.main {
		return true
	}
	for _, w := range splitWords(relPath(r.u, pk.path)) {
		if infraWords[w] {
			return true
		}
	}
	domain := false
	for _, w := range splitWords(pk.name) {
		if !r.v.stop[w] {
			domain = true
		}
	}
	if domain {
		return false
	}
	var imports []string
	for _, p := range r.u.m.Packages {
		if p.Path == pk.path {
			imports = p.Imports
		}
	}
	for _, imp := range imports {
		for _, pre := range infraImports {
			if imp == strings.TrimSuffix(pre, "/") || strings.HasPrefix(imp, pre) {
				return true
			}
		}
	}
	return false
}

// explainer computes each unit's affinity to the contexts.
type explainer struct {
	r        *run
	p        *partition
	name     func(int32) string
	fileSize map[int32]int
	wordUses map[int32][]int32 // word node → declaration and package nodes
	nodeWord map[int32][]sigEdge
	// fileDecls are the declarations of each file, and fileCo the
	// co-change edges of each file (indexes into signals.cochange).
	fileDecls [][]int
	fileCo    [][]int
}

func (r *run) newExplainer(p *partition, name func(int32) string) *explainer {
	ex := &explainer{r: r, p: p, name: name, fileSize: map[int32]int{}, wordUses: map[int32][]int32{}, nodeWord: map[int32][]sigEdge{}}
	for _, f := range r.s.fileOf {
		ex.fileSize[f]++
	}
	for _, e := range r.s.structure {
		if int(e.to) >= r.s.wordBase {
			ex.wordUses[e.to] = append(ex.wordUses[e.to], e.from)
			ex.nodeWord[e.from] = append(ex.nodeWord[e.from], e)
		}
	}
	if len(r.s.cochange) > 0 {
		ex.fileDecls = make([][]int, len(r.s.files))
		for d, f := range r.s.fileOf {
			ex.fileDecls[f] = append(ex.fileDecls[f], d)
		}
		ex.fileCo = make([][]int, len(r.s.files))
		for i, e := range r.s.cochange {
			a, b := int(e.from)-r.s.fileBase, int(e.to)-r.s.fileBase
			ex.fileCo[a] = append(ex.fileCo[a], i)
			ex.fileCo[b] = append(ex.fileCo[b], i)
		}
	}
	return ex
}

// coChangeOf adds the co-change signal of file f, its weight times share,
// spread over the contexts of the other files' declarations. Files of
// package skip (-1: none) are left out.
func (ex *explainer) coChangeOf(a *affinity, f int32, share float64, skip int) {
	if ex.fileCo == nil {
		return
	}
	s := ex.r.s
	for _, i := range ex.fileCo[f] {
		e := s.cochange[i]
		g := int(e.to) - s.fileBase
		if g == int(f) {
			g = int(e.from) - s.fileBase
		}
		ds := ex.fileDecls[g]
		if len(ds) == 0 || ex.r.u.decls[ds[0]].pkg == skip {
			continue
		}
		count := map[int32]float64{}
		for _, d := range ds {
			count[ex.p.ctx[d]]++
		}
		for c, k := range count {
			a.add(c, Evidence{Kind: kindCoChange, From: s.files[f], To: s.files[g], Weight: e.w * share * k / float64(len(ds))})
		}
	}
}

// nodeCtx is the context of a declaration node or a package node.
func (ex *explainer) nodeCtx(n int32) int32 {
	s := ex.r.s
	switch {
	case int(n) < s.nd:
		return ex.p.ctx[n]
	case int(n) >= s.pkgBase && int(n) < s.wordBase:
		pc := ex.p.pkgCtx[int(n)-s.pkgBase]
		if pc == splitPkg {
			return ex.r.majority(ex.p, int(n)-s.pkgBase)
		}
		return pc
	}
	return kernelCtx
}

type affinity struct {
	score map[int32]float64
	ev    map[int32][]Evidence
}

func (a *affinity) add(c int32, e Evidence) {
	if c < 0 || e.Weight <= 0 {
		return
	}
	a.score[c] += e.Weight
	a.ev[c] = append(a.ev[c], e)
}

// signalsOf adds the signals between the declarations in set and the
// declarations outside it.
func (ex *explainer) signalsOf(a *affinity, set map[int]bool, decls []int) {
	s := ex.r.s
	for _, d := range decls {
		for _, ei := range s.adj[d] {
			e := s.sig[ei]
			o := int(e.to)
			if o == d {
				o = int(e.from)
			}
			if set[o] || o >= s.nd {
				continue
			}
			a.add(ex.p.ctx[o], Evidence{Kind: e.kind, From: s.nodeName(int(e.from)), To: s.nodeName(int(e.to)), Weight: e.w})
		}
	}
}

// wordsOf adds the vocabulary (or path) signal of node n: for each of its
// words, the share of the word's other users in each context.
func (ex *explainer) wordsOf(a *affinity, n int32) {
	s := ex.r.s
	for _, e := range ex.nodeWord[n] {
		users := ex.wordUses[e.to]
		count := map[int32]float64{}
		var total float64
		for _, o := range users {
			if o == n {
				continue
			}
			var c int32 = kernelCtx
			switch {
			case int(o) < s.nd || (int(o) >= s.pkgBase && int(o) < s.wordBase):
				c = ex.nodeCtx(o)
			case int(o) >= s.fileBase && int(o) < s.pkgBase:
				continue
			}
			total++
			if c >= 0 {
				count[c]++
			}
		}
		if total == 0 {
			continue
		}
		word := strings.TrimPrefix(s.nodeName(int(e.to)), "word:")
		for c, k := range count {
			a.add(c, Evidence{Kind: e.kind, From: s.nodeName(int(n)), To: word, Weight: e.w * k / total})
		}
	}
}

func (ex *explainer) place(a *affinity, unit, pkg, decl string, c int32, reason string) Placement {
	pl := Placement{Unit: unit, Package: pkg, Decl: decl, Context: ex.name(c), Reason: reason}
	if pl.Reason == "" {
		pl.Reason = ReasonSignals
	}
	if c < 0 {
		users := make([]string, 0, len(a.score))
		for x := range a.score {
			users = append(users, ex.name(x))
		}
		sort.Strings(users)
		pl.UsedBy = users
		best, bv := int32(-1), 0.0
		for x, v := range a.score {
			if v > bv || (v == bv && x < best) {
				best, bv = x, v
			}
		}
		if best >= 0 {
			pl.Second, pl.SecondScore = ex.name(best), round(bv)
		}
		return pl
	}
	pl.Score = a.score[c]
	second, sv := int32(-1), 0.0
	for x, v := range a.score {
		if x == c {
			continue
		}
		if v > sv || (v == sv && second >= 0 && ex.name(x) < ex.name(second)) {
			second, sv = x, v
		}
	}
	if second >= 0 {
		pl.Second, pl.SecondScore = ex.name(second), round(sv)
	}
	switch {
	case pl.Score > 0:
		pl.Margin = (pl.Score - sv) / pl.Score
	case sv > 0:
		pl.Margin = -1
	default:
		pl.Margin = 1
	}
	pl.Score, pl.Margin = round(pl.Score), round(pl.Margin)
	ev := mergeEvidence(a.ev[c])
	if len(ev) > 3 {
		ev = ev[:3]
	}
	pl.Evidence = ev
	return pl
}

// mergeEvidence sums evidence of the same kind between the same units and
// sorts it strongest first.
func mergeEvidence(ev []Evidence) []Evidence {
	type key struct{ kind, from, to string }
	acc := map[key]float64{}
	for _, e := range ev {
		acc[key{e.Kind, e.From, e.To}] += e.Weight
	}
	out := make([]Evidence, 0, len(acc))
	for k, w := range acc {
		out = append(out, Evidence{Kind: k.kind, From: k.from, To: k.to, Weight: round(w)})
	}
	slices.SortFunc(out, func(a, b Evidence) int {
		return cmp.Or(
			cmp.Compare(b.Weight, a.Weight),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.From, b.From),
			cmp.Compare(a.To, b.To),
		)
	})
	return out
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

// pkg explains a package placed whole.
func (ex *explainer) pkg(pi int, c int32, reason string) Placement {
	u := ex.r.u
	pk := u.pkgs[pi]
	a := &affinity{score: map[int32]float64{}, ev: map[int32][]Evidence{}}
	set := map[int]bool{}
	for _, d := range pk.decls {
		set[d] = true
	}
	ex.signalsOf(a, set, pk.decls)
	ex.wordsOf(a, int32(ex.r.s.pkgBase+pi))
	if ex.fileCo != nil {
		files := make([]int32, 0, len(pk.decls))
		for _, d := range pk.decls {
			files = append(files, ex.r.s.fileOf[d])
		}
		slices.Sort(files)
		for _, f := range slices.Compact(files) {
			ex.coChangeOf(a, f, 1, pi)
		}
	}
	if pin := ex.r.pkgPin[pi]; pin >= 0 && reason == "" {
		reason = ReasonPinned
	}
	if reason == "" && len(pk.decls) > 0 && ex.p.reason[pk.decls[0]] == ReasonPinned {
		reason = ReasonPinned
	}
	return ex.place(a, pk.path, pk.path, "", c, reason)
}

// decl explains a declaration of a split package.
func (ex *explainer) decl(d int, c int32, reason string) Placement {
	s := ex.r.s
	di := ex.r.u.decls[d]
	a := &affinity{score: map[int32]float64{}, ev: map[int32][]Evidence{}}
	ex.signalsOf(a, map[int]bool{d: true}, []int{d})
	ex.wordsOf(a, int32(d))
	// the same file
	f := s.fileOf[d]
	if n := ex.fileSize[f]; n > 1 {
		count := map[int32]float64{}
		for _, o := range ex.r.u.pkgs[di.pkg].decls {
			if o != d && s.fileOf[o] == f {
				count[ex.p.ctx[o]]++
			}
		}
		for x, k := range count {
			a.add(x, Evidence{Kind: kindFile, From: di.id, To: s.files[f], Weight: ex.r.cfg.Weights.File * k / float64(n-1)})
		}
	}
	ex.coChangeOf(a, f, 1/float64(ex.fileSize[f]), -1)
	return ex.place(a, di.id, ex.r.u.pkgs[di.pkg].path, di.short, c, reason)
}
