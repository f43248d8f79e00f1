package cluster

import (
	"go/token"
	"slices"
	"strings"
	"unicode"
)

// splitWords splits an identifier, a path or a route into lower-case words:
// at camelCase humps (keeping acronyms whole: "HTTPServer" gives "http",
// "server"), at underscores, dashes, slashes, dots and every other
// non-letter. Digits end a word and are dropped.
func splitWords(s string) []string {
	var words []string
	rs := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, strings.ToLower(string(rs[start:end])))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := rs[i-1]
		switch {
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			// orderID: a hump
			flush(i)
			start = i
		case unicode.IsLower(r) && unicode.IsUpper(prev) && i-1 > start:
			// HTTPServer: the last capital starts the next word
			flush(i - 1)
			start = i - 1
		}
	}
	flush(len(rs))
	return words
}

// stem reduces a word to a common root, well enough for identifiers: an
// English plural to its singular (categories → category, addresses →
// address, boxes → box, orders → order), then the suffixes -ing and -ment
// (shipping, shipments → ship; payment → pay; billing → bill), when what
// is left has at least three letters and a vowel. Words ending in ss, us
// or is keep their s.
func stem(w string) string {
	w = singular(w)
	if r, ok := strings.CutSuffix(w, "ing"); ok && rootLike(r) {
		w = undouble(r)
	}
	if r, ok := strings.CutSuffix(w, "ment"); ok && rootLike(r) {
		w = r
	}
	return w
}

