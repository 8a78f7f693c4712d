package nethttp

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/kaito-go/kaito/internal/graceful"
	"github.com/kaito-go/kaito/internal/listen"
)

// Config sets the limits and the transport of a server made by NewServer,
// Serve or ListenAndServe. A zero field takes its default; a negative one is
// an error.
type Config struct {
	// ReadHeaderTimeout bounds reading the request line and headers, so
	// that a client sending them a byte at a time is cut off. Default 10s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included. Default 60s.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response; streams (SSE) are exempt.
	// Default 60s. Over HTTP/2 a response still being written at the
	// deadline is reset (RST_STREAM), not cut off with the connection.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long. Default 120s.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers. Default 64 KiB.
	// Headers over it are answered 431 with kaito's JSON error body, up to
	// twice the limit, which the server reads at most; past that net/http
	// answers its own plain-text 431 over HTTP/1.1, and closes the
	// connection over HTTP/2.
	MaxHeaderBytes int
	// ShutdownTimeout is how long in-flight requests get to finish once the
	// context is cancelled; then connections are closed. Default 10s.
	// Streams (SSE) are told to end when the shutdown starts (see Serve).
	ShutdownTimeout time.Duration

	// TLSConfig, when not nil, makes the server speak TLS with it: it must
	// hold a certificate (Certificates, GetCertificate or
	// GetConfigForClient) unless CertFile and KeyFile give one. HTTP/2 is
	// negotiated over TLS (ALPN "h2", then "http/1.1"): "h2" is put first
	// in NextProtos unless the config names it, also in a config that
	// GetConfigForClient returns. The config is cloned, not changed.
	TLSConfig *tls.Config
	// CertFile and KeyFile, when set, are PEM files holding the server's
	// certificate chain and its private key, and make the server speak TLS
	// (with TLSConfig, or Go's defaults). Set both or neither.
	CertFile, KeyFile string
	// H2C serves HTTP/2 without TLS to clients that speak it with prior
	// knowledge (gRPC-style proxies, Envoy, Cloud Run's "end-to-end
	// HTTP/2"), through net/http's own Protocols; HTTP/1.1 is still served
	// on the same port. Only turn it on behind a proxy that needs it.
	H2C bool
	// SocketMode is the permission bits ListenAndServe gives a Unix socket
	// ("unix:/path"): whoever may write to the socket may connect. Default
	// 0660, the owner and the group.
	SocketMode fs.FileMode
	// Logger receives net/http's own error log (TLS handshake failures,
	// malformed HTTP/2 frames, panics outside kaito's handler), at level
	// Error. Default slog.Default().
	Logger *slog.Logger
}

// Defaults are the limits a zero Config field takes.
var Defaults = Config{
	ReadHeaderTimeout: 10 * time.Second,
	ReadTimeout:       60 * time.Second,
	WriteTimeout:      60 * time.Second,
	IdleTimeout:       120 * time.Second,
	MaxHeaderBytes:    64 << 10,
	ShutdownTimeout:   10 * time.Second,
	SocketMode:        0o660,
}

func (c Config) withDefaults() (Config, error) {
	if c.ReadHeaderTimeout < 0 || c.ReadTimeout < 0 || c.WriteTimeout < 0 || c.IdleTimeout < 0 || c.MaxHeaderBytes < 0 || c.ShutdownTimeout < 0 {
		return c, fmt.Errorf("nethttp: negative limit in %+v", c)
	}
	if (c.CertFile == "") != (c.KeyFile == "") {
		return c, fmt.Errorf("nethttp: Config.CertFile %q and Config.KeyFile %q: set both or neither", c.CertFile, c.KeyFile)
	}
	if c.SocketMode&^fs.ModePerm != 0 {
		return c, fmt.Errorf("nethttp: Config.SocketMode %v has bits other than permissions", c.SocketMode)
	}
	d := c
	d.ReadHeaderTimeout = cmp.Or(c.ReadHeaderTimeout, Defaults.ReadHeaderTimeout)
	d.ReadTimeout = cmp.Or(c.ReadTimeout, Defaults.ReadTimeout)
	d.WriteTimeout = cmp.Or(c.WriteTimeout, Defaults.WriteTimeout)
	d.IdleTimeout = cmp.Or(c.IdleTimeout, Defaults.IdleTimeout)
	d.MaxHeaderBytes = cmp.Or(c.MaxHeaderBytes, Defaults.MaxHeaderBytes)
	d.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, Defaults.ShutdownTimeout)
	d.SocketMode = cmp.Or(c.SocketMode, Defaults.SocketMode)
	d.Logger = cmp.Or(c.Logger, slog.Default())
	return d, nil
}

// tlsConfig returns the TLS config the server speaks, or nil for none.
func (c Config) tlsConfig() (*tls.Config, error) {
	tc, err := listen.TLSConfig("nethttp", c.TLSConfig, c.CertFile, c.KeyFile)
	if tc == nil || err != nil {
		return nil, err
	}
	// The server picks the first of its protocols the client offers:
	// without "h2" first, a config listing only "http/1.1" would get h2
	// added after it (by ServeTLS) and never negotiated.
	tc.NextProtos = withH2(tc.NextProtos)
	if get := tc.GetConfigForClient; get != nil {
		// A config chosen per client offers HTTP/2 too.
		tc.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			cc, err := get(hello)
			if cc == nil || err != nil {
				return cc, err
			}
			cc = cc.Clone()
			cc.NextProtos = withH2(cc.NextProtos)
			return cc, nil
		}
	}
	return tc, nil
}

