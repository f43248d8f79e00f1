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

// PatientRepository stores patients, their insurance, allergies and chart
// notes.
type PatientRepository struct {
	db *sql.DB
}

// NewPatientRepository returns a repository on db.
func NewPatientRepository(db *sql.DB) *PatientRepository { return &PatientRepository{db: db} }

const patientColumns = `id, mrn, first_name, last_name, date_of_birth, sex,
	COALESCE(email, ''), COALESCE(phone, ''), preferred_channel,
	addr_line1, COALESCE(addr_line2, ''), addr_city, addr_state, addr_postal_code, addr_country,
	active, created_at, updated_at`

func scanPatient(s scanner) (model.Patient, error) {
	var p model.Patient
	err := s.Scan(&p.ID, &p.MRN, &p.FirstName, &p.LastName, &p.DateOfBirth, &p.Sex,
		&p.Contact.Email, &p.Contact.Phone, &p.Contact.Preferred,
		&p.Address.Line1, &p.Address.Line2, &p.Address.City, &p.Address.State, &p.Address.PostalCode, &p.Address.Country,
		&p.Active, &p.CreatedAt, &p.UpdatedAt)
	return p, err
}

// Create inserts p, assigns its MRN from the patient_mrn_seq sequence and
// records the registration.
func (r *PatientRepository) Create(ctx context.Context, actor model.Actor, p *model.Patient) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT nextval('patient_mrn_seq')`).Scan(&seq); err != nil {
			return fmt.Errorf("next mrn: %w", err)
		}
		p.MRN = fmt.Sprintf("RFP%07d", seq)
		err := tx.QueryRowContext(ctx, `
			INSERT INTO patients (mrn, first_name, last_name, date_of_birth, sex, email, phone, preferred_channel,
				addr_line1, addr_line2, addr_city, addr_state, addr_postal_code, addr_country,
				active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, true, now(), now())
			RETURNING id, created_at, updated_at`,
			p.MRN, p.FirstName, p.LastName, p.DateOfBirth, p.Sex,
			nullString(p.Contact.Email), nullString(p.Contact.Phone), p.Contact.Preferred,
			p.Address.Line1, nullString(p.Address.Line2), p.Address.City, p.Address.State, p.Address.PostalCode, p.Address.Country,
		).Scan(&p.ID, &p.CreatedAt, &p.UpdatedAt)
		if err != nil {
			return fmt.Errorf("insert patient: %w", err)
		}
		p.Active = true
		return writeAudit(ctx, tx, actor, "patient", p.ID, "register", p.MRN)
	})
}

// Get returns one patient.
func (r *PatientRepository) Get(ctx context.Context, id int64) (model.Patient, error) {
	p, err := scanPatient(r.db.QueryRowContext(ctx, `SELECT `+patientColumns+` FROM patients WHERE id = $1`, id))
	return p, notFound(err)
}

// Search finds patients by MRN, by name and date of birth, or by name.
func (r *PatientRepository) Search(ctx context.Context, q model.PatientQuery) ([]model.Patient, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if q.MRN != "" {
		where = append(where, "mrn = "+arg(strings.ToUpper(q.MRN)))
	}
	if q.Name != "" {
		p := arg(like(q.Name))
		where = append(where, "(lower(last_name) LIKE "+p+" OR lower(first_name || ' ' || last_name) LIKE "+p+")")
	}
	if !q.DOB.IsZero() {
		where = append(where, "date_of_birth = "+arg(q.DOB))
	}
	if len(where) == 0 {
		where = append(where, "active")
	}
	page := q.Page.Normalize()
	query := `SELECT ` + patientColumns + ` FROM patients WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY last_name, first_name, id LIMIT ` + arg(page.Limit) + ` OFFSET ` + arg(page.Offset)
	rows, err := r.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Patient
	for rows.Next() {
		p, err := scanPatient(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// UpdateContact changes the patient's contact details and address.
func (r *PatientRepository) UpdateContact(ctx context.Context, actor model.Actor, id int64, c model.Contact, a model.Address) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE patients SET email = $2, phone = $3, preferred_channel = $4,
				addr_line1 = $5, addr_line2 = $6, addr_city = $7, addr_state = $8, addr_postal_code = $9, addr_country = $10,
				updated_at = now()
			WHERE id = $1`,
			id, nullString(c.Email), nullString(c.Phone), c.Preferred,
			a.Line1, nullString(a.Line2), a.City, a.State, a.PostalCode, a.Country)
		if err := expectOne(res, err); err != nil {
			return err
		}
		return writeAudit(ctx, tx, actor, "patient", id, "update_contact", "")
	})
}

