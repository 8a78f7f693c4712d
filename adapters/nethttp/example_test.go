package nethttp_test

import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/ip"
)

// Serve HTTPS with HTTP/2, from certificate files, and stop gracefully on
// SIGTERM: open SSE streams are ended at once, other requests get
// ShutdownTimeout to finish.
func ExampleListenAndServe_tls() {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil })
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := nethttp.ListenAndServe(ctx, ":8443", nethttp.Handler(r), nethttp.Config{
		CertFile: "/etc/app/tls/fullchain.pem",
		KeyFile:  "/etc/app/tls/privkey.pem",
	})
	if err != nil {
		log.Fatal(err)
	}
}

// Serve on a Unix socket behind nginx. Only nginx's group may connect
// (0660), so the peer on the socket is a proxy to trust, and the client
// comes from the X-Forwarded-For that nginx appends to.
func ExampleListenAndServe_unixSocket() {
	res, err := ip.New(ip.TrustProxies("unix"), ip.FromXForwardedFor())
	if err != nil {
		log.Fatal(err)
	}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithResolver(res))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = nethttp.ListenAndServe(ctx, "unix:/run/app/app.sock", nethttp.Handler(r), nethttp.Config{SocketMode: 0o660})
	if err != nil {
		log.Fatal(err)
	}
}

// Serve cleartext HTTP/2 (h2c) to a proxy that speaks it with prior
// knowledge, such as Envoy or Cloud Run, and HTTP/1.1 to everyone else.
func ExampleListenAndServe_h2c() {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil })
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := nethttp.ListenAndServe(ctx, ":8080", nethttp.Handler(r), nethttp.Config{H2C: true}); err != nil {
		log.Fatal(err)
	}
}
