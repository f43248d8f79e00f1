package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"time"

	"example.com/clinic/gateway"
	"example.com/clinic/model"
	"example.com/clinic/platform/logging"
	"example.com/clinic/repository"
	"example.com/clinic/timeutil"
)

// messageTemplates are the texts patients receive, by kind.
var messageTemplates = template.Must(template.New("messages").Parse(`
{{define "appointment_booked"}}Hello {{.Name}}, your appointment with {{.Provider}} is booked for {{.When}}. Reply or call us to change it. - {{.Clinic}}{{end}}
{{define "appointment_reminder"}}Reminder: {{.Name}}, you see {{.Provider}} on {{.When}}. Please arrive 10 minutes early. - {{.Clinic}}{{end}}
{{define "appointment_cancelled"}}Hello {{.Name}}, your appointment on {{.When}} was cancelled{{if .Reason}} ({{.Reason}}){{end}}. - {{.Clinic}}{{end}}
{{define "invoice_issued"}}Hello {{.Name}}, invoice {{.Number}} for {{.Amount}} is due on {{.When}}. - {{.Clinic}}{{end}}
{{define "payment_received"}}Thank you {{.Name}}, we received {{.Amount}} for invoice {{.Number}}. - {{.Clinic}}{{end}}
{{define "prescription_ready"}}Your prescription for {{.Drug}} is ready at {{.Pharmacy}}. - {{.Clinic}}{{end}}
`))

// subjects are the e-mail subject lines, by kind.
var subjects = map[model.MessageKind]string{
	model.MsgAppointmentBooked:    "Your appointment is booked",
	model.MsgAppointmentReminder:  "Appointment reminder",
	model.MsgAppointmentCancelled: "Your appointment was cancelled",
	model.MsgInvoiceIssued:        "Your invoice",
	model.MsgPaymentReceived:      "Payment received",
	model.MsgPrescriptionReady:    "Prescription ready for pickup",
}

// NotificationService queues messages to patients in the outbox. The
// relay delivers them.
type NotificationService struct {
	repo   *repository.MessageRepository
	zone   timeutil.Zone
	clock  timeutil.Clock
	clinic string
}

// NewNotificationService returns the service; clinic signs the messages.
func NewNotificationService(repo *repository.MessageRepository, zone timeutil.Zone, clock timeutil.Clock, clinic string) *NotificationService {
	return &NotificationService{repo: repo, zone: zone, clock: clock, clinic: clinic}
}

type messageData struct {
	Name, Provider, When, Reason, Clinic string
	Number, Amount, Drug, Pharmacy       string
}

func (s *NotificationService) enqueue(ctx context.Context, kind model.MessageKind, patientID, appointmentID int64, d messageData, notBefore time.Time) error {
	d.Clinic = s.clinic
	var body strings.Builder
	if err := messageTemplates.ExecuteTemplate(&body, string(kind), d); err != nil {
		return fmt.Errorf("render %s: %w", kind, err)
	}
	if notBefore.IsZero() {
		notBefore = s.clock.Now()
	}
	m := model.Message{
		PatientID:     patientID,
		AppointmentID: appointmentID,
		Kind:          kind,
		Subject:       subjects[kind],
		Body:          strings.TrimSpace(body.String()),
		NotBefore:     notBefore,
	}
	if err := s.repo.Enqueue(ctx, &m); err != nil {
		return translate(err, "enqueue "+string(kind))
	}
	return nil
}

// AppointmentBooked confirms a booking.
func (s *NotificationService) AppointmentBooked(ctx context.Context, p model.Patient, a model.Appointment, pr model.Provider) error {
	return s.enqueue(ctx, model.MsgAppointmentBooked, p.ID, a.ID, messageData{
		Name: p.FirstName, Provider: pr.Name, When: s.zone.FormatLocal(a.Start),
	}, time.Time{})
}

// AppointmentCancelled tells the patient about a cancellation.
func (s *NotificationService) AppointmentCancelled(ctx context.Context, p model.Patient, a model.Appointment, reason string) error {
	return s.enqueue(ctx, model.MsgAppointmentCancelled, p.ID, a.ID, messageData{
		Name: p.FirstName, When: s.zone.FormatLocal(a.Start), Reason: reason,
	}, time.Time{})
}

// InvoiceIssued sends the invoice notice.
func (s *NotificationService) InvoiceIssued(ctx context.Context, p model.Patient, inv model.Invoice) error {
	return s.enqueue(ctx, model.MsgInvoiceIssued, p.ID, inv.AppointmentID, messageData{
		Name: p.FirstName, Number: inv.Number, Amount: inv.Total.String(), When: inv.DueAt.In(s.zone.Location()).Format("Jan 2, 2006"),
	}, time.Time{})
}

