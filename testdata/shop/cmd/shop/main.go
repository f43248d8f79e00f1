// Command shop runs the shop: its HTTP API and the background workers that
// follow parcels and deliver notifications.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/shop/catalog"
	"example.com/shop/checkout"
	"example.com/shop/checkout/invoice"
	"example.com/shop/checkout/payment"
	"example.com/shop/handlers"
	"example.com/shop/notifications"
	"example.com/shop/platform/config"
	"example.com/shop/platform/db"
	"example.com/shop/platform/log"
	"example.com/shop/shipping"
	"example.com/shop/store"
	"example.com/shop/users"
)

func main() {
	if err := run(); err != nil {
		slog.Error("shop stopped", "err", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log.Setup(os.Stderr, cfg.LogLevel, cfg.LogFormat)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := db.Connect(ctx, cfg.Database); err != nil {
		return err
	}
	defer db.Close()

	invoices, err := invoice.NewWriter(cfg.InvoiceDir)
	if err != nil {
		return err
	}

	notificationsSvc := notifications.NewService(store.OutboxStore{})
	catalogSvc := catalog.NewService(store.ProductStore{}, store.StockStore{}, cfg.Currency, cfg.CacheTTL)
	if err := catalogSvc.SyncCategories(ctx); err != nil {
		return fmt.Errorf("sync categories: %w", err)
	}
	shippingSvc := shipping.NewService(store.ShipmentStore{}, notificationsSvc)
	checkoutSvc := checkout.NewService(checkout.Deps{
		Carts:         store.CartStore{},
		Orders:        store.OrderStore{},
		Payments:      store.PaymentStore{},
		Gateway:       &payment.HTTPGateway{BaseURL: cfg.PaymentURL, APIKey: cfg.PaymentKey, Client: &http.Client{Timeout: 20 * time.Second}},
		Invoices:      invoices,
		Catalog:       catalogSvc,
		Shipping:      shippingSvc,
		Notifications: notificationsSvc,
		Currency:      cfg.Currency,
		VATPercent:    cfg.VATPercent,
		StockHold:     cfg.StockHold,
	})
	usersSvc := users.NewService(store.UserStore{}, store.SessionStore{}, cfg.SessionTTL)

	srv := handlers.NewServer(catalogSvc, checkoutSvc, shippingSvc, usersSvc, notificationsSvc, cfg.MinWriteInterval)
	mux := http.NewServeMux()
	routes(mux, srv)

	tracker := shipping.NewTracker(shippingSvc, cfg.TrackingInterval)
	go tracker.Run(ctx)
	relay := notifications.NewRelay(store.OutboxStore{}, cfg.OutboxInterval)
	go relay.Run(ctx)

	httpSrv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           handlers.Logging(srv.Throttle(mux)),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() {
		log.Info(ctx, "listening", "addr", cfg.Addr)
		errc <- httpSrv.ListenAndServe()
	}()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info(context.Background(), "shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// routes registers every endpoint of the API on mux.
func routes(mux *http.ServeMux, s *handlers.Server) {
	mux.HandleFunc("GET /healthz", handlers.Healthz)

	mux.HandleFunc("POST /signup", s.SignUp)
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		reply := func(status int, v any) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(v)
		}
		var req struct {
			Email    string `json:"email"`
			Password string `json:"password"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			reply(http.StatusBadRequest, map[string]string{"error": "invalid request body"})
			return
		}
		sess, u, err := s.Users.Login(r.Context(), req.Email, req.Password)
		switch {
		case errors.Is(err, users.ErrInvalidCredentials):
			reply(http.StatusUnauthorized, map[string]string{"error": err.Error()})
			return
		case err != nil:
			log.Error(r.Context(), "login", "err", err)
			reply(http.StatusInternalServerError, map[string]string{"error": "internal error"})
			return
		}
		handlers.SetSessionCookie(w, sess)
		reply(http.StatusOK, map[string]any{"user": u, "expires_at": sess.ExpiresAt})
	})
	mux.HandleFunc("POST /logout", s.Logout)
	mux.HandleFunc("GET /me", s.Me)

	mux.HandleFunc("GET /products", s.ListProducts)
	mux.HandleFunc("GET /products/{id}", s.GetProduct)
	mux.HandleFunc("GET /categories", s.ListCategories)
	mux.HandleFunc("GET /categories/{slug}/products", s.CategoryProducts)
	mux.HandleFunc("GET /search", s.SearchProducts)
	mux.HandleFunc("POST /admin/products", s.CreateProduct)
	mux.HandleFunc("PUT /admin/products/{id}/stock", s.SetStock)

	mux.HandleFunc("GET /cart", s.GetCart)
	mux.HandleFunc("POST /cart/items", s.AddCartItem)
	mux.HandleFunc("DELETE /cart/items/{productID}", s.RemoveCartItem)
	mux.HandleFunc("POST /orders", s.PlaceOrder)
	mux.HandleFunc("GET /orders/{id}", s.GetOrder)
	mux.HandleFunc("POST /orders/{id}/pay", s.PayOrder)
	mux.HandleFunc("POST /orders/{id}/cancel", s.CancelOrder)
	mux.HandleFunc("GET /orders/{id}/invoice", s.GetInvoice)
	mux.HandleFunc("GET /admin/stats", s.OrderStats)

	mux.HandleFunc("GET /shipping/quote", s.ShippingQuote)
	mux.HandleFunc("GET /orders/{id}/shipment", s.OrderShipment)
	mux.HandleFunc("POST /admin/shipments/{id}/dispatch", s.DispatchShipment)

	mux.HandleFunc("GET /admin/outbox", s.ListOutbox)
}
