package pipeline

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"decompose/analysis"
	"decompose/analysis/model"
)

// Load loads the program and builds its model, or takes the model of the
// unchanged program from the cache (unless noCache). analyze and check
// both load this way, so that one fills the cache the other reads.
//
// The key costs a go list of every package and a read of every analyzed
// file, seconds on a large program. When a file it read last time has
// changed since (a pull request's check), the cached model will likely not
// serve: the load starts at once, and the key is computed from the load's
// own listing and the files it parsed (analysis.KeyOf) once the call graph
// is being built (until then the go command and the type checker keep
// every core busy; the call graph and the model are built on one).
// If the key finds the model all the same, the load is cancelled; if the
// model is built first, Load returns it and the key goes on in the
// background, to store it. A model is always stored in the background:
// call Wait before the process ends. Otherwise
// the key comes first, and the load only if the key finds no model.
func Load(ctx context.Context, cfg analysis.Config, algo string, noCache bool) (*model.Model, []Phase, error) {
	if r, err := cfg.Resolve(ctx); err == nil {
		cfg = r
	} // else the load reports the failure, in its own words
	if noCache {
		b, err := build(ctx, cfg, algo)
		return b.m, b.phases, err
	}
	if !analysis.FilesChanged(ctx, cfg, algo) {
		return keyFirst(ctx, cfg, algo)
	}
	return loadFirst(ctx, cfg, algo)
}

// background counts the models being stored after Load returned them.
var background sync.WaitGroup

// Wait waits until the models that Load returned are stored.
func Wait() { background.Wait() }

// keyFirst computes the cache key, and loads the program only if the key
// finds no model.
func keyFirst(ctx context.Context, cfg analysis.Config, algo string) (*model.Model, []Phase, error) {
	start := time.Now()
	key, err := analysis.ComputeKey(ctx, cfg, algo)
	if err == nil {
		if m := analysis.ReadCachedModel(key.Sum); m != nil {
			return m, []Phase{{"cached model", time.Since(start)}}, nil
		}
	}
	// a failing key (the go command refusing the patterns, say) is
	// reported by the load, in its own words
	keyTook := time.Since(start)
	loadStart := time.Now()
	b, err := build(ctx, cfg, algo)
	if err != nil {
		return nil, nil, err
	}
	if key != nil {
		store(key, loadStart, b)
	}
	return b.m, append([]Phase{{"cache key", keyTook}}, b.phases...), nil
}

// store stores a model under its key, unless the files changed while the
// load or the key read them. It writes in the background (the model is
// read, never written, once built), while the caller goes on with it.
func store(key *analysis.Key, loadStart time.Time, b built) {
	background.Add(1)
	go func() {
		defer background.Done()
		if len(b.m.Errors) == 0 && key.Describes(loadStart, b.parsed, b.files) {
			analysis.WriteCachedModel(key.Sum, b.m)
		}
	}()
}

// loadFirst loads the program, and computes the cache key beside it once
// the call graph is being built.
func loadFirst(ctx context.Context, cfg analysis.Config, algo string) (*model.Model, []Phase, error) {
	loadCtx, cancel := context.WithCancel(ctx)
	keyTime := make(chan struct{})
	var once sync.Once
	keyNow := func() { once.Do(func() { close(keyTime) }) }
	// the load's own listing of the program serves the key: no second go
	// list of every package
	var listing atomic.Pointer[analysis.Listing]
	lcfg := cfg
	lcfg.Listed = func(l *analysis.Listing) { listing.Store(l) }
	lcfg.Progress = func(phase string) {
		if phase == "call graph" {
			keyNow()
		}
		if cfg.Progress != nil {
			cfg.Progress(phase)
		}
	}
	type result struct {
		built
		err error
	}
	done := make(chan result, 1)
	loadStart := time.Now()
	go func() {
		b, err := build(loadCtx, lcfg, algo)
		keyNow()
		done <- result{b, err}
	}()
	type keyed struct {
		key    *analysis.Key // nil when it failed
		cached *model.Model
		took   time.Duration
	}
	keys := make(chan keyed, 1)
	background.Add(1)
	go func() {
		defer background.Done()
		<-keyTime
		start := time.Now()
		var k keyed
		// a failing key (the go command refusing the patterns, say)
		// stores nothing; the load reports the failure, in its own words
		var key *analysis.Key
		var err error
		if l := listing.Load(); l != nil {
			key, err = analysis.KeyOf(loadCtx, cfg, algo, l)
		} else { // with tests, or a load that failed early
			key, err = analysis.ComputeKey(loadCtx, cfg, algo)
		}
		if err == nil {
			k.key = key
			k.cached = analysis.ReadCachedModel(key.Sum)
		}
		k.took = time.Since(start)
		keys <- k
	}()
	select {
	case k := <-keys:
		if k.cached != nil {
			cancel()
			<-done
			return k.cached, []Phase{{"cached model", k.took}}, nil
		}
		b := <-done
		cancel()
		if b.err != nil {
			return nil, nil, b.err
		}
		if k.key != nil {
			store(k.key, loadStart, b.built)
		}
		return b.m, append([]Phase{{"cache key", k.took}}, b.phases...), nil
	case b := <-done:
		if b.err != nil {
			cancel()
			return nil, nil, b.err
		}
		// The model is built before the key is known: the key goes on,
		// only to store it.
		background.Add(1)
		go func() {
			defer background.Done()
			defer cancel()
			k := <-keys
			if k.key != nil && k.cached == nil {
				store(k.key, loadStart, b.built)
			}
		}()
		return b.m, b.phases, nil
	}
}

// built is a model built, the phases that built it, the files parsed
// (Program.Parsed) and the packages' files (Program.Files).
type built struct {
	m      *model.Model
	phases []Phase
	parsed map[string]string
	files  map[string][]string
}

// build loads the program and builds its model.
func build(ctx context.Context, cfg analysis.Config, algo string) (built, error) {
	m, prog, err := analysis.Analyze(ctx, cfg, algo)
	if err != nil {
		return built{}, err
	}
	t := prog.Timings
	return built{m, []Phase{{"load", t.Load}, {"ssa", t.SSA}, {"call graph", t.Graph}, {"model", t.Model}}, prog.Parsed, prog.Files}, nil
}
