package kaito_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kaito-go/kaito"
)

type appCtx struct {
	req *kaito.Request
}

func newApp(opts ...kaito.Option) *kaito.Router[appCtx] {
	return kaito.New(func(req *kaito.Request) (appCtx, error) {
		if req.Header("X-Fail-Factory") != "" {
			return appCtx{}, kaito.NewError(http.StatusUnauthorized, "who are you?")
		}
		return appCtx{req: req}, nil
	}, append([]kaito.Option{kaito.WithLogger(quiet)}, opts...)...)
}

// quiet is the tests' logger: panics and unmapped errors are logged on
// purpose by many cases.
var quiet = slog.New(slog.DiscardHandler)

type user struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type userID struct {
	ID int `path:"id"`
}

type statusErr struct{ code int }

func (e statusErr) Error() string   { return fmt.Sprintf("status error %d with secret", e.code) }
func (e statusErr) StatusCode() int { return e.code }

type table []struct {
	name string
	call call
	want expect
}

func (tt table) run(t *testing.T, s served) {
	t.Helper()
	for _, tc := range tt {
		t.Run(tc.name, func(t *testing.T) { onEvery(t, s, tc.call, tc.want.check) })
	}
}

const jsonCT = "application/json; charset=utf-8"

func TestRoutingAndErrors(t *testing.T) {
	r := newApp()
	kaito.Get(r, "/users/:id", func(c appCtx, in userID) (user, error) {
		return user{ID: in.ID, Name: "gopher"}, nil
	})
	kaito.Get(r, "/users/new", func(c appCtx, _ struct{}) (string, error) { return "form", nil })
	kaito.Get(r, "/users/:id/posts", func(c appCtx, in userID) ([]int, error) { return []int{in.ID}, nil })
	kaito.Post(r, "/users", func(c appCtx, in user) (user, error) { return in, nil }, kaito.Status(http.StatusCreated))
	kaito.Get(r, "/files/*path", func(c appCtx, _ struct{}) (string, error) { return c.req.Param("path"), nil })
	kaito.Get(r, "/files/readme", func(c appCtx, _ struct{}) (string, error) { return "readme", nil })
	kaito.Get(r, "/kerr", func(c appCtx, _ struct{}) (int, error) {
		return 0, kaito.NewError(http.StatusTeapot, "short and stout")
	})
	kaito.Get(r, "/wrapped", func(c appCtx, _ struct{}) (int, error) {
		return 0, fmt.Errorf("loading: %w", kaito.NewError(http.StatusNotFound, "no such thing"))
	})
	kaito.Get(r, "/coded/:code", func(c appCtx, in struct {
		Code int `path:"code"`
	}) (int, error) {
		return 0, statusErr{in.Code}
	})
	kaito.Get(r, "/secret", func(c appCtx, _ struct{}) (int, error) {
		return 0, errors.New("pq: password authentication failed for user admin")
	})
	kaito.Get(r, "/panic", func(c appCtx, _ struct{}) (int, error) { panic("boom") })
	kaito.Get(r, "/nil-any", func(c appCtx, _ struct{}) (any, error) { return nil, nil })
	kaito.Delete(r, "/users/:id", func(c appCtx, in userID) (kaito.NoContent, error) { return kaito.NoContent{}, nil })
	kaito.Get(r, "/slash/", func(c appCtx, _ struct{}) (string, error) { return "slash", nil })
	s := serve(r)

	table{
		{"typed GET", call{target: "/users/42"}, expect{200, map[string]string{"Content-Type": jsonCT}, `{"id":42,"name":"gopher"}`}},
		{"static beside param", call{target: "/users/new"}, expect{200, nil, `"form"`}},
		{"param beside static", call{target: "/users/newer"}, expect{400, nil, `{"message":"invalid path parameter \"id\": \"newer\" is not an integer","errors":[{"location":"path.id","message":"\"newer\" is not an integer"}]}`}},
		{"deeper route", call{target: "/users/7/posts"}, expect{200, nil, `[7]`}},
		{"catch-all", call{target: "/files/a/b.txt"}, expect{200, nil, `"/a/b.txt"`}},
		{"static beside catch-all", call{target: "/files/readme"}, expect{200, nil, `"readme"`}},
		{"created", call{method: "POST", target: "/users", headers: [][2]string{{"Content-Type", "application/json"}}, body: `{"id":1,"name":"ann"}`}, expect{201, nil, `{"id":1,"name":"ann"}`}},
		{"kaito error", call{target: "/kerr"}, expect{418, map[string]string{"Content-Type": jsonCT}, `{"message":"short and stout"}`}},
		{"wrapped kaito error", call{target: "/wrapped"}, expect{404, nil, `{"message":"no such thing"}`}},
		{"StatusCode 4xx shows text", call{target: "/coded/409"}, expect{409, nil, `{"message":"status error 409 with secret"}`}},
		{"StatusCode 5xx hides text", call{target: "/coded/503"}, expect{503, nil, `{"message":"Service Unavailable"}`}},
		{"unmapped error hides text", call{target: "/secret"}, expect{500, nil, `{"message":"Internal Server Error"}`}},
		{"panic", call{target: "/panic"}, expect{500, nil, `{"message":"Internal Server Error"}`}},
		{"serves after panic", call{target: "/users/1"}, expect{200, nil, `{"id":1,"name":"gopher"}`}},
		{"factory error", call{target: "/users/1", headers: [][2]string{{"X-Fail-Factory", "1"}}}, expect{401, nil, `{"message":"who are you?"}`}},
		{"not found", call{target: "/nope"}, expect{404, nil, `{"message":"Cannot GET /nope"}`}},
		{"not found POST", call{method: "POST", target: "/nope/x"}, expect{404, nil, `{"message":"Cannot POST /nope/x"}`}},
		{"method not allowed", call{method: "PUT", target: "/users/1"}, expect{405, map[string]string{"Allow": "GET, DELETE, HEAD, OPTIONS"}, `{"message":"Method Not Allowed"}`}},
		{"options", call{method: "OPTIONS", target: "/users"}, expect{204, map[string]string{"Allow": "POST, OPTIONS"}, ``}},
		{"head", call{method: "HEAD", target: "/users/42"}, expect{200, map[string]string{"Content-Length": "25", "Content-Type": jsonCT}, ``}},
		{"no content", call{method: "DELETE", target: "/users/3"}, expect{204, nil, ``}},
		{"nil any", call{target: "/nil-any"}, expect{200, nil, `null`}},
		{"trailing slash added", call{target: "/slash?x=1"}, expect{301, map[string]string{"Location": "/slash/?x=1"}, ``}},
		{"trailing slash removed", call{target: "/users/1/posts/"}, expect{301, map[string]string{"Location": "/users/1/posts"}, ``}},
	}.run(t, s)
}

