package evidence

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Traffic is a traffic file: how often each route or entry point of the
// program is requested, and its latency targets, as a team reads them
// from its metrics. In YAML:
//
//	period: month            # what the counts cover (default month)
//	routes:
//	  - route: GET /search   # an HTTP route as registered: "METHOD /pattern", or "/pattern"
//	    requests: 1200000
//	    p50_ms: 40           # optional latency targets
//	    p99_ms: 250
//	  - entry: example.com/shop/notifications.Relay.Run   # any entry point, by its declaration
//	    requests: 8640
//	    period: month        # a row may cover its own period
//
// or as CSV, with a header naming the columns (route or entry, requests,
// and optionally period, p50_ms, p99_ms), # for comments:
//
//	route,requests,p50_ms,p99_ms
//	GET /search,1200000,40,250
//
// A period is a Go duration ("24h", "90m") or one of second, minute,
// hour, day, week, month (730 hours, as the cost sketch's month) and year
// (8760 hours). Unknown keys or columns, negative or non-finite numbers,
// a p50 above the p99, a row with both route and entry or neither, and a
// route given twice are errors naming the line.
type Traffic struct {
	Path string
	Rows []Row
}

// Row is one route's or entry point's load.
type Row struct {
	Line int `json:"line"`
	// Route is an HTTP route, "METHOD /pattern" or "/pattern"; Entry an
	// entry point's declaration. One of them is set.
	Route    string        `json:"route,omitempty"`
	Entry    string        `json:"entry,omitempty"`
	Requests float64       `json:"requests"`
	Period   time.Duration `json:"period"`
	P50MS    float64       `json:"p50_ms,omitempty"`
	P99MS    float64       `json:"p99_ms,omitempty"`
}

// PerSecond is the row's request rate.
func (r Row) PerSecond() float64 { return r.Requests / r.Period.Seconds() }

// Label names the row as the file does.
func (r Row) Label() string {
	if r.Route != "" {
		return r.Route
	}
	return r.Entry
}

// Month is the cost sketch's month.
const Month = 730 * time.Hour

var periods = map[string]time.Duration{
	"second": time.Second, "minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour,
	"week": 7 * 24 * time.Hour, "month": Month, "year": 8760 * time.Hour,
}

func parsePeriod(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, ok := periods[strings.ToLower(s)]; ok {
		return d, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("period %q is neither a duration (24h) nor second, minute, hour, day, week, month or year", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("period %q must be positive", s)
	}
	return d, nil
}

// ReadTraffic reads a traffic file: CSV when its name ends in .csv, YAML
// otherwise. Errors are one line: "FILE:LINE: what is wrong".
func ReadTraffic(path string) (*Traffic, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("traffic file: %v", err)
	}
	return ParseTraffic(path, data)
}

// ParseTraffic reads a traffic file's content; path names it in errors
// and chooses the format.
func ParseTraffic(path string, data []byte) (*Traffic, error) {
	if strings.ContainsFunc(path, unicode.IsControl) {
		path = strconv.Quote(path) // messages stay one line
	}
	var rows []Row
	var err error
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		rows, err = parseTrafficCSV(data)
	} else {
		rows, err = parseTrafficYAML(data)
	}
	if err != nil {
		return nil, fmt.Errorf("traffic file %s", positioned(path, err))
	}
	seen := map[string]int{}
	for _, r := range rows {
		key := "entry " + r.Entry
		if r.Route != "" {
			key = "route " + r.Route
		}
		if prev, ok := seen[key]; ok {
			return nil, fmt.Errorf("traffic file %s:%d: %s is given twice (first at line %d)", path, r.Line, r.Label(), prev)
		}
		seen[key] = r.Line
	}
	return &Traffic{Path: path, Rows: rows}, nil
}

// lineError is an error at a line of the file.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func errAt(line int, format string, args ...any) error {
	return &lineError{line, fmt.Sprintf(format, args...)}
}

func positioned(path string, err error) string {
	var le *lineError
	if errors.As(err, &le) {
		return fmt.Sprintf("%s:%d: %s", path, le.line, le.msg)
	}
	return fmt.Sprintf("%s: %s", path, strings.ReplaceAll(err.Error(), "\n", "; "))
}