// singular reduces an English plural to its singular form.
func singular(w string) string {
	n := len(w)
	switch {
	case n <= 3:
		return w
	case strings.HasSuffix(w, "ies") && n > 4:
		return w[:n-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "zzes"):
		return w[:n-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"), strings.HasSuffix(w, "ing"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:n-1]
	}
	return w
}

// rootLike reports whether what is left of a word after a suffix can be a
// root: three letters or more, with a vowel (not the str of string).
func rootLike(r string) bool {
	return len(r) >= 3 && strings.ContainsAny(r, "aeiouy")
}

// undouble drops the second of two equal final consonants left by -ing
// (shipp → ship, sett → set), but not of ll, ss or zz (bill, press).
func undouble(r string) string {
	n := len(r)
	if n >= 4 && r[n-1] == r[n-2] && !strings.ContainsRune("aeiouylsz", rune(r[n-1])) {
		return r[:n-1]
	}
	return r
}

// stopWords are words that say nothing about a domain: English function
// words, Go and generic programming words, and infrastructure words.
var stopWords = setOf(
	// English
	"a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "without", "and", "or", "not",
	"no", "is", "are", "be", "as", "if", "it", "its", "this", "that", "all", "any", "each", "every", "some", "one",
	"two", "into", "out", "up", "down", "via", "per", "than", "then", "so", "do", "does", "did", "has", "have",
	"had", "can", "should", "must", "will", "may", "my", "our", "your", "their", "me", "we", "us", "you", "my",
	"more", "most", "less", "other", "same", "only", "own", "also", "just", "next", "last", "first", "before",
	"after", "when", "where", "which", "who", "what", "why", "how",
	// verbs of every CRUD layer
	"get", "set", "new", "make", "create", "update", "delete", "del", "remove", "add", "list", "find", "fetch",
	"save", "load", "store", "put", "post", "patch", "read", "write", "insert", "upsert", "exists", "count",
	"handle", "process", "do", "run", "start", "stop", "close", "open", "init", "setup", "register", "build",
	"apply", "check", "validate", "parse", "format", "encode", "decode", "marshal", "unmarshal", "convert",
	"map", "to", "from", "with", "must", "try", "is", "has", "use", "call", "send", "receive", "serve", "wait",
	"reset", "clear", "show", "view", "render", "search", "query", "filter", "sort", "page", "by", "all",
	// Go and programming
	"func", "fn", "var", "const", "type", "struct", "interface", "iface", "impl", "method", "value", "values",
	"string", "str", "int", "bool", "byte", "bytes", "float", "uint", "err", "error", "errors", "nil", "ctx",
	"context", "main", "test", "tests", "mock", "mocks", "fake", "stub", "util", "utils", "helper", "helpers",
	"common", "base", "core", "default", "defaults", "option", "options", "opt", "opts", "param", "params",
	"arg", "args", "config", "cfg", "conf", "settings", "env", "key", "keys", "val", "name", "id", "ids", "uuid",
	"data", "info", "item", "items", "obj", "object", "entity", "entities", "model", "models", "dto", "vo",
	"result", "results", "input", "output", "in", "out", "req", "request", "requests", "resp", "response",
	"responses", "res", "reply", "msg", "message", "messages", "payload", "body", "status", "code", "state",
	"internal", "pkg", "lib", "src", "app", "apps", "cmd", "api", "apis", "v", "x", "y", "ok", "tmp", "temp",
	"len", "size", "max", "min", "num", "total", "time", "date", "now", "at", "generated", "gen", "pb", "proto", "xxx", // protobuf's XXX_ fields
	"grpc", "gw", "rpc", "wire", "impls", "factory", "manager", "provider", "registry", "wrapper", "adapter",
	"adapters", "port", "ports", "domain", "application", "usecase", "usecases", "case", "cases", "command",
	"commands", "dispatcher",
	// infrastructure and layers
	"handler", "handlers", "service", "services", "svc", "server", "servers", "client", "clients", "repo",
	"repos", "repository", "repositories", "dao", "controller", "controllers", "router", "routers", "route",
	"routes", "middleware", "middlewares", "endpoint", "endpoints", "transport", "http", "https", "json",
	"xml", "yaml", "sql", "db", "database", "postgres", "mysql", "sqlite", "mongo", "redis", "cache", "log",
	"logger", "logging", "logs", "metric", "metrics", "trace", "tracing", "span", "otel", "web",
	"url", "uri", "path", "dir", "file", "files", "io", "net", "conn", "tx", "txn", "mu", "mutex", "lock",
	"sync", "once", "pool", "queue", "worker", "tick", "ticker", "timer", "loop", "retry",
	"instrumenting", "instrumentation", "health", "ping", "version", "docs", "swagger", "dto", "schema",
	"migrate", "migration", "migrations", "template", "templates", "static", "assets", "public", "private",
	"impl", "provider", "spec", "specs", "util", "tool", "tools", "platform", "infra", "infrastructure",
	"support", "kit", "framework", "engine", "module", "modules", "plugin", "plugins", "ext", "extension",
	"event", "events", "bus", "publisher", "subscriber", "consumer", "producer", "listener", "topic",
)

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// vocab extracts domain words.
type vocab struct {
	stop map[string]bool
}

func newVocab(extra []string) *vocab {
	v := &vocab{stop: make(map[string]bool, len(stopWords)+len(extra))}
	for w := range stopWords {
		v.stop[w] = true
	}
	for _, w := range extra {
		for _, x := range splitWords(w) {
			v.stop[x] = true
			v.stop[stem(x)] = true
		}
	}
	return v
}

// root is the stem of a lower-case word, or "" when the word is too short
// or a stop word. A stem that is a stop word falls back to the singular
// (statements → statement, not state).
func (v *vocab) root(w string) string {
	if len(w) < 3 || v.stop[w] {
		return ""
	}
	if st := stem(w); !v.stop[st] {
		return st
	}
	if st := singular(w); !v.stop[st] {
		return st
	}
	return ""
}

// words returns the domain words of s, stemmed, in order of appearance,
// without repeats.
func (v *vocab) words(s string) []string {
	var out []string
	for _, w := range splitWords(s) {
		st := v.root(w)
		if st == "" || slices.Contains(out, st) {
			continue
		}
		out = append(out, st)
	}
	return out
}

// surfaces returns, for each domain word of s, the form it was written in
// (lower-cased, before stemming).
func (v *vocab) surfaces(s string) [][2]string {
	var out [][2]string
	for _, w := range splitWords(s) {
		if st := v.root(w); st != "" {
			out = append(out, [2]string{st, w})
		}
	}
	return out
}

// ValidName reports whether s can name a context: lower-case ASCII letters
// and digits, starting with a letter, not a Go keyword, so that it serves
// as a directory, a package and a Go identifier.
func ValidName(s string) bool {
	if s == "" || token.IsKeyword(s) {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
