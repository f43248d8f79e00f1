package model

import "time"

// Provider is a clinician who sees patients.
type Provider struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Specialty string `json:"specialty"`
	NPI       string `json:"npi"`
	Active    bool   `json:"active"`
}

// SlotStatus is where a slot is in the booking flow.
type SlotStatus string

// Slot states.
const (
	SlotOpen    SlotStatus = "open"
	SlotHeld    SlotStatus = "held"
	SlotBooked  SlotStatus = "booked"
	SlotBlocked SlotStatus = "blocked"
)

// Slot is a bookable period in a provider's calendar.
type Slot struct {
	ID         int64      `json:"id"`
	ProviderID int64      `json:"provider_id"`
	Start      time.Time  `json:"start"`
	End        time.Time  `json:"end"`
	Status     SlotStatus `json:"status"`
	HeldBy     int64      `json:"held_by,omitempty"`
	HeldUntil  time.Time  `json:"held_until,omitempty"`
}

// VisitKind is the type of visit, which decides its length and its fee.
type VisitKind string

// Visit kinds.
const (
	VisitNew        VisitKind = "new_patient"
	VisitFollowUp   VisitKind = "follow_up"
	VisitTelehealth VisitKind = "telehealth"
	VisitProcedure  VisitKind = "procedure"
)

// AppointmentStatus is the state of an appointment.
type AppointmentStatus string

// Appointment states.
const (
	ApptScheduled AppointmentStatus = "scheduled"
	ApptCheckedIn AppointmentStatus = "checked_in"
	ApptCompleted AppointmentStatus = "completed"
	ApptCancelled AppointmentStatus = "cancelled"
	ApptNoShow    AppointmentStatus = "no_show"
)

// Appointment is a patient's booked visit with a provider.
type Appointment struct {
	ID           int64             `json:"id"`
	PatientID    int64             `json:"patient_id"`
	ProviderID   int64             `json:"provider_id"`
	SlotID       int64             `json:"slot_id"`
	Start        time.Time         `json:"start"`
	End          time.Time         `json:"end"`
	Kind         VisitKind         `json:"kind"`
	Reason       string            `json:"reason,omitempty"`
	Status       AppointmentStatus `json:"status"`
	CancelReason string            `json:"cancel_reason,omitempty"`
	CancelledAt  time.Time         `json:"cancelled_at,omitempty"`
	// InvoiceID is set by billing once the visit has been invoiced.
	InvoiceID int64     `json:"invoice_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Open reports whether the appointment still lies ahead of the patient.
func (a Appointment) Open() bool {
	return a.Status == ApptScheduled || a.Status == ApptCheckedIn
}

// Booking is a request to book a slot for a patient.
type Booking struct {
	PatientID int64     `json:"patient_id"`
	SlotID    int64     `json:"slot_id"`
	Kind      VisitKind `json:"kind"`
	Reason    string    `json:"reason"`
}

// AppointmentQuery lists appointments.
type AppointmentQuery struct {
	ProviderID int64
	PatientID  int64
	From, To   time.Time
	Status     AppointmentStatus
	Page       Page
}
