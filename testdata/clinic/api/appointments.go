package api

import (
	"context"
	"net/http"
	"time"

	"example.com/clinic/model"
	"example.com/clinic/service"
	"example.com/clinic/timeutil"
)

// ScheduleHandler serves provider calendars and appointments.
type ScheduleHandler struct {
	scheduling *service.SchedulingService
	zone       timeutil.Zone
}

// NewScheduleHandler returns the handler.
func NewScheduleHandler(s *service.SchedulingService, zone timeutil.Zone) *ScheduleHandler {
	return &ScheduleHandler{scheduling: s, zone: zone}
}

// Providers handles GET /providers.
func (h *ScheduleHandler) Providers(w http.ResponseWriter, r *http.Request) {
	ps, err := h.scheduling.Providers(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}

// Slots handles GET /providers/{id}/slots?from=YYYY-MM-DD&days=7.
func (h *ScheduleHandler) Slots(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	from, err := queryDate(r, h.zone, "from")
	if err != nil {
		badRequest(w, r, "from: want YYYY-MM-DD")
		return
	}
	if from.IsZero() {
		from = time.Now()
	}
	days, err := queryInt(r, "days", 7)
	if err != nil {
		badRequest(w, r, "days: not a number")
		return
	}
	slots, err := h.scheduling.OpenSlots(r.Context(), id, from, int(days))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, slots)
}

type publishRequest struct {
	From          string `json:"from"`
	Days          int    `json:"days"`
	Hours         string `json:"hours"`
	LengthMinutes int    `json:"length_minutes"`
}

// Publish handles POST /providers/{id}/slots.
func (h *ScheduleHandler) Publish(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var req publishRequest
	if !decode(w, r, &req) {
		return
	}
	from, err := h.zone.ParseDate(req.From)
	if err != nil {
		badRequest(w, r, "from: want YYYY-MM-DD")
		return
	}
	n, err := h.scheduling.PublishSlots(r.Context(), actor(r), id, from, req.Days, req.Hours, time.Duration(req.LengthMinutes)*time.Minute)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int{"created": n})
}

// Hold handles POST /slots/{id}/hold.
func (h *ScheduleHandler) Hold(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	slot, err := h.scheduling.HoldSlot(r.Context(), actor(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, slot)
}

// Book handles POST /appointments.
func (h *ScheduleHandler) Book(w http.ResponseWriter, r *http.Request) {
	var b model.Booking
	if !decode(w, r, &b) {
		return
	}
	appt, err := h.scheduling.Book(r.Context(), actor(r), b)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/appointments/"+itoa(appt.ID))
	writeJSON(w, http.StatusCreated, appt)
}

// List handles GET /appointments?provider=&patient=&from=&to=&status=.
func (h *ScheduleHandler) List(w http.ResponseWriter, r *http.Request) {
	q, ok := h.query(w, r)
	if !ok {
		return
	}
	h.list(w, r, q)
}

// PatientAppointments handles GET /patients/{id}/appointments.
func (h *ScheduleHandler) PatientAppointments(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	q, ok := h.query(w, r)
	if !ok {
		return
	}
	q.PatientID = id
	h.list(w, r, q)
}

func (h *ScheduleHandler) query(w http.ResponseWriter, r *http.Request) (model.AppointmentQuery, bool) {
	var q model.AppointmentQuery
	var err error
	if q.ProviderID, err = queryInt(r, "provider", 0); err != nil {
		badRequest(w, r, "provider: not a number")
		return q, false
	}
	if q.PatientID, err = queryInt(r, "patient", 0); err != nil {
		badRequest(w, r, "patient: not a number")
		return q, false
	}
	if q.From, err = queryDate(r, h.zone, "from"); err != nil {
		badRequest(w, r, "from: want YYYY-MM-DD")
		return q, false
	}
	if q.To, err = queryDate(r, h.zone, "to"); err != nil {
		badRequest(w, r, "to: want YYYY-MM-DD")
		return q, false
	}
	q.Status = model.AppointmentStatus(r.URL.Query().Get("status"))
	q.Page = page(r)
	return q, true
}

func (h *ScheduleHandler) list(w http.ResponseWriter, r *http.Request, q model.AppointmentQuery) {
	as, err := h.scheduling.List(r.Context(), q)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"appointments": as, "page": q.Page})
}

// Get handles GET /appointments/{id}.
func (h *ScheduleHandler) Get(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	a, err := h.scheduling.Get(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

type cancelRequest struct {
	Reason   string `json:"reason"`
	WaiveFee bool   `json:"waive_fee"`
}

// Cancel handles POST /appointments/{id}/cancel.
func (h *ScheduleHandler) Cancel(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var req cancelRequest
	if !decode(w, r, &req) {
		return
	}
	who := actor(r)
	if req.WaiveFee && !who.Role.Can(model.RoleBilling, model.RoleFrontDesk) {
		writeError(w, r, service.ErrForbidden)
		return
	}
	a, err := h.scheduling.Cancel(r.Context(), who, id, req.Reason, req.WaiveFee)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// CheckIn handles POST /appointments/{id}/check-in.
func (h *ScheduleHandler) CheckIn(w http.ResponseWriter, r *http.Request) {
	h.transition(w, r, h.scheduling.CheckIn)
}

// Complete handles POST /appointments/{id}/complete.
func (h *ScheduleHandler) Complete(w http.ResponseWriter, r *http.Request) {
	h.transition(w, r, h.scheduling.Complete)
}

// NoShow handles POST /appointments/{id}/no-show.
func (h *ScheduleHandler) NoShow(w http.ResponseWriter, r *http.Request) {
	h.transition(w, r, h.scheduling.NoShow)
}

// transitionFunc is a status change of the scheduling service.
type transitionFunc func(ctx context.Context, a model.Actor, id int64) error

func (h *ScheduleHandler) transition(w http.ResponseWriter, r *http.Request, fn transitionFunc) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	if err := fn(r.Context(), actor(r), id); err != nil {
		writeError(w, r, err)
		return
	}
	a, err := h.scheduling.Get(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}
