// Package shapedcaches shows in-process caches from a library the list of
// cache libraries does not name, told by the shape of their methods: a
// lookup answering the value and whether it was there, and a store or a
// read-through fill.
package shapedcaches

import (
	"context"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/viccon/sturdyc"
)

type Product struct{ Name string }

// Warning: a repository's cache field, filled on reads (GetOrFetch).
type Repository struct {
	cache *sturdyc.Client[Product] // want `warning: field Repository.cache holds an in-process cache \(sturdyc.Client\); filled by Repository.Product; read by Repository.Cached`
	redis *redis.Client            // a remote cache: the remedy, not state
}

func NewRepository() *Repository {
	return &Repository{
		cache: sturdyc.New[Product](10000, 10, time.Hour, 10),
		redis: redis.NewClient("cache:6379"),
	}
}

func (r *Repository) Product(ctx context.Context, id string) (Product, error) {
	return r.cache.GetOrFetch(ctx, id, func(ctx context.Context) (Product, error) {
		return Product{Name: id}, nil
	})
}

func (r *Repository) Cached(id string) (Product, bool) { return r.cache.Get(id) }

func (r *Repository) Remote(ctx context.Context, id string) (string, error) {
	r.redis.Set(ctx, id, "x", time.Minute)
	return r.redis.Get(ctx, id).Result()
}

// Warning: a package-level one, set by a handler.
var sessions = sturdyc.New[string](1000, 4, time.Hour, 10) // want `warning: package variable sessions holds an in-process cache \(sturdyc.Client\); filled by Login`

func Login(w http.ResponseWriter, r *http.Request) {
	sessions.Set(r.FormValue("token"), r.FormValue("user"))
}

// Info only: a remote cache client in a package variable is a client,
// set once.
var shared = redis.NewClient("cache:6379") // want `info: package variable shared \(\*redis.Client\) is set during initialisation and only read afterwards`

func Remember(w http.ResponseWriter, r *http.Request) {
	shared.Set(r.Context(), "k", "v", time.Minute)
}
