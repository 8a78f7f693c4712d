package kaito_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
)

// reqApp answers with whatever a function computes from the request.
func reqApp(t *testing.T, opts ...kaito.Option) (*kaito.Router[*kaito.Request], func(pattern string, fn func(*kaito.Request) any)) {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, append([]kaito.Option{kaito.WithLogger(quiet)}, opts...)...)
	return r, func(pattern string, fn func(*kaito.Request) any) {
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			kaito.Handle(r, m, pattern, func(req *kaito.Request, _ struct{}) (any, error) { return fn(req), nil })
		}
	}
}

func multipartBody(t *testing.T, fields [][2]string, files [][3]string) (string, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, f := range fields {
		w.WriteField(f[0], f[1])
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f[0], f[1])
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(f[2]))
	}
	w.Close()
	return b.String(), w.FormDataContentType()
}

func TestRequestInput(t *testing.T) {
	r, on := reqApp(t, kaito.WithBodyLimit(1<<10))
	on("/qs", func(req *kaito.Request) any { return req.Qs() })
	on("/all", func(req *kaito.Request) any { return req.All() })
	on("/input", func(req *kaito.Request) any {
		return []any{req.Input("user.name"), req.Input("tags.1"), req.Input("missing", "def"), req.Input("empty", "def")}
	})
	on("/only", func(req *kaito.Request) any { return req.Only("user.name", "page") })
	on("/except", func(req *kaito.Request) any { return req.Except("user.age", "page") })
	on("/update", func(req *kaito.Request) any {
		req.UpdateBody(map[string]any{"b": "new"})
		req.UpdateQs(map[string]any{"q": "new"})
		return []any{req.All(), req.Original()}
	})
	on("/raw", func(req *kaito.Request) any { return string(req.Raw()) })
	on("/files", func(req *kaito.Request) any {
		var out []string
		for _, f := range req.Files("docs") {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			out = append(out, fmt.Sprintf("%s:%s:%d:%s", f.FieldName, f.FileName, f.Size, b))
		}
		return map[string]any{"files": out, "body": req.Body(), "none": req.File("none") == nil}
	})
	on("/params/:id", func(req *kaito.Request) any {
		return []any{req.Params(), req.Param("id"), req.Param("nope", "d")}
	})
	s := serve(r)
	form := [2]string{"Content-Type", "application/x-www-form-urlencoded"}
	ctJSON := [2]string{"Content-Type", "application/json"}
	mp, mpType := multipartBody(t, [][2]string{{"title", "hi"}, {"user[name]", "ann"}}, [][3]string{{"docs", "a.txt", "AAA"}, {"docs", "../../b.txt", "BB"}})
	table{
		{"qs nested", call{target: "/qs?a[b]=c&list[]=1&list[]=2&r=1&r=2&q=a,b"}, expect{200, nil, `{"a":{"b":"c"},"list":["1","2"],"q":"a,b","r":["1","2"]}`}},
		{"qs too many", call{target: "/qs?" + strings.Repeat("a=1&", 1001)}, expect{400, nil, anyBody}},
		{"all query wins", call{method: "POST", target: "/all?name=q", headers: [][2]string{ctJSON}, body: `{"name":"b","x":1}`}, expect{200, nil, `{"name":"q","x":1}`}},
		{"input", call{method: "POST", target: "/input?empty=", headers: [][2]string{ctJSON}, body: `{"user":{"name":"ann"},"tags":["a","b"]}`}, expect{200, nil, `["ann","b","def",""]`}},
		{"only", call{method: "POST", target: "/only?page=2", headers: [][2]string{form}, body: `user[name]=ann&user[age]=3&x=1`}, expect{200, nil, `{"page":"2","user":{"name":"ann"}}`}},
		{"except", call{method: "POST", target: "/except?page=2", headers: [][2]string{form}, body: `user[name]=ann&user[age]=3&x=1`}, expect{200, nil, `{"user":{"name":"ann"},"x":"1"}`}},
		{"update and original", call{method: "POST", target: "/update?q=old", headers: [][2]string{ctJSON}, body: `{"b":"old"}`}, expect{200, nil, `[{"b":"new","q":"new"},{"b":"old","q":"old"}]`}},
		{"raw text", call{method: "POST", target: "/raw", headers: [][2]string{{"Content-Type", "text/plain"}}, body: "hello"}, expect{200, nil, `"hello"`}},
		{"malformed body stops the request", call{method: "POST", target: "/all", headers: [][2]string{ctJSON}, body: `{"a":`}, expect{400, nil, anyBody}},
		{"large body stops the request", call{method: "POST", target: "/all", headers: [][2]string{ctJSON}, body: `{"a":"` + strings.Repeat("x", 2000) + `"}`}, expect{413, nil, `{"message":"request body too large"}`}},
		{"multipart", call{method: "POST", target: "/files", headers: [][2]string{{"Content-Type", mpType}}, body: mp},
			expect{200, nil, `{"body":{"title":"hi","user":{"name":"ann"}},"files":["docs:a.txt:3:AAA","docs:b.txt:2:BB"],"none":true}`}},
		{"params", call{target: "/params/7"}, expect{200, nil, `[{"id":"7"},"7","d"]`}},
	}.run(t, s)
}

