package openapi_test

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/openapi"
)

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestMountServesTheDocument(t *testing.T) {
	r := everyRule()
	want, err := openapi.Build(r.Routes(), everyRuleConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := openapi.Mount(r, everyRuleConfig); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(nethttp.Handler(r))
	defer srv.Close()

	res, body := get(t, srv.URL+"/openapi.json")
	if res.StatusCode != 200 || body != string(want) {
		t.Fatalf("GET /openapi.json = %d, body equal to Build: %v", res.StatusCode, body == string(want))
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	etag := res.Header.Get("ETag")
	if len(etag) < 10 || etag[0] != '"' {
		t.Fatalf("ETag = %q", etag)
	}
	for _, inm := range []string{etag, `"other", W/` + etag, "*"} {
		res, body = get(t, srv.URL+"/openapi.json", "If-None-Match", inm)
		if res.StatusCode != http.StatusNotModified || body != "" || res.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match: %s: %d %q ETag %q, want 304 with the ETag and no body", inm, res.StatusCode, body, res.Header.Get("ETag"))
		}
	}
	res, body = get(t, srv.URL+"/openapi.json", "If-None-Match", `"stale"`)
	if res.StatusCode != 200 || body != string(want) {
		t.Errorf("a stale If-None-Match: %d", res.StatusCode)
	}
	// Mount's own routes are not in the document.
	if strings.Contains(body, `"/openapi.json"`) || strings.Contains(body, `"/docs"`) {
		t.Error("the document lists Mount's routes")
	}

	res, page := get(t, srv.URL+"/docs")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /docs = %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, s := range []string{
		`<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@` + openapi.SwaggerUIVersion + `/swagger-ui-bundle.js" integrity="sha384-`,
		`<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@` + openapi.SwaggerUIVersion + `/swagger-ui.css" integrity="sha384-`,
		`SwaggerUIBundle({url: "/openapi.json"`,
		`<title>Every rule</title>`,
	} {
		if !strings.Contains(page, s) {
			t.Errorf("the page lacks %s", s)
		}
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, s := range []string{"default-src 'none'", "script-src https://cdn.jsdelivr.net/npm/swagger-ui-dist@" + openapi.SwaggerUIVersion + "/swagger-ui-bundle.js 'sha256-",
		"connect-src 'self' https://api.example.com", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, s) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, s)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy %q allows inline or eval'd code", csp)
	}
	if res, _ := get(t, srv.URL+"/docs/assets/swagger-ui.css"); res.StatusCode != http.StatusNotFound {
		t.Errorf("without DocsAssets, /docs/assets/ = %d, want 404", res.StatusCode)
	}
}

