package kaito_test

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

// Allocation budgets of the typed POST (bench_post_test.go, bench/'s Create
// and CreateTagged): a JSON body bound, validated and echoed with 201, on
// both adapters. The body's own allocations are the decoder's (In, which
// the decoder is handed as an interface, and its strings and slices);
// kaito adds none of its own: the Content-Type and Content-Encoding are read
// once and in place, the reader that limits the body is the request's own,
// and the checks read the bound fields in place.

// rewindBody is a request body that serves the same bytes to every run.
type rewindBody struct {
	bytes.Reader
	data []byte
}

func (b *rewindBody) Close() error { return nil }

// allocsPost serves one POST of body per run on both adapters and returns
// the allocations of a run on each, after checking the answer: 201 and the
// body echoed.
func allocsPost(t *testing.T, r *kaito.Router[benchCtx], path, body string) (netHTTP, fastHTTP float64) {
	t.Helper()
	h := nethttp.Handler(r)
	rb := &rewindBody{data: []byte(body)}
	req := httptest.NewRequest(http.MethodPost, path, nil)
	req.Header.Set("Content-Type", "application/json")
	req.Body, req.ContentLength = rb, int64(len(body))
	rb.Reset(rb.data)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated || rec.Body.String() != body {
		t.Fatalf("net/http: %d %q, want 201 and the body", rec.Code, rec.Body.String())
	}
	w := newSink()
	netHTTP = testing.AllocsPerRun(100, func() {
		rb.Reset(rb.data)
		w.reset()
		h.ServeHTTP(w, req)
	})

	fh := fasthttpadapter.Handler(r)
	var freq fasthttp.Request
	freq.Header.SetMethod(http.MethodPost)
	freq.SetRequestURI(path)
	freq.Header.SetContentType("application/json")
	freq.SetBodyString(body)
	var ctx fasthttp.RequestCtx
	ctx.Init(&freq, &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 5000}, nil)
	fh(&ctx)
	if got := string(ctx.Response.Body()); ctx.Response.StatusCode() != http.StatusCreated || got != body {
		t.Fatalf("fasthttp: %d %q, want 201 and the body", ctx.Response.StatusCode(), got)
	}
	fastHTTP = testing.AllocsPerRun(100, func() {
		ctx.Response.Reset()
		fh(&ctx)
	})
	return netHTTP, fastHTTP
}

func TestAllocBudgetTypedPost(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts (not under -short or -race)")
	}
	r := kaito.New(func(*kaito.Request) (benchCtx, error) { return benchCtx{}, nil })
	kaito.Post(r, "/users", func(_ benchCtx, in newUser) (newUser, error) { return in, nil }, kaito.Status(http.StatusCreated))
	kaito.Post(r, "/tagged", func(_ benchCtx, in newUserTagged) (newUserTagged, error) { return in, nil }, kaito.Status(http.StatusCreated))
	// newUserBody decodes into In (1), its five strings (5), the tags
	// slice (1) and its three strings (3).
	const decoder = 10
	tests := []struct {
		name, path string
		// budget is per adapter: on net/http the body is read into a
		// buffer; fasthttp hands over the body it has read.
		netHTTP, fastHTTP float64
	}{
		{"Validate method", "/users", decoder + 1, decoder},
		{"constraint tags and required fields", "/tagged", decoder + 1, decoder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, f := allocsPost(t, r, tt.path, newUserBody)
			if n > tt.netHTTP {
				t.Errorf("net/http: %v allocations per request, budget %v", n, tt.netHTTP)
			}
			if f > tt.fastHTTP {
				t.Errorf("fasthttp: %v allocations per request, budget %v", f, tt.fastHTTP)
			}
		})
	}
}
