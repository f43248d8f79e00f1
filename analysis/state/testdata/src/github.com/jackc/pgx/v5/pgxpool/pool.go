// Package pgxpool is a stub of jackc/pgx/v5/pgxpool's API for the fixtures.
package pgxpool

import (
	"context"

	"github.com/jackc/pgx/v5"
)

type Pool struct{}

func (p *Pool) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) { return nil, nil }

func (p *Pool) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row { return nil }

func (p *Pool) Exec(ctx context.Context, sql string, args ...any) (int64, error) { return 0, nil }

func (p *Pool) SendBatch(ctx context.Context, b *pgx.Batch) error { return nil }
