package kaito_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
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
	srv := &fasthttp.Server{Handler: h, NoDefaultServerHeader: true, NoDefaultDate: true, NoDefaultContentType: true}
	var l net.Listener = ln
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
	return fakeTLS{c}, nil
}

type fakeTLS struct{ net.Conn }

func (fakeTLS) Handshake() error { return nil }
func (fakeTLS) ConnectionState() tls.ConnectionState {
	return tls.ConnectionState{HandshakeComplete: true}
}
