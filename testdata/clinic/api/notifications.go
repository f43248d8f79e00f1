package api

import (
	"net/http"

	"example.com/clinic/model"
	"example.com/clinic/service"
)

// MessageHandler lets the front desk see and retry patient messages.
type MessageHandler struct {
	notifications *service.NotificationService
}

// NewMessageHandler returns the handler.
func NewMessageHandler(n *service.NotificationService) *MessageHandler {
	return &MessageHandler{notifications: n}
}

// List handles GET /messages?status=failed.
func (h *MessageHandler) List(w http.ResponseWriter, r *http.Request) {
	status := model.MessageStatus(r.URL.Query().Get("status"))
	switch status {
	case "", model.MsgQueued, model.MsgSent, model.MsgFailed:
	default:
		badRequest(w, r, "status: queued, sent or failed")
		return
	}
	ms, err := h.notifications.List(r.Context(), 0, status, page(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ms)
}

// PatientMessages handles GET /patients/{id}/messages.
func (h *MessageHandler) PatientMessages(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	ms, err := h.notifications.List(r.Context(), id, "", page(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ms)
}

// Retry handles POST /messages/{id}/retry.
func (h *MessageHandler) Retry(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	if err := h.notifications.Retry(r.Context(), actor(r), id); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}
