package kaito_test

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/ip"
)

// Allocation budgets of the benchmark scenarios (bench/, BENCHMARKS.md) on
// both adapters: the counts reached, locked so that a change that adds an
// allocation to a request shows up as a failing test, not as a slower
// benchmark nobody runs. Each budget names what its allocations are.

// budgetRouter serves the user, client-IP and Accepts scenarios as bench/ does:
// the socket peer is a trusted proxy, and X-Forwarded-For carries the
// client behind two more trusted hops.
func budgetRouter() *kaito.Router[*kaito.Request] {
	res, err := ip.New(ip.TrustProxies("10.0.0.0/8", "192.168.0.0/16"), ip.FromXForwardedFor())
	if err != nil {
		panic(err)
	}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithResolver(res))
	type ipOut struct {
		IP string `json:"ip"`
	}
	type typeOut struct {
		Type string `json:"type"`
	}
	kaito.Get(r, "/ip", func(req *kaito.Request, _ struct{}) (ipOut, error) {
		return ipOut{IP: req.IP()}, nil
	})
	kaito.Get(r, "/accepts", func(req *kaito.Request, _ struct{}) (typeOut, error) {
		return typeOut{Type: req.Accepts("json", "html")}, nil
	})
	type userOut struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	kaito.Get(r, "/users/:id", func(_ *kaito.Request, in struct {
		ID int `path:"id"`
	}) (userOut, error) {
		return userOut{ID: in.ID, Name: "gopher"}, nil
	})
	return r
}

const (
	budgetXFF    = "203.0.113.195, 192.168.1.20, 10.1.2.3"
	budgetAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)

// budgetCase is one request of a scenario and what it must answer.
type budgetCase struct {
	method, path string
	header       [2]string
	status       int
	body         string
}

// allocsNetHTTP serves every case once per run through the net/http
// adapter and returns the allocations of one run, after checking the answers.
func allocsNetHTTP(t *testing.T, h http.Handler, cases []budgetCase) float64 {
	t.Helper()
	reqs := make([]*http.Request, len(cases))
	for i, c := range cases {
		reqs[i] = httptest.NewRequest(c.method, c.path, nil)
		reqs[i].RemoteAddr = "10.0.0.1:5000"
		if c.header[0] != "" {
			reqs[i].Header.Set(c.header[0], c.header[1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, reqs[i])
		if rec.Code != c.status || rec.Body.String() != c.body {
			t.Fatalf("net/http %s %s: %d %q, want %d %q", c.method, c.path, rec.Code, rec.Body.String(), c.status, c.body)
		}
	}
	w := newSink()
	return testing.AllocsPerRun(100, func() {
		for _, req := range reqs {
			w.reset()
			h.ServeHTTP(w, req)
		}
	})
}

// allocsFastHTTP is allocsNetHTTP through the fasthttp adapter, each case
// on a reused RequestCtx as fasthttp's server reuses one per connection.
func allocsFastHTTP(t *testing.T, h fasthttp.RequestHandler, cases []budgetCase) float64 {
	t.Helper()
	ctxs := make([]*fasthttp.RequestCtx, len(cases))
	for i, c := range cases {
		var req fasthttp.Request
		req.Header.SetMethod(c.method)
		req.SetRequestURI(c.path)
		if c.header[0] != "" {
			req.Header.Set(c.header[0], c.header[1])
		}
		ctxs[i] = new(fasthttp.RequestCtx)
		ctxs[i].Init(&req, &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 5000}, nil)
		h(ctxs[i])
		if got, body := ctxs[i].Response.StatusCode(), string(ctxs[i].Response.Body()); got != c.status || body != c.body {
			t.Fatalf("fasthttp %s %s: %d %q, want %d %q", c.method, c.path, got, body, c.status, c.body)
		}
	}
	return testing.AllocsPerRun(100, func() {
		for _, ctx := range ctxs {
			ctx.Response.Reset()
			h(ctx)
		}
	})
}

func TestAllocBudgetScenarios(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts (not under -short or -race)")
	}
	r := budgetRouter()
	tests := []struct {
		name   string
		c      budgetCase
		budget float64
	}{
		// httprouter's parameters. The Out value reaches the encoder as a
		// pooled copy, not boxed (writerFor).
		{"GET /users/:id", budgetCase{"GET", "/users/42", [2]string{}, 200, `{"id":42,"name":"gopher"}`}, 1},
		// The address as a string.
		{"client IP behind 3 trusted hops", budgetCase{"GET", "/ip", [2]string{"X-Forwarded-For", budgetXFF}, 200, `{"ip":"203.0.113.195"}`}, 1},
		// None: the offer returned is the handler's own string, and the
		// header is read in place.
		{"Accepts with Chrome's Accept", budgetCase{"GET", "/accepts", [2]string{"Accept", budgetAccept}, 200, `{"type":"html"}`}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := allocsNetHTTP(t, nethttp.Handler(r), []budgetCase{tt.c}); n > tt.budget {
				t.Errorf("net/http: %v allocations per request, budget %v", n, tt.budget)
			}
			if n := allocsFastHTTP(t, fasthttpadapter.Handler(r), []budgetCase{tt.c}); n > tt.budget {
				t.Errorf("fasthttp: %v allocations per request, budget %v", n, tt.budget)
			}
		})
	}
}

