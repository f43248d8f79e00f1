// Package fields shows fields of long-lived objects changed at run time.
// An object counts as long-lived when a method that changes it is a
// registered request handler or takes a lock held in the object itself;
// ordinary methods that change their receiver are not reported.
package fields

import (
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
)

// Server lives as long as the process; its handlers are registered as
// method values.
type Server struct {
	sessions map[string]string // want `blocker: field Server.sessions \(a session store, map\[string\]string\) of a long-lived Server gets entries added by Server.Login, a request handler; read by Server.Whoami`
	hits     int               // want `blocker: field Server.hits \(int\) of a long-lived Server is updated from its own value by Server.Login`
	name     string            // harmless: set by the constructor, only read by handlers
}

func NewServer() *Server { return &Server{sessions: map[string]string{}, name: "shop"} }

func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("/login", s.Login)
	mux.HandleFunc("/whoami", s.Whoami)
}

func (s *Server) Login(w http.ResponseWriter, r *http.Request) { // want Login:"changes its receiver"
	s.sessions[r.FormValue("token")] = r.FormValue("user")
	s.hits++
}

func (s *Server) Whoami(w http.ResponseWriter, r *http.Request) {
	_, _ = w.Write([]byte(s.name + ":" + s.sessions[r.FormValue("token")]))
}

// API registers function literals with gin: they are handlers too.
type API struct {
	carts map[string][]string // want `blocker: field API.carts .* of a long-lived API gets entries added by API.Register, a request handler`
}

func (a *API) Register(e *gin.Engine) { // want Register:"changes its receiver"
	e.POST("/cart/:id", func(c *gin.Context) {
		id := c.Param("id")
		a.carts[id] = append(a.carts[id], c.Param("item"))
	})
}

// Repository is an in-memory repository: the lock says concurrent callers
// share it. Its methods' phase is unknown here, so this is a warning; the
// whole-program stage makes it a blocker when a handler reaches Store.
type Repository struct {
	mu     sync.RWMutex
	orders map[string]int // want `warning: field Repository.orders .* of a long-lived Repository gets entries added by Repository.Store, under the object's own lock; read by Repository.Find`
}

func (r *Repository) Store(id string, total int) { // want Store:"changes its receiver"
	r.mu.Lock()
	defer r.mu.Unlock()
	r.orders[id] = total
}

func (r *Repository) Find(id string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.orders[id]
}

// Harmless: a builder changes its receiver, but nothing says it outlives
// the call that uses it.
type Builder struct{ parts []string }

func (b *Builder) Add(p string) *Builder { b.parts = append(b.parts, p); return b } // want Add:"changes its receiver"

// Harmless: a per-request validator. Bind has a handler's parameters but
// is a helper called by the handler, on a value made per request.
type Validator struct{ user string }

func (v *Validator) Bind(c *gin.Context) { v.user = c.Param("user") } // want Bind:"changes its receiver"

func Profile(c *gin.Context) {
	v := &Validator{}
	v.Bind(c)
	c.JSON(200, v.user)
}
