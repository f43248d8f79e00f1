// Command startup shows state written by start-up code: a singleton built
// once per process is a warning (rebuilt per cold start), while the same
// kind of variable written by a handler is a blocker.
package main

import (
	"net/http"
	"os"
	"sync"
	"time"
)

// Warning: set once in main before serving.
var dsn string // want `warning: package variable dsn \(string\) is assigned at run time by main`

// Warning: a route table filled by a helper that only main calls.
var routes = map[string]http.HandlerFunc{} // want `warning: package variable routes .* gets entries added at run time by register`

// Blocker: the same shape of variable, written by a handler.
var visits = map[string]int{} // want `blocker: package variable visits .* gets entries added at run time by count`

func register(path string, h http.HandlerFunc) { routes[path] = h }

func count(w http.ResponseWriter, r *http.Request) { visits[r.URL.Path]++ }

func main() {
	dsn = os.Getenv("DSN")
	register("/count", count)
	for p, h := range routes {
		http.HandleFunc(p, h)
	}
	_ = dsn

	// Joined, but by main: the worker lives as long as the process, so
	// the join does not excuse it.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want `blocker: goroutine started in main runs a function literal, which waits on a channel`
		defer wg.Done()
		for range time.Tick(time.Hour) { // want `blocker: time.Tick in main \(1h0m0s\) drives a loop`
			cleanup()
		}
	}()
	_ = http.ListenAndServe(":8080", nil)
	wg.Wait()
}

func cleanup() {}