func TestMultipartLimits(t *testing.T) {
	r, on := reqApp(t, kaito.WithMultipartLimits(kaito.MultipartLimits{MaxFileSize: 10, MaxFiles: 2, MaxFields: 2, MaxMemory: 4}))
	var mu sync.Mutex
	var kept []*kaito.MultipartFile
	on("/up", func(req *kaito.Request) any {
		f := req.File("f")
		mu.Lock()
		kept = append(kept, f)
		mu.Unlock()
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		return string(b)
	})
	s := serve(r)
	big, bigType := multipartBody(t, nil, [][3]string{{"f", "a", strings.Repeat("x", 11)}})
	ok, okType := multipartBody(t, nil, [][3]string{{"f", "a", "spilled!"}})
	many, manyType := multipartBody(t, nil, [][3]string{{"f", "a", "1"}, {"f", "b", "2"}, {"f", "c", "3"}})
	fields, fieldsType := multipartBody(t, [][2]string{{"a", "1"}, {"b", "2"}, {"c", "3"}}, nil)
	table{
		{"file too large", call{method: "POST", target: "/up", headers: [][2]string{{"Content-Type", bigType}}, body: big}, expect{413, nil, `{"message":"file \"a\" is too large"}`}},
		{"temp file", call{method: "POST", target: "/up", headers: [][2]string{{"Content-Type", okType}}, body: ok}, expect{200, nil, `"spilled!"`}},
		{"too many files", call{method: "POST", target: "/up", headers: [][2]string{{"Content-Type", manyType}}, body: many}, expect{413, nil, `{"message":"too many files"}`}},
		{"too many fields", call{method: "POST", target: "/up", headers: [][2]string{{"Content-Type", fieldsType}}, body: fields}, expect{413, nil, `{"message":"too many multipart fields"}`}},
		{"no boundary", call{method: "POST", target: "/up", headers: [][2]string{{"Content-Type", "multipart/form-data"}}, body: "x"}, expect{400, nil, anyBody}},
	}.run(t, s)
	// Temporary files are gone once the response is sent.
	for _, f := range kept {
		if f == nil {
			continue
		}
		if rc, err := f.Open(); err == nil {
			b, _ := io.ReadAll(rc)
			rc.Close()
			if len(b) > 4 {
				t.Errorf("temporary file of %q still readable after the response", b)
			}
		}
	}
}

