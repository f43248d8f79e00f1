// Package store implements the repositories of every part of the shop on
// top of database/sql and the shared connection pool.
package store

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}
