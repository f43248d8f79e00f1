package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"example.com/shop/platform/db"
	"example.com/shop/users"
)

// UserStore stores accounts.
type UserStore struct{}

// Create inserts u and sets its id.
func (UserStore) Create(ctx context.Context, u *users.User) error {
	err := db.Conn.QueryRowContext(ctx, `
		INSERT INTO users (email, name, role, password_hash, created_at)
		VALUES ($1, $2, $3, $4, $5)
		RETURNING id`,
		u.Email, u.Name, u.Role, u.PasswordHash, u.CreatedAt,
	).Scan(&u.ID)
	if err != nil {
		return fmt.Errorf("store: insert user: %w", err)
	}
	return nil
}

// ByEmail returns the account registered with email.
func (UserStore) ByEmail(ctx context.Context, email string) (users.User, error) {
	return userWhere(ctx, `email = $1`, email)
}

// ByID returns an account by id.
func (UserStore) ByID(ctx context.Context, id int64) (users.User, error) {
	return userWhere(ctx, `id = $1`, id)
}

func userWhere(ctx context.Context, cond string, arg any) (users.User, error) {
	var u users.User
	err := db.Conn.QueryRowContext(ctx,
		`SELECT id, email, name, role, password_hash, created_at FROM users WHERE `+cond, arg,
	).Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return users.User{}, users.ErrUserNotFound
	}
	return u, err
}
