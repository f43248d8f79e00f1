// Package money provides Money, an exact amount of a currency held in the
// currency's minor units (cents for EUR), and the arithmetic the shop needs
// on prices, totals and shipping costs.
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

var (
	// ErrCurrencyMismatch is returned when amounts in different currencies
	// are combined.
	ErrCurrencyMismatch = errors.New("money: currency mismatch")
	// ErrInvalidAmount is returned by Parse for malformed input.
	ErrInvalidAmount = errors.New("money: invalid amount")
)

// minorUnits is the number of digits after the decimal point for the
// currencies the shop accepts (ISO 4217).
var minorUnits = map[string]int{
	"CHF": 2,
	"EUR": 2,
	"GBP": 2,
	"JPY": 0,
	"SEK": 2,
	"USD": 2,
}

// Money is an amount in the minor units of its currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// New returns amount minor units of currency.
func New(amount int64, currency string) Money {
	return Money{Amount: amount, Currency: strings.ToUpper(currency)}
}

// Zero returns a zero amount of currency.
func Zero(currency string) Money {
	return New(0, currency)
}

// Supported reports whether currency is one the shop can charge in.
func Supported(currency string) bool {
	_, ok := minorUnits[strings.ToUpper(currency)]
	return ok
}

// Digits returns the number of minor-unit digits of currency.
func Digits(currency string) int {
	if d, ok := minorUnits[strings.ToUpper(currency)]; ok {
		return d
	}
	return 2
}

// IsZero reports whether m is a zero amount.
func (m Money) IsZero() bool { return m.Amount == 0 }

// Equal reports whether m and o are the same amount of the same currency.
func (m Money) Equal(o Money) bool {
	return m.Amount == o.Amount && m.Currency == o.Currency
}

// Add returns m + o.
func (m Money) Add(o Money) (Money, error) {
	if err := m.compatible(o); err != nil {
		return Money{}, err
	}
	return Money{Amount: m.Amount + o.Amount, Currency: m.currencyWith(o)}, nil
}

// Mul returns m multiplied by n, as for a quantity of items.
func (m Money) Mul(n int) Money {
	return Money{Amount: m.Amount * int64(n), Currency: m.Currency}
}

// Percent returns pct percent of m, rounded half away from zero.
func (m Money) Percent(pct int64) Money {
	p := m.Amount * pct
	q := p / 100
	if r := p % 100; r >= 50 {
		q++
	} else if r <= -50 {
		q--
	}
	return Money{Amount: q, Currency: m.Currency}
}

// String formats m as "12.34 EUR".
func (m Money) String() string {
	digits := Digits(m.Currency)
	amount := m.Amount
	sign := ""
	if amount < 0 {
		sign = "-"
		amount = -amount
	}
	if digits == 0 {
		return fmt.Sprintf("%s%d %s", sign, amount, m.Currency)
	}
	scale := pow10(digits)
	return fmt.Sprintf("%s%d.%0*d %s", sign, amount/scale, digits, amount%scale, m.Currency)
}

// Parse reads an amount written as "12.34 EUR" or "12 EUR".
func Parse(s string) (Money, error) {
	value, currency, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return Money{}, fmt.Errorf("%w: %q has no currency", ErrInvalidAmount, s)
	}
	currency = strings.ToUpper(strings.TrimSpace(currency))
	if !Supported(currency) {
		return Money{}, fmt.Errorf("%w: unsupported currency %q", ErrInvalidAmount, currency)
	}
	return ParseAmount(value, currency)
}

// ParseAmount reads a decimal number such as "12.34" as an amount of
// currency.
func ParseAmount(value, currency string) (Money, error) {
	digits := Digits(currency)
	whole, frac, _ := strings.Cut(value, ".")
	negative := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	if len(frac) > digits {
		return Money{}, fmt.Errorf("%w: %q has too many decimals for %s", ErrInvalidAmount, value, currency)
	}
	frac += strings.Repeat("0", digits-len(frac))
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return Money{}, fmt.Errorf("%w: %q", ErrInvalidAmount, value)
	}
	var f int64
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return Money{}, fmt.Errorf("%w: %q", ErrInvalidAmount, value)
		}
	}
	amount := w*pow10(digits) + f
	if negative {
		amount = -amount
	}
	return New(amount, currency), nil
}

// Sum adds amounts, all of which must be in currency.
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

func (m Money) compatible(o Money) error {
	if m.Currency == o.Currency || m.Currency == "" || o.Currency == "" {
		return nil
	}
	return fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, m.Currency, o.Currency)
}

func (m Money) currencyWith(o Money) string {
	if m.Currency != "" {
		return m.Currency
	}
	return o.Currency
}

func pow10(n int) int64 {
	p := int64(1)
	for i := 0; i < n; i++ {
		p *= 10
	}
	return p
}