func TestMountSelfHosted(t *testing.T) {
	assets := fstest.MapFS{
		"swagger-ui-bundle.js": {Data: []byte("window.SwaggerUIBundle = function () {};")},
		"swagger-ui.css":       {Data: []byte("body { margin: 0 }")},
		"secret.txt":           {Data: []byte("no")},
	}
	r := kaito.New(func(*kaito.Request) (App, error) { return App{}, nil })
	api := r.Group("/api")
	kaito.Get(api, "/x", func(App, struct{}) (struct{}, error) { return struct{}{}, nil })
	if err := openapi.Mount(api, openapi.Config{DocsAssets: assets, JSONPath: "/spec.json", DocsPath: "/reference"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(nethttp.Handler(r))
	defer srv.Close()

	res, page := get(t, srv.URL+"/api/reference")
	if res.StatusCode != 200 {
		t.Fatalf("GET /api/reference = %d", res.StatusCode)
	}
	sri := func(b []byte) string {
		s := sha512.Sum384(b)
		return "sha384-" + base64.StdEncoding.EncodeToString(s[:])
	}
	for _, s := range []string{
		`<script src="/api/reference/assets/swagger-ui-bundle.js" integrity="` + sri(assets["swagger-ui-bundle.js"].Data) + `"`,
		`<link rel="stylesheet" href="/api/reference/assets/swagger-ui.css" integrity="` + sri(assets["swagger-ui.css"].Data) + `"`,
		`SwaggerUIBundle({url: "/api/spec.json"`,
	} {
		if !strings.Contains(page, s) {
			t.Errorf("the page lacks %s:\n%s", s, page)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' 'sha256-") || strings.Contains(csp, "cdn.jsdelivr.net") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	res, body := get(t, srv.URL+"/api/reference/assets/swagger-ui-bundle.js")
	if res.StatusCode != 200 || body != string(assets["swagger-ui-bundle.js"].Data) || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("the script: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	res, _ = get(t, srv.URL+"/api/reference/assets/swagger-ui.css")
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("the style sheet's Content-Type = %q", res.Header.Get("Content-Type"))
	}
	for _, p := range []string{"secret.txt", "..%2Fmount_test.go", "swagger-ui.css%00"} {
		if res, _ := get(t, srv.URL+"/api/reference/assets/"+p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET assets/%s = %d, want 404", p, res.StatusCode)
		}
	}
	if res, body := get(t, srv.URL+"/api/spec.json"); res.StatusCode != 200 || !strings.Contains(body, `"/api/x"`) {
		t.Errorf("GET /api/spec.json = %d %s", res.StatusCode, body)
	}
}

func TestMountErrors(t *testing.T) {
	newRouter := func() *kaito.Router[App] {
		return kaito.New(func(*kaito.Request) (App, error) { return App{}, nil })
	}
	r := newRouter()
	kaito.Get(r, "/openapi.json", func(App, struct{}) (struct{}, error) { return struct{}{}, nil })
	if err := openapi.Mount(r, openapi.Config{}); err == nil || !strings.Contains(err.Error(), "/openapi.json") {
		t.Errorf("Mount over a route = %v, want an error naming /openapi.json", err)
	}
	for _, cfg := range []openapi.Config{{JSONPath: "openapi.json"}, {DocsPath: "/docs/:x"}} {
		if err := openapi.Mount(newRouter(), cfg); err == nil || !strings.Contains(err.Error(), "must begin with '/'") {
			t.Errorf("Mount(%+v) = %v", cfg, err)
		}
	}
	err := openapi.Mount(newRouter(), openapi.Config{DocsAssets: fstest.MapFS{"swagger-ui.css": {}}})
	if err == nil || !strings.Contains(err.Error(), "swagger-ui-bundle.js") {
		t.Errorf("Mount with incomplete DocsAssets = %v", err)
	}
	r = newRouter()
	kaito.Get(r, "/a", func(App, struct{}) (struct{}, error) { return struct{}{}, nil }, kaito.Security("nope"))
	if err := openapi.Mount(r, openapi.Config{}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Mount with a Build error = %v", err)
	}
}

// Mount documents JSON bodies under the router's JSON types.
func TestMountJSONTypes(t *testing.T) {
	r := kaito.New(func(*kaito.Request) (App, error) { return App{}, nil }, kaito.WithJSONTypes("application/vnd.kaito+json", "application/x-amz-json-1.1"))
	kaito.Post(r, "/a", func(App, NewUser) (struct{}, error) { return struct{}{}, nil })
	kaito.Post(r, "/b", func(App, []int) (struct{}, error) { return struct{}{}, nil })
	if err := openapi.Mount(r, openapi.Config{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(nethttp.Handler(r))
	defer srv.Close()
	_, body := get(t, srv.URL+"/openapi.json")
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/a", "/b"} {
		content := at(m, "paths", path, "post", "requestBody", "content").(map[string]any)
		var types []string
		for k := range content {
			types = append(types, k)
		}
		slices.Sort(types)
		if want := []string{"application/vnd.kaito+json", "application/x-amz-json-1.1"}; path == "/b" && !slices.Equal(types, want) {
			t.Errorf("%s: request body types %q, want %q", path, types, want)
		}
		if !slices.Contains(types, "application/vnd.kaito+json") || slices.Contains(types, "application/json") {
			t.Errorf("%s: request body types %q", path, types)
		}
	}
}

// Mount documents the error body a router with WithProblemDetails sends.
func TestMountProblemDetails(t *testing.T) {
	r := kaito.New(func(*kaito.Request) (App, error) { return App{}, nil }, kaito.WithProblemDetails())
	kaito.Get(r, "/a/:id", func(App, GetUser) (struct{}, error) { return struct{}{}, nil })
	if err := openapi.Mount(r, openapi.Config{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(nethttp.Handler(r))
	defer srv.Close()
	_, body := get(t, srv.URL+"/openapi.json")
	if !strings.Contains(body, `"application/problem+json"`) || strings.Contains(body, `"#/components/schemas/Error"`) {
		t.Errorf("the document of a router with problem details:\n%s", body)
	}
	// And that is what the router sends.
	res, _ := get(t, srv.URL+"/a/x")
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 400 || ct != "application/problem+json" {
		t.Errorf("GET /a/x = %d %q", res.StatusCode, ct)
	}
}
