package nethttp_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

// Limits and timeouts of the Serve helper, on a real listener on
// 127.0.0.1:0: what a slow, large or vanishing client gets, and how a
// shutdown treats requests in flight.

// countingListener counts the bytes the server reads from its connections.
type countingListener struct {
	net.Listener
	read *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.read}, nil
}

type countingConn struct {
	net.Conn
	read *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// server is a Serve running for a test.
type server struct {
	addr string
	read *atomic.Int64 // bytes read from connections
	stop func() error  // cancels Serve's context and returns its result
}

func serve(t *testing.T, h http.Handler, cfg nethttp.Config) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	read := new(atomic.Int64)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- nethttp.Serve(ctx, countingListener{ln, read}, h, cfg) }()
	var once sync.Once
	var result error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case result = <-done:
			case <-time.After(30 * time.Second):
				result = errors.New("Serve did not return 30s after its context was cancelled")
			}
		})
		return result
	}
	t.Cleanup(func() { stop() })
	return &server{addr: ln.Addr().String(), read: read, stop: stop}
}

var quiet = kaito.WithLogger(slog.New(slog.DiscardHandler))

type nameIn struct {
	Name string `json:"name"`
}

// echoRouter answers POST /echo with the bound body, within limit bytes.
func echoRouter(limit int64) http.Handler {
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil }, quiet, kaito.WithBodyLimit(limit))
	kaito.Post(r, "/echo", func(_ struct{}, in nameIn) (nameIn, error) { return in, nil })
	return nethttp.Handler(r)
}

// readStatus reads one response from c and returns its status and body.
func readStatus(t *testing.T, c net.Conn) (int, string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// waitFor waits for the handler to say it started.
func waitFor(t *testing.T, started <-chan struct{}) {
	t.Helper()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the handler did not start within 5s")
	}
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestDefaultsAreDocumented(t *testing.T) {
	// The values Config's field comments promise.
	want := nethttp.Config{
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second,
		IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10, ShutdownTimeout: 10 * time.Second,
		SocketMode: 0o660,
	}
	if nethttp.Defaults != want {
		t.Errorf("Defaults = %+v, want %+v", nethttp.Defaults, want)
	}
	srv, err := nethttp.NewServer(http.NotFoundHandler(), nethttp.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// The server reads twice MaxHeaderBytes, so that headers a little over
	// the limit get kaito's JSON 431 (TestHeaderLimitJSON).
	if srv.ReadHeaderTimeout != want.ReadHeaderTimeout || srv.ReadTimeout != want.ReadTimeout ||
		srv.WriteTimeout != want.WriteTimeout || srv.IdleTimeout != want.IdleTimeout || srv.MaxHeaderBytes != 2*want.MaxHeaderBytes {
		t.Errorf("NewServer with a zero Config: %v %v %v %v %v", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout, srv.MaxHeaderBytes)
	}
	// A field that is set wins; the others keep their defaults.
	srv, _ = nethttp.NewServer(http.NotFoundHandler(), nethttp.Config{ReadTimeout: 5 * time.Second})
	if srv.ReadTimeout != 5*time.Second || srv.WriteTimeout != want.WriteTimeout || srv.ReadHeaderTimeout != want.ReadHeaderTimeout {
		t.Errorf("NewServer with ReadTimeout 5s: %v %v %v", srv.ReadTimeout, srv.WriteTimeout, srv.ReadHeaderTimeout)
	}
	// A negative field is an error, and Serve then closes the listener.
	if _, err := nethttp.NewServer(http.NotFoundHandler(), nethttp.Config{IdleTimeout: -1}); err == nil {
		t.Error("NewServer accepted a negative IdleTimeout")
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	if err := nethttp.Serve(context.Background(), ln, http.NotFoundHandler(), nethttp.Config{MaxHeaderBytes: -1}); err == nil {
		t.Error("Serve accepted a negative MaxHeaderBytes")
	}
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Error("Serve left the listener open after refusing its Config")
	}
}

// TestSlowHeaders: a client that sends its headers a byte at a time is cut
// off after ReadHeaderTimeout, before any handler runs.
func TestSlowHeaders(t *testing.T) {
	var calls atomic.Int32
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }),
		nethttp.Config{ReadHeaderTimeout: 300 * time.Millisecond})
	c := dial(t, s.addr)
	closed := make(chan struct{})
	go func() { io.Copy(io.Discard, c); close(closed) }()
	start := time.Now()
	msg := "GET / HTTP/1.1\r\nHost: example.com\r\nX-Slow: " + strings.Repeat("a", 200)
	for i := 0; i < len(msg); i++ {
		select {
		case <-closed:
			i = len(msg)
			continue
		default:
		}
		if _, err := c.Write([]byte{msg[i]}); err != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the connection was still open 5s after the slow client started")
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 3*time.Second {
		t.Errorf("cut off after %v, want about the ReadHeaderTimeout of 300ms", d)
	}
	if calls.Load() != 0 {
		t.Error("the handler ran for a request whose headers never arrived")
	}
}

