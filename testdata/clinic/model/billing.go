package model

import (
	"time"

	"example.com/clinic/money"
)

// InvoiceStatus is the state of an invoice.
type InvoiceStatus string

// Invoice states.
const (
	InvoiceIssued  InvoiceStatus = "issued"
	InvoicePartial InvoiceStatus = "partially_paid"
	InvoicePaid    InvoiceStatus = "paid"
	InvoiceVoid    InvoiceStatus = "void"
)

// Invoice is what a patient (or their insurer) owes for a visit or a fee.
type Invoice struct {
	ID            int64         `json:"id"`
	Number        string        `json:"number"`
	PatientID     int64         `json:"patient_id"`
	AppointmentID int64         `json:"appointment_id,omitempty"`
	Status        InvoiceStatus `json:"status"`
	Lines         []InvoiceLine `json:"lines"`
	Total         money.Money   `json:"total"`
	Paid          money.Money   `json:"paid"`
	IssuedAt      time.Time     `json:"issued_at"`
	DueAt         time.Time     `json:"due_at"`
	// BillTo is the patient's name and address at the time of printing.
	BillTo     string `json:"bill_to,omitempty"`
	BillToAddr string `json:"bill_to_address,omitempty"`
}

// Balance is what is still owed.
func (inv Invoice) Balance() money.Money {
	b, err := inv.Total.Sub(inv.Paid)
	if err != nil {
		return inv.Total
	}
	return b
}

// InvoiceLine is one billed service, coded with a CPT code.
type InvoiceLine struct {
	Code        string      `json:"code"`
	Description string      `json:"description"`
	Quantity    int         `json:"quantity"`
	UnitPrice   money.Money `json:"unit_price"`
}

// Amount is the line's total.
func (l InvoiceLine) Amount() money.Money { return l.UnitPrice.Times(l.Quantity) }

// Fee is a line of the practice's fee schedule.
type Fee struct {
	Code        string      `json:"code"`
	Description string      `json:"description"`
	Price       money.Money `json:"price"`
}

// PaymentMethod is how a payment was made.
type PaymentMethod string

// Payment methods.
const (
	PayCard      PaymentMethod = "card"
	PayCash      PaymentMethod = "cash"
	PayInsurance PaymentMethod = "insurance"
)

// Payment is money received against an invoice.
type Payment struct {
	ID         int64         `json:"id"`
	InvoiceID  int64         `json:"invoice_id"`
	Amount     money.Money   `json:"amount"`
	Method     PaymentMethod `json:"method"`
	Reference  string        `json:"reference,omitempty"`
	ReceivedAt time.Time     `json:"received_at"`
}

// ClaimStatus is where an insurance claim is with the payer.
type ClaimStatus string

// Claim states.
const (
	ClaimPending   ClaimStatus = "pending"
	ClaimSubmitted ClaimStatus = "submitted"
	ClaimAccepted  ClaimStatus = "accepted"
	ClaimRejected  ClaimStatus = "rejected"
)

// Claim asks an insurer to pay an invoice.
type Claim struct {
	ID          int64       `json:"id"`
	InvoiceID   int64       `json:"invoice_id"`
	CoverageID  int64       `json:"coverage_id"`
	PayerID     string      `json:"payer_id"`
	MemberID    string      `json:"member_id"`
	Amount      money.Money `json:"amount"`
	Status      ClaimStatus `json:"status"`
	BatchID     string      `json:"batch_id,omitempty"`
	SubmittedAt time.Time   `json:"submitted_at,omitempty"`
	Response    string      `json:"response,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
}
