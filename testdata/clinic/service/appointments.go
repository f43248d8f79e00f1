package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"example.com/clinic/model"
	"example.com/clinic/platform/logging"
	"example.com/clinic/repository"
	"example.com/clinic/timeutil"
)

var (
	// ErrSlotUnavailable is returned when a slot is booked or held by someone else.
	ErrSlotUnavailable = errors.New("slot is not available")
	// ErrDoubleBooked is returned when the patient already has an
	// appointment at that time.
	ErrDoubleBooked = errors.New("patient already has an appointment at that time")
)

// visitLengths is how long each kind of visit takes; a slot must be at
// least that long.
var visitLengths = map[model.VisitKind]time.Duration{
	model.VisitNew:        40 * time.Minute,
	model.VisitFollowUp:   20 * time.Minute,
	model.VisitTelehealth: 15 * time.Minute,
	model.VisitProcedure:  60 * time.Minute,
}

// SchedulingConfig holds the booking rules.
type SchedulingConfig struct {
	Zone             timeutil.Zone
	Clock            timeutil.Clock
	SlotHold         time.Duration
	LateCancelWindow time.Duration
}

// SchedulingService publishes provider calendars and books, moves and
// cancels appointments.
type SchedulingService struct {
	repo     *repository.AppointmentRepository
	patients *PatientService
	notify   *NotificationService
	billing  *BillingService
	cfg      SchedulingConfig
}

// NewSchedulingService returns the service. Fees for late cancellations
// need UseBilling.
func NewSchedulingService(repo *repository.AppointmentRepository, patients *PatientService, notify *NotificationService, cfg SchedulingConfig) *SchedulingService {
	return &SchedulingService{repo: repo, patients: patients, notify: notify, cfg: cfg}
}

// UseBilling connects billing, which charges late cancellations and
// no-shows. Billing itself needs scheduling's data, so main wires it
// after both exist.
func (s *SchedulingService) UseBilling(b *BillingService) { s.billing = b }

// Providers lists the clinicians patients can book.
func (s *SchedulingService) Providers(ctx context.Context) ([]model.Provider, error) {
	ps, err := s.repo.Providers(ctx)
	return ps, translate(err, "providers")
}

// OpenSlots lists the free slots of a provider over days days from day.
func (s *SchedulingService) OpenSlots(ctx context.Context, providerID int64, day time.Time, days int) ([]model.Slot, error) {
	if days <= 0 || days > 31 {
		return nil, invalid("days", "between 1 and 31")
	}
	from := s.cfg.Zone.StartOfDay(day)
	if now := s.cfg.Clock.Now(); from.Before(now) {
		from = now
	}
	slots, err := s.repo.Slots(ctx, providerID, from, s.cfg.Zone.StartOfDay(day).AddDate(0, 0, days), false)
	return slots, translate(err, "open slots")
}

// PublishSlots opens a provider's calendar on the working days of a period:
// slots of length between the opening hours, e.g. "08:30-12:00".
func (s *SchedulingService) PublishSlots(ctx context.Context, actor model.Actor, providerID int64, from time.Time, days int, hours string, length time.Duration) (int, error) {
	if !actor.Role.Can(model.RoleFrontDesk) {
		return 0, ErrForbidden
	}
	h, err := timeutil.ParseHours(hours)
	if err != nil {
		return 0, invalid("hours", "%v", err)
	}
	if length < 10*time.Minute || length > 2*time.Hour {
		return 0, invalid("length", "between 10 minutes and 2 hours")
	}
	if days <= 0 || days > 90 {
		return 0, invalid("days", "between 1 and 90")
	}
	p, err := s.repo.Provider(ctx, providerID)
	if err != nil {
		return 0, translate(err, "provider")
	}
	if !p.Active {
		return 0, fmt.Errorf("provider %s: %w", p.Name, ErrConflict)
	}
	var periods [][2]time.Time
	for d := 0; d < days; d++ {
		day := from.AddDate(0, 0, d)
		if s.cfg.Zone.IsWeekend(day) {
			continue
		}
		periods = append(periods, s.cfg.Zone.Split(day, h, length)...)
	}
	n, err := s.repo.CreateSlots(ctx, providerID, periods)
	return n, translate(err, "publish slots")
}

// HoldSlot reserves a slot while the front desk is on the phone with the
// patient. The hold lapses by itself after the configured time.
func (s *SchedulingService) HoldSlot(ctx context.Context, actor model.Actor, slotID int64) (model.Slot, error) {
	until := s.cfg.Clock.Now().Add(s.cfg.SlotHold)
	if err := s.repo.Hold(ctx, slotID, actor.StaffID, until); err != nil {
		if errors.Is(err, repository.ErrConflict) {
			return model.Slot{}, ErrSlotUnavailable
		}
		return model.Slot{}, translate(err, "hold slot")
	}
	time.AfterFunc(s.cfg.SlotHold, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.repo.Release(ctx, slotID); err != nil {
			logging.L(ctx).Warn("release slot hold", "slot", slotID, "err", err)
		}
	})
	sl, err := s.repo.Slot(ctx, slotID)
	return sl, translate(err, "slot")
}

