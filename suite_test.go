package kaito_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/valyala/fasthttp"
)

// The conformance suite: every case runs on every adapter, from the same
// table, and must give the same status, the headers it names, and the body.

// served is one router, ready on each runtime.
type served struct {
	netHTTP  http.Handler
	fastHTTP fasthttp.RequestHandler
}

// adapter runs one request against a served router.
type adapter struct {
	name string
	do   func(t *testing.T, s served, r call) result
}

// call is a request as a test describes it.
type call struct {
	method  string
	target  string
	headers [][2]string
	body    string
	remote  string // socket peer, "ip:port"; default 192.0.2.1:1234
	tls     bool
	noHost  bool // send no Host header
}

type result struct {
	status int
	header http.Header
	body   string
}

func serve[C any](r *kaito.Router[C]) served {
	return served{netHTTP: nethttp.Handler(r), fastHTTP: fasthttpadapter.Handler(r)}
}

var adapters = []adapter{{name: "nethttp", do: doNetHTTP}, {name: "fasthttp", do: doFastHTTP}}

func (c call) request() *http.Request {
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	method := c.method
	if method == "" {
		method = http.MethodGet
	}
	target := c.target
	if c.tls {
		target = "https://example.com" + target
	}
	req := httptest.NewRequest(method, target, body)
	if c.noHost {
		req.Host = ""
	}
	for _, h := range c.headers {
		if strings.EqualFold(h[0], "Host") {
			req.Host = h[1]
			continue
		}
		req.Header.Add(h[0], h[1])
	}
	if c.remote != "" {
		req.RemoteAddr = c.remote
	} else {
		req.RemoteAddr = "192.0.2.1:1234"
	}
	return req
}

func doNetHTTP(t *testing.T, s served, c call) result {
	t.Helper()
	rec := httptest.NewRecorder()
	s.netHTTP.ServeHTTP(rec, c.request())
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return result{status: res.StatusCode, header: res.Header, body: string(b)}
}

// onEvery runs check for c on every adapter.
func onEvery(t *testing.T, s served, c call, check func(t *testing.T, r result)) {
	t.Helper()
	for _, a := range adapters {
		t.Run(a.name, func(t *testing.T) {
			t.Helper()
			check(t, a.do(t, s, c))
		})
	}
}

// expect is a check of status, named headers and the exact body ("" and
// noBody both mean empty; anyBody skips the body).
type expect struct {
	status int
	header map[string]string
	body   string
}

const anyBody = "\x00any"

func (e expect) check(t *testing.T, r result) {
	t.Helper()
	if r.status != e.status {
		t.Errorf("status = %d, want %d (body %q)", r.status, e.status, r.body)
	}
	for k, v := range e.header {
		if got := r.header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if e.body != anyBody && r.body != e.body {
		t.Errorf("body = %q, want %q", r.body, e.body)
	}
}
