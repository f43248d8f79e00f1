// Package timeutil holds the date and time helpers the clinic uses
// everywhere: the practice's time zone, calendar days and opening hours.
package timeutil

import (
	"fmt"
	"time"
)

// DateLayout is how dates travel in URLs and JSON ("2024-03-15").
const DateLayout = "2006-01-02"

// Clock tells the time. Services take one so that tests can fix it.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// Zone is the practice's time zone with the day arithmetic done in it.
type Zone struct{ loc *time.Location }

// LoadZone loads an IANA zone such as "America/Chicago".
func LoadZone(name string) (Zone, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return Zone{}, fmt.Errorf("timeutil: zone %q: %w", name, err)
	}
	return Zone{loc: loc}, nil
}

// UTCZone is a zone for tests.
func UTCZone() Zone { return Zone{loc: time.UTC} }

// Location returns the zone's location.
func (z Zone) Location() *time.Location {
	if z.loc == nil {
		return time.UTC
	}
	return z.loc
}

// StartOfDay returns local midnight of t's day.
func (z Zone) StartOfDay(t time.Time) time.Time {
	l := t.In(z.Location())
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, z.Location())
}

// ParseDate reads a DateLayout date as local midnight.
func (z Zone) ParseDate(s string) (time.Time, error) {
	return time.ParseInLocation(DateLayout, s, z.Location())
}

// FormatLocal formats t for people: "Mon Jan 2, 3:04 PM".
func (z Zone) FormatLocal(t time.Time) string {
	return t.In(z.Location()).Format("Mon Jan 2, 3:04 PM")
}

// Hours are opening hours on one day, as minutes after midnight.
type Hours struct {
	Open  int `json:"open"`
	Close int `json:"close"`
}

// ParseHours reads "08:30-17:00".
func ParseHours(s string) (Hours, error) {
	var oh, om, ch, cm int
	if _, err := fmt.Sscanf(s, "%d:%d-%d:%d", &oh, &om, &ch, &cm); err != nil {
		return Hours{}, fmt.Errorf("timeutil: hours %q: %w", s, err)
	}
	h := Hours{Open: oh*60 + om, Close: ch*60 + cm}
	if h.Open >= h.Close || h.Close > 24*60 {
		return Hours{}, fmt.Errorf("timeutil: hours %q: closes before it opens", s)
	}
	return h, nil
}

// Split cuts the hours of day into consecutive periods of length.
func (z Zone) Split(day time.Time, h Hours, length time.Duration) [][2]time.Time {
	start := z.StartOfDay(day).Add(time.Duration(h.Open) * time.Minute)
	end := z.StartOfDay(day).Add(time.Duration(h.Close) * time.Minute)
	var out [][2]time.Time
	for t := start; !t.Add(length).After(end); t = t.Add(length) {
		out = append(out, [2]time.Time{t.UTC(), t.Add(length).UTC()})
	}
	return out
}

// Overlaps reports whether [a1, a2) and [b1, b2) intersect.
func Overlaps(a1, a2, b1, b2 time.Time) bool {
	return a1.Before(b2) && b1.Before(a2)
}

// IsWeekend reports whether t falls on Saturday or Sunday in z.
func (z Zone) IsWeekend(t time.Time) bool {
	switch t.In(z.Location()).Weekday() {
	case time.Saturday, time.Sunday:
		return true
	}
	return false
}

// AddBusinessDays adds n working days to t.
func (z Zone) AddBusinessDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if !z.IsWeekend(t) {
			n--
		}
	}
	return t
}

// YearsBetween is the number of whole years from a to b (an age).
func YearsBetween(a, b time.Time) int {
	y := b.Year() - a.Year()
	if b.YearDay() < a.YearDay() {
		y--
	}
	return y
}
