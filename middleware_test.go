package kaito_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

type ctxKey struct{}

// Ordinary net/http middleware wraps the adapter: it sees the request
// first, can change the response, and what it puts in the request's
// context reaches the handler through Request.Context.
func TestNetHTTPMiddleware(t *testing.T) {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithLogger(quiet))
	kaito.Get(r, "/who", func(req *kaito.Request, _ struct{}) (string, error) {
		v, _ := req.Context().Value(ctxKey{}).(string)
		return v, nil
	})
	withUser := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if req.Header.Get("X-Block") != "" {
				http.Error(w, "blocked", http.StatusForbidden)
				return
			}
			w.Header().Set("X-Middleware", "yes")
			next.ServeHTTP(w, req.WithContext(context.WithValue(req.Context(), ctxKey{}, "from-middleware")))
		})
	}
	h := withUser(nethttp.Handler(r))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/who", nil))
	if rec.Code != 200 || rec.Body.String() != `"from-middleware"` || rec.Header().Get("X-Middleware") != "yes" {
		t.Errorf("through middleware: %d %q %v", rec.Code, rec.Body.String(), rec.Header())
	}
	rec = httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/who", nil)
	req.Header.Set("X-Block", "1")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("middleware could not stop the request: %d", rec.Code)
	}
}
