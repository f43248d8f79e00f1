// Package model holds the clinic's data types, shared by the API, the
// services and the repositories.
package model

import (
	"strings"
	"time"
)

// Address is a postal address.
type Address struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// Empty reports whether no part of the address is set.
func (a Address) Empty() bool {
	return a.Line1 == "" && a.City == "" && a.PostalCode == ""
}

// OneLine joins the address into one line for labels and claim files.
func (a Address) OneLine() string {
	parts := []string{a.Line1, a.Line2, a.City, strings.TrimSpace(a.State + " " + a.PostalCode), a.Country}
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

// Contact is how to reach a person.
type Contact struct {
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
	// Preferred is the channel the person asked to be reached on.
	Preferred Channel `json:"preferred"`
}

// Page selects a window of a list.
type Page struct {
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// Normalize bounds the page size.
func (p Page) Normalize() Page {
	if p.Limit <= 0 || p.Limit > 200 {
		p.Limit = 50
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}

// Actor is the staff member on whose behalf a change is made.
type Actor struct {
	StaffID int64  `json:"staff_id"`
	Role    Role   `json:"role"`
	Name    string `json:"name,omitempty"`
}

// Role is a staff role.
type Role string

// Staff roles.
const (
	RoleAdmin     Role = "admin"
	RoleFrontDesk Role = "frontdesk"
	RoleClinician Role = "clinician"
	RoleBilling   Role = "billing"
)

// Can reports whether the role is one of roles; admin can do anything.
func (r Role) Can(roles ...Role) bool {
	if r == RoleAdmin {
		return true
	}
	for _, x := range roles {
		if r == x {
			return true
		}
	}
	return false
}

// AuditEntry records who changed what.
type AuditEntry struct {
	ID       int64     `json:"id"`
	StaffID  int64     `json:"staff_id"`
	Entity   string    `json:"entity"`
	EntityID int64     `json:"entity_id"`
	Action   string    `json:"action"`
	Detail   string    `json:"detail,omitempty"`
	At       time.Time `json:"at"`
}
