package kaito_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

// adminApp serves /admin/users/:id (counting the calls that reach it),
// /public/*p, and a few routes a cleaned path could land on.
func adminApp(t *testing.T) (*kaito.Router[*kaito.Request], *atomic.Int32) {
	t.Helper()
	var admin atomic.Int32
	r, on := reqApp(t)
	kaito.Get(r, "/admin/users/:id", func(req *kaito.Request, _ struct{}) (string, error) {
		admin.Add(1)
		return "admin " + req.Param("id"), nil
	})
	kaito.Post(r, "/admin/users/:id", func(req *kaito.Request, _ struct{}) (string, error) {
		admin.Add(1)
		return "admin " + req.Param("id"), nil
	})
	on("/public/*p", func(req *kaito.Request) any { return "public " + req.Param("p") })
	on("/files/:name", func(req *kaito.Request) any { return "file " + req.Param("name") })
	on("/.well-known/:name", func(req *kaito.Request) any { return "well-known " + req.Param("name") })
	return r, &admin
}

// A path that is not canonical is redirected to the cleaned path, on both
// adapters alike, and never served under the raw path.
func TestNonCanonicalPathRedirects(t *testing.T) {
	r, admin := adminApp(t)
	redirect := func(status int, loc string) expect {
		return expect{status, map[string]string{"Location": loc}, anyBody}
	}
	table{
		{"double slash first", call{target: "//admin/users/7"}, redirect(301, "/admin/users/7")},
		{"double slash inside", call{target: "/admin//users/7"}, redirect(301, "/admin/users/7")},
		{"triple slash", call{target: "///admin/users/7"}, redirect(301, "/admin/users/7")},
		{"dot segment", call{target: "/./admin/users/7"}, redirect(301, "/admin/users/7")},
		{"dot dot segment", call{target: "/public/../admin/users/7"}, redirect(301, "/admin/users/7")},
		{"dot dot above the root", call{target: "/../../admin/users/7"}, redirect(301, "/admin/users/7")},
		{"trailing dot", call{target: "/admin/users/7/."}, redirect(301, "/admin/users/7/")},
		{"trailing dot dot", call{target: "/admin/users/7/.."}, redirect(301, "/admin/users")},
		{"query kept", call{target: "/public/../admin/users/7?a=1&b=%20x"}, redirect(301, "/admin/users/7?a=1&b=%20x")},
		{"HEAD", call{method: "HEAD", target: "//admin/users/7"}, redirect(301, "/admin/users/7")},
		{"POST keeps its method", call{method: "POST", target: "//admin/users/7?q=1", body: "x"}, redirect(308, "/admin/users/7?q=1")},
		{"DELETE", call{method: "DELETE", target: "/public/./x"}, redirect(308, "/public/x")},
		{"encoded dot dot", call{target: "/public/%2e%2e/admin/users/7"}, redirect(301, "/admin/users/7")},
		{"encoded dot dot upper case", call{target: "/public/%2E%2E/admin/users/7"}, redirect(301, "/admin/users/7")},
		{"encoded dot", call{target: "/%2e/admin/users/7"}, redirect(301, "/admin/users/7")},
		{"encoded slash before dot dot", call{target: "/public/..%2Fadmin/users/7"}, redirect(301, "/admin/users/7")},
		{"encoded slashes around dot dot", call{target: "/public%2F..%2Fadmin/users/7"}, redirect(301, "/admin/users/7")},
		{"encoded double slash", call{target: "/%2Fadmin/users/7"}, redirect(301, "/admin/users/7")},
		{"escapes kept in the target", call{target: "/files/./caf%C3%A9%20au%20lait"}, redirect(301, "/files/caf%C3%A9%20au%20lait")},
		{"off-site host stays a path", call{target: "//evil.example/"}, redirect(301, "/evil.example/")},
		{"off-site host after dot dot", call{target: "/..//evil.example/x"}, redirect(301, "/evil.example/x")},
		{"canonical dot names", call{target: "/.well-known/..x"}, expect{200, nil, `"well-known ..x"`}},
		{"canonical encoded slash", call{target: "/public/a%2Fb"}, expect{200, nil, `"public /a/b"`}},
		{"canonical", call{target: "/admin/users/7"}, expect{200, nil, `"admin 7"`}},
	}.run(t, serve(r))
	if n := admin.Load(); n != 2 {
		t.Errorf("the admin handler ran %d times, want 2 (the canonical rows only)", n)
	}
}

