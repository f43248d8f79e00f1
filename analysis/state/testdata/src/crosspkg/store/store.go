// Package store has the methods; package web holds the state and calls
// them while serving.
package store

import "sync"

// Counter counts hits per path.
type Counter struct {
	mu sync.Mutex
	n  map[string]int // want `warning: field Counter.n \(map\[string\]int\) of a long-lived Counter gets entries added by Counter.Inc`
}

func New() *Counter { return &Counter{n: map[string]int{}} }

// Inc writes the map: it changes its receiver.
func (c *Counter) Inc(path string) { // want Inc:"changes its receiver"
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[path]++
}

// Get only reads.
func (c *Counter) Get(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[path]
}

// Tally changes its receiver through Inc.
type Tally struct{ c *Counter }

func (t Tally) Add(path string) { t.c.Inc(path) } // want Add:"changes its receiver"

// Names reads only.
type Names []string

func (n Names) Has(s string) bool {
	for _, x := range n {
		if x == s {
			return true
		}
	}
	return false
}
