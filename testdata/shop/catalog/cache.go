package catalog

import (
	"sync"
	"time"
)

// maxCachedProducts bounds the product cache.
const maxCachedProducts = 10_000

// productCache keeps recently read products so that hot product pages do
// not reach the database on every request. cacheMu guards it.
var (
	cacheMu      sync.RWMutex
	productCache = make(map[int64]cacheEntry)
)

type cacheEntry struct {
	product Product
	expires time.Time
}

func cachedProduct(id int64) (Product, bool) {
	cacheMu.RLock()
	e, ok := productCache[id]
	cacheMu.RUnlock()
	if !ok || time.Now().After(e.expires) {
		return Product{}, false
	}
	return e.product, true
}

func cacheProduct(p Product, ttl time.Duration) {
	if ttl <= 0 {
		return
	}
	now := time.Now()
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if len(productCache) >= maxCachedProducts {
		for id, e := range productCache {
			if now.After(e.expires) {
				delete(productCache, id)
			}
		}
		if len(productCache) >= maxCachedProducts {
			clear(productCache)
		}
	}
	productCache[p.ID] = cacheEntry{product: p, expires: now.Add(ttl)}
}

func invalidateProduct(id int64) {
	cacheMu.Lock()
	delete(productCache, id)
	cacheMu.Unlock()
}
