package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/clinic/gateway"
	"example.com/clinic/model"
	"example.com/clinic/money"
	"example.com/clinic/platform/logging"
	"example.com/clinic/repository"
	"example.com/clinic/timeutil"
)

var (
	// ErrNotBillable is returned for visits that did not take place.
	ErrNotBillable = errors.New("appointment is not billable")
	// ErrAlreadyInvoiced is returned when a visit already has an invoice.
	ErrAlreadyInvoiced = errors.New("appointment already invoiced")
	// ErrNoCoverage is returned when a claim is made for an uninsured patient.
	ErrNoCoverage = errors.New("patient has no active coverage")
	// ErrOverpayment is returned when a payment exceeds the balance.
	ErrOverpayment = errors.New("payment exceeds the balance")
)

// visitCodes maps visit kinds to the CPT code billed for them.
var visitCodes = map[model.VisitKind]string{
	model.VisitNew:        "99203",
	model.VisitFollowUp:   "99213",
	model.VisitTelehealth: "99441",
	model.VisitProcedure:  "99215",
}

// feeCode is the practice's own code for cancellation and no-show fees.
const feeCode = "RFP-FEE"

// invoiceSeq numbers invoices INV-<year>-<n>. It is loaded from the
// database once a year and then counted here.
var invoiceSeq struct {
	sync.Mutex
	year int
	next int
}

// BillingConfig holds billing's settings.
type BillingConfig struct {
	Zone         timeutil.Zone
	Clock        timeutil.Clock
	Currency     string
	TermsDays    int
	LateFeeCents int64
}

// BillingService invoices visits and fees, takes payments and files
// insurance claims.
type BillingService struct {
	repo         *repository.BillingRepository
	appointments *repository.AppointmentRepository
	patients     *PatientService
	notify       *NotificationService
	cards        *gateway.CardProcessor
	cfg          BillingConfig
}

// NewBillingService returns the service.
func NewBillingService(repo *repository.BillingRepository, appointments *repository.AppointmentRepository, patients *PatientService,
	notify *NotificationService, cards *gateway.CardProcessor, cfg BillingConfig) *BillingService {
	return &BillingService{repo: repo, appointments: appointments, patients: patients, notify: notify, cards: cards, cfg: cfg}
}

// InvoiceVisit invoices a completed visit: the visit's code from the fee
// schedule plus any extra lines (procedures, supplies).
func (s *BillingService) InvoiceVisit(ctx context.Context, actor model.Actor, appointmentID int64, extra []model.InvoiceLine) (model.Invoice, error) {
	if !actor.Role.Can(model.RoleBilling) {
		return model.Invoice{}, ErrForbidden
	}
	appt, err := s.appointments.Get(ctx, appointmentID)
	if err != nil {
		return model.Invoice{}, translate(err, "appointment")
	}
	switch {
	case appt.Status != model.ApptCompleted:
		return model.Invoice{}, fmt.Errorf("%w: status %s", ErrNotBillable, appt.Status)
	case appt.InvoiceID != 0:
		return model.Invoice{}, ErrAlreadyInvoiced
	}
	fee, err := s.repo.Fee(ctx, visitCodes[appt.Kind])
	if err != nil {
		return model.Invoice{}, translate(err, "fee for "+string(appt.Kind))
	}
	inv := model.Invoice{
		PatientID:     appt.PatientID,
		AppointmentID: appt.ID,
		Lines:         []model.InvoiceLine{{Code: fee.Code, Description: fee.Description, Quantity: 1, UnitPrice: fee.Price}},
	}
	for i, l := range extra {
		if l.Quantity <= 0 {
			return model.Invoice{}, invalid(fmt.Sprintf("lines[%d].quantity", i), "must be positive")
		}
		f, err := s.repo.Fee(ctx, l.Code)
		if err != nil {
			return model.Invoice{}, translate(err, "fee "+l.Code)
		}
		inv.Lines = append(inv.Lines, model.InvoiceLine{Code: f.Code, Description: f.Description, Quantity: l.Quantity, UnitPrice: f.Price})
	}
	if err := s.issue(ctx, actor, &inv); err != nil {
		if errors.Is(err, repository.ErrConflict) {
			return model.Invoice{}, ErrAlreadyInvoiced
		}
		return model.Invoice{}, err
	}
	return inv, nil
}

// ChargeFee invoices the late-cancellation or no-show fee for appt.
// Scheduling calls it.
func (s *BillingService) ChargeFee(ctx context.Context, actor model.Actor, appt model.Appointment, what string) (model.Invoice, error) {
	if s.cfg.LateFeeCents <= 0 {
		return model.Invoice{}, nil
	}
	inv := model.Invoice{
		PatientID: appt.PatientID,
		Lines: []model.InvoiceLine{{
			Code:        feeCode,
			Description: fmt.Sprintf("Fee for %s on %s", what, s.cfg.Zone.FormatLocal(appt.Start)),
			Quantity:    1,
			UnitPrice:   money.New(s.cfg.LateFeeCents, s.cfg.Currency),
		}},
	}
	if err := s.issue(ctx, actor, &inv); err != nil {
		return model.Invoice{}, err
	}
	return inv, nil
}

