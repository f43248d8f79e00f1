// Command loadgen drives the example shop's HTTP routes on the loopback
// interface and records what a team would read from production: a CPU
// profile of the shop (cpu.pprof) and a traffic file of the requests it
// served (traffic.yaml), for `decompose analyze --profile --traffic`.
//
//	cd testdata/shop
//	go run ./testdata/loadgen -out /tmp/shop-load            # 3 s, at most 1500 requests
//	go run ./testdata/loadgen -out /tmp/shop-load -duration 10s -requests 5000 -rate 400
//
// It adds nothing to the shop: it lives in a testdata folder, which the
// go command's ./... leaves out, so the analyzed monolith is the same with
// or without it. It runs twice: the second process (started with
// LOADGEN_SERVE set) is the shop server, wired from the shop's own
// packages the way cmd/shop wires them, with a fake database driver in
// place of PostgreSQL and without the two background workers (they would
// only poll the fake database); it profiles itself with runtime/pprof from
// start-up to the end. The first process is the client, so that its own
// work (building requests, reading answers) stays out of the profile.
//
// The client sends requests at -rate per second in a fixed mix that makes
// the catalog busy (half of the requests are searches, which rank 200
// products each), until -requests are sent or -duration has passed,
// whichever is first. The traffic file counts the requests each route
// answered over the time the run took. The POST /login route is not
// driven: its handler is a closure inside cmd/shop's route table, which
// no other program can register.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
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
	var err error
	if os.Getenv("LOADGEN_SERVE") != "" {
		err = serveShop(os.Getenv("LOADGEN_SERVE"))
	} else {
		err = drive()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// route is one kind of request of the mix.
type route struct {
	method, pattern string // as the shop registers it: the traffic file's key
	weight          int    // out of 100
	path            func(r *rand.Rand) string
	auth            bool
}

var searches = []string{"linen shirt", "wool", "travel mug", "leather boot instock", "silk tie", "garden", "oak table lamp", "rain coat"}

var mix = []route{
	{"GET", "/search", 50, func(r *rand.Rand) string {
		return "/search?q=" + strings.ReplaceAll(searches[r.Intn(len(searches))], " ", "+")
	}, false},
	{"GET", "/products", 8, func(*rand.Rand) string { return "/products?limit=50" }, false},
	{"GET", "/products/{id}", 8, func(r *rand.Rand) string { return fmt.Sprintf("/products/%d", 1+r.Intn(200)) }, false},
	{"GET", "/categories", 4, func(*rand.Rand) string { return "/categories" }, false},
	{"GET", "/shipping/quote", 12, func(r *rand.Rand) string {
		return fmt.Sprintf("/shipping/quote?country=%s&weight=%d", []string{"DE", "FR", "NL", "US"}[r.Intn(4)], 200+r.Intn(5000))
	}, false},
	{"GET", "/me", 10, func(*rand.Rand) string { return "/me" }, true},
	{"GET", "/cart", 6, func(*rand.Rand) string { return "/cart" }, true},
	{"GET", "/healthz", 2, func(*rand.Rand) string { return "/healthz" }, false},
}

func drive() error {
	out := flag.String("out", "", "write cpu.pprof and traffic.yaml into `DIR` (created if missing)")
	duration := flag.Duration("duration", 3*time.Second, "stop sending after this long")
	requests := flag.Int("requests", 1500, "stop after this many requests")
	rate := flag.Float64("rate", 250, "requests per second")
	workers := flag.Int("concurrency", 8, "requests in flight at most")
	flag.Parse()
	switch {
	case *out == "":
		return errors.New("-out DIR is required")
	case *duration <= 0 || *duration > 10*time.Minute:
		return errors.New("-duration must be positive and at most 10m")
	case *requests <= 0 || *rate <= 0 || *workers <= 0:
		return errors.New("-requests, -rate and -concurrency must be positive")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	profile, err := filepath.Abs(filepath.Join(*out, "cpu.pprof"))
	if err != nil {
		return err
	}

	// the server: this program again
	self, err := os.Executable()
	if err != nil {
		return err
	}
	invoices, err := os.MkdirTemp("", "loadgen-invoices")
	if err != nil {
		return err
	}
	defer os.RemoveAll(invoices)
	srv := exec.Command(self)
	srv.Env = append(os.Environ(), "LOADGEN_SERVE="+profile, "SHOP_DB_DRIVER=loadgen-fake", "SHOP_DB_DSN=fake",
		"SHOP_ADDR=127.0.0.1:0", "SHOP_INVOICE_DIR="+invoices, "SHOP_MIN_WRITE_INTERVAL=1ns")
	srv.Stderr = os.Stderr
	stop, err := srv.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := srv.StdoutPipe()
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return err
	}
	defer srv.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		return fmt.Errorf("the shop did not start (%q, %v)", line, err)
	}

	counts, errs, took := send("http://"+addr, *duration, *requests, *rate, *workers)

	stop.Close() // the server writes its profile and exits
	if err := srv.Wait(); err != nil {
		return fmt.Errorf("the shop: %v", err)
	}
	if err := writeTraffic(filepath.Join(*out, "traffic.yaml"), counts, took); err != nil {
		return err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	fmt.Printf("%d requests in %s (%d failed); wrote %s and %s\n", total, took.Round(time.Millisecond), errs,
		profile, filepath.Join(*out, "traffic.yaml"))
	if errs > 0 {
		return fmt.Errorf("%d requests failed", errs)
	}
	return nil
}

// send paces requests at rate until n are sent or d has passed, and
// counts the answered ones by route.
func send(base string, d time.Duration, n int, rate float64, workers int) (counts map[string]int, failed int, took time.Duration) {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	type job struct {
		rt   *route
		path string
	}
	jobs := make(chan job)
	counts = map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				req, _ := http.NewRequest(j.rt.method, base+j.path, nil)
				if j.rt.auth {
					req.Header.Set("Authorization", "Bearer loadgen-session")
				}
				ok := false
				if resp, err := client.Do(req); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					ok = resp.StatusCode == http.StatusOK
				}
				mu.Lock()
				if ok {
					counts[j.rt.method+" "+j.rt.pattern]++
				} else {
					failed++
				}
				mu.Unlock()
			}
		}()
	}
	r := rand.New(rand.NewSource(1))
	start := time.Now()
	deadline := start.Add(d)
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if at.After(deadline) {
			break
		}
		time.Sleep(time.Until(at))
		pick := r.Intn(100)
		for k := range mix {
			if pick < mix[k].weight {
				jobs <- job{&mix[k], mix[k].path(r)}
				break
			}
			pick -= mix[k].weight
		}
	}
	close(jobs)
	wg.Wait()
	return counts, failed, time.Since(start)
}