func TestOnError(t *testing.T) {
	errDB := errors.New("db down: host 10.1.2.3")
	var seen []error
	var mu sync.Mutex
	r := newApp(kaito.OnError(func(err error, req *kaito.Request) (int, string) {
		mu.Lock()
		seen = append(seen, err)
		mu.Unlock()
		if errors.Is(err, errDB) {
			return http.StatusServiceUnavailable, "try again later"
		}
		return 0, ""
	}))
	kaito.Get(r, "/db", func(appCtx, struct{}) (int, error) { return 0, fmt.Errorf("query: %w", errDB) })
	kaito.Get(r, "/other", func(appCtx, struct{}) (int, error) { return 0, errors.New("secret") })
	kaito.Get(r, "/kaito", func(appCtx, struct{}) (int, error) { return 0, kaito.NewError(400, "bad") })
	table{
		{"mapped", call{target: "/db"}, expect{503, nil, `{"message":"try again later"}`}},
		{"declined", call{target: "/other"}, expect{500, nil, `{"message":"Internal Server Error"}`}},
		{"kaito error skips OnError", call{target: "/kaito"}, expect{400, nil, `{"message":"bad"}`}},
	}.run(t, serve(r))
	for _, err := range seen {
		var ke *kaito.Error
		if errors.As(err, &ke) {
			t.Errorf("OnError saw a *kaito.Error: %v", err)
		}
	}
	if len(seen) != 2*len(adapters) {
		t.Errorf("OnError called %d times, want %d", len(seen), 2*len(adapters))
	}
}

type search struct {
	Q       string   `query:"q"`
	Page    int      `query:"page"`
	Tags    []string `query:"tags"`
	Limit   *uint8   `query:"limit"`
	Token   string   `header:"X-Token"`
	Session string   `cookie:"sid"`
	Ratio   float64  `query:"ratio"`
	Debug   bool     `query:"debug"`
}

