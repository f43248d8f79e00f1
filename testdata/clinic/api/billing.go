package api

import (
	"fmt"
	"net/http"
	"strings"

	"example.com/clinic/model"
	"example.com/clinic/service"
)

// BillingHandler serves invoices, payments and claims.
type BillingHandler struct {
	billing *service.BillingService
}

// NewBillingHandler returns the handler.
func NewBillingHandler(b *service.BillingService) *BillingHandler {
	return &BillingHandler{billing: b}
}

type invoiceRequest struct {
	Extra []struct {
		Code     string `json:"code"`
		Quantity int    `json:"quantity"`
	} `json:"extra"`
}

// InvoiceVisit handles POST /appointments/{id}/invoice.
func (h *BillingHandler) InvoiceVisit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var req invoiceRequest
	if r.ContentLength != 0 && !decode(w, r, &req) {
		return
	}
	lines := make([]model.InvoiceLine, len(req.Extra))
	for i, e := range req.Extra {
		lines[i] = model.InvoiceLine{Code: strings.TrimSpace(e.Code), Quantity: e.Quantity}
	}
	inv, err := h.billing.InvoiceVisit(r.Context(), actor(r), id, lines)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/invoices/"+itoa(inv.ID))
	writeJSON(w, http.StatusCreated, inv)
}

// Invoice handles GET /invoices/{id}; with Accept: text/plain it answers
// the printable statement.
func (h *BillingHandler) Invoice(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	inv, err := h.billing.Invoice(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "text/plain") {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		writeStatement(w, inv)
		return
	}
	writeJSON(w, http.StatusOK, inv)
}

func writeStatement(w http.ResponseWriter, inv model.Invoice) {
	fmt.Fprintf(w, "Invoice %s\nIssued %s, due %s\n\nBill to: %s\n         %s\n\n",
		inv.Number, inv.IssuedAt.Format("Jan 2, 2006"), inv.DueAt.Format("Jan 2, 2006"), inv.BillTo, inv.BillToAddr)
	for _, l := range inv.Lines {
		fmt.Fprintf(w, "%-8s %-40s %3d x %12s = %12s\n", l.Code, l.Description, l.Quantity, l.UnitPrice.Decimal(), l.Amount().Decimal())
	}
	fmt.Fprintf(w, "\nTotal %s\nPaid  %s\nDue   %s\n", inv.Total, inv.Paid, inv.Balance())
}

// PatientInvoices handles GET /patients/{id}/invoices.
func (h *BillingHandler) PatientInvoices(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	invs, err := h.billing.PatientInvoices(r.Context(), id, page(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, invs)
}

// Balance handles GET /patients/{id}/balance.
func (h *BillingHandler) Balance(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	b, err := h.billing.OutstandingBalance(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"patient_id": id, "balance": b})
}

// Pay handles POST /invoices/{id}/payments.
func (h *BillingHandler) Pay(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var req service.PaymentRequest
	if !decode(w, r, &req) {
		return
	}
	p, err := h.billing.Pay(r.Context(), actor(r), id, req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

// Void handles POST /invoices/{id}/void.
func (h *BillingHandler) Void(w http.ResponseWriter, r *http.Request) {
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
	if err := h.billing.Void(r.Context(), actor(r), id, req.Reason); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// FileClaim handles POST /invoices/{id}/claim.
func (h *BillingHandler) FileClaim(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	c, err := h.billing.FileClaim(r.Context(), actor(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, c)
}

// Claims handles GET /claims?status=.
func (h *BillingHandler) Claims(w http.ResponseWriter, r *http.Request) {
	cs, err := h.billing.Claims(r.Context(), model.ClaimStatus(r.URL.Query().Get("status")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cs)
}
