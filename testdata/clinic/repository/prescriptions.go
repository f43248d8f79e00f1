package repository

import (
	"context"
	"database/sql"
	"time"

	"example.com/clinic/model"
	"example.com/clinic/platform/sqldb"
)

// PrescriptionRepository stores prescriptions and reads the formulary and
// the pharmacy directory.
type PrescriptionRepository struct {
	db *sql.DB
}

// NewPrescriptionRepository returns a repository on db.
func NewPrescriptionRepository(db *sql.DB) *PrescriptionRepository {
	return &PrescriptionRepository{db: db}
}

// Medication looks a drug up in the formulary.
func (r *PrescriptionRepository) Medication(ctx context.Context, code string) (model.Medication, error) {
	var m model.Medication
	err := r.db.QueryRowContext(ctx, `
		SELECT rxnorm_code, name, strength, form, COALESCE(dea_schedule, 0)
		FROM medications WHERE rxnorm_code = $1`, code).Scan(&m.Code, &m.Name, &m.Strength, &m.Form, &m.Schedule)
	return m, notFound(err)
}

const rxColumns = `p.id, p.patient_id, p.prescriber_id, COALESCE(p.appointment_id, 0),
	m.rxnorm_code, m.name, m.strength, m.form, COALESCE(m.dea_schedule, 0),
	p.sig, p.quantity, p.refills, p.refills_used, COALESCE(p.pharmacy_id, 0), p.status,
	COALESCE(p.signed_at, 'epoch'::timestamptz), COALESCE(p.sent_at, 'epoch'::timestamptz),
	COALESCE(p.external_ref, ''), p.created_at`

func scanRx(s scanner) (model.Prescription, error) {
	var p model.Prescription
	err := s.Scan(&p.ID, &p.PatientID, &p.PrescriberID, &p.AppointmentID,
		&p.Medication.Code, &p.Medication.Name, &p.Medication.Strength, &p.Medication.Form, &p.Medication.Schedule,
		&p.Sig, &p.Quantity, &p.Refills, &p.RefillsUsed, &p.PharmacyID, &p.Status,
		&p.SignedAt, &p.SentAt, &p.ExternalRef, &p.CreatedAt)
	epoch := time.Unix(0, 0)
	if p.SignedAt.Equal(epoch) {
		p.SignedAt = time.Time{}
	}
	if p.SentAt.Equal(epoch) {
		p.SentAt = time.Time{}
	}
	return p, err
}

