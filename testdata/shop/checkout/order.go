package checkout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"example.com/shop/checkout/invoice"
	"example.com/shop/checkout/payment"
	"example.com/shop/money"
	"example.com/shop/notifications"
	"example.com/shop/platform/log"
	"example.com/shop/shipping"
)

// ordersPlaced counts the orders placed since the process started, for the
// back-office statistics.
var ordersPlaced atomic.Int64

// OrdersPlaced returns the number of orders placed since start-up.
func OrdersPlaced() int64 { return ordersPlaced.Load() }

// PlaceOrderRequest is a customer's request to buy the contents of their
// cart.
type PlaceOrderRequest struct {
	UserID  int64
	Email   string
	Address Address
}

// PlaceOrder turns the user's cart into a pending order: it reprices the
// cart, reserves stock, quotes shipping and computes tax. The stock stays
// reserved for the configured hold; an order still unpaid by then expires.
func (s *Service) PlaceOrder(ctx context.Context, req PlaceOrderRequest) (Order, error) {
	req.Address.Country = strings.ToUpper(req.Address.Country)
	if err := req.Address.Validate(); err != nil {
		return Order{}, err
	}
	cart, err := s.carts.Cart(ctx, req.UserID)
	if err != nil {
		return Order{}, err
	}
	if len(cart.Items) == 0 {
		return Order{}, ErrEmptyCart
	}
	items, weight, err := s.reprice(ctx, cart)
	if err != nil {
		return Order{}, err
	}
	if err := s.catalog.Reserve(ctx, stockLines(items)); err != nil {
		return Order{}, err
	}
	order, err := s.createOrder(ctx, req, cart.ID, items, weight)
	if err != nil {
		if relErr := s.catalog.Release(ctx, stockLines(items)); relErr != nil {
			err = errors.Join(err, relErr)
		}
		return Order{}, err
	}
	ordersPlaced.Add(1)
	s.holdStock(order.ID)
	log.Info(ctx, "order placed", "order", order.ID, "total", order.Total.String())
	return order, nil
}

func (s *Service) createOrder(ctx context.Context, req PlaceOrderRequest, cartID int64, items []OrderItem, weight int) (Order, error) {
	subtotal := money.Zero(s.currency)
	for _, it := range items {
		var err error
		if subtotal, err = subtotal.Add(it.Amount()); err != nil {
			return Order{}, err
		}
	}
	quote, err := s.shipping.CheapestQuote(ctx, req.Address.Country, weight, s.currency)
	if err != nil {
		return Order{}, err
	}
	tax := subtotal.Percent(s.vatPercent)
	total, err := money.Sum(s.currency, subtotal, tax, quote.Price)
	if err != nil {
		return Order{}, err
	}
	order := Order{
		UserID:       req.UserID,
		Email:        req.Email,
		Status:       StatusPending,
		Items:        items,
		Address:      req.Address,
		WeightGrams:  weight,
		Subtotal:     subtotal,
		Tax:          tax,
		ShippingCost: quote.Price,
		Total:        total,
		CreatedAt:    s.now(),
	}
	if err := s.orders.CreateFromCart(ctx, &order, cartID); err != nil {
		return Order{}, fmt.Errorf("checkout: create order: %w", err)
	}
	return order, nil
}

// holdStock arranges for the order to expire, and its stock to be
// released, if it is still unpaid when the hold runs out.
func (s *Service) holdStock(orderID int64) {
	time.AfterFunc(s.stockHold, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := s.expire(ctx, orderID)
		switch {
		case errors.Is(err, ErrStatusConflict):
			// Paid or cancelled in the meantime.
		case err != nil:
			log.Error(ctx, "expire unpaid order", "order", orderID, "err", err)
		default:
			log.Info(ctx, "unpaid order expired", "order", orderID)
		}
	})
}

func (s *Service) expire(ctx context.Context, orderID int64) error {
	order, err := s.orders.Order(ctx, orderID)
	if err != nil {
		return err
	}
	if err := s.orders.UpdateStatus(ctx, orderID, StatusPending, StatusExpired, s.now()); err != nil {
		return err
	}
	return s.catalog.Release(ctx, stockLines(order.Items))
}

