package web

import (
	"net/http"

	"crosspkg/store"
)

// Blocker: another package's method writes the map, on every request.
var hits = store.New() // want `blocker: package variable hits \(\*store.Counter\) is changed by its method Inc at run time by Count`

// Blocker too: the change reaches the map through a method of a value.
var tally = store.Tally{} // want `blocker: package variable tally .* is changed by its method Add at run time by Count`

// Read-only after initialisation: Get and Has change nothing.
var seen = store.New() // want `info: package variable seen .* is set during initialisation and only read afterwards`

var allowed = store.Names{"/"} // want `info: package variable allowed .* is set during initialisation and only read afterwards`

func Count(w http.ResponseWriter, r *http.Request) {
	if !allowed.Has(r.URL.Path) {
		return
	}
	hits.Inc(r.URL.Path)
	tally.Add(r.URL.Path)
	_ = seen.Get(r.URL.Path)
}

func Routes(mux *http.ServeMux) { mux.HandleFunc("/", Count) }
