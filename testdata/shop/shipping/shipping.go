// Package shipping ships paid orders: it quotes shipping costs, books
// parcels with carriers and follows them until delivery.
package shipping

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"example.com/shop/money"
	"example.com/shop/notifications"
	"example.com/shop/shipping/carrier"
)

// Status is the state of a shipment.
type Status string

// The shipment states.
const (
	StatusPending      Status = "pending"
	StatusLabelCreated Status = "label_created"
	StatusInTransit    Status = "in_transit"
	StatusDelivered    Status = "delivered"
	StatusException    Status = "exception"
)

var (
	// ErrShipmentNotFound is returned for an unknown shipment.
	ErrShipmentNotFound = errors.New("shipping: shipment not found")
	// ErrNoQuote is returned when no carrier serves a destination.
	ErrNoQuote = errors.New("shipping: no carrier serves this destination")
	// ErrAlreadyDispatched is returned when dispatching a shipment twice.
	ErrAlreadyDispatched = errors.New("shipping: shipment already dispatched")
	// ErrOrderNotShippable is returned when dispatching a shipment whose
	// order is no longer paid, as after a cancellation.
	ErrOrderNotShippable = errors.New("shipping: order is not awaiting shipment")
	// ErrInvalidWeight is returned for a parcel without a positive weight.
	ErrInvalidWeight = errors.New("shipping: invalid parcel weight")
	// ErrUnsupportedCurrency is returned for quotes in a currency the
	// carrier tariffs are not kept in.
	ErrUnsupportedCurrency = errors.New("shipping: unsupported currency")
)

// tariffCurrency is the currency of the carrier tariffs.
const tariffCurrency = "EUR"

// Destination is the recipient of a shipment.
type Destination struct {
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
	Phone      string `json:"phone,omitempty"`
	Email      string `json:"email"`
}

// Request asks for a paid order to be shipped.
type Request struct {
	OrderID     int64
	Destination Destination
	WeightGrams int
	Currency    string
}

// Shipment is a parcel for one order.
type Shipment struct {
	ID             int64           `json:"id"`
	OrderID        int64           `json:"order_id"`
	Carrier        string          `json:"carrier"`
	Service        string          `json:"service"`
	TrackingNumber string          `json:"tracking_number,omitempty"`
	Status         Status          `json:"status"`
	Destination    Destination     `json:"destination"`
	WeightGrams    int             `json:"weight_grams"`
	Cost           money.Money     `json:"cost"`
	CreatedAt      time.Time       `json:"created_at"`
	ShippedAt      time.Time       `json:"shipped_at,omitempty"`
	DeliveredAt    time.Time       `json:"delivered_at,omitempty"`
	Events         []TrackingEvent `json:"events,omitempty"`
}

// TrackingEvent is a step of a parcel's journey.
type TrackingEvent struct {
	At          time.Time `json:"at"`
	Status      Status    `json:"status"`
	Location    string    `json:"location"`
	Description string    `json:"description"`
}

// Quote is the price of one way to ship a parcel.
type Quote struct {
	Carrier     string      `json:"carrier"`
	CarrierName string      `json:"carrier_name"`
	Service     string      `json:"service"`
	Price       money.Money `json:"price"`
	Days        int         `json:"days"`
}

// Repository persists shipments.
type Repository interface {
	Create(ctx context.Context, s *Shipment) error
	Shipment(ctx context.Context, id int64) (Shipment, error)
	ByOrder(ctx context.Context, orderID int64) (Shipment, error)
	InFlight(ctx context.Context, limit int) ([]Shipment, error)
	// MarkShipped records the tracking number and marks the shipment's
	// order as shipped.
	MarkShipped(ctx context.Context, id int64, trackingNumber string, at time.Time) error
	AddEvents(ctx context.Context, id int64, events []TrackingEvent, status Status) error
}

// Service implements shipping's use cases.
type Service struct {
	repo   Repository
	notify *notifications.Service
	now    func() time.Time
}

// NewService returns a shipping service.
func NewService(repo Repository, notify *notifications.Service) *Service {
	return &Service{repo: repo, notify: notify, now: time.Now}
}

