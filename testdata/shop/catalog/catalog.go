// Package catalog manages what the shop sells: products, their categories,
// prices and stock levels, and product search.
package catalog

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"example.com/shop/catalog/search"
	"example.com/shop/money"
)

var (
	// ErrProductNotFound is returned for an unknown or retired product.
	ErrProductNotFound = errors.New("catalog: product not found")
	// ErrCategoryNotFound is returned for an unknown category slug.
	ErrCategoryNotFound = errors.New("catalog: category not found")
	// ErrInsufficientStock is returned when a reservation exceeds the
	// available quantity.
	ErrInsufficientStock = errors.New("catalog: insufficient stock")
	// ErrInvalidProduct is returned when a new product fails validation.
	ErrInvalidProduct = errors.New("catalog: invalid product")
)

// skuPattern is the shape of a stock-keeping unit: a three-letter family
// code and a four- to six-digit number, e.g. "TSH-10442".
var skuPattern = regexp.MustCompile(`^[A-Z]{3}-[0-9]{4,6}$`)

// Product is an item for sale.
type Product struct {
	ID           int64       `json:"id"`
	SKU          string      `json:"sku"`
	Name         string      `json:"name"`
	Description  string      `json:"description"`
	CategoryID   int64       `json:"category_id"`
	CategorySlug string      `json:"category"`
	Price        money.Money `json:"price"`
	WeightGrams  int         `json:"weight_grams"`
	Available    int         `json:"available"`
	Active       bool        `json:"active"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// InStock reports whether at least qty units can be sold.
func (p Product) InStock(qty int) bool { return p.Active && p.Available >= qty }

// Filter narrows a product listing.
type Filter struct {
	CategoryIDs []int64
	// NameLike matches products whose name contains it, case-insensitively.
	NameLike string
	MaxPrice int64
	InStock  bool
	Limit    int
	Offset   int
}

// ProductRepository persists products and categories.
type ProductRepository interface {
	Product(ctx context.Context, id int64) (Product, error)
	Products(ctx context.Context, f Filter) ([]Product, error)
	CreateProduct(ctx context.Context, p *Product) error
	UpsertCategories(ctx context.Context, cs []Category) error
}

// StockRepository persists stock levels.
type StockRepository interface {
	Reserve(ctx context.Context, productID int64, qty int) error
	Release(ctx context.Context, productID int64, qty int) error
	SetLevel(ctx context.Context, productID int64, available int) error
}

// Service implements the catalog's use cases.
type Service struct {
	products ProductRepository
	stock    StockRepository
	currency string
	cacheTTL time.Duration
}

// NewService returns a catalog service for a shop pricing in currency. It
// caches product reads for cacheTTL.
func NewService(products ProductRepository, stock StockRepository, currency string, cacheTTL time.Duration) *Service {
	return &Service{products: products, stock: stock, currency: currency, cacheTTL: cacheTTL}
}

// Product returns the product with the given id, from the cache when a
// fresh copy is there.
func (s *Service) Product(ctx context.Context, id int64) (Product, error) {
	if p, ok := cachedProduct(id); ok {
		return p, nil
	}
	p, err := s.products.Product(ctx, id)
	if err != nil {
		return Product{}, err
	}
	if !p.Active {
		return Product{}, ErrProductNotFound
	}
	cacheProduct(p, s.cacheTTL)
	return p, nil
}

// List returns active products matching f.
func (s *Service) List(ctx context.Context, f Filter) ([]Product, error) {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 50
	}
	return s.products.Products(ctx, f)
}

// InCategory lists the products of a category and of all its descendants.
func (s *Service) InCategory(ctx context.Context, slug string, f Filter) ([]Product, error) {
	c, ok := CategoryBySlug(slug)
	if !ok {
		return nil, ErrCategoryNotFound
	}
	f.CategoryIDs = append([]int64{c.ID}, Descendants(c.ID)...)
	return s.List(ctx, f)
}

// Create validates and adds a product with its initial stock level.
func (s *Service) Create(ctx context.Context, p Product) (Product, error) {
	p.SKU = strings.ToUpper(strings.TrimSpace(p.SKU))
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case !skuPattern.MatchString(p.SKU):
		return Product{}, fmt.Errorf("%w: malformed SKU %q", ErrInvalidProduct, p.SKU)
	case p.Name == "":
		return Product{}, fmt.Errorf("%w: name is required", ErrInvalidProduct)
	case p.Price.Amount <= 0 || p.Price.Currency != s.currency:
		return Product{}, fmt.Errorf("%w: invalid price %s", ErrInvalidProduct, p.Price)
	case p.WeightGrams <= 0:
		return Product{}, fmt.Errorf("%w: weight is required for shipping", ErrInvalidProduct)
	}
	if _, ok := CategoryByID(p.CategoryID); !ok {
		return Product{}, fmt.Errorf("%w: %v", ErrInvalidProduct, ErrCategoryNotFound)
	}
	p.Active = true
	if err := s.products.CreateProduct(ctx, &p); err != nil {
		return Product{}, err
	}
	if err := s.stock.SetLevel(ctx, p.ID, p.Available); err != nil {
		return Product{}, err
	}
	return p, nil
}

// Search parses a free-text query ("red shirt category:apparel max:30
// instock") and returns matching products, best first.
func (s *Service) Search(ctx context.Context, raw string, limit int) ([]Product, error) {
	q := search.Parse(raw)
	if len(q.Terms) == 0 {
		return nil, nil
	}
	f := Filter{NameLike: q.Terms[0], InStock: q.InStock, Limit: 200}
	if q.MaxPrice != "" {
		max, err := money.ParseAmount(q.MaxPrice, s.currency)
		if err != nil {
			return nil, err
		}
		f.MaxPrice = max.Amount
	}
	if q.Category != "" {
		c, ok := CategoryBySlug(q.Category)
		if !ok {
			return nil, ErrCategoryNotFound
		}
		f.CategoryIDs = append([]int64{c.ID}, Descendants(c.ID)...)
	}
	candidates, err := s.products.Products(ctx, f)
	if err != nil {
		return nil, err
	}
	docs := make([]search.Document, len(candidates))
	byID := make(map[int64]Product, len(candidates))
	for i, p := range candidates {
		docs[i] = search.Document{ID: p.ID, Title: p.Name, Body: p.Description}
		byID[p.ID] = p
	}
	hits := search.Rank(q, docs)
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Product, len(hits))
	for i, h := range hits {
		out[i] = byID[h.ID]
	}
	return out, nil
}
