package kaito_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

// The AdonisJS accessors read the body merged with the query string.
func ExampleRequest_Input() {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil })
	kaito.Post(r, "/posts", func(req *kaito.Request, _ struct{}) ([]any, error) {
		return []any{
			req.Input("title"),             // from the body
			req.Input("author.name"),       // a nested path
			req.Input("tags.1"),            // an array element
			req.Input("draft", "no"),       // missing: the default
			req.Only("title", "author.id"), // a subset, nested as it was
			req.Qs()["page"],               // the query string
		}, nil
	})
	req := httptest.NewRequest("POST", "/posts?page=2", strings.NewReader(
		`{"title":"Hi","author":{"id":7,"name":"Ada"},"tags":["go","http"]}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	nethttp.Handler(r).ServeHTTP(rec, req)
	fmt.Println(rec.Body.String())
	// Output: ["Hi","Ada","http","no",{"author":{"id":7},"title":"Hi"},"2"]
}

// Accepts picks the best of the offers for the Accept header.
func ExampleRequest_Accepts() {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil })
	kaito.Get(r, "/", func(req *kaito.Request, _ struct{}) (string, error) {
		return req.Accepts("json", "html"), nil
	})
	for _, accept := range []string{
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", // a browser
		"application/json",
		"image/png",
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		nethttp.Handler(r).ServeHTTP(rec, req)
		fmt.Println(rec.Body.String())
	}
	// Output:
	// "html"
	// "json"
	// ""
}

// WithCORS answers preflights and marks allowed origins.
func ExampleWithCORS() {
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil },
		kaito.WithCORS(kaito.CORS{Origins: []string{"https://app.example.com"}, MaxAge: 10 * time.Minute}))
	kaito.Put(r, "/items/:id", func(struct{}, struct{}) (string, error) { return "saved", nil })

	req := httptest.NewRequest("OPTIONS", "/items/1", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "PUT")
	rec := httptest.NewRecorder()
	nethttp.Handler(r).ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Origin"), rec.Header().Get("Access-Control-Max-Age"))
	// Output: 204 https://app.example.com 600
}
