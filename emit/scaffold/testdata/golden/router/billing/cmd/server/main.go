// Command server runs the billing service as a plain net/http server, for a
// serverless container runtime (Cloud Run, App Runner, ECS on Fargate; see the
// Dockerfile): every route, the remote API under /rpc/. It listens on $PORT
// (default 8080) and stops gracefully on SIGTERM. Queue consumers run as their
// Lambda functions, or from here with an SQS poller of your choice.
package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/tiny/services/billing"
)

func main() {
	if err := billing.Wire(); err != nil {
		log.Fatalf("wire: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	addr := ":8080"
	if port := os.Getenv("PORT"); port != "" {
		addr = ":" + port
	}
	srv := &http.Server{Addr: addr, Handler: billing.Routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			log.Printf("shutdown: %v", err)
		}
	}()
	log.Printf("billing: listening on %s", addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
