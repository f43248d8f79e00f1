// Package handlers exposes the shop's use cases over HTTP, as JSON.
package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/shop/catalog"
	"example.com/shop/checkout"
	"example.com/shop/notifications"
	"example.com/shop/platform/db"
	"example.com/shop/platform/log"
	"example.com/shop/shipping"
	"example.com/shop/users"
)

// SessionCookie is the name of the cookie carrying the session token.
const SessionCookie = "shop_session"

// maxBodyBytes bounds request bodies.
const maxBodyBytes = 1 << 20

// Server holds the services the handlers call. Its methods are the HTTP
// handlers; main registers them on a ServeMux.
type Server struct {
	Catalog       *catalog.Service
	Checkout      *checkout.Service
	Shipping      *shipping.Service
	Users         *users.Service
	Notifications *notifications.Service

	minWriteInterval time.Duration

	mu       sync.Mutex
	lastSeen map[string]time.Time
}

// NewServer returns a server that lets each client make one mutating
// request per minWriteInterval.
func NewServer(cat *catalog.Service, co *checkout.Service, sh *shipping.Service, us *users.Service, no *notifications.Service, minWriteInterval time.Duration) *Server {
	return &Server{
		Catalog:          cat,
		Checkout:         co,
		Shipping:         sh,
		Users:            us,
		Notifications:    no,
		minWriteInterval: minWriteInterval,
		lastSeen:         make(map[string]time.Time),
	}
}

// Throttle rejects a client's mutating requests that come faster than one
// per minWriteInterval.
func (s *Server) Throttle(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		ip := clientIP(r)
		now := time.Now()
		s.mu.Lock()
		last, seen := s.lastSeen[ip]
		allowed := !seen || now.Sub(last) >= s.minWriteInterval
		if allowed {
			s.lastSeen[ip] = now
		}
		if len(s.lastSeen) > 50_000 {
			for k, t := range s.lastSeen {
				if now.Sub(t) > time.Minute {
					delete(s.lastSeen, k)
				}
			}
		}
		s.mu.Unlock()
		if !allowed {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, "too many requests")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Logging gives every request an id and logs it when it completes.
func Logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if id == "" {
			id = newRequestID()
		}
		ctx := log.WithRequestID(r.Context(), id)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		rec.Header().Set("X-Request-ID", id)
		start := time.Now()
		next.ServeHTTP(rec, r.WithContext(ctx))
		log.Info(ctx, "request",
			"method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration", time.Since(start).Round(time.Microsecond))
	})
}

// statusRecorder remembers the status code written by a handler.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Healthz reports whether the process can reach its database.
func Healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := db.Conn.PingContext(ctx); err != nil {
		writeError(w, http.StatusServiceUnavailable, "database unreachable")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// requireUser authenticates the request from its session cookie or bearer
// token. It answers 401 and returns false when that fails.
func (s *Server) requireUser(w http.ResponseWriter, r *http.Request) (users.User, bool) {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if c, err := r.Cookie(SessionCookie); err == nil {
		token = c.Value
	}
	u, err := s.Users.Authenticate(r.Context(), token)
	switch {
	case errors.Is(err, users.ErrSessionExpired), errors.Is(err, users.ErrUserNotFound):
		writeError(w, http.StatusUnauthorized, "login required")
		return users.User{}, false
	case err != nil:
		fail(w, r, http.StatusInternalServerError, err)
		return users.User{}, false
	}
	return u, true
}

// requireAdmin is requireUser for back-office endpoints.
func (s *Server) requireAdmin(w http.ResponseWriter, r *http.Request) (users.User, bool) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return users.User{}, false
	}
	if !u.IsAdmin() {
		writeError(w, http.StatusForbidden, "admin role required")
		return users.User{}, false
	}
	return u, true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// fail answers with status; server errors are logged and not shown to the
// client.
func fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status >= 500 {
		log.Error(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, status, http.StatusText(status))
		return
	}
	writeError(w, status, err.Error())
}

// decode reads a JSON request body into v, rejecting unknown fields.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid request body: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("invalid request body: trailing data")
	}
	return nil
}

// pathID parses a numeric path wildcard.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("invalid %s %q", name, r.PathValue(name))
	}
	return id, nil
}

// queryInt parses an optional integer query parameter.
func queryInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("invalid %s %q", name, v)
	}
	return n, nil
}

func clientIP(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		first, _, _ := strings.Cut(fwd, ",")
		return strings.TrimSpace(first)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func newRequestID() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	return hex.EncodeToString(b)
}
