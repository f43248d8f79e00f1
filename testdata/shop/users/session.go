package users

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"
	"time"
)

// Session is a logged-in browser.
type Session struct {
	Token     string    `json:"-"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Valid reports whether the session is still usable at now.
func (s Session) Valid(now time.Time) bool { return now.Before(s.ExpiresAt) }

// sessions caches live sessions by token in front of the sessions table,
// so that authenticating a request does not cost a query. sessionsMu
// guards it.
var (
	sessionsMu sync.RWMutex
	sessions   = make(map[string]Session)
)

func rememberSession(s Session) {
	sessionsMu.Lock()
	sessions[s.Token] = s
	sessionsMu.Unlock()
}

func lookupSession(token string) (Session, bool) {
	sessionsMu.RLock()
	defer sessionsMu.RUnlock()
	s, ok := sessions[token]
	return s, ok
}

func forgetSession(token string) {
	sessionsMu.Lock()
	delete(sessions, token)
	sessionsMu.Unlock()
}

func (s *Service) openSession(ctx context.Context, userID int64) (Session, error) {
	token, err := newToken()
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	sess := Session{Token: token, UserID: userID, CreatedAt: now, ExpiresAt: now.Add(s.ttl)}
	if err := s.sessions.Create(ctx, sess); err != nil {
		return Session{}, fmt.Errorf("users: open session for user %d: %w", userID, err)
	}
	rememberSession(sess)
	return sess, nil
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("users: session token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
