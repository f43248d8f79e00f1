package handlers

import (
	"errors"
	"net/http"

	"example.com/shop/users"
	"example.com/shop/users/password"
)

type signUpRequest struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// SignUp creates a customer account.
func (s *Server) SignUp(w http.ResponseWriter, r *http.Request) {
	var req signUpRequest
	if err := decode(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	u, err := s.Users.SignUp(r.Context(), req.Email, req.Name, req.Password)
	if err != nil {
		fail(w, r, usersStatus(err), err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

// Logout ends the caller's session.
func (s *Server) Logout(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err := s.Users.Logout(r.Context(), c.Value); err != nil {
		fail(w, r, usersStatus(err), err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Path: "/", MaxAge: -1, HttpOnly: true})
	w.WriteHeader(http.StatusNoContent)
}

// Me returns the caller's account.
func (s *Server) Me(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// SetSessionCookie hands a new session to the browser.
func SetSessionCookie(w http.ResponseWriter, sess users.Session) {
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookie,
		Value:    sess.Token,
		Path:     "/",
		Expires:  sess.ExpiresAt,
		HttpOnly: true,
		Secure:   true,
		SameSite: http.SameSiteLaxMode,
	})
}

func usersStatus(err error) int {
	switch {
	case errors.Is(err, users.ErrEmailTaken):
		return http.StatusConflict
	case errors.Is(err, users.ErrInvalidEmail), errors.Is(err, password.ErrTooWeak):
		return http.StatusUnprocessableEntity
	case errors.Is(err, users.ErrInvalidCredentials), errors.Is(err, users.ErrSessionExpired):
		return http.StatusUnauthorized
	case errors.Is(err, users.ErrUserNotFound):
		return http.StatusNotFound
	default:
		return http.StatusInternalServerError
	}
}