// NewServer returns an http.Server for h with cfg's limits, TLS config,
// protocols and error log, for callers that need to set more before
// serving. With TLS, serve it with ServeTLS(ln, "", ""), which offers
// HTTP/2. Its Shutdown tells streams to end, as Serve's does.
func NewServer(h http.Handler, cfg Config) (*http.Server, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return newServer(h, c)
}

// newServer builds the server for a Config with its defaults applied.
func newServer(h http.Handler, c Config) (*http.Server, error) {
	tc, err := c.tlsConfig()
	if err != nil {
		return nil, err
	}
	stopping, stop := context.WithCancel(context.Background())
	base := context.WithValue(context.Background(), stoppingKey{}, stopping)
	srv := &http.Server{
		Handler:           headerLimit{h, c.MaxHeaderBytes},
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
		// The server reads up to twice the limit, so that headers a little
		// over it get kaito's JSON 431 from headerLimit, not net/http's text.
		MaxHeaderBytes: readLimit(c.MaxHeaderBytes),
		TLSConfig:      tc,
		ErrorLog:       slog.NewLogLogger(c.Logger.Handler(), slog.LevelError),
		BaseContext:    func(net.Listener) context.Context { return base },
	}
	if c.H2C {
		p := new(http.Protocols)
		p.SetHTTP1(true)
		p.SetHTTP2(true)
		p.SetUnencryptedHTTP2(true)
		srv.Protocols = p
	}
	srv.RegisterOnShutdown(stop)
	return srv, nil
}

// withH2 returns protos with "h2" first when it does not name "h2", and
// with "http/1.1" when it does not name that.
func withH2(protos []string) []string {
	if !slices.Contains(protos, "h2") {
		protos = append([]string{"h2"}, protos...)
	}
	if !slices.Contains(protos, "http/1.1") {
		protos = append(slices.Clip(protos), "http/1.1")
	}
	return protos
}

// readLimit is how many bytes of headers the server reads for a limit of
// n: twice n, so that headerLimit answers those a little over n.
func readLimit(n int) int {
	if n > math.MaxInt/2 {
		return n
	}
	return 2 * n
}

// stoppingKey is the context key of the context that ends when the server
// starts shutting down. Serve's server puts it in every request's context;
// a stream (exchange.Stream) watches it.
type stoppingKey struct{}

// streamContext returns the context of a response stream on a request
// whose context is parent: parent, ended with http.ErrServerClosed as its
// cause as soon as the server that received the request starts shutting
// down. A request that did not come through NewServer, Serve or
// ListenAndServe gets parent itself. stop releases the context's resources.
func streamContext(parent context.Context) (ctx context.Context, stop func()) {
	stopping, _ := parent.Value(stoppingKey{}).(context.Context)
	if stopping == nil {
		return parent, func() {}
	}
	ctx, cancel := context.WithCancelCause(parent)
	unwatch := context.AfterFunc(stopping, func() { cancel(http.ErrServerClosed) })
	return ctx, func() {
		unwatch()
		cancel(nil)
	}
}

// headerLimit answers 431 with kaito's JSON body to requests whose request
// line and headers, counted as they were sent, are over limit bytes.
type headerLimit struct {
	h     http.Handler
	limit int
}

func (l headerLimit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The request line and the Host header, which net/http takes out of
	// the map, then every field line: "Name: value\r\n".
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4 + len(r.Host) + 8
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	if n > l.limit {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusRequestHeaderFieldsTooLarge)
		w.Write([]byte(`{"message":"Request Header Fields Too Large"}`))
		return
	}
	l.h.ServeHTTP(w, r)
}

// ListenAndServe listens on addr and serves h until ctx is cancelled, then
// shuts down gracefully (see Serve). addr is a TCP address (":8080",
// "127.0.0.1:8080") or a Unix socket: "unix:/run/app/app.sock" (a file,
// made with cfg.SocketMode; a socket file left by a crashed server is
// replaced, one in use is an error) or "unix:@name" (a Linux abstract
// socket). The socket file is removed when Serve returns.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, cfg Config) error {
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

// Serve serves h on ln until ctx is cancelled, over TLS (HTTP/2 and
// HTTP/1.1) when cfg has a certificate, and HTTP/1.1 (and HTTP/2 with
// prior knowledge when cfg.H2C is set) otherwise.
//
// When ctx is cancelled it stops accepting connections and tells response
// streams (kaito.SSE, kaito.Stream, EventStream) to end: their send or flush
// fails with http.ErrServerClosed and their request's context ends. Other
// requests in flight get up to cfg.ShutdownTimeout to finish; then what is
// left is closed. Serve returns nil when everything ended in time, or an
// error saying that requests still running at the deadline were cut off. It
// returns early with the error if serving fails. It closes ln.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, cfg Config) error {
	c, err := cfg.withDefaults()
	if err != nil {
		ln.Close()
		return err
	}
	srv, err := newServer(h, c)
	if err != nil {
		ln.Close()
		return err
	}
	serve := func() error { return srv.Serve(ln) }
	if srv.TLSConfig != nil {
		serve = func() error { return srv.ServeTLS(ln, "", "") }
	}
	return graceful.Run(ctx, graceful.Server{
		Serve:    serve,
		Shutdown: srv.Shutdown,
		Close:    srv.Close,
		Closed:   func(err error) bool { return errors.Is(err, http.ErrServerClosed) },
		Name:     "nethttp",
	}, c.ShutdownTimeout)
}
