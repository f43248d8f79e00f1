package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"example.com/shop/catalog"
	"example.com/shop/money"
	"example.com/shop/platform/db"
)

// ProductStore stores products and categories.
type ProductStore struct{}

const productColumns = `
	p.id, p.sku, p.name, p.description, p.category_id, c.slug,
	p.price_cents, p.currency, p.weight_grams, COALESCE(s.available, 0),
	p.active, p.updated_at`

const productFrom = `
	FROM products p
	JOIN categories c ON c.id = p.category_id
	LEFT JOIN stock s ON s.product_id = p.id`

// Product returns a product with its category and stock level.
func (ProductStore) Product(ctx context.Context, id int64) (catalog.Product, error) {
	row := db.Conn.QueryRowContext(ctx, `SELECT`+productColumns+productFrom+` WHERE p.id = $1`, id)
	p, err := scanProduct(row)
	if errors.Is(err, sql.ErrNoRows) {
		return catalog.Product{}, catalog.ErrProductNotFound
	}
	return p, err
}

// Products lists active products matching f, by name.
func (ProductStore) Products(ctx context.Context, f catalog.Filter) ([]catalog.Product, error) {
	var args queryArgs
	where := []string{"p.active"}
	if len(f.CategoryIDs) > 0 {
		ph := make([]string, len(f.CategoryIDs))
		for i, id := range f.CategoryIDs {
			ph[i] = args.add(id)
		}
		where = append(where, "p.category_id IN ("+strings.Join(ph, ", ")+")")
	}
	if f.NameLike != "" {
		where = append(where, "LOWER(p.name) LIKE "+args.add("%"+strings.ToLower(f.NameLike)+"%"))
	}
	if f.MaxPrice > 0 {
		where = append(where, "p.price_cents <= "+args.add(f.MaxPrice))
	}
	if f.InStock {
		where = append(where, "s.available > 0")
	}
	query := `SELECT` + productColumns + productFrom +
		` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY p.name, p.id LIMIT ` + args.add(f.Limit) + ` OFFSET ` + args.add(f.Offset)

	rows, err := db.Conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list products: %w", err)
	}
	defer rows.Close()
	var out []catalog.Product
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CreateProduct inserts p and sets its id.
func (ProductStore) CreateProduct(ctx context.Context, p *catalog.Product) error {
	err := db.Conn.QueryRowContext(ctx, `
		INSERT INTO products (sku, name, description, category_id, price_cents, currency, weight_grams, active, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
		RETURNING id, updated_at`,
		p.SKU, p.Name, p.Description, p.CategoryID, p.Price.Amount, p.Price.Currency, p.WeightGrams, p.Active,
	).Scan(&p.ID, &p.UpdatedAt)
	if err != nil {
		return fmt.Errorf("store: insert product %s: %w", p.SKU, err)
	}
	return nil
}

// UpsertCategories makes the categories table match cs.
func (ProductStore) UpsertCategories(ctx context.Context, cs []catalog.Category) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		for _, c := range cs {
			_, err := tx.ExecContext(ctx, `
				INSERT INTO categories (id, slug, name, parent_id)
				VALUES ($1, $2, $3, NULLIF($4, 0))
				ON CONFLICT (id) DO UPDATE
				SET slug = EXCLUDED.slug, name = EXCLUDED.name, parent_id = EXCLUDED.parent_id`,
				c.ID, c.Slug, c.Name, c.ParentID)
			if err != nil {
				return fmt.Errorf("store: upsert category %s: %w", c.Slug, err)
			}
		}
		return nil
	})
}

func scanProduct(s scanner) (catalog.Product, error) {
	var (
		p        catalog.Product
		cents    int64
		currency string
	)
	err := s.Scan(&p.ID, &p.SKU, &p.Name, &p.Description, &p.CategoryID, &p.CategorySlug,
		&cents, &currency, &p.WeightGrams, &p.Available, &p.Active, &p.UpdatedAt)
	if err != nil {
		return catalog.Product{}, err
	}
	p.Price = money.New(cents, currency)
	return p, nil
}

// queryArgs collects the arguments of a query built at run time and hands
// out their placeholders.
type queryArgs []any

func (a *queryArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}