type signup struct {
	Email string `json:"email"`
	Age   int    `json:"age" required:"false"`
	Token string `header:"X-Token"`
}

func (s *signup) Validate() error {
	if !strings.Contains(s.Email, "@") {
		return errors.New("email must contain @")
	}
	if s.Age < 0 {
		return kaito.NewError(http.StatusBadRequest, "age cannot be negative")
	}
	return nil
}

func TestBinding(t *testing.T) {
	r := newApp(kaito.WithBodyLimit(64))
	kaito.Get(r, "/search", func(_ appCtx, in search) (search, error) { return in, nil })
	kaito.Post(r, "/signup", func(_ appCtx, in signup) (signup, error) { return in, nil })
	kaito.Post(r, "/list", func(_ appCtx, in []int) (int, error) { return len(in), nil })
	type fastIn struct {
		Page    int    `query:"page"`
		Sid     string `cookie:"sid"`
		Missing string `header:"X-Missing"`
	}
	kaito.Get(r, "/fast", func(_ appCtx, in fastIn) (fastIn, error) { return in, nil })
	s := serve(r)
	gz := func(s string) string {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.String()
	}
	ctJSON := [2]string{"Content-Type", "application/json"}
	table{
		{"query header cookie", call{target: "/search?q=go&page=2&tags=a&tags=b&limit=9&ratio=0.5&debug=true", headers: [][2]string{{"X-Token", "t1"}, {"Cookie", "sid=s1"}}},
			expect{200, nil, `{"Q":"go","Page":2,"Tags":["a","b"],"Limit":9,"Token":"t1","Session":"s1","Ratio":0.5,"Debug":true}`}},
		{"bracket array", call{target: "/search?tags[]=x&tags[]=y"}, expect{200, nil, `{"Q":"","Page":0,"Tags":["x","y"],"Limit":null,"Token":"","Session":"","Ratio":0,"Debug":false}`}},
		{"bad int", call{target: "/search?page=two"}, expect{400, nil, `{"message":"invalid query parameter \"page\": \"two\" is not an integer","errors":[{"location":"query.page","message":"\"two\" is not an integer"}]}`}},
		{"out of range", call{target: "/search?limit=300"}, expect{400, nil, `{"message":"invalid query parameter \"limit\": \"300\" is out of range","errors":[{"location":"query.limit","message":"\"300\" is out of range"}]}`}},
		{"object into a list", call{target: "/search?tags[a]=1"}, expect{400, nil, `{"message":"invalid query parameter \"tags\": expected a value or a list of at most 20 values","errors":[{"location":"query.tags","message":"expected a value or a list of at most 20 values"}]}`}},
		{"too many values", call{target: "/search?" + strings.Repeat("tags=x&", 21)}, expect{400, nil, `{"message":"invalid query parameter \"tags\": expected a value or a list of at most 20 values","errors":[{"location":"query.tags","message":"expected a value or a list of at most 20 values"}]}`}},
		{"object into a scalar (fast plan)", call{target: "/fast?page[x]=1"}, expect{400, nil, `{"message":"invalid query parameter \"page\": expected a value or a list of at most 20 values","errors":[{"location":"query.page","message":"expected a value or a list of at most 20 values"}]}`}},
		{"fast plan", call{target: "/fast?page=3&page=4", headers: [][2]string{{"Cookie", "sid=c"}}}, expect{200, nil, `{"Page":3,"Sid":"c","Missing":""}`}},
		{"bad bool", call{target: "/search?debug=maybe"}, expect{400, nil, `{"message":"invalid query parameter \"debug\": \"maybe\" is not a boolean","errors":[{"location":"query.debug","message":"\"maybe\" is not a boolean"}]}`}},
		{"json body", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON, {"X-Token", "h"}}, body: `{"email":"a@b","age":3}`}, expect{200, nil, `{"email":"a@b","age":3,"Token":"h"}`}},
		{"body cannot set a header field", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON}, body: `{"email":"a@b","Token":"forged"}`}, expect{200, nil, `{"email":"a@b","age":0,"Token":""}`}},
		{"validate 422", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON}, body: `{"email":"nope"}`}, expect{422, nil, `{"message":"email must contain @"}`}},
		{"validate kaito error", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON}, body: `{"email":"a@b","age":-1}`}, expect{400, nil, `{"message":"age cannot be negative"}`}},
		{"malformed json", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON}, body: `{"email":`}, expect{400, nil, anyBody}},
		{"wrong json type", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON}, body: `{"age":"old"}`}, expect{400, nil, anyBody}},
		{"too large", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON}, body: `{"email":"` + strings.Repeat("a", 100) + `"}`}, expect{413, nil, `{"message":"request body too large"}`}},
		{"unsupported type", call{method: "POST", target: "/signup", headers: [][2]string{{"Content-Type", "application/xml"}}, body: `<a/>`}, expect{415, nil, anyBody}},
		{"form body", call{method: "POST", target: "/signup", headers: [][2]string{{"Content-Type", "application/x-www-form-urlencoded"}}, body: `email=x%40y&age=5`}, expect{200, nil, `{"email":"x@y","age":5,"Token":""}`}},
		{"gzip body", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON, {"Content-Encoding", "gzip"}}, body: gz(`{"email":"z@z"}`)}, expect{200, nil, `{"email":"z@z","age":0,"Token":""}`}},
		{"gzip bomb", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON, {"Content-Encoding", "gzip"}}, body: gz(`{"email":"` + strings.Repeat("a", 10000) + `"}`)}, expect{413, nil, `{"message":"request body too large"}`}},
		{"bad gzip", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON, {"Content-Encoding", "gzip"}}, body: "not gzip"}, expect{400, nil, `{"message":"malformed compressed body"}`}},
		{"unknown encoding", call{method: "POST", target: "/signup", headers: [][2]string{ctJSON, {"Content-Encoding", "br"}}, body: "x"}, expect{415, nil, anyBody}},
		{"whole body slice", call{method: "POST", target: "/list", headers: [][2]string{ctJSON}, body: `[1,2,3]`}, expect{200, nil, `3`}},
	}.run(t, s)
}

