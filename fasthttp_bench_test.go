package kaito_test

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"

	gojson "github.com/goccy/go-json"
	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
)

// handWrittenFast is the fasthttp limit: no router, go-json, nothing else.
func handWrittenFast(ctx *fasthttp.RequestCtx) {
	rest, ok := bytes.CutPrefix(ctx.Path(), []byte("/users/"))
	if !ok {
		ctx.SetStatusCode(fasthttp.StatusNotFound)
		return
	}
	id, err := fasthttp.ParseUint(rest)
	if err != nil {
		ctx.SetStatusCode(fasthttp.StatusBadRequest)
		return
	}
	b, err := gojson.Marshal(user{ID: id, Name: "gopher"})
	if err != nil {
		ctx.SetStatusCode(fasthttp.StatusInternalServerError)
		return
	}
	ctx.SetContentType("application/json")
	ctx.Write(b)
}

func kaitoUsersFast() fasthttp.RequestHandler {
	r := kaito.New(func(*kaito.Request) (benchCtx, error) { return benchCtx{}, nil })
	kaito.Get(r, "/users/:id", func(_ benchCtx, in userID) (user, error) {
		return user{ID: in.ID, Name: "gopher"}, nil
	})
	return fasthttpadapter.Handler(r)
}

func benchFast(b *testing.B, h fasthttp.RequestHandler) {
	var req fasthttp.Request
	req.SetRequestURI("/users/42")
	var ctx fasthttp.RequestCtx
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 1234}, nil)
	b.ReportAllocs()
	for b.Loop() {
		ctx.Response.Reset()
		h(&ctx)
	}
	if got := string(ctx.Response.Body()); got != `{"id":42,"name":"gopher"}` {
		b.Fatalf("body %q", got)
	}
}

// BenchmarkGetUserFastHTTP is the DESIGN.md case through the fasthttp
// adapter beside a hand-written fasthttp handler. Fiber is in bench/.
func BenchmarkGetUserFastHTTP(b *testing.B) {
	b.Run("handwritten", func(b *testing.B) { benchFast(b, handWrittenFast) })
	b.Run("kaito", func(b *testing.B) { benchFast(b, kaitoUsersFast()) })
}

// TestFastHTTPValuesOutliveTheRequest keeps what handlers saw (parameters,
// the bound input, headers, the query and body maps) and checks it after
// many later requests have reused fasthttp's buffers.
func TestFastHTTPValuesOutliveTheRequest(t *testing.T) {
	type input struct {
		ID    string `path:"id"`
		Q     string `query:"q"`
		Token string `header:"X-Token"`
		Name  string `json:"name"`
	}
	type kept struct {
		in     input
		param  string
		header string
		qs     map[string]any
		body   map[string]any
		uri    string
	}
	var mu sync.Mutex
	var all []kept
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithLogger(quiet))
	kaito.Post(r, "/items/:id", func(req *kaito.Request, in input) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		all = append(all, kept{in: in, param: req.Param("id"), header: req.Header("X-Token"), qs: req.Qs(), body: req.Body(), uri: req.URL(true)})
		return "ok", nil
	})
	s := serve(r)
	const n = 50
	for i := range n {
		c := call{method: "POST", target: fmt.Sprintf("/items/id%03d?q=q%03d", i, i),
			headers: [][2]string{{"X-Token", fmt.Sprintf("tok%03d", i)}, {"Content-Type", "application/json"}},
			body:    fmt.Sprintf(`{"name":"name%03d"}`, i)}
		if res := doFastHTTP(t, s, c); res.status != 200 {
			t.Fatalf("request %d: %d %s", i, res.status, res.body)
		}
	}
	if len(all) != n {
		t.Fatalf("kept %d, want %d", len(all), n)
	}
	for i, k := range all {
		want := fmt.Sprintf("%03d", i)
		got := []string{k.in.ID, k.in.Q, k.in.Token, k.in.Name, k.param, k.header, k.qs["q"].(string), k.body["name"].(string), k.uri}
		for _, g := range got {
			if !strings.Contains(g, want) {
				t.Errorf("request %d: kept value %q was overwritten (all: %q)", i, g, got)
				break
			}
		}
	}
}