// TestBodyLimit: a body over WithBodyLimit is answered 413 without being
// read into memory, whether its length is declared or it is chunked.
func TestBodyLimit(t *testing.T) {
	const limit, huge = 1 << 10, 8 << 20
	s := serve(t, echoRouter(limit), nethttp.Config{})

	t.Run("within the limit", func(t *testing.T) {
		c := dial(t, s.addr)
		body := `{"name":"gopher"}`
		fmt.Fprintf(c, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		if st, b := readStatus(t, c); st != 200 || strings.TrimSpace(b) != body {
			t.Errorf("%d %q", st, b)
		}
		c2 := dial(t, s.addr)
		fmt.Fprintf(c2, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(body), body)
		if st, b := readStatus(t, c2); st != 200 || strings.TrimSpace(b) != body {
			t.Errorf("chunked: %d %q", st, b)
		}
	})

	for _, chunked := range []bool{false, true} {
		name := map[bool]string{false: "Content-Length", true: "chunked"}[chunked]
		t.Run(name, func(t *testing.T) {
			before := s.read.Load()
			c := dial(t, s.addr)
			head := "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			if chunked {
				head += "Transfer-Encoding: chunked\r\n\r\n"
			} else {
				head += fmt.Sprintf("Content-Length: %d\r\n\r\n", huge)
			}
			if _, err := io.WriteString(c, head); err != nil {
				t.Fatal(err)
			}
			// The client offers 8 MiB and keeps writing until the server
			// stops reading and the connection is closed.
			var wg sync.WaitGroup
			wg.Go(func() {
				chunk := []byte(`{"name":"` + strings.Repeat("x", 16<<10-9))
				for sent := 0; sent < huge; sent += len(chunk) {
					var err error
					if chunked {
						_, err = fmt.Fprintf(c, "%x\r\n%s\r\n", len(chunk), chunk)
					} else {
						_, err = c.Write(chunk)
					}
					if err != nil {
						return
					}
				}
			})
			st, b := readStatus(t, c)
			c.Close()
			wg.Wait()
			if st != http.StatusRequestEntityTooLarge {
				t.Errorf("%d %s, want 413", st, b)
			}
			time.Sleep(100 * time.Millisecond)
			if n := s.read.Load() - before; n > 1<<20 {
				t.Errorf("the server read %d bytes of an %d-byte body over a %d-byte limit", n, huge, limit)
			} else {
				t.Logf("the server read %d bytes of the %d offered", n, huge)
			}
		})
	}
}