// Book books a slot for a patient and tells the patient.
func (s *SchedulingService) Book(ctx context.Context, actor model.Actor, b model.Booking) (model.Appointment, error) {
	if !actor.Role.Can(model.RoleFrontDesk, model.RoleClinician) {
		return model.Appointment{}, ErrForbidden
	}
	if b.Kind == "" {
		b.Kind = model.VisitFollowUp
	}
	need, ok := visitLengths[b.Kind]
	if !ok {
		return model.Appointment{}, invalid("kind", "unknown visit kind %q", b.Kind)
	}
	patient, err := s.patients.RequireActive(ctx, b.PatientID)
	if err != nil {
		return model.Appointment{}, err
	}
	slot, err := s.repo.Slot(ctx, b.SlotID)
	if err != nil {
		return model.Appointment{}, translate(err, "slot")
	}
	switch {
	case slot.Start.Before(s.cfg.Clock.Now()):
		return model.Appointment{}, invalid("slot_id", "slot is in the past")
	case slot.End.Sub(slot.Start) < need:
		return model.Appointment{}, invalid("slot_id", "a %s visit needs %s", b.Kind, need)
	}
	busy, err := s.repo.Overlapping(ctx, b.PatientID, slot.Start, slot.End)
	if err != nil {
		return model.Appointment{}, translate(err, "overlap check")
	}
	if busy {
		return model.Appointment{}, ErrDoubleBooked
	}
	appt, err := s.repo.Book(ctx, actor, b)
	if errors.Is(err, repository.ErrConflict) {
		return model.Appointment{}, ErrSlotUnavailable
	}
	if err != nil {
		return model.Appointment{}, translate(err, "book")
	}
	provider, err := s.repo.Provider(ctx, appt.ProviderID)
	if err != nil {
		return appt, translate(err, "provider")
	}
	if err := s.notify.AppointmentBooked(ctx, patient, appt, provider); err != nil {
		logging.L(ctx).Error("queue booking confirmation", "appointment", appt.ID, "err", err)
	}
	return appt, nil
}

// Get returns an appointment.
func (s *SchedulingService) Get(ctx context.Context, id int64) (model.Appointment, error) {
	a, err := s.repo.Get(ctx, id)
	return a, translate(err, fmt.Sprintf("appointment %d", id))
}

// List finds appointments.
func (s *SchedulingService) List(ctx context.Context, q model.AppointmentQuery) ([]model.Appointment, error) {
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return nil, invalid("to", "before from")
	}
	as, err := s.repo.List(ctx, q)
	return as, translate(err, "appointments")
}

// Cancel cancels an appointment. A cancellation inside the late-cancel
// window is charged unless waived; the slot is reopened only when there is
// still time to fill it.
func (s *SchedulingService) Cancel(ctx context.Context, actor model.Actor, id int64, reason string, waiveFee bool) (model.Appointment, error) {
	appt, err := s.Get(ctx, id)
	if err != nil {
		return model.Appointment{}, err
	}
	if !appt.Open() {
		return model.Appointment{}, fmt.Errorf("appointment is %s: %w", appt.Status, ErrConflict)
	}
	now := s.cfg.Clock.Now()
	late := appt.Start.Sub(now) < s.cfg.LateCancelWindow
	if err := s.repo.Cancel(ctx, id, reason, appt.Start.Sub(now) > time.Hour); err != nil {
		return model.Appointment{}, translate(err, "cancel")
	}
	appt.Status, appt.CancelReason, appt.CancelledAt = model.ApptCancelled, reason, now
	if late && !waiveFee && s.billing != nil {
		if _, err := s.billing.ChargeFee(ctx, actor, appt, "late cancellation"); err != nil {
			logging.L(ctx).Error("late cancellation fee", "appointment", id, "err", err)
		}
	}
	patient, err := s.patients.Get(ctx, appt.PatientID)
	if err != nil {
		return appt, err
	}
	if err := s.notify.AppointmentCancelled(ctx, patient, appt, reason); err != nil {
		logging.L(ctx).Error("queue cancellation notice", "appointment", id, "err", err)
	}
	return appt, nil
}

// CheckIn marks the patient as arrived.
func (s *SchedulingService) CheckIn(ctx context.Context, actor model.Actor, id int64) error {
	err := s.repo.Transition(ctx, id, []model.AppointmentStatus{model.ApptScheduled}, model.ApptCheckedIn)
	return translate(err, "check in")
}

// Complete marks the visit as done; billing can then invoice it.
func (s *SchedulingService) Complete(ctx context.Context, actor model.Actor, id int64) error {
	if !actor.Role.Can(model.RoleClinician) {
		return ErrForbidden
	}
	err := s.repo.Transition(ctx, id, []model.AppointmentStatus{model.ApptCheckedIn}, model.ApptCompleted)
	return translate(err, "complete")
}

// NoShow records that the patient did not come, and charges the fee.
func (s *SchedulingService) NoShow(ctx context.Context, actor model.Actor, id int64) error {
	appt, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if s.cfg.Clock.Now().Before(appt.End) {
		return invalid("status", "the appointment has not ended yet")
	}
	if err := s.repo.Transition(ctx, id, []model.AppointmentStatus{model.ApptScheduled}, model.ApptNoShow); err != nil {
		return translate(err, "no-show")
	}
	if s.billing != nil {
		if _, err := s.billing.ChargeFee(ctx, actor, appt, "missed appointment"); err != nil {
			logging.L(ctx).Error("no-show fee", "appointment", id, "err", err)
		}
	}
	return nil
}