// Pay charges the card for a pending order. A paid order gets an invoice
// and a shipment, and the customer a confirmation.
func (s *Service) Pay(ctx context.Context, orderID, userID int64, card payment.Card) (Order, error) {
	order, err := s.Order(ctx, orderID, userID)
	if err != nil {
		return Order{}, err
	}
	if order.Status != StatusPending {
		return Order{}, fmt.Errorf("%w: order is %s", ErrNotPayable, order.Status)
	}
	if err := payment.ValidateCard(card, s.now()); err != nil {
		return Order{}, err
	}
	p, err := s.gateway.Charge(ctx, payment.ChargeRequest{
		OrderID:        order.ID,
		Amount:         order.Total,
		Card:           card,
		IdempotencyKey: fmt.Sprintf("order-%d-charge", order.ID),
	})
	if errors.Is(err, payment.ErrDeclined) {
		if recErr := s.payments.Record(ctx, &p); recErr != nil {
			return Order{}, errors.Join(err, recErr)
		}
		return Order{}, err
	}
	if err != nil {
		return Order{}, err
	}
	if err := s.payments.Record(ctx, &p); err != nil {
		return Order{}, err
	}
	now := s.now()
	if err := s.orders.UpdateStatus(ctx, order.ID, StatusPending, StatusPaid, now); err != nil {
		// The order expired or was cancelled while the card was charged.
		if _, refundErr := s.refund(ctx, p); refundErr != nil {
			err = errors.Join(err, refundErr)
		}
		return Order{}, err
	}
	order.Status = StatusPaid
	order.PaidAt = now

	if _, err := s.invoices.Write(invoiceFor(order, s.vatPercent)); err != nil {
		log.Error(ctx, "write invoice", "order", order.ID, "err", err)
	}
	if _, err := s.shipping.CreateShipment(ctx, shipmentRequest(order)); err != nil {
		log.Error(ctx, "create shipment for paid order", "order", order.ID, "err", err)
	}
	go s.sendConfirmation(order)
	return order, nil
}

// sendConfirmation queues the order confirmation. It runs after the
// payment request has been answered.
func (s *Service) sendConfirmation(order Order) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := notifications.OrderConfirmation{
		OrderID: order.ID,
		Email:   order.Email,
		Name:    order.Address.Name,
		Total:   order.Total.String(),
	}
	for _, it := range order.Items {
		c.Lines = append(c.Lines, notifications.ConfirmationLine{
			Name:     it.Name,
			Quantity: it.Quantity,
			Amount:   it.Amount().String(),
		})
	}
	if err := s.notify.OrderConfirmed(ctx, c); err != nil {
		log.Error(ctx, "queue order confirmation", "order", order.ID, "err", err)
	}
}

// Cancel cancels a pending or paid order, refunding what was captured and
// releasing its stock.
func (s *Service) Cancel(ctx context.Context, orderID, userID int64) (Order, error) {
	order, err := s.Order(ctx, orderID, userID)
	if err != nil {
		return Order{}, err
	}
	switch order.Status {
	case StatusPending:
	case StatusPaid:
		if err := s.refundAll(ctx, order.ID); err != nil {
			return Order{}, err
		}
	default:
		return Order{}, fmt.Errorf("%w: order is %s", ErrNotCancellable, order.Status)
	}
	if err := s.orders.UpdateStatus(ctx, order.ID, order.Status, StatusCancelled, s.now()); err != nil {
		return Order{}, err
	}
	order.Status = StatusCancelled
	if err := s.catalog.Release(ctx, stockLines(order.Items)); err != nil {
		log.Error(ctx, "release stock of cancelled order", "order", order.ID, "err", err)
	}
	return order, nil
}

func (s *Service) refundAll(ctx context.Context, orderID int64) error {
	payments, err := s.payments.ByOrder(ctx, orderID)
	if err != nil {
		return err
	}
	refunded := make(map[string]bool)
	for _, p := range payments {
		if p.Status == payment.StatusRefunded {
			refunded[p.Reference] = true
		}
	}
	for _, p := range payments {
		if p.Status != payment.StatusCaptured || refunded[p.Reference] {
			continue
		}
		if _, err := s.refund(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) refund(ctx context.Context, captured payment.Payment) (payment.Payment, error) {
	r, err := s.gateway.Refund(ctx, captured)
	if err != nil {
		return payment.Payment{}, fmt.Errorf("checkout: refund %s: %w", captured.Reference, err)
	}
	if err := s.payments.Record(ctx, &r); err != nil {
		return payment.Payment{}, err
	}
	return r, nil
}

func invoiceFor(o Order, vatPercent int64) invoice.Document {
	doc := invoice.Document{
		OrderID:  o.ID,
		IssuedAt: o.PaidAt,
		BillTo: []string{
			o.Address.Name,
			o.Address.Line1,
			strings.TrimSpace(o.Address.PostalCode + " " + o.Address.City),
			o.Address.Country,
		},
		Subtotal: o.Subtotal,
		Tax:      o.Tax,
		TaxRate:  vatPercent,
		Shipping: o.ShippingCost,
		Total:    o.Total,
	}
	if o.Address.Line2 != "" {
		doc.BillTo = slices.Insert(doc.BillTo, 2, o.Address.Line2)
	}
	for _, it := range o.Items {
		doc.Lines = append(doc.Lines, invoice.Line{
			Description: fmt.Sprintf("%s (%s)", it.Name, it.SKU),
			Quantity:    it.Quantity,
			UnitPrice:   it.UnitPrice,
			Amount:      it.Amount(),
		})
	}
	return doc
}

func shipmentRequest(o Order) shipping.Request {
	return shipping.Request{
		OrderID:     o.ID,
		WeightGrams: o.WeightGrams,
		Currency:    o.Total.Currency,
		Destination: shipping.Destination{
			Name:       o.Address.Name,
			Line1:      o.Address.Line1,
			Line2:      o.Address.Line2,
			City:       o.Address.City,
			PostalCode: o.Address.PostalCode,
			Country:    o.Address.Country,
			Phone:      o.Address.Phone,
			Email:      o.Email,
		},
	}
}
