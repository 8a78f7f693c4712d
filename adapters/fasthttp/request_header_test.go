package fasthttp_test

import (
	"bufio"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/ip"
)

// headerAnswer is what the handler of TestRequestHeaderLookups reads.
type headerAnswer struct {
	Headers map[string]string `json:"headers"`
	IP      string            `json:"ip"`
	Types   []string          `json:"types"`
	Accepts string            `json:"accepts"`
}

// TestRequestHeaderLookups reads request headers by names in every case, on
// a server that normalizes header names (fasthttp's default) and on one
// that keeps them as received (DisableHeaderNamesNormalizing): each answer
// is what fasthttp's own Peek gives for that name, header lines repeat, and
// the setting is left as it was.
func TestRequestHeaderLookups(t *testing.T) {
	res, err := ip.New(ip.TrustProxies("10.0.0.0/8"), ip.FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	names := []string{
		"X-Forwarded-For", "x-forwarded-for", "X-FORWARDED-FOR", "x-Forwarded-for",
		"Accept", "accept", "Content-Type", "content-type", "Host", "host",
		"User-Agent", "X-Custom", "x-custom", "X-Absent", "X-Forwarded-For ", "X-Forwarded-For\r\n",
	}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithResolver(res))
	kaito.Post(r, "/h", func(req *kaito.Request, _ struct{}) (headerAnswer, error) {
		a := headerAnswer{Headers: map[string]string{}, IP: req.IP(), Types: req.Types(), Accepts: req.Accepts("json", "html")}
		for _, n := range names {
			a.Headers[n] = req.Header(n)
		}
		return a, nil
	})
	h := fasthttpadapter.Handler(r)

	const raw = "POST /h HTTP/1.1\r\n" +
		"host: example.com\r\n" +
		"x-forwarded-for: 203.0.113.7, 10.1.1.1\r\n" +
		"ACCEPT: text/plain;q=0.5\r\n" +
		"Content-Type: application/json\r\n" +
		"user-agent: probe\r\n" +
		"X-Forwarded-For: 10.2.2.2\r\n" +
		"accept: text/html\r\n" +
		"X-CUSTOM: one\r\n" +
		"Content-Length: 2\r\n\r\n{}"

	tests := []struct {
		name        string
		keepNames   bool // DisableHeaderNamesNormalizing
		wantIP      string
		wantTypes   []string
		wantAccepts string
		want        map[string]string
	}{
		{
			name:   "names normalized",
			wantIP: "203.0.113.7", wantTypes: []string{"text/html", "text/plain"}, wantAccepts: "html",
			want: map[string]string{
				"X-Forwarded-For": "203.0.113.7, 10.1.1.1", "x-forwarded-for": "203.0.113.7, 10.1.1.1",
				"X-FORWARDED-FOR": "203.0.113.7, 10.1.1.1", "Accept": "text/plain;q=0.5",
				"Content-Type": "application/json", "content-type": "application/json", "Host": "example.com",
				"User-Agent": "probe", "X-Custom": "one", "x-custom": "one", "X-Absent": "",
			},
		},
		{
			// Names are matched as written: only the lines whose name is
			// spelled as asked count.
			name: "names kept as received", keepNames: true,
			wantIP: "10.2.2.2", wantTypes: []string{"*/*"}, wantAccepts: "json",
			want: map[string]string{
				"X-Forwarded-For": "10.2.2.2", "x-forwarded-for": "203.0.113.7, 10.1.1.1", "accept": "text/html",
				"X-Custom": "", "X-Absent": "",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req fasthttp.Request
			if tt.keepNames {
				req.Header.DisableNormalizing()
			}
			if err := req.Read(bufio.NewReader(strings.NewReader(raw))); err != nil {
				t.Fatal(err)
			}
			var ctx fasthttp.RequestCtx
			ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 5000}, nil)
			h(&ctx)
			if ctx.Response.StatusCode() != 200 {
				t.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
			}
			var got headerAnswer
			if err := json.Unmarshal(ctx.Response.Body(), &got); err != nil {
				t.Fatal(err)
			}
			for _, n := range names {
				if want := string(ctx.Request.Header.Peek(n)); got.Headers[n] != want {
					t.Errorf("Header(%q) = %q, fasthttp's Peek gives %q", n, got.Headers[n], want)
				}
			}
			for n, want := range tt.want {
				if got.Headers[n] != want {
					t.Errorf("Header(%q) = %q, want %q", n, got.Headers[n], want)
				}
			}
			if got.IP != tt.wantIP || got.Accepts != tt.wantAccepts || strings.Join(got.Types, " ") != strings.Join(tt.wantTypes, " ") {
				t.Errorf("IP %q, Accepts %q, Types %q; want %q, %q, %q", got.IP, got.Accepts, got.Types, tt.wantIP, tt.wantAccepts, tt.wantTypes)
			}
			if was := ctx.Request.Header.DisableNormalizing(); was != tt.keepNames {
				t.Errorf("after the request, names normalized = %v, want %v", !was, !tt.keepNames)
			}
		})
	}
}
