// Package globals shows how package variables are classified by the way
// the code writes them, not by their names.
package globals

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
)

// Harmless: error sentinels are values, not state. Not reported.
var ErrNotFound = errors.New("not found")

// Harmless: compiled once during initialisation, only read afterwards.
var slugRE = regexp.MustCompile(`^[a-z0-9-]+$`) // want `info: package variable slugRE .* is set during initialisation and only read afterwards; read by ValidSlug`

// Harmless: a template parsed during initialisation.
var page = template.Must(template.New("page").Parse("<h1>{{.}}</h1>")) // want `info: package variable page .*only read afterwards`

// Harmless: a constant lookup table; reading it per request is fine.
var statusText = map[int]string{200: "ok", 404: "not found"} // want `info: package variable statusText \(map\[int\]string\) is set during initialisation`

// Harmless: written only by init(), read afterwards.
var region string // want `info: package variable region \(string\) is set during initialisation and only read afterwards; read by Region`

func init() {
	region = strings.ToLower(os.Getenv("REGION"))
}

func ValidSlug(s string) bool { return slugRE.MatchString(s) }

func Render(w http.ResponseWriter, title string) { _ = page.Execute(w, title) }

func Status(code int) string { return statusText[code] }

func Region() string { return region }

// Blocker: a session table that grows with every login, on a request path
// (the function has a handler's parameters).
var sessions = map[string]string{} // want `blocker: package variable sessions \(a session store, map\[string\]string\) gets entries added at run time by Login`

// Blocker: a request counter: read-modify-write per request.
var requests int // want `blocker: package variable requests \(int\) is updated from its own value at run time by Login`

// Blocker: an audit log kept in memory.
var audit []string // want `blocker: package variable audit \(\[\]string\) is appended to at run time by Login`

// Blocker: the last user is replaced per request: one request's value
// leaks into the next.
var lastUser string // want `blocker: package variable lastUser \(string\) is assigned at run time by Login`

// Blocker: a sync.Map is a map all the same.
var tokens sync.Map // want `blocker: package variable tokens \(a token store, sync.Map\) is changed by its method Store at run time by Login`

// Blocker: an atomic counter is still a counter in one instance only.
var hits atomic.Int64 // want `blocker: package variable hits \(atomic.Int64\) is changed by its method Add at run time by Login`

// A package-level lock guards the session table: in-process only. The
// guarded variables are those used in the functions that take the lock.
var mu sync.Mutex // want `warning: package-level lock mu guards audit, hits, lastUser, requests, sessions, tokens \(locked in Login\)`

func Login(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	mu.Lock()
	sessions[r.FormValue("token")] = user
	requests++
	audit = append(audit, user)
	lastUser = user
	mu.Unlock()
	tokens.Store(user, r.FormValue("token"))
	hits.Add(1)
}

// Warning: a singleton set by an exported function; whether that runs at
// start-up or per request is for the whole-program stage to decide.
var db *Conn // want `warning: package variable db \(\*globals.Conn\) is assigned at run time by Open`

type Conn struct{ dsn string }

func Open(dsn string) { db = &Conn{dsn: dsn} }

// Warning: configuration decoded into the variable through its address.
var config struct{ Port int } // want `warning: package variable config .* is written through its address at run time by LoadConfig`

func LoadConfig(b []byte) error { return json.Unmarshal(b, &config) }

// Warning: a lazily built client, once per instance.
var (
	clientOnce sync.Once
	client     *Conn // want `warning: package variable client .* is assigned inside sync.Once.Do at run time by Client`
)

func Client() *Conn {
	clientOnce.Do(func() { client = &Conn{dsn: os.Getenv("DSN")} })
	return client
}

// Warning: sync.OnceValue builds the value on first use.
var settings = sync.OnceValue(func() map[string]string { // want `warning: package variable settings .* is built lazily by sync.OnceValue`
	return map[string]string{"env": os.Getenv("ENV")}
})

func Setting(k string) string { return settings()[k] }
