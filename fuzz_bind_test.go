package kaito_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/ip"
)

// Fuzz targets for the binder, through the net/http adapter: hostile JSON
// bodies, query strings, header values and form bodies must never make the
// router panic (which it would answer 500 with the generic body, and log)
// or hang. Every other status is fine: hostile input is the client's error.
//
//	go test -run '^$' -fuzz '^FuzzBindJSON$' -fuzztime 15s .

// fuzzPanics records the panics the router logs, so that a failure names
// the panic rather than only its 500.
type fuzzPanics struct {
	mu  sync.Mutex
	got []string
}

func (p *fuzzPanics) Enabled(context.Context, slog.Level) bool { return true }
func (p *fuzzPanics) WithAttrs([]slog.Attr) slog.Handler       { return p }
func (p *fuzzPanics) WithGroup(string) slog.Handler            { return p }
func (p *fuzzPanics) Handle(_ context.Context, r slog.Record) error {
	if !strings.Contains(r.Message, "panic") {
		return nil
	}
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "panic" || a.Key == "stack" {
			fmt.Fprintf(&b, "\n%s: %v", a.Key, a.Value)
		}
		return true
	})
	p.mu.Lock()
	p.got = append(p.got, b.String())
	p.mu.Unlock()
	return nil
}

func (p *fuzzPanics) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	got := p.got
	p.got = nil
	return got
}

// fuzzServe sends req to h and fails on a 500, a logged panic, or an answer
// that takes more than 10 s.
func fuzzServe(t *testing.T, h http.Handler, panics *fuzzPanics, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(rec, req)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("no answer within 10s to %s %s", req.Method, req.URL)
	}
	if p := panics.take(); len(p) > 0 {
		t.Fatalf("%s %s: the router panicked:\n%s", req.Method, req.URL, strings.Join(p, "\n"))
	}
	if rec.Code >= 500 {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL, rec.Code, rec.Body)
	}
	return rec
}

type fuzzInner struct {
	A []int          `json:"a"`
	B map[string]any `json:"b"`
	C *fuzzInner     `json:"c"`
}

// fuzzJSONIn has a field of every kind the binder and go-json fill.
type fuzzJSONIn struct {
	ID     int               `path:"id"`
	Page   *int              `query:"page"`
	Name   string            `json:"name"`
	Age    int8              `json:"age"`
	Count  uint64            `json:"count"`
	Score  float32           `json:"score"`
	Big    float64           `json:"big"`
	OK     *bool             `json:"ok"`
	Tags   []string          `json:"tags"`
	Inner  fuzzInner         `json:"inner"`
	Deep   []fuzzInner       `json:"deep"`
	Any    any               `json:"any"`
	Raw    json.RawMessage   `json:"raw"`
	Number json.Number       `json:"number"`
	When   time.Time         `json:"when"`
	Arr    [3]int            `json:"arr"`
	Map    map[string]int    `json:"map"`
	Bytes  []byte            `json:"bytes"`
	Ptr    *fuzzInner        `json:"ptr"`
	Keys   map[int]string    `json:"keys"`
	Header string            `header:"X-Token"`
	Extra  map[string]string `json:"-"`
}

func (in *fuzzJSONIn) Validate() error {
	if in.Name == "invalid" {
		return errors.New("name is invalid")
	}
	return nil
}

// fuzzAuth is embedded: its tagged field is read from its header only.
type fuzzAuth struct {
	User string `header:"X-User"`
}

// fuzzGuardIn holds what a JSON body must never set: a header field of an
// embedded struct, and uploads.
type fuzzGuardIn struct {
	fuzzAuth
	File  *kaito.MultipartFile   `json:"file"`
	Files []*kaito.MultipartFile `json:"files"`
	Name  string                 `json:"name"`
}

