package kaitotest_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/ip"
	"github.com/kaito-go/kaito/kaitotest"
)

type app struct{ Req *kaito.Request }

type user struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type getUser struct {
	ID int `path:"id"`
}

type newUser struct {
	Name string `json:"name"`
}

func routes() *kaito.Router[app] {
	r := kaito.New(func(req *kaito.Request) (app, error) { return app{Req: req}, nil })
	kaito.Get(r, "/users/:id", func(_ app, in getUser) (user, error) {
		if in.ID != 1 {
			return user{}, kaito.NewError(http.StatusNotFound, "no such user")
		}
		return user{ID: 1, Name: "ada"}, nil
	})
	kaito.Post(r, "/users", func(_ app, in newUser) (user, error) {
		return user{ID: 2, Name: in.Name}, nil
	}, kaito.Status(http.StatusCreated))
	kaito.Get(r, "/ip", func(c app, _ struct{}) (kaito.Text, error) {
		return kaito.Text(c.Req.IP()), nil
	})
	kaito.Get(r, "/events", func(_ app, _ struct{}) (kaito.SSE, error) {
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			for _, d := range []string{"a", "b"} {
				if err := send(kaito.Event{Data: d}); err != nil {
					return err
				}
			}
			return nil
		}}, nil
	})
	return r
}

func TestClientOnEachAdapter(t *testing.T) {
	for _, a := range kaitotest.Adapters {
		t.Run(a.String(), func(t *testing.T) {
			c := kaitotest.New(t, routes(), a)
			if c.Adapter() != a {
				t.Fatalf("Adapter() = %v, want %v", c.Adapter(), a)
			}
			tests := []struct {
				name       string
				res        *http.Response
				status     int
				body, ctyp string
			}{
				{"get", c.Get("/users/1"), 200, `{"id":1,"name":"ada"}`, "application/json"},
				{"error", c.Get("/users/2"), 404, `{"message":"no such user"}`, "application/json"},
				{"post", c.Post("/users", "application/json", `{"name":"bob"}`), 201, `{"id":2,"name":"bob"}`, "application/json"},
				{"bad json", c.Post("/users", "application/json", `{"name":`), 400, "", "application/json"},
				{"no route", c.Get("/nope"), 404, `{"message":"Cannot GET /nope"}`, "application/json"},
				{"sse", c.Get("/events"), 200, "data: a\n\ndata: b\n\n", "text/event-stream"},
			}
			for _, tt := range tests {
				body := kaitotest.Body(t, tt.res)
				if tt.res.StatusCode != tt.status {
					t.Errorf("%s: status %d, want %d (body %q)", tt.name, tt.res.StatusCode, tt.status, body)
				}
				if tt.body != "" && strings.TrimSpace(body) != strings.TrimSpace(tt.body) {
					t.Errorf("%s: body %q, want %q", tt.name, body, tt.body)
				}
				if ct := tt.res.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.ctyp) {
					t.Errorf("%s: Content-Type %q, want %s", tt.name, ct, tt.ctyp)
				}
			}
		})
	}
}

// The router sees the RemoteAddr the test gives, on both adapters, so that
// client-IP logic can be tested without a socket.
func TestClientPeer(t *testing.T) {
	for _, a := range kaitotest.Adapters {
		t.Run(a.String(), func(t *testing.T) {
			c := kaitotest.New(t, routes(), a)
			req := httptest.NewRequest(http.MethodGet, "/ip", nil)
			req.RemoteAddr = "203.0.113.9:4321"
			if got := kaitotest.Body(t, c.Do(req)); got != "203.0.113.9" {
				t.Errorf("IP() = %q, want 203.0.113.9", got)
			}
			if got := kaitotest.Body(t, c.Get("/ip")); got != "192.0.2.1" {
				t.Errorf("default IP() = %q, want httptest's 192.0.2.1", got)
			}
		})
	}
}

func TestNewRequestForAContextFactory(t *testing.T) {
	type authed struct{ User string }
	factory := func(req *kaito.Request) (authed, error) {
		tok, ok := strings.CutPrefix(req.Header("Authorization"), "Bearer ")
		if !ok {
			return authed{}, kaito.NewError(http.StatusUnauthorized, "sign in")
		}
		return authed{User: tok + "@" + req.IP() + "/" + req.Param("org")}, nil
	}
	res, err := ip.New(ip.TrustProxies("10.0.0.1"), ip.FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}

	r := httptest.NewRequest(http.MethodGet, "/orgs/acme/me", nil)
	r.RemoteAddr = "10.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "198.51.100.4")
	r.Header.Set("Authorization", "Bearer ada")
	req := kaitotest.NewRequest(t, r, []kaito.Option{kaito.WithResolver(res)}, "org", "acme")
	got, err := factory(req)
	if err != nil || got.User != "ada@198.51.100.4/acme" {
		t.Errorf("factory = %+v, %v; want ada@198.51.100.4/acme", got, err)
	}
	if req.Context() == nil || req.Method() != http.MethodGet {
		t.Errorf("Context() = %v, Method() = %q", req.Context(), req.Method())
	}

	anon := kaitotest.NewRequest(t, httptest.NewRequest(http.MethodGet, "/me", nil), nil)
	var kerr *kaito.Error
	if _, err := factory(anon); !errors.As(err, &kerr) || kerr.Status != http.StatusUnauthorized {
		t.Errorf("factory without a token: %v, want a 401 *kaito.Error", err)
	}
}

// The zero Request belongs to no request; its Context is Background rather
// than a panic.
func TestZeroRequestContext(t *testing.T) {
	var req kaito.Request
	if req.Context() == nil {
		t.Fatal("Context() of the zero Request is nil")
	}
}
