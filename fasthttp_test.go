package kaito_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp/fasthttputil"

	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
)

// The fasthttp side of the suite: a real fasthttp.Server on an in-memory
// listener, spoken to over the wire by net/http's client, so that both
// adapters' answers are read by the same parser.

func doFastHTTP(t *testing.T, s served, c call) result {
	t.Helper()
	h := s.fastHTTP
	if c.noHost {
		t.Skip("net/http's client cannot send a request without a Host header")
	}
	ln := fasthttputil.NewInmemoryListener()
	// The server the adapter's Serve runs, with its defaults (streamed
	// request bodies among them).
	srv, err := fasthttpadapter.NewServer(h, fasthttpadapter.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv.NoDefaultContentType = true
	var l net.Listener = lockedListener{ln}
	if c.tls {
		l = tlsMarked{ln}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); srv.Serve(l) }()
	defer func() { ln.Close(); wg.Wait() }()

	remote := c.remote
	if remote == "" {
		remote = "192.0.2.1:1234"
	}
	tr := &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		addr, err := net.ResolveTCPAddr("tcp", remote)
		if err != nil {
			return ln.Dial()
		}
		return ln.DialWithLocalAddr(addr)
	}, DisableCompression: true}
	defer tr.CloseIdleConnections()
	req := c.request()
	req.RequestURI = ""
	req.URL.Scheme, req.URL.Host = "http", "example.com"
	if req.Host == "" || req.Host == "example.com" {
		req.Host = "example.com"
	}
	res, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatalf("fasthttp round trip: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return result{status: res.StatusCode, header: res.Header, body: string(b)}
}

// tlsMarked makes fasthttp see its connections as TLS ones.
type tlsMarked struct{ net.Listener }

func (l tlsMarked) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return fakeTLS{lockedConn{Conn: c, mu: new(sync.Mutex)}}, nil
}

type fakeTLS struct{ net.Conn }

func (fakeTLS) Handshake() error { return nil }
func (fakeTLS) ConnectionState() tls.ConnectionState {
	return tls.ConnectionState{HandshakeComplete: true}
}

// lockedListener hands out connections whose deadline methods are safe for
// concurrent use, as the net.Conn contract requires and fasthttputil's
// in-memory pipes are not: a response stream extends the write deadline
// from its own goroutine.
type lockedListener struct{ net.Listener }

func (l lockedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return lockedConn{Conn: c, mu: new(sync.Mutex)}, nil
}

type lockedConn struct {
	net.Conn
	mu *sync.Mutex
}

func (c lockedConn) lock() func() {
	if c.mu == nil {
		return func() {}
	}
	c.mu.Lock()
	return c.mu.Unlock
}

func (c lockedConn) SetDeadline(t time.Time) error {
	defer c.lock()()
	return c.Conn.SetDeadline(t)
}

func (c lockedConn) SetReadDeadline(t time.Time) error {
	defer c.lock()()
	return c.Conn.SetReadDeadline(t)
}

func (c lockedConn) SetWriteDeadline(t time.Time) error {
	defer c.lock()()
	return c.Conn.SetWriteDeadline(t)
}
