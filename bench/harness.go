package bench

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"
)

// Sink is a reusable http.ResponseWriter: a fresh httptest.ResponseRecorder
// per operation costs more than the routers themselves. Reset clears the
// header map (keeping its storage), the status and the byte count; the body
// is kept only when Keep is set.
type Sink struct {
	H      http.Header
	Status int
	N      int
	Keep   bool
	Body   []byte
}

// NewSink returns an empty Sink.
func NewSink() *Sink { return &Sink{H: make(http.Header, 4)} }

func (s *Sink) Header() http.Header { return s.H }

func (s *Sink) WriteHeader(code int) {
	if s.Status == 0 {
		s.Status = code
	}
}

func (s *Sink) Write(p []byte) (int, error) {
	if s.Status == 0 {
		s.Status = http.StatusOK
	}
	s.N += len(p)
	if s.Keep {
		s.Body = append(s.Body, p...)
	}
	return len(p), nil
}

// Reset prepares the Sink for the next operation.
func (s *Sink) Reset() {
	clear(s.H)
	s.Status, s.N = 0, 0
	s.Body = s.Body[:0]
}

// rewindBody is a request body that can be read again after Rewind.
type rewindBody struct {
	bytes.Reader
	data []byte
}

func (b *rewindBody) Close() error { return nil }

// Rewind makes the whole body readable again.
func (b *rewindBody) Rewind() { b.Reset(b.data) }

// HTTPRequest is a reusable net/http request for one case: Next rewinds its
// body, so that the same *http.Request serves every operation.
type HTTPRequest struct {
	R    *http.Request
	body *rewindBody
}

// Next prepares the request for another operation and returns it.
func (r *HTTPRequest) Next() *http.Request {
	if r.body != nil {
		r.body.Rewind()
	}
	return r.R
}

// NewHTTPRequest builds c's request as a server would hand it to a
// handler: the socket peer is PeerIP, a trusted proxy.
func NewHTTPRequest(c Case) *HTTPRequest {
	req := httptest.NewRequest(c.Method, c.Path, nil)
	req.RemoteAddr = PeerIP + ":" + strconv.Itoa(PeerPort)
	for _, h := range c.Header {
		req.Header.Add(h[0], h[1])
	}
	out := &HTTPRequest{R: req}
	if c.Body != "" {
		out.body = &rewindBody{data: []byte(c.Body)}
		out.body.Rewind()
		req.Body = out.body
		req.ContentLength = int64(len(c.Body))
	}
	return out
}

// NewCtx builds c's request as a fasthttp.RequestCtx, with PeerIP as the
// socket peer. Handlers are run on it again and again, as Fiber's own
// benchmarks do; ServeFast resets the response before each run, as the
// server does between requests.
func NewCtx(c Case) *fasthttp.RequestCtx {
	var req fasthttp.Request
	req.Header.SetMethod(c.Method)
	req.SetRequestURI(c.Path)
	req.Header.SetHost("example.com")
	for _, h := range c.Header {
		req.Header.Add(h[0], h[1])
	}
	if c.Body != "" {
		req.SetBodyString(c.Body)
	}
	ctx := new(fasthttp.RequestCtx)
	ctx.Init(&req, &net.TCPAddr{IP: net.ParseIP(PeerIP), Port: PeerPort}, nil)
	return ctx
}

// ServeFast runs h on ctx once, after resetting the response.
func ServeFast(h fasthttp.RequestHandler, ctx *fasthttp.RequestCtx) {
	ctx.Response.Reset()
	h(ctx)
}

// Answer is what a peer answered.
type Answer struct {
	Status      int
	ContentType string
	Body        string
}

// DoHTTP runs c on h and returns the answer.
func DoHTTP(h http.Handler, c Case) Answer {
	w := NewSink()
	w.Keep = true
	h.ServeHTTP(w, NewHTTPRequest(c).Next())
	return Answer{Status: w.Status, ContentType: w.H.Get("Content-Type"), Body: string(w.Body)}
}

// DoFast runs c on h and returns the answer.
func DoFast(h fasthttp.RequestHandler, c Case) Answer {
	ctx := NewCtx(c)
	ServeFast(h, ctx)
	return Answer{Status: ctx.Response.StatusCode(), ContentType: string(ctx.Response.Header.ContentType()), Body: string(ctx.Response.Body())}
}

// Check reports how a differs from what c wants: the status, a JSON
// content type, and the body (a trailing newline aside).
func (c Case) Check(a Answer) error {
	if a.Status != c.Status {
		return fmt.Errorf("%s %s: status %d, want %d (body %q)", c.Method, c.Path, a.Status, c.Status, a.Body)
	}
	if c.Want == "" {
		return nil
	}
	if !strings.HasPrefix(a.ContentType, "application/json") {
		return fmt.Errorf("%s %s: Content-Type %q, want application/json", c.Method, c.Path, a.ContentType)
	}
	if got := strings.TrimSuffix(a.Body, "\n"); got != c.Want {
		return fmt.Errorf("%s %s: body %q, want %q", c.Method, c.Path, got, c.Want)
	}
	return nil
}

// GitHubCases returns one request per GitHub route, each answered 204.
func GitHubCases() []Case {
	routes := GitHubRoutes()
	cases := make([]Case, len(routes))
	for i, r := range routes {
		cases[i] = Case{Method: r.Method, Path: r.Path(), Status: http.StatusNoContent}
	}
	return cases
}
