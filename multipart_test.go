package kaito_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/valyala/fasthttp"
)

// Multipart fields parse as a urlencoded form would: nested keys, repeated
// keys, empty values; a value that looks like a number is kept as sent.
func TestMultipartFields(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []kaito.Option
		want string
	}{
		{"empty as empty", nil, `{"a":"x","b":["1","0"],"c":{"d":"","e":"&=%"},"f":"2"}`},
		{"empty as null", []kaito.Option{kaito.WithConvertEmptyStringsToNull()}, `{"a":"x","b":["1","0"],"c":{"d":null,"e":"&=%"},"f":"2"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, on := reqApp(t, tc.opts...)
			on("/", func(req *kaito.Request) any { return req.Body() })
			body, ct := multipartBody(t, [][2]string{{"a", "x"}, {"b", "1"}, {"b", "0"}, {"c[d]", ""}, {"c.e", "&=%"}, {"f", "2"}}, nil)
			onEvery(t, serve(r), call{method: "POST", target: "/", headers: [][2]string{{"Content-Type", ct}}, body: body},
				expect{200, nil, tc.want}.check)
		})
	}
}

// A multipart body costs a small multiple of its size: 19 fields of 1 MiB
// of NUL bytes (which escape to three bytes each) once cost 29 times their
// size. Counted as all the bytes allocated while serving the request,
// client and server together, which bounds the peak too.
func TestMultipartMemory(t *testing.T) {
	const parts, size = 19, 1 << 20
	r, on := reqApp(t)
	on("/", func(req *kaito.Request) any {
		body := req.Body()
		for i := range parts {
			name := fmt.Sprint("f", i)
			var r io.Reader
			if v, ok := body[name].(string); ok {
				r = strings.NewReader(v)
			} else if f := req.File(name); f != nil {
				rc, _ := f.Open()
				defer rc.Close()
				r = rc
			}
			if r == nil || !allNUL(r, size) {
				return "part " + name + " is wrong"
			}
		}
		return "ok"
	})
	value := strings.Repeat("\x00", size)
	var fields [][2]string
	var files [][3]string
	for i := range parts {
		fields = append(fields, [2]string{fmt.Sprint("f", i), value})
		files = append(files, [3]string{fmt.Sprint("f", i), "a.bin", value})
	}
	s := serve(r)
	for _, tc := range []struct {
		name   string
		fields [][2]string
		files  [][3]string
	}{{"fields", fields, nil}, {"files", nil, files}} {
		body, ct := multipartBody(t, tc.fields, tc.files)
		for _, a := range adapters {
			t.Run(tc.name+"/"+a.name, func(t *testing.T) {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				res := a.do(t, s, call{method: "POST", target: "/", headers: [][2]string{{"Content-Type", ct}}, body: body})
				runtime.ReadMemStats(&after)
				if res.status != 200 || res.body != `"ok"` {
					t.Fatalf("answer %d %.200q, want 200 \"ok\"", res.status, res.body)
				}
				allocated := after.TotalAlloc - before.TotalAlloc
				t.Logf("%d MiB allocated for a body of %d MiB", allocated>>20, len(body)>>20)
				if allocated > 8*uint64(len(body)) {
					t.Errorf("%d MiB allocated for a body of %d MiB: more than 8 times its size", allocated>>20, len(body)>>20)
				}
			})
		}
	}
}

// allNUL reports whether r holds n NUL bytes, reading it in small pieces.
func allNUL(r io.Reader, n int) bool {
	var buf [32 << 10]byte
	seen := 0
	for {
		k, err := r.Read(buf[:])
		for _, c := range buf[:k] {
			if c != 0 {
				return false
			}
		}
		seen += k
		if err == io.EOF {
			return seen == n
		}
		if err != nil {
			return false
		}
	}
}

// doFastHTTPDirect calls the fasthttp handler with the request in memory,
// as fasthttp's server hands it over when it has read the whole body.
func doFastHTTPDirect(t *testing.T, s served, c call) result {
	t.Helper()
	var req fasthttp.Request
	req.Header.SetMethod(c.method)
	req.SetRequestURI(c.target)
	req.Header.SetHost("example.com")
	for _, h := range c.headers {
		req.Header.Add(h[0], h[1])
	}
	req.SetBodyString(c.body)
	var ctx fasthttp.RequestCtx
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 1234}, nil)
	s.fastHTTP(&ctx)
	header := http.Header{}
	for k, v := range ctx.Response.Header.All() {
		header.Add(string(k), string(v))
	}
	return result{status: ctx.Response.StatusCode(), header: header, body: string(ctx.Response.Body())}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Every part counts toward MaxFields or MaxFiles, a part without a name
// too: 2.2 million nameless parts in 19 MiB are refused after the first
// thousand, without reading the rest of the body. Header lines count too:
// parts of 10000 headers each (19 MiB of them cost 221 MiB of allocations)
// are refused at the second.
func TestMultipartCountsEveryPart(t *testing.T) {
	r, on := reqApp(t)
	on("/", func(req *kaito.Request) any { return len(req.Body()) })
	s := serve(r)
	const nameless = "--B\r\n\r\n\r\n"
	flood := strings.Repeat(nameless, 19<<20/len(nameless)) + "--B--\r\n"
	files := strings.Repeat("--B\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n", 21) + "--B--\r\n"
	var headers strings.Builder
	for headers.Len() < 19<<20 {
		headers.WriteString("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n" + strings.Repeat("A: b\r\n", 9990) + "\r\nx\r\n")
	}
	headers.WriteString("--B--\r\n")
	ct := [2]string{"Content-Type", "multipart/form-data; boundary=B"}
	// Served without sockets: a server that refuses a body before reading
	// it all may close the connection while the client is still writing,
	// and the client then sees no answer.
	direct := []adapter{{"nethttp", doNetHTTP}, {"fasthttp", doFastHTTPDirect}}
	for _, tc := range []struct {
		name string
		body string
		want expect
	}{
		{"header lines", headers.String(), expect{413, nil, `{"message":"too many multipart headers"}`}},
		{"nameless fields", flood, expect{413, nil, `{"message":"too many multipart fields"}`}},
		{"nameless files", files, expect{413, nil, `{"message":"too many files"}`}},
	} {
		for _, a := range direct {
			t.Run(tc.name+"/"+a.name, func(t *testing.T) {
				tc.want.check(t, a.do(t, s, call{method: "POST", target: "/", headers: [][2]string{ct}, body: tc.body}))
			})
		}
	}

	// The parser stops at the part over the limit: it reads a few KiB of
	// the 19 MiB, not the whole body.
	body := &countingReader{r: strings.NewReader(flood)}
	req := httptest.NewRequest("POST", "/", body)
	req.Header.Set(ct[0], ct[1])
	rec := httptest.NewRecorder()
	nethttp.Handler(r).ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", rec.Code)
	}
	if body.n > 1<<20 {
		t.Errorf("read %d bytes of the body before refusing it, want under 1 MiB", body.n)
	}
}

// logRecords keeps the records logged, as text.
type logRecords struct {
	mu  sync.Mutex
	got []string
}

func (l *logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecords) WithAttrs(as []slog.Attr) slog.Handler {
	return &logAttrs{l: l, attrs: as}
}
func (l *logRecords) WithGroup(string) slog.Handler { return l }
func (l *logRecords) Handle(ctx context.Context, r slog.Record) error {
	return (&logAttrs{l: l}).Handle(ctx, r)
}

func (l *logRecords) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.got...)
}

type logAttrs struct {
	l     *logRecords
	attrs []slog.Attr
}

func (a *logAttrs) Enabled(context.Context, slog.Level) bool { return true }
func (a *logAttrs) WithAttrs(as []slog.Attr) slog.Handler {
	return &logAttrs{l: a.l, attrs: append(append([]slog.Attr(nil), a.attrs...), as...)}
}
func (a *logAttrs) WithGroup(string) slog.Handler { return a }
func (a *logAttrs) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Level.String() + " " + r.Message)
	for _, at := range a.attrs {
		fmt.Fprintf(&b, " %s=%v", at.Key, at.Value)
	}
	r.Attrs(func(at slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", at.Key, at.Value)
		return true
	})
	a.l.mu.Lock()
	a.l.got = append(a.l.got, b.String())
	a.l.mu.Unlock()
	return nil
}

// An upload the server cannot store (its temporary directory is gone) is
// the server's error: 500 with the generic text, the operating system's
// error logged with the request's id and never sent, whether the body is
// read by Body, File, All or a bound input.
func TestUploadStorageErrorIsAServerError(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	t.Setenv("TMPDIR", missing)
	logs := &logRecords{}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil },
		kaito.WithLogger(slog.New(logs)), kaito.WithRequestID(), kaito.WithMultipartLimits(kaito.MultipartLimits{MaxMemory: 16}))
	kaito.Post(r, "/body", func(req *kaito.Request, _ struct{}) (int, error) { return len(req.Body()), nil })
	kaito.Post(r, "/file", func(req *kaito.Request, _ struct{}) (bool, error) { return req.File("f") != nil, nil })
	kaito.Post(r, "/all", func(req *kaito.Request, _ struct{}) (int, error) { return len(req.All()), nil })
	kaito.Post(r, "/bound", func(_ *kaito.Request, in struct {
		F *kaito.MultipartFile `form:"f"`
	}) (bool, error) {
		return in.F != nil, nil
	})
	body, ct := multipartBody(t, [][2]string{{"a", "1"}}, [][3]string{{"f", "big.bin", strings.Repeat("x", 100)}})
	s := serve(r)
	for _, path := range []string{"/body", "/file", "/all", "/bound"} {
		t.Run(path, func(t *testing.T) {
			for _, a := range adapters {
				t.Run(a.name, func(t *testing.T) {
					id := "rid-" + a.name + strings.ReplaceAll(path, "/", "-")
					res := a.do(t, s, call{method: "POST", target: path, headers: [][2]string{{"Content-Type", ct}, {"X-Request-Id", id}}, body: body})
					expect{500, nil, `{"message":"Internal Server Error"}`}.check(t, res)
					logged := false
					for _, l := range logs.all() {
						if strings.Contains(l, "request_id="+id) && strings.Contains(l, missing) && strings.HasPrefix(l, "ERROR") {
							logged = true
						}
					}
					if !logged {
						t.Errorf("no ERROR record with request_id=%s and the error; records:\n%s", id, strings.Join(logs.all(), "\n"))
					}
				})
			}
		})
	}
}