// The paths that pass a net/http middleware's prefix check while the
// router serves them as /admin/...: each must get a redirect that the
// middleware then refuses, and never reach the admin handler.
var adminBypasses = []struct{ target, location string }{
	{"//admin/users/7", "/admin/users/7"},
	{"///admin/users/7", "/admin/users/7"},
	{"/./admin/users/7", "/admin/users/7"},
	{"/.//admin/users/7", "/admin/users/7"},
	{"/public/../admin/users/7", "/admin/users/7"},
	{"/x/y/../../admin/users/7", "/admin/users/7"},
	{"/../admin/users/7", "/admin/users/7"},
	{"/public/%2e%2e/admin/users/7", "/admin/users/7"},
	{"/public/%2E%2e/admin/users/7", "/admin/users/7"},
	{"/public/..%2fadmin/users/7", "/admin/users/7"},
	{"/public%2F..%2Fadmin/users/7", "/admin/users/7"},
	{"/%2e/admin/users/7", "/admin/users/7"},
	{"/%2Fadmin/users/7", "/admin/users/7"},
	{"/%2e%2e/admin/users/7?next=%2F%2Fevil.example", "/admin/users/7?next=%2F%2Fevil.example"},
}

// rawRequest sends one request over a fresh loopback connection, with the
// request target written byte for byte, and reads the response.
func rawRequest(t *testing.T, addr, method, target string) (*http.Response, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", method, target, addr)
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

func TestMiddlewareSeesTheRoutedPath(t *testing.T) {
	r, admin := adminApp(t)
	guard := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if strings.HasPrefix(req.URL.Path, "/admin") {
				http.Error(w, "admins only", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, req)
		})
	}
	srv := httptest.NewServer(guard(nethttp.Handler(r)))
	defer srv.Close()
	addr := srv.Listener.Addr().String()

	if res, _ := rawRequest(t, addr, "GET", "/admin/users/7"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("the guard lets /admin/users/7 through: %d", res.StatusCode)
	}
	for _, b := range adminBypasses {
		for _, method := range []string{"GET", "POST"} {
			res, body := rawRequest(t, addr, method, b.target)
			want := http.StatusMovedPermanently
			if method == "POST" {
				want = http.StatusPermanentRedirect
			}
			if res.StatusCode != want || res.Header.Get("Location") != b.location {
				t.Errorf("%s %s: %d Location %q (body %q), want %d to %q", method, b.target, res.StatusCode, res.Header.Get("Location"), body, want, b.location)
				continue
			}
			// Following the redirect, the guard sees the path the router would serve.
			if res, _ := rawRequest(t, addr, method, b.location); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s: the redirect to %s is not refused by the guard: %d", method, b.target, b.location, res.StatusCode)
			}
		}
	}
	if n := admin.Load(); n != 0 {
		t.Errorf("the admin handler ran %d times behind the guard", n)
	}
}

func TestFastHTTPRedirectsNonCanonicalPaths(t *testing.T) {
	r, admin := adminApp(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: fasthttpadapter.Handler(r)}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	defer func() { srv.Shutdown(); <-done }()
	addr := ln.Addr().String()

	for _, b := range adminBypasses {
		res, body := rawRequest(t, addr, "GET", b.target)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != b.location {
			t.Errorf("GET %s: %d Location %q (body %q), want 301 to %q", b.target, res.StatusCode, res.Header.Get("Location"), body, b.location)
		}
	}
	if n := admin.Load(); n != 0 {
		t.Errorf("the admin handler ran %d times under a non-canonical path", n)
	}
	if res, body := rawRequest(t, addr, "GET", "/admin/users/7"); res.StatusCode != 200 || body != `"admin 7"` {
		t.Errorf("canonical path: %d %q", res.StatusCode, body)
	}
}

// A cleaned path that a browser would read as another host is not
// redirected to: the request gets 404.
func TestCleanedPathNeverLeavesTheSite(t *testing.T) {
	r, _ := adminApp(t)
	s := serve(r)
	for _, target := range []string{"//\\evil.example/", "/./\\evil.example/", "/..//\\evil.example/x", "/%2F%5Cevil.example/"} {
		onEvery(t, s, call{target: target}, func(t *testing.T, res result) {
			loc := res.header.Get("Location")
			if strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") || strings.Contains(loc, "://") {
				t.Errorf("%s redirects off the site: %d Location %q", target, res.status, loc)
			}
			if res.status != http.StatusNotFound {
				t.Errorf("%s: %d Location %q, want 404", target, res.status, loc)
			}
		})
	}
}

