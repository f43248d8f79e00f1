// Package users manages customer accounts: sign-up, login, sessions and
// roles.
package users

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"example.com/shop/users/password"
)

var (
	// ErrUserNotFound is returned for an unknown account.
	ErrUserNotFound = errors.New("users: user not found")
	// ErrEmailTaken is returned when signing up with a registered email.
	ErrEmailTaken = errors.New("users: email already registered")
	// ErrInvalidEmail is returned for a malformed email address.
	ErrInvalidEmail = errors.New("users: invalid email")
	// ErrInvalidCredentials is returned by Login for a wrong email or
	// password; it does not say which.
	ErrInvalidCredentials = errors.New("users: invalid email or password")
	// ErrSessionExpired is returned for an unknown or expired session.
	ErrSessionExpired = errors.New("users: session expired")
)

// emailPattern is a deliberately loose check; the confirmation email is
// the real test.
var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[a-z]{2,}$`)

// Roles.
const (
	RoleCustomer = "customer"
	RoleAdmin    = "admin"
)

// User is a customer or staff account.
type User struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// IsAdmin reports whether u may use the back-office endpoints.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// Repository persists accounts.
type Repository interface {
	Create(ctx context.Context, u *User) error
	ByEmail(ctx context.Context, email string) (User, error)
	ByID(ctx context.Context, id int64) (User, error)
}

// SessionRepository persists sessions so that they survive restarts.
type SessionRepository interface {
	Create(ctx context.Context, s Session) error
	Get(ctx context.Context, token string) (Session, error)
	Delete(ctx context.Context, token string) error
}

// Service implements account use cases.
type Service struct {
	users    Repository
	sessions SessionRepository
	ttl      time.Duration
	now      func() time.Time
}

// NewService returns a service issuing sessions valid for ttl.
func NewService(users Repository, sessions SessionRepository, ttl time.Duration) *Service {
	return &Service{users: users, sessions: sessions, ttl: ttl, now: time.Now}
}

// SignUp creates a customer account.
func (s *Service) SignUp(ctx context.Context, email, name, pw string) (User, error) {
	email = normalizeEmail(email)
	if !emailPattern.MatchString(email) {
		return User{}, ErrInvalidEmail
	}
	if err := password.Check(pw); err != nil {
		return User{}, err
	}
	if _, err := s.users.ByEmail(ctx, email); err == nil {
		return User{}, ErrEmailTaken
	} else if !errors.Is(err, ErrUserNotFound) {
		return User{}, err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return User{}, err
	}
	u := User{
		Email:        email,
		Name:         strings.TrimSpace(name),
		Role:         RoleCustomer,
		PasswordHash: hash,
		CreatedAt:    s.now(),
	}
	if err := s.users.Create(ctx, &u); err != nil {
		return User{}, fmt.Errorf("users: sign up %s: %w", email, err)
	}
	return u, nil
}

// Login checks credentials and opens a session.
func (s *Service) Login(ctx context.Context, email, pw string) (Session, User, error) {
	u, err := s.users.ByEmail(ctx, normalizeEmail(email))
	if errors.Is(err, ErrUserNotFound) {
		return Session{}, User{}, ErrInvalidCredentials
	}
	if err != nil {
		return Session{}, User{}, err
	}
	ok, err := password.Verify(pw, u.PasswordHash)
	if err != nil {
		return Session{}, User{}, fmt.Errorf("users: verify password of user %d: %w", u.ID, err)
	}
	if !ok {
		return Session{}, User{}, ErrInvalidCredentials
	}
	sess, err := s.openSession(ctx, u.ID)
	if err != nil {
		return Session{}, User{}, err
	}
	return sess, u, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	forgetSession(token)
	return s.sessions.Delete(ctx, token)
}

// Authenticate returns the user a session token belongs to.
func (s *Service) Authenticate(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, ErrSessionExpired
	}
	sess, ok := lookupSession(token)
	if !ok {
		var err error
		sess, err = s.sessions.Get(ctx, token)
		if err != nil {
			return User{}, err
		}
		rememberSession(sess)
	}
	if !sess.Valid(s.now()) {
		forgetSession(token)
		if err := s.sessions.Delete(ctx, token); err != nil {
			return User{}, err
		}
		return User{}, ErrSessionExpired
	}
	return s.users.ByID(ctx, sess.UserID)
}

// User returns an account by id.
func (s *Service) User(ctx context.Context, id int64) (User, error) {
	return s.users.ByID(ctx, id)
}

func normalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}
