// Package log configures structured logging for the shop and adds
// request-scoped attributes on top of log/slog.
package log

import (
	"context"
	"io"
	"log/slog"
	"strings"
)

type requestIDKey struct{}

// Setup installs the process-wide slog handler. It is called once by main
// before anything logs.
func Setup(w io.Writer, level, format string) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler
	if strings.EqualFold(format, "json") {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	slog.SetDefault(slog.New(h))
}

// WithRequestID returns a context carrying the request id, which every log
// line written with that context then includes.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id carried by ctx, if any.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// From returns the default logger annotated with what ctx carries.
func From(ctx context.Context) *slog.Logger {
	l := slog.Default()
	if id := RequestID(ctx); id != "" {
		l = l.With(slog.String("request_id", id))
	}
	return l
}

// Info logs at info level.
func Info(ctx context.Context, msg string, args ...any) {
	From(ctx).InfoContext(ctx, msg, args...)
}

// Warn logs at warning level.
func Warn(ctx context.Context, msg string, args ...any) {
	From(ctx).WarnContext(ctx, msg, args...)
}

// Error logs at error level.
func Error(ctx context.Context, msg string, args ...any) {
	From(ctx).ErrorContext(ctx, msg, args...)
}
