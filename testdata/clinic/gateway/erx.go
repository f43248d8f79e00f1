package gateway

import (
	"context"
	"fmt"
)

// ERx sends prescriptions to pharmacies over the e-prescribing network.
type ERx struct {
	BaseURL string
	Key     string
}

// NewRx is the network's new-prescription message.
type NewRx struct {
	PrescriberNPI string `json:"prescriber_npi"`
	PharmacyNCPDP string `json:"pharmacy_ncpdp"`
	PatientName   string `json:"patient_name"`
	PatientDOB    string `json:"patient_dob"`
	RxNorm        string `json:"rxnorm"`
	DrugName      string `json:"drug_name"`
	Sig           string `json:"sig"`
	Quantity      int    `json:"quantity"`
	Refills       int    `json:"refills"`
	Controlled    bool   `json:"controlled"`
}

// Send transmits a prescription and returns the network's reference.
func (e *ERx) Send(ctx context.Context, rx NewRx) (string, error) {
	var out struct {
		MessageID string `json:"message_id"`
		Status    string `json:"status"`
	}
	if err := postJSON(ctx, e.BaseURL+"/newrx", e.Key, rx, &out); err != nil {
		return "", err
	}
	if out.Status != "accepted" {
		return "", fmt.Errorf("gateway: prescription not accepted: %s", out.Status)
	}
	return out.MessageID, nil
}

// Cancel withdraws a transmitted prescription.
func (e *ERx) Cancel(ctx context.Context, ref, reason string) error {
	return postJSON(ctx, e.BaseURL+"/cancelrx", e.Key, map[string]string{"message_id": ref, "reason": reason}, nil)
}