// writeTraffic writes the counts as a traffic file over the run's time.
func writeTraffic(path string, counts map[string]int, took time.Duration) error {
	var keys []string
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "# requests the shop answered during one run of testdata/loadgen\nperiod: %s\nroutes:\n", took.Round(time.Millisecond))
	for _, k := range keys {
		fmt.Fprintf(&b, "  - route: %s\n    requests: %d\n", k, counts[k])
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// serveShop is the shop's server as cmd/shop's run wires it, profiled
// into profile until its standard input closes.
func serveShop(profile string) error {
	f, err := os.Create(profile)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}

	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log.Setup(io.Discard, cfg.LogLevel, cfg.LogFormat)
	ctx := context.Background()
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
		return err
	}
	shippingSvc := shipping.NewService(store.ShipmentStore{}, notificationsSvc)
	checkoutSvc := checkout.NewService(checkout.Deps{
		Carts: store.CartStore{}, Orders: store.OrderStore{}, Payments: store.PaymentStore{},
		Gateway:  &payment.HTTPGateway{BaseURL: cfg.PaymentURL, APIKey: cfg.PaymentKey, Client: &http.Client{Timeout: 20 * time.Second}},
		Invoices: invoices, Catalog: catalogSvc, Shipping: shippingSvc, Notifications: notificationsSvc,
		Currency: cfg.Currency, VATPercent: cfg.VATPercent, StockHold: cfg.StockHold,
	})
	usersSvc := users.NewService(store.UserStore{}, store.SessionStore{}, cfg.SessionTTL)
	s := handlers.NewServer(catalogSvc, checkoutSvc, shippingSvc, usersSvc, notificationsSvc, cfg.MinWriteInterval)

	// cmd/shop's route table, but for POST /login
	mux := http.NewServeMux()
	for pattern, h := range map[string]http.HandlerFunc{
		"GET /healthz": handlers.Healthz, "POST /signup": s.SignUp, "POST /logout": s.Logout, "GET /me": s.Me,
		"GET /products": s.ListProducts, "GET /products/{id}": s.GetProduct, "GET /categories": s.ListCategories,
		"GET /categories/{slug}/products": s.CategoryProducts, "GET /search": s.SearchProducts,
		"POST /admin/products": s.CreateProduct, "PUT /admin/products/{id}/stock": s.SetStock,
		"GET /cart": s.GetCart, "POST /cart/items": s.AddCartItem, "DELETE /cart/items/{productID}": s.RemoveCartItem,
		"POST /orders": s.PlaceOrder, "GET /orders/{id}": s.GetOrder, "POST /orders/{id}/pay": s.PayOrder,
		"POST /orders/{id}/cancel": s.CancelOrder, "GET /orders/{id}/invoice": s.GetInvoice, "GET /admin/stats": s.OrderStats,
		"GET /shipping/quote": s.ShippingQuote, "GET /orders/{id}/shipment": s.OrderShipment,
		"POST /admin/shipments/{id}/dispatch": s.DispatchShipment, "GET /admin/outbox": s.ListOutbox,
	} {
		mux.HandleFunc(pattern, h)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{Handler: handlers.Logging(s.Throttle(mux)), ReadHeaderTimeout: 5 * time.Second}
	go httpSrv.Serve(ln)
	fmt.Printf("listening %s\n", ln.Addr())

	io.Copy(io.Discard, os.Stdin) // until the client is done
	httpSrv.Close()
	pprof.StopCPUProfile()
	return f.Close()
}
