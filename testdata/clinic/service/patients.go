package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"example.com/clinic/model"
	"example.com/clinic/repository"
	"example.com/clinic/timeutil"
)

// ErrPatientInactive is returned when a deactivated patient is booked,
// billed or prescribed for.
var ErrPatientInactive = errors.New("patient is inactive")

var (
	phonePattern = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[a-z]{2,}$`)
	mrnPattern   = regexp.MustCompile(`^RFP[0-9]{7}$`)
)

// patientCacheTTL bounds how stale a cached patient may be. Scheduling,
// billing and prescriptions look patients up on almost every request.
const patientCacheTTL = 2 * time.Minute

type cachedPatient struct {
	patient model.Patient
	loaded  time.Time
}

var (
	patientCacheMu sync.RWMutex
	patientCache   = make(map[int64]cachedPatient)
)

func forgetPatient(id int64) {
	patientCacheMu.Lock()
	delete(patientCache, id)
	patientCacheMu.Unlock()
}

// PatientService registers patients and keeps their records.
type PatientService struct {
	repo  *repository.PatientRepository
	audit *repository.AuditRepository
	zone  timeutil.Zone
	clock timeutil.Clock
}

// NewPatientService returns the service.
func NewPatientService(repo *repository.PatientRepository, audit *repository.AuditRepository, zone timeutil.Zone, clock timeutil.Clock) *PatientService {
	return &PatientService{repo: repo, audit: audit, zone: zone, clock: clock}
}

// Register validates and stores a new patient.
func (s *PatientService) Register(ctx context.Context, actor model.Actor, in model.NewPatient) (model.Patient, error) {
	if !actor.Role.Can(model.RoleFrontDesk, model.RoleClinician) {
		return model.Patient{}, ErrForbidden
	}
	p := model.Patient{
		FirstName: strings.TrimSpace(in.FirstName),
		LastName:  strings.TrimSpace(in.LastName),
		Sex:       in.Sex,
		Contact:   in.Contact,
		Address:   in.Address,
	}
	switch {
	case p.FirstName == "" || p.LastName == "":
		return model.Patient{}, invalid("name", "first and last name are required")
	case p.Sex == "":
		p.Sex = model.SexUnknown
	case p.Sex != model.SexFemale && p.Sex != model.SexMale && p.Sex != model.SexOther && p.Sex != model.SexUnknown:
		return model.Patient{}, invalid("sex", "must be F, M, X or U")
	}
	dob, err := s.zone.ParseDate(in.DateOfBirth)
	if err != nil {
		return model.Patient{}, invalid("date_of_birth", "want YYYY-MM-DD")
	}
	if dob.After(s.clock.Now()) || timeutil.YearsBetween(dob, s.clock.Now()) > 125 {
		return model.Patient{}, invalid("date_of_birth", "not a plausible date of birth")
	}
	p.DateOfBirth = dob
	if err := validateContact(&p.Contact); err != nil {
		return model.Patient{}, err
	}
	if err := s.repo.Create(ctx, actor, &p); err != nil {
		return model.Patient{}, translate(err, "register patient")
	}
	return p, nil
}

// Get returns a patient, from the cache when it is fresh.
func (s *PatientService) Get(ctx context.Context, id int64) (model.Patient, error) {
	now := s.clock.Now()
	patientCacheMu.RLock()
	c, ok := patientCache[id]
	patientCacheMu.RUnlock()
	if ok && now.Sub(c.loaded) < patientCacheTTL {
		return c.patient, nil
	}
	p, err := s.repo.Get(ctx, id)
	if err != nil {
		return model.Patient{}, translate(err, fmt.Sprintf("patient %d", id))
	}
	patientCacheMu.Lock()
	patientCache[id] = cachedPatient{patient: p, loaded: now}
	patientCacheMu.Unlock()
	return p, nil
}

// RequireActive returns the patient if it exists and is active. The other
// services call it before they act for a patient.
func (s *PatientService) RequireActive(ctx context.Context, id int64) (model.Patient, error) {
	p, err := s.Get(ctx, id)
	if err != nil {
		return model.Patient{}, err
	}
	if !p.Active {
		return model.Patient{}, fmt.Errorf("patient %s: %w", p.MRN, ErrPatientInactive)
	}
	return p, nil
}

// Search finds patients by MRN, name or date of birth.
func (s *PatientService) Search(ctx context.Context, q model.PatientQuery) ([]model.Patient, error) {
	if q.MRN != "" && !mrnPattern.MatchString(strings.ToUpper(q.MRN)) {
		return nil, invalid("mrn", "not a medical record number")
	}
	if q.MRN == "" && len(strings.TrimSpace(q.Name)) < 2 && q.DOB.IsZero() {
		return nil, invalid("q", "give an MRN, a date of birth or at least two letters of the name")
	}
	ps, err := s.repo.Search(ctx, q)
	return ps, translate(err, "search patients")
}

// UpdateContact changes how to reach the patient.
func (s *PatientService) UpdateContact(ctx context.Context, actor model.Actor, id int64, c model.Contact, a model.Address) (model.Patient, error) {
	if err := validateContact(&c); err != nil {
		return model.Patient{}, err
	}
	if err := s.repo.UpdateContact(ctx, actor, id, c, a); err != nil {
		return model.Patient{}, translate(err, "update patient")
	}
	forgetPatient(id)
	return s.Get(ctx, id)
}

// Deactivate closes a patient's record (moved away, deceased, duplicate).
func (s *PatientService) Deactivate(ctx context.Context, actor model.Actor, id int64, reason string) error {
	if !actor.Role.Can(model.RoleAdmin) {
		return ErrForbidden
	}
	if strings.TrimSpace(reason) == "" {
		return invalid("reason", "required")
	}
	if err := s.repo.SetActive(ctx, actor, id, false, reason); err != nil {
		return translate(err, "deactivate patient")
	}
	forgetPatient(id)
	return nil
}

func validateContact(c *model.Contact) error {
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
	c.Phone = strings.ReplaceAll(strings.TrimSpace(c.Phone), " ", "")
	if c.Email != "" && !emailPattern.MatchString(c.Email) {
		return invalid("contact.email", "not an e-mail address")
	}
	if c.Phone != "" && !phonePattern.MatchString(c.Phone) {
		return invalid("contact.phone", "want E.164, e.g. +15551234567")
	}
	switch c.Preferred {
	case "":
		c.Preferred = model.ChannelNone
		if c.Phone != "" {
			c.Preferred = model.ChannelSMS
		} else if c.Email != "" {
			c.Preferred = model.ChannelEmail
		}
	case model.ChannelSMS:
		if c.Phone == "" {
			return invalid("contact.preferred", "sms needs a phone number")
		}
	case model.ChannelEmail:
		if c.Email == "" {
			return invalid("contact.preferred", "email needs an address")
		}
	case model.ChannelNone:
	default:
		return invalid("contact.preferred", "must be email, sms or none")
	}
	return nil
}

// Coverages lists the patient's insurance.
func (s *PatientService) Coverages(ctx context.Context, patientID int64) ([]model.Coverage, error) {
	cs, err := s.repo.Coverages(ctx, patientID)
	return cs, translate(err, "coverages")
}

// AddCoverage records an insurance policy.
func (s *PatientService) AddCoverage(ctx context.Context, actor model.Actor, c model.Coverage) (model.Coverage, error) {
	if _, err := s.RequireActive(ctx, c.PatientID); err != nil {
		return model.Coverage{}, err
	}
	if c.PayerID == "" || c.MemberID == "" {
		return model.Coverage{}, invalid("coverage", "payer_id and member_id are required")
	}
	if c.Relationship == "" {
		c.Relationship = "self"
	}
	if c.ValidFrom.IsZero() {
		c.ValidFrom = s.zone.StartOfDay(s.clock.Now())
	}
	if !c.ValidTo.IsZero() && c.ValidTo.Before(c.ValidFrom) {
		return model.Coverage{}, invalid("valid_to", "before valid_from")
	}
	if err := s.repo.AddCoverage(ctx, actor, &c); err != nil {
		return model.Coverage{}, translate(err, "add coverage")
	}
	return c, nil
}

// PrimaryCoverage returns the policy that pays first on day on.
func (s *PatientService) PrimaryCoverage(ctx context.Context, patientID int64, on time.Time) (model.Coverage, bool, error) {
	cs, err := s.Coverages(ctx, patientID)
	if err != nil {
		return model.Coverage{}, false, err
	}
	var fallback *model.Coverage
	for i, c := range cs {
		if !c.ActiveOn(on) {
			continue
		}
		if c.Primary {
			return c, true, nil
		}
		if fallback == nil {
			fallback = &cs[i]
		}
	}
	if fallback != nil {
		return *fallback, true, nil
	}
	return model.Coverage{}, false, nil
}

// Allergies lists the patient's allergies.
func (s *PatientService) Allergies(ctx context.Context, patientID int64) ([]model.Allergy, error) {
	as, err := s.repo.Allergies(ctx, patientID)
	return as, translate(err, "allergies")
}

// AddAllergy records an allergy.
func (s *PatientService) AddAllergy(ctx context.Context, actor model.Actor, a model.Allergy) (model.Allergy, error) {
	if !actor.Role.Can(model.RoleClinician, model.RoleFrontDesk) {
		return model.Allergy{}, ErrForbidden
	}
	a.Substance = strings.TrimSpace(a.Substance)
	if a.Substance == "" {
		return model.Allergy{}, invalid("substance", "required")
	}
	switch a.Severity {
	case "mild", "moderate", "severe":
	case "":
		a.Severity = "moderate"
	default:
		return model.Allergy{}, invalid("severity", "must be mild, moderate or severe")
	}
	if err := s.repo.AddAllergy(ctx, actor, &a); err != nil {
		return model.Allergy{}, translate(err, "add allergy")
	}
	return a, nil
}

// Notes returns the chart notes.
func (s *PatientService) Notes(ctx context.Context, patientID int64, page model.Page) ([]model.ClinicalNote, error) {
	ns, err := s.repo.Notes(ctx, patientID, page)
	return ns, translate(err, "notes")
}

// AddNote writes a chart note. Only clinicians write notes.
func (s *PatientService) AddNote(ctx context.Context, actor model.Actor, n model.ClinicalNote) (model.ClinicalNote, error) {
	if !actor.Role.Can(model.RoleClinician) {
		return model.ClinicalNote{}, ErrForbidden
	}
	if strings.TrimSpace(n.Body) == "" {
		return model.ClinicalNote{}, invalid("body", "empty note")
	}
	if _, err := s.Get(ctx, n.PatientID); err != nil {
		return model.ClinicalNote{}, err
	}
	if err := s.repo.AddNote(ctx, actor, &n); err != nil {
		return model.ClinicalNote{}, translate(err, "add note")
	}
	return n, nil
}

// History returns the audit trail of the patient's record.
func (s *PatientService) History(ctx context.Context, actor model.Actor, patientID int64, page model.Page) ([]model.AuditEntry, error) {
	if !actor.Role.Can(model.RoleAdmin) {
		return nil, ErrForbidden
	}
	es, err := s.audit.Trail(ctx, "patient", patientID, page)
	return es, translate(err, "patient history")
}
