package fasthttp

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito/internal/graceful"
	"github.com/kaito-go/kaito/internal/listen"
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
	// Streams (SSE) are told to end when the shutdown starts (see Serve).
	ShutdownTimeout time.Duration

	// TLSConfig, when not nil, makes the server speak TLS with it: it must
	// hold a certificate (Certificates, GetCertificate or
	// GetConfigForClient) unless CertFile and KeyFile give one. fasthttp
	// has no HTTP/2: "h2" is taken out of NextProtos, so that a client that
	// offers it is served over HTTP/1.1. The config is cloned, not changed.
	TLSConfig *tls.Config
	// CertFile and KeyFile, when set, are PEM files holding the server's
	// certificate chain and its private key, and make the server speak TLS
	// (with TLSConfig, or Go's defaults). Set both or neither.
	CertFile, KeyFile string
	// SocketMode is the permission bits ListenAndServe gives a Unix socket
	// ("unix:/path"): whoever may write to the socket may connect. Default
	// 0660, the owner and the group.
	SocketMode fs.FileMode
	// Logger receives fasthttp's own messages (connections it could not
	// serve, TLS handshakes that failed and requests it could not parse at
	// Debug, refused connections at Warn, failures to accept at Error),
	// instead of fasthttp's default logger, which prints them
	// to stderr with the request's headers: here they never carry what the
	// client sent. Pass the router's logger (the one given to
	// kaito.WithLogger). Default slog.Default().
	Logger *slog.Logger
	// ProblemDetails makes the answers to what fasthttp refuses before the
	// router sees it (400, 408, 413, 431) RFC 9457 problems, as the router's
	// own under kaito.WithProblemDetails; set it when the router uses that.
	ProblemDetails bool
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
	SocketMode:        0o660,
}

func (c Config) withDefaults() (Config, error) {
	if c.ReadHeaderTimeout < 0 || c.ReadTimeout < 0 || c.WriteTimeout < 0 || c.IdleTimeout < 0 ||
		c.MaxHeaderBytes < 0 || c.MaxBodyBytes < 0 || c.ShutdownTimeout < 0 {
		return c, fmt.Errorf("fasthttp adapter: negative limit in %+v", c)
	}
	if (c.CertFile == "") != (c.KeyFile == "") {
		return c, fmt.Errorf("fasthttp adapter: Config.CertFile %q and Config.KeyFile %q: set both or neither", c.CertFile, c.KeyFile)
	}
	if c.SocketMode&^fs.ModePerm != 0 {
		return c, fmt.Errorf("fasthttp adapter: Config.SocketMode %v has bits other than permissions", c.SocketMode)
	}
	d := c
	d.ReadHeaderTimeout = cmp.Or(c.ReadHeaderTimeout, Defaults.ReadHeaderTimeout)
	d.ReadTimeout = cmp.Or(c.ReadTimeout, Defaults.ReadTimeout)
	d.WriteTimeout = cmp.Or(c.WriteTimeout, Defaults.WriteTimeout)
	d.IdleTimeout = cmp.Or(c.IdleTimeout, Defaults.IdleTimeout)
	d.MaxHeaderBytes = cmp.Or(c.MaxHeaderBytes, Defaults.MaxHeaderBytes)
	d.MaxBodyBytes = cmp.Or(c.MaxBodyBytes, Defaults.MaxBodyBytes)
	d.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, Defaults.ShutdownTimeout)
	d.SocketMode = cmp.Or(c.SocketMode, Defaults.SocketMode)
	d.Logger = cmp.Or(c.Logger, slog.Default())
	return d, nil
}