func (s *BillingService) issue(ctx context.Context, actor model.Actor, inv *model.Invoice) error {
	patient, err := s.patients.Get(ctx, inv.PatientID)
	if err != nil {
		return err
	}
	amounts := make([]money.Money, len(inv.Lines))
	for i, l := range inv.Lines {
		amounts[i] = l.Amount()
	}
	if inv.Total, err = money.Sum(s.cfg.Currency, amounts...); err != nil {
		return err
	}
	inv.Paid = money.Zero(s.cfg.Currency)
	inv.Status = model.InvoiceIssued
	inv.IssuedAt = s.cfg.Clock.Now()
	inv.DueAt = s.cfg.Zone.StartOfDay(inv.IssuedAt).AddDate(0, 0, s.cfg.TermsDays)
	if inv.Number, err = s.nextInvoiceNumber(ctx, inv.IssuedAt.Year()); err != nil {
		return err
	}
	if err := s.repo.CreateInvoice(ctx, actor, inv); err != nil {
		return translate(err, "create invoice")
	}
	if err := s.notify.InvoiceIssued(ctx, patient, *inv); err != nil {
		logging.L(ctx).Error("queue invoice notice", "invoice", inv.Number, "err", err)
	}
	return nil
}

// nextInvoiceNumber hands out the next invoice number of year.
func (s *BillingService) nextInvoiceNumber(ctx context.Context, year int) (string, error) {
	invoiceSeq.Lock()
	defer invoiceSeq.Unlock()
	if invoiceSeq.year != year {
		last, err := s.repo.LastInvoiceNumber(ctx, year)
		if err != nil {
			return "", fmt.Errorf("invoice numbers: %w", err)
		}
		invoiceSeq.year, invoiceSeq.next = year, last+1
	}
	n := invoiceSeq.next
	invoiceSeq.next++
	return fmt.Sprintf("INV-%d-%06d", year, n), nil
}

// Invoice returns an invoice.
func (s *BillingService) Invoice(ctx context.Context, id int64) (model.Invoice, error) {
	inv, err := s.repo.Invoice(ctx, id)
	return inv, translate(err, fmt.Sprintf("invoice %d", id))
}

// PatientInvoices lists a patient's invoices.
func (s *BillingService) PatientInvoices(ctx context.Context, patientID int64, page model.Page) ([]model.Invoice, error) {
	invs, err := s.repo.PatientInvoices(ctx, patientID, page)
	return invs, translate(err, "invoices")
}

// OutstandingBalance adds up what the patient still owes.
func (s *BillingService) OutstandingBalance(ctx context.Context, patientID int64) (money.Money, error) {
	invs, err := s.PatientInvoices(ctx, patientID, model.Page{Limit: 200})
	if err != nil {
		return money.Money{}, err
	}
	var open []money.Money
	for _, inv := range invs {
		if inv.Status == model.InvoiceIssued || inv.Status == model.InvoicePartial {
			open = append(open, inv.Balance())
		}
	}
	return money.Sum(s.cfg.Currency, open...)
}

// PaymentRequest is a payment taken at the desk or online.
type PaymentRequest struct {
	Amount    string              `json:"amount"`
	Method    model.PaymentMethod `json:"method"`
	CardToken string              `json:"card_token,omitempty"`
	Reference string              `json:"reference,omitempty"`
}

// Pay records a payment against an invoice, charging the card first.
func (s *BillingService) Pay(ctx context.Context, actor model.Actor, invoiceID int64, req PaymentRequest) (model.Payment, error) {
	inv, err := s.Invoice(ctx, invoiceID)
	if err != nil {
		return model.Payment{}, err
	}
	amount, err := money.Parse(req.Amount, inv.Total.Currency)
	if err != nil || amount.Cents <= 0 {
		return model.Payment{}, invalid("amount", "a positive amount such as 25.00")
	}
	if inv.Balance().Less(amount) {
		return model.Payment{}, ErrOverpayment
	}
	p := model.Payment{InvoiceID: invoiceID, Amount: amount, Method: req.Method, Reference: req.Reference, ReceivedAt: s.cfg.Clock.Now()}
	switch req.Method {
	case model.PayCard:
		if req.CardToken == "" {
			return model.Payment{}, invalid("card_token", "required for card payments")
		}
		ref, err := s.cards.Charge(ctx, req.CardToken, amount.Decimal(), amount.Currency, inv.Number)
		if err != nil {
			return model.Payment{}, fmt.Errorf("charge card: %w", err)
		}
		p.Reference = ref
	case model.PayCash, model.PayInsurance:
	default:
		return model.Payment{}, invalid("method", "card, cash or insurance")
	}
	status, err := s.repo.AddPayment(ctx, actor, &p)
	if err != nil {
		return model.Payment{}, translate(err, "record payment")
	}
	inv.Status = status
	if inv.Paid, err = inv.Paid.Add(amount); err != nil {
		return model.Payment{}, err
	}
	if p.Method != model.PayInsurance {
		if err := s.notify.PaymentReceived(ctx, inv, p); err != nil {
			logging.L(ctx).Error("queue receipt", "invoice", inv.Number, "err", err)
		}
	}
	return p, nil
}

