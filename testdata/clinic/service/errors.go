// Package service holds the clinic's business rules. The API calls it; it
// calls the repositories and the partner gateways.
package service

import (
	"errors"
	"fmt"

	"example.com/clinic/repository"
)

var (
	// ErrNotFound means the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the thing changed state and the request no longer
	// applies to it.
	ErrConflict = errors.New("conflict")
	// ErrForbidden means the staff member's role does not allow the action.
	ErrForbidden = errors.New("forbidden")
)

// ValidationError reports a field the caller got wrong.
type ValidationError struct {
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Problem }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// translate maps repository errors to the service's, keeping the message.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, repository.ErrNotFound):
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	case errors.Is(err, repository.ErrConflict):
		return fmt.Errorf("%s: %w", what, ErrConflict)
	}
	return fmt.Errorf("%s: %w", what, err)
}