var rowKeys = []string{"route", "entry", "requests", "period", "p50_ms", "p99_ms"}

func parseTrafficYAML(data []byte) ([]Row, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, errors.New("the file is empty")
		}
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("the file is empty")
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, errAt(top.Line, "expected a mapping with period and routes")
	}
	period := Month
	var routes *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "period":
			d, err := parsePeriod(v.Value)
			if err != nil || v.Kind != yaml.ScalarNode {
				if err == nil {
					err = errors.New("period must be a single value")
				}
				return nil, errAt(v.Line, "%v", err)
			}
			period = d
		case "routes":
			routes = v
		default:
			return nil, errAt(k.Line, "unknown key %q (known: period, routes)", k.Value)
		}
	}
	if routes == nil {
		return nil, errAt(top.Line, "no routes key")
	}
	if routes.Kind != yaml.SequenceNode {
		if routes.Tag == "!!null" {
			return nil, nil
		}
		return nil, errAt(routes.Line, "routes must be a list")
	}
	var rows []Row
	for _, item := range routes.Content {
		if item.Kind != yaml.MappingNode {
			return nil, errAt(item.Line, "a route must be a mapping of %s", strings.Join(rowKeys, ", "))
		}
		fields := map[string]string{}
		lines := map[string]int{}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			if !slices.Contains(rowKeys, k.Value) {
				return nil, errAt(k.Line, "unknown key %q (known: %s)", k.Value, strings.Join(rowKeys, ", "))
			}
			if _, dup := fields[k.Value]; dup {
				return nil, errAt(k.Line, "key %q given twice", k.Value)
			}
			if v.Kind != yaml.ScalarNode {
				return nil, errAt(v.Line, "%s must be a single value", k.Value)
			}
			fields[k.Value] = v.Value
			lines[k.Value] = v.Line
		}
		r, err := makeRow(item.Line, fields, lines, period)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func parseTrafficCSV(data []byte) ([]Row, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty")
	}
	if err != nil {
		return nil, csvError(err)
	}
	hline, _ := cr.FieldPos(0)
	cols := make([]string, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(rowKeys, h) {
			return nil, errAt(hline, "unknown column %q (known: %s)", h, strings.Join(rowKeys, ", "))
		}
		if slices.Contains(cols[:i], h) {
			return nil, errAt(hline, "column %q given twice", h)
		}
		cols[i] = h
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		fields := map[string]string{}
		lines := map[string]int{}
		for i, v := range rec {
			if v = strings.TrimSpace(v); v != "" {
				fields[cols[i]] = v
				lines[cols[i]] = line
			}
		}
		r, err := makeRow(line, fields, lines, Month)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errAt(pe.Line, "%v", pe.Err)
	}
	return err
}

