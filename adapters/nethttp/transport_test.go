package nethttp_test

import (
	"bufio"
	"bytes"
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

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/internal/testcert"
)

// TLS, HTTP/2 over TLS and h2c, Unix sockets and the shutdown of streams,
// through Serve and ListenAndServe with Go's own client on real sockets.

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
func apiRouter(next <-chan struct{}) http.Handler {
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
	return nethttp.Handler(r)
}

// mode is a way to reach the server: a Config for it, the client that
// speaks it, the scheme and the protocol version the client must get.
type mode struct {
	name   string
	cfg    func(cert testcert.Cert) nethttp.Config
	client func(cert testcert.Cert) *http.Client
	scheme string
	proto  int
}

func h2cOnly() *http.Protocols {
	p := new(http.Protocols)
	p.SetUnencryptedHTTP2(true)
	return p
}

var modes = []mode{
	{"HTTP/1.1", func(testcert.Cert) nethttp.Config { return nethttp.Config{} },
		func(testcert.Cert) *http.Client {
			return &http.Client{Transport: &http.Transport{}, Timeout: 20 * time.Second}
		},
		"http", 1},
	{"HTTP/2 over TLS from files", func(c testcert.Cert) nethttp.Config { return nethttp.Config{CertFile: c.CertFile, KeyFile: c.KeyFile} },
		h2Client, "https", 2},
	{"HTTP/2 over TLS from a tls.Config", func(c testcert.Cert) nethttp.Config {
		// A config that only names HTTP/1.1 still gets h2 offered.
		return nethttp.Config{TLSConfig: &tls.Config{Certificates: []tls.Certificate{c.TLS}, NextProtos: []string{"http/1.1"}}}
	}, h2Client, "https", 2},
	{"HTTP/2 over TLS from GetConfigForClient", func(c testcert.Cert) nethttp.Config {
		return nethttp.Config{TLSConfig: &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
			return &tls.Config{Certificates: []tls.Certificate{c.TLS}}, nil
		}}}
	}, h2Client, "https", 2},
	{"h2c with prior knowledge", func(testcert.Cert) nethttp.Config { return nethttp.Config{H2C: true} },
		func(testcert.Cert) *http.Client {
			return &http.Client{Transport: &http.Transport{Protocols: h2cOnly()}, Timeout: 20 * time.Second}
		}, "http", 2},
}

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

// onlyReader hides a body's length, so that the client sends it without
// Content-Length (chunked over HTTP/1.1, DATA frames over HTTP/2).
type onlyReader struct{ io.Reader }

