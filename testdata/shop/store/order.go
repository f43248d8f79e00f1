package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"example.com/shop/checkout"
	"example.com/shop/money"
	"example.com/shop/platform/db"
)

// OrderStore stores orders and their items.
type OrderStore struct{}

const orderColumns = `
	id, user_id, email, status,
	ship_name, ship_line1, ship_line2, ship_city, ship_postal_code, ship_country, ship_phone,
	weight_grams, subtotal_cents, tax_cents, shipping_cents, total_cents, currency,
	created_at, paid_at`

// CreateFromCart inserts o, copies the cart's items into order_items and
// empties the cart.
func (OrderStore) CreateFromCart(ctx context.Context, o *checkout.Order, cartID int64) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		a := o.Address
		err := tx.QueryRowContext(ctx, `
			INSERT INTO orders (user_id, email, status,
				ship_name, ship_line1, ship_line2, ship_city, ship_postal_code, ship_country, ship_phone,
				weight_grams, subtotal_cents, tax_cents, shipping_cents, total_cents, currency,
				created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
			RETURNING id`,
			o.UserID, o.Email, o.Status,
			a.Name, a.Line1, a.Line2, a.City, a.PostalCode, a.Country, a.Phone,
			o.WeightGrams, o.Subtotal.Amount, o.Tax.Amount, o.ShippingCost.Amount, o.Total.Amount, o.Total.Currency,
			o.CreatedAt,
		).Scan(&o.ID)
		if err != nil {
			return fmt.Errorf("store: insert order: %w", err)
		}

		res, err := tx.ExecContext(ctx, `
			INSERT INTO order_items (order_id, product_id, sku, name, quantity, unit_price_cents, currency)
			SELECT $1, ci.product_id, p.sku, p.name, ci.quantity, ci.unit_price_cents, ci.currency
			FROM cart_items ci
			JOIN products p ON p.id = ci.product_id
			WHERE ci.cart_id = $2`,
			o.ID, cartID)
		if err != nil {
			return fmt.Errorf("store: copy cart items: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && int(n) != len(o.Items) {
			return fmt.Errorf("store: cart %d changed while ordering (%d items, expected %d)", cartID, n, len(o.Items))
		}

		if _, err := tx.ExecContext(ctx, `DELETE FROM cart_items WHERE cart_id = $1`, cartID); err != nil {
			return fmt.Errorf("store: empty cart: %w", err)
		}
		return nil
	})
}

// Order returns an order with its items.
func (OrderStore) Order(ctx context.Context, id int64) (checkout.Order, error) {
	row := db.Conn.QueryRowContext(ctx, `SELECT`+orderColumns+` FROM orders WHERE id = $1`, id)
	o, err := scanOrder(row)
	if errors.Is(err, sql.ErrNoRows) {
		return checkout.Order{}, checkout.ErrOrderNotFound
	}
	if err != nil {
		return checkout.Order{}, err
	}

	rows, err := db.Conn.QueryContext(ctx, `
		SELECT product_id, sku, name, quantity, unit_price_cents, currency
		FROM order_items
		WHERE order_id = $1
		ORDER BY product_id`, id)
	if err != nil {
		return checkout.Order{}, fmt.Errorf("store: order items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			it       checkout.OrderItem
			cents    int64
			currency string
		)
		if err := rows.Scan(&it.ProductID, &it.SKU, &it.Name, &it.Quantity, &cents, &currency); err != nil {
			return checkout.Order{}, err
		}
		it.UnitPrice = money.New(cents, currency)
		o.Items = append(o.Items, it)
	}
	return o, rows.Err()
}

// UpdateStatus moves an order from one status to another.
func (OrderStore) UpdateStatus(ctx context.Context, id int64, from, to checkout.OrderStatus, at time.Time) error {
	res, err := db.Conn.ExecContext(ctx, `
		UPDATE orders
		SET status = $1, updated_at = $2,
		    paid_at = CASE WHEN $1 = 'paid' THEN $2 ELSE paid_at END
		WHERE id = $3 AND status = $4`,
		to, at, id, from)
	if err != nil {
		return fmt.Errorf("store: update order %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	var exists bool
	if err := db.Conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE id = $1)`, id).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return checkout.ErrOrderNotFound
	}
	return checkout.ErrStatusConflict
}

func scanOrder(s scanner) (checkout.Order, error) {
	var (
		o                              checkout.Order
		subtotal, tax, shipping, total int64
		currency                       string
		paidAt                         sql.NullTime
	)
	a := &o.Address
	err := s.Scan(&o.ID, &o.UserID, &o.Email, &o.Status,
		&a.Name, &a.Line1, &a.Line2, &a.City, &a.PostalCode, &a.Country, &a.Phone,
		&o.WeightGrams, &subtotal, &tax, &shipping, &total, &currency,
		&o.CreatedAt, &paidAt)
	if err != nil {
		return checkout.Order{}, err
	}
	o.Subtotal = money.New(subtotal, currency)
	o.Tax = money.New(tax, currency)
	o.ShippingCost = money.New(shipping, currency)
	o.Total = money.New(total, currency)
	o.PaidAt = paidAt.Time
	return o, nil
}