func TestResponseHelpers(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Get(r, "/head", func(req *kaito.Request, _ struct{}) (map[string]int, error) {
		req.ResponseHeader().Set("X-Total", "3")
		req.SetCookie(&http.Cookie{Name: "sid", Value: "abc", HttpOnly: true, Path: "/"})
		req.SetCookie(&http.Cookie{Name: "bad name", Value: "x"})
		return map[string]int{"n": 3}, nil
	})
	kaito.Get(r, "/blob", func(*kaito.Request, struct{}) (kaito.Blob, error) {
		return kaito.Blob{ContentType: "image/png", Data: []byte{0x89, 'P', 'N', 'G'}}, nil
	})
	kaito.Get(r, "/text", func(*kaito.Request, struct{}) (kaito.Text, error) { return "plain <b>", nil })
	kaito.Get(r, "/redirect", func(*kaito.Request, struct{}) (kaito.Redirect, error) { return kaito.Redirect{URL: "/there"}, nil })
	kaito.Get(r, "/stream", func(*kaito.Request, struct{}) (kaito.Stream, error) {
		return kaito.Stream{ContentType: "text/plain", Body: func(w io.Writer, flush func() error) error {
			for i := range 3 {
				fmt.Fprintf(w, "line %d\n", i)
				flush()
			}
			return nil
		}}, nil
	})
	kaito.Get(r, "/sse", func(*kaito.Request, struct{}) (kaito.SSE, error) {
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			send(kaito.Event{ID: "1", Event: "greet", Data: "hello\nworld"})
			return send(kaito.Event{Data: "bye", Retry: 2 * time.Second})
		}}, nil
	})
	kaito.Get(r, "/responder-error", func(*kaito.Request, struct{}) (kaito.File, error) {
		return kaito.File{FS: emptyFS{}, Name: "nope.txt"}, nil
	})
	s := serve(r)
	table{
		{"headers and cookies", call{target: "/head"}, expect{200, map[string]string{"X-Total": "3", "Set-Cookie": "sid=abc; Path=/; HttpOnly"}, `{"n":3}`}},
		{"blob", call{target: "/blob"}, expect{200, map[string]string{"Content-Type": "image/png", "Content-Length": "4"}, "\x89PNG"}},
		{"text", call{target: "/text"}, expect{200, map[string]string{"Content-Type": "text/plain; charset=utf-8"}, "plain <b>"}},
		{"redirect", call{target: "/redirect"}, expect{302, map[string]string{"Location": "/there"}, ""}},
		{"stream", call{target: "/stream"}, expect{200, map[string]string{"Content-Type": "text/plain"}, "line 0\nline 1\nline 2\n"}},
		{"sse", call{target: "/sse"}, expect{200, map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}, "id: 1\nevent: greet\ndata: hello\ndata: world\n\nretry: 2000\ndata: bye\n\n"}},
		{"sse head", call{method: "HEAD", target: "/sse"}, expect{200, map[string]string{"Content-Type": "text/event-stream"}, ""}},
		{"responder error", call{target: "/responder-error"}, expect{404, nil, `{"message":"file not found"}`}},
	}.run(t, s)
}

type emptyFS struct{}

func (emptyFS) Open(name string) (fsFile, error) { return nil, errNotExist }

func TestMethodSpoofingAndRequestID(t *testing.T) {
	r, on := reqApp(t, kaito.WithMethodSpoofing(), kaito.WithRequestID())
	on("/m", func(req *kaito.Request) any { return []string{req.Method(), req.Intended()} })
	on("/id", func(req *kaito.Request) any { return req.ID() })
	s := serve(r)
	table{
		{"put", call{method: "POST", target: "/m?_method=put"}, expect{200, nil, `["PUT","POST"]`}},
		{"delete any case", call{method: "POST", target: "/m?_method=DeLeTe"}, expect{200, nil, `["DELETE","POST"]`}},
		{"other ignored", call{method: "POST", target: "/m?_method=get"}, expect{200, nil, `["POST","POST"]`}},
		{"only POST", call{method: "GET", target: "/m?_method=put"}, expect{200, nil, `["GET","GET"]`}},
		{"body does not count", call{method: "POST", target: "/m", headers: [][2]string{{"Content-Type", "application/x-www-form-urlencoded"}}, body: "_method=put"}, expect{200, nil, `["POST","POST"]`}},
		{"received id echoed", call{target: "/id", headers: [][2]string{{"X-Request-Id", "abc-123"}}}, expect{200, map[string]string{"X-Request-Id": "abc-123"}, `"abc-123"`}},
	}.run(t, s)
	ids := map[string]bool{}
	for range 20 {
		onEvery(t, s, call{target: "/id", headers: [][2]string{{"X-Request-Id", strings.Repeat("x", 201)}}}, func(t *testing.T, res result) {
			var id string
			json.Unmarshal([]byte(res.body), &id)
			if id == "" || id != res.header.Get("X-Request-Id") || ids[id] || strings.ContainsAny(id, "+/= ") {
				t.Errorf("generated id %q (header %q) is empty, repeated or not URL-safe", id, res.header.Get("X-Request-Id"))
			}
			ids[id] = true
		})
	}
}

