// Package sturdyc stands in for a sharded, generic in-process cache that
// the list of cache libraries does not name.
package sturdyc

import (
	"context"
	"time"
)

type Client[T any] struct{ ttl time.Duration }

func New[T any](capacity, shards int, ttl time.Duration, evictPercent int) *Client[T] {
	return &Client[T]{ttl: ttl}
}

func (c *Client[T]) Get(key string) (T, bool) {
	var zero T
	return zero, false
}

func (c *Client[T]) Set(key string, value T) bool { return true }

func (c *Client[T]) Delete(key string) {}

func (c *Client[T]) GetOrFetch(ctx context.Context, key string, fetch func(context.Context) (T, error)) (T, error) {
	return fetch(ctx)
}

func (c *Client[T]) Size() int { return 0 }
