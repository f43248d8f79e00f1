package handlers

import "net/http"

// ListOutbox shows undelivered notifications to the back office.
func (s *Server) ListOutbox(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	limit, err := queryInt(r, "limit", 100)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	msgs, err := s.Notifications.Pending(r.Context(), limit)
	if err != nil {
		fail(w, r, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, msgs)
}