func TestComposition(t *testing.T) {
	type authed struct {
		appCtx
		user string
	}
	root := newApp()
	api := root.Group("/api")
	kaito.Get(api, "/ping", func(appCtx, struct{}) (string, error) { return "pong", nil })
	private := kaito.Through(api, func(c appCtx) (authed, error) {
		u := c.req.Header("Authorization")
		if u == "" {
			return authed{}, kaito.NewError(http.StatusUnauthorized, "sign in first")
		}
		return authed{appCtx: c, user: u}, nil
	})
	kaito.Get(private, "/me", func(c authed, _ struct{}) (string, error) { return c.user, nil }).As("me")

	v1 := kaito.New(func(req *kaito.Request) (string, error) { return "v1:" + req.Route().Name(), nil })
	kaito.Get(v1, "/hello", func(c string, _ struct{}) (string, error) { return c, nil }).As("hello")
	kaito.Mount(root, "/v1", v1)

	var patterns []string
	for _, rt := range root.Routes() {
		patterns = append(patterns, rt.Method()+" "+rt.Pattern())
	}
	if got := strings.Join(patterns, ","); got != "GET /api/ping,GET /api/me,GET /v1/hello" {
		t.Errorf("Routes() = %s", got)
	}
	table{
		{"group", call{target: "/api/ping"}, expect{200, nil, `"pong"`}},
		{"through refused", call{target: "/api/me"}, expect{401, nil, `{"message":"sign in first"}`}},
		{"through", call{target: "/api/me", headers: [][2]string{{"Authorization", "ann"}}}, expect{200, nil, `"ann"`}},
		{"mounted keeps its context", call{target: "/v1/hello"}, expect{200, nil, `"v1:hello"`}},
		{"not under root", call{target: "/hello"}, expect{404, nil, `{"message":"Cannot GET /hello"}`}},
	}.run(t, serve(root))
}

