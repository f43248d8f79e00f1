package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"example.com/shop/money"
	"example.com/shop/platform/db"
	"example.com/shop/shipping"
)

// ShipmentStore stores shipments and their tracking events.
type ShipmentStore struct{}

const shipmentColumns = `
	s.id, s.order_id, s.carrier, s.service, s.tracking_number, s.status,
	s.recipient_name, s.recipient_line1, s.recipient_line2, s.recipient_city,
	s.recipient_postal_code, s.recipient_country, s.recipient_phone, s.recipient_email,
	s.weight_grams, s.cost_cents, s.currency, s.created_at, s.shipped_at, s.delivered_at`

// Create inserts a shipment and sets its id.
func (ShipmentStore) Create(ctx context.Context, sh *shipping.Shipment) error {
	d := sh.Destination
	err := db.Conn.QueryRowContext(ctx, `
		INSERT INTO shipments (order_id, carrier, service, tracking_number, status,
			recipient_name, recipient_line1, recipient_line2, recipient_city,
			recipient_postal_code, recipient_country, recipient_phone, recipient_email,
			weight_grams, cost_cents, currency, created_at)
		VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		RETURNING id`,
		sh.OrderID, sh.Carrier, sh.Service, sh.Status,
		d.Name, d.Line1, d.Line2, d.City, d.PostalCode, d.Country, d.Phone, d.Email,
		sh.WeightGrams, sh.Cost.Amount, sh.Cost.Currency, sh.CreatedAt,
	).Scan(&sh.ID)
	if err != nil {
		return fmt.Errorf("store: insert shipment: %w", err)
	}
	return nil
}

// Shipment returns a shipment with its tracking events.
func (ShipmentStore) Shipment(ctx context.Context, id int64) (shipping.Shipment, error) {
	return shipmentWhere(ctx, `s.id = $1`, id)
}

// ByOrder returns the shipment of an order with its tracking events.
func (ShipmentStore) ByOrder(ctx context.Context, orderID int64) (shipping.Shipment, error) {
	return shipmentWhere(ctx, `s.order_id = $1`, orderID)
}

// InFlight returns shipments that have left the warehouse and are not yet
// delivered, least recently shipped first.
func (ShipmentStore) InFlight(ctx context.Context, limit int) ([]shipping.Shipment, error) {
	rows, err := db.Conn.QueryContext(ctx, `SELECT`+shipmentColumns+`
		FROM shipments s
		JOIN orders o ON o.id = s.order_id
		WHERE s.status IN ('label_created', 'in_transit') AND o.status = 'shipped'
		ORDER BY s.shipped_at
		LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: shipments in flight: %w", err)
	}
	var out []shipping.Shipment
	for rows.Next() {
		sh, err := scanShipment(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, sh)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Events, err = trackingEvents(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MarkShipped records a shipment's tracking number and moves its order
// from paid to shipped.
func (ShipmentStore) MarkShipped(ctx context.Context, id int64, trackingNumber string, at time.Time) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE shipments
			SET tracking_number = $1, status = 'label_created', shipped_at = $2
			WHERE id = $3 AND status = 'pending'`,
			trackingNumber, at, id)
		if err != nil {
			return fmt.Errorf("store: mark shipment %d shipped: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return shipping.ErrAlreadyDispatched
		}

		res, err = tx.ExecContext(ctx, `
			UPDATE orders
			SET status = 'shipped', updated_at = $2
			WHERE id = (SELECT order_id FROM shipments WHERE id = $1) AND status = 'paid'`,
			id, at)
		if err != nil {
			return fmt.Errorf("store: mark order of shipment %d shipped: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return shipping.ErrOrderNotShippable
		}
		return nil
	})
}

// AddEvents appends tracking events to a shipment and sets its status. A
// delivered shipment also marks its order delivered.
func (ShipmentStore) AddEvents(ctx context.Context, id int64, events []shipping.TrackingEvent, status shipping.Status) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		for _, e := range events {
			_, err := tx.ExecContext(ctx, `
				INSERT INTO tracking_events (shipment_id, at, status, location, description)
				VALUES ($1, $2, $3, $4, $5)`,
				id, e.At, e.Status, e.Location, e.Description)
			if err != nil {
				return fmt.Errorf("store: insert tracking event: %w", err)
			}
		}
		var deliveredAt sql.NullTime
		if status == shipping.StatusDelivered {
			deliveredAt = sql.NullTime{Time: events[len(events)-1].At, Valid: true}
		}
		_, err := tx.ExecContext(ctx, `
			UPDATE shipments SET status = $1, delivered_at = COALESCE($2, delivered_at) WHERE id = $3`,
			status, deliveredAt, id)
		if err != nil {
			return fmt.Errorf("store: update shipment %d: %w", id, err)
		}
		if status != shipping.StatusDelivered {
			return nil
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE orders o
			SET status = 'delivered', updated_at = $2
			FROM shipments s
			WHERE s.id = $1 AND o.id = s.order_id AND o.status = 'shipped'`,
			id, deliveredAt.Time)
		return err
	})
}

func shipmentWhere(ctx context.Context, cond string, arg any) (shipping.Shipment, error) {
	row := db.Conn.QueryRowContext(ctx, `SELECT`+shipmentColumns+` FROM shipments s WHERE `+cond, arg)
	sh, err := scanShipment(row)
	if errors.Is(err, sql.ErrNoRows) {
		return shipping.Shipment{}, shipping.ErrShipmentNotFound
	}
	if err != nil {
		return shipping.Shipment{}, err
	}
	sh.Events, err = trackingEvents(ctx, sh.ID)
	return sh, err
}

func trackingEvents(ctx context.Context, shipmentID int64) ([]shipping.TrackingEvent, error) {
	rows, err := db.Conn.QueryContext(ctx, `
		SELECT at, status, location, description
		FROM tracking_events
		WHERE shipment_id = $1
		ORDER BY at`, shipmentID)
	if err != nil {
		return nil, fmt.Errorf("store: tracking events: %w", err)
	}
	defer rows.Close()
	var out []shipping.TrackingEvent
	for rows.Next() {
		var e shipping.TrackingEvent
		if err := rows.Scan(&e.At, &e.Status, &e.Location, &e.Description); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scanShipment(s scanner) (shipping.Shipment, error) {
	var (
		sh                     shipping.Shipment
		cents                  int64
		currency               string
		shippedAt, deliveredAt sql.NullTime
	)
	d := &sh.Destination
	err := s.Scan(&sh.ID, &sh.OrderID, &sh.Carrier, &sh.Service, &sh.TrackingNumber, &sh.Status,
		&d.Name, &d.Line1, &d.Line2, &d.City, &d.PostalCode, &d.Country, &d.Phone, &d.Email,
		&sh.WeightGrams, &cents, &currency, &sh.CreatedAt, &shippedAt, &deliveredAt)
	if err != nil {
		return shipping.Shipment{}, err
	}
	sh.Cost = money.New(cents, currency)
	sh.ShippedAt = shippedAt.Time
	sh.DeliveredAt = deliveredAt.Time
	return sh, nil
}
