package repository

import (
	"context"
	"database/sql"
	"fmt"

	"example.com/clinic/model"
	"example.com/clinic/platform/sqldb"
)

// writeAudit records a change in audit_log inside the caller's transaction.
// Regulations require it for every change to a patient's record, a
// prescription or money.
func writeAudit(ctx context.Context, q sqldb.Querier, actor model.Actor, entity string, id int64, action, detail string) error {
	_, err := q.ExecContext(ctx, `
		INSERT INTO audit_log (staff_id, entity, entity_id, action, detail, at)
		VALUES ($1, $2, $3, $4, $5, now())`,
		actor.StaffID, entity, id, action, nullString(detail))
	if err != nil {
		return fmt.Errorf("audit %s %d %s: %w", entity, id, action, err)
	}
	return nil
}

// AuditRepository reads the audit trail.
type AuditRepository struct {
	db *sql.DB
}

// NewAuditRepository returns a repository on db.
func NewAuditRepository(db *sql.DB) *AuditRepository { return &AuditRepository{db: db} }

// Trail lists the changes to one entity, newest first.
func (r *AuditRepository) Trail(ctx context.Context, entity string, id int64, page model.Page) ([]model.AuditEntry, error) {
	page = page.Normalize()
	rows, err := r.db.QueryContext(ctx, `
		SELECT id, staff_id, entity, entity_id, action, COALESCE(detail, ''), at
		FROM audit_log
		WHERE entity = $1 AND entity_id = $2
		ORDER BY at DESC, id DESC
		LIMIT $3 OFFSET $4`, entity, id, page.Limit, page.Offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.AuditEntry
	for rows.Next() {
		var e model.AuditEntry
		if err := rows.Scan(&e.ID, &e.StaffID, &e.Entity, &e.EntityID, &e.Action, &e.Detail, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