func makeRow(line int, f map[string]string, lines map[string]int, period time.Duration) (Row, error) {
	r := Row{Line: line, Period: period}
	r.Route, r.Entry = strings.Join(strings.Fields(f["route"]), " "), strings.TrimSpace(f["entry"])
	switch {
	case r.Route != "" && r.Entry != "":
		return r, errAt(line, "give route or entry, not both")
	case r.Route == "" && r.Entry == "":
		return r, errAt(line, "a row needs a route or an entry")
	}
	if r.Route != "" {
		if _, _, err := splitRoute(r.Route); err != nil {
			return r, errAt(lines["route"], "%v", err)
		}
	}
	if p, ok := f["period"]; ok {
		d, err := parsePeriod(p)
		if err != nil {
			return r, errAt(lines["period"], "%v", err)
		}
		r.Period = d
	}
	num := func(key string, required bool) (float64, error) {
		s, ok := f[key]
		if !ok {
			if required {
				return 0, errAt(line, "%s is required", key)
			}
			return 0, nil
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		switch {
		case err != nil:
			return 0, errAt(lines[key], "%s %q is not a number", key, s)
		case math.IsNaN(v) || math.IsInf(v, 0):
			return 0, errAt(lines[key], "%s %q is not a finite number", key, s)
		case v < 0:
			return 0, errAt(lines[key], "%s %s is negative", key, s)
		}
		return v, nil
	}
	var err error
	if r.Requests, err = num("requests", true); err != nil {
		return r, err
	}
	if r.P50MS, err = num("p50_ms", false); err != nil {
		return r, err
	}
	if r.P99MS, err = num("p99_ms", false); err != nil {
		return r, err
	}
	if r.P50MS > 0 && r.P99MS > 0 && r.P50MS > r.P99MS {
		return r, errAt(lines["p50_ms"], "p50_ms %g is above p99_ms %g", r.P50MS, r.P99MS)
	}
	return r, nil
}

// splitRoute reads "METHOD /pattern" or "/pattern".
func splitRoute(s string) (method, pattern string, err error) {
	f := strings.Fields(s)
	switch {
	case len(f) == 1 && strings.HasPrefix(f[0], "/"):
		return "", f[0], nil
	case len(f) == 2 && strings.HasPrefix(f[1], "/") && f[0] == strings.ToUpper(f[0]):
		return f[0], f[1], nil
	}
	return "", "", fmt.Errorf("route %q is not \"METHOD /pattern\" or \"/pattern\"", s)
}

// Entry is what matching needs of a model's entry point.
type Entry struct {
	Kind, Decl, Method, Route string
}

// Label names an entry point as plans do: "GET /search", or its
// declaration.
func (e Entry) Label() string {
	if e.Kind == "http" && e.Route != "" {
		if e.Method == "" {
			return e.Route
		}
		return e.Method + " " + e.Route
	}
	return e.Decl
}

// Rate is a traffic row matched to an entry point.
type Rate struct {
	Row
	// Index is the entry point's index in the list matched against.
	Index int    `json:"-"`
	Decl  string `json:"decl"`
	// EntryLabel names the entry point matched.
	EntryLabel string `json:"entry_point"`
}

// Match finds the entry point of each row among entries. A row that names
// no entry point (an unknown route, a declaration that is no entry), or
// one that another row named already, is reported in a warning and not
// used; a route given without a method that several entry points with
// different handlers serve is too.
func (t *Traffic) Match(entries []Entry) (rates []Rate, warnings []string) {
	taken := map[int]int{} // entry index → line
	for _, r := range t.Rows {
		var hits []int
		if r.Route != "" {
			method, pattern, _ := splitRoute(r.Route)
			for i, e := range entries {
				if e.Kind == "http" && e.Route == pattern && (method == "" || e.Method == method || e.Method == "") {
					hits = append(hits, i)
				}
			}
			if method != "" && len(hits) > 1 {
				// an exact method wins over a handler of any method
				var exact []int
				for _, i := range hits {
					if entries[i].Method == method {
						exact = append(exact, i)
					}
				}
				if len(exact) > 0 {
					hits = exact
				}
			}
		} else {
			for i, e := range entries {
				if e.Decl == r.Entry {
					hits = append(hits, i)
				}
			}
		}
		where := fmt.Sprintf("traffic file %s:%d", t.Path, r.Line)
		switch {
		case len(hits) == 0 && r.Route != "":
			warnings = append(warnings, fmt.Sprintf("%s: %s is no route of the analyzed code; not used", where, r.Route))
			continue
		case len(hits) == 0:
			warnings = append(warnings, fmt.Sprintf("%s: %s is no entry point of the analyzed code; not used", where, r.Entry))
			continue
		case len(hits) > 1 && !sameDecl(entries, hits):
			var names []string
			for _, i := range hits {
				names = append(names, entries[i].Label())
			}
			sort.Strings(names)
			warnings = append(warnings, fmt.Sprintf("%s: %s names %s; give the method; not used", where, r.Label(), strings.Join(names, " and ")))
			continue
		}
		i := hits[0]
		if prev, ok := taken[i]; ok {
			warnings = append(warnings, fmt.Sprintf("%s: %s was given at line %d already; not used", where, entries[i].Label(), prev))
			continue
		}
		for _, h := range hits {
			taken[h] = r.Line
		}
		rates = append(rates, Rate{Row: r, Index: i, Decl: entries[i].Decl, EntryLabel: entries[i].Label()})
	}
	return rates, warnings
}

func sameDecl(entries []Entry, hits []int) bool {
	for _, i := range hits[1:] {
		if entries[i].Decl != entries[hits[0]].Decl {
			return false
		}
	}
	return true
}
