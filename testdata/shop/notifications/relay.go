package notifications

import (
	"context"
	"time"

	"example.com/shop/notifications/mailer"
	"example.com/shop/platform/log"
)

const (
	relayBatch  = 50
	maxAttempts = 8
	baseBackoff = 30 * time.Second
)

// Relay delivers due outbox messages on a fixed interval.
type Relay struct {
	outbox   Outbox
	interval time.Duration
}

// NewRelay returns a relay draining outbox every interval through the
// process-wide SMTP client.
func NewRelay(outbox Outbox, interval time.Duration) *Relay {
	return &Relay{outbox: outbox, interval: interval}
}

// Run delivers messages until ctx is cancelled.
func (r *Relay) Run(ctx context.Context) {
	ticker := time.NewTicker(r.interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if n, err := r.deliverDue(ctx); err != nil {
				log.Error(ctx, "outbox relay", "err", err)
			} else if n > 0 {
				log.Info(ctx, "outbox relay delivered messages", "count", n)
			}
		}
	}
}

func (r *Relay) deliverDue(ctx context.Context) (int, error) {
	now := time.Now()
	due, err := r.outbox.Due(ctx, now, relayBatch)
	if err != nil {
		return 0, err
	}
	delivered := 0
	for _, m := range due {
		if err := mailer.Default().Send(m.Recipient, m.Subject, m.Body); err != nil {
			attempts := m.Attempts + 1
			dead := attempts >= maxAttempts
			next := now.Add(backoff(attempts))
			if markErr := r.outbox.MarkFailed(ctx, m.ID, err.Error(), next, dead); markErr != nil {
				return delivered, markErr
			}
			log.Warn(ctx, "notification delivery failed", "id", m.ID, "attempts", attempts, "dead", dead, "err", err)
			continue
		}
		if err := r.outbox.MarkSent(ctx, m.ID, time.Now()); err != nil {
			return delivered, err
		}
		delivered++
	}
	return delivered, nil
}

// backoff doubles the delay with every failed attempt, up to a day.
func backoff(attempts int) time.Duration {
	d := baseBackoff << (attempts - 1)
	if d <= 0 || d > 24*time.Hour {
		return 24 * time.Hour
	}
	return d
}