// tlsConfig returns the TLS config the server speaks, without "h2", or nil
// for none.
func (c Config) tlsConfig() (*tls.Config, error) {
	tc, err := listen.TLSConfig("fasthttp adapter", c.TLSConfig, c.CertFile, c.KeyFile)
	if tc == nil || err != nil {
		return nil, err
	}
	// A client told "h2" speaks HTTP/2 at once, which fasthttp cannot read.
	tc.NextProtos = slices.DeleteFunc(slices.Clone(tc.NextProtos), func(p string) bool { return p == "h2" })
	if !slices.Contains(tc.NextProtos, "http/1.1") {
		tc.NextProtos = append(tc.NextProtos, "http/1.1")
	}
	if get := tc.GetConfigForClient; get != nil {
		// A config chosen per client must not offer h2 either.
		tc.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			cc, err := get(hello)
			if cc == nil || err != nil {
				return cc, err
			}
			cc = cc.Clone()
			cc.NextProtos = slices.DeleteFunc(slices.Clone(cc.NextProtos), func(p string) bool { return p == "h2" })
			return cc, nil
		}
	}
	return tc, nil
}

// NewServer returns a fasthttp.Server for h with cfg's limits and error log,
// for callers that need to set more before serving. It does not speak TLS:
// Serve does, on a listener wrapped with cfg's TLS config.
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
		ErrorHandler:                  errorHandlerFor(c.ProblemDetails),
		NoDefaultServerHeader:         true,
		NoDefaultDate:                 false,
		DisableHeaderNamesNormalizing: false,
		CloseOnShutdown:               true,
		Logger:                        serverLogger{c.Logger},
		SecureErrorLogMessage:         true,
	}
}

// errorHandlerFor returns how to answer what fasthttp refuses before a
// handler runs: with kaito's error body, or its problem.
func errorHandlerFor(problem bool) func(ctx *fasthttp.RequestCtx, err error) {
	if problem {
		return func(ctx *fasthttp.RequestCtx, err error) {
			errorHandler(ctx, err)
			status := ctx.Response.StatusCode()
			ctx.SetContentType("application/problem+json")
			ctx.SetBodyString(`{"type":"about:blank","title":"` + fasthttp.StatusMessage(status) + `","status":` +
				strconv.Itoa(status) + `,"detail":"` + fasthttp.StatusMessage(status) + `"}`)
		}
	}
	return errorHandler
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

// ListenAndServe listens on addr and serves h until ctx is cancelled, then
// shuts down gracefully (see Serve). addr is a TCP address (":8080",
// "127.0.0.1:8080") or a Unix socket: "unix:/run/app/app.sock" (a file,
// made with cfg.SocketMode; a socket file left by a crashed server is
// replaced, one in use is an error) or "unix:@name" (a Linux abstract
// socket). The socket file is removed when Serve returns.
func ListenAndServe(ctx context.Context, addr string, h fasthttp.RequestHandler, cfg Config) error {
	c, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	ln, err := listen.Listen(addr, c.SocketMode)
	if err != nil {
		return err
	}
	return Serve(ctx, ln, h, cfg)
}

// Serve serves h on ln until ctx is cancelled, over TLS (HTTP/1.1 only)
// when cfg has a certificate.
//
// When ctx is cancelled it stops accepting connections, cancels the
// requests' contexts (fasthttp has one signal for all of them) and tells
// response streams (kaito.SSE, kaito.Stream, EventStream) to end: their send
// or flush fails with http.ErrServerClosed. Requests in flight get up to
// cfg.ShutdownTimeout to finish. Serve returns nil when everything ended in
// time, or an error saying that requests still running at the deadline were
// cut off. It returns early with the error if serving fails. It closes ln.
func Serve(ctx context.Context, ln net.Listener, h fasthttp.RequestHandler, cfg Config) error {
	c, err := cfg.withDefaults()
	if err != nil {
		ln.Close()
		return err
	}
	tc, err := c.tlsConfig()
	if err != nil {
		ln.Close()
		return err
	}
	if tc != nil {
		ln = tls.NewListener(ln, tc)
	}
	srv := newServer(h, c)
	return graceful.Run(ctx, graceful.Server{
		Serve:    func() error { return srv.Serve(ln) },
		Shutdown: srv.ShutdownWithContext,
		Name:     "fasthttp adapter",
	}, c.ShutdownTimeout)
}
