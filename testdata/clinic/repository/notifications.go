package repository

import (
	"context"
	"database/sql"
	"time"

	"example.com/clinic/model"
	"example.com/clinic/platform/sqldb"
)

// MessageRepository is the notification outbox.
type MessageRepository struct {
	db *sql.DB
}

// NewMessageRepository returns a repository on db.
func NewMessageRepository(db *sql.DB) *MessageRepository { return &MessageRepository{db: db} }

// Enqueue adds a message to the outbox. The channel is resolved from the
// patient's preference when the message leaves no choice.
func (r *MessageRepository) Enqueue(ctx context.Context, m *model.Message) error {
	return r.db.QueryRowContext(ctx, `
		INSERT INTO messages (patient_id, appointment_id, kind, channel, subject, body, status, attempts, not_before, created_at)
		SELECT $1, $2, $3, COALESCE(NULLIF($4, ''), p.preferred_channel), $5, $6, 'queued', 0, $7, now()
		FROM patients p WHERE p.id = $1
		RETURNING id, channel, created_at`,
		m.PatientID, nullInt(m.AppointmentID), m.Kind, m.Channel, m.Subject, m.Body, m.NotBefore,
	).Scan(&m.ID, &m.Channel, &m.CreatedAt)
}

// Claim locks up to limit due messages for delivery and returns them with
// the recipient's current contact details.
func (r *MessageRepository) Claim(ctx context.Context, limit int, lease time.Duration) ([]model.Message, error) {
	var out []model.Message
	err := sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT m.id, m.patient_id, COALESCE(m.appointment_id, 0), m.kind, m.channel, m.subject, m.body, m.attempts,
				COALESCE(p.email, ''), COALESCE(p.phone, '')
			FROM messages m JOIN patients p ON p.id = m.patient_id
			WHERE m.status = 'queued' AND m.not_before <= now()
			ORDER BY m.not_before
			LIMIT $1
			FOR UPDATE OF m SKIP LOCKED`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m model.Message
			if err := rows.Scan(&m.ID, &m.PatientID, &m.AppointmentID, &m.Kind, &m.Channel, &m.Subject, &m.Body,
				&m.Attempts, &m.Recipient.Email, &m.Recipient.Phone); err != nil {
				return err
			}
			out = append(out, m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET not_before = now() + $2 * interval '1 second' WHERE id = $1`,
				m.ID, lease.Seconds()); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// MarkSent records a delivery.
func (r *MessageRepository) MarkSent(ctx context.Context, id int64, at time.Time) error {
	_, err := r.db.ExecContext(ctx, `UPDATE messages SET status = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = $1`, id, at)
	return err
}

// MarkFailed records a failed attempt; the message is retried after retryAt
// unless it is given up.
func (r *MessageRepository) MarkFailed(ctx context.Context, id int64, reason string, retryAt time.Time, giveUp bool) error {
	status := "queued"
	if giveUp {
		status = "failed"
	}
	_, err := r.db.ExecContext(ctx, `
		UPDATE messages SET status = $2, attempts = attempts + 1, last_error = $3, not_before = $4
		WHERE id = $1`, id, status, reason, retryAt)
	return err
}

// Requeue puts a failed message back in the queue.
func (r *MessageRepository) Requeue(ctx context.Context, id int64) error {
	return expectOne(r.db.ExecContext(ctx, `
		UPDATE messages SET status = 'queued', attempts = 0, not_before = now()
		WHERE id = $1 AND status = 'failed'`, id))
}

// List returns messages by status, or a patient's messages when patientID
// is set, newest first.
func (r *MessageRepository) List(ctx context.Context, patientID int64, status model.MessageStatus, page model.Page) ([]model.Message, error) {
	page = page.Normalize()
	rows, err := r.db.QueryContext(ctx, `
		SELECT id, patient_id, COALESCE(appointment_id, 0), kind, channel, subject, body, status, attempts,
			COALESCE(last_error, ''), not_before, COALESCE(sent_at, 'epoch'::timestamptz), created_at
		FROM messages
		WHERE ($1 = 0 OR patient_id = $1) AND ($2 = '' OR status = $2)
		ORDER BY created_at DESC LIMIT $3 OFFSET $4`, patientID, status, page.Limit, page.Offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Message
	for rows.Next() {
		var m model.Message
		if err := rows.Scan(&m.ID, &m.PatientID, &m.AppointmentID, &m.Kind, &m.Channel, &m.Subject, &m.Body, &m.Status,
			&m.Attempts, &m.LastError, &m.NotBefore, &m.SentAt, &m.CreatedAt); err != nil {
			return nil, err
		}
		if m.SentAt.Equal(time.Unix(0, 0)) {
			m.SentAt = time.Time{}
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// DueReminders lists scheduled appointments starting in [from, to) that
// have no reminder message yet.
func (r *MessageRepository) DueReminders(ctx context.Context, from, to time.Time) ([]model.Reminder, error) {
	rows, err := r.db.QueryContext(ctx, `
		SELECT a.id, a.patient_id, p.first_name || ' ' || p.last_name, pr.name, s.starts_at
		FROM appointments a
		JOIN slots s ON s.id = a.slot_id
		JOIN patients p ON p.id = a.patient_id
		JOIN providers pr ON pr.id = a.provider_id
		WHERE a.status = 'scheduled' AND s.starts_at >= $1 AND s.starts_at < $2
		  AND NOT EXISTS (
			SELECT 1 FROM messages m
			WHERE m.appointment_id = a.id AND m.kind = 'appointment_reminder')
		ORDER BY s.starts_at`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Reminder
	for rows.Next() {
		var rm model.Reminder
		if err := rows.Scan(&rm.AppointmentID, &rm.PatientID, &rm.PatientName, &rm.ProviderName, &rm.Start); err != nil {
			return nil, err
		}
		out = append(out, rm)
	}
	return out, rows.Err()
}
