package kaito_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	gojson "github.com/goccy/go-json"
	"github.com/julienschmidt/httprouter"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

// sink is a reusable http.ResponseWriter: a fresh httptest.Recorder per
// operation costs more than the routers themselves.
type sink struct {
	h      http.Header
	status int
	n      int
}

func newSink() *sink { return &sink{h: make(http.Header, 4)} }

func (s *sink) Header() http.Header         { return s.h }
func (s *sink) WriteHeader(code int)        { s.status = code }
func (s *sink) Write(p []byte) (int, error) { s.n += len(p); return len(p), nil }
func (s *sink) reset() {
	clear(s.h)
	s.status, s.n = 0, 0
}

// handWritten is the limit: httprouter and go-json, nothing else.
func handWritten() http.Handler {
	r := httprouter.New()
	r.GET("/users/:id", func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {
		id, err := strconv.Atoi(ps.ByName("id"))
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		b, err := gojson.Marshal(user{ID: id, Name: "gopher"})
		if err != nil {
			http.Error(w, "encoding", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
	return r
}

type benchCtx struct{}

func kaitoUsers() http.Handler {
	r := kaito.New(func(*kaito.Request) (benchCtx, error) { return benchCtx{}, nil })
	kaito.Get(r, "/users/:id", func(_ benchCtx, in userID) (user, error) {
		return user{ID: in.ID, Name: "gopher"}, nil
	})
	return nethttp.Handler(r)
}

func benchGet(b *testing.B, h http.Handler) {
	req := httptest.NewRequest(http.MethodGet, "/users/42", nil)
	w := newSink()
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		h.ServeHTTP(w, req)
	}
	if w.n != len(`{"id":42,"name":"gopher"}`) {
		b.Fatalf("wrote %d bytes", w.n)
	}
}

// BenchmarkGetUser compares the DESIGN.md case side by side: run with
// go test -bench GetUser -benchmem -count 10 and compare with benchstat.
func BenchmarkGetUser(b *testing.B) {
	b.Run("handwritten", func(b *testing.B) { benchGet(b, handWritten()) })
	b.Run("kaito", func(b *testing.B) { benchGet(b, kaitoUsers()) })
}

func TestAllocBudget(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts (not under -short or -race)")
	}
	req := httptest.NewRequest(http.MethodGet, "/users/42", nil)
	count := func(h http.Handler) float64 {
		w := newSink()
		return testing.AllocsPerRun(200, func() { w.reset(); h.ServeHTTP(w, req) })
	}
	base, ours := count(handWritten()), count(kaitoUsers())
	if ours > base+1 {
		t.Errorf("kaito allocates %v per request, the hand-written handler %v: budget is one more", ours, base)
	}
	t.Logf("allocs/op: hand-written %v, kaito %v", base, ours)

	// A route that uses none of the request helpers pays nothing for them.
	r := kaito.New(func(*kaito.Request) (benchCtx, error) { return benchCtx{}, nil })
	kaito.Get(r, "/ping", func(benchCtx, struct{}) (kaito.NoContent, error) { return kaito.NoContent{}, nil })
	h := nethttp.Handler(r)
	ping := httptest.NewRequest(http.MethodGet, "/ping?a=1&b[c]=2", nil)
	ping.Header.Set("Accept", "application/json")
	w := newSink()
	if n := testing.AllocsPerRun(200, func() { w.reset(); h.ServeHTTP(w, ping) }); n != 0 {
		t.Errorf("a struct{} route with a NoContent result allocates %v per request, want 0", n)
	}
}
