// Command clinic runs the practice management server: the staff API, the
// outbox relay that texts and mails patients, and the claim submitter.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/clinic/api"
	"example.com/clinic/gateway"
	"example.com/clinic/platform/config"
	"example.com/clinic/platform/logging"
	"example.com/clinic/platform/sqldb"
	"example.com/clinic/repository"
	"example.com/clinic/service"
	"example.com/clinic/timeutil"
)

func main() {
	if err := run(); err != nil {
		slog.Error("clinic: fatal", "err", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	logging.New(os.Stderr, cfg.Log)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	db, err := sqldb.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()

	zone, err := timeutil.LoadZone(cfg.Clinic.Timezone)
	if err != nil {
		return err
	}
	clock := timeutil.SystemClock{}

	// repositories
	patientRepo := repository.NewPatientRepository(db)
	auditRepo := repository.NewAuditRepository(db)
	apptRepo := repository.NewAppointmentRepository(db)
	billingRepo := repository.NewBillingRepository(db, cfg.Clinic.Currency)
	rxRepo := repository.NewPrescriptionRepository(db)
	msgRepo := repository.NewMessageRepository(db)

	// partners
	messenger := &gateway.Messenger{SMSURL: cfg.Partners.SMSURL, SMSKey: cfg.Partners.SMSKey, SMTPAddr: cfg.Partners.SMTPAddr, From: cfg.Partners.MailFrom}
	cards := &gateway.CardProcessor{BaseURL: cfg.Partners.CardURL, Key: cfg.Partners.CardKey}
	house := &gateway.Clearinghouse{BaseURL: cfg.Partners.ClearinghouseURL, Key: cfg.Partners.ClearinghouseKey, SubmitterID: cfg.Partners.SubmitterID}
	erx := &gateway.ERx{BaseURL: cfg.Partners.ERxURL, Key: cfg.Partners.ERxKey}

	// services
	notifications := service.NewNotificationService(msgRepo, zone, clock, cfg.Clinic.Name)
	patients := service.NewPatientService(patientRepo, auditRepo, zone, clock)
	scheduling := service.NewSchedulingService(apptRepo, patients, notifications, service.SchedulingConfig{
		Zone:             zone,
		Clock:            clock,
		SlotHold:         cfg.Clinic.SlotHold,
		LateCancelWindow: cfg.Clinic.LateCancelWindow,
	})
	billing := service.NewBillingService(billingRepo, apptRepo, patients, notifications, cards, service.BillingConfig{
		Zone:         zone,
		Clock:        clock,
		Currency:     cfg.Clinic.Currency,
		TermsDays:    cfg.Clinic.PaymentTermsDays,
		LateFeeCents: cfg.Clinic.LateCancelFeeCents,
	})
	scheduling.UseBilling(billing)
	prescriptions := service.NewPrescriptionService(rxRepo, patients, scheduling, notifications, erx, cfg.Clinic.PrintDir, clock)

	auth, err := api.NewAuth(cfg.HTTP.Tokens)
	if err != nil {
		return err
	}
	auth.Public = []string{"/healthz", "/readyz", "/webhooks/"}

	mux := http.NewServeMux()
	routes(mux, handlers{
		health:        &api.Health{DB: db, Started: time.Now()},
		patients:      api.NewPatientHandler(patients, scheduling, billing, prescriptions, zone),
		schedule:      api.NewScheduleHandler(scheduling, zone),
		billing:       api.NewBillingHandler(billing),
		prescriptions: api.NewPrescriptionHandler(prescriptions, cfg.Partners.ERxWebhookSecret),
		messages:      api.NewMessageHandler(notifications),
	})

	// background workers
	relay := service.NewRelay(msgRepo, notifications, messenger, cfg.Jobs.OutboxInterval, cfg.Jobs.OutboxBatch, cfg.Clinic.ReminderLead)
	go relay.Run(ctx)
	claims := service.NewClaimSubmitter(billingRepo, house, cfg.Clinic.ClaimsSpoolDir, cfg.Jobs.ClaimsInterval, clock)
	go claims.Run(ctx)

	srv := &http.Server{
		Addr:              cfg.HTTP.Addr,
		Handler:           api.Recover(api.AccessLog(auth.Middleware(mux))),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       20 * time.Second,
		WriteTimeout:      40 * time.Second,
	}
	return serve(ctx, srv, cfg.HTTP.ShutdownTimeout)
}

func serve(ctx context.Context, srv *http.Server, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() {
		slog.Info("listening", "addr", srv.Addr)
		errc <- srv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

type handlers struct {
	health        *api.Health
	patients      *api.PatientHandler
	schedule      *api.ScheduleHandler
	billing       *api.BillingHandler
	prescriptions *api.PrescriptionHandler
	messages      *api.MessageHandler
}

func routes(mux *http.ServeMux, h handlers) {
	mux.HandleFunc("GET /healthz", h.health.Live)
	mux.HandleFunc("GET /readyz", h.health.Ready)

	// patients and their record
	mux.HandleFunc("POST /patients", h.patients.Register)
	mux.HandleFunc("GET /patients", h.patients.Search)
	mux.HandleFunc("GET /patients/{id}", h.patients.Get)
	mux.HandleFunc("GET /patients/{id}/summary", h.patients.Summary)
	mux.HandleFunc("PUT /patients/{id}/contact", h.patients.UpdateContact)
	mux.HandleFunc("POST /patients/{id}/deactivate", h.patients.Deactivate)
	mux.HandleFunc("GET /patients/{id}/coverages", h.patients.Coverages)
	mux.HandleFunc("POST /patients/{id}/coverages", h.patients.AddCoverage)
	mux.HandleFunc("GET /patients/{id}/allergies", h.patients.Allergies)
	mux.HandleFunc("POST /patients/{id}/allergies", h.patients.AddAllergy)
	mux.HandleFunc("GET /patients/{id}/notes", h.patients.Notes)
	mux.HandleFunc("POST /patients/{id}/notes", h.patients.AddNote)
	mux.HandleFunc("GET /patients/{id}/history", h.patients.History)

	// scheduling
	mux.HandleFunc("GET /providers", h.schedule.Providers)
	mux.HandleFunc("GET /providers/{id}/slots", h.schedule.Slots)
	mux.HandleFunc("POST /providers/{id}/slots", h.schedule.Publish)
	mux.HandleFunc("POST /slots/{id}/hold", h.schedule.Hold)
	mux.HandleFunc("POST /appointments", h.schedule.Book)
	mux.HandleFunc("GET /appointments", h.schedule.List)
	mux.HandleFunc("GET /appointments/{id}", h.schedule.Get)
	mux.HandleFunc("POST /appointments/{id}/cancel", h.schedule.Cancel)
	mux.HandleFunc("POST /appointments/{id}/check-in", h.schedule.CheckIn)
	mux.HandleFunc("POST /appointments/{id}/complete", h.schedule.Complete)
	mux.HandleFunc("POST /appointments/{id}/no-show", h.schedule.NoShow)
	mux.HandleFunc("GET /patients/{id}/appointments", h.schedule.PatientAppointments)

	// billing
	mux.HandleFunc("POST /appointments/{id}/invoice", h.billing.InvoiceVisit)
	mux.HandleFunc("GET /invoices/{id}", h.billing.Invoice)
	mux.HandleFunc("POST /invoices/{id}/payments", h.billing.Pay)
	mux.HandleFunc("POST /invoices/{id}/void", h.billing.Void)
	mux.HandleFunc("POST /invoices/{id}/claim", h.billing.FileClaim)
	mux.HandleFunc("GET /claims", h.billing.Claims)
	mux.HandleFunc("GET /patients/{id}/invoices", h.billing.PatientInvoices)
	mux.HandleFunc("GET /patients/{id}/balance", h.billing.Balance)

	// prescriptions
	mux.HandleFunc("POST /patients/{id}/prescriptions", h.prescriptions.Prescribe)
	mux.HandleFunc("GET /patients/{id}/prescriptions", h.prescriptions.PatientPrescriptions)
	mux.HandleFunc("GET /prescriptions/{id}", h.prescriptions.Get)
	mux.HandleFunc("POST /prescriptions/{id}/sign", h.prescriptions.Sign)
	mux.HandleFunc("POST /prescriptions/{id}/cancel", h.prescriptions.Cancel)
	mux.HandleFunc("GET /prescriptions/{id}/printout", h.prescriptions.Printout)
	mux.HandleFunc("GET /pharmacies", h.prescriptions.Pharmacies)
	mux.HandleFunc("POST /webhooks/erx", h.prescriptions.PharmacyCallback)

	// patient messages
	mux.HandleFunc("GET /messages", h.messages.List)
	mux.HandleFunc("POST /messages/{id}/retry", h.messages.Retry)
	mux.HandleFunc("GET /patients/{id}/messages", h.messages.PatientMessages)
}
