package repository

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"example.com/clinic/model"
	"example.com/clinic/money"
	"example.com/clinic/platform/sqldb"
)

// BillingRepository stores the fee schedule, invoices, payments and
// insurance claims.
type BillingRepository struct {
	db       *sql.DB
	currency string
}

// NewBillingRepository returns a repository on db; amounts are in currency.
func NewBillingRepository(db *sql.DB, currency string) *BillingRepository {
	return &BillingRepository{db: db, currency: currency}
}

// Fee returns the fee schedule entry for a CPT code.
func (r *BillingRepository) Fee(ctx context.Context, code string) (model.Fee, error) {
	var f model.Fee
	var cents int64
	err := r.db.QueryRowContext(ctx, `SELECT code, description, price_cents FROM fee_schedule WHERE code = $1 AND active`, code).
		Scan(&f.Code, &f.Description, &cents)
	f.Price = money.New(cents, r.currency)
	return f, notFound(err)
}

// LastInvoiceNumber returns the highest sequence number used in year, 0
// when none.
func (r *BillingRepository) LastInvoiceNumber(ctx context.Context, year int) (int, error) {
	var n int
	err := r.db.QueryRowContext(ctx, `
		SELECT COALESCE(MAX(CAST(split_part(number, '-', 3) AS integer)), 0)
		FROM invoices WHERE number LIKE $1`, fmt.Sprintf("INV-%d-%%", year)).Scan(&n)
	return n, err
}

// CreateInvoice inserts inv with its lines. When the invoice is for a
// visit, the appointment is stamped with the invoice id in the same
// transaction so that a visit cannot be invoiced twice.
func (r *BillingRepository) CreateInvoice(ctx context.Context, actor model.Actor, inv *model.Invoice) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO invoices (number, patient_id, appointment_id, status, total_cents, paid_cents, currency, issued_at, due_at)
			VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8)
			RETURNING id`,
			inv.Number, inv.PatientID, nullInt(inv.AppointmentID), inv.Status, inv.Total.Cents, inv.Total.Currency,
			inv.IssuedAt, inv.DueAt).Scan(&inv.ID)
		if err != nil {
			return fmt.Errorf("insert invoice: %w", err)
		}
		for i, l := range inv.Lines {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO invoice_lines (invoice_id, line_no, code, description, quantity, unit_price_cents)
				VALUES ($1, $2, $3, $4, $5, $6)`,
				inv.ID, i+1, l.Code, l.Description, l.Quantity, l.UnitPrice.Cents); err != nil {
				return fmt.Errorf("insert invoice line %d: %w", i+1, err)
			}
		}
		if inv.AppointmentID != 0 {
			res, err := tx.ExecContext(ctx, `
				UPDATE appointments SET invoice_id = $2 WHERE id = $1 AND invoice_id IS NULL`,
				inv.AppointmentID, inv.ID)
			if err := expectOne(res, err); err != nil {
				return fmt.Errorf("appointment %d already invoiced: %w", inv.AppointmentID, err)
			}
		}
		return writeAudit(ctx, tx, actor, "invoice", inv.ID, "issue", inv.Total.String())
	})
}

