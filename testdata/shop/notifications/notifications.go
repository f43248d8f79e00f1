// Package notifications renders the emails the shop sends to customers and
// queues them in a transactional outbox, from which the Relay delivers them.
package notifications

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"
)

// Status is the delivery state of an outbox message.
type Status string

// The delivery states.
const (
	StatusPending Status = "pending"
	StatusSent    Status = "sent"
	StatusDead    Status = "dead"
)

// ErrNoRecipient is returned when a notification has nowhere to go.
var ErrNoRecipient = errors.New("notifications: no recipient")

// Message is a rendered notification waiting in, or delivered from, the
// outbox.
type Message struct {
	ID            int64     `json:"id"`
	Template      string    `json:"template"`
	Recipient     string    `json:"recipient"`
	Subject       string    `json:"subject"`
	Body          string    `json:"body"`
	Status        Status    `json:"status"`
	Attempts      int       `json:"attempts"`
	LastError     string    `json:"last_error,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	SentAt        time.Time `json:"sent_at,omitempty"`
}

// Outbox stores messages until they are delivered.
type Outbox interface {
	Enqueue(ctx context.Context, m *Message) error
	Due(ctx context.Context, now time.Time, limit int) ([]Message, error)
	MarkSent(ctx context.Context, id int64, at time.Time) error
	MarkFailed(ctx context.Context, id int64, reason string, next time.Time, dead bool) error
	Pending(ctx context.Context, limit int) ([]Message, error)
}

// emailTemplates are the HTML bodies of customer emails.
var emailTemplates = template.Must(template.New("email").Parse(`
{{define "order_confirmed"}}<p>Hello {{.Name}},</p>
<p>thank you for your order #{{.OrderID}}. We have received your payment and are packing it now.</p>
<table>{{range .Lines}}<tr><td>{{.Quantity}} &times;</td><td>{{.Name}}</td><td>{{.Amount}}</td></tr>{{end}}</table>
<p>Total: <strong>{{.Total}}</strong></p>{{end}}
{{define "order_shipped"}}<p>Hello {{.Name}},</p>
<p>your order #{{.OrderID}} is on its way with {{.Carrier}}.</p>
<p>Track it here: <a href="{{.TrackingURL}}">{{.TrackingNumber}}</a></p>{{end}}
`))

// subjects are the email subject lines, formatted with the order number.
var subjects = map[string]string{
	"order_confirmed": "Your order #%d is confirmed",
	"order_shipped":   "Your order #%d has shipped",
}

// OrderConfirmation is the content of an order confirmation.
type OrderConfirmation struct {
	OrderID int64
	Email   string
	Name    string
	Lines   []ConfirmationLine
	Total   string
}

// ConfirmationLine is one ordered item.
type ConfirmationLine struct {
	Name     string
	Quantity int
	Amount   string
}

// ShipmentNotice is the content of a shipping notification.
type ShipmentNotice struct {
	OrderID        int64
	Email          string
	Name           string
	Carrier        string
	TrackingNumber string
	TrackingURL    string
}

// Service queues notifications.
type Service struct {
	outbox Outbox
	now    func() time.Time
}

// NewService returns a service that queues into outbox.
func NewService(outbox Outbox) *Service {
	return &Service{outbox: outbox, now: time.Now}
}

// OrderConfirmed queues the confirmation email for a paid order.
func (s *Service) OrderConfirmed(ctx context.Context, c OrderConfirmation) error {
	if c.Email == "" {
		return ErrNoRecipient
	}
	return s.enqueue(ctx, c.Email, "order_confirmed", c.OrderID, c)
}

// OrderShipped queues the shipping email.
func (s *Service) OrderShipped(ctx context.Context, n ShipmentNotice) error {
	if n.Email == "" {
		return ErrNoRecipient
	}
	return s.enqueue(ctx, n.Email, "order_shipped", n.OrderID, n)
}

// Pending lists undelivered messages, oldest first.
func (s *Service) Pending(ctx context.Context, limit int) ([]Message, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.outbox.Pending(ctx, limit)
}

func (s *Service) enqueue(ctx context.Context, to, name string, orderID int64, data any) error {
	var body bytes.Buffer
	if err := emailTemplates.ExecuteTemplate(&body, name, data); err != nil {
		return fmt.Errorf("notifications: render %s: %w", name, err)
	}
	now := s.now()
	m := &Message{
		Template:      name,
		Recipient:     to,
		Subject:       fmt.Sprintf(subjects[name], orderID),
		Body:          strings.TrimSpace(body.String()),
		Status:        StatusPending,
		CreatedAt:     now,
		NextAttemptAt: now,
	}
	if err := s.outbox.Enqueue(ctx, m); err != nil {
		return fmt.Errorf("notifications: enqueue %s to %s: %w", m.Template, m.Recipient, err)
	}
	return nil
}
