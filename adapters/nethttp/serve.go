package nethttp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/kaito-go/kaito/internal/graceful"
)

// Config sets the limits of a server made by NewServer, Serve or
// ListenAndServe. A zero field takes its default; a negative one is an error.
type Config struct {
	// ReadHeaderTimeout bounds reading the request line and headers, so
	// that a client sending them a byte at a time is cut off. Default 10s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included. Default 60s.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response; streams (SSE) are exempt.
	// Default 60s.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long. Default 120s.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers. Default 64 KiB.
	MaxHeaderBytes int
	// ShutdownTimeout is how long in-flight requests get to finish once the
	// context is cancelled; then connections are closed. Default 10s.
	ShutdownTimeout time.Duration
}

// Defaults are the limits a zero Config field takes.
var Defaults = Config{
	ReadHeaderTimeout: 10 * time.Second,
	ReadTimeout:       60 * time.Second,
	WriteTimeout:      60 * time.Second,
	IdleTimeout:       120 * time.Second,
	MaxHeaderBytes:    64 << 10,
	ShutdownTimeout:   10 * time.Second,
}

func (c Config) withDefaults() (Config, error) {
	if c.ReadHeaderTimeout < 0 || c.ReadTimeout < 0 || c.WriteTimeout < 0 || c.IdleTimeout < 0 || c.MaxHeaderBytes < 0 || c.ShutdownTimeout < 0 {
		return c, fmt.Errorf("nethttp: negative limit in %+v", c)
	}
	d := Defaults
	d.ReadHeaderTimeout = cmp.Or(c.ReadHeaderTimeout, d.ReadHeaderTimeout)
	d.ReadTimeout = cmp.Or(c.ReadTimeout, d.ReadTimeout)
	d.WriteTimeout = cmp.Or(c.WriteTimeout, d.WriteTimeout)
	d.IdleTimeout = cmp.Or(c.IdleTimeout, d.IdleTimeout)
	d.MaxHeaderBytes = cmp.Or(c.MaxHeaderBytes, d.MaxHeaderBytes)
	d.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, d.ShutdownTimeout)
	return d, nil
}

// NewServer returns an http.Server for h with cfg's limits, for callers
// that need to set more (TLS, say) before serving.
func NewServer(h http.Handler, cfg Config) (*http.Server, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return newServer(h, c), nil
}

// newServer builds the server for a Config with its defaults applied.
func newServer(h http.Handler, c Config) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
		MaxHeaderBytes:    c.MaxHeaderBytes,
	}
}

// ListenAndServe listens on the TCP address addr and serves h until ctx is
// cancelled, then shuts down gracefully (see Serve).
func ListenAndServe(ctx context.Context, addr string, h http.Handler, cfg Config) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return Serve(ctx, ln, h, cfg)
}

// Serve serves h on ln until ctx is cancelled. Then it stops accepting
// connections, lets in-flight requests finish for up to
// cfg.ShutdownTimeout, closes what is left, and returns nil, or an error
// saying that requests still running at the deadline were cut off. It returns
// early with the error if serving fails.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, cfg Config) error {
	c, err := cfg.withDefaults()
	if err != nil {
		ln.Close()
		return err
	}
	srv := newServer(h, c)
	return graceful.Run(ctx, graceful.Server{
		Serve:    func() error { return srv.Serve(ln) },
		Shutdown: srv.Shutdown,
		Close:    srv.Close,
		Closed:   func(err error) bool { return errors.Is(err, http.ErrServerClosed) },
		Name:     "nethttp",
	}, c.ShutdownTimeout)
}