// Checking that a path is canonical costs no allocation on fasthttp, also
// when the path has escapes to decode.
func TestFastHTTPCanonicalPathAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts, checked without -short and -race")
	}
	r := kaito.New(func(*kaito.Request) (benchCtx, error) { return benchCtx{}, nil })
	for _, p := range []string{"/files/plain", "/files/café au lait"} {
		kaito.Get(r, p, func(benchCtx, struct{}) (kaito.NoContent, error) { return kaito.NoContent{}, nil })
	}
	h := fasthttpadapter.Handler(r)
	for _, target := range []string{"/files/plain", "/files/caf%C3%A9%20au%20lait"} {
		var req fasthttp.Request
		req.SetRequestURI(target)
		var ctx fasthttp.RequestCtx
		ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 1234}, nil)
		n := testing.AllocsPerRun(200, func() { ctx.Response.Reset(); h(&ctx) })
		if ctx.Response.StatusCode() != http.StatusNoContent {
			t.Fatalf("%s: status %d", target, ctx.Response.StatusCode())
		}
		if n != 0 {
			t.Errorf("%s: %v allocations per request, want 0", target, n)
		}
	}
}

// FuzzCanonicalPath checks, for any decoded path, that a handler only ever
// sees a canonical path, that a redirect stays on the site, and that its
// target is served without a second redirect: no loops.
func FuzzCanonicalPath(f *testing.F) {
	for _, p := range []string{"/", "//", "/./", "/../a", "/a/.", "/a/..", "/a//b/", "/.well-known/x", "/..a/...",
		"/./\\x", "//\\x", "a/b", "", ".", "..", "/a/./../b/.//c", "/\x00/.", "/?/./#", "/%2e/", "/\xff/../x"} {
		f.Add(p)
	}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithLogger(quiet))
	kaito.Get(r, "/*p", func(req *kaito.Request, _ struct{}) (string, error) { return req.Param("p"), nil })
	h := nethttp.Handler(r)
	get := func(path string) *httptest.ResponseRecorder {
		req := &http.Request{Method: "GET", URL: &url.URL{Path: path}, Header: http.Header{}, Host: "example.com", RemoteAddr: "192.0.2.1:1234", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	served := func(t *testing.T, path string, w *httptest.ResponseRecorder) {
		var got string
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatalf("%q: body %q: %v", path, w.Body, err)
		}
		if strings.Contains(got, "//") || strings.HasSuffix(got, "/.") || strings.HasSuffix(got, "/..") ||
			strings.Contains(got, "/./") || strings.Contains(got, "/../") {
			t.Fatalf("%q was served as %q, which is not canonical", path, got)
		}
	}
	f.Fuzz(func(t *testing.T, path string) {
		w := get(path)
		switch w.Code {
		case http.StatusOK:
			served(t, path, w)
		case http.StatusMovedPermanently:
			loc := w.Header().Get("Location")
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
				t.Fatalf("%q redirects off the site: %q", path, loc)
			}
			u, err := url.Parse(loc)
			if err != nil || u.Host != "" || u.RawQuery != "" {
				t.Fatalf("%q: Location %q: %v", path, loc, err)
			}
			w2 := get(u.Path)
			if w2.Code != http.StatusOK {
				t.Fatalf("%q redirects to %q, which answers %d %s", path, loc, w2.Code, w2.Header().Get("Location"))
			}
			served(t, u.Path, w2)
		case http.StatusNotFound:
			if !strings.Contains(path, "\\") {
				t.Fatalf("%q: 404 without a backslash", path)
			}
		default:
			t.Fatalf("%q: status %d", path, w.Code)
		}
	})
}

// OPTIONS * asks about the server: it is answered 200, not redirected to a
// path named "*".
func TestOptionsAsterisk(t *testing.T) {
	r, _ := adminApp(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: fasthttpadapter.Handler(r)}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	defer func() { srv.Shutdown(); <-done }()
	hs := httptest.NewServer(nethttp.Handler(r))
	defer hs.Close()
	for _, addr := range []string{ln.Addr().String(), hs.Listener.Addr().String()} {
		if res, body := rawRequest(t, addr, "OPTIONS", "*"); res.StatusCode != http.StatusOK || res.Header.Get("Location") != "" || body != "" {
			t.Errorf("OPTIONS * on %s: %d Location %q body %q, want 200 and nothing", addr, res.StatusCode, res.Header.Get("Location"), body)
		}
	}
	// The handler itself, for servers that pass OPTIONS * on.
	req := httptest.NewRequest("OPTIONS", "*", nil)
	w := httptest.NewRecorder()
	nethttp.Handler(r).ServeHTTP(w, req)
	if w.Code != http.StatusOK || w.Header().Get("Location") != "" {
		t.Errorf("nethttp.Handler, OPTIONS *: %d Location %q", w.Code, w.Header().Get("Location"))
	}
}
