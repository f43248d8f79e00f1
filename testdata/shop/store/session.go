package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"example.com/shop/platform/db"
	"example.com/shop/users"
)

// SessionStore stores login sessions.
type SessionStore struct{}

// Create inserts a session.
func (SessionStore) Create(ctx context.Context, s users.Session) error {
	_, err := db.Conn.ExecContext(ctx, `
		INSERT INTO sessions (token, user_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4)`,
		s.Token, s.UserID, s.CreatedAt, s.ExpiresAt)
	if err != nil {
		return fmt.Errorf("store: insert session: %w", err)
	}
	return nil
}

// Get returns a session by token.
func (SessionStore) Get(ctx context.Context, token string) (users.Session, error) {
	s := users.Session{Token: token}
	err := db.Conn.QueryRowContext(ctx, `
		SELECT s.user_id, s.created_at, s.expires_at
		FROM sessions s
		JOIN users u ON u.id = s.user_id
		WHERE s.token = $1`, token,
	).Scan(&s.UserID, &s.CreatedAt, &s.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return users.Session{}, users.ErrSessionExpired
	}
	return s, err
}

// Delete removes a session.
func (SessionStore) Delete(ctx context.Context, token string) error {
	_, err := db.Conn.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, token)
	return err
}
