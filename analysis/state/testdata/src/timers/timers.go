// Package timers shows tickers and timers: periodic and delayed work that
// a function instance cannot run once it has answered.
package timers

import (
	"context"
	"net/http"
	"time"
)

// Blocker: a ticker driving a background loop (and the goroutine itself).
func StartJanitor() {
	go func() { // want `blocker: goroutine started in StartJanitor runs a function literal, which waits on a channel`
		t := time.NewTicker(time.Minute) // want `blocker: time.NewTicker in StartJanitor \(1m0s\) drives a loop: periodic work inside the process`
		for range t.C {
			purge()
		}
	}()
}

func purge() {}

// Blocker: a Run method whose ticks drive a loop is background work,
// whoever starts it (here a method: its phase is unknown).
type Relay struct{ every time.Duration }

func (r *Relay) Run(ctx context.Context) {
	t := time.NewTicker(r.every) // want `blocker: time.NewTicker in Relay.Run drives a loop`
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			purge()
		}
	}
}

// Warning: a ticker polling inside a request; fine only while the request
// bounds it.
func WaitReady(w http.ResponseWriter, r *http.Request) {
	t := time.NewTicker(100 * time.Millisecond) // want `warning: time.NewTicker in WaitReady \(100ms\) runs work periodically`
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// Warning: delayed work after the caller returns.
func ScheduleReminder(id string) {
	time.AfterFunc(24*time.Hour, func() { _ = id }) // want `warning: time.AfterFunc in ScheduleReminder \(24h0m0s\) runs work after the caller has returned`
}

// Info: a timer bounding a wait inside the call.
func WithTimeout(ctx context.Context) {
	t := time.NewTimer(time.Second) // want `info: time.NewTimer in WithTimeout \(1s\)`
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// Harmless: time.After in a select is not reported.
func Wait(ctx context.Context) {
	select {
	case <-time.After(time.Second):
	case <-ctx.Done():
	}
}
