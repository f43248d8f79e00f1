package plan

import (
	"fmt"
	"strings"
)

// The renderings of plan data that every human-facing output shares
// (plan.md, report.html, the migration's texts, scaffold READMEs), so
// that they name things alike.

// ShortName drops the module-path part of a declaration ID: pkg.Name.
func ShortName(decl string) string {
	if i := strings.LastIndexByte(decl, '/'); i >= 0 {
		return decl[i+1:]
	}
	return decl
}

// FileLine drops the column of a file:line:col position.
func FileLine(pos string) string {
	i := strings.LastIndexByte(pos, ':')
	if i < 0 {
		return pos
	}
	if j := strings.LastIndexByte(pos[:i], ':'); j >= 0 {
		return pos[:i]
	}
	return pos
}

// Thousands writes n with thousands separators: 12,345.
func Thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Label names an entry point for people: "GET /orders/{id}", "gRPC
// shop.Orders", "consumer orders.placed", "timed job relay.Relay.Run".
func (e EntryPoint) Label() string {
	switch e.Kind {
	case "http":
		return strings.TrimSpace(e.Method + " " + e.Route)
	case "grpc":
		return "gRPC " + e.Route
	case "consumer":
		if e.Route != "" {
			return "consumer " + e.Route
		}
		return "consumer " + ShortName(e.Decl)
	case "background":
		kind := "job"
		switch {
		case e.Once:
			kind = "delayed job"
		case e.Ticker:
			kind = "timed job"
		}
		if e.Decl != "" {
			return kind + " " + ShortName(e.Decl)
		}
		return kind + " at " + FileLine(e.Pos)
	}
	if e.Decl != "" {
		return e.Kind + " " + ShortName(e.Decl)
	}
	return e.Kind
}
