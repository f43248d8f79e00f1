package model

import "time"

// Channel is how a message reaches a patient.
type Channel string

// Channels.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
	ChannelNone  Channel = "none"
)

// MessageKind names the template a message is rendered from.
type MessageKind string

// Message kinds.
const (
	MsgAppointmentBooked    MessageKind = "appointment_booked"
	MsgAppointmentReminder  MessageKind = "appointment_reminder"
	MsgAppointmentCancelled MessageKind = "appointment_cancelled"
	MsgInvoiceIssued        MessageKind = "invoice_issued"
	MsgPaymentReceived      MessageKind = "payment_received"
	MsgPrescriptionReady    MessageKind = "prescription_ready"
)

// MessageStatus is the delivery state of a message.
type MessageStatus string

// Delivery states.
const (
	MsgQueued MessageStatus = "queued"
	MsgSent   MessageStatus = "sent"
	MsgFailed MessageStatus = "failed"
)

// Message is a notification to a patient, kept in the outbox until it is
// delivered.
type Message struct {
	ID            int64         `json:"id"`
	PatientID     int64         `json:"patient_id"`
	AppointmentID int64         `json:"appointment_id,omitempty"`
	Kind          MessageKind   `json:"kind"`
	Channel       Channel       `json:"channel"`
	Subject       string        `json:"subject"`
	Body          string        `json:"body"`
	Status        MessageStatus `json:"status"`
	Attempts      int           `json:"attempts"`
	LastError     string        `json:"last_error,omitempty"`
	NotBefore     time.Time     `json:"not_before"`
	SentAt        time.Time     `json:"sent_at,omitempty"`
	CreatedAt     time.Time     `json:"created_at"`

	// Recipient is filled when the relay loads the message.
	Recipient Contact `json:"-"`
}

// Reminder is an upcoming appointment that still needs its reminder.
type Reminder struct {
	AppointmentID int64
	PatientID     int64
	PatientName   string
	ProviderName  string
	Start         time.Time
}
