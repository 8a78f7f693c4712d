package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/client"
)

// serve serves the API on a loopback port on each adapter, and returns the
// base URL of /v1.
func serve(t *testing.T, adapter string) string {
	t.Helper()
	r := Routes(NewStore(), slog.New(slog.DiscardHandler))
	if adapter == "nethttp" {
		srv := httptest.NewServer(nethttp.Handler(r))
		t.Cleanup(srv.Close)
		return srv.URL + "/v1"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		fasthttpadapter.Serve(ctx, ln, fasthttpadapter.Handler(r), fasthttpadapter.Config{ShutdownTimeout: 5 * time.Second})
	}()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String() + "/v1"
}

// The endpoints, called from Go with package client.
func TestEndpointsFromGo(t *testing.T) {
	for _, adapter := range []string{"nethttp", "fasthttp"} {
		t.Run(adapter, func(t *testing.T) {
			base := serve(t, adapter)
			anon, err := client.New(base)
			if err != nil {
				t.Fatal(err)
			}
			ada, _ := client.New(base, client.WithHeader("Authorization", "Bearer secret-ada"))
			ctx := t.Context()

			text, err := client.Do(ctx, anon, Greeting, GreetingIn{ID: 1, Lang: "fr", Shout: true})
			if err != nil || text != "BONJOUR, ADA!" {
				t.Errorf("Greeting = %q, %v", text, err)
			}
			var ce *client.Error
			if _, err := client.Do(ctx, anon, Greeting, GreetingIn{ID: 9}); !errors.As(err, &ce) || ce.Status != 404 || ce.Message != "no such user" {
				t.Errorf("Greeting of no one: %v", err)
			}
			if _, err := client.Do(ctx, anon, Rename, RenameIn{ID: 1, Name: "x"}); !errors.As(err, &ce) || ce.Status != 401 {
				t.Errorf("Rename without a token: %v", err)
			}
			u, err := client.Do(ctx, ada, Rename, RenameIn{ID: 1, Name: "Ada L."})
			if err != nil || u != (User{ID: 1, Name: "Ada L.", Email: "ada@example.com"}) {
				t.Errorf("Rename = %+v, %v", u, err)
			}

			var got []kaito.TypedEvent[User]
			for ev, err := range client.Events(ctx, anon, Feed, FeedIn{Tags: []string{"new", "all"}}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ev)
			}
			if len(got) != 1 || got[0].ID != "1" || got[0].Event != "new,all" || got[0].Data.Name != "Ada L." {
				t.Errorf("Feed = %+v", got)
			}
		})
	}
}
