package main

import (
	"fmt"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// defaultMemoryLimit is the soft limit on the Go heap that analyze sets
// unless told otherwise. By default the collector lets the heap grow to
// twice what is live; on a large code base whose analysis holds 550 MB at
// its peak (gardener, 926 packages) that is a 1.3 GB process. Collecting
// earlier costs little time there (bench: 17.2-17.7 s against
// 16.6-17.9 s, 0.94 GB against 1.21-1.38 GB peak RSS).
const defaultMemoryLimit = "900MiB"

// liveHeadroom is how far above the live heap the limit is kept: a limit at
// or under the live heap makes the collector run back to back (on gardener
// a 600 MiB limit cost 55 % more time), so a program whose live heap
// outgrows the limit gets a larger one, as with GOGC=50.
const liveHeadroom = 1.5

// parseMemoryLimit reads "900MiB", "1GiB", "2000000000", "1.5GB" or "off"
// (0: no limit).
func parseMemoryLimit(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "off" || t == "0" {
		return 0, nil
	}
	units := []struct {
		suffix string
		scale  float64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
	}
	scale := 1.0
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, scale = strings.TrimSuffix(t, u.suffix), u.scale
			break
		}
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return 0, fmt.Errorf("--memory-limit %q: want a size such as 900MiB or 2GiB, or off", s)
	}
	n := x * scale
	if n < 64<<20 {
		return 0, fmt.Errorf("--memory-limit %q: below 64MiB the collector would run without pause", s)
	}
	// float64(math.MaxInt64) is 2⁶³, one more than fits: int64 of it
	// wraps to a negative limit, which is no limit at all
	if n >= math.MaxInt64 {
		return 0, fmt.Errorf("--memory-limit %q: too large", s)
	}
	return int64(n), nil
}

// raisedLimit is the limit to set when live bytes are live: limit, or
// liveHeadroom times the live heap when that is more.
func raisedLimit(limit, live int64) int64 {
	if want := int64(float64(live) * liveHeadroom); want > limit {
		return want
	}
	return limit
}

// limitMemory sets a soft memory limit for the run and keeps it above the
// live heap as that grows; stop restores the previous limit.
func limitMemory(limit int64) (stop func()) {
	prev := debug.SetMemoryLimit(limit)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			live := int64(sample[0].Value.Uint64())
			if next := raisedLimit(limit, live); next != limit {
				limit = next
				debug.SetMemoryLimit(limit)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		debug.SetMemoryLimit(prev)
	}
}
