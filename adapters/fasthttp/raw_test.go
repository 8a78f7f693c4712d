package fasthttp_test

import (
	"testing"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/kaitotest"
)

// A route reaches fasthttp's RequestCtx through RequestCtx on fasthttp, and
// nothing on net/http.
func TestRequestCtx(t *testing.T) {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil })
	kaito.Get(r, "/conn", func(req *kaito.Request, _ struct{}) (kaito.Text, error) {
		ctx, ok := fasthttpadapter.RequestCtx(req)
		if !ok {
			return "none", nil
		}
		return kaito.Text("fasthttp " + string(ctx.Method())), nil
	})
	for _, tt := range []struct {
		a    kaitotest.Adapter
		want string
	}{{kaitotest.FastHTTP, "fasthttp GET"}, {kaitotest.NetHTTP, "none"}} {
		c := kaitotest.New(t, r, tt.a)
		if got := kaitotest.Body(t, c.Get("/conn")); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.a, got, tt.want)
		}
	}
}