func TestRegistrationErrors(t *testing.T) {
	h := func(appCtx, struct{}) (int, error) { return 0, nil }
	cases := []struct {
		name     string
		patterns []string
		want     string
	}{
		{"renamed param", []string{"/users/:id", "/users/:name"}, "kaito: route GET /users/:name conflicts with GET /users/:id: both match /users/x"},
		{"duplicate", []string{"/a", "/a"}, "kaito: route GET /a conflicts with GET /a"},
		{"renamed catch-all", []string{"/f/*a", "/f/*b"}, "conflicts with GET /f/*a"},
		{"no slash", []string{"users"}, "must begin with '/'"},
		{"unnamed param", []string{"/users/:"}, "has no name"},
		{"catch-all not last", []string{"/f/*p/x"}, "must be the last segment"},
		{"two params in a segment", []string{"/a/:b:c"}, "only one wildcard"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newApp()
			defer func() {
				p := recover()
				if p == nil {
					t.Fatal("no panic")
				}
				err, ok := p.(error)
				if !ok || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("panic %v, want it to contain %q", p, tc.want)
				}
				if strings.Contains(err.Error(), "httprouter") || strings.Contains(err.Error(), "wildcard route") {
					t.Fatalf("panic leaks the engine's message: %v", err)
				}
			}()
			for _, p := range tc.patterns {
				kaito.Get(r, p, h)
			}
		})
	}
	t.Run("both orders register", func(t *testing.T) {
		for _, tc := range []struct{ first, second, path, want string }{
			{"/users/new", "/users/:id", "/users/new", "/users/new"},
			{"/users/:id", "/users/new", "/users/new", "/users/new"},
			{"/users/:id", "/users/new", "/users/old", "/users/:id"},
			{"/a/:x/b", "/a/:y/c", "/a/1/c", "/a/:y/c"},
			{"/*all", "/api/v1", "/api/v1", "/api/v1"},
			{"/*all", "/api/v1", "/api/v2", "/*all"},
		} {
			r := newApp()
			for _, p := range []string{tc.first, tc.second} {
				kaito.Get(r, p, func(c appCtx, _ struct{}) (string, error) { return c.req.Route().Pattern(), nil })
			}
			onEvery(t, serve(r), call{target: tc.path}, expect{200, nil, `"` + tc.want + `"`}.check)
		}
	})
	t.Run("bad options", func(t *testing.T) {
		for _, opt := range []kaito.Option{kaito.WithBodyLimit(0), kaito.OnError(nil), kaito.WithLogger(nil), kaito.WithJSONTypes("not a type")} {
			func() {
				defer func() {
					if p := recover(); p == nil || !strings.HasPrefix(fmt.Sprint(p), "kaito: ") {
						t.Errorf("New with a bad option: panic %v", p)
					}
				}()
				newApp(opt)
			}()
		}
	})
	t.Run("unbindable field", func(t *testing.T) {
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "map[string]int is not supported") {
				t.Errorf("panic %v", p)
			}
		}()
		kaito.Get(newApp(), "/x", func(appCtx, struct {
			M map[string]int `query:"m"`
		}) (int, error) {
			return 0, nil
		})
	})
}

func TestMostSpecificWins(t *testing.T) {
	r := newApp()
	for _, p := range []string{"/a/:x/c", "/a/b/:y", "/a/b/c", "/a/*rest", "/a/:x/:y/z", "/files/:name", "/files/*path", "/v:version/info"} {
		kaito.Get(r, p, func(c appCtx, _ struct{}) (string, error) { return c.req.Route().Pattern(), nil })
	}
	table{
		{"all static", call{target: "/a/b/c"}, expect{200, nil, `"/a/b/c"`}},
		{"static before param", call{target: "/a/b/d"}, expect{200, nil, `"/a/b/:y"`}},
		{"param", call{target: "/a/q/c"}, expect{200, nil, `"/a/:x/c"`}},
		{"catch-all fallback", call{target: "/a/q/r"}, expect{200, nil, `"/a/*rest"`}},
		{"params then static", call{target: "/a/q/r/z"}, expect{200, nil, `"/a/:x/:y/z"`}},
		{"param before catch-all", call{target: "/files/x"}, expect{200, nil, `"/files/:name"`}},
		{"catch-all deeper", call{target: "/files/x/y"}, expect{200, nil, `"/files/*path"`}},
		{"mixed segment", call{target: "/v2/info"}, expect{200, nil, `"/v:version/info"`}},
	}.run(t, serve(r))
}

func TestPanicIsLogged(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, nil))
	r := newApp(kaito.WithLogger(logger))
	kaito.Get(r, "/p", func(appCtx, struct{}) (int, error) { panic("kaboom") })
	onEvery(t, serve(r), call{target: "/p"}, expect{500, nil, `{"message":"Internal Server Error"}`}.check)
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(buf.String(), "kaboom") || !strings.Contains(buf.String(), "goroutine") {
		t.Errorf("log has no panic value and stack: %s", buf.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

var _ = context.Background