// githubRoutes reads the 203 routes of bench/'s GitHub scenario.
func githubRoutes(t *testing.T) (routes [][2]string, withParams int) {
	t.Helper()
	f, err := os.Open("bench/github_routes.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		method, pattern, _ := strings.Cut(line, " ")
		routes = append(routes, [2]string{method, pattern})
		if strings.Contains(pattern, ":") {
			withParams++
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if len(routes) != 203 {
		t.Fatalf("read %d GitHub routes, want 203", len(routes))
	}
	return routes, withParams
}

// TestAllocBudgetGitHub serves the 203 GitHub API routes, each request
// once per run. httprouter v1.3.0, the matching engine, allocates the
// parameters of every match that has any; nothing else may allocate.
func TestAllocBudgetGitHub(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts (not under -short or -race)")
	}
	routes, withParams := githubRoutes(t)
	r := kaito.New(func(*kaito.Request) (benchCtx, error) { return benchCtx{}, nil })
	cases := make([]budgetCase, len(routes))
	for i, rt := range routes {
		kaito.Handle(r, rt[0], rt[1], func(benchCtx, struct{}) (kaito.NoContent, error) { return kaito.NoContent{}, nil })
		// Each parameter's value is its name: a path only this route matches.
		cases[i] = budgetCase{method: rt[0], path: strings.ReplaceAll(rt[1], ":", ""), status: http.StatusNoContent}
	}
	budget := float64(withParams)
	if n := allocsNetHTTP(t, nethttp.Handler(r), cases); n > budget {
		t.Errorf("net/http: %v allocations per 203 requests, budget %v (one per match with parameters)", n, budget)
	}
	if n := allocsFastHTTP(t, fasthttpadapter.Handler(r), cases); n > budget {
		t.Errorf("fasthttp: %v allocations per 203 requests, budget %v (one per match with parameters)", n, budget)
	}
}

// TestFastHTTPInPlaceHeaderReadsKeepNothing checks what reading headers in
// place on fasthttp must not break: the error that quotes a bad hop, kept
// after later requests have reused fasthttp's buffers, still names its own
// request's hop, and Accepts still answers with the handler's offer.
func TestFastHTTPInPlaceHeaderReadsKeepNothing(t *testing.T) {
	res, err := ip.New(ip.TrustProxies("10.0.0.0/8"), ip.FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	var types []string
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithResolver(res))
	kaito.Get(r, "/ip", func(req *kaito.Request, _ struct{}) (kaito.NoContent, error) {
		_, err := req.ClientAddr()
		errs = append(errs, err)
		types = append(types, req.Accepts("json", "html"))
		return kaito.NoContent{}, nil
	})
	h := fasthttpadapter.Handler(r)
	var ctx fasthttp.RequestCtx
	var req fasthttp.Request
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 5000}, nil)
	const n = 20
	for i := range n {
		ctx.Request.Reset()
		ctx.Request.SetRequestURI("/ip")
		// A bad token of another length each time, so that a kept view
		// of the buffer would show a neighbour's bytes.
		ctx.Request.Header.Set("X-Forwarded-For", strings.Repeat("x", i)+"bad-hop-"+strings.Repeat("y", n-i)+", 10.1.2.3")
		accept := "application/json"
		if i%2 == 1 {
			accept = "text/html"
		}
		ctx.Request.Header.Set("Accept", accept)
		ctx.Response.Reset()
		h(&ctx)
		if ctx.Response.StatusCode() != http.StatusNoContent {
			t.Fatalf("request %d: status %d", i, ctx.Response.StatusCode())
		}
	}
	for i, err := range errs {
		want := strings.Repeat("x", i) + "bad-hop-" + strings.Repeat("y", n-i)
		var he *ip.HopError
		if !errors.As(err, &he) || he.Raw != want {
			t.Errorf("request %d: error %v, want a *ip.HopError quoting %q", i, err, want)
		}
		if want := map[bool]string{false: "json", true: "html"}[i%2 == 1]; types[i] != want {
			t.Errorf("request %d: Accepts = %q, want %q", i, types[i], want)
		}
	}
}
