// Package caches shows in-process caches from cache libraries, found by
// their type's package whatever the variable or field is called.
package caches

import (
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	cache "github.com/patrickmn/go-cache"
)

// Warning: a package-level go-cache, filled by Price.
var prices = cache.New(5*time.Minute, 10*time.Minute) // want `warning: package variable prices holds an in-process cache \(cache.Cache\); filled by Price; read by Price`

func Price(sku string) float64 {
	if v, ok := prices.Get(sku); ok {
		return v.(float64)
	}
	prices.Set(sku, 9.99, cache.DefaultExpiration)
	return 9.99
}

// Warning: a cart store held in an LRU: when the cache is the only copy of
// the carts, treat it as a blocker (the message says so in its remedy).
type CartStore struct {
	carts *lru.Cache[string, []string] // want `warning: field CartStore.carts holds an in-process cache \(lru.Cache\); filled by CartStore.Add; read by CartStore.Add, CartStore.Get`
}

func NewCartStore() *CartStore {
	c, _ := lru.New[string, []string](1024)
	return &CartStore{carts: c}
}

func (s *CartStore) Add(user, item string) { // want Add:"changes its receiver"
	items, _ := s.carts.Get(user)
	s.carts.Add(user, append(items, item))
}

func (s *CartStore) Get(user string) []string {
	items, _ := s.carts.Get(user)
	return items
}
