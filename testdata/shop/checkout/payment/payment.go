// Package payment charges and refunds customer cards through a payment
// service provider.
package payment

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"example.com/shop/money"
)

var (
	// ErrDeclined is returned when the provider refuses a charge.
	ErrDeclined = errors.New("payment: card declined")
	// ErrInvalidCard is returned by ValidateCard.
	ErrInvalidCard = errors.New("payment: invalid card")
)

// Status is the state of a payment.
type Status string

// The payment states.
const (
	StatusCaptured Status = "captured"
	StatusDeclined Status = "declined"
	StatusRefunded Status = "refunded"
)

// Card is a payment card as entered at checkout. It is passed to the
// provider and never stored.
type Card struct {
	Number   string `json:"number"`
	Holder   string `json:"holder"`
	ExpMonth int    `json:"exp_month"`
	ExpYear  int    `json:"exp_year"`
	CVC      string `json:"cvc"`
}

// Last4 returns the last four digits of the card number.
func (c Card) Last4() string {
	n := digits(c.Number)
	if len(n) < 4 {
		return n
	}
	return n[len(n)-4:]
}

// ChargeRequest asks for an order's total to be captured.
type ChargeRequest struct {
	OrderID int64
	Amount  money.Money
	Card    Card
	// IdempotencyKey makes retried charges safe.
	IdempotencyKey string
}

// Payment is a charge or refund recorded for an order.
type Payment struct {
	ID        int64       `json:"id"`
	OrderID   int64       `json:"order_id"`
	Reference string      `json:"reference"`
	Status    Status      `json:"status"`
	Amount    money.Money `json:"amount"`
	CardLast4 string      `json:"card_last4"`
	CreatedAt time.Time   `json:"created_at"`
}

// Gateway is a payment service provider. Charge returns ErrDeclined,
// together with the declined payment, when the card is refused.
type Gateway interface {
	Charge(ctx context.Context, req ChargeRequest) (Payment, error)
	Refund(ctx context.Context, captured Payment) (Payment, error)
}

// ValidateCard checks a card's number and expiry before it is sent to the
// provider.
func ValidateCard(c Card, now time.Time) error {
	n := digits(c.Number)
	switch {
	case len(n) < 12 || len(n) > 19 || !luhn(n):
		return fmt.Errorf("%w: number", ErrInvalidCard)
	case c.ExpMonth < 1 || c.ExpMonth > 12:
		return fmt.Errorf("%w: expiry month", ErrInvalidCard)
	case len(digits(c.CVC)) < 3:
		return fmt.Errorf("%w: security code", ErrInvalidCard)
	}
	expires := time.Date(c.ExpYear, time.Month(c.ExpMonth)+1, 1, 0, 0, 0, 0, time.UTC)
	if !now.Before(expires) {
		return fmt.Errorf("%w: expired", ErrInvalidCard)
	}
	return nil
}

// luhn reports whether a string of digits passes the Luhn checksum.
func luhn(n string) bool {
	sum := 0
	double := false
	for i := len(n) - 1; i >= 0; i-- {
		d := int(n[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
