package gateway

import (
	"context"
	"encoding/base64"
	"time"
)

// Clearinghouse forwards claim batches to insurers.
type Clearinghouse struct {
	BaseURL     string
	Key         string
	SubmitterID string
}

// BatchReceipt acknowledges an uploaded batch.
type BatchReceipt struct {
	BatchID    string    `json:"batch_id"`
	Accepted   int       `json:"accepted"`
	Rejected   []string  `json:"rejected"`
	ReceivedAt time.Time `json:"received_at"`
}

// Upload sends one batch file.
func (c *Clearinghouse) Upload(ctx context.Context, name string, content []byte) (BatchReceipt, error) {
	var r BatchReceipt
	err := postJSON(ctx, c.BaseURL+"/v1/batches", c.Key, map[string]string{
		"submitter": c.SubmitterID,
		"file_name": name,
		"content":   base64.StdEncoding.EncodeToString(content),
	}, &r)
	return r, err
}
