package kaito_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/ip"
)

// do sends one request to h and prints the status and body.
func do(h http.Handler, method, target string, header ...string) {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))
}

func Example() {
	type App struct{ Req *kaito.Request }
	type User struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}

	r := kaito.New(func(req *kaito.Request) (App, error) { return App{req}, nil })
	kaito.Get(r, "/users/:id", func(c App, in struct {
		ID int `path:"id"`
	}) (User, error) {
		if in.ID != 42 {
			return User{}, kaito.NewError(http.StatusNotFound, "no such user")
		}
		return User{ID: in.ID, Name: "gopher"}, nil
	})

	h := nethttp.Handler(r) // or fasthttp.Handler(r)
	do(h, "GET", "/users/42")
	do(h, "GET", "/users/7")
	do(h, "GET", "/users/x")
	do(h, "GET", "/nope")
	// Output:
	// 200 {"id":42,"name":"gopher"}
	// 404 {"message":"no such user"}
	// 400 {"message":"invalid path parameter \"id\": \"x\" is not an integer","errors":[{"location":"path.id","message":"\"x\" is not an integer"}]}
	// 404 {"message":"Cannot GET /nope"}
}

// Through refines a context, as Kaito's through: routes of the derived
// router get a context with the signed-in user, or never run.
func ExampleThrough() {
	type App struct{ Req *kaito.Request }
	type Authed struct {
		App
		User string
	}
	r := kaito.New(func(req *kaito.Request) (App, error) { return App{req}, nil })
	authed := kaito.Through(r, func(c App) (Authed, error) {
		if c.Req.Header("Authorization") != "Bearer s3cret" {
			return Authed{}, kaito.NewError(http.StatusUnauthorized, "sign in first")
		}
		return Authed{App: c, User: "ada"}, nil
	})
	kaito.Get(authed, "/me", func(c Authed, _ struct{}) (string, error) { return c.User, nil })

	h := nethttp.Handler(r)
	do(h, "GET", "/me")
	do(h, "GET", "/me", "Authorization", "Bearer s3cret")
	// Output:
	// 401 {"message":"sign in first"}
	// 200 "ada"
}

// Mount serves one router's routes under a prefix of another, as Kaito's merge.
func ExampleMount() {
	v1 := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	kaito.Get(v1, "/ping", func(struct{}, struct{}) (string, error) { return "pong", nil })

	root := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	kaito.Mount(root, "/v1", v1)
	do(nethttp.Handler(root), "GET", "/v1/ping")
	// Output: 200 "pong"
}

// OnError maps errors that carry no status; anything it declines, and any
// unmapped error, is a 500 whose text never reaches the client.
func ExampleOnError() {
	errFull := errors.New("disk full on /var/lib/db")
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil },
		kaito.OnError(func(err error, req *kaito.Request) (int, string) {
			if errors.Is(err, errFull) {
				return http.StatusServiceUnavailable, "try again later"
			}
			return 0, "" // not mapped
		}))
	kaito.Get(r, "/save", func(struct{}, struct{}) (int, error) { return 0, fmt.Errorf("saving: %w", errFull) })
	kaito.Get(r, "/leak", func(struct{}, struct{}) (int, error) { return 0, errors.New("password=hunter2") })
	h := nethttp.Handler(r)
	do(h, "GET", "/save")
	do(h, "GET", "/leak")
	// Output:
	// 503 {"message":"try again later"}
	// 500 {"message":"Internal Server Error"}
}

// Binding reads tagged fields from the path, query, headers and cookies,
// the rest from the body, and runs Validate.
func ExampleHandle_binding() {
	type Search struct {
		Q     string   `query:"q"`
		Page  int      `query:"page"`
		Tags  []string `query:"tags"`
		Token string   `header:"X-Token"`
	}
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	kaito.Get(r, "/search", func(_ struct{}, in Search) (Search, error) { return in, nil })
	h := nethttp.Handler(r)
	do(h, "GET", "/search?q=go&page=2&tags=a&tags=b", "X-Token", "t")
	do(h, "GET", "/search?page=two")
	// Output:
	// 200 {"Q":"go","Page":2,"Tags":["a","b"],"Token":"t"}
	// 400 {"message":"invalid query parameter \"page\": \"two\" is not an integer","errors":[{"location":"query.page","message":"\"two\" is not an integer"}]}
}

// WithResolver makes IP and the origin trust forwarding headers only from
// your proxies: here nginx on the same machine.
func ExampleWithResolver() {
	res, err := ip.New(ip.TrustProxies("loopback"), ip.FromXForwardedFor())
	if err != nil {
		panic(err)
	}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithResolver(res))
	kaito.Get(r, "/ip", func(req *kaito.Request, _ struct{}) ([]string, error) { return []string{req.IP(), req.Protocol()}, nil })
	h := nethttp.Handler(r)

	for _, peer := range []string{"127.0.0.1:5555", "198.51.100.9:5555"} {
		req := httptest.NewRequest("GET", "/ip", nil)
		req.RemoteAddr = peer // nginx, then a client that skipped it
		req.Header.Set("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
		req.Header.Set("X-Forwarded-Proto", "https")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Body.String())
	}
	// Output:
	// ["203.0.113.7","https"]
	// ["198.51.100.9","http"]
}

// SSE streams server-sent events, as Kaito's sse.
func ExampleSSE() {
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	kaito.Get(r, "/ticks", func(struct{}, struct{}) (kaito.SSE, error) {
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			for i := range 2 {
				if err := send(kaito.Event{Event: "tick", Data: fmt.Sprint(i)}); err != nil {
					return err // the client went away
				}
			}
			return nil
		}}, nil
	})
	rec := httptest.NewRecorder()
	nethttp.Handler(r).ServeHTTP(rec, httptest.NewRequest("GET", "/ticks", nil))
	fmt.Print(rec.Body.String())
	// Output:
	// event: tick
	// data: 0
	//
	// event: tick
	// data: 1
}
