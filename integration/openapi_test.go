package integration

import (
	"bytes"
	"context"
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

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/examples/hello/api"
	"github.com/kaito-go/kaito/openapi"
)

// validateDocument loads an OpenAPI document with kin-openapi and fails the
// test on any error Validate finds.
func validateDocument(t *testing.T, name string, data []byte) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		t.Fatalf("%s: kin-openapi cannot load the document: %v", name, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s: kin-openapi finds the document invalid: %v", name, err)
	}
	return doc
}

// The document of examples/hello is a valid OpenAPI 3.1 document and
// describes its operations.
func TestOpenAPIHelloDocumentIsValid(t *testing.T) {
	r := api.Routes(api.NewStore(), slog.New(slog.DiscardHandler))
	data, err := openapi.Build(r.Routes(), api.Docs)
	if err != nil {
		t.Fatal(err)
	}
	doc := validateDocument(t, "examples/hello", data)
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi = %q, want 3.1", doc.OpenAPI)
	}
	for _, op := range []struct{ method, path string }{
		{"GET", "/health"}, {"GET", "/v1/users"}, {"GET", "/v1/users/{id}"}, {"POST", "/v1/users"},
		{"GET", "/v1/me"}, {"DELETE", "/v1/users/{id}"},
		{"GET", "/v1/users/{id}/greeting"}, {"PATCH", "/v1/users/{id}"}, {"GET", "/v1/feed"}, // endpoints.go
	} {
		item := doc.Paths.Find(op.path)
		if item == nil || item.GetOperation(op.method) == nil {
			t.Errorf("the document has no %s %s", op.method, op.path)
		}
	}
	if n := doc.Paths.Len(); n != 6 {
		t.Errorf("the document has %d paths, want 6 (the docs routes are hidden)", n)
	}
}

// Every golden document of package openapi (a router that uses every
// mapping rule) is valid too.
func TestOpenAPIGoldenDocumentsAreValid(t *testing.T) {
	files, err := filepath.Glob("../openapi/testdata/*.golden.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden documents: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		validateDocument(t, f, data)
	}
}

// serveRouter serves r on a loopback port with the adapter's Serve helper
// and returns its origin; the server is shut down when the test ends.
// Shutdown may take up to 5 s: both runtimes count a connection that has
// not sent a request as in use for its first 5 s (as net/http does), and
// Chromium opens such connections ahead of need; a shorter timeout made
// the browser tests fail now and then with requests "still running".
const serveRouterShutdown = 10 * time.Second

func serveRouter[C any](t *testing.T, adapter string, r *kaito.Router[C]) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		var err error
		switch adapter {
		case "fasthttp":
			err = fasthttpadapter.Serve(ctx, ln, fasthttpadapter.Handler(r), fasthttpadapter.Config{ShutdownTimeout: serveRouterShutdown})
		default:
			err = nethttp.Serve(ctx, ln, nethttp.Handler(r), nethttp.Config{ShutdownTimeout: serveRouterShutdown})
		}
		if err != nil {
			t.Errorf("%s server: %v", adapter, err)
		}
	})
	t.Cleanup(func() { cancel(); wg.Wait() })
	return "http://" + ln.Addr().String()
}

// Every request to examples/hello and every answer, successes and errors,
// is what its document says, on both adapters: kin-openapi validates each
// against the document the server serves.
func TestOpenAPIHelloRequestsAndResponses(t *testing.T) {
	for _, adapter := range adapterNames {
		t.Run(adapter, func(t *testing.T) {
			origin := serveRouter(t, adapter, api.Routes(api.NewStore(), slog.New(slog.DiscardHandler)))
			res, err := http.Get(origin + "/openapi.json")
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(res.Body)
			res.Body.Close()
			doc := validateDocument(t, "served document", data)
			doc.Servers = openapi3.Servers{{URL: origin}}
			router, err := legacyrouter.NewRouter(doc)
			if err != nil {
				t.Fatal(err)
			}
			opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
			steps := []struct {
				method, path, token, body string
				status                    int
			}{
				{"GET", "/health", "", "", 200},
				{"GET", "/v1/users/1", "", "", 200},
				{"GET", "/v1/users/9", "", "", 404},
				{"GET", "/v1/users", "", "", 200},
				{"GET", "/v1/users?limit=1&offset=1", "", "", 200},
				{"GET", "/v1/users?limit=1000", "", "", 422},
				{"POST", "/v1/users", "", `{"name":"Bob","email":"bob@example.com"}`, 201},
				{"POST", "/v1/users", "", `{"name":"Bob","email":"BOB@example.com"}`, 409},
				{"POST", "/v1/users", "", `{"name":"","email":"x@y"}`, 422},
				{"GET", "/v1/me", "", "", 401},
				{"GET", "/v1/me", "secret-ada", "", 200},
				{"DELETE", "/v1/users/2", "secret-ada", "", 403},
				{"DELETE", "/v1/users/1", "secret-ada", "", 204},
			}
			for _, s := range steps {
				req, err := http.NewRequest(s.method, origin+s.path, strings.NewReader(s.body))
				if err != nil {
					t.Fatal(err)
				}
				if s.body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				if s.token != "" {
					req.Header.Set("Authorization", "Bearer "+s.token)
				}
				route, params, err := router.FindRoute(req)
				if err != nil {
					t.Errorf("%s %s: not in the document: %v", s.method, s.path, err)
					continue
				}
				in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
				if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
					t.Errorf("%s %s: the request does not fit the document: %v", s.method, s.path, err)
				}
				// ValidateRequest read the body: send it again.
				req.Body = io.NopCloser(strings.NewReader(s.body))
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != s.status {
					t.Errorf("%s %s = %d, want %d", s.method, s.path, res.StatusCode, s.status)
				}
				out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode,
					Header: res.Header, Body: io.NopCloser(bytes.NewReader(body)), Options: opts}
				if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
					t.Errorf("%s %s: the answer %d %s does not fit the document: %v", s.method, s.path, res.StatusCode, body, err)
				}
				// The status is one the operation lists, not only the default.
				if route.Operation.Responses.Status(res.StatusCode) == nil {
					t.Errorf("%s %s: status %d is not documented", s.method, s.path, res.StatusCode)
				}
			}
		})
	}
}

