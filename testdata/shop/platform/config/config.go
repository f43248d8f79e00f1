// Package config reads the shop's settings from the environment.
package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config holds every setting of the shop process.
type Config struct {
	// Addr is the address the HTTP server listens on.
	Addr      string
	Database  Database
	LogLevel  string
	LogFormat string

	// Currency is the currency prices are kept and charged in.
	Currency string
	// VATPercent is the value-added tax applied to order subtotals.
	VATPercent int64
	// InvoiceDir is where invoices of paid orders are written.
	InvoiceDir string
	// PaymentURL and PaymentKey address the payment service provider.
	PaymentURL string
	PaymentKey string

	SessionTTL time.Duration
	// StockHold is how long stock stays reserved for an unpaid order.
	StockHold time.Duration
	// CacheTTL bounds how stale a cached product may be.
	CacheTTL time.Duration
	// MinWriteInterval throttles mutating requests per client.
	MinWriteInterval time.Duration
	// TrackingInterval is how often carriers are polled for parcel events.
	TrackingInterval time.Duration
	// OutboxInterval is how often the notification outbox is drained.
	OutboxInterval time.Duration
}

// Database configures the connection pool.
type Database struct {
	Driver          string
	DSN             string
	MaxOpenConns    int
	ConnMaxLifetime time.Duration
}

// Load reads the configuration from SHOP_* environment variables, falling
// back to defaults suitable for local development.
func Load() (Config, error) {
	var errs []error
	cfg := Config{
		Addr:      str("SHOP_ADDR", ":8080"),
		LogLevel:  str("SHOP_LOG_LEVEL", "info"),
		LogFormat: str("SHOP_LOG_FORMAT", "text"),
		Database: Database{
			Driver:          str("SHOP_DB_DRIVER", "postgres"),
			DSN:             str("SHOP_DB_DSN", "postgres://shop@localhost:5432/shop?sslmode=disable"),
			MaxOpenConns:    integer("SHOP_DB_MAX_OPEN_CONNS", 20, &errs),
			ConnMaxLifetime: duration("SHOP_DB_CONN_MAX_LIFETIME", 30*time.Minute, &errs),
		},
		Currency:         strings.ToUpper(str("SHOP_CURRENCY", "EUR")),
		VATPercent:       int64(integer("SHOP_VAT_PERCENT", 19, &errs)),
		InvoiceDir:       str("SHOP_INVOICE_DIR", "var/invoices"),
		PaymentURL:       str("SHOP_PAYMENT_URL", "https://api.psp.example"),
		PaymentKey:       os.Getenv("SHOP_PAYMENT_KEY"),
		SessionTTL:       duration("SHOP_SESSION_TTL", 14*24*time.Hour, &errs),
		StockHold:        duration("SHOP_STOCK_HOLD", 15*time.Minute, &errs),
		CacheTTL:         duration("SHOP_CACHE_TTL", time.Minute, &errs),
		MinWriteInterval: duration("SHOP_MIN_WRITE_INTERVAL", 250*time.Millisecond, &errs),
		TrackingInterval: duration("SHOP_TRACKING_INTERVAL", 10*time.Minute, &errs),
		OutboxInterval:   duration("SHOP_OUTBOX_INTERVAL", 5*time.Second, &errs),
	}
	if err := cfg.validate(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("config: %w", errors.Join(errs...))
	}
	return cfg, nil
}

func (c Config) validate() error {
	var errs []error
	if c.VATPercent < 0 || c.VATPercent > 100 {
		errs = append(errs, fmt.Errorf("SHOP_VAT_PERCENT %d out of range", c.VATPercent))
	}
	if c.StockHold <= 0 {
		errs = append(errs, errors.New("SHOP_STOCK_HOLD must be positive"))
	}
	if c.TrackingInterval <= 0 || c.OutboxInterval <= 0 {
		errs = append(errs, errors.New("worker intervals must be positive"))
	}
	if c.Database.DSN == "" {
		errs = append(errs, errors.New("SHOP_DB_DSN is empty"))
	}
	return errors.Join(errs...)
}

func str(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func integer(key string, def int, errs *[]error) int {
	v, ok := os.LookupEnv(key)
	if !ok || v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("%s: %w", key, err))
		return def
	}
	return n
}

func duration(key string, def time.Duration, errs *[]error) time.Duration {
	v, ok := os.LookupEnv(key)
	if !ok || v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("%s: %w", key, err))
		return def
	}
	return d
}
