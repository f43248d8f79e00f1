package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"example.com/shop/checkout"
	"example.com/shop/money"
	"example.com/shop/platform/db"
)

// CartStore stores shopping carts.
type CartStore struct{}

// Cart returns the user's cart with its items, creating the cart if the
// user has none.
func (CartStore) Cart(ctx context.Context, userID int64) (checkout.Cart, error) {
	c := checkout.Cart{UserID: userID}
	err := db.Conn.QueryRowContext(ctx,
		`SELECT id, updated_at FROM carts WHERE user_id = $1`, userID,
	).Scan(&c.ID, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		err = db.Conn.QueryRowContext(ctx,
			`INSERT INTO carts (user_id, updated_at) VALUES ($1, now()) RETURNING id, updated_at`, userID,
		).Scan(&c.ID, &c.UpdatedAt)
	}
	if err != nil {
		return checkout.Cart{}, fmt.Errorf("store: cart of user %d: %w", userID, err)
	}

	rows, err := db.Conn.QueryContext(ctx, `
		SELECT ci.product_id, p.name, ci.quantity, ci.unit_price_cents, ci.currency,
		       COALESCE(s.available, 0) >= ci.quantity
		FROM cart_items ci
		JOIN products p ON p.id = ci.product_id
		LEFT JOIN stock s ON s.product_id = ci.product_id
		WHERE ci.cart_id = $1
		ORDER BY ci.added_at, ci.product_id`, c.ID)
	if err != nil {
		return checkout.Cart{}, fmt.Errorf("store: cart items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			it       checkout.CartItem
			cents    int64
			currency string
		)
		if err := rows.Scan(&it.ProductID, &it.Name, &it.Quantity, &cents, &currency, &it.InStock); err != nil {
			return checkout.Cart{}, err
		}
		it.UnitPrice = money.New(cents, currency)
		c.Items = append(c.Items, it)
	}
	return c, rows.Err()
}

// SetItem puts a product into a cart, or updates its quantity and price.
func (CartStore) SetItem(ctx context.Context, cartID int64, it checkout.CartItem) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO cart_items (cart_id, product_id, quantity, unit_price_cents, currency, added_at)
			VALUES ($1, $2, $3, $4, $5, now())
			ON CONFLICT (cart_id, product_id) DO UPDATE
			SET quantity = EXCLUDED.quantity,
			    unit_price_cents = EXCLUDED.unit_price_cents,
			    currency = EXCLUDED.currency`,
			cartID, it.ProductID, it.Quantity, it.UnitPrice.Amount, it.UnitPrice.Currency)
		if err != nil {
			return fmt.Errorf("store: set cart item: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE carts SET updated_at = now() WHERE id = $1`, cartID)
		return err
	})
}

// RemoveItem takes a product out of a cart.
func (CartStore) RemoveItem(ctx context.Context, cartID, productID int64) error {
	_, err := db.Conn.ExecContext(ctx,
		`DELETE FROM cart_items WHERE cart_id = $1 AND product_id = $2`, cartID, productID)
	if err != nil {
		return fmt.Errorf("store: remove cart item: %w", err)
	}
	return nil
}