func fuzzJSONRouter(panics *fuzzPanics) http.Handler {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithLogger(slog.New(panics)))
	kaito.Post(r, "/json/:id", func(_ *kaito.Request, in fuzzJSONIn) (fuzzJSONIn, error) { return in, nil })
	kaito.Post(r, "/any", func(_ *kaito.Request, in any) (any, error) { return in, nil })
	kaito.Post(r, "/map", func(_ *kaito.Request, in map[string]any) (map[string]any, error) { return in, nil })
	kaito.Post(r, "/slice", func(_ *kaito.Request, in []fuzzInner) ([]fuzzInner, error) { return in, nil })
	kaito.Post(r, "/guard", func(_ *kaito.Request, in fuzzGuardIn) (string, error) {
		if in.User != "" || in.File != nil || in.Files != nil {
			panic(fmt.Sprintf("the JSON body set a header field or a file: %+v", in))
		}
		return in.Name, nil
	})
	// The accessors read the same body through Body, Input and All.
	kaito.Post(r, "/input", func(req *kaito.Request, _ struct{}) (map[string]any, error) {
		return map[string]any{"all": req.All(), "a": req.Input("inner.b.x.0"), "only": req.Only("name", "tags")}, nil
	})
	return nethttp.Handler(r)
}

var fuzzJSONRoutes = []string{"/json/7?page=2", "/any", "/map", "/slice", "/input", "/guard"}

func nested(open, middle, close string, n int) string {
	return strings.Repeat(open, n) + middle + strings.Repeat(close, n)
}

