package api

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"

	"example.com/clinic/model"
	"example.com/clinic/service"
)

// PrescriptionHandler serves prescriptions and the e-prescribing
// network's callbacks.
type PrescriptionHandler struct {
	prescriptions *service.PrescriptionService
	webhookSecret []byte
}

// NewPrescriptionHandler returns the handler; secret signs the network's
// callbacks.
func NewPrescriptionHandler(rx *service.PrescriptionService, secret string) *PrescriptionHandler {
	return &PrescriptionHandler{prescriptions: rx, webhookSecret: []byte(secret)}
}

type prescribeRequest struct {
	AppointmentID  int64  `json:"appointment_id"`
	MedicationCode string `json:"medication_code"`
	Sig            string `json:"sig"`
	Quantity       int    `json:"quantity"`
	Refills        int    `json:"refills"`
	PharmacyID     int64  `json:"pharmacy_id"`
}

// Prescribe handles POST /patients/{id}/prescriptions.
func (h *PrescriptionHandler) Prescribe(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var req prescribeRequest
	if !decode(w, r, &req) {
		return
	}
	rx, err := h.prescriptions.Prescribe(r.Context(), actor(r), model.NewPrescription{
		PatientID:      id,
		AppointmentID:  req.AppointmentID,
		MedicationCode: req.MedicationCode,
		Sig:            req.Sig,
		Quantity:       req.Quantity,
		Refills:        req.Refills,
		PharmacyID:     req.PharmacyID,
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/prescriptions/"+itoa(rx.ID))
	writeJSON(w, http.StatusCreated, rx)
}

// PatientPrescriptions handles GET /patients/{id}/prescriptions?active=true.
func (h *PrescriptionHandler) PatientPrescriptions(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	active := r.URL.Query().Get("active") == "true"
	rxs, err := h.prescriptions.ForPatient(r.Context(), id, active)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rxs)
}

// Get handles GET /prescriptions/{id}.
func (h *PrescriptionHandler) Get(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	rx, err := h.prescriptions.Get(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rx)
}

// Sign handles POST /prescriptions/{id}/sign.
func (h *PrescriptionHandler) Sign(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	rx, err := h.prescriptions.Sign(r.Context(), actor(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rx)
}

// Cancel handles POST /prescriptions/{id}/cancel.
func (h *PrescriptionHandler) Cancel(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var req struct {
		Reason string `json:"reason"`
	}
	if !decode(w, r, &req) {
		return
	}
	if err := h.prescriptions.Cancel(r.Context(), actor(r), id, req.Reason); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Printout handles GET /prescriptions/{id}/printout.
func (h *PrescriptionHandler) Printout(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	b, err := h.prescriptions.Printout(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(b)
}

// Pharmacies handles GET /pharmacies?postal_code=.
func (h *PrescriptionHandler) Pharmacies(w http.ResponseWriter, r *http.Request) {
	ps, err := h.prescriptions.Pharmacies(r.Context(), r.URL.Query().Get("postal_code"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}

// PharmacyCallback handles POST /webhooks/erx. The network signs the body
// with HMAC-SHA256 in X-ERx-Signature.
func (h *PrescriptionHandler) PharmacyCallback(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		badRequest(w, r, "unreadable body")
		return
	}
	if !h.validSignature(body, r.Header.Get("X-ERx-Signature")) {
		writeJSON(w, http.StatusUnauthorized, errorBody{Error: "bad signature"})
		return
	}
	var ev model.PharmacyEvent
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&ev); err != nil || ev.ExternalRef == "" {
		badRequest(w, r, "invalid event")
		return
	}
	if err := h.prescriptions.HandlePharmacyEvent(r.Context(), ev); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *PrescriptionHandler) validSignature(body []byte, sig string) bool {
	if len(h.webhookSecret) == 0 {
		return false
	}
	want, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, h.webhookSecret)
	mac.Write(body)
	return hmac.Equal(mac.Sum(nil), want)
}
