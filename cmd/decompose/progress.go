package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress shows the running phase on a terminal's stderr once a run has
// taken longer than a couple of seconds; elsewhere (a pipe, a file, CI) it
// prints nothing, so logs stay clean.
type progress struct {
	w     io.Writer
	start time.Time
	mu    sync.Mutex
	phase string
	shown bool
	done  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
}

// progressDelay is how long a run goes before progress is shown.
const progressDelay = 2 * time.Second

// newProgress returns nil when w is not a terminal.
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	p := &progress{w: w, start: time.Now(), done: make(chan struct{})}
	p.wg.Add(1)
	go p.loop()
	return p
}

// set records the phase that starts now.
func (p *progress) set(phase string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.phase = phase
	p.mu.Unlock()
}

func (p *progress) loop() {
	defer p.wg.Done()
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
			if time.Since(p.start) < progressDelay {
				continue
			}
			p.mu.Lock()
			fmt.Fprintf(p.w, "\r\033[Kdecompose: %s … %s", p.phase, time.Since(p.start).Round(time.Second))
			p.shown = true
			p.mu.Unlock()
		}
	}
}

// stop ends the display and clears its line; later calls do nothing.
func (p *progress) stop() {
	if p == nil {
		return
	}
	p.once.Do(func() {
		close(p.done)
		p.wg.Wait()
		if p.shown {
			fmt.Fprint(p.w, "\r\033[K")
		}
	})
}