// A router with validation tags and problem details: each request that the
// document refuses, the server refuses too, with a 4xx the operation
// lists, and each answer (successes and problems alike) fits the document,
// on both adapters.
func TestOpenAPIValidationMatchesTheServer(t *testing.T) {
	type Item struct {
		Name  string   `json:"name" minLength:"2" maxLength:"10"`
		Count int      `json:"count" minimum:"1" maximum:"5"`
		Tags  []string `json:"tags,omitempty" maxItems:"2" enum:"a,b,c"`
		Note  *string  `json:"note" pattern:"^[a-z]+$"`
	}
	type in struct {
		ID   int    `path:"id" minimum:"1"`
		Page int    `query:"page" maximum:"9"`
		Mode string `query:"mode" required:"true" enum:"fast,slow"`
		Item
	}
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil }, kaito.WithProblemDetails(),
		kaito.WithLogger(slog.New(slog.DiscardHandler)))
	kaito.Put(r, "/items/:id", func(_ struct{}, in in) (Item, error) { return in.Item, nil })
	data, err := openapi.Build(r.Routes(), openapi.Config{ProblemDetails: r.ProblemDetails()})
	if err != nil {
		t.Fatal(err)
	}
	for _, adapter := range adapterNames {
		t.Run(adapter, func(t *testing.T) {
			origin := serveRouter(t, adapter, r)
			doc := validateDocument(t, "validation router", data)
			doc.Servers = openapi3.Servers{{URL: origin}}
			router, err := legacyrouter.NewRouter(doc)
			if err != nil {
				t.Fatal(err)
			}
			opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
			cases := []struct {
				target, body string
				ok           bool
			}{
				{"/items/1?mode=fast", `{"name":"ab","count":1}`, true},
				{"/items/1?mode=slow&page=9", `{"name":"abcdefghij","count":5,"tags":["a","c"],"note":"x"}`, true},
				{"/items/1?mode=fast", `{"name":"ab","count":1,"note":null}`, true},
				{"/items/0?mode=fast", `{"name":"ab","count":1}`, false},
				{"/items/1?mode=fast&page=10", `{"name":"ab","count":1}`, false},
				{"/items/1", `{"name":"ab","count":1}`, false},
				{"/items/1?mode=medium", `{"name":"ab","count":1}`, false},
				{"/items/1?mode=fast", `{"name":"a","count":1}`, false},
				{"/items/1?mode=fast", `{"name":"abcdefghijk","count":1}`, false},
				{"/items/1?mode=fast", `{"name":"ab","count":0}`, false},
				{"/items/1?mode=fast", `{"name":"ab","count":6}`, false},
				{"/items/1?mode=fast", `{"name":"ab","count":1,"tags":["a","b","c"]}`, false},
				{"/items/1?mode=fast", `{"name":"ab","count":1,"tags":["d"]}`, false},
				{"/items/1?mode=fast", `{"name":"ab","count":1,"note":"X1"}`, false},
				{"/items/1?mode=fast", `{"count":1}`, false},
				{"/items/1?mode=fast", `{"name":"ab"}`, false},
				{"/items/x?mode=fast", `{"name":"ab","count":1}`, false},
				{"/items/1?mode=fast", `{"name":"ab","count":"1"}`, false},
			}
			for _, c := range cases {
				req, err := http.NewRequest(http.MethodPut, origin+c.target, strings.NewReader(c.body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				route, params, err := router.FindRoute(req)
				if err != nil {
					t.Fatalf("%s: %v", c.target, err)
				}
				rin := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
				docErr := openapi3filter.ValidateRequest(context.Background(), rin)
				if (docErr == nil) != c.ok {
					t.Errorf("PUT %s %s: the document says valid = %v (%v), want %v", c.target, c.body, docErr == nil, docErr, c.ok)
				}
				req.Body = io.NopCloser(strings.NewReader(c.body))
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if ok := res.StatusCode == 200; ok != c.ok {
					t.Errorf("PUT %s %s: the server answers %d %s, want success = %v", c.target, c.body, res.StatusCode, body, c.ok)
				}
				if route.Operation.Responses.Status(res.StatusCode) == nil {
					t.Errorf("PUT %s: status %d is not documented", c.target, res.StatusCode)
				}
				out := &openapi3filter.ResponseValidationInput{RequestValidationInput: rin, Status: res.StatusCode,
					Header: res.Header, Body: io.NopCloser(bytes.NewReader(body)), Options: opts}
				if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
					t.Errorf("PUT %s %s: the answer %d %s does not fit the document: %v", c.target, c.body, res.StatusCode, body, err)
				}
			}
		})
	}
}
