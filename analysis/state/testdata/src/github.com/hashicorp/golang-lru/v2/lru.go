// Package lru is a stub of hashicorp/golang-lru/v2's API for the fixtures.
package lru

type Cache[K comparable, V any] struct{ m map[K]V }

func New[K comparable, V any](size int) (*Cache[K, V], error) { return &Cache[K, V]{m: map[K]V{}}, nil }

func (c *Cache[K, V]) Add(key K, value V) (evicted bool) { c.m[key] = value; return false }

func (c *Cache[K, V]) Get(key K) (value V, ok bool) { value, ok = c.m[key]; return }

func (c *Cache[K, V]) Remove(key K) (present bool) { delete(c.m, key); return true }
