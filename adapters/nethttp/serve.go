package nethttp

import (
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
	if c.ReadHeaderTimeout > 0 {
		d.ReadHeaderTimeout = c.ReadHeaderTimeout
	}
	if c.ReadTimeout > 0 {
		d.ReadTimeout = c.ReadTimeout
	}
	if c.WriteTimeout > 0 {
		d.WriteTimeout = c.WriteTimeout
	}
	if c.IdleTimeout > 0 {
		d.IdleTimeout = c.IdleTimeout
	}
	if c.MaxHeaderBytes > 0 {
		d.MaxHeaderBytes = c.MaxHeaderBytes
	}
	if c.ShutdownTimeout > 0 {
		d.ShutdownTimeout = c.ShutdownTimeout
	}
	return d, nil
}

// NewServer returns an http.Server for h with cfg's limits, for callers
// that need to set more (TLS, say) before serving.
func NewServer(h http.Handler, cfg Config) (*http.Server, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
		MaxHeaderBytes:    c.MaxHeaderBytes,
	}, nil
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
	srv, err := NewServer(h, cfg)
	if err != nil {
		ln.Close()
		return err
	}
	c, _ := cfg.withDefaults()
	return graceful.Run(ctx, graceful.Server{
		Serve:    func() error { return srv.Serve(ln) },
		Shutdown: srv.Shutdown,
		Close:    srv.Close,
		Closed:   func(err error) bool { return errors.Is(err, http.ErrServerClosed) },
		Name:     "nethttp",
	}, c.ShutdownTimeout)
}
