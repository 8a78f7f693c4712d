// Command hello serves the example users API (package api) on net/http,
// and stops cleanly on Ctrl-C or SIGTERM.
//
//	go run ./examples/hello
//	curl localhost:8080/v1/users/1
//	curl -X POST localhost:8080/v1/users -H 'Content-Type: application/json' -d '{"name":"Bob","email":"bob@example.com"}'
//	curl localhost:8080/v1/me -H 'Authorization: Bearer secret-ada'
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/examples/hello/api"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger.Info("listening", "addr", "http://"+*addr)
	if err := nethttp.ListenAndServe(ctx, *addr, nethttp.Handler(api.Routes(api.NewStore(), logger)), nethttp.Config{}); err != nil {
		logger.Error("server stopped", "error", err)
		os.Exit(1)
	}
	logger.Info("stopped")
}
