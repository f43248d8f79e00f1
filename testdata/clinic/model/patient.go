package model

import (
	"strings"
	"time"
)

// Sex as recorded for clinical and insurance purposes.
type Sex string

// Recorded sexes.
const (
	SexFemale  Sex = "F"
	SexMale    Sex = "M"
	SexOther   Sex = "X"
	SexUnknown Sex = "U"
)

// Patient is a person registered with the practice.
type Patient struct {
	ID          int64     `json:"id"`
	MRN         string    `json:"mrn"`
	FirstName   string    `json:"first_name"`
	LastName    string    `json:"last_name"`
	DateOfBirth time.Time `json:"date_of_birth"`
	Sex         Sex       `json:"sex"`
	Contact     Contact   `json:"contact"`
	Address     Address   `json:"address"`
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// FullName is "First Last".
func (p Patient) FullName() string {
	return strings.TrimSpace(p.FirstName + " " + p.LastName)
}

// NewPatient is what the front desk enters at registration.
type NewPatient struct {
	FirstName   string  `json:"first_name"`
	LastName    string  `json:"last_name"`
	DateOfBirth string  `json:"date_of_birth"`
	Sex         Sex     `json:"sex"`
	Contact     Contact `json:"contact"`
	Address     Address `json:"address"`
}

// PatientQuery searches patients.
type PatientQuery struct {
	Name string
	DOB  time.Time
	MRN  string
	Page Page
}

// Coverage is an insurance policy that pays for a patient's care.
type Coverage struct {
	ID           int64     `json:"id"`
	PatientID    int64     `json:"patient_id"`
	PayerName    string    `json:"payer_name"`
	PayerID      string    `json:"payer_id"`
	MemberID     string    `json:"member_id"`
	GroupNumber  string    `json:"group_number,omitempty"`
	Relationship string    `json:"relationship"`
	Primary      bool      `json:"primary"`
	ValidFrom    time.Time `json:"valid_from"`
	ValidTo      time.Time `json:"valid_to,omitempty"`
}

// ActiveOn reports whether the policy covers day t.
func (c Coverage) ActiveOn(t time.Time) bool {
	if t.Before(c.ValidFrom) {
		return false
	}
	return c.ValidTo.IsZero() || !t.After(c.ValidTo)
}

// Allergy is a recorded allergy or intolerance.
type Allergy struct {
	ID         int64     `json:"id"`
	PatientID  int64     `json:"patient_id"`
	Substance  string    `json:"substance"`
	Reaction   string    `json:"reaction,omitempty"`
	Severity   string    `json:"severity"`
	RecordedAt time.Time `json:"recorded_at"`
}

// ClinicalNote is a free-text entry in the patient's chart.
type ClinicalNote struct {
	ID            int64     `json:"id"`
	PatientID     int64     `json:"patient_id"`
	AppointmentID int64     `json:"appointment_id,omitempty"`
	AuthorID      int64     `json:"author_id"`
	Body          string    `json:"body"`
	CreatedAt     time.Time `json:"created_at"`
}
