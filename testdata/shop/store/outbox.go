package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"example.com/shop/notifications"
	"example.com/shop/platform/db"
)

// OutboxStore stores notifications awaiting delivery.
type OutboxStore struct{}

const outboxColumns = `
	id, template, recipient, subject, body, status, attempts,
	last_error, created_at, next_attempt_at, sent_at`

// Enqueue inserts a message and sets its id.
func (OutboxStore) Enqueue(ctx context.Context, m *notifications.Message) error {
	return db.Conn.QueryRowContext(ctx, `
		INSERT INTO outbox (template, recipient, subject, body, status, attempts, last_error, created_at, next_attempt_at)
		VALUES ($1, $2, $3, $4, $5, 0, '', $6, $7)
		RETURNING id`,
		m.Template, m.Recipient, m.Subject, m.Body, m.Status, m.CreatedAt, m.NextAttemptAt,
	).Scan(&m.ID)
}

// Due returns pending messages whose next attempt is due at now.
func (OutboxStore) Due(ctx context.Context, now time.Time, limit int) ([]notifications.Message, error) {
	return outboxQuery(ctx, `SELECT`+outboxColumns+`
		FROM outbox
		WHERE status = 'pending' AND next_attempt_at <= $1
		ORDER BY next_attempt_at, id
		LIMIT $2`, now, limit)
}

// Pending returns undelivered messages, dead ones included, oldest first.
func (OutboxStore) Pending(ctx context.Context, limit int) ([]notifications.Message, error) {
	return outboxQuery(ctx, `SELECT`+outboxColumns+`
		FROM outbox
		WHERE status <> 'sent'
		ORDER BY created_at, id
		LIMIT $1`, limit)
}

// MarkSent records a delivery.
func (OutboxStore) MarkSent(ctx context.Context, id int64, at time.Time) error {
	_, err := db.Conn.ExecContext(ctx, `
		UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1
		WHERE id = $2`, at, id)
	return err
}

// MarkFailed records a failed attempt and when to try again; a dead
// message is not tried again.
func (OutboxStore) MarkFailed(ctx context.Context, id int64, reason string, next time.Time, dead bool) error {
	status := notifications.StatusPending
	if dead {
		status = notifications.StatusDead
	}
	_, err := db.Conn.ExecContext(ctx, `
		UPDATE outbox
		SET status = $1, attempts = attempts + 1, last_error = $2, next_attempt_at = $3
		WHERE id = $4`, status, reason, next, id)
	return err
}

func outboxQuery(ctx context.Context, query string, args ...any) ([]notifications.Message, error) {
	rows, err := db.Conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer rows.Close()
	var out []notifications.Message
	for rows.Next() {
		var (
			m      notifications.Message
			sentAt sql.NullTime
		)
		if err := rows.Scan(&m.ID, &m.Template, &m.Recipient, &m.Subject, &m.Body,
			&m.Status, &m.Attempts, &m.LastError, &m.CreatedAt, &m.NextAttemptAt, &sentAt); err != nil {
			return nil, err
		}
		m.SentAt = sentAt.Time
		out = append(out, m)
	}
	return out, rows.Err()
}