// Create inserts a draft prescription.
func (r *PrescriptionRepository) Create(ctx context.Context, actor model.Actor, p *model.Prescription) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO prescriptions (patient_id, prescriber_id, appointment_id, rxnorm_code, sig, quantity, refills,
				refills_used, pharmacy_id, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, 'draft', now())
			RETURNING id, created_at`,
			p.PatientID, p.PrescriberID, nullInt(p.AppointmentID), p.Medication.Code, p.Sig, p.Quantity, p.Refills,
			nullInt(p.PharmacyID)).Scan(&p.ID, &p.CreatedAt)
		if err != nil {
			return err
		}
		p.Status = model.RxDraft
		return writeAudit(ctx, tx, actor, "prescription", p.ID, "create", p.Medication.Code)
	})
}

// Get returns one prescription.
func (r *PrescriptionRepository) Get(ctx context.Context, id int64) (model.Prescription, error) {
	p, err := scanRx(r.db.QueryRowContext(ctx, `
		SELECT `+rxColumns+` FROM prescriptions p JOIN medications m ON m.rxnorm_code = p.rxnorm_code
		WHERE p.id = $1`, id))
	return p, notFound(err)
}

// ByExternalRef finds the prescription the e-prescribing network knows as ref.
func (r *PrescriptionRepository) ByExternalRef(ctx context.Context, ref string) (model.Prescription, error) {
	p, err := scanRx(r.db.QueryRowContext(ctx, `
		SELECT `+rxColumns+` FROM prescriptions p JOIN medications m ON m.rxnorm_code = p.rxnorm_code
		WHERE p.external_ref = $1`, ref))
	return p, notFound(err)
}

// ForPatient lists a patient's prescriptions; only active ones if active is set.
func (r *PrescriptionRepository) ForPatient(ctx context.Context, patientID int64, active bool) ([]model.Prescription, error) {
	q := `SELECT ` + rxColumns + ` FROM prescriptions p JOIN medications m ON m.rxnorm_code = p.rxnorm_code
		WHERE p.patient_id = $1`
	if active {
		q += ` AND p.status IN ('signed', 'sent', 'dispensed') AND p.refills_used <= p.refills`
	}
	rows, err := r.db.QueryContext(ctx, q+` ORDER BY p.created_at DESC`, patientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Prescription
	for rows.Next() {
		p, err := scanRx(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetStatus moves a prescription from one status to another and stamps
// the matching time column.
func (r *PrescriptionRepository) SetStatus(ctx context.Context, actor model.Actor, id int64, from, to model.RxStatus, at time.Time) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE prescriptions SET status = $3,
				signed_at = CASE WHEN $3 = 'signed' THEN $4 ELSE signed_at END,
				sent_at = CASE WHEN $3 = 'sent' THEN $4 ELSE sent_at END
			WHERE id = $1 AND status = $2`, id, from, to, at)
		if err := expectOne(res, err); err != nil {
			return err
		}
		return writeAudit(ctx, tx, actor, "prescription", id, string(to), "")
	})
}

// SetExternalRef stores the network's reference for a sent prescription.
func (r *PrescriptionRepository) SetExternalRef(ctx context.Context, id int64, ref string) error {
	return expectOne(r.db.ExecContext(ctx, `UPDATE prescriptions SET external_ref = $2 WHERE id = $1`, id, ref))
}

// RecordDispense counts a fill of the prescription.
func (r *PrescriptionRepository) RecordDispense(ctx context.Context, id int64, at time.Time) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE prescriptions SET status = 'dispensed',
				refills_used = CASE WHEN status = 'dispensed' THEN refills_used + 1 ELSE refills_used END
			WHERE id = $1 AND status IN ('sent', 'dispensed')`, id)
		if err := expectOne(res, err); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO dispense_events (prescription_id, dispensed_at) VALUES ($1, $2)`, id, at)
		return err
	})
}

// Pharmacies lists the pharmacies near a postal code prefix.
func (r *PrescriptionRepository) Pharmacies(ctx context.Context, postalPrefix string) ([]model.Pharmacy, error) {
	rows, err := r.db.QueryContext(ctx, `
		SELECT id, name, ncpdp_id, addr_line1, addr_city, addr_state, addr_postal_code, phone, COALESCE(fax, '')
		FROM pharmacies WHERE addr_postal_code LIKE $1 || '%' ORDER BY name LIMIT 50`, postalPrefix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Pharmacy
	for rows.Next() {
		var p model.Pharmacy
		if err := rows.Scan(&p.ID, &p.Name, &p.NCPDPID, &p.Address.Line1, &p.Address.City, &p.Address.State,
			&p.Address.PostalCode, &p.Phone, &p.Fax); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Pharmacy returns one pharmacy.
func (r *PrescriptionRepository) Pharmacy(ctx context.Context, id int64) (model.Pharmacy, error) {
	var p model.Pharmacy
	err := r.db.QueryRowContext(ctx, `
		SELECT id, name, ncpdp_id, addr_line1, addr_city, addr_state, addr_postal_code, phone, COALESCE(fax, '')
		FROM pharmacies WHERE id = $1`, id).Scan(&p.ID, &p.Name, &p.NCPDPID, &p.Address.Line1, &p.Address.City,
		&p.Address.State, &p.Address.PostalCode, &p.Phone, &p.Fax)
	return p, notFound(err)
}
