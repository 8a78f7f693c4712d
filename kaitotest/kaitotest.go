// Package kaitotest runs a kaito router in-process, on either adapter,
// without opening a socket, and builds a *kaito.Request for testing a
// context factory or a handler on its own.
//
// A test of a whole router:
//
//	func TestGetUser(t *testing.T) {
//		for _, a := range kaitotest.Adapters {
//			t.Run(a.String(), func(t *testing.T) {
//				c := kaitotest.New(t, api.Routes(), a)
//				res := c.Get("/v1/users/1")
//				// check res.StatusCode, res.Body ...
//			})
//		}
//	}
//
// A test of a context factory:
//
//	req := kaitotest.NewRequest(t, httptest.NewRequest("GET", "/me", nil))
//	ctx, err := factory(req)
package kaitotest

import (
	"cmp"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp/fasthttputil"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

// Adapter names the runtime a Client serves a router on.
type Adapter int

const (
	// NetHTTP serves through adapters/nethttp, with net/http's
	// httptest.ResponseRecorder in place of a connection.
	NetHTTP Adapter = iota
	// FastHTTP serves through adapters/fasthttp, on a fasthttp.Server
	// configured as fasthttp.Serve configures it, over an in-memory
	// listener: one connection per request, from the request's RemoteAddr.
	// A request for an https URL is sent over plain HTTP here.
	FastHTTP
)

// Adapters lists every adapter, for a test that runs on each.
var Adapters = []Adapter{NetHTTP, FastHTTP}

// String returns "nethttp" or "fasthttp", for subtest names.
func (a Adapter) String() string {
	if a == FastHTTP {
		return "fasthttp"
	}
	return "nethttp"
}

// Client sends requests to one router served in-process. Its methods fail
// the test on an error that is not the router's answer (a request that
// cannot be sent), so that a test only checks responses.
type Client struct {
	t       testing.TB
	adapter Adapter
	do      func(*http.Request) (*http.Response, error)
}

// New serves r on adapter a for the rest of the test t; the server stops
// when the test ends.
func New[C any](t testing.TB, r *kaito.Router[C], a Adapter) *Client {
	t.Helper()
	c := &Client{t: t, adapter: a}
	switch a {
	case NetHTTP:
		h := nethttp.Handler(r)
		c.do = func(req *http.Request) (*http.Response, error) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Result(), nil
		}
	case FastHTTP:
		srv, err := fasthttpadapter.NewServer(fasthttpadapter.Handler(r), fasthttpadapter.Config{})
		if err != nil {
			t.Fatalf("kaitotest: %v", err)
		}
		ln := fasthttputil.NewInmemoryListener()
		done := make(chan struct{})
		go func() {
			defer close(done)
			srv.Serve(lockedListener{ln})
		}()
		// One connection per request, dialled from the request's
		// RemoteAddr, so that the router sees the peer the test chose.
		tr := &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return ln.DialWithLocalAddr(peerOf(ctx))
			},
			DisableKeepAlives:  true,
			DisableCompression: true,
		}
		hc := &http.Client{
			Transport:     tr,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
		c.do = func(req *http.Request) (*http.Response, error) {
			// A request from httptest.NewRequest carries RequestURI and
			// may have no scheme or host, which a client refuses.
			out := req.Clone(context.WithValue(req.Context(), peerKey{}, req.RemoteAddr))
			out.RequestURI = ""
			out.URL.Scheme = "http"
			if out.URL.Host == "" {
				out.URL.Host = cmp.Or(out.Host, "kaitotest")
			}
			return hc.Do(out)
		}
		t.Cleanup(func() {
			tr.CloseIdleConnections()
			srv.Shutdown()
			ln.Close()
			<-done
		})
	default:
		t.Fatalf("kaitotest: unknown adapter %d", int(a))
	}
	return c
}

// lockedListener hands out connections whose deadlines may be set from two
// goroutines, as on a TCP connection: the server's and a stream's (the
// in-memory pipe's deadlines are not safe for that on their own).
type lockedListener struct{ net.Listener }

func (l lockedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &lockedConn{Conn: c}, nil
}

type lockedConn struct {
	net.Conn
	mu sync.Mutex
}

func (c *lockedConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

func (c *lockedConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.SetReadDeadline(t)
}

func (c *lockedConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.SetWriteDeadline(t)
}

type peerKey struct{}

// peerOf returns the address a request asked to come from, or 192.0.2.1:1234
// (httptest.NewRequest's) when it gave none or one that is not ip:port.
func peerOf(ctx context.Context) net.Addr {
	if s, _ := ctx.Value(peerKey{}).(string); s != "" {
		if ap, err := netip.ParseAddrPort(s); err == nil {
			return net.TCPAddrFromAddrPort(ap)
		}
	}
	return &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 1234}
}

// Adapter returns the adapter c serves on.
func (c *Client) Adapter() Adapter { return c.adapter }

// Do sends req (from httptest.NewRequest, or http.NewRequest with a path or
// a full URL) and returns the response, whose body the test may read and
// need not close. It fails the test if the request cannot be sent.
func (c *Client) Do(req *http.Request) *http.Response {
	c.t.Helper()
	res, err := c.do(req)
	if err != nil {
		c.t.Fatalf("kaitotest: %s %s on %s: %v", req.Method, req.URL, c.adapter, err)
	}
	c.t.Cleanup(func() { res.Body.Close() })
	return res
}

// Get sends a GET request for target, a path with an optional query.
func (c *Client) Get(target string) *http.Response {
	c.t.Helper()
	return c.Do(httptest.NewRequest(http.MethodGet, target, nil))
}

// Post sends a POST request for target with the body and its content type.
func (c *Client) Post(target, contentType, body string) *http.Response {
	c.t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	return c.Do(req)
}

// Body reads the whole body of res as a string, failing the test on a read
// error (a stream that broke, say).
func Body(t testing.TB, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("kaitotest: reading the body: %v", err)
	}
	return string(b)
}

// NewRequest returns a *kaito.Request for r, to pass to a context factory or
// to a handler's context in a unit test, with opts applied as kaito.New
// applies them (a resolver, request ids, body limits...). Its route
// parameters are params, given as name and value pairs ("id", "7"). What the
// request leaves behind (temporary files of uploads) is removed when the
// test ends. The response side writes to a recorder nobody reads.
func NewRequest(t testing.TB, r *http.Request, opts []kaito.Option, params ...string) *kaito.Request {
	t.Helper()
	if len(params)%2 != 0 {
		t.Fatalf("kaitotest: NewRequest: params must be name and value pairs, got %d strings", len(params))
	}
	ps := make(map[string]string, len(params)/2)
	for i := 0; i < len(params); i += 2 {
		ps[params[i]] = params[i+1]
	}
	req, release := kaito.NewRequest(nethttp.NewExchange(httptest.NewRecorder(), r), ps, opts...)
	t.Cleanup(release)
	return req
}
