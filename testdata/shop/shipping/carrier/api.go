package carrier

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
)

// Bracket is the price of parcels up to a weight.
type Bracket struct {
	MaxGrams int
	Cents    int64
}

// Tariff prices one service of a carrier in one zone.
type Tariff struct {
	Service  string
	Zone     Zone
	Days     int
	Brackets []Bracket
}

// Carrier is a parcel carrier with a JSON API.
type Carrier struct {
	Code string
	// Home is the country the carrier's domestic tariff applies to.
	Home     string
	BaseURL  string
	TrackURL string
	// KeyEnv names the environment variable holding the API key.
	KeyEnv  string
	Tariffs []Tariff
}

// Rates returns the price of every service that takes a parcel of
// weightGrams to country.
func (c *Carrier) Rates(country string, weightGrams int) []Rate {
	zone := ZoneOf(c.Home, country)
	var rates []Rate
	for _, t := range c.Tariffs {
		if t.Zone != zone {
			continue
		}
		for _, b := range t.Brackets {
			if weightGrams <= b.MaxGrams {
				rates = append(rates, Rate{Carrier: c.Code, Service: t.Service, Cents: b.Cents, Days: t.Days})
				break
			}
		}
	}
	return rates
}

// TrackingURL is the public page where customers follow a parcel.
func (c *Carrier) TrackingURL(trackingNumber string) string {
	return fmt.Sprintf(c.TrackURL, url.QueryEscape(trackingNumber))
}

// CreateLabel books the parcel with the carrier and returns its label.
func (c *Carrier) CreateLabel(ctx context.Context, p Parcel) (Label, error) {
	var label Label
	if err := c.call(ctx, http.MethodPost, "/labels", p, &label); err != nil {
		return Label{}, fmt.Errorf("carrier %s: create label for %s: %w", c.Code, p.Reference, err)
	}
	if label.TrackingNumber == "" {
		return Label{}, fmt.Errorf("carrier %s: label for %s has no tracking number", c.Code, p.Reference)
	}
	return label, nil
}

// Track returns every event the carrier has recorded for a parcel.
func (c *Carrier) Track(ctx context.Context, trackingNumber string) ([]Event, error) {
	var resp struct {
		Events []Event `json:"events"`
	}
	if err := c.call(ctx, http.MethodGet, "/tracking/"+url.PathEscape(trackingNumber), nil, &resp); err != nil {
		return nil, fmt.Errorf("carrier %s: track %s: %w", c.Code, trackingNumber, err)
	}
	return resp.Events, nil
}

func (c *Carrier) call(ctx context.Context, method, path string, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()

	var body io.Reader
	if in != nil {
		buf, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("X-Api-Key", os.Getenv(c.KeyEnv))

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound && method == http.MethodGet:
		return ErrTrackingNotFound
	case resp.StatusCode/100 != 2:
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
