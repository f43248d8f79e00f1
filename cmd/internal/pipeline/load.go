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
func Load(ctx context.Context, cfg analysis.Config, algo string, noCache bool) (*model.Model, []Phase, error) {
	var key string
	var phases []Phase
	if !noCache {
		start := time.Now()
		k, err := analysis.CacheKey(ctx, cfg, algo)
		if err == nil {
			key = k
			if m := analysis.ReadCachedModel(key); m != nil {
				return m, []Phase{{"cached model", time.Since(start)}}, nil
			}
		}
		// a failing key (the go command refusing the patterns, say) is
		// reported by the load below, in its own words
		phases = append(phases, Phase{"cache key", time.Since(start)})
	}
	m, prog, err := analysis.Analyze(ctx, cfg, algo)
	if err != nil {
		return nil, nil, err
	}
	if key != "" && len(m.Errors) == 0 {
		analysis.WriteCachedModel(key, m)
	}
	t := prog.Timings
	return m, append(phases, Phase{"load", t.Load}, Phase{"ssa", t.SSA}, Phase{"call graph", t.Graph}, Phase{"model", t.Model}), nil
}
