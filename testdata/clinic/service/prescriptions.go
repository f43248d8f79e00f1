package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/clinic/gateway"
	"example.com/clinic/model"
	"example.com/clinic/platform/logging"
	"example.com/clinic/repository"
	"example.com/clinic/timeutil"
)

var (
	// ErrAllergyConflict is returned when the drug matches a recorded allergy.
	ErrAllergyConflict = errors.New("medication conflicts with a recorded allergy")
	// ErrControlledNeedsVisit is returned when a controlled substance is
	// prescribed outside a visit.
	ErrControlledNeedsVisit = errors.New("controlled substances need an in-person visit")
	// ErrNoRefills is returned when no refills are left.
	ErrNoRefills = errors.New("no refills left")
)

// drugClasses groups substances patients report allergies to with the
// drug names that contain them.
var drugClasses = map[string][]string{
	"penicillin": {"amoxicillin", "ampicillin", "penicillin", "piperacillin"},
	"sulfa":      {"sulfamethoxazole", "sulfasalazine"},
	"nsaid":      {"ibuprofen", "naproxen", "diclofenac", "ketorolac"},
	"codeine":    {"codeine", "hydrocodone", "oxycodone"},
}

// systemActor is who acts when the pharmacy network calls back.
var systemActor = model.Actor{StaffID: 0, Role: "system", Name: "erx-callback"}

// PrescriptionService writes, signs and transmits prescriptions.
type PrescriptionService struct {
	repo       *repository.PrescriptionRepository
	patients   *PatientService
	scheduling *SchedulingService
	notify     *NotificationService
	erx        *gateway.ERx
	printDir   string
	clock      timeutil.Clock
}

// NewPrescriptionService returns the service. Signed prescriptions are
// printed into printDir.
func NewPrescriptionService(repo *repository.PrescriptionRepository, patients *PatientService, scheduling *SchedulingService,
	notify *NotificationService, erx *gateway.ERx, printDir string, clock timeutil.Clock) *PrescriptionService {
	return &PrescriptionService{repo: repo, patients: patients, scheduling: scheduling, notify: notify, erx: erx, printDir: printDir, clock: clock}
}

// Prescribe writes a draft prescription after the safety checks.
func (s *PrescriptionService) Prescribe(ctx context.Context, actor model.Actor, in model.NewPrescription) (model.Prescription, error) {
	if !actor.Role.Can(model.RoleClinician) {
		return model.Prescription{}, ErrForbidden
	}
	switch {
	case strings.TrimSpace(in.Sig) == "":
		return model.Prescription{}, invalid("sig", "directions are required")
	case in.Quantity <= 0 || in.Quantity > 1000:
		return model.Prescription{}, invalid("quantity", "between 1 and 1000")
	case in.Refills < 0 || in.Refills > 11:
		return model.Prescription{}, invalid("refills", "between 0 and 11")
	}
	if _, err := s.patients.RequireActive(ctx, in.PatientID); err != nil {
		return model.Prescription{}, err
	}
	med, err := s.repo.Medication(ctx, in.MedicationCode)
	if err != nil {
		return model.Prescription{}, translate(err, "medication "+in.MedicationCode)
	}
	if med.Controlled() {
		if in.AppointmentID == 0 {
			return model.Prescription{}, ErrControlledNeedsVisit
		}
		if in.Refills > 0 && med.Schedule == 2 {
			return model.Prescription{}, invalid("refills", "schedule II drugs cannot be refilled")
		}
	}
	if in.AppointmentID != 0 {
		appt, err := s.scheduling.Get(ctx, in.AppointmentID)
		if err != nil {
			return model.Prescription{}, err
		}
		if appt.PatientID != in.PatientID {
			return model.Prescription{}, invalid("appointment_id", "belongs to another patient")
		}
		if med.Controlled() && appt.Kind == model.VisitTelehealth {
			return model.Prescription{}, ErrControlledNeedsVisit
		}
	}
	allergies, err := s.patients.Allergies(ctx, in.PatientID)
	if err != nil {
		return model.Prescription{}, err
	}
	if a := allergyConflict(allergies, med); a != "" {
		return model.Prescription{}, fmt.Errorf("%w: %s", ErrAllergyConflict, a)
	}
	if in.PharmacyID != 0 {
		if _, err := s.repo.Pharmacy(ctx, in.PharmacyID); err != nil {
			return model.Prescription{}, translate(err, "pharmacy")
		}
	}
	rx := model.Prescription{
		PatientID:     in.PatientID,
		PrescriberID:  actor.StaffID,
		AppointmentID: in.AppointmentID,
		Medication:    med,
		Sig:           strings.TrimSpace(in.Sig),
		Quantity:      in.Quantity,
		Refills:       in.Refills,
		PharmacyID:    in.PharmacyID,
	}
	if err := s.repo.Create(ctx, actor, &rx); err != nil {
		return model.Prescription{}, translate(err, "create prescription")
	}
	return rx, nil
}

