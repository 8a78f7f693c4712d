package bench

import (
	"net/http"
	"testing"

	"github.com/valyala/fasthttp"
)

// The benchmarks: one per scenario, one sub-benchmark per peer, named
// peer=NAME so that benchstat can put peers in columns (-col /peer).
//
//	go test -tags go_json -run '^$' -bench . -benchmem -count 10 > results.txt
//
// net/http peers are served a reused *http.Request (its body rewound) and a
// reused Sink; fasthttp peers a reused fasthttp.RequestCtx whose response is
// reset before each run, as Fiber's own benchmarks reuse one. Each
// benchmark first checks the peer's answer (Verify) and fails rather than
// measure a wrong one.

func BenchmarkUser(b *testing.B)         { benchScenario(b, User) }
func BenchmarkCreate(b *testing.B)       { benchScenario(b, Create) }
func BenchmarkGitHub(b *testing.B)       { benchScenario(b, GitHub) }
func BenchmarkClientIP(b *testing.B)     { benchScenario(b, ClientIP) }
func BenchmarkAccepts(b *testing.B)      { benchScenario(b, Accepts) }
func BenchmarkCreateTagged(b *testing.B) { benchScenario(b, CreateTagged) }
func BenchmarkCreatePlain(b *testing.B)  { benchScenario(b, CreatePlain) }

func benchScenario(b *testing.B, s Scenario) {
	for _, p := range Peers {
		if !p.Has(s) {
			continue
		}
		b.Run("peer="+p.Name, func(b *testing.B) {
			if err := Verify(p, s); err != nil {
				b.Fatal(err)
			}
			switch {
			case s == GitHub && p.GitHubHTTP != nil:
				benchHTTP(b, p.GitHubHTTP(GitHubRoutes()), GitHubCases())
			case s == GitHub:
				benchFast(b, p.GitHubFast(GitHubRoutes()), GitHubCases())
			case p.HTTP != nil:
				benchHTTP(b, p.HTTP(), []Case{Cases[s]})
			default:
				benchFast(b, p.Fast(), []Case{Cases[s]})
			}
		})
	}
}

// benchHTTP measures one operation: every case served once.
func benchHTTP(b *testing.B, h http.Handler, cases []Case) {
	reqs := make([]*HTTPRequest, len(cases))
	for i, c := range cases {
		reqs[i] = NewHTTPRequest(c)
	}
	w := NewSink()
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range reqs {
			w.Reset()
			h.ServeHTTP(w, r.Next())
		}
	}
	if w.Status != cases[len(cases)-1].Status {
		b.Fatalf("last status %d, want %d", w.Status, cases[len(cases)-1].Status)
	}
}

// benchFast measures one operation: every case served once.
func benchFast(b *testing.B, h fasthttp.RequestHandler, cases []Case) {
	ctxs := make([]*fasthttp.RequestCtx, len(cases))
	for i, c := range cases {
		ctxs[i] = NewCtx(c)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, ctx := range ctxs {
			ServeFast(h, ctx)
		}
	}
	last := ctxs[len(ctxs)-1]
	if got := last.Response.StatusCode(); got != cases[len(cases)-1].Status {
		b.Fatalf("last status %d, want %d", got, cases[len(cases)-1].Status)
	}
}