func TestNegotiationOnRequest(t *testing.T) {
	r, on := reqApp(t)
	on("/n", func(req *kaito.Request) any {
		return []any{req.Accepts("json", "html"), req.Types(), req.Language("fr", "en"), req.Encoding("gzip"), req.Charset("utf-8"), req.Is("json"), req.Ajax()}
	})
	table{
		{"browser", call{target: "/n", headers: [][2]string{{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, {"Accept-Language", "en-US,en;q=0.9"}, {"Accept-Encoding", "gzip, br"}, {"X-Requested-With", "XMLHttpRequest"}}},
			expect{200, nil, `["html",["text/html","application/xhtml+xml","application/xml","*/*"],"en","gzip","utf-8","",true]`}},
		{"json body", call{method: "POST", target: "/n", headers: [][2]string{{"Content-Type", "application/json"}}, body: "{}"},
			expect{200, nil, `["json",["*/*"],"fr","","utf-8","json",false]`}},
	}.run(t, serve(r))
}

func TestCORS(t *testing.T) {
	r, on := reqApp(t, kaito.WithCORS(kaito.CORS{
		Origins: []string{"https://app.example.com"}, Credentials: true,
		ExposeHeaders: []string{"X-Total"}, MaxAge: time.Hour,
	}))
	var reached int
	var mu sync.Mutex
	on("/data", func(req *kaito.Request) any { mu.Lock(); reached++; mu.Unlock(); return "data" })
	s := serve(r)
	pre := func(origin string) call {
		return call{method: "OPTIONS", target: "/data", headers: [][2]string{{"Origin", origin}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "content-type"}}}
	}
	table{
		{"preflight allowed", pre("https://app.example.com"), expect{204, map[string]string{
			"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Allow-Credentials": "true",
			"Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, PATCH, DELETE", "Access-Control-Allow-Headers": "content-type",
			"Access-Control-Max-Age": "3600", "Vary": "Origin"}, ""}},
		{"preflight refused", pre("https://evil.example"), expect{204, map[string]string{"Access-Control-Allow-Origin": "", "Vary": "Origin"}, ""}},
		{"simple allowed", call{target: "/data", headers: [][2]string{{"Origin", "https://app.example.com"}}}, expect{200, map[string]string{
			"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Expose-Headers": "X-Total", "Vary": "Origin"}, `"data"`}},
		{"simple refused", call{target: "/data", headers: [][2]string{{"Origin", "https://evil.example"}}}, expect{200, map[string]string{"Access-Control-Allow-Origin": ""}, `"data"`}},
		{"no origin", call{target: "/data"}, expect{200, map[string]string{"Vary": "Origin"}, `"data"`}},
	}.run(t, s)
	if reached != 3*len(adapters) {
		t.Errorf("handler reached %d times; preflights must not reach it", reached)
	}
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "Credentials") {
			t.Errorf("wildcard origin with credentials: panic %v", p)
		}
	}()
	kaito.New(func(*kaito.Request) (int, error) { return 0, nil }, kaito.WithCORS(kaito.CORS{Origins: []string{"*"}, Credentials: true}))
}

func TestRequestLogger(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil },
		kaito.WithRequestID(), kaito.WithLogger(slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, nil))))
	kaito.Get(r, "/", func(req *kaito.Request, _ struct{}) (int, error) {
		req.Logger().Info("hello")
		return 1, nil
	})
	onEvery(t, serve(r), call{target: "/", headers: [][2]string{{"X-Request-Id", "rid-7"}}}, expect{200, nil, "1"}.check)
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Count(buf.String(), `"request_id":"rid-7"`); got != len(adapters) {
		t.Errorf("log lines with the request id: %d, want %d\n%s", got, len(adapters), buf.String())
	}
}

type fsFile = fs.File

var errNotExist = fs.ErrNotExist
