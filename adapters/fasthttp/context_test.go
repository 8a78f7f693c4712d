package fasthttp_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
)

// TestContextOutlivesHandler: a request's context handed to work that
// outlives the handler stays that request's: it is done when the server
// shuts down, however many requests the adapter served since (it reuses
// its per-request state).
func TestContextOutlivesHandler(t *testing.T) {
	kept := make(chan context.Context, 1)
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, quiet)
	kaito.Get(r, "/keep", func(req *kaito.Request, _ struct{}) (string, error) {
		select {
		case kept <- req.Context():
		default:
		}
		return "ok", nil
	})
	s := serve(t, fasthttpadapter.Handler(r), fasthttpadapter.Config{ShutdownTimeout: 2 * time.Second})
	client := &http.Client{Timeout: 10 * time.Second}
	var ctx context.Context
	for i := range 50 {
		res, err := client.Get("http://" + s.addr + "/keep")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if i == 0 {
			ctx = <-kept
		}
		// Read it while later requests are served.
		if ctx.Err() != nil {
			t.Fatalf("the context ended while the server runs: %v", ctx.Err())
		}
	}
	client.CloseIdleConnections()
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Error("a context kept from a request was not done after the server shut down")
	}
	if ctx.Err() == nil {
		t.Error("Err is nil after the server shut down")
	}
}
