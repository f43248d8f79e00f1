// Package gin is a stub of the gin web framework's API for the fixtures.
package gin

type Context struct{ Keys map[string]any }

func (c *Context) Param(key string) string { return "" }

func (c *Context) JSON(code int, obj any) {}

type HandlerFunc func(*Context)

type Engine struct{}

func Default() *Engine { return &Engine{} }

func (e *Engine) GET(path string, h ...HandlerFunc) {}

func (e *Engine) POST(path string, h ...HandlerFunc) {}

func (e *Engine) Run(addr ...string) error { return nil }
