// Package gateway talks to the systems outside the clinic: the SMS and mail
// providers, the card processor, the claims clearinghouse and the
// e-prescribing network.
package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

var (
	clientOnce sync.Once
	client     *http.Client
)

// httpClient returns the client shared by every gateway, built on first use
// so that its transport's connection pool is shared too.
func httpClient() *http.Client {
	clientOnce.Do(func() {
		tr := &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 10,
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: 5 * time.Second,
		}
		client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	})
	return client
}

// StatusError is a non-2xx answer from a partner.
type StatusError struct {
	URL    string
	Status int
	Body   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("gateway: %s answered %d: %s", e.URL, e.Status, e.Body)
}

// Temporary reports whether retrying may help.
func (e *StatusError) Temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// postJSON sends in as JSON with a bearer key and decodes the answer into out.
func postJSON(ctx context.Context, url, key string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("gateway: %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return &StatusError{URL: url, Status: resp.StatusCode, Body: string(b)}
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
