package fasthttp_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/internal/testcert"
)

// TLS, Unix sockets and the shutdown of streams through Serve and
// ListenAndServe, with Go's own client on real sockets. fasthttp has no
// HTTP/2: a client that offers it is served over HTTP/1.1.

type user struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type userIn struct {
	ID int `path:"id"`
}

// apiRouter serves GET /users/:id (JSON), POST /echo (a body limit of
// 1 KiB) and GET /events (two server-sent events, the second once next is
// closed).
func apiRouter(next <-chan struct{}) fasthttp.RequestHandler {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, quiet, kaito.WithBodyLimit(1<<10))
	kaito.Get(r, "/users/:id", func(_ *kaito.Request, in userIn) (user, error) { return user{in.ID, "gopher"}, nil })
	kaito.Post(r, "/echo", func(_ *kaito.Request, in nameIn) (nameIn, error) { return in, nil })
	kaito.Get(r, "/events", func(req *kaito.Request, _ struct{}) (kaito.SSE, error) {
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			if err := send(kaito.Event{ID: "1", Data: "first"}); err != nil {
				return err
			}
			select {
			case <-next:
			case <-req.Context().Done():
				return req.Context().Err()
			}
			return send(kaito.Event{ID: "2", Data: "second"})
		}}, nil
	})
	return fasthttpadapter.Handler(r)
}

// mode is a way to reach the server: a Config for it and the scheme.
type mode struct {
	name   string
	cfg    func(cert testcert.Cert) fasthttpadapter.Config
	scheme string
}

var modes = []mode{
	{"HTTP/1.1", func(testcert.Cert) fasthttpadapter.Config { return fasthttpadapter.Config{} }, "http"},
	{"TLS from files", func(c testcert.Cert) fasthttpadapter.Config {
		return fasthttpadapter.Config{CertFile: c.CertFile, KeyFile: c.KeyFile}
	}, "https"},
	{"TLS from a tls.Config offering h2", func(c testcert.Cert) fasthttpadapter.Config {
		return fasthttpadapter.Config{TLSConfig: &tls.Config{Certificates: []tls.Certificate{c.TLS}, NextProtos: []string{"h2", "http/1.1"}}}
	}, "https"},
}

// h2Client is Go's client, which speaks HTTP/2 to a server that offers it.
func h2Client(c testcert.Cert) *http.Client {
	return &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: c.Pool}, ForceAttemptHTTP2: true},
		Timeout:   20 * time.Second,
	}
}

// do sends a request and returns the response's protocol version, status
// and body.
func do(t *testing.T, c *http.Client, method, url string, body io.Reader) (int, int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.ProtoMajor, res.StatusCode, string(b)
}

// onlyReader hides a body's length, so that the client sends it chunked.
type onlyReader struct{ io.Reader }

// readEvent reads one server-sent event, up to its blank line.
func readEvent(t *testing.T, rd *bufio.Reader) string {
	t.Helper()
	var ev strings.Builder
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("reading an event: %v (so far %q)", err, ev.String())
		}
		if line == "\n" {
			return ev.String()
		}
		ev.WriteString(line)
	}
}

func TestTransports(t *testing.T) {
	cert := testcert.New(t)
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			next := make(chan struct{})
			s := serve(t, apiRouter(next), m.cfg(cert))
			c := h2Client(cert)
			base := m.scheme + "://" + s.addr

			proto, status, body := do(t, c, "GET", base+"/users/42", nil)
			if proto != 1 || status != 200 || strings.TrimSpace(body) != `{"id":42,"name":"gopher"}` {
				t.Errorf("GET /users/42: HTTP/%d %d %s, want HTTP/1 200 and the user", proto, status, body)
			}
			big := `{"name":"` + strings.Repeat("x", 64<<10) + `"}`
			for _, b := range []struct {
				name string
				r    io.Reader
			}{{"with a length", strings.NewReader(big)}, {"chunked", onlyReader{strings.NewReader(big)}}} {
				proto, status, body = do(t, c, "POST", base+"/echo", b.r)
				if proto != 1 || status != 413 || !strings.Contains(body, `"message"`) {
					t.Errorf("POST /echo, 64 KiB %s: HTTP/%d %d %s, want HTTP/1 413 with kaito's body", b.name, proto, status, body)
				}
			}
			res, err := c.Get(base + "/events")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.ProtoMajor != 1 || res.Header.Get("Content-Type") != "text/event-stream" {
				t.Errorf("GET /events: HTTP/%d %q", res.ProtoMajor, res.Header.Get("Content-Type"))
			}
			rd := bufio.NewReader(res.Body)
			if ev := readEvent(t, rd); ev != "id: 1\ndata: first\n" {
				t.Errorf("first event %q", ev)
			}
			close(next)
			if ev := readEvent(t, rd); ev != "id: 2\ndata: second\n" {
				t.Errorf("second event %q", ev)
			}
		})
	}
}