// allergyConflict returns the allergy a drug conflicts with, or "".
func allergyConflict(allergies []model.Allergy, med model.Medication) string {
	drug := strings.ToLower(med.Name)
	for _, a := range allergies {
		sub := strings.ToLower(a.Substance)
		if strings.Contains(drug, sub) {
			return a.Substance
		}
		for _, member := range drugClasses[sub] {
			if strings.Contains(drug, member) {
				return a.Substance
			}
		}
	}
	return ""
}

// Get returns a prescription.
func (s *PrescriptionService) Get(ctx context.Context, id int64) (model.Prescription, error) {
	rx, err := s.repo.Get(ctx, id)
	return rx, translate(err, fmt.Sprintf("prescription %d", id))
}

// ForPatient lists a patient's prescriptions.
func (s *PrescriptionService) ForPatient(ctx context.Context, patientID int64, activeOnly bool) ([]model.Prescription, error) {
	rxs, err := s.repo.ForPatient(ctx, patientID, activeOnly)
	return rxs, translate(err, "prescriptions")
}

// Sign signs a draft: it is printed for the patient's paper copy and, when
// a pharmacy is chosen, sent to it.
func (s *PrescriptionService) Sign(ctx context.Context, actor model.Actor, id int64) (model.Prescription, error) {
	rx, err := s.Get(ctx, id)
	if err != nil {
		return model.Prescription{}, err
	}
	if rx.PrescriberID != actor.StaffID {
		return model.Prescription{}, ErrForbidden
	}
	now := s.clock.Now()
	if err := s.repo.SetStatus(ctx, actor, id, model.RxDraft, model.RxSigned, now); err != nil {
		return model.Prescription{}, translate(err, "sign")
	}
	rx.Status, rx.SignedAt = model.RxSigned, now
	patient, err := s.patients.Get(ctx, rx.PatientID)
	if err != nil {
		return rx, err
	}
	if err := s.print(rx, patient); err != nil {
		logging.L(ctx).Error("print prescription", "rx", id, "err", err)
	}
	if rx.PharmacyID != 0 {
		if err := s.transmit(ctx, actor, &rx, patient); err != nil {
			return rx, err
		}
	}
	return rx, nil
}

func (s *PrescriptionService) transmit(ctx context.Context, actor model.Actor, rx *model.Prescription, patient model.Patient) error {
	ph, err := s.repo.Pharmacy(ctx, rx.PharmacyID)
	if err != nil {
		return translate(err, "pharmacy")
	}
	ref, err := s.erx.Send(ctx, gateway.NewRx{
		PrescriberNPI: fmt.Sprint(rx.PrescriberID),
		PharmacyNCPDP: ph.NCPDPID,
		PatientName:   patient.FullName(),
		PatientDOB:    patient.DateOfBirth.Format(timeutil.DateLayout),
		RxNorm:        rx.Medication.Code,
		DrugName:      rx.Medication.Name + " " + rx.Medication.Strength,
		Sig:           rx.Sig,
		Quantity:      rx.Quantity,
		Refills:       rx.Refills,
		Controlled:    rx.Medication.Controlled(),
	})
	if err != nil {
		return fmt.Errorf("send to %s: %w", ph.Name, err)
	}
	if err := s.repo.SetExternalRef(ctx, rx.ID, ref); err != nil {
		return translate(err, "store reference")
	}
	now := s.clock.Now()
	if err := s.repo.SetStatus(ctx, actor, rx.ID, model.RxSigned, model.RxSent, now); err != nil {
		return translate(err, "mark sent")
	}
	rx.Status, rx.SentAt, rx.ExternalRef = model.RxSent, now, ref
	return nil
}