func FuzzBindJSON(f *testing.F) {
	seeds := []string{
		`{"name":"gopher","age":7,"count":1,"score":1.5,"big":2,"ok":true,"tags":["a"],"inner":{"a":[1],"b":{"x":[1]}},"when":"2024-01-02T03:04:05Z","arr":[1,2,3],"map":{"a":1},"bytes":"aGk=","keys":{"1":"a"}}`,
		`{"name":"invalid"}`,
		// Deeply nested.
		nested("[", "", "]", 20000),
		nested(`{"a":`, "1", "}", 20000),
		`{"any":` + nested("[", "1", "]", 10001) + `}`,
		`{"inner":` + nested(`{"c":`, "null", "}", 5000) + `}`,
		`{"deep":[` + nested(`{"b":{"x":`, "1", "}}", 3000) + `]}`,
		// Huge and odd numbers.
		`{"age":1e400}`, `{"age":128}`, `{"age":-129}`, `{"age":1.5}`, `{"count":184467440737095516150}`,
		`{"count":-1}`, `{"big":1e309}`, `{"big":-0}`, `{"score":3.5e39}`, `{"number":1e99999}`,
		`{"any":123456789012345678901234567890123456789012345678901234567890}`, `{"number":"12"}`,
		`{"any":` + strings.Repeat("9", 100000) + `}`, `{"age":00}`, `{"age":0x10}`, `{"big":NaN}`, `{"big":Infinity}`,
		// Invalid UTF-8, NUL, lone surrogates, a BOM.
		"{\"name\":\"\xff\xfe\xfd\"}", "{\"\xff\":1}", "{\"name\":\"\x00\"}", `{"name":"\u0000"}`, `{"name":"\ud800"}`,
		`{"name":"\udc00\ud800"}`, "\xef\xbb\xbf{}", `{"name":"\x"}`, "{\"tags\":[\"\xc0\xaf\"]}",
		// Duplicate keys.
		`{"name":"a","name":"b"}`, `{"inner":{"a":[1]},"inner":null}`, `{"map":{"a":1,"a":"x"}}`, `{"ID":9,"id":9}`,
		// Types that do not fit, and odd documents.
		`{"when":"not a time"}`, `{"bytes":"!!!"}`, `{"arr":[1,2,3,4,5]}`, `{"map":{"a":"x"}}`, `{"keys":{"x":"a"}}`,
		`{"ptr":null}`, `null`, `[]`, `""`, `{`, `{"a":1}garbage`, `{"a":1}{"a":2}`, `{"__proto__":{"x":1}}`,
		`{"raw":` + nested("[", "", "]", 9000) + `}`, `[{"a":[1,"x"]}]`, `{"tags":"x"}`, `{"ok":"true"}`,
		// A header field and files described in JSON.
		`{"User":"admin","user":"x","fuzzAuth":{"User":"y"},"file":{"FileName":"../../etc/passwd","Size":1},"files":[{"Size":2}],"name":"n"}`,
		`{"file":null,"files":[null]}`, `{"file":"x"}`, `{"file":[]}`,
		`{"name":"` + strings.Repeat("é", 1000) + `"}`, `{"inner":{"b":{"x":[` + strings.Repeat("1,", 5000) + `1]}}}`,
	}
	for _, s := range seeds {
		for i := range fuzzJSONRoutes {
			f.Add([]byte(s), uint8(i), "")
		}
	}
	f.Add([]byte(`{"name":"x"}`), uint8(0), "gzip")
	f.Add([]byte(`{"name":"x"}`), uint8(0), "application/vnd.api+json")
	f.Add([]byte(`{"name":"x"}`), uint8(0), "text/plain")
	panics := &fuzzPanics{}
	h := fuzzJSONRouter(panics)
	f.Fuzz(func(t *testing.T, body []byte, route uint8, extra string) {
		target := fuzzJSONRoutes[int(route)%len(fuzzJSONRoutes)]
		req := httptest.NewRequest("POST", target, strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		switch {
		case extra == "gzip":
			req.Header.Set("Content-Encoding", "gzip")
		case strings.Contains(extra, "/"):
			req.Header.Set("Content-Type", extra)
		case extra != "":
			req.Header["X-Token"] = []string{extra}
		}
		fuzzServe(t, h, panics, req)
	})
}

// fuzzQueryIn is bound from the query string, headers and a cookie.
type fuzzQueryIn struct {
	Q     []string   `query:"q"`
	N     *int       `query:"n"`
	F     float64    `query:"f"`
	B     bool       `query:"b"`
	U     uint8      `query:"u"`
	T     time.Time  `query:"t"`
	Ts    []int64    `query:"ts"`
	Ptrs  []*float32 `query:"p"`
	H     string     `header:"X-H"`
	HN    []int      `header:"X-N"`
	HB    *bool      `header:"X-B"`
	C     string     `cookie:"c"`
	CN    int        `cookie:"cn"`
	Bytes []byte     `query:"bytes"`
}

func FuzzBindQueryHeader(f *testing.F) {
	queries := []string{
		"q=1&q=2&n=5&f=1e400&b=true&u=256&t=2020-01-01T00:00:00Z&ts=1&ts=x&p=1.5",
		"a[b][0]=1&a[b][1]=2", "%zz=%", "a[[[[[[[[[[[=1", "a" + strings.Repeat("[b]", 50) + "=1",
		"n=99999999999999999999", "%00=%00", "q=%ff%fe", "a[]=1&a[0]=2&a[b]=3", "_method=put",
		"__proto__[x]=1&constructor[prototype][y]=2", "a[9999999]=1", "a[21]=1&a[0]=0", strings.Repeat("a=1&", 1500),
		"b=TRUE&b=yes", "u=-1", "f=NaN", "f=0x1p-2", "t=yesterday", "n=&n", "q", "&&&", "=", "a=%", "a=b=c",
		"q=\x00\xff", "a[b]=1&a=2", "a=1&a[b]=2", strings.Repeat("a[", 1000),
	}
	headers := []string{
		"", "\x00", "a\x00b", "1,2,x", "\r\n", "  203.0.113.1 , unknown", "[::1]:80", "2001:db8::1%eth0",
		strings.Repeat("1.1.1.1,", 100), "\xff\xfe", "for=\"[2001:db8::1]:80\";proto=https", `for="unterminated`,
		"9999999999999999999", "true", "text/html;q=0.5, application/json;q=abc, */*;q=1.0001",
		"0.0.0.0, ::, ::ffff:127.0.0.1", strings.Repeat(" ", 9000),
	}
	for _, q := range queries {
		f.Add(q, headers[len(q)%len(headers)], "c=1; cn=2")
	}
	for _, h := range headers {
		f.Add("n=1", h, "c="+h)
	}
	panics := &fuzzPanics{}
	res, err := ip.New(ip.TrustProxies("192.0.2.0/24"), ip.FromXForwardedFor())
	if err != nil {
		f.Fatal(err)
	}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil },
		kaito.WithLogger(slog.New(panics)), kaito.WithResolver(res), kaito.WithMethodSpoofing(), kaito.WithRequestID())
	handler := func(req *kaito.Request, in fuzzQueryIn) (map[string]any, error) {
		return map[string]any{
			"in": in, "qs": req.Qs(), "input": req.Input("a.b.0"), "only": req.Only("q", "a.b"),
			"ip": req.IP(), "ips": req.IPs(), "origin": req.Origin(), "accepts": req.Accepts("json", "html"),
			"languages": req.Languages(), "encodings": req.Encodings(), "id": req.ID(), "url": req.CompleteURL(true),
		}, nil
	}
	kaito.Get(r, "/q", handler)
	kaito.Put(r, "/q", handler)
	h := nethttp.Handler(r)
	f.Fuzz(func(t *testing.T, query, header, cookie string) {
		for _, method := range []string{"GET", "POST"} {
			req := httptest.NewRequest(method, "/q", nil)
			req.URL.RawQuery = query
			req.RequestURI = "/q?" + query
			req.RemoteAddr = "192.0.2.1:1234"
			for _, name := range []string{"X-H", "X-N", "X-B", "Accept", "Accept-Language", "Accept-Encoding",
				"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Request-Id"} {
				req.Header[name] = []string{header}
			}
			req.Header["X-N"] = append(req.Header["X-N"], strings.Split(header, ",")...)
			req.Header["Cookie"] = []string{cookie}
			req.Host = header
			fuzzServe(t, h, panics, req)
		}
	})
}