// Void voids an unpaid invoice.
func (s *BillingService) Void(ctx context.Context, actor model.Actor, id int64, reason string) error {
	if !actor.Role.Can(model.RoleBilling) {
		return ErrForbidden
	}
	if strings.TrimSpace(reason) == "" {
		return invalid("reason", "required")
	}
	return translate(s.repo.Void(ctx, actor, id, reason), "void invoice")
}

// FileClaim queues an insurance claim for the invoice's balance with the
// patient's primary insurer. The claim submitter sends it.
func (s *BillingService) FileClaim(ctx context.Context, actor model.Actor, invoiceID int64) (model.Claim, error) {
	if !actor.Role.Can(model.RoleBilling) {
		return model.Claim{}, ErrForbidden
	}
	inv, err := s.Invoice(ctx, invoiceID)
	if err != nil {
		return model.Claim{}, err
	}
	if inv.AppointmentID == 0 || inv.Status == model.InvoiceVoid || inv.Status == model.InvoicePaid {
		return model.Claim{}, fmt.Errorf("invoice %s cannot be claimed: %w", inv.Number, ErrConflict)
	}
	cov, ok, err := s.patients.PrimaryCoverage(ctx, inv.PatientID, inv.IssuedAt)
	if err != nil {
		return model.Claim{}, err
	}
	if !ok {
		return model.Claim{}, ErrNoCoverage
	}
	c := model.Claim{InvoiceID: inv.ID, CoverageID: cov.ID, PayerID: cov.PayerID, MemberID: cov.MemberID, Amount: inv.Balance(), Status: model.ClaimPending}
	if err := s.repo.CreateClaim(ctx, &c); err != nil {
		return model.Claim{}, translate(err, "create claim")
	}
	return c, nil
}

// Claims lists claims in a status.
func (s *BillingService) Claims(ctx context.Context, status model.ClaimStatus) ([]model.Claim, error) {
	if status == "" {
		status = model.ClaimPending
	}
	cs, err := s.repo.Claims(ctx, status, 500)
	return cs, translate(err, "claims")
}

// ClaimSubmitter sends pending claims to the clearinghouse in batches. A
// copy of every batch stays in the spool directory for the auditors.
type ClaimSubmitter struct {
	repo     *repository.BillingRepository
	house    *gateway.Clearinghouse
	spoolDir string
	interval time.Duration
	clock    timeutil.Clock
}

// NewClaimSubmitter returns a submitter running every interval.
func NewClaimSubmitter(repo *repository.BillingRepository, house *gateway.Clearinghouse, spoolDir string, interval time.Duration, clock timeutil.Clock) *ClaimSubmitter {
	return &ClaimSubmitter{repo: repo, house: house, spoolDir: spoolDir, interval: interval, clock: clock}
}

// Run submits a batch every interval until ctx ends.
func (c *ClaimSubmitter) Run(ctx context.Context) {
	t := time.NewTicker(c.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.submitBatch(ctx); err != nil {
				logging.L(ctx).Error("claim batch", "err", err)
			}
		}
	}
}

func (c *ClaimSubmitter) submitBatch(ctx context.Context) error {
	claims, err := c.repo.Claims(ctx, model.ClaimPending, 200)
	if err != nil || len(claims) == 0 {
		return err
	}
	now := c.clock.Now()
	batch := fmt.Sprintf("%s-%s", c.house.SubmitterID, now.Format("20060102T150405"))
	content := formatBatch(c.house.SubmitterID, batch, now, claims)
	if err := os.MkdirAll(c.spoolDir, 0o750); err != nil {
		return err
	}
	name := batch + ".837"
	if err := os.WriteFile(filepath.Join(c.spoolDir, name), content, 0o640); err != nil {
		return fmt.Errorf("spool %s: %w", name, err)
	}
	receipt, err := c.house.Upload(ctx, name, content)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(claims))
	rejected := make(map[string]bool, len(receipt.Rejected))
	for _, r := range receipt.Rejected {
		rejected[r] = true
	}
	for _, cl := range claims {
		if !rejected[fmt.Sprint(cl.ID)] {
			ids = append(ids, cl.ID)
		}
	}
	logging.L(ctx).Info("claims submitted", "batch", batch, "accepted", len(ids), "rejected", len(receipt.Rejected))
	return c.repo.MarkSubmitted(ctx, batch, ids, now)
}

// formatBatch writes claims in the clearinghouse's flat claim format, one
// line per claim between a header and a trailer.
func formatBatch(submitter, batch string, at time.Time, claims []model.Claim) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "HDR|%s|%s|%s|%d\n", submitter, batch, at.Format("20060102"), len(claims))
	var total int64
	for _, c := range claims {
		fmt.Fprintf(&b, "CLM|%d|%s|%s|%s|%s\n", c.ID, c.PayerID, c.MemberID, c.Amount.Decimal(), c.Amount.Currency)
		total += c.Amount.Cents
	}
	fmt.Fprintf(&b, "TRL|%d|%d.%02d\n", len(claims), total/100, total%100)
	return []byte(b.String())
}
