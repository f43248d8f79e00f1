package repository

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"example.com/clinic/model"
	"example.com/clinic/platform/sqldb"
)

// AppointmentRepository stores providers, their slots and the
// appointments booked into them.
type AppointmentRepository struct {
	db *sql.DB
}

// NewAppointmentRepository returns a repository on db.
func NewAppointmentRepository(db *sql.DB) *AppointmentRepository {
	return &AppointmentRepository{db: db}
}

// Providers lists the active providers.
func (r *AppointmentRepository) Providers(ctx context.Context) ([]model.Provider, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT id, name, specialty, npi, active FROM providers WHERE active ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Provider
	for rows.Next() {
		var p model.Provider
		if err := rows.Scan(&p.ID, &p.Name, &p.Specialty, &p.NPI, &p.Active); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Provider returns one provider.
func (r *AppointmentRepository) Provider(ctx context.Context, id int64) (model.Provider, error) {
	var p model.Provider
	err := r.db.QueryRowContext(ctx, `SELECT id, name, specialty, npi, active FROM providers WHERE id = $1`, id).
		Scan(&p.ID, &p.Name, &p.Specialty, &p.NPI, &p.Active)
	return p, notFound(err)
}

const slotColumns = `id, provider_id, starts_at, ends_at, status, COALESCE(held_by, 0), COALESCE(held_until, 'epoch'::timestamptz)`

func scanSlot(s scanner) (model.Slot, error) {
	var sl model.Slot
	err := s.Scan(&sl.ID, &sl.ProviderID, &sl.Start, &sl.End, &sl.Status, &sl.HeldBy, &sl.HeldUntil)
	if sl.HeldUntil.Equal(time.Unix(0, 0)) {
		sl.HeldUntil = time.Time{}
	}
	return sl, err
}

// Slots lists a provider's slots between from and to; only open ones
// unless all is set.
func (r *AppointmentRepository) Slots(ctx context.Context, providerID int64, from, to time.Time, all bool) ([]model.Slot, error) {
	q := `SELECT ` + slotColumns + ` FROM slots WHERE provider_id = $1 AND starts_at >= $2 AND starts_at < $3`
	if !all {
		q += ` AND status = 'open'`
	}
	rows, err := r.db.QueryContext(ctx, q+` ORDER BY starts_at`, providerID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Slot
	for rows.Next() {
		s, err := scanSlot(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Slot returns one slot.
func (r *AppointmentRepository) Slot(ctx context.Context, id int64) (model.Slot, error) {
	s, err := scanSlot(r.db.QueryRowContext(ctx, `SELECT `+slotColumns+` FROM slots WHERE id = $1`, id))
	return s, notFound(err)
}

// CreateSlots inserts slots, skipping any that overlap an existing slot of
// the same provider. It returns how many were created.
func (r *AppointmentRepository) CreateSlots(ctx context.Context, providerID int64, periods [][2]time.Time) (int, error) {
	created := 0
	err := sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		for _, p := range periods {
			res, err := tx.ExecContext(ctx, `
				INSERT INTO slots (provider_id, starts_at, ends_at, status)
				SELECT $1, $2, $3, 'open'
				WHERE NOT EXISTS (
					SELECT 1 FROM slots WHERE provider_id = $1 AND starts_at < $3 AND ends_at > $2)`,
				providerID, p[0], p[1])
			if err != nil {
				return fmt.Errorf("insert slot %s: %w", p[0].Format(time.RFC3339), err)
			}
			n, _ := res.RowsAffected()
			created += int(n)
		}
		return nil
	})
	return created, err
}

// Hold marks an open slot as held by a staff member until until.
func (r *AppointmentRepository) Hold(ctx context.Context, slotID, staffID int64, until time.Time) error {
	return expectOne(r.db.ExecContext(ctx, `
		UPDATE slots SET status = 'held', held_by = $2, held_until = $3
		WHERE id = $1 AND (status = 'open' OR (status = 'held' AND held_until < now()))`,
		slotID, staffID, until))
}

// Release returns a held slot to the open pool if it is still held.
func (r *AppointmentRepository) Release(ctx context.Context, slotID int64) error {
	_, err := r.db.ExecContext(ctx, `
		UPDATE slots SET status = 'open', held_by = NULL, held_until = NULL
		WHERE id = $1 AND status = 'held'`, slotID)
	return err
}

const appointmentColumns = `a.id, a.patient_id, a.provider_id, a.slot_id, s.starts_at, s.ends_at, a.kind,
	COALESCE(a.reason, ''), a.status, COALESCE(a.cancel_reason, ''), COALESCE(a.cancelled_at, 'epoch'::timestamptz),
	COALESCE(a.invoice_id, 0), a.created_at`

func scanAppointment(s scanner) (model.Appointment, error) {
	var a model.Appointment
	err := s.Scan(&a.ID, &a.PatientID, &a.ProviderID, &a.SlotID, &a.Start, &a.End, &a.Kind,
		&a.Reason, &a.Status, &a.CancelReason, &a.CancelledAt, &a.InvoiceID, &a.CreatedAt)
	if a.CancelledAt.Equal(time.Unix(0, 0)) {
		a.CancelledAt = time.Time{}
	}
	return a, err
}

// Book turns an open slot, or one held by the same staff member, into an
// appointment.
func (r *AppointmentRepository) Book(ctx context.Context, actor model.Actor, b model.Booking) (model.Appointment, error) {
	var id int64
	err := sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE slots SET status = 'booked', held_by = NULL, held_until = NULL
			WHERE id = $1 AND (status = 'open' OR (status = 'held' AND held_by = $2))`,
			b.SlotID, actor.StaffID)
		if err := expectOne(res, err); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO appointments (patient_id, provider_id, slot_id, kind, reason, status, booked_by, created_at)
			SELECT $1, provider_id, id, $2, $3, 'scheduled', $4, now() FROM slots WHERE id = $5
			RETURNING id`,
			b.PatientID, b.Kind, nullString(b.Reason), actor.StaffID, b.SlotID).Scan(&id)
	})
	if err != nil {
		return model.Appointment{}, err
	}
	return r.Get(ctx, id)
}

// Get returns one appointment with its times.
func (r *AppointmentRepository) Get(ctx context.Context, id int64) (model.Appointment, error) {
	a, err := scanAppointment(r.db.QueryRowContext(ctx, `
		SELECT `+appointmentColumns+`
		FROM appointments a JOIN slots s ON s.id = a.slot_id
		WHERE a.id = $1`, id))
	return a, notFound(err)
}

// List finds appointments.
func (r *AppointmentRepository) List(ctx context.Context, q model.AppointmentQuery) ([]model.Appointment, error) {
	where := []string{"true"}
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if q.PatientID != 0 {
		add("a.patient_id = $%d", q.PatientID)
	}
	if q.ProviderID != 0 {
		add("a.provider_id = $%d", q.ProviderID)
	}
	if !q.From.IsZero() {
		add("s.starts_at >= $%d", q.From)
	}
	if !q.To.IsZero() {
		add("s.starts_at < $%d", q.To)
	}
	if q.Status != "" {
		add("a.status = $%d", q.Status)
	}
	page := q.Page.Normalize()
	args = append(args, page.Limit, page.Offset)
	rows, err := r.db.QueryContext(ctx, `
		SELECT `+appointmentColumns+`
		FROM appointments a JOIN slots s ON s.id = a.slot_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY s.starts_at
		LIMIT $`+fmt.Sprint(len(args)-1)+` OFFSET $`+fmt.Sprint(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Appointment
	for rows.Next() {
		a, err := scanAppointment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Overlapping reports whether the patient already has an open appointment
// overlapping [start, end).
func (r *AppointmentRepository) Overlapping(ctx context.Context, patientID int64, start, end time.Time) (bool, error) {
	var exists bool
	err := r.db.QueryRowContext(ctx, `
		SELECT EXISTS (
			SELECT 1 FROM appointments a JOIN slots s ON s.id = a.slot_id
			WHERE a.patient_id = $1 AND a.status IN ('scheduled', 'checked_in')
			  AND s.starts_at < $3 AND s.ends_at > $2)`, patientID, start, end).Scan(&exists)
	return exists, err
}

// Cancel cancels an open appointment and reopens its slot.
func (r *AppointmentRepository) Cancel(ctx context.Context, id int64, reason string, reopen bool) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		var slotID int64
		err := tx.QueryRowContext(ctx, `
			UPDATE appointments SET status = 'cancelled', cancel_reason = $2, cancelled_at = now()
			WHERE id = $1 AND status IN ('scheduled', 'checked_in')
			RETURNING slot_id`, id, nullString(reason)).Scan(&slotID)
		if err == sql.ErrNoRows {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		status := "blocked"
		if reopen {
			status = "open"
		}
		_, err = tx.ExecContext(ctx, `UPDATE slots SET status = $2 WHERE id = $1`, slotID, status)
		return err
	})
}

// Transition moves an appointment from one status to another.
func (r *AppointmentRepository) Transition(ctx context.Context, id int64, from []model.AppointmentStatus, to model.AppointmentStatus) error {
	states := make([]string, len(from))
	for i, s := range from {
		states[i] = "'" + string(s) + "'"
	}
	return expectOne(r.db.ExecContext(ctx, `
		UPDATE appointments SET status = $2, updated_at = now()
		WHERE id = $1 AND status IN (`+strings.Join(states, ", ")+`)`, id, to))
}