// fuzzFormIn is bound from urlencoded and multipart bodies.
type fuzzFormIn struct {
	Name  string                 `form:"name"`
	Tags  []string               `form:"tags"`
	N     int                    `form:"n"`
	F     *float64               `form:"f"`
	B     []bool                 `form:"b"`
	When  time.Time              `form:"when"`
	File  *kaito.MultipartFile   `form:"file"`
	Files []*kaito.MultipartFile `form:"files"`
}

const fuzzBoundary = "fuzzb0undary"

func FuzzBindForm(f *testing.F) {
	forms := []string{
		"name=a&tags=1&tags=2&n=3&f=1.5&b=true&when=2020-01-01T00:00:00Z", "n=abc", "f=1e400", "a.b.c=1",
		"tags[]=x&tags[]=y", "%gg", "name=%00", strings.Repeat("a=1&", 2000), "name", "=", "&&&", "b=maybe",
		"tags[0]=a&tags[5]=b", "a[b][c][d][e][f][g]=1", "name=\xff\xfe", "n=1&n=2&n=x", "name.first=a&name=b",
	}
	for _, s := range forms {
		f.Add(s, false)
	}
	part := func(name, filename, content string) string {
		disp := `form-data; name="` + name + `"`
		if filename != "" {
			disp += `; filename="` + filename + `"`
		}
		return "--" + fuzzBoundary + "\r\nContent-Disposition: " + disp + "\r\n\r\n" + content + "\r\n"
	}
	end := "--" + fuzzBoundary + "--\r\n"
	multiparts := []string{
		part("name", "", "gopher") + part("n", "", "3") + part("file", "../../etc/passwd", "data") + end,
		part("files", "a.txt", "a") + part("files", "b.txt", "b") + part("tags", "", "x") + end,
		part("n", "", "not a number") + end,
		part("name", "", "unterminated"),
		"--" + fuzzBoundary + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n" + end,
		"--" + fuzzBoundary + "\r\n\r\n\r\n" + end,
		strings.Repeat(part("tags", "", "x"), 1100) + end,
		strings.Repeat(part("files", "f", "x"), 25) + end,
		part("name", "", strings.Repeat("x", 2<<20)) + end,
		"garbage", "", "--" + fuzzBoundary + "--",
		"--" + fuzzBoundary + "\r\nContent-Disposition: form-data; name=\"\xff\x00\"; filename=\"\x00\"\r\nContent-Type: \x00\r\n\r\nx\r\n" + end,
	}
	for _, s := range multiparts {
		f.Add(s, true)
	}
	panics := &fuzzPanics{}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithLogger(slog.New(panics)))
	kaito.Post(r, "/form", func(req *kaito.Request, in fuzzFormIn) (map[string]any, error) {
		out := map[string]any{"name": in.Name, "tags": in.Tags, "n": in.N, "f": in.F, "b": in.B, "all": req.All()}
		if in.File != nil {
			rc, err := in.File.Open()
			if err != nil {
				return nil, err
			}
			rc.Close()
			out["file"] = in.File.FileName
		}
		out["files"] = len(in.Files)
		return out, nil
	})
	h := nethttp.Handler(r)
	f.Fuzz(func(t *testing.T, body string, multipart bool) {
		req := httptest.NewRequest("POST", "/form", strings.NewReader(body))
		if multipart {
			req.Header.Set("Content-Type", "multipart/form-data; boundary="+fuzzBoundary)
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		fuzzServe(t, h, panics, req)
	})
}
