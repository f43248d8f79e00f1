// Package cache is a stub of patrickmn/go-cache's API for the fixtures.
package cache

import "time"

const DefaultExpiration time.Duration = 0

type Cache struct{ items map[string]any }

func New(defaultExpiration, cleanupInterval time.Duration) *Cache {
	return &Cache{items: map[string]any{}}
}

func (c *Cache) Set(k string, x any, d time.Duration) { c.items[k] = x }

func (c *Cache) Get(k string) (any, bool) { x, ok := c.items[k]; return x, ok }
