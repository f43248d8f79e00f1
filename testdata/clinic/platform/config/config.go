// Package config loads the clinic server's settings from the environment.
//
// Every setting has a default that works for a developer's machine; in
// production the values come from the deployment manifest.
package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of the clinic process.
type Config struct {
	HTTP     HTTP
	DB       DB
	Log      Log
	Clinic   Clinic
	Partners Partners
	Jobs     Jobs
}

// HTTP configures the API listener.
type HTTP struct {
	Addr            string
	ShutdownTimeout time.Duration
	// Tokens maps API tokens to staff members, "token=staffID:role,...".
	Tokens string
}

// DB configures the connection pool.
type DB struct {
	Driver       string
	DSN          string
	MaxOpenConns int
	MaxIdleConns int
	ConnLifetime time.Duration
}

// Log configures logging.
type Log struct {
	Level  string
	JSON   bool
	Source bool
}

// Clinic holds the practice's business rules.
type Clinic struct {
	Name     string
	Timezone string
	Currency string
	// SlotHold is how long a slot stays reserved while the front desk
	// completes a booking.
	SlotHold time.Duration
	// LateCancelWindow is how close to the start an appointment can be
	// cancelled without a fee.
	LateCancelWindow time.Duration
	// LateCancelFeeCents is charged for late cancellations and no-shows.
	LateCancelFeeCents int64
	// PaymentTermsDays is the number of days an invoice is due after issue.
	PaymentTermsDays int
	// ReminderLead is how long before an appointment the reminder goes out.
	ReminderLead time.Duration
	// PrintDir is the folder the pharmacy printer watches for signed
	// prescriptions.
	PrintDir string
	// ClaimsSpoolDir keeps the claim batches sent to the clearinghouse.
	ClaimsSpoolDir string
}

// Partners addresses the external systems the clinic talks to.
type Partners struct {
	SMSURL           string
	SMSKey           string
	SMTPAddr         string
	MailFrom         string
	ClearinghouseURL string
	ClearinghouseKey string
	SubmitterID      string
	ERxURL           string
	ERxKey           string
	ERxWebhookSecret string
	CardURL          string
	CardKey          string
}

// Jobs configures the background workers.
type Jobs struct {
	OutboxInterval time.Duration
	OutboxBatch    int
	ClaimsInterval time.Duration
}

// Load reads CLINIC_* variables.
func Load() (*Config, error) {
	r := reader{}
	cfg := &Config{
		HTTP: HTTP{
			Addr:            r.str("CLINIC_HTTP_ADDR", ":8080"),
			ShutdownTimeout: r.dur("CLINIC_HTTP_SHUTDOWN_TIMEOUT", 20*time.Second),
			Tokens:          r.str("CLINIC_API_TOKENS", "dev-token=1:admin"),
		},
		DB: DB{
			Driver:       r.str("CLINIC_DB_DRIVER", "pgx"),
			DSN:          r.str("CLINIC_DB_DSN", "postgres://clinic:clinic@localhost:5432/clinic?sslmode=disable"),
			MaxOpenConns: r.int("CLINIC_DB_MAX_OPEN", 25),
			MaxIdleConns: r.int("CLINIC_DB_MAX_IDLE", 5),
			ConnLifetime: r.dur("CLINIC_DB_CONN_LIFETIME", time.Hour),
		},
		Log: Log{
			Level:  r.str("CLINIC_LOG_LEVEL", "info"),
			JSON:   r.bool("CLINIC_LOG_JSON", false),
			Source: r.bool("CLINIC_LOG_SOURCE", false),
		},
		Clinic: Clinic{
			Name:               r.str("CLINIC_NAME", "Riverside Family Practice"),
			Timezone:           r.str("CLINIC_TIMEZONE", "America/Chicago"),
			Currency:           strings.ToUpper(r.str("CLINIC_CURRENCY", "USD")),
			SlotHold:           r.dur("CLINIC_SLOT_HOLD", 10*time.Minute),
			LateCancelWindow:   r.dur("CLINIC_LATE_CANCEL_WINDOW", 24*time.Hour),
			LateCancelFeeCents: int64(r.int("CLINIC_LATE_CANCEL_FEE_CENTS", 5000)),
			PaymentTermsDays:   r.int("CLINIC_PAYMENT_TERMS_DAYS", 30),
			ReminderLead:       r.dur("CLINIC_REMINDER_LEAD", 24*time.Hour),
			PrintDir:           r.str("CLINIC_RX_PRINT_DIR", "var/rx-print"),
			ClaimsSpoolDir:     r.str("CLINIC_CLAIMS_SPOOL_DIR", "var/claims"),
		},
		Partners: Partners{
			SMSURL:           r.str("CLINIC_SMS_URL", "https://sms.example.net/v2/messages"),
			SMSKey:           os.Getenv("CLINIC_SMS_KEY"),
			SMTPAddr:         r.str("CLINIC_SMTP_ADDR", "localhost:1025"),
			MailFrom:         r.str("CLINIC_MAIL_FROM", "frontdesk@riverside.example"),
			ClearinghouseURL: r.str("CLINIC_CLEARINGHOUSE_URL", "https://edi.clearinghouse.example"),
			ClearinghouseKey: os.Getenv("CLINIC_CLEARINGHOUSE_KEY"),
			SubmitterID:      r.str("CLINIC_SUBMITTER_ID", "RFP0001"),
			ERxURL:           r.str("CLINIC_ERX_URL", "https://erx.example.org/api"),
			ERxKey:           os.Getenv("CLINIC_ERX_KEY"),
			ERxWebhookSecret: os.Getenv("CLINIC_ERX_WEBHOOK_SECRET"),
			CardURL:          r.str("CLINIC_CARD_URL", "https://payments.example.com"),
			CardKey:          os.Getenv("CLINIC_CARD_KEY"),
		},
		Jobs: Jobs{
			OutboxInterval: r.dur("CLINIC_OUTBOX_INTERVAL", 10*time.Second),
			OutboxBatch:    r.int("CLINIC_OUTBOX_BATCH", 50),
			ClaimsInterval: r.dur("CLINIC_CLAIMS_INTERVAL", 15*time.Minute),
		},
	}
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (c *Config) check() error {
	switch {
	case len(c.Clinic.Currency) != 3:
		return fmt.Errorf("config: currency %q is not an ISO 4217 code", c.Clinic.Currency)
	case c.Clinic.SlotHold <= 0:
		return errors.New("config: CLINIC_SLOT_HOLD must be positive")
	case c.Jobs.OutboxBatch <= 0:
		return errors.New("config: CLINIC_OUTBOX_BATCH must be positive")
	case c.Clinic.PaymentTermsDays < 0:
		return errors.New("config: CLINIC_PAYMENT_TERMS_DAYS must not be negative")
	}
	return nil
}

// reader collects parse errors so that Load reports all of them at once.
type reader struct{ errs []error }

func (r *reader) str(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func (r *reader) int(key string, def int) int {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("config: %s: %w", key, err))
		return def
	}
	return n
}

func (r *reader) bool(key string, def bool) bool {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("config: %s: %w", key, err))
		return def
	}
	return b
}

func (r *reader) dur(key string, def time.Duration) time.Duration {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("config: %s: %w", key, err))
		return def
	}
	return d
}
