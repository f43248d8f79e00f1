// Package pgx is a stub of jackc/pgx/v5's API for the fixtures.
package pgx

import "context"

type Rows interface{ Close() }

type Row interface{ Scan(dest ...any) error }

type Batch struct{ queries []string }

func (b *Batch) Queue(query string, arguments ...any) { b.queries = append(b.queries, query) }

type Tx interface {
	Exec(ctx context.Context, sql string, arguments ...any) (int64, error)
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
}