// TestTLSNeverOffersH2: a client is never told "h2", whatever the TLS
// config offered: one that also speaks HTTP/1.1 gets it, one that speaks
// only HTTP/2 is refused in the handshake; and a TLS config without a certificate
// fails Serve at once, naming the field.
func TestTLSNeverOffersH2(t *testing.T) {
	cert := testcert.New(t)
	get := func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return &tls.Config{Certificates: []tls.Certificate{cert.TLS}, NextProtos: []string{"h2", "http/1.1"}}, nil
	}
	for _, cfg := range []fasthttpadapter.Config{
		{TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert.TLS}, NextProtos: []string{"h2"}}},
		{TLSConfig: &tls.Config{GetConfigForClient: get}},
	} {
		s := serve(t, apiRouter(nil), cfg)
		for _, offer := range [][]string{{"h2"}, {"h2", "http/1.1"}} {
			conn, err := tls.Dial("tcp", s.addr, &tls.Config{RootCAs: cert.Pool, NextProtos: offer})
			if err != nil {
				// A client that speaks nothing but h2 is refused in the
				// handshake (no_application_protocol), as RFC 7301 says.
				if len(offer) > 1 || !strings.Contains(err.Error(), "no application protocol") {
					t.Errorf("offering %q: %v", offer, err)
				}
				continue
			}
			if p := conn.ConnectionState().NegotiatedProtocol; p == "h2" {
				t.Errorf("offering %q, the server chose h2", offer)
			}
			conn.Close()
		}
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	err := fasthttpadapter.Serve(context.Background(), ln, apiRouter(nil), fasthttpadapter.Config{TLSConfig: &tls.Config{}})
	if err == nil || !strings.Contains(err.Error(), "TLSConfig") {
		t.Errorf("Serve with a TLSConfig holding no certificate: %v, want an error naming TLSConfig", err)
	}
	if _, err := fasthttpadapter.NewServer(apiRouter(nil), fasthttpadapter.Config{KeyFile: "key.pem"}); err == nil || !strings.Contains(err.Error(), "CertFile") {
		t.Errorf("NewServer with a KeyFile and no CertFile: %v, want an error naming CertFile", err)
	}
}

// TestShutdownEndsStreams: when shutdown starts, every open stream is told
// to end (a source that sends learns it from send, one that waits from its
// context) and an ordinary request in flight finishes; Serve then returns
// nil, long before ShutdownTimeout.
func TestShutdownEndsStreams(t *testing.T) {
	cert := testcert.New(t)
	for _, m := range modes[:2] {
		t.Run(m.name, func(t *testing.T) {
			var (
				mu       sync.Mutex
				ended    = map[string]error{} // how each stream ended
				allEnded = make(chan struct{})
				started  = make(chan struct{}, 1)
			)
			end := func(name string, err error) {
				mu.Lock()
				defer mu.Unlock()
				ended[name] = err
				if len(ended) == 2 {
					close(allEnded)
				}
			}
			r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, quiet)
			kaito.Get(r, "/sender", func(req *kaito.Request, _ struct{}) (kaito.SSE, error) {
				return kaito.SSE{Source: func(send func(kaito.Event) error) error {
					for {
						if err := send(kaito.Event{Data: "tick"}); err != nil {
							end("sender", err)
							return err
						}
						time.Sleep(20 * time.Millisecond) // a source that never looks at its context
					}
				}}, nil
			})
			kaito.Get(r, "/waiter", func(req *kaito.Request, _ struct{}) (kaito.SSE, error) {
				ctx := req.Context()
				return kaito.SSE{Source: func(send func(kaito.Event) error) error {
					if err := send(kaito.Event{Data: "hello"}); err != nil {
						return err
					}
					<-ctx.Done() // waits for events that never come
					end("waiter", ctx.Err())
					return nil
				}}, nil
			})
			kaito.Get(r, "/slow", func(req *kaito.Request, _ struct{}) (map[string]string, error) {
				started <- struct{}{}
				select {
				case <-allEnded:
				case <-time.After(30 * time.Second): // the test has failed: let it end
				}
				return map[string]string{"done": "yes"}, nil
			})
			cfg := m.cfg(cert)
			cfg.ShutdownTimeout = 60 * time.Second
			s := serve(t, fasthttpadapter.Handler(r), cfg)
			c := h2Client(cert)
			c.Timeout = 0
			base := m.scheme + "://" + s.addr

			streamDone := make(chan string, 2)
			for _, path := range []string{"/sender", "/waiter"} {
				res, err := c.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				rd := bufio.NewReader(res.Body)
				readEvent(t, rd) // the stream is open
				go func() {
					io.Copy(io.Discard, rd) // until the server ends it
					res.Body.Close()
					streamDone <- path
				}()
			}
			slow := make(chan string, 1)
			go func() {
				res, err := c.Get(base + "/slow")
				if err != nil {
					slow <- err.Error()
					return
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				slow <- fmt.Sprint(res.StatusCode, " ", strings.TrimSpace(string(b)))
			}()
			waitFor(t, started)

			stopped := make(chan error, 1)
			go func() { stopped <- s.stop() }()
			for range 2 {
				select {
				case <-streamDone:
				case <-time.After(20 * time.Second):
					t.Fatal("a stream was still open 20s into the shutdown")
				}
			}
			mu.Lock()
			if err := ended["sender"]; !errors.Is(err, http.ErrServerClosed) {
				t.Errorf("the sending stream ended with %v, want http.ErrServerClosed", err)
			}
			if err := ended["waiter"]; err == nil {
				t.Error("the waiting stream's context ended without an error")
			}
			mu.Unlock()
			if got := receive(t, slow); got != `200 {"done":"yes"}` {
				t.Errorf("the ordinary request in flight got %s, want 200 and its body", got)
			}
			if err := receive(t, stopped); err != nil {
				t.Errorf("Serve returned %v, want nil: every stream ended and the request finished", err)
			}
		})
	}
}

