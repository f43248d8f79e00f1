package store

import (
	"context"
	"fmt"

	"example.com/shop/catalog"
	"example.com/shop/platform/db"
)

// StockStore stores stock levels.
type StockStore struct{}

// Reserve moves qty units from available to reserved, failing with
// catalog.ErrInsufficientStock if fewer are available.
func (StockStore) Reserve(ctx context.Context, productID int64, qty int) error {
	res, err := db.Conn.ExecContext(ctx, `
		UPDATE stock
		SET available = available - $1, reserved = reserved + $1, updated_at = now()
		WHERE product_id = $2 AND available >= $1`,
		qty, productID)
	if err != nil {
		return fmt.Errorf("store: reserve stock: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return catalog.ErrInsufficientStock
	}
	return nil
}

// Release moves qty reserved units back to available.
func (StockStore) Release(ctx context.Context, productID int64, qty int) error {
	_, err := db.Conn.ExecContext(ctx, `
		UPDATE stock
		SET available = available + $1, reserved = GREATEST(reserved - $1, 0), updated_at = now()
		WHERE product_id = $2`,
		qty, productID)
	if err != nil {
		return fmt.Errorf("store: release stock: %w", err)
	}
	return nil
}

// SetLevel records a counted stock level.
func (StockStore) SetLevel(ctx context.Context, productID int64, available int) error {
	_, err := db.Conn.ExecContext(ctx, `
		INSERT INTO stock (product_id, available, reserved, updated_at)
		VALUES ($1, $2, 0, now())
		ON CONFLICT (product_id) DO UPDATE
		SET available = EXCLUDED.available, updated_at = EXCLUDED.updated_at`,
		productID, available)
	if err != nil {
		return fmt.Errorf("store: set stock level: %w", err)
	}
	return nil
}