// TestReadTimeout: a body that trickles in is cut off after ReadTimeout.
func TestReadTimeout(t *testing.T) {
	s := serve(t, echoRouter(1<<20), nethttp.Config{ReadTimeout: 400 * time.Millisecond})
	c := dial(t, s.addr)
	fmt.Fprintf(c, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	start := time.Now()
	go func() {
		for range 100 {
			if _, err := c.Write([]byte(" ")); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	switch {
	case err == nil && res.StatusCode == 200:
		t.Fatalf("a body that took more than ReadTimeout was accepted")
	case err != nil && errors.Is(err, context.DeadlineExceeded):
		t.Fatalf("no answer and no close 5s into a body that trickles in")
	case err == nil:
		t.Logf("answered %d after %v", res.StatusCode, time.Since(start))
	default:
		t.Logf("connection closed after %v: %v", time.Since(start), err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cut off after %v, want about the ReadTimeout of 400ms", d)
	}
}

// TestMaxHeaderBytes: headers over the limit are answered 431.
func TestMaxHeaderBytes(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for _, c := range []struct {
		cfg    nethttp.Config
		size   int
		status int
	}{
		{nethttp.Config{}, 32 << 10, 200},
		{nethttp.Config{}, 128 << 10, 431},
		{nethttp.Config{MaxHeaderBytes: 4 << 10}, 2 << 10, 200},
		{nethttp.Config{MaxHeaderBytes: 4 << 10}, 32 << 10, 431},
	} {
		s := serve(t, ok, c.cfg)
		conn := dial(t, s.addr)
		fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("b", c.size))
		if st, _ := readStatus(t, conn); st != c.status {
			t.Errorf("MaxHeaderBytes %d, a %d-byte header: %d, want %d", c.cfg.MaxHeaderBytes, c.size, st, c.status)
		}
	}
}

// TestIdleTimeout: a keep-alive connection left idle is closed.
func TestIdleTimeout(t *testing.T) {
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), nethttp.Config{IdleTimeout: 300 * time.Millisecond})
	c := dial(t, s.addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	start := time.Now()
	if _, err := br.ReadByte(); err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the idle connection was not closed: %v", err)
	}
	if d := time.Since(start); d < 200*time.Millisecond || d > 3*time.Second {
		t.Errorf("closed after %v idle, want about 300ms", d)
	}
}

// TestWriteTimeoutSparesStreams: WriteTimeout cuts a slow response, but
// not a server-sent event stream, which runs as long as it has events.
func TestWriteTimeoutSparesStreams(t *testing.T) {
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil }, quiet)
	kaito.Get(r, "/slow", func(struct{}, struct{}) (map[string]int, error) {
		time.Sleep(600 * time.Millisecond)
		return map[string]int{"n": 1}, nil
	})
	kaito.Get(r, "/events", func(struct{}, struct{}) (kaito.SSE, error) {
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			for i := range 6 {
				if err := send(kaito.Event{Data: fmt.Sprint(i)}); err != nil {
					return err
				}
				time.Sleep(150 * time.Millisecond)
			}
			return nil
		}}, nil
	})
	s := serve(t, nethttp.Handler(r), nethttp.Config{WriteTimeout: 300 * time.Millisecond})
	client := &http.Client{Timeout: 10 * time.Second}
	if res, err := client.Get("http://" + s.addr + "/slow"); err == nil {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		t.Errorf("a response written after WriteTimeout arrived: %d %s", res.StatusCode, b)
	}
	res, err := client.Get("http://" + s.addr + "/events")
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || strings.Count(string(b), "data: ") != 6 {
		t.Errorf("the stream was cut after WriteTimeout: %v %q", err, b)
	}
}

// TestDisconnectCancelsContext: when the client goes away mid-request,
// Request.Context() is cancelled, so the handler can stop its work.
func TestDisconnectCancelsContext(t *testing.T) {
	started := make(chan struct{}, 1)
	result := make(chan error, 1)
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, quiet)
	kaito.Get(r, "/work", func(req *kaito.Request, _ struct{}) (struct{}, error) {
		started <- struct{}{}
		select {
		case <-req.Context().Done():
			result <- req.Context().Err()
		case <-time.After(5 * time.Second):
			result <- errors.New("not cancelled within 5s")
		}
		return struct{}{}, nil
	})
	s := serve(t, nethttp.Handler(r), nethttp.Config{})
	c := dial(t, s.addr)
	io.WriteString(c, "GET /work HTTP/1.1\r\nHost: x\r\n\r\n")
	waitFor(t, started)
	c.Close()
	start := time.Now()
	if err := <-result; !errors.Is(err, context.Canceled) {
		t.Errorf("Context().Err() = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancelled %v after the client left", d)
	}
}

// TestStreamEndsWhenClientLeaves: an SSE source learns that the client went
// away from send's error, and returns.
func TestStreamEndsWhenClientLeaves(t *testing.T) {
	ended := make(chan error, 1)
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil }, quiet)
	kaito.Get(r, "/events", func(struct{}, struct{}) (kaito.SSE, error) {
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			for range 500 {
				if err := send(kaito.Event{Data: strings.Repeat("x", 1024)}); err != nil {
					ended <- err
					return err
				}
				time.Sleep(10 * time.Millisecond)
			}
			ended <- nil
			return nil
		}}, nil
	})
	s := serve(t, nethttp.Handler(r), nethttp.Config{})
	c := dial(t, s.addr)
	io.WriteString(c, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, "200") {
		t.Fatalf("%q %v", line, err)
	}
	c.Close()
	select {
	case err := <-ended:
		if err == nil {
			t.Error("the source sent all its events to a client that had left")
		}
	case <-time.After(4 * time.Second):
		t.Error("the source was still sending 4s after the client left")
	}
}

