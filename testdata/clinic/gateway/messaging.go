package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/smtp"
	"strings"
	"time"
)

// ErrNoAddress is returned when a message has nowhere to go.
var ErrNoAddress = errors.New("gateway: recipient has no address for the channel")

// Messenger delivers text messages and e-mail to patients.
type Messenger struct {
	SMSURL   string
	SMSKey   string
	SMTPAddr string
	From     string
}

// SendSMS sends body to a phone number in E.164 form.
func (m *Messenger) SendSMS(ctx context.Context, phone, body string) (string, error) {
	if phone == "" {
		return "", ErrNoAddress
	}
	if len(body) > 480 {
		body = body[:477] + "..."
	}
	var out struct {
		ID string `json:"id"`
	}
	err := postJSON(ctx, m.SMSURL, m.SMSKey, map[string]string{"to": phone, "body": body}, &out)
	return out.ID, err
}

// SendEmail sends a plain-text mail.
func (m *Messenger) SendEmail(ctx context.Context, to, subject, body string) error {
	if to == "" {
		return ErrNoAddress
	}
	if strings.ContainsAny(to+subject, "\r\n") {
		return fmt.Errorf("gateway: header injection in %q", to)
	}
	var msg strings.Builder
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n", m.From, to, subject, time.Now().Format(time.RFC1123Z))
	msg.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	msg.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))

	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(m.SMTPAddr, nil, m.From, []string{to}, []byte(msg.String())) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