// SetActive activates or deactivates a patient.
func (r *PatientRepository) SetActive(ctx context.Context, actor model.Actor, id int64, active bool, reason string) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE patients SET active = $2, updated_at = now() WHERE id = $1`, id, active)
		if err := expectOne(res, err); err != nil {
			return err
		}
		action := "deactivate"
		if active {
			action = "activate"
		}
		return writeAudit(ctx, tx, actor, "patient", id, action, reason)
	})
}

// Coverages lists a patient's insurance policies, primary first.
func (r *PatientRepository) Coverages(ctx context.Context, patientID int64) ([]model.Coverage, error) {
	rows, err := r.db.QueryContext(ctx, `
		SELECT id, patient_id, payer_name, payer_id, member_id, COALESCE(group_number, ''), relationship,
			is_primary, valid_from, COALESCE(valid_to, 'epoch'::timestamptz)
		FROM patient_coverages
		WHERE patient_id = $1
		ORDER BY is_primary DESC, valid_from DESC`, patientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Coverage
	for rows.Next() {
		var c model.Coverage
		if err := rows.Scan(&c.ID, &c.PatientID, &c.PayerName, &c.PayerID, &c.MemberID, &c.GroupNumber,
			&c.Relationship, &c.Primary, &c.ValidFrom, &c.ValidTo); err != nil {
			return nil, err
		}
		if c.ValidTo.Equal(time.Unix(0, 0)) {
			c.ValidTo = time.Time{}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddCoverage records a policy; a new primary policy demotes the old one.
func (r *PatientRepository) AddCoverage(ctx context.Context, actor model.Actor, c *model.Coverage) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		if c.Primary {
			if _, err := tx.ExecContext(ctx, `UPDATE patient_coverages SET is_primary = false WHERE patient_id = $1`, c.PatientID); err != nil {
				return err
			}
		}
		err := tx.QueryRowContext(ctx, `
			INSERT INTO patient_coverages (patient_id, payer_name, payer_id, member_id, group_number, relationship, is_primary, valid_from, valid_to)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			RETURNING id`,
			c.PatientID, c.PayerName, c.PayerID, c.MemberID, nullString(c.GroupNumber), c.Relationship, c.Primary,
			c.ValidFrom, nullTime(c.ValidTo)).Scan(&c.ID)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, actor, "patient", c.PatientID, "add_coverage", c.PayerID+"/"+c.MemberID)
	})
}

// Allergies lists a patient's allergies.
func (r *PatientRepository) Allergies(ctx context.Context, patientID int64) ([]model.Allergy, error) {
	rows, err := r.db.QueryContext(ctx, `
		SELECT id, patient_id, substance, COALESCE(reaction, ''), severity, recorded_at
		FROM patient_allergies WHERE patient_id = $1 ORDER BY substance`, patientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Allergy
	for rows.Next() {
		var a model.Allergy
		if err := rows.Scan(&a.ID, &a.PatientID, &a.Substance, &a.Reaction, &a.Severity, &a.RecordedAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddAllergy records an allergy.
func (r *PatientRepository) AddAllergy(ctx context.Context, actor model.Actor, a *model.Allergy) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO patient_allergies (patient_id, substance, reaction, severity, recorded_at)
			VALUES ($1, $2, $3, $4, now()) RETURNING id, recorded_at`,
			a.PatientID, a.Substance, nullString(a.Reaction), a.Severity).Scan(&a.ID, &a.RecordedAt)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, actor, "patient", a.PatientID, "add_allergy", a.Substance)
	})
}

// Notes lists a patient's chart notes, newest first.
func (r *PatientRepository) Notes(ctx context.Context, patientID int64, page model.Page) ([]model.ClinicalNote, error) {
	page = page.Normalize()
	rows, err := r.db.QueryContext(ctx, `
		SELECT id, patient_id, COALESCE(appointment_id, 0), author_id, body, created_at
		FROM clinical_notes WHERE patient_id = $1
		ORDER BY created_at DESC LIMIT $2 OFFSET $3`, patientID, page.Limit, page.Offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.ClinicalNote
	for rows.Next() {
		var n model.ClinicalNote
		if err := rows.Scan(&n.ID, &n.PatientID, &n.AppointmentID, &n.AuthorID, &n.Body, &n.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// AddNote appends a note to the chart. Notes are never edited.
func (r *PatientRepository) AddNote(ctx context.Context, actor model.Actor, n *model.ClinicalNote) error {
	return sqldb.Tx(ctx, r.db, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO clinical_notes (patient_id, appointment_id, author_id, body, created_at)
			VALUES ($1, $2, $3, $4, now()) RETURNING id, created_at`,
			n.PatientID, nullInt(n.AppointmentID), actor.StaffID, n.Body).Scan(&n.ID, &n.CreatedAt)
		if err != nil {
			return err
		}
		n.AuthorID = actor.StaffID
		return writeAudit(ctx, tx, actor, "patient", n.PatientID, "add_note", "")
	})
}
