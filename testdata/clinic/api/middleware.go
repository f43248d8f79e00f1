package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"example.com/clinic/model"
	"example.com/clinic/platform/logging"
)

type actorKey struct{}

// actor returns the staff member the Auth middleware authenticated.
func actor(r *http.Request) model.Actor {
	a, _ := r.Context().Value(actorKey{}).(model.Actor)
	return a
}

// Auth authenticates staff by API token. Tokens are issued by the practice
// manager and configured as "token=staffID:role,...".
type Auth struct {
	tokens map[string]model.Actor
	// Public paths skip authentication (probes, partner callbacks that
	// carry their own signature).
	Public []string
}

// NewAuth parses the token list.
func NewAuth(spec string) (*Auth, error) {
	a := &Auth{tokens: make(map[string]model.Actor)}
	for _, entry := range strings.Split(spec, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		token, who, ok := strings.Cut(entry, "=")
		idStr, role, ok2 := strings.Cut(who, ":")
		id, err := strconv.ParseInt(idStr, 10, 64)
		if !ok || !ok2 || err != nil || len(token) < 8 {
			return nil, fmt.Errorf("api: malformed token entry %q", entry)
		}
		a.tokens[token] = model.Actor{StaffID: id, Role: model.Role(role)}
	}
	return a, nil
}

// Middleware rejects requests without a known bearer token.
func (a *Auth) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range a.Public {
			if strings.HasPrefix(r.URL.Path, p) {
				next.ServeHTTP(w, r)
				return
			}
		}
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="clinic"`)
			writeJSON(w, http.StatusUnauthorized, errorBody{Error: "missing bearer token"})
			return
		}
		who, found := a.lookup(token)
		if !found {
			writeJSON(w, http.StatusUnauthorized, errorBody{Error: "unknown token"})
			return
		}
		ctx := context.WithValue(r.Context(), actorKey{}, who)
		ctx = logging.WithStaff(ctx, who.StaffID)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (a *Auth) lookup(token string) (model.Actor, bool) {
	for t, who := range a.tokens {
		if subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1 {
			return who, true
		}
	}
	return model.Actor{}, false
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// AccessLog tags each request with an id and logs it.
func AccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" {
			var b [6]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		ctx := logging.WithRequest(r.Context(), id)
		sw := &statusWriter{ResponseWriter: w}
		start := time.Now()
		next.ServeHTTP(sw, r.WithContext(ctx))
		logging.L(ctx).Info("http", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"bytes", sw.bytes, "took", time.Since(start).Milliseconds())
	})
}

// Recover turns a panic into a 500.
func Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				logging.L(r.Context()).Error("panic", "value", p, "stack", string(debug.Stack()))
				writeJSON(w, http.StatusInternalServerError, errorBody{Error: "internal error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}
