package payment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"example.com/shop/money"
)

// HTTPGateway talks to a provider's JSON API.
type HTTPGateway struct {
	BaseURL string
	APIKey  string
	Client  *http.Client
}

type chargeBody struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Number   string `json:"card_number"`
	Holder   string `json:"card_holder"`
	ExpMonth int    `json:"exp_month"`
	ExpYear  int    `json:"exp_year"`
	CVC      string `json:"cvc"`
	Metadata struct {
		OrderID int64 `json:"order_id"`
	} `json:"metadata"`
}

type chargeResponse struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Charge captures req.Amount from the card.
func (g *HTTPGateway) Charge(ctx context.Context, req ChargeRequest) (Payment, error) {
	body := chargeBody{
		Amount:   req.Amount.Amount,
		Currency: req.Amount.Currency,
		Number:   digits(req.Card.Number),
		Holder:   req.Card.Holder,
		ExpMonth: req.Card.ExpMonth,
		ExpYear:  req.Card.ExpYear,
		CVC:      req.Card.CVC,
	}
	body.Metadata.OrderID = req.OrderID
	var resp chargeResponse
	err := g.post(ctx, "/v1/charges", req.IdempotencyKey, body, &resp)
	if err != nil && !errors.Is(err, ErrDeclined) {
		return Payment{}, err
	}
	p := Payment{
		OrderID:   req.OrderID,
		Reference: resp.ID,
		Amount:    req.Amount,
		CardLast4: req.Card.Last4(),
		CreatedAt: time.Now(),
	}
	if err != nil || resp.Status != "succeeded" {
		p.Status = StatusDeclined
		return p, ErrDeclined
	}
	p.Status = StatusCaptured
	return p, nil
}

// Refund returns a captured payment in full.
func (g *HTTPGateway) Refund(ctx context.Context, captured Payment) (Payment, error) {
	var resp chargeResponse
	body := map[string]any{"charge": captured.Reference, "amount": captured.Amount.Amount}
	if err := g.post(ctx, "/v1/refunds", "refund-"+captured.Reference, body, &resp); err != nil {
		return Payment{}, err
	}
	return Payment{
		OrderID:   captured.OrderID,
		Reference: resp.ID,
		Status:    StatusRefunded,
		Amount:    money.New(-captured.Amount.Amount, captured.Amount.Currency),
		CardLast4: captured.CardLast4,
		CreatedAt: time.Now(),
	}, nil
}

func (g *HTTPGateway) post(ctx context.Context, path, idempotencyKey string, in, out any) error {
	buf, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.BaseURL+path, bytes.NewReader(buf))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+g.APIKey)
	req.Header.Set("Idempotency-Key", idempotencyKey)
	client := g.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("payment: %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusPaymentRequired {
		_ = json.NewDecoder(resp.Body).Decode(out)
		return ErrDeclined
	}
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("payment: %s: %s: %s", path, resp.Status, bytes.TrimSpace(msg))
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
