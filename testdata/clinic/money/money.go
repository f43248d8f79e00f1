// Package money represents amounts of money in minor units (cents).
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrCurrency is returned when amounts in different currencies are combined.
var ErrCurrency = errors.New("money: currency mismatch")

// ErrFormat is returned by Parse for malformed amounts.
var ErrFormat = errors.New("money: malformed amount")

// Money is an amount in the minor unit of its currency.
type Money struct {
	Cents    int64  `json:"cents"`
	Currency string `json:"currency"`
}

// New returns cents of currency.
func New(cents int64, currency string) Money {
	return Money{Cents: cents, Currency: strings.ToUpper(currency)}
}

// Zero returns no money in currency.
func Zero(currency string) Money { return New(0, currency) }

// Parse reads "12.34" (or "12") as an amount of currency.
func Parse(s, currency string) (Money, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return Money{}, fmt.Errorf("%w: %q", ErrFormat, s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return Money{}, fmt.Errorf("%w: %q", ErrFormat, s)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return Money{}, fmt.Errorf("%w: %q", ErrFormat, s)
	}
	c := w*100 + f
	if neg {
		c = -c
	}
	return New(c, currency), nil
}

// Add returns m+o.
func (m Money) Add(o Money) (Money, error) {
	if err := m.same(o); err != nil {
		return Money{}, err
	}
	return Money{Cents: m.Cents + o.Cents, Currency: m.Currency}, nil
}

// Sub returns m-o.
func (m Money) Sub(o Money) (Money, error) {
	if err := m.same(o); err != nil {
		return Money{}, err
	}
	return Money{Cents: m.Cents - o.Cents, Currency: m.Currency}, nil
}

// Times returns m*n.
func (m Money) Times(n int) Money {
	return Money{Cents: m.Cents * int64(n), Currency: m.Currency}
}

// Percent returns pct percent of m, rounded half away from zero.
func (m Money) Percent(pct int64) Money {
	v := m.Cents * pct
	r := v / 100
	if rem := v % 100; rem >= 50 {
		r++
	} else if rem <= -50 {
		r--
	}
	return Money{Cents: r, Currency: m.Currency}
}

// IsZero reports whether m is nothing.
func (m Money) IsZero() bool { return m.Cents == 0 }

// IsNegative reports whether m is below zero.
func (m Money) IsNegative() bool { return m.Cents < 0 }

// Less reports whether m < o; amounts in different currencies never compare.
func (m Money) Less(o Money) bool { return m.Currency == o.Currency && m.Cents < o.Cents }

func (m Money) same(o Money) error {
	if m.Currency == "" || o.Currency == "" || m.Currency == o.Currency {
		return nil
	}
	return fmt.Errorf("%w: %s and %s", ErrCurrency, m.Currency, o.Currency)
}

// String formats m as "USD 12.34".
func (m Money) String() string {
	sign := ""
	c := m.Cents
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s %s%d.%02d", m.Currency, sign, c/100, c%100)
}

// Decimal formats m as "12.34", as claim files and gateways expect.
func (m Money) Decimal() string {
	s := m.String()
	return s[strings.IndexByte(s, ' ')+1:]
}

// Sum adds up amounts; an empty list is zero in currency.
func Sum(currency string, amounts ...Money) (Money, error) {
	total := Zero(currency)
	for _, a := range amounts {
		var err error
		if total, err = total.Add(a); err != nil {
			return Money{}, err
		}
	}
	return total, nil
}
