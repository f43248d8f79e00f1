// Package checkout turns carts into orders and takes orders through their
// workflow: placing, paying, cancelling, and expiry of unpaid orders.
package checkout

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"example.com/shop/catalog"
	"example.com/shop/checkout/invoice"
	"example.com/shop/checkout/payment"
	"example.com/shop/money"
	"example.com/shop/notifications"
	"example.com/shop/shipping"
)

// OrderStatus is the state of an order.
type OrderStatus string

// The order states. Shipping moves paid orders on to shipped and
// delivered.
const (
	StatusPending   OrderStatus = "pending"
	StatusPaid      OrderStatus = "paid"
	StatusShipped   OrderStatus = "shipped"
	StatusDelivered OrderStatus = "delivered"
	StatusCancelled OrderStatus = "cancelled"
	StatusExpired   OrderStatus = "expired"
)

var (
	// ErrOrderNotFound is returned for an unknown order, or an order of
	// another customer.
	ErrOrderNotFound = errors.New("checkout: order not found")
	// ErrEmptyCart is returned when placing an order from an empty cart.
	ErrEmptyCart = errors.New("checkout: cart is empty")
	// ErrInvalidQuantity is returned for a cart quantity out of range.
	ErrInvalidQuantity = errors.New("checkout: invalid quantity")
	// ErrInvalidAddress is returned for an incomplete shipping address.
	ErrInvalidAddress = errors.New("checkout: invalid address")
	// ErrNotPayable is returned when paying an order that is not pending.
	ErrNotPayable = errors.New("checkout: order cannot be paid")
	// ErrNotCancellable is returned when cancelling a shipped order.
	ErrNotCancellable = errors.New("checkout: order cannot be cancelled")
	// ErrStatusConflict is returned when an order changed state
	// concurrently.
	ErrStatusConflict = errors.New("checkout: order status changed concurrently")
)

// Address is where an order is delivered.
type Address struct {
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
	Phone      string `json:"phone,omitempty"`
}

// Validate reports missing fields.
func (a Address) Validate() error {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"name", a.Name}, {"line1", a.Line1}, {"city", a.City},
		{"postal_code", a.PostalCode}, {"country", a.Country},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: missing %s", ErrInvalidAddress, strings.Join(missing, ", "))
	}
	if len(a.Country) != 2 {
		return fmt.Errorf("%w: country must be an ISO 3166 code", ErrInvalidAddress)
	}
	return nil
}

// Order is a customer's purchase.
type Order struct {
	ID           int64       `json:"id"`
	UserID       int64       `json:"user_id"`
	Email        string      `json:"email"`
	Status       OrderStatus `json:"status"`
	Items        []OrderItem `json:"items"`
	Address      Address     `json:"address"`
	WeightGrams  int         `json:"weight_grams"`
	Subtotal     money.Money `json:"subtotal"`
	Tax          money.Money `json:"tax"`
	ShippingCost money.Money `json:"shipping"`
	Total        money.Money `json:"total"`
	CreatedAt    time.Time   `json:"created_at"`
	PaidAt       time.Time   `json:"paid_at,omitempty"`
}

// OrderItem is an ordered quantity of a product at the price it was
// ordered at.
type OrderItem struct {
	ProductID int64       `json:"product_id"`
	SKU       string      `json:"sku"`
	Name      string      `json:"name"`
	Quantity  int         `json:"quantity"`
	UnitPrice money.Money `json:"unit_price"`
}

// Amount is the line total.
func (it OrderItem) Amount() money.Money { return it.UnitPrice.Mul(it.Quantity) }

// CartRepository persists carts.
type CartRepository interface {
	// Cart returns the user's cart, creating an empty one if needed.
	Cart(ctx context.Context, userID int64) (Cart, error)
	SetItem(ctx context.Context, cartID int64, item CartItem) error
	RemoveItem(ctx context.Context, cartID, productID int64) error
}

// OrderRepository persists orders.
type OrderRepository interface {
	// CreateFromCart stores o, copies the cart's items into it and empties
	// the cart, in one transaction.
	CreateFromCart(ctx context.Context, o *Order, cartID int64) error
	Order(ctx context.Context, id int64) (Order, error)
	// UpdateStatus moves an order from one state to another, or fails with
	// ErrStatusConflict if it is no longer in from.
	UpdateStatus(ctx context.Context, id int64, from, to OrderStatus, at time.Time) error
}

// PaymentRepository persists payments.
type PaymentRepository interface {
	Record(ctx context.Context, p *payment.Payment) error
	ByOrder(ctx context.Context, orderID int64) ([]payment.Payment, error)
}

// Deps are what a Service is built from.
type Deps struct {
	Carts    CartRepository
	Orders   OrderRepository
	Payments PaymentRepository
	Gateway  payment.Gateway
	Invoices *invoice.Writer

	Catalog       *catalog.Service
	Shipping      *shipping.Service
	Notifications *notifications.Service

	Currency   string
	VATPercent int64
	// StockHold is how long an unpaid order keeps its stock reserved.
	StockHold time.Duration
}

// Service implements checkout's use cases.
type Service struct {
	carts    CartRepository
	orders   OrderRepository
	payments PaymentRepository
	gateway  payment.Gateway
	invoices *invoice.Writer

	catalog  *catalog.Service
	shipping *shipping.Service
	notify   *notifications.Service

	currency   string
	vatPercent int64
	stockHold  time.Duration
	now        func() time.Time
}

// NewService returns a checkout service.
func NewService(d Deps) *Service {
	return &Service{
		carts:      d.Carts,
		orders:     d.Orders,
		payments:   d.Payments,
		gateway:    d.Gateway,
		invoices:   d.Invoices,
		catalog:    d.Catalog,
		shipping:   d.Shipping,
		notify:     d.Notifications,
		currency:   d.Currency,
		vatPercent: d.VATPercent,
		stockHold:  d.StockHold,
		now:        time.Now,
	}
}

// Order returns one of the user's orders.
func (s *Service) Order(ctx context.Context, id, userID int64) (Order, error) {
	o, err := s.orders.Order(ctx, id)
	if err != nil {
		return Order{}, err
	}
	if o.UserID != userID {
		return Order{}, ErrOrderNotFound
	}
	return o, nil
}

// Invoice returns the filed invoice of one of the user's paid orders.
func (s *Service) Invoice(ctx context.Context, id, userID int64) ([]byte, error) {
	if _, err := s.Order(ctx, id, userID); err != nil {
		return nil, err
	}
	return s.invoices.Read(id)
}

func stockLines(items []OrderItem) []catalog.Line {
	lines := make([]catalog.Line, len(items))
	for i, it := range items {
		lines[i] = catalog.Line{ProductID: it.ProductID, Quantity: it.Quantity}
	}
	return lines
}
