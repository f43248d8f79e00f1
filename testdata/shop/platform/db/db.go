// Package db owns the process-wide database connection pool.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"example.com/shop/platform/config"
)

// Conn is the shared connection pool. Connect sets it once during start-up;
// the store package reads it for every query.
var Conn *sql.DB

// Connect opens the pool described by cfg, checks that the database
// answers and installs the pool as Conn.
func Connect(ctx context.Context, cfg config.Database) error {
	conn, err := sql.Open(cfg.Driver, cfg.DSN)
	if err != nil {
		return fmt.Errorf("db: open: %w", err)
	}
	conn.SetMaxOpenConns(cfg.MaxOpenConns)
	conn.SetMaxIdleConns(cfg.MaxOpenConns / 2)
	conn.SetConnMaxLifetime(cfg.ConnMaxLifetime)

	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := conn.PingContext(pingCtx); err != nil {
		conn.Close()
		return fmt.Errorf("db: ping: %w", err)
	}
	Conn = conn
	return nil
}

// Close closes the pool.
func Close() error {
	if Conn == nil {
		return nil
	}
	return Conn.Close()
}

// WithTx runs fn inside a transaction on Conn. The transaction commits when
// fn returns nil and rolls back otherwise.
func WithTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := Conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("db: rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}
