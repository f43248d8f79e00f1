// Package logging sets up log/slog for the clinic and carries per-request
// fields (request id, staff member) through contexts.
package logging

import (
	"context"
	"io"
	"log/slog"

	"example.com/clinic/platform/config"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	staffKey
)

// New builds the process logger and makes it the slog default.
func New(w io.Writer, cfg config.Log) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level, AddSource: cfg.Source}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.JSON {
		h = slog.NewJSONHandler(w, opts)
	}
	l := slog.New(h).With("app", "clinic")
	slog.SetDefault(l)
	return l
}

// WithRequest returns ctx carrying the request id.
func WithRequest(ctx context.Context, requestID string) context.Context {
	return context.WithValue(ctx, requestIDKey, requestID)
}

// WithStaff returns ctx carrying the authenticated staff member's id.
func WithStaff(ctx context.Context, staffID int64) context.Context {
	return context.WithValue(ctx, staffKey, staffID)
}

// L returns the default logger with the fields ctx carries.
func L(ctx context.Context) *slog.Logger {
	l := slog.Default()
	if id, ok := ctx.Value(requestIDKey).(string); ok {
		l = l.With("request_id", id)
	}
	if id, ok := ctx.Value(staffKey).(int64); ok {
		l = l.With("staff_id", id)
	}
	return l
}

// RequestID returns the id WithRequest stored, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
