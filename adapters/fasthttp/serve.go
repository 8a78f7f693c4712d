package fasthttp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito/internal/graceful"
)

// Config sets the limits of a server made by NewServer, Serve or
// ListenAndServe: the same limits, with the same defaults, as the nethttp
// adapter's Config. A zero field takes its default; a negative one is an error.
type Config struct {
	// ReadHeaderTimeout bounds reading the request line and headers, so
	// that a client sending them a byte at a time is cut off. Default 10s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included. Default 60s.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response. Default 60s.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long. Default 120s.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers; it is also the
	// size of each connection's read buffer. Default 64 KiB.
	MaxHeaderBytes int
	// MaxBodyBytes is the largest body the server accepts at all: a larger
	// one is refused with 413 before it is read (by Content-Length) or as
	// soon as it passes the limit (chunked). Bodies are streamed to the
	// router, so the router's own limits (WithBodyLimit, per route) stop
	// reading earlier. Default 32 MiB, above kaito's default limits.
	MaxBodyBytes int
	// ShutdownTimeout is how long in-flight requests get to finish once the
	// context is cancelled; then connections are closed. Default 10s.
	ShutdownTimeout time.Duration
	// Logger receives fasthttp's own messages (connections it could not
	// serve, a request it could not parse) instead of its default logger,
	// which prints them to stderr with the request's headers: here they
	// never carry what the client sent. Pass the router's logger (the one
	// given to kaito.WithLogger). Default slog.Default().
	Logger *slog.Logger
}

// Defaults are the limits a zero Config field takes.
var Defaults = Config{
	ReadHeaderTimeout: 10 * time.Second,
	ReadTimeout:       60 * time.Second,
	WriteTimeout:      60 * time.Second,
	IdleTimeout:       120 * time.Second,
	MaxHeaderBytes:    64 << 10,
	MaxBodyBytes:      32 << 20,
	ShutdownTimeout:   10 * time.Second,
}

func (c Config) withDefaults() (Config, error) {
	if c.ReadHeaderTimeout < 0 || c.ReadTimeout < 0 || c.WriteTimeout < 0 || c.IdleTimeout < 0 ||
		c.MaxHeaderBytes < 0 || c.MaxBodyBytes < 0 || c.ShutdownTimeout < 0 {
		return c, fmt.Errorf("fasthttp adapter: negative limit in %+v", c)
	}
	d := Defaults
	d.ReadHeaderTimeout = cmp.Or(c.ReadHeaderTimeout, d.ReadHeaderTimeout)
	d.ReadTimeout = cmp.Or(c.ReadTimeout, d.ReadTimeout)
	d.WriteTimeout = cmp.Or(c.WriteTimeout, d.WriteTimeout)
	d.IdleTimeout = cmp.Or(c.IdleTimeout, d.IdleTimeout)
	d.MaxHeaderBytes = cmp.Or(c.MaxHeaderBytes, d.MaxHeaderBytes)
	d.MaxBodyBytes = cmp.Or(c.MaxBodyBytes, d.MaxBodyBytes)
	d.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, d.ShutdownTimeout)
	d.Logger = c.Logger
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return d, nil
}

// NewServer returns a fasthttp.Server for h with cfg's limits, for callers
// that need to set more before serving.
func NewServer(h fasthttp.RequestHandler, cfg Config) (*fasthttp.Server, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return newServer(h, c), nil
}

// newServer builds the server for a Config with its defaults applied.
func newServer(h fasthttp.RequestHandler, c Config) *fasthttp.Server {
	return &fasthttp.Server{
		Handler: h,
		// fasthttp's ReadTimeout covers the headers; once they are in, the
		// request gets the whole ReadTimeout for its body.
		ReadTimeout: c.ReadHeaderTimeout,
		HeaderReceived: func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
			return fasthttp.RequestConfig{ReadTimeout: c.ReadTimeout}
		},
		WriteTimeout:                  c.WriteTimeout,
		IdleTimeout:                   c.IdleTimeout,
		ReadBufferSize:                c.MaxHeaderBytes,
		MaxRequestBodySize:            c.MaxBodyBytes,
		StreamRequestBody:             true,
		DisablePreParseMultipartForm:  true,
		ErrorHandler:                  errorHandler,
		NoDefaultServerHeader:         true,
		NoDefaultDate:                 false,
		DisableHeaderNamesNormalizing: false,
		CloseOnShutdown:               true,
		Logger:                        serverLogger{c.Logger},
		SecureErrorLogMessage:         true,
	}
}

// errorHandler answers what fasthttp refuses before a handler runs, with
// kaito's error body.
func errorHandler(ctx *fasthttp.RequestCtx, err error) {
	status := fasthttp.StatusBadRequest
	var small *fasthttp.ErrSmallBuffer
	var ne net.Error
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		status = fasthttp.StatusRequestEntityTooLarge
	case errors.As(err, &small):
		status = fasthttp.StatusRequestHeaderFieldsTooLarge
	case errors.As(err, &ne) && ne.Timeout():
		status = fasthttp.StatusRequestTimeout
	}
	ctx.SetContentType("application/json; charset=utf-8")
	ctx.SetStatusCode(status)
	ctx.SetBodyString(`{"message":"` + fasthttp.StatusMessage(status) + `"}`)
}

// ListenAndServe listens on the TCP address addr and serves h until ctx is
// cancelled, then shuts down gracefully (see Serve).
func ListenAndServe(ctx context.Context, addr string, h fasthttp.RequestHandler, cfg Config) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return Serve(ctx, ln, h, cfg)
}

// Serve serves h on ln until ctx is cancelled. Then it stops accepting
// connections, cancels the requests' contexts (fasthttp has one signal for
// all of them), lets in-flight requests finish for up to
// cfg.ShutdownTimeout, and returns nil, or an error saying that requests
// still running at the deadline were cut off. It returns early with the error if
// serving fails.
func Serve(ctx context.Context, ln net.Listener, h fasthttp.RequestHandler, cfg Config) error {
	c, err := cfg.withDefaults()
	if err != nil {
		ln.Close()
		return err
	}
	srv := newServer(h, c)
	return graceful.Run(ctx, graceful.Server{
		Serve:    func() error { return srv.Serve(ln) },
		Shutdown: srv.ShutdownWithContext,
		Name:     "fasthttp adapter",
	}, c.ShutdownTimeout)
}
