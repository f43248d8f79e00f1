// Package goroutines shows goroutines that outlive the call that starts
// them, and the ones that do not.
//
// Decision: a goroutine joined by the function that starts it (it waits on
// a WaitGroup or an errgroup, or receives from a channel it shares with the
// goroutine) ends before that function returns, so it is part of the
// request and not reported, unless the starter is start-up or init code,
// where "before it returns" means for the life of the process.
package goroutines

import (
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Blocker: a signal handler waits for signals forever.
func WatchSignals() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP)
	go func() { // want `blocker: goroutine started in WatchSignals runs a function literal, which waits on a channel`
		for sig := range sigs {
			_ = sig
		}
	}()
}

// Blocker: a worker loop with no exit.
func StartWorker(jobs chan string) {
	go work(jobs) // want `blocker: goroutine started in StartWorker runs work, which waits on a channel`
}

func work(jobs chan string) {
	for j := range jobs {
		_ = j
	}
}

// Blocker: a polling loop that sleeps between rounds.
func StartPoller() {
	go poll() // want `blocker: goroutine started in StartPoller runs poll, which sleeps`
}

func poll() {
	for {
		time.Sleep(time.Minute)
	}
}

// Blocker: fire-and-forget work started by a handler outlives the request;
// the instance may be frozen before it runs.
func Checkout(w http.ResponseWriter, r *http.Request) {
	go sendReceipt(r.FormValue("email")) // want `blocker: goroutine started in Checkout runs sendReceipt and nothing waits for it`
	w.WriteHeader(http.StatusAccepted)
}

func sendReceipt(email string) { _ = email }

// Harmless: fan-out joined with a WaitGroup inside the same function.
func PriceAll(skus []string) []float64 {
	out := make([]float64, len(skus))
	var wg sync.WaitGroup
	for i := range skus {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = 9.99
		}()
	}
	wg.Wait()
	return out
}

// Harmless: the result comes back on a channel the caller receives from.
func Lookup(sku string) float64 {
	ch := make(chan float64, 1)
	go func() { ch <- 9.99 }()
	return <-ch
}

// Info: a goroutine that runs the HTTP server; the platform's front end
// replaces it.
func Serve() {
	go http.ListenAndServe(":8080", nil) // want `info: goroutine started in Serve serves requests`
}
