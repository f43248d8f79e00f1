package handlers

import (
	"errors"
	"net/http"
	"strings"

	"example.com/shop/checkout"
	"example.com/shop/shipping"
	"example.com/shop/shipping/carrier"
)

// ShippingQuote prices a parcel: GET /shipping/quote?country=DE&weight=1200.
func (s *Server) ShippingQuote(w http.ResponseWriter, r *http.Request) {
	country := strings.ToUpper(r.URL.Query().Get("country"))
	if len(country) != 2 {
		writeError(w, http.StatusBadRequest, "country must be an ISO 3166 code")
		return
	}
	weight, err := queryInt(r, "weight", 0)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	currency := strings.ToUpper(r.URL.Query().Get("currency"))
	if currency == "" {
		currency = "EUR"
	}
	quotes, err := s.Shipping.Quote(r.Context(), country, weight, currency)
	if err != nil {
		fail(w, r, shippingStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, quotes)
}

// OrderShipment returns the shipment of one of the caller's orders.
func (s *Server) OrderShipment(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if _, err := s.Checkout.Order(r.Context(), id, u.ID); err != nil {
		if errors.Is(err, checkout.ErrOrderNotFound) {
			writeError(w, http.StatusNotFound, err.Error())
			return
		}
		fail(w, r, http.StatusInternalServerError, err)
		return
	}
	sh, err := s.Shipping.ForOrder(r.Context(), id)
	if err != nil {
		fail(w, r, shippingStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, sh)
}

// DispatchShipment books a packed parcel with its carrier and marks the
// order shipped.
func (s *Server) DispatchShipment(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	sh, err := s.Shipping.Dispatch(r.Context(), id)
	if err != nil {
		fail(w, r, shippingStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, sh)
}

func shippingStatus(err error) int {
	switch {
	case errors.Is(err, shipping.ErrShipmentNotFound):
		return http.StatusNotFound
	case errors.Is(err, shipping.ErrNoQuote), errors.Is(err, shipping.ErrUnsupportedCurrency),
		errors.Is(err, shipping.ErrInvalidWeight):
		return http.StatusUnprocessableEntity
	case errors.Is(err, shipping.ErrAlreadyDispatched), errors.Is(err, shipping.ErrOrderNotShippable):
		return http.StatusConflict
	case errors.Is(err, carrier.ErrTrackingNotFound):
		return http.StatusBadGateway
	default:
		return http.StatusInternalServerError
	}
}
