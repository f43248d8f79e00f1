// Package sqlx is a stub of jmoiron/sqlx's API for the fixtures.
package sqlx

import "database/sql"

type DB struct{ *sql.DB }

func (db *DB) Select(dest any, query string, args ...any) error { return nil }

func (db *DB) Get(dest any, query string, args ...any) error { return nil }

func (db *DB) NamedExec(query string, arg any) (sql.Result, error) { return nil, nil }

func (db *DB) Rebind(query string) string { return query }

func In(query string, args ...any) (string, []any, error) { return query, args, nil }
