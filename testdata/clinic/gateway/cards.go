package gateway

import (
	"context"
	"errors"
)

// ErrDeclined is returned when the card processor declines a charge.
var ErrDeclined = errors.New("gateway: card declined")

// CardProcessor charges patients' cards.
type CardProcessor struct {
	BaseURL string
	Key     string
}

// Charge charges a tokenised card; amount is a decimal string such as "12.50".
func (c *CardProcessor) Charge(ctx context.Context, token, amount, currency, reference string) (string, error) {
	var out struct {
		ID       string `json:"id"`
		Approved bool   `json:"approved"`
		Reason   string `json:"reason"`
	}
	err := postJSON(ctx, c.BaseURL+"/v1/charges", c.Key, map[string]string{
		"source":    token,
		"amount":    amount,
		"currency":  currency,
		"reference": reference,
	}, &out)
	if err != nil {
		return "", err
	}
	if !out.Approved {
		return "", errors.Join(ErrDeclined, errors.New(out.Reason))
	}
	return out.ID, nil
}
