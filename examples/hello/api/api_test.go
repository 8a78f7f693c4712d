package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/openapi"
)

// document is the API's OpenAPI document, as openapi.Build writes it.
func document(t *testing.T) []byte {
	doc, err := openapi.Build(Routes(NewStore(), slog.New(slog.DiscardHandler)).Routes(), Docs)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The docs page is served.
func TestHelloDocs(t *testing.T) {
	srv := httptest.NewServer(nethttp.Handler(Routes(NewStore(), slog.New(slog.DiscardHandler))))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/docs")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "SwaggerUIBundle") || res.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET /docs = %d, CSP %q:\n%s", res.StatusCode, res.Header.Get("Content-Security-Policy"), b)
	}
}

func TestHelloAPI(t *testing.T) {
	srv := httptest.NewServer(nethttp.Handler(Routes(NewStore(), slog.New(slog.DiscardHandler))))
	defer srv.Close()
	steps := []struct {
		method, path, token, body string
		status                    int
		want                      string
	}{
		{"GET", "/health", "", "", 200, `{"status":"ok"}`},
		{"GET", "/v1/users/1", "", "", 200, `{"id":1,"name":"Ada","email":"ada@example.com"}`},
		{"GET", "/v1/users/9", "", "", 404, `{"message":"no such user"}`},
		{"GET", "/v1/users/x", "", "", 400, `{"message":"invalid path parameter \"id\": \"x\" is not an integer","errors":[{"location":"path.id","message":"\"x\" is not an integer"}]}`},
		{"POST", "/v1/users", "", `{"name":"Bob","email":"bob@example.com"}`, 201, `{"id":2,"name":"Bob","email":"bob@example.com"}`},
		{"POST", "/v1/users", "", `{"name":"Bob","email":"BOB@example.com"}`, 409, `{"message":"email already registered"}`},
		{"POST", "/v1/users", "", `{"name":"","email":"x@y"}`, 422, `{"message":"name is required"}`},
		{"GET", "/v1/users?limit=1&offset=1", "", "", 200, `[{"id":2,"name":"Bob","email":"bob@example.com"}]`},
		{"GET", "/v1/users?limit=1000", "", "", 422, `{"message":"offset must be >= 0 and limit 1 to 100"}`},
		{"GET", "/v1/me", "", "", 401, `{"message":"a valid bearer token is required"}`},
		{"GET", "/v1/me", "secret-ada", "", 200, `{"id":1,"name":"Ada","email":"ada@example.com"}`},
		{"DELETE", "/v1/users/2", "secret-ada", "", 403, `{"message":"you can only delete yourself"}`},
		{"DELETE", "/v1/users/1", "secret-ada", "", 204, ``},
		{"GET", "/users/1", "", "", 404, `{"message":"Cannot GET /users/1"}`},
		{"GET", "/openapi.json", "", "", 200, string(document(t))},
	}
	for _, s := range steps {
		req, _ := http.NewRequest(s.method, srv.URL+s.path, strings.NewReader(s.body))
		if s.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if s.token != "" {
			req.Header.Set("Authorization", "Bearer "+s.token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != s.status || string(b) != s.want {
			t.Errorf("%s %s = %d %s, want %d %s", s.method, s.path, res.StatusCode, b, s.status, s.want)
		}
		if res.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s %s: no X-Request-Id", s.method, s.path)
		}
	}
}
