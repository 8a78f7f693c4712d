package kaito_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

// Response streams (Stream, SSE) on real loopback servers, through each
// adapter's Serve helper: what a stream reads of its request after the
// handler returned, how it learns that its client left, and what a client
// sees of a response that was cut short.

// live is a router served on 127.0.0.1 by one adapter.
type live struct {
	name string
	addr string
}

// serveLive serves r on a loopback listener through each adapter's Serve
// helper, and shuts both down when the test ends.
func serveLive[C any](t *testing.T, r *kaito.Router[C]) []live {
	t.Helper()
	serves := []struct {
		name string
		run  func(ctx context.Context, ln net.Listener) error
	}{
		{"nethttp", func(ctx context.Context, ln net.Listener) error {
			return nethttp.Serve(ctx, ln, nethttp.Handler(r), nethttp.Config{ShutdownTimeout: 2 * time.Second})
		}},
		{"fasthttp", func(ctx context.Context, ln net.Listener) error {
			return fasthttpadapter.Serve(ctx, ln, fasthttpadapter.Handler(r), fasthttpadapter.Config{ShutdownTimeout: 2 * time.Second})
		}},
	}
	var out []live
	for _, s := range serves {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() { defer close(stopped); s.run(ctx, ln) }()
		t.Cleanup(func() {
			cancel()
			select {
			case <-stopped:
			case <-time.After(10 * time.Second):
				t.Errorf("%s: Serve did not return after shutdown", s.name)
			}
		})
		out = append(out, live{s.name, ln.Addr().String()})
	}
	return out
}

// get sends one HTTP/1.1 request on a new connection and returns the
// connection and the response, whose body is still to be read.
func get(t *testing.T, addr, target string, headers ...string) (net.Conn, *http.Response) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(20 * time.Second))
	req := "GET " + target + " HTTP/1.1\r\nHost: example.com\r\n"
	for _, h := range headers {
		req += h + "\r\n"
	}
	if _, err := io.WriteString(c, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		c.Close()
		t.Fatalf("GET %s: %v", target, err)
	}
	return c, res
}

// TestStreamReadsItsOwnRequest: an SSE source that reads its request on
// every tick, after the handler returned and after its client left, sees
// its own request's values while other clients are served, never theirs.
// fasthttp recycles a request's buffers once its connection ends.
func TestStreamReadsItsOwnRequest(t *testing.T) {
	type seen struct{ user, param, query, ip, url, cookie string }
	var mu sync.Mutex
	var saw []seen
	var stop chan struct{}
	ended := make(chan struct{}, 1)
	r, on := reqApp(t)
	kaito.Get(r, "/events/:user", func(req *kaito.Request, _ struct{}) (kaito.SSE, error) {
		mu.Lock()
		stop := stop
		mu.Unlock()
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			defer func() { ended <- struct{}{} }()
			for {
				qs, _ := req.Qs()["q"].(string)
				cookie, _ := req.Cookie("sid")
				s := seen{req.Header("X-User"), req.Param("user"), qs, req.IP(), req.URL(true), cookie}
				mu.Lock()
				saw = append(saw, s)
				mu.Unlock()
				send(kaito.Event{Data: s.user}) // its error is the next test's
				select {
				case <-stop:
					return nil
				case <-time.After(time.Millisecond):
				}
			}
		}}, nil
	})
	on("/echo/:user", func(req *kaito.Request) any { return req.Header("X-User") + req.Param("user") })
	for _, s := range serveLive(t, r) {
		t.Run(s.name, func(t *testing.T) {
			mu.Lock()
			saw = nil
			stop = make(chan struct{})
			mu.Unlock()
			c, res := get(t, s.addr, "/events/alice?q=alice", "X-User: alice", "Cookie: sid=alice")
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if line, err := bufio.NewReader(res.Body).ReadString('\n'); err != nil || !strings.Contains(line, "alice") {
				t.Fatalf("first event %q %v", line, err)
			}
			c.Close()
			// Bob, on new connections, with his own values everywhere the
			// source reads.
			for i := range 150 {
				bob := fmt.Sprintf("bob-SECRET-%d", i)
				c, res := get(t, s.addr, "/echo/"+bob+"?q="+bob, "X-User: "+bob, "Cookie: sid="+bob)
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				c.Close()
			}
			mu.Lock()
			close(stop)
			mu.Unlock()
			select {
			case <-ended:
			case <-time.After(10 * time.Second):
				t.Fatal("the source did not end")
			}
			mu.Lock()
			defer mu.Unlock()
			want := seen{"alice", "alice", "alice", "127.0.0.1", "/events/alice?q=alice", "alice"}
			bad := 0
			for _, got := range saw {
				if got != want {
					if bad++; bad <= 3 {
						t.Errorf("the source read %+v, want %+v", got, want)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d reads were not alice's request", bad, len(saw))
			}
		})
	}
}

// records collects log records.
type records struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *records) Enabled(context.Context, slog.Level) bool { return true }
func (h *records) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r)
	return nil
}
func (h *records) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *records) WithGroup(string) slog.Handler      { return h }