func printoutPath(dir string, id int64) string {
	return filepath.Join(dir, fmt.Sprintf("rx-%08d.txt", id))
}

// print writes the paper copy the front-desk printer picks up.
func (s *PrescriptionService) print(rx model.Prescription, patient model.Patient) error {
	var b strings.Builder
	fmt.Fprintf(&b, "PRESCRIPTION #%d\n\n", rx.ID)
	fmt.Fprintf(&b, "Patient: %s (MRN %s)\nDate of birth: %s\n\n", patient.FullName(), patient.MRN, patient.DateOfBirth.Format(timeutil.DateLayout))
	fmt.Fprintf(&b, "Rx: %s %s %s\nSig: %s\nDisp: %d\nRefills: %d\n\n", rx.Medication.Name, rx.Medication.Strength,
		rx.Medication.Form, rx.Sig, rx.Quantity, rx.Refills)
	fmt.Fprintf(&b, "Signed electronically by prescriber %d at %s\n", rx.PrescriberID, rx.SignedAt.Format(time.RFC1123))
	if err := os.MkdirAll(s.printDir, 0o750); err != nil {
		return err
	}
	return os.WriteFile(printoutPath(s.printDir, rx.ID), []byte(b.String()), 0o640)
}

// Printout returns the printed copy of a signed prescription.
func (s *PrescriptionService) Printout(ctx context.Context, id int64) ([]byte, error) {
	b, err := os.ReadFile(printoutPath(s.printDir, id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("printout of prescription %d: %w", id, ErrNotFound)
	}
	return b, err
}

// Cancel withdraws a prescription that has not been dispensed.
func (s *PrescriptionService) Cancel(ctx context.Context, actor model.Actor, id int64, reason string) error {
	rx, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	switch rx.Status {
	case model.RxDraft, model.RxSigned:
	case model.RxSent:
		if err := s.erx.Cancel(ctx, rx.ExternalRef, reason); err != nil {
			return fmt.Errorf("cancel at pharmacy: %w", err)
		}
	default:
		return fmt.Errorf("prescription is %s: %w", rx.Status, ErrConflict)
	}
	return translate(s.repo.SetStatus(ctx, actor, id, rx.Status, model.RxCancelled, s.clock.Now()), "cancel")
}

// HandlePharmacyEvent applies what the e-prescribing network reports.
func (s *PrescriptionService) HandlePharmacyEvent(ctx context.Context, ev model.PharmacyEvent) error {
	rx, err := s.repo.ByExternalRef(ctx, ev.ExternalRef)
	if err != nil {
		return translate(err, "prescription "+ev.ExternalRef)
	}
	switch ev.Event {
	case "dispensed":
		if rx.Status == model.RxDispensed && rx.RefillsLeft() == 0 {
			return ErrNoRefills
		}
		if err := s.repo.RecordDispense(ctx, rx.ID, ev.At); err != nil {
			return translate(err, "record dispense")
		}
		ph, err := s.repo.Pharmacy(ctx, rx.PharmacyID)
		if err != nil {
			return translate(err, "pharmacy")
		}
		return s.notify.PrescriptionReady(ctx, rx, ph)
	case "rejected":
		logging.L(ctx).Warn("pharmacy rejected prescription", "rx", rx.ID, "detail", ev.Detail)
		return translate(s.repo.SetStatus(ctx, systemActor, rx.ID, model.RxSent, model.RxSigned, ev.At), "reset status")
	case "refill_request":
		logging.L(ctx).Info("refill requested", "rx", rx.ID, "left", rx.RefillsLeft())
		return nil
	}
	return invalid("event", "unknown event %q", ev.Event)
}

// Pharmacies lists pharmacies by postal code prefix.
func (s *PrescriptionService) Pharmacies(ctx context.Context, postalPrefix string) ([]model.Pharmacy, error) {
	if len(postalPrefix) < 3 {
		return nil, invalid("postal_code", "at least 3 characters")
	}
	ps, err := s.repo.Pharmacies(ctx, postalPrefix)
	return ps, translate(err, "pharmacies")
}
