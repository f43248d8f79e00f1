package model

import "time"

// Medication is an entry of the formulary.
type Medication struct {
	Code     string `json:"code"` // RxNorm concept id
	Name     string `json:"name"`
	Strength string `json:"strength"`
	Form     string `json:"form"`
	// Schedule is the DEA schedule (2-5) of a controlled substance, 0 otherwise.
	Schedule int `json:"schedule,omitempty"`
}

// Controlled reports whether the drug is a controlled substance.
func (m Medication) Controlled() bool { return m.Schedule >= 2 && m.Schedule <= 5 }

// RxStatus is the state of a prescription.
type RxStatus string

// Prescription states.
const (
	RxDraft     RxStatus = "draft"
	RxSigned    RxStatus = "signed"
	RxSent      RxStatus = "sent"
	RxDispensed RxStatus = "dispensed"
	RxCancelled RxStatus = "cancelled"
)

// Prescription is a medication order written for a patient.
type Prescription struct {
	ID            int64      `json:"id"`
	PatientID     int64      `json:"patient_id"`
	PrescriberID  int64      `json:"prescriber_id"`
	AppointmentID int64      `json:"appointment_id,omitempty"`
	Medication    Medication `json:"medication"`
	Sig           string     `json:"sig"` // directions: "1 tab PO BID x 10 days"
	Quantity      int        `json:"quantity"`
	Refills       int        `json:"refills"`
	RefillsUsed   int        `json:"refills_used"`
	PharmacyID    int64      `json:"pharmacy_id,omitempty"`
	Status        RxStatus   `json:"status"`
	SignedAt      time.Time  `json:"signed_at,omitempty"`
	SentAt        time.Time  `json:"sent_at,omitempty"`
	ExternalRef   string     `json:"external_ref,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

// RefillsLeft is how many refills the pharmacy may still dispense.
func (p Prescription) RefillsLeft() int {
	if n := p.Refills - p.RefillsUsed; n > 0 {
		return n
	}
	return 0
}

// NewPrescription is what a clinician submits.
type NewPrescription struct {
	PatientID      int64  `json:"patient_id"`
	AppointmentID  int64  `json:"appointment_id"`
	MedicationCode string `json:"medication_code"`
	Sig            string `json:"sig"`
	Quantity       int    `json:"quantity"`
	Refills        int    `json:"refills"`
	PharmacyID     int64  `json:"pharmacy_id"`
}

// Pharmacy is where prescriptions are sent.
type Pharmacy struct {
	ID      int64   `json:"id"`
	Name    string  `json:"name"`
	NCPDPID string  `json:"ncpdp_id"`
	Address Address `json:"address"`
	Phone   string  `json:"phone"`
	Fax     string  `json:"fax,omitempty"`
}

// PharmacyEvent is what the e-prescribing network reports back.
type PharmacyEvent struct {
	ExternalRef string    `json:"external_ref"`
	Event       string    `json:"event"` // "dispensed", "refill_request", "rejected"
	Detail      string    `json:"detail,omitempty"`
	At          time.Time `json:"at"`
}