// atLeast returns the messages of the records at level l or above.
func (h *records) atLeast(l slog.Level) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, r := range h.recs {
		if r.Level >= l {
			out = append(out, r.Message)
		}
	}
	return out
}

// TestStreamEndsWhenClientLeaves: once the client of an SSE stream has
// gone, the request's context ends and send fails, on fasthttp too (which
// has no per-request signal of its own), and the normal end is not logged
// as a warning.
func TestStreamEndsWhenClientLeaves(t *testing.T) {
	type outcome struct {
		ctxDone bool
		sendErr error
	}
	var mu sync.Mutex
	var outcomes chan outcome
	logs := &records{}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithLogger(slog.New(logs)))
	kaito.Get(r, "/events", func(req *kaito.Request, _ struct{}) (kaito.SSE, error) {
		mu.Lock()
		out := outcomes
		mu.Unlock()
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			if err := send(kaito.Event{Data: "hello"}); err != nil {
				out <- outcome{sendErr: fmt.Errorf("first send: %w", err)}
				return err
			}
			// Nothing to send for a long while: the client's departure
			// must still be noticed.
			var o outcome
			select {
			case <-req.Context().Done():
				o.ctxDone = true
			case <-time.After(5 * time.Second): // failure detection only
			}
			o.sendErr = send(kaito.Event{Data: "anyone there?"})
			out <- o
			return o.sendErr
		}}, nil
	})
	for _, s := range serveLive(t, r) {
		t.Run(s.name, func(t *testing.T) {
			mu.Lock()
			outcomes = make(chan outcome, 1)
			out := outcomes
			mu.Unlock()
			c, res := get(t, s.addr, "/events")
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if line, err := bufio.NewReader(res.Body).ReadString('\n'); err != nil || !strings.Contains(line, "hello") {
				t.Fatalf("first event %q %v", line, err)
			}
			c.Close()
			var o outcome
			select {
			case o = <-out:
			case <-time.After(10 * time.Second):
				t.Fatal("the source never finished")
			}
			if !o.ctxDone {
				t.Error("the request's context was not done after the client left")
			}
			if o.sendErr == nil {
				t.Error("send succeeded after the client left")
			}
		})
	}
	// The source has returned; its end is logged, at Debug, as it returns.
	deadline := time.Now().Add(5 * time.Second)
	for len(logs.atLeast(slog.LevelDebug)) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if warn := logs.atLeast(slog.LevelWarn); len(warn) > 0 {
		t.Errorf("a client leaving a stream was logged as %q", warn)
	}
}

// cutResponder writes part of a response and then panics.
type cutResponder struct{}

func (cutResponder) Respond(w kaito.ResponseWriter) error {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(200)
	w.Write([]byte("partial "))
	panic("the database went away")
}

// failingResponder writes part of a response and then fails.
type failingResponder struct{}

func (failingResponder) Respond(w kaito.ResponseWriter) error {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(200)
	w.Write([]byte("partial "))
	return fmt.Errorf("the database went away")
}

// TestCutResponseIsNotComplete: a response cut short after it started, by
// a panic or an error in a Responder or a stream, must not
// reach a client (or a cache) on a kept-alive connection as a complete
// 200: the connection is dropped, and a chunked body gets no final chunk.
func TestCutResponseIsNotComplete(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Get(r, "/responder", func(*kaito.Request, struct{}) (cutResponder, error) { return cutResponder{}, nil })
	kaito.Get(r, "/responder-error", func(*kaito.Request, struct{}) (failingResponder, error) { return failingResponder{}, nil })
	kaito.Get(r, "/stream-panic", func(*kaito.Request, struct{}) (kaito.Stream, error) {
		return kaito.Stream{ContentType: "text/plain", Body: func(w io.Writer, flush func() error) error {
			io.WriteString(w, "partial ")
			flush()
			panic("the database went away")
		}}, nil
	})
	kaito.Get(r, "/stream-error", func(*kaito.Request, struct{}) (kaito.Stream, error) {
		return kaito.Stream{ContentType: "text/plain", Body: func(w io.Writer, flush func() error) error {
			io.WriteString(w, "partial ")
			flush()
			return fmt.Errorf("the database went away")
		}}, nil
	})
	kaito.Get(r, "/sse-panic", func(*kaito.Request, struct{}) (kaito.SSE, error) {
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			send(kaito.Event{Data: "one"})
			panic("the feed went away")
		}}, nil
	})
	kaito.Get(r, "/ok", func(*kaito.Request, struct{}) (string, error) { return "ok", nil })
	for _, s := range serveLive(t, r) {
		for _, target := range []string{"/responder", "/responder-error", "/stream-panic", "/stream-error", "/sse-panic"} {
			t.Run(s.name+target, func(t *testing.T) {
				c, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second))
				// Two requests on one kept-alive connection: the second
				// must never be answered after a cut first one.
				io.WriteString(c, "GET "+target+" HTTP/1.1\r\nHost: example.com\r\n\r\n")
				br := bufio.NewReader(c)
				res, err := http.ReadResponse(br, nil)
				if err != nil {
					return // no response at all: the client can tell
				}
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err == nil && res.StatusCode == 200 {
					t.Errorf("a cut response arrived as a complete 200: %q (chunked %v, length %d)", body, res.TransferEncoding, res.ContentLength)
				}
				io.WriteString(c, "GET /ok HTTP/1.1\r\nHost: example.com\r\n\r\n")
				if res, err := http.ReadResponse(br, nil); err == nil {
					t.Errorf("the connection went on after a cut response: %d", res.StatusCode)
				}
			})
		}
	}
}