// Invoice returns an invoice with its lines and the patient it is billed to.
func (r *BillingRepository) Invoice(ctx context.Context, id int64) (model.Invoice, error) {
	var inv model.Invoice
	var total, paid int64
	var cur, first, last string
	var addr model.Address
	err := r.db.QueryRowContext(ctx, `
		SELECT i.id, i.number, i.patient_id, COALESCE(i.appointment_id, 0), i.status, i.total_cents, i.paid_cents,
			i.currency, i.issued_at, i.due_at,
			p.first_name, p.last_name, p.addr_line1, COALESCE(p.addr_line2, ''), p.addr_city, p.addr_state,
			p.addr_postal_code, p.addr_country
		FROM invoices i JOIN patients p ON p.id = i.patient_id
		WHERE i.id = $1`, id).Scan(&inv.ID, &inv.Number, &inv.PatientID, &inv.AppointmentID, &inv.Status, &total, &paid,
		&cur, &inv.IssuedAt, &inv.DueAt,
		&first, &last, &addr.Line1, &addr.Line2, &addr.City, &addr.State, &addr.PostalCode, &addr.Country)
	if err != nil {
		return model.Invoice{}, notFound(err)
	}
	inv.Total, inv.Paid = money.New(total, cur), money.New(paid, cur)
	inv.BillTo, inv.BillToAddr = first+" "+last, addr.OneLine()

	rows, err := r.db.QueryContext(ctx, `
		SELECT code, description, quantity, unit_price_cents FROM invoice_lines
		WHERE invoice_id = $1 ORDER BY line_no`, id)
	if err != nil {
		return model.Invoice{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var l model.InvoiceLine
		var cents int64
		if err := rows.Scan(&l.Code, &l.Description, &l.Quantity, &cents); err != nil {
			return model.Invoice{}, err
		}
		l.UnitPrice = money.New(cents, cur)
		inv.Lines = append(inv.Lines, l)
	}
	return inv, rows.Err()
}

// PatientInvoices lists a patient's invoices, newest first, without lines.
func (r *BillingRepository) PatientInvoices(ctx context.Context, patientID int64, page model.Page) ([]model.Invoice, error) {
	page = page.Normalize()
	rows, err := r.db.QueryContext(ctx, `
		SELECT id, number, patient_id, COALESCE(appointment_id, 0), status, total_cents, paid_cents, currency, issued_at, due_at
		FROM invoices WHERE patient_id = $1
		ORDER BY issued_at DESC LIMIT $2 OFFSET $3`, patientID, page.Limit, page.Offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Invoice
	for rows.Next() {
		var inv model.Invoice
		var total, paid int64
		var cur string
		if err := rows.Scan(&inv.ID, &inv.Number, &inv.PatientID, &inv.AppointmentID, &inv.Status,
			&total, &paid, &cur, &inv.IssuedAt, &inv.DueAt); err != nil {
			return nil, err
		}
		inv.Total, inv.Paid = money.New(total, cur), money.New(paid, cur)
		out = append(out, inv)
	}
	return out, rows.Err()
}

// AddPayment records p and updates the invoice's paid amount and status.
func (r *BillingRepository) AddPayment(ctx context.Context, actor model.Actor, p *model.Payment) (model.InvoiceStatus, error) {
	var status model.InvoiceStatus
	err := sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO payments (invoice_id, amount_cents, currency, method, reference, received_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			p.InvoiceID, p.Amount.Cents, p.Amount.Currency, p.Method, nullString(p.Reference), p.ReceivedAt).Scan(&p.ID)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `
			UPDATE invoices SET paid_cents = paid_cents + $2,
				status = CASE WHEN paid_cents + $2 >= total_cents THEN 'paid' ELSE 'partially_paid' END
			WHERE id = $1 AND status IN ('issued', 'partially_paid')
			RETURNING status`, p.InvoiceID, p.Amount.Cents).Scan(&status)
		if err == sql.ErrNoRows {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, actor, "invoice", p.InvoiceID, "payment", p.Amount.String())
	})
	return status, err
}

// Void voids an unpaid invoice and frees its appointment for re-invoicing.
func (r *BillingRepository) Void(ctx context.Context, actor model.Actor, id int64, reason string) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE invoices SET status = 'void' WHERE id = $1 AND paid_cents = 0 AND status = 'issued'`, id)
		if err := expectOne(res, err); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE appointments SET invoice_id = NULL WHERE invoice_id = $1`, id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, actor, "invoice", id, "void", reason)
	})
}

// CreateClaim records a pending claim.
func (r *BillingRepository) CreateClaim(ctx context.Context, c *model.Claim) error {
	return r.db.QueryRowContext(ctx, `
		INSERT INTO claims (invoice_id, coverage_id, payer_id, member_id, amount_cents, currency, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'pending', now())
		RETURNING id, created_at`,
		c.InvoiceID, c.CoverageID, c.PayerID, c.MemberID, c.Amount.Cents, c.Amount.Currency).Scan(&c.ID, &c.CreatedAt)
}

const claimColumns = `id, invoice_id, coverage_id, payer_id, member_id, amount_cents, currency, status,
	COALESCE(batch_id, ''), COALESCE(submitted_at, 'epoch'::timestamptz), COALESCE(response, ''), created_at`

func scanClaim(s scanner) (model.Claim, error) {
	var c model.Claim
	var cents int64
	var cur string
	err := s.Scan(&c.ID, &c.InvoiceID, &c.CoverageID, &c.PayerID, &c.MemberID, &cents, &cur, &c.Status,
		&c.BatchID, &c.SubmittedAt, &c.Response, &c.CreatedAt)
	c.Amount = money.New(cents, cur)
	if c.SubmittedAt.Equal(time.Unix(0, 0)) {
		c.SubmittedAt = time.Time{}
	}
	return c, err
}

// Claims lists claims by status, oldest first.
func (r *BillingRepository) Claims(ctx context.Context, status model.ClaimStatus, limit int) ([]model.Claim, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT `+claimColumns+` FROM claims WHERE status = $1 ORDER BY created_at LIMIT $2`, status, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Claim
	for rows.Next() {
		c, err := scanClaim(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MarkSubmitted records that claims went out in batch.
func (r *BillingRepository) MarkSubmitted(ctx context.Context, batch string, ids []int64, at time.Time) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `
				UPDATE claims SET status = 'submitted', batch_id = $2, submitted_at = $3
				WHERE id = $1 AND status = 'pending'`, id, batch, at); err != nil {
				return err
			}
		}
		return nil
	})
}
