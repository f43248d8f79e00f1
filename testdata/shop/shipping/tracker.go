package shipping

import (
	"context"
	"errors"
	"time"

	"example.com/shop/platform/log"
	"example.com/shop/shipping/carrier"
)

// trackBatch is the number of shipments polled per tick.
const trackBatch = 200

// Tracker polls carriers for the progress of shipments in flight.
type Tracker struct {
	svc      *Service
	interval time.Duration
}

// NewTracker returns a tracker polling every interval.
func NewTracker(svc *Service, interval time.Duration) *Tracker {
	return &Tracker{svc: svc, interval: interval}
}

// Run polls until ctx is cancelled.
func (t *Tracker) Run(ctx context.Context) {
	ticker := time.NewTicker(t.interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			updated, err := t.poll(ctx)
			if err != nil {
				log.Error(ctx, "shipment tracking", "err", err)
			}
			if updated > 0 {
				log.Info(ctx, "shipment tracking updated shipments", "count", updated)
			}
		}
	}
}

func (t *Tracker) poll(ctx context.Context) (int, error) {
	shipments, err := t.svc.repo.InFlight(ctx, trackBatch)
	if err != nil {
		return 0, err
	}
	updated := 0
	var errs []error
	for _, sh := range shipments {
		changed, err := t.refresh(ctx, sh)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if changed {
			updated++
		}
	}
	return updated, errors.Join(errs...)
}

// refresh records the events a carrier reported since the last poll.
func (t *Tracker) refresh(ctx context.Context, sh Shipment) (bool, error) {
	c, err := carrier.Lookup(sh.Carrier)
	if err != nil {
		return false, err
	}
	events, err := c.Track(ctx, sh.TrackingNumber)
	if errors.Is(err, carrier.ErrTrackingNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var last time.Time
	for _, e := range sh.Events {
		if e.At.After(last) {
			last = e.At
		}
	}
	status := sh.Status
	var fresh []TrackingEvent
	for _, e := range events {
		if !e.At.After(last) {
			continue
		}
		ev := TrackingEvent{At: e.At, Status: statusOf(e.Code), Location: e.Location, Description: e.Description}
		fresh = append(fresh, ev)
		status = ev.Status
	}
	if len(fresh) == 0 {
		return false, nil
	}
	return true, t.svc.repo.AddEvents(ctx, sh.ID, fresh, status)
}

func statusOf(code string) Status {
	switch code {
	case carrier.EventDelivered:
		return StatusDelivered
	case carrier.EventException:
		return StatusException
	default:
		return StatusInTransit
	}
}
