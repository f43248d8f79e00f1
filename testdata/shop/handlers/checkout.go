package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"example.com/shop/catalog"
	"example.com/shop/checkout"
	"example.com/shop/checkout/invoice"
	"example.com/shop/checkout/payment"
	"example.com/shop/money"
	"example.com/shop/shipping"
)

type cartResponse struct {
	checkout.Cart
	Subtotal money.Money `json:"subtotal"`
}

// GetCart returns the caller's cart.
func (s *Server) GetCart(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	cart, err := s.Checkout.Cart(r.Context(), u.ID)
	if err != nil {
		fail(w, r, checkoutStatus(err), err)
		return
	}
	writeCart(w, r, cart)
}

type addItemRequest struct {
	ProductID int64 `json:"product_id"`
	Quantity  int   `json:"quantity"`
}

// AddCartItem puts a product into the caller's cart.
func (s *Server) AddCartItem(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	var req addItemRequest
	if err := decode(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	cart, err := s.Checkout.AddToCart(r.Context(), u.ID, req.ProductID, req.Quantity)
	if err != nil {
		fail(w, r, checkoutStatus(err), err)
		return
	}
	writeCart(w, r, cart)
}

// RemoveCartItem takes a product out of the caller's cart.
func (s *Server) RemoveCartItem(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	productID, err := pathID(r, "productID")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	cart, err := s.Checkout.RemoveFromCart(r.Context(), u.ID, productID)
	if err != nil {
		fail(w, r, checkoutStatus(err), err)
		return
	}
	writeCart(w, r, cart)
}

func writeCart(w http.ResponseWriter, r *http.Request, cart checkout.Cart) {
	subtotal, err := cart.Subtotal()
	if err != nil {
		fail(w, r, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, cartResponse{Cart: cart, Subtotal: subtotal})
}

type placeOrderRequest struct {
	Address checkout.Address `json:"address"`
}

// PlaceOrder turns the caller's cart into an order awaiting payment.
func (s *Server) PlaceOrder(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	var req placeOrderRequest
	if err := decode(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	order, err := s.Checkout.PlaceOrder(r.Context(), checkout.PlaceOrderRequest{
		UserID:  u.ID,
		Email:   u.Email,
		Address: req.Address,
	})
	if err != nil {
		fail(w, r, checkoutStatus(err), err)
		return
	}
	w.Header().Set("Location", "/orders/"+strconv.FormatInt(order.ID, 10))
	writeJSON(w, http.StatusCreated, order)
}

// GetOrder returns one of the caller's orders.
func (s *Server) GetOrder(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	order, err := s.Checkout.Order(r.Context(), id, u.ID)
	if err != nil {
		fail(w, r, checkoutStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, order)
}

type payRequest struct {
	Card payment.Card `json:"card"`
}

// PayOrder charges the caller's card for a pending order.
func (s *Server) PayOrder(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var req payRequest
	if err := decode(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	order, err := s.Checkout.Pay(r.Context(), id, u.ID, req.Card)
	if err != nil {
		fail(w, r, checkoutStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, order)
}

// CancelOrder cancels one of the caller's orders.
func (s *Server) CancelOrder(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	order, err := s.Checkout.Cancel(r.Context(), id, u.ID)
	if err != nil {
		fail(w, r, checkoutStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, order)
}

// GetInvoice returns the invoice of one of the caller's paid orders as
// plain text.
func (s *Server) GetInvoice(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	doc, err := s.Checkout.Invoice(r.Context(), id, u.ID)
	if err != nil {
		fail(w, r, checkoutStatus(err), err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", "inline; filename=invoice-"+strconv.FormatInt(id, 10)+".txt")
	w.Write(doc)
}

// OrderStats reports back-office counters.
func (s *Server) OrderStats(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"orders_placed": checkout.OrdersPlaced()})
}

func checkoutStatus(err error) int {
	switch {
	case errors.Is(err, checkout.ErrOrderNotFound), errors.Is(err, catalog.ErrProductNotFound),
		errors.Is(err, invoice.ErrNoInvoice):
		return http.StatusNotFound
	case errors.Is(err, checkout.ErrEmptyCart), errors.Is(err, checkout.ErrInvalidQuantity),
		errors.Is(err, checkout.ErrInvalidAddress), errors.Is(err, payment.ErrInvalidCard),
		errors.Is(err, shipping.ErrNoQuote):
		return http.StatusUnprocessableEntity
	case errors.Is(err, payment.ErrDeclined):
		return http.StatusPaymentRequired
	case errors.Is(err, checkout.ErrNotPayable), errors.Is(err, checkout.ErrNotCancellable),
		errors.Is(err, checkout.ErrStatusConflict), errors.Is(err, catalog.ErrInsufficientStock):
		return http.StatusConflict
	default:
		return http.StatusInternalServerError
	}
}