func TestTransports(t *testing.T) {
	cert := testcert.New(t)
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			next := make(chan struct{})
			s := serve(t, apiRouter(next), m.cfg(cert))
			c := m.client(cert)
			base := m.scheme + "://" + s.addr

			proto, status, body := do(t, c, "GET", base+"/users/42", nil)
			if proto != m.proto || status != 200 || strings.TrimSpace(body) != `{"id":42,"name":"gopher"}` {
				t.Errorf("GET /users/42: HTTP/%d %d %s, want HTTP/%d 200 and the user", proto, status, body, m.proto)
			}
			big := `{"name":"` + strings.Repeat("x", 64<<10) + `"}`
			for _, b := range []struct {
				name string
				r    io.Reader
			}{{"with a length", strings.NewReader(big)}, {"without a length", onlyReader{strings.NewReader(big)}}} {
				proto, status, body = do(t, c, "POST", base+"/echo", b.r)
				if proto != m.proto || status != 413 || !strings.Contains(body, `"message"`) {
					t.Errorf("POST /echo, 64 KiB %s: HTTP/%d %d %s, want HTTP/%d 413 with kaito's body", b.name, proto, status, body, m.proto)
				}
			}

			// Server-sent events arrive one by one: the first before the
			// source is allowed to send the second.
			res, err := c.Get(base + "/events")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.ProtoMajor != m.proto || res.Header.Get("Content-Type") != "text/event-stream" {
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

// TestH2COff: without H2C, a client that speaks HTTP/2 with prior
// knowledge is not served, and a TLS server without a certificate fails
// at once, naming the field.
func TestH2COff(t *testing.T) {
	s := serve(t, apiRouter(nil), nethttp.Config{})
	c := &http.Client{Transport: &http.Transport{Protocols: h2cOnly()}, Timeout: 10 * time.Second}
	if res, err := c.Get("http://" + s.addr + "/users/1"); err == nil {
		res.Body.Close()
		t.Errorf("an h2c client was served (HTTP/%d %d) by a server without H2C", res.ProtoMajor, res.StatusCode)
	}

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	err := nethttp.Serve(context.Background(), ln, apiRouter(nil), nethttp.Config{TLSConfig: &tls.Config{}})
	if err == nil || !strings.Contains(err.Error(), "TLSConfig") {
		t.Errorf("Serve with a TLSConfig holding no certificate: %v, want an error naming TLSConfig", err)
	}
	if _, err := nethttp.NewServer(apiRouter(nil), nethttp.Config{CertFile: "cert.pem"}); err == nil || !strings.Contains(err.Error(), "KeyFile") {
		t.Errorf("NewServer with a CertFile and no KeyFile: %v, want an error naming KeyFile", err)
	}
	if _, err := nethttp.NewServer(apiRouter(nil), nethttp.Config{CertFile: "/nonexistent/cert.pem", KeyFile: "/nonexistent/key.pem"}); err == nil || !strings.Contains(err.Error(), "CertFile") {
		t.Errorf("NewServer with missing certificate files: %v, want an error naming CertFile", err)
	}
}

// TestShutdownEndsStreams: when shutdown starts, every open stream is told
// to end (a source that sends learns it from send, one that waits from its
// context) while an ordinary request in flight keeps its context and
// finishes; Serve then returns nil, long before ShutdownTimeout.
func TestShutdownEndsStreams(t *testing.T) {
	cert := testcert.New(t)
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			var (
				mu        sync.Mutex
				ended     = map[string]error{} // how each stream ended
				allEnded  = make(chan struct{})
				started   = make(chan struct{}, 1)
				slowCtxOK = make(chan error, 1)
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
				return kaito.SSE{Source: func(send func(kaito.Event) error) error {
					if err := send(kaito.Event{Data: "hello"}); err != nil {
						return err
					}
					<-req.Context().Done() // waits for events that never come
					end("waiter", context.Cause(req.Context()))
					return nil
				}}, nil
			})
			kaito.Get(r, "/slow", func(req *kaito.Request, _ struct{}) (map[string]string, error) {
				started <- struct{}{}
				select {
				case <-allEnded:
				case <-time.After(30 * time.Second): // the test has failed: let it end
				}
				slowCtxOK <- req.Context().Err()
				return map[string]string{"done": "yes"}, nil
			})
			cfg := m.cfg(cert)
			cfg.ShutdownTimeout = 60 * time.Second
			s := serve(t, nethttp.Handler(r), cfg)
			c := m.client(cert)
			c.Timeout = 0
			base := m.scheme + "://" + s.addr

			streamDone := make(chan string, 2)
			for _, path := range []string{"/sender", "/waiter"} {
				res, err := c.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				if res.ProtoMajor != m.proto {
					t.Errorf("GET %s over HTTP/%d, want HTTP/%d", path, res.ProtoMajor, m.proto)
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
			for name, err := range ended {
				if !errors.Is(err, http.ErrServerClosed) {
					t.Errorf("the %s stream ended with %v, want http.ErrServerClosed", name, err)
				}
			}
			mu.Unlock()
			if err := receive(t, slowCtxOK); err != nil {
				t.Errorf("the ordinary request's context ended (%v) while it had its grace period", err)
			}
			if got := receive(t, slow); got != `200 {"done":"yes"}` {
				t.Errorf("the ordinary request in flight got %s, want 200 and its body", got)
			}
			if err := receive(t, stopped); err != nil {
				t.Errorf("Serve returned %v, want nil: every stream ended and the request finished", err)
			}
		})
	}
}

