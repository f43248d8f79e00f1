// Package mailer delivers email over SMTP.
package mailer

import (
	"bytes"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"os"
	"strings"
	"sync"
	"time"
)

// Config addresses an SMTP relay.
type Config struct {
	Addr     string
	From     string
	Username string
	Password string
}

// The process-wide client, created on first use by Default.
var (
	clientOnce sync.Once
	client     *Client
)

// Default returns the process-wide SMTP client, configured from the
// SHOP_SMTP_* environment variables the first time it is called.
func Default() *Client {
	clientOnce.Do(func() {
		client = New(Config{
			Addr:     envOr("SHOP_SMTP_ADDR", "localhost:25"),
			From:     envOr("SHOP_SMTP_FROM", "Shop <orders@shop.example>"),
			Username: os.Getenv("SHOP_SMTP_USERNAME"),
			Password: os.Getenv("SHOP_SMTP_PASSWORD"),
		})
	})
	return client
}

// Client sends messages through one SMTP relay.
type Client struct {
	cfg  Config
	auth smtp.Auth
}

// New returns a client for cfg.
func New(cfg Config) *Client {
	c := &Client{cfg: cfg}
	if cfg.Username != "" {
		host, _, err := net.SplitHostPort(cfg.Addr)
		if err != nil {
			host = cfg.Addr
		}
		c.auth = smtp.PlainAuth("", cfg.Username, cfg.Password, host)
	}
	return c
}

// Send delivers an HTML message to one recipient. The relay's STARTTLS
// extension is used when it offers it.
func (c *Client) Send(to, subject, htmlBody string) error {
	msg := buildMessage(c.cfg.From, to, subject, htmlBody)
	if err := smtp.SendMail(c.cfg.Addr, c.auth, address(c.cfg.From), []string{to}, msg); err != nil {
		return fmt.Errorf("mailer: send to %s: %w", to, err)
	}
	return nil
}

func buildMessage(from, to, subject, htmlBody string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", to)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: text/html; charset=utf-8\r\n")
	b.WriteString("Content-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(htmlBody, "\n", "\r\n"))
	b.WriteString("\r\n")
	return b.Bytes()
}

// address extracts the bare address from "Name <addr>".
func address(from string) string {
	if i := strings.LastIndexByte(from, '<'); i >= 0 {
		return strings.TrimSuffix(from[i+1:], ">")
	}
	return from
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
