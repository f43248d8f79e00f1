package store

import (
	"context"
	"fmt"

	"example.com/shop/checkout/payment"
	"example.com/shop/money"
	"example.com/shop/platform/db"
)

// PaymentStore stores charges and refunds.
type PaymentStore struct{}

// Record inserts p and sets its id.
func (PaymentStore) Record(ctx context.Context, p *payment.Payment) error {
	err := db.Conn.QueryRowContext(ctx, `
		INSERT INTO payments (order_id, reference, status, amount_cents, currency, card_last4, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		RETURNING id`,
		p.OrderID, p.Reference, p.Status, p.Amount.Amount, p.Amount.Currency, p.CardLast4, p.CreatedAt,
	).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("store: record payment %s: %w", p.Reference, err)
	}
	return nil
}

// ByOrder returns an order's payments, oldest first.
func (PaymentStore) ByOrder(ctx context.Context, orderID int64) ([]payment.Payment, error) {
	rows, err := db.Conn.QueryContext(ctx, `
		SELECT id, order_id, reference, status, amount_cents, currency, card_last4, created_at
		FROM payments
		WHERE order_id = $1
		ORDER BY created_at, id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("store: payments of order %d: %w", orderID, err)
	}
	defer rows.Close()
	var out []payment.Payment
	for rows.Next() {
		var (
			p        payment.Payment
			cents    int64
			currency string
		)
		if err := rows.Scan(&p.ID, &p.OrderID, &p.Reference, &p.Status, &cents, &currency, &p.CardLast4, &p.CreatedAt); err != nil {
			return nil, err
		}
		p.Amount = money.New(cents, currency)
		out = append(out, p)
	}
	return out, rows.Err()
}