// PaymentReceived sends a receipt.
func (s *NotificationService) PaymentReceived(ctx context.Context, inv model.Invoice, pay model.Payment) error {
	first, _, _ := strings.Cut(inv.BillTo, " ")
	return s.enqueue(ctx, model.MsgPaymentReceived, inv.PatientID, 0, messageData{
		Name: first, Number: inv.Number, Amount: pay.Amount.String(),
	}, time.Time{})
}

// PrescriptionReady tells the patient to pick up a prescription.
func (s *NotificationService) PrescriptionReady(ctx context.Context, rx model.Prescription, ph model.Pharmacy) error {
	return s.enqueue(ctx, model.MsgPrescriptionReady, rx.PatientID, 0, messageData{
		Drug: rx.Medication.Name, Pharmacy: ph.Name + ", " + ph.Address.Line1,
	}, time.Time{})
}

// List lists messages for the back office.
func (s *NotificationService) List(ctx context.Context, patientID int64, status model.MessageStatus, page model.Page) ([]model.Message, error) {
	ms, err := s.repo.List(ctx, patientID, status, page)
	return ms, translate(err, "messages")
}

// Retry requeues a message that was given up.
func (s *NotificationService) Retry(ctx context.Context, actor model.Actor, id int64) error {
	if !actor.Role.Can(model.RoleFrontDesk) {
		return ErrForbidden
	}
	return translate(s.repo.Requeue(ctx, id), "retry message")
}

// maxAttempts is how often delivery is tried before a message is given up.
const maxAttempts = 6

// Relay delivers the outbox and queues appointment reminders.
type Relay struct {
	repo      *repository.MessageRepository
	notify    *NotificationService
	messenger *gateway.Messenger
	interval  time.Duration
	batch     int
	lead      time.Duration
}

// NewRelay returns a relay that polls every interval.
func NewRelay(repo *repository.MessageRepository, notify *NotificationService, messenger *gateway.Messenger, interval time.Duration, batch int, lead time.Duration) *Relay {
	return &Relay{repo: repo, notify: notify, messenger: messenger, interval: interval, batch: batch, lead: lead}
}

// Run polls until ctx ends.
func (r *Relay) Run(ctx context.Context) {
	ticker := time.NewTicker(r.interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if err := r.queueReminders(ctx); err != nil {
				logging.L(ctx).Error("queue reminders", "err", err)
			}
			if err := r.deliver(ctx); err != nil {
				logging.L(ctx).Error("deliver outbox", "err", err)
			}
		}
	}
}

// queueReminders queues a reminder for every appointment starting within
// the lead time that has none yet.
func (r *Relay) queueReminders(ctx context.Context) error {
	now := r.notify.clock.Now()
	due, err := r.repo.DueReminders(ctx, now, now.Add(r.lead))
	if err != nil {
		return err
	}
	for _, d := range due {
		first, _, _ := strings.Cut(d.PatientName, " ")
		err := r.notify.enqueue(ctx, model.MsgAppointmentReminder, d.PatientID, d.AppointmentID, messageData{
			Name: first, Provider: d.ProviderName, When: r.notify.zone.FormatLocal(d.Start),
		}, time.Time{})
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *Relay) deliver(ctx context.Context) error {
	msgs, err := r.repo.Claim(ctx, r.batch, 5*time.Minute)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		err := r.send(ctx, m)
		now := time.Now().UTC()
		if err == nil {
			if err := r.repo.MarkSent(ctx, m.ID, now); err != nil {
				return err
			}
			continue
		}
		giveUp := m.Attempts+1 >= maxAttempts || errors.Is(err, gateway.ErrNoAddress)
		var se *gateway.StatusError
		if errors.As(err, &se) && !se.Temporary() {
			giveUp = true
		}
		logging.L(ctx).Warn("message not delivered", "message", m.ID, "attempt", m.Attempts+1, "give_up", giveUp, "err", err)
		if err := r.repo.MarkFailed(ctx, m.ID, err.Error(), now.Add(backoff(m.Attempts)), giveUp); err != nil {
			return err
		}
	}
	return nil
}

func (r *Relay) send(ctx context.Context, m model.Message) error {
	switch m.Channel {
	case model.ChannelSMS:
		_, err := r.messenger.SendSMS(ctx, m.Recipient.Phone, m.Body)
		return err
	case model.ChannelEmail:
		return r.messenger.SendEmail(ctx, m.Recipient.Email, m.Subject, m.Body)
	case model.ChannelNone:
		return nil
	}
	return fmt.Errorf("unknown channel %q", m.Channel)
}

// backoff is the wait before the next attempt: 1, 2, 4, ... minutes.
func backoff(attempts int) time.Duration {
	if attempts > 8 {
		attempts = 8
	}
	return time.Minute << attempts
}
