package kaito_test

import (
	"bytes"
	"compress/gzip"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
)

// The Content-Type and Content-Encoding that decide how a body is read:
// read once per request (the fasthttp adapter hands them over in place),
// whatever the case of their names and values, and never carried over to
// the next request served by the same pooled Request.

type contact struct {
	Email string `json:"email" form:"email" pattern:"@"`
	Age   int    `json:"age" form:"age"`
}

func contactRouter() *kaito.Router[appCtx] {
	r := newApp()
	kaito.Post(r, "/contact", func(_ appCtx, in contact) (contact, error) { return in, nil })
	return r
}

func gzipped(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func TestBodyHeaders(t *testing.T) {
	s := serve(contactRouter())
	const ok = `{"email":"a@b","age":3}`
	table{
		{"lower-case names", call{method: "POST", target: "/contact", headers: [][2]string{{"content-type", "application/json"}, {"content-encoding", "gzip"}}, body: gzipped(ok)},
			expect{200, nil, ok}},
		{"upper-case encoding", call{method: "POST", target: "/contact", headers: [][2]string{{"Content-Type", "application/json"}, {"Content-Encoding", "GZIP"}}, body: gzipped(ok)},
			expect{200, nil, ok}},
		{"identity encoding", call{method: "POST", target: "/contact", headers: [][2]string{{"Content-Type", "application/json"}, {"Content-Encoding", "Identity"}}, body: ok},
			expect{200, nil, ok}},
		{"type with parameters and capitals", call{method: "POST", target: "/contact", headers: [][2]string{{"Content-Type", "Application/JSON; charset=utf-8"}}, body: ok},
			expect{200, nil, ok}},
		{"malformed type quoted", call{method: "POST", target: "/contact", headers: [][2]string{{"Content-Type", "json"}}, body: ok},
			expect{400, nil, `{"message":"malformed Content-Type \"json\""}`}},
		{"unsupported encoding quoted", call{method: "POST", target: "/contact", headers: [][2]string{{"Content-Type", "application/json"}, {"Content-Encoding", "br"}}, body: ok},
			expect{415, nil, `{"message":"unsupported Content-Encoding \"br\": gzip and deflate are accepted"}`}},
	}.run(t, s)
}

// TestBodyKindIsPerRequest sends bodies of every kind, one after the
// other, to one router: each request is read by its own Content-Type,
// not by the one of the request its pooled Request served before.
func TestBodyKindIsPerRequest(t *testing.T) {
	ctJSON := [2]string{"Content-Type", "application/json"}
	ctForm := [2]string{"Content-Type", "application/x-www-form-urlencoded"}
	steps := []struct {
		c    call
		want expect
	}{
		{call{method: "POST", target: "/contact", headers: [][2]string{ctJSON}, body: `{"email":"a@b","age":1}`}, expect{200, nil, `{"email":"a@b","age":1}`}},
		{call{method: "POST", target: "/contact", headers: [][2]string{ctForm}, body: `email=c%40d&age=2`}, expect{200, nil, `{"email":"c@d","age":2}`}},
		{call{method: "POST", target: "/contact", headers: [][2]string{{"Content-Type", "application/xml"}}, body: `<a/>`}, expect{415, nil, anyBody}},
		{call{method: "POST", target: "/contact", headers: [][2]string{ctJSON, {"Content-Encoding", "gzip"}}, body: gzipped(`{"email":"e@f","age":3}`)}, expect{200, nil, `{"email":"e@f","age":3}`}},
		{call{method: "POST", target: "/contact", headers: [][2]string{ctJSON}, body: `{"email":"g@h","age":4}`}, expect{200, nil, `{"email":"g@h","age":4}`}},
		// No body: every required field is missing.
		{call{method: "POST", target: "/contact", headers: [][2]string{ctJSON}}, expect{422, nil, `{"message":"validation failed","errors":[{"location":"body.email","message":"is required"},{"location":"body.age","message":"is required"}]}`}},
		{call{method: "POST", target: "/contact", headers: [][2]string{ctForm}, body: `email=i%40j`}, expect{422, nil, `{"message":"validation failed","errors":[{"location":"body.age","message":"is required"}]}`}},
	}
	for _, a := range adapters {
		t.Run(a.name, func(t *testing.T) {
			s := serve(contactRouter())
			for round := range 2 {
				for i, st := range steps {
					r := a.do(t, s, st.c)
					if r.status != st.want.status || (st.want.body != anyBody && r.body != st.want.body) {
						t.Errorf("round %d, step %d: %d %s, want %d %s", round, i, r.status, r.body, st.want.status, st.want.body)
					}
				}
			}
		})
	}
}

// TestFastHTTPBodyHeadersReadInPlace serves requests on one reused
// RequestCtx, as fasthttp's server does on a connection, with
// Content-Types and Content-Encodings of changing lengths: each answer
// quotes its own request's header, and a request after a malformed one is
// read by its own.
func TestFastHTTPBodyHeadersReadInPlace(t *testing.T) {
	h := fasthttpadapter.Handler(contactRouter())
	var ctx fasthttp.RequestCtx
	var req fasthttp.Request
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 1234}, nil)
	for i := range 12 {
		ctx.Request.Reset()
		ctx.Request.Header.SetMethod(http.MethodPost)
		ctx.Request.SetRequestURI("/contact")
		ctx.Request.SetBodyString(`{"email":"a@b","age":1}`)
		var want string
		switch i % 3 {
		case 0:
			ct := strings.Repeat("x", i) + "json"
			ctx.Request.Header.SetContentType(ct)
			want = `{"message":"malformed Content-Type \"` + ct + `\""}`
		case 1:
			enc := "br" + strings.Repeat("y", i)
			ctx.Request.Header.SetContentType("application/json")
			ctx.Request.Header.Set("Content-Encoding", enc)
			want = `{"message":"unsupported Content-Encoding \"` + enc + `\": gzip and deflate are accepted"}`
		default:
			ctx.Request.Header.SetContentType("application/json")
			want = `{"email":"a@b","age":1}`
		}
		ctx.Response.Reset()
		h(&ctx)
		if got := string(ctx.Response.Body()); got != want {
			t.Errorf("request %d: %d %s, want %s", i, ctx.Response.StatusCode(), got, want)
		}
	}
}