// Quote returns every way to ship weightGrams to country, cheapest first.
func (s *Service) Quote(ctx context.Context, country string, weightGrams int, currency string) ([]Quote, error) {
	if currency != tariffCurrency {
		return nil, fmt.Errorf("%w: %s", ErrUnsupportedCurrency, currency)
	}
	if weightGrams <= 0 {
		return nil, fmt.Errorf("%w: %d g", ErrInvalidWeight, weightGrams)
	}
	var quotes []Quote
	for _, c := range carrier.All() {
		for _, r := range c.Rates(country, weightGrams) {
			quotes = append(quotes, Quote{
				Carrier:     r.Carrier,
				CarrierName: carrier.Name(r.Carrier),
				Service:     r.Service,
				Price:       money.New(r.Cents, tariffCurrency),
				Days:        r.Days,
			})
		}
	}
	if len(quotes) == 0 {
		return nil, ErrNoQuote
	}
	slices.SortStableFunc(quotes, func(a, b Quote) int {
		if a.Price.Amount != b.Price.Amount {
			return cmp.Compare(a.Price.Amount, b.Price.Amount)
		}
		return a.Days - b.Days
	})
	return quotes, nil
}

// CheapestQuote returns the lowest-priced way to ship a parcel.
func (s *Service) CheapestQuote(ctx context.Context, country string, weightGrams int, currency string) (Quote, error) {
	quotes, err := s.Quote(ctx, country, weightGrams, currency)
	if err != nil {
		return Quote{}, err
	}
	return quotes[0], nil
}

// CreateShipment registers a pending shipment for a paid order with the
// cheapest carrier serving its destination.
func (s *Service) CreateShipment(ctx context.Context, req Request) (Shipment, error) {
	q, err := s.CheapestQuote(ctx, req.Destination.Country, req.WeightGrams, req.Currency)
	if err != nil {
		return Shipment{}, err
	}
	sh := Shipment{
		OrderID:     req.OrderID,
		Carrier:     q.Carrier,
		Service:     q.Service,
		Status:      StatusPending,
		Destination: req.Destination,
		WeightGrams: req.WeightGrams,
		Cost:        q.Price,
		CreatedAt:   s.now(),
	}
	if err := s.repo.Create(ctx, &sh); err != nil {
		return Shipment{}, fmt.Errorf("shipping: create shipment for order %d: %w", req.OrderID, err)
	}
	return sh, nil
}

// Dispatch books a pending shipment with its carrier, marks the order as
// shipped and tells the customer.
func (s *Service) Dispatch(ctx context.Context, id int64) (Shipment, error) {
	sh, err := s.repo.Shipment(ctx, id)
	if err != nil {
		return Shipment{}, err
	}
	if sh.Status != StatusPending {
		return Shipment{}, ErrAlreadyDispatched
	}
	c, err := carrier.Lookup(sh.Carrier)
	if err != nil {
		return Shipment{}, err
	}
	label, err := c.CreateLabel(ctx, carrier.Parcel{
		Reference:   "order-" + strconv.FormatInt(sh.OrderID, 10),
		Service:     sh.Service,
		WeightGrams: sh.WeightGrams,
		Recipient:   parcelAddress(sh.Destination),
	})
	if err != nil {
		return Shipment{}, err
	}
	now := s.now()
	if err := s.repo.MarkShipped(ctx, sh.ID, label.TrackingNumber, now); err != nil {
		return Shipment{}, err
	}
	sh.TrackingNumber = label.TrackingNumber
	sh.Status = StatusLabelCreated
	sh.ShippedAt = now

	err = s.notify.OrderShipped(ctx, notifications.ShipmentNotice{
		OrderID:        sh.OrderID,
		Email:          sh.Destination.Email,
		Name:           sh.Destination.Name,
		Carrier:        carrier.Name(sh.Carrier),
		TrackingNumber: sh.TrackingNumber,
		TrackingURL:    c.TrackingURL(sh.TrackingNumber),
	})
	if err != nil && !errors.Is(err, notifications.ErrNoRecipient) {
		return sh, fmt.Errorf("shipping: notify shipment %d: %w", sh.ID, err)
	}
	return sh, nil
}

// Shipment returns a shipment with its tracking events.
func (s *Service) Shipment(ctx context.Context, id int64) (Shipment, error) {
	return s.repo.Shipment(ctx, id)
}

// ForOrder returns the shipment of an order.
func (s *Service) ForOrder(ctx context.Context, orderID int64) (Shipment, error) {
	return s.repo.ByOrder(ctx, orderID)
}

func parcelAddress(d Destination) carrier.Address {
	return carrier.Address{
		Name:       d.Name,
		Line1:      d.Line1,
		Line2:      d.Line2,
		City:       d.City,
		PostalCode: d.PostalCode,
		Country:    d.Country,
		Phone:      d.Phone,
	}
}
