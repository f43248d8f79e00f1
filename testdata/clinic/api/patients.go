package api

import (
	"net/http"
	"strings"
	"time"

	"example.com/clinic/model"
	"example.com/clinic/money"
	"example.com/clinic/service"
	"example.com/clinic/timeutil"
)

// PatientHandler serves registration and the patient record.
type PatientHandler struct {
	patients      *service.PatientService
	scheduling    *service.SchedulingService
	billing       *service.BillingService
	prescriptions *service.PrescriptionService
	zone          timeutil.Zone
}

// NewPatientHandler returns the handler. The other services feed the
// patient summary shown at the top of the chart.
func NewPatientHandler(p *service.PatientService, s *service.SchedulingService, b *service.BillingService, rx *service.PrescriptionService, zone timeutil.Zone) *PatientHandler {
	return &PatientHandler{patients: p, scheduling: s, billing: b, prescriptions: rx, zone: zone}
}

// Register handles POST /patients.
func (h *PatientHandler) Register(w http.ResponseWriter, r *http.Request) {
	var in model.NewPatient
	if !decode(w, r, &in) {
		return
	}
	p, err := h.patients.Register(r.Context(), actor(r), in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/patients/"+itoa(p.ID))
	writeJSON(w, http.StatusCreated, p)
}

// Search handles GET /patients?q=&mrn=&dob=.
func (h *PatientHandler) Search(w http.ResponseWriter, r *http.Request) {
	dob, err := queryDate(r, h.zone, "dob")
	if err != nil {
		badRequest(w, r, "dob: want YYYY-MM-DD")
		return
	}
	q := model.PatientQuery{
		Name: r.URL.Query().Get("q"),
		MRN:  strings.TrimSpace(r.URL.Query().Get("mrn")),
		DOB:  dob,
		Page: page(r),
	}
	ps, err := h.patients.Search(r.Context(), q)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"patients": ps, "page": q.Page})
}

// Get handles GET /patients/{id}.
func (h *PatientHandler) Get(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	p, err := h.patients.Get(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

type contactRequest struct {
	Contact model.Contact `json:"contact"`
	Address model.Address `json:"address"`
}

// UpdateContact handles PUT /patients/{id}/contact.
func (h *PatientHandler) UpdateContact(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var req contactRequest
	if !decode(w, r, &req) {
		return
	}
	p, err := h.patients.UpdateContact(r.Context(), actor(r), id, req.Contact, req.Address)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// Deactivate handles POST /patients/{id}/deactivate.
func (h *PatientHandler) Deactivate(w http.ResponseWriter, r *http.Request) {
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
	if err := h.patients.Deactivate(r.Context(), actor(r), id, req.Reason); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type coverageRequest struct {
	PayerName    string `json:"payer_name"`
	PayerID      string `json:"payer_id"`
	MemberID     string `json:"member_id"`
	GroupNumber  string `json:"group_number"`
	Relationship string `json:"relationship"`
	Primary      bool   `json:"primary"`
	ValidFrom    string `json:"valid_from"`
	ValidTo      string `json:"valid_to"`
}

// AddCoverage handles POST /patients/{id}/coverages.
func (h *PatientHandler) AddCoverage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var req coverageRequest
	if !decode(w, r, &req) {
		return
	}
	c := model.Coverage{
		PatientID: id, PayerName: req.PayerName, PayerID: req.PayerID, MemberID: req.MemberID,
		GroupNumber: req.GroupNumber, Relationship: req.Relationship, Primary: req.Primary,
	}
	var err error
	if req.ValidFrom != "" {
		if c.ValidFrom, err = h.zone.ParseDate(req.ValidFrom); err != nil {
			badRequest(w, r, "valid_from: want YYYY-MM-DD")
			return
		}
	}
	if req.ValidTo != "" {
		if c.ValidTo, err = h.zone.ParseDate(req.ValidTo); err != nil {
			badRequest(w, r, "valid_to: want YYYY-MM-DD")
			return
		}
	}
	c, err = h.patients.AddCoverage(r.Context(), actor(r), c)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// Coverages handles GET /patients/{id}/coverages.
func (h *PatientHandler) Coverages(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	cs, err := h.patients.Coverages(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cs)
}

// AddAllergy handles POST /patients/{id}/allergies.
func (h *PatientHandler) AddAllergy(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var a model.Allergy
	if !decode(w, r, &a) {
		return
	}
	a.PatientID = id
	a, err := h.patients.AddAllergy(r.Context(), actor(r), a)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// Allergies handles GET /patients/{id}/allergies.
func (h *PatientHandler) Allergies(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	as, err := h.patients.Allergies(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, as)
}

// AddNote handles POST /patients/{id}/notes.
func (h *PatientHandler) AddNote(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var n model.ClinicalNote
	if !decode(w, r, &n) {
		return
	}
	n.PatientID = id
	n, err := h.patients.AddNote(r.Context(), actor(r), n)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, n)
}

// Notes handles GET /patients/{id}/notes.
func (h *PatientHandler) Notes(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	ns, err := h.patients.Notes(r.Context(), id, page(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ns)
}

// History handles GET /patients/{id}/history.
func (h *PatientHandler) History(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	es, err := h.patients.History(r.Context(), actor(r), id, page(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, es)
}

// patientSummary is the header of the chart screen.
type patientSummary struct {
	Patient     model.Patient        `json:"patient"`
	Allergies   []model.Allergy      `json:"allergies"`
	Upcoming    []model.Appointment  `json:"upcoming"`
	Medications []model.Prescription `json:"active_medications"`
	Balance     money.Money          `json:"balance"`
}

// Summary handles GET /patients/{id}/summary: the patient with allergies,
// upcoming visits, active medications and the open balance.
func (h *PatientHandler) Summary(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	ctx := r.Context()
	var s patientSummary
	var err error
	if s.Patient, err = h.patients.Get(ctx, id); err != nil {
		writeError(w, r, err)
		return
	}
	if s.Allergies, err = h.patients.Allergies(ctx, id); err != nil {
		writeError(w, r, err)
		return
	}
	now := time.Now()
	s.Upcoming, err = h.scheduling.List(ctx, model.AppointmentQuery{
		PatientID: id, From: now, To: now.AddDate(0, 6, 0), Status: model.ApptScheduled, Page: model.Page{Limit: 5},
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	if s.Medications, err = h.prescriptions.ForPatient(ctx, id, true); err != nil {
		writeError(w, r, err)
		return
	}
	if s.Balance, err = h.billing.OutstandingBalance(ctx, id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}