// receive waits for a value from ch, failing the test after a minute.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Minute):
		t.Fatal("nothing came in a minute")
		panic("unreachable")
	}
}

// capture is a slog.Handler that keeps the records' messages.
type capture struct {
	mu   sync.Mutex
	msgs []string
}

func (c *capture) Enabled(context.Context, slog.Level) bool { return true }
func (c *capture) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, r.Level.String()+" "+r.Message)
	return nil
}
func (c *capture) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *capture) WithGroup(string) slog.Handler      { return c }

func (c *capture) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

// TestErrorLogThroughSlog: fasthttp's own error log (here a client that
// speaks plain HTTP to the TLS port) goes to Config.Logger.
func TestErrorLogThroughSlog(t *testing.T) {
	cert := testcert.New(t)
	logs := &capture{}
	s := serve(t, apiRouter(nil), fasthttpadapter.Config{CertFile: cert.CertFile, KeyFile: cert.KeyFile, Logger: slog.New(logs)})
	conn := dial(t, s.addr)
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	io.Copy(io.Discard, conn)
	var msgs []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if msgs = logs.all(); len(msgs) > 0 {
			break
		}
	}
	// A connection that failed is the client's doing: Debug, as net/http
	// logs nothing for most of them (serverLogger).
	if len(msgs) == 0 || msgs[0] != "DEBUG fasthttp: error serving a connection" {
		t.Errorf("fasthttp's log: %q, want a DEBUG record about the failed connection", msgs)
	}
}

// unixClient is an HTTP client whose every connection goes to the Unix
// socket at path.
func unixClient(path string) *http.Client {
	return &http.Client{
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", path)
		}},
		Timeout: 10 * time.Second,
	}
}

// TestUnixSocket: ListenAndServe on "unix:/path" replaces a socket file a
// crashed server left, makes the socket with SocketMode, serves a request
// that has no client IP, and removes its file when it returns.
func TestUnixSocket(t *testing.T) {
	dir, err := os.MkdirTemp("", "kaito") // short: a socket path has at most 107 bytes
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close() // the socket file stays, as after a crash

	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, quiet)
	kaito.Get(r, "/ip", func(req *kaito.Request, _ struct{}) (map[string]string, error) {
		return map[string]string{"ip": req.IP()}, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- fasthttpadapter.ListenAndServe(ctx, "unix:"+path, fasthttpadapter.Handler(r), fasthttpadapter.Config{SocketMode: 0o600})
	}()
	c := unixClient(path)
	var res *http.Response
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if res, err = c.Get("http://app/ip"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("GET over the socket: %v", err)
	}
	var got map[string]string
	err = json.NewDecoder(res.Body).Decode(&got)
	res.Body.Close()
	if res.StatusCode != 200 || err != nil || got["ip"] != "" {
		t.Errorf("GET /ip over the socket: %d %v %v, want 200 and no IP", res.StatusCode, got, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 || fi.Mode().Type() != os.ModeSocket {
		t.Errorf("the socket file: %v, want a socket with mode 0600", err)
	}
	err = fasthttpadapter.ListenAndServe(context.Background(), "unix:"+path, fasthttpadapter.Handler(r), fasthttpadapter.Config{})
	if err == nil || !strings.Contains(err.Error(), "another server") {
		t.Errorf("a second ListenAndServe on a socket in use: %v, want an error", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("ListenAndServe returned %v", err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket file is still there after Serve returned: %v", err)
	}
}