// TestStreamReadsItsOwnBody: what the handler read of its body (bound
// into In, Body, Raw) stays that request's in a stream while other
// clients post theirs; a body the handler did not read is gone, on both
// adapters alike, and ParseBody says so.
func TestStreamReadsItsOwnBody(t *testing.T) {
	type nameIn struct {
		Name string `json:"name"`
	}
	type seen struct{ bound, body, raw string }
	var mu sync.Mutex
	var saw []seen
	var stop chan struct{}
	ended := make(chan error, 1)
	r, on := reqApp(t)
	kaito.Post(r, "/events", func(req *kaito.Request, in nameIn) (kaito.SSE, error) {
		mu.Lock()
		stop := stop
		mu.Unlock()
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			// Body and Raw are first asked for once other clients have
			// been served; until then it keeps sending (to a client that
			// left, which fasthttp notices only from a failed write).
		wait:
			for {
				send(kaito.Event{Data: in.Name})
				select {
				case <-stop:
					break wait
				case <-time.After(time.Millisecond):
				}
			}
			name, _ := req.Body()["name"].(string)
			mu.Lock()
			saw = append(saw, seen{in.Name, name, string(req.Raw())})
			mu.Unlock()
			ended <- nil
			return nil
		}}, nil
	})
	kaito.Post(r, "/unread", func(req *kaito.Request, _ struct{}) (kaito.SSE, error) {
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			ended <- req.ParseBody()
			return nil
		}}, nil
	})
	on("/echo", func(req *kaito.Request) any { return req.Body() })
	post := func(t *testing.T, addr, target, body string) (net.Conn, *http.Response) {
		t.Helper()
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(20 * time.Second))
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", target, len(body), body)
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		return c, res
	}
	const alice = `{"name":"alice"}`
	for _, s := range serveLive(t, r) {
		t.Run(s.name, func(t *testing.T) {
			mu.Lock()
			saw = nil
			stop = make(chan struct{})
			mu.Unlock()
			c, res := post(t, s.addr, "/events", alice)
			if line, err := bufio.NewReader(res.Body).ReadString('\n'); err != nil || !strings.Contains(line, "alice") {
				t.Fatalf("first event %q %v", line, err)
			}
			c.Close()
			for i := range 100 {
				c, res := post(t, s.addr, "/echo", fmt.Sprintf(`{"name":"bob-SECRET-%02d"}`, i))
				io.Copy(io.Discard, res.Body)
				c.Close()
			}
			mu.Lock()
			close(stop)
			mu.Unlock()
			select {
			case <-ended:
			case <-time.After(10 * time.Second):
				t.Fatal("the source did not end")
			}
			mu.Lock()
			if len(saw) != 1 || saw[0] != (seen{"alice", "alice", alice}) {
				t.Errorf("the source read %+v, want alice's body", saw)
			}
			mu.Unlock()

			c, _ = post(t, s.addr, "/unread", alice)
			defer c.Close()
			select {
			case err := <-ended:
				if err == nil {
					t.Error("a body the handler did not read was parsed in the stream")
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the source did not run")
			}
		})
	}
}

// TestStreamOpensItsUpload: an uploaded file the handler took (kept on
// disk, past MaxMemory) can be opened by the stream after the handler
// returned, and is removed when the stream ends.
func TestStreamOpensItsUpload(t *testing.T) {
	r, _ := reqApp(t, kaito.WithMultipartLimits(kaito.MultipartLimits{MaxMemory: 1}))
	kaito.Post(r, "/upload", func(req *kaito.Request, _ struct{}) (kaito.Stream, error) {
		f := req.File("f")
		return kaito.Stream{ContentType: "text/plain", Body: func(w io.Writer, flush func() error) error {
			flush() // the handler has returned on fasthttp by the time this is sent
			if f == nil {
				return fmt.Errorf("no file")
			}
			rc, err := f.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			_, err = io.Copy(w, rc)
			return err
		}}, nil
	})
	body, ct := multipartBody(t, nil, [][3]string{{"f", "a.txt", "alice's upload"}})
	for _, s := range serveLive(t, r) {
		t.Run(s.name, func(t *testing.T) {
			c, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			fmt.Fprintf(c, "POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", ct, len(body), body)
			res, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(res.Body)
			if err != nil || string(got) != "alice's upload" {
				t.Errorf("the stream read %q, %v; want the upload", got, err)
			}
		})
	}
}
