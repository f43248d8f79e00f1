package pipeline

import (
	"context"
	"time"

	"decompose/analysis"
	"decompose/analysis/model"
)

// Load loads the program and builds its model, or takes the model of the
// unchanged program from the cache (unless noCache). analyze and check
// both load this way, so that one fills the cache the other reads.
//
// The load starts at once, beside the cache key: the key costs a go list
// of every package and a read of every analyzed file, seconds on a large
// program, and when a file has changed (a pull request's check) the model
// must be built anyway. When the key finds the model in the cache, the
// load is cancelled.
func Load(ctx context.Context, cfg analysis.Config, algo string, noCache bool) (*model.Model, []Phase, error) {
	if r, err := cfg.Resolve(ctx); err == nil {
		cfg = r
	} // else the load reports the failure, in its own words
	if noCache {
		return build(ctx, cfg, algo)
	}
	loadCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	type built struct {
		m      *model.Model
		phases []Phase
		err    error
	}
	done := make(chan built, 1)
	go func() {
		m, phases, err := build(loadCtx, cfg, algo)
		done <- built{m, phases, err}
	}()
	start := time.Now()
	key, err := analysis.CacheKey(ctx, cfg, algo)
	if err == nil {
		if m := analysis.ReadCachedModel(key); m != nil {
			cancel()
			<-done
			return m, []Phase{{"cached model", time.Since(start)}}, nil
		}
	}
	// a failing key (the go command refusing the patterns, say) is
	// reported by the load, in its own words
	keyTook := time.Since(start)
	b := <-done
	if b.err != nil {
		return nil, nil, b.err
	}
	if err == nil && len(b.m.Errors) == 0 {
		analysis.WriteCachedModel(key, b.m)
	}
	return b.m, append([]Phase{{"cache key", keyTook}}, b.phases...), nil
}

// build loads the program and builds its model.
func build(ctx context.Context, cfg analysis.Config, algo string) (*model.Model, []Phase, error) {
	m, prog, err := analysis.Analyze(ctx, cfg, algo)
	if err != nil {
		return nil, nil, err
	}
	t := prog.Timings
	return m, []Phase{{"load", t.Load}, {"ssa", t.SSA}, {"call graph", t.Graph}, {"model", t.Model}}, nil
}
