// Package api is the clinic's JSON API over HTTP. Each handler type serves
// one part of the practice; main registers their methods on a ServeMux.
package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"example.com/clinic/model"
	"example.com/clinic/platform/logging"
	"example.com/clinic/service"
	"example.com/clinic/timeutil"
)

const maxBody = 256 << 10

type errorBody struct {
	Error  string                    `json:"error"`
	Fields []service.ValidationError `json:"fields,omitempty"`
	ID     string                    `json:"request_id,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		// the client went away; nothing left to tell it
		return
	}
}

// writeError answers with the status that fits err. Unexpected errors are
// logged and hidden from the client.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	body := errorBody{Error: err.Error(), ID: logging.RequestID(r.Context())}
	var ve *service.ValidationError
	status := http.StatusInternalServerError
	switch {
	case errors.As(err, &ve):
		status, body.Fields = http.StatusUnprocessableEntity, []service.ValidationError{*ve}
	case errors.Is(err, service.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, service.ErrForbidden):
		status = http.StatusForbidden
	case errors.Is(err, service.ErrConflict), errors.Is(err, service.ErrSlotUnavailable),
		errors.Is(err, service.ErrDoubleBooked), errors.Is(err, service.ErrAlreadyInvoiced):
		status = http.StatusConflict
	case errors.Is(err, service.ErrPatientInactive), errors.Is(err, service.ErrAllergyConflict),
		errors.Is(err, service.ErrControlledNeedsVisit), errors.Is(err, service.ErrNoCoverage),
		errors.Is(err, service.ErrNotBillable), errors.Is(err, service.ErrOverpayment), errors.Is(err, service.ErrNoRefills):
		status = http.StatusUnprocessableEntity
	case errors.Is(err, context.DeadlineExceeded):
		status = http.StatusGatewayTimeout
	}
	if status >= 500 {
		logging.L(r.Context()).Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error = http.StatusText(status)
	}
	writeJSON(w, status, body)
}

func badRequest(w http.ResponseWriter, r *http.Request, format string, args ...any) {
	writeJSON(w, http.StatusBadRequest, errorBody{Error: fmt.Sprintf(format, args...), ID: logging.RequestID(r.Context())})
}

// decode reads a JSON body into v; it answers 400 itself and returns false
// when the body is unusable.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		badRequest(w, r, "invalid JSON body: %v", err)
		return false
	}
	if dec.More() {
		badRequest(w, r, "invalid JSON body: more than one value")
		return false
	}
	_, _ = io.Copy(io.Discard, r.Body)
	return true
}

// pathID reads a numeric path wildcard; it answers 400 itself on failure.
func pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		badRequest(w, r, "%s must be a positive integer", name)
		return 0, false
	}
	return id, true
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// page reads ?limit= and ?offset=.
func page(r *http.Request) model.Page {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	return model.Page{Limit: limit, Offset: offset}.Normalize()
}

// queryInt reads an optional numeric query parameter.
func queryInt(r *http.Request, name string, def int64) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	return strconv.ParseInt(v, 10, 64)
}

// queryDate reads an optional YYYY-MM-DD query parameter in the clinic's zone.
func queryDate(r *http.Request, z timeutil.Zone, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	return z.ParseDate(v)
}

// Health answers the load balancer's probes.
type Health struct {
	DB      *sql.DB
	Started time.Time
}

// Live reports that the process is up.
func (h *Health) Live(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "uptime": time.Since(h.Started).Round(time.Second).String()})
}

// Ready reports whether the database answers.
func (h *Health) Ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	if err := h.DB.PingContext(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