// TestHeaderLimitJSON: headers over MaxHeaderBytes are answered 431 with
// kaito's JSON body, over HTTP/1.1 and HTTP/2; far over it, net/http's own
// answer (plain text, or the HTTP/2 connection closed).
func TestHeaderLimitJSON(t *testing.T) {
	cert := testcert.New(t)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			cfg := m.cfg(cert)
			cfg.MaxHeaderBytes = 8 << 10
			s := serve(t, ok, cfg)
			c := m.client(cert)
			for _, tc := range []struct {
				size   int
				status int
				body   string
			}{
				{4 << 10, 200, "ok"},
				{9 << 10, 431, `{"message":"Request Header Fields Too Large"}`},
				{14 << 10, 431, `{"message":"Request Header Fields Too Large"}`},
			} {
				req, _ := http.NewRequest("GET", m.scheme+"://"+s.addr+"/", nil)
				req.Header.Set("X-Big", strings.Repeat("b", tc.size))
				res, err := c.Do(req)
				if err != nil {
					t.Fatalf("a %d-byte header: %v", tc.size, err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != tc.status || string(b) != tc.body {
					t.Errorf("a %d-byte header: %d %s, want %d %s", tc.size, res.StatusCode, b, tc.status, tc.body)
				}
				if tc.status == 431 && res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
					t.Errorf("a %d-byte header: Content-Type %q", tc.size, res.Header.Get("Content-Type"))
				}
			}
		})
	}
	// Far over the limit, over HTTP/1.1: net/http's own plain 431.
	s := serve(t, ok, nethttp.Config{MaxHeaderBytes: 8 << 10})
	conn := dial(t, s.addr)
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("b", 64<<10))
	if st, body := readStatus(t, conn); st != 431 {
		t.Errorf("a 64 KiB header over a limit of 8 KiB: %d %s, want 431", st, body)
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

func (c *capture) find(s string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.msgs {
		if strings.Contains(m, s) {
			return m
		}
	}
	return ""
}

// TestErrorLogThroughSlog: net/http's own error log (here a client that
// speaks plain HTTP to the TLS port) goes to Config.Logger.
func TestErrorLogThroughSlog(t *testing.T) {
	cert := testcert.New(t)
	logs := &capture{}
	s := serve(t, apiRouter(nil), nethttp.Config{CertFile: cert.CertFile, KeyFile: cert.KeyFile, Logger: slog.New(logs)})
	conn := dial(t, s.addr)
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	io.Copy(io.Discard, conn) // the server answers 400 and hangs up
	var msg string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if msg = logs.find("TLS handshake error"); msg != "" {
			break
		}
	}
	if !strings.HasPrefix(msg, "ERROR http: TLS handshake error from 127.0.0.1:") {
		t.Errorf("the handshake error was logged as %q, want an ERROR record (all: %q)", msg, logs.msgs)
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

// TestUnixSocket: ListenAndServe on "unix:/path" makes the socket with
// SocketMode, replaces a socket file a crashed server left, refuses one in
// use and a file that is not a socket, and removes its file when it returns.
func TestUnixSocket(t *testing.T) {
	dir, err := os.MkdirTemp("", "kaito") // short: a socket path has at most 107 bytes
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app.sock")

	// The remains of a crashed server: a socket file nobody listens on.
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- nethttp.ListenAndServe(ctx, "unix:"+path, apiRouter(nil), nethttp.Config{SocketMode: 0o600})
	}()
	c := unixClient(path)
	var res *http.Response
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if res, err = c.Get("http://app/users/7"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("GET over the socket: %v", err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Contains(b, []byte(`"id":7`)) {
		t.Errorf("GET over the socket: %d %s", res.StatusCode, b)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Mode().Type() != os.ModeSocket {
		t.Errorf("the socket file: %v %v, want a socket with mode 0600", fi.Mode(), err)
	}

	// A second server on the same path is refused, and the first goes on.
	err = nethttp.ListenAndServe(context.Background(), "unix:"+path, apiRouter(nil), nethttp.Config{})
	if err == nil || !strings.Contains(err.Error(), "another server") {
		t.Errorf("a second ListenAndServe on a socket in use: %v, want an error", err)
	}
	if res, err := c.Get("http://app/users/8"); err != nil {
		t.Errorf("the first server after the second was refused: %v", err)
	} else {
		res.Body.Close()
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("ListenAndServe returned %v", err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket file is still there after Serve returned: %v", err)
	}

	// A file that is not a socket is never removed.
	if err := os.WriteFile(path, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = nethttp.ListenAndServe(context.Background(), "unix:"+path, apiRouter(nil), nethttp.Config{})
	if err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("ListenAndServe on a regular file: %v, want an error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "precious" {
		t.Errorf("the regular file now holds %q", b)
	}
}

// TestUnixSocketPeer: a request that comes straight over a Unix socket has
// no client IP: IP() is "" and the resolver says why.
func TestUnixSocketPeer(t *testing.T) {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, quiet)
	kaito.Get(r, "/ip", func(req *kaito.Request, _ struct{}) (map[string]string, error) {
		return map[string]string{"ip": req.IP(), "peer": req.Local().RemoteAddr}, nil
	})
	dir, err := os.MkdirTemp("", "kaito")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ip.sock")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go nethttp.ListenAndServe(ctx, "unix:"+path, nethttp.Handler(r), nethttp.Config{})
	c := unixClient(path)
	var res *http.Response
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if res, err = c.Get("http://app/ip"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got map[string]string
	json.NewDecoder(res.Body).Decode(&got)
	if got["ip"] != "" {
		t.Errorf("IP() over a Unix socket = %q, want \"\"", got["ip"])
	}
}

// discard is an http.ResponseWriter that keeps nothing but its header.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(p []byte) (int, error) { return len(p), nil }
func (d discard) WriteHeader(int)             {}

// TestServerHandlerAllocs: the checks NewServer's handler adds (the JSON
// 431) cost no allocation per request.
func TestServerHandlerAllocs(t *testing.T) {
	h := apiRouter(nil)
	srv, err := nethttp.NewServer(h, nethttp.Config{})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "/users/42", nil)
	req.RequestURI, req.Host = "/users/42", "api.example"
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "test")
	req.Header.Set("Cookie", "a=b")
	w := discard{http.Header{}}
	bare := testing.AllocsPerRun(200, func() { clear(w.h); h.ServeHTTP(w, req) })
	served := testing.AllocsPerRun(200, func() { clear(w.h); srv.Handler.ServeHTTP(w, req) })
	if served > bare {
		t.Errorf("NewServer's handler: %v allocations per request, the router alone %v", served, bare)
	}
}