// TestGracefulShutdown: cancelling Serve's context stops accepting new
// connections at once, lets the request in flight finish, and returns nil.
func TestGracefulShutdown(t *testing.T) {
	started := make(chan struct{}, 1)
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil }, quiet)
	kaito.Get(r, "/slow", func(struct{}, struct{}) (map[string]string, error) {
		started <- struct{}{}
		time.Sleep(700 * time.Millisecond)
		return map[string]string{"done": "yes"}, nil
	})
	s := serve(t, nethttp.Handler(r), nethttp.Config{ShutdownTimeout: 5 * time.Second})
	type answer struct {
		status int
		body   string
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		res, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + s.addr + "/slow")
		if err != nil {
			answered <- answer{err: err}
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		answered <- answer{status: res.StatusCode, body: string(b)}
	}()
	waitFor(t, started)
	start := time.Now()
	stopped := make(chan error, 1)
	go func() { stopped <- s.stop() }()

	// New connections are refused while the request finishes.
	refused := false
	for deadline := time.Now().Add(500 * time.Millisecond); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", s.addr, time.Second)
		if err != nil {
			refused = true
			break
		}
		c.Close()
	}
	if !refused {
		t.Error("new connections were still accepted 500ms into the shutdown")
	}
	a := <-answered
	if a.err != nil || a.status != 200 || strings.TrimSpace(a.body) != `{"done":"yes"}` {
		t.Errorf("the request in flight got %+v, want 200 and its body", a)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve returned %v after a clean shutdown", err)
	}
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("Serve returned %v into the shutdown, before the request in flight was done", d)
	}
}

// TestShutdownDeadline: a request still running after ShutdownTimeout is
// cut off, and Serve returns an error saying so, in time.
func TestShutdownDeadline(t *testing.T) {
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	defer close(release)
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil }, quiet)
	kaito.Get(r, "/stuck", func(struct{}, struct{}) (struct{}, error) {
		started <- struct{}{}
		<-release
		return struct{}{}, nil
	})
	s := serve(t, nethttp.Handler(r), nethttp.Config{ShutdownTimeout: 300 * time.Millisecond})
	clientErr := make(chan error, 1)
	go func() {
		res, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + s.addr + "/stuck")
		if err == nil {
			res.Body.Close()
		}
		clientErr <- err
	}()
	waitFor(t, started)
	start := time.Now()
	err := s.stop()
	d := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "cut off") {
		t.Errorf("Serve returned %v, want an error saying requests were cut off", err)
	}
	if d < 250*time.Millisecond || d > 2*time.Second {
		t.Errorf("Serve returned %v into the shutdown, want about the ShutdownTimeout of 300ms", d)
	}
	select {
	case err := <-clientErr:
		if err == nil {
			t.Error("the cut-off request got a response")
		}
	case <-time.After(3 * time.Second):
		t.Error("the cut-off request's connection was left open")
	}
}

// TestUnreadBodyIsNeverARequest: the part of a body that a handler did not
// read (refused as too large, or not wanted) is skipped or the connection
// closed; it is never parsed as the next request on the connection, which
// would let a client smuggle a request past a proxy that checked the first.
func TestUnreadBodyIsNeverARequest(t *testing.T) {
	var smuggled atomic.Int32
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil }, quiet, kaito.WithBodyLimit(1<<10))
	kaito.Post(r, "/echo", func(_ struct{}, in nameIn) (nameIn, error) { return in, nil })
	kaito.Post(r, "/ignore", func(struct{}, struct{}) (map[string]bool, error) { return map[string]bool{"ok": true}, nil })
	kaito.Get(r, "/smuggled", func(struct{}, struct{}) (string, error) { smuggled.Add(1); return "smuggled", nil })
	s := serve(t, nethttp.Handler(r), nethttp.Config{})
	inner := "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
	for _, c := range []struct {
		path   string
		status int
	}{{"/echo", 413}, {"/ignore", 200}} {
		// The request line of the smuggled request starts where a server
		// that pre-reads 4 or 8 KiB of the body would stop.
		for _, pad := range []int{4 << 10, 8 << 10, 64 << 10} {
			conn := dial(t, s.addr)
			body := strings.Repeat("x", pad) + inner
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", c.path, len(body), body)
			br := bufio.NewReader(conn)
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			res, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("%s, %d bytes of padding: %v", c.path, pad, err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != c.status {
				t.Errorf("%s, %d bytes of padding: %d, want %d", c.path, pad, res.StatusCode, c.status)
			}
			conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			if res, err := http.ReadResponse(br, nil); err == nil {
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				t.Errorf("%s, %d bytes of padding: a second response came from the body: %d %s", c.path, pad, res.StatusCode, b)
			}
			conn.Close()
		}
	}
	if n := smuggled.Load(); n != 0 {
		t.Errorf("the request hidden in a body was served %d times", n)
	}
}
