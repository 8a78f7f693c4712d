package kaito_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
)

// Regression tests for problems a review found.

// A streamed response must not leave its request's data for the next
// request that reuses the pooled state, and uploads are removed after it.
func TestStreamLeavesNothingBehind(t *testing.T) {
	r, on := reqApp(t, kaito.WithMultipartLimits(kaito.MultipartLimits{MaxMemory: 1}))
	kaito.Post(r, "/stream", func(req *kaito.Request, _ struct{}) (kaito.Stream, error) {
		req.Qs()
		if f := req.File("f"); f != nil {
			rc, _ := f.Open()
			rc.Close()
		}
		return kaito.Stream{Body: func(w io.Writer, flush func() error) error {
			_, err := io.WriteString(w, "streamed")
			return err
		}}, nil
	})
	on("/q", func(req *kaito.Request) any { return req.Qs() })
	s := serve(r)
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "kaito-upload-*"))
	body, ct := multipartBody(t, nil, [][3]string{{"f", "a.bin", "more than one byte"}})
	for range 5 {
		onEvery(t, s, call{method: "POST", target: "/stream?secret=alice", headers: [][2]string{{"Content-Type", ct}}, body: body}, expect{200, nil, "streamed"}.check)
		onEvery(t, s, call{target: "/q?mine=1"}, expect{200, nil, `{"mine":"1"}`}.check)
	}
	after, _ := filepath.Glob(filepath.Join(os.TempDir(), "kaito-upload-*"))
	if len(after) > len(before) {
		t.Errorf("upload temp files left behind: %d before, %d after", len(before), len(after))
	}
}

func TestNoOpenRedirect(t *testing.T) {
	r, _ := reqApp(t)
	for _, p := range []string{"/:slug", "/login", "/:org/:repo"} {
		kaito.Get(r, p, func(*kaito.Request, struct{}) (string, error) { return "ok", nil })
	}
	s := serve(r)
	for _, target := range []string{"//evil.example/", "//evil.example/x/", "/\\evil.example/", "//evil.example/%2e%2e%2flogin/"} {
		onEvery(t, s, call{target: target}, func(t *testing.T, res result) {
			if loc := res.header.Get("Location"); strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") || strings.Contains(loc, "://") {
				t.Errorf("%s redirects off the site: %d Location %q", target, res.status, loc)
			}
		})
	}
	onEvery(t, s, call{target: "/login/?next=1"}, expect{301, map[string]string{"Location": "/login?next=1"}, ""}.check)
}

func TestAbortHandlerKeepsServing(t *testing.T) {
	r, on := reqApp(t)
	on("/abort", func(*kaito.Request) any { panic(http.ErrAbortHandler) })
	on("/ok", func(*kaito.Request) any { return "ok" })
	s := serve(r)
	// net/http re-panics ErrAbortHandler for its server to drop the
	// connection; through the recorder that panic reaches the test.
	func() {
		defer func() {
			if p := recover(); p != http.ErrAbortHandler {
				t.Errorf("nethttp: panic %v, want http.ErrAbortHandler", p)
			}
		}()
		doNetHTTP(t, s, call{target: "/abort"})
	}()
	if res := doFastHTTP(t, s, call{target: "/abort"}); res.status != 500 {
		t.Errorf("fasthttp abort: %d %v", res.status, res.header)
	}
	onEvery(t, s, call{target: "/ok"}, expect{200, nil, `"ok"`}.check)
}

type notFoundErr struct{}

func (notFoundErr) Error() string   { return "not found" }
func (notFoundErr) StatusCode() int { return 404 }

func TestWrappedStatusCodeShowsOnlyItsOwnText(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Get(r, "/wrapped", func(*kaito.Request, struct{}) (int, error) {
		return 0, fmt.Errorf("SELECT secret FROM t: %w", notFoundErr{})
	})
	onEvery(t, serve(r), call{target: "/wrapped"}, expect{404, nil, `{"message":"not found"}`}.check)
}

func TestBothAdaptersMatchTheSamePaths(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Get(r, "/f/*p", func(req *kaito.Request, _ struct{}) (string, error) { return "f:" + req.Param("p"), nil })
	kaito.Get(r, "/:a/:b", func(req *kaito.Request, _ struct{}) (string, error) {
		return req.Param("a") + "," + req.Param("b"), nil
	})
	kaito.Get(r, "/s/x", func(*kaito.Request, struct{}) (string, error) { return "sx", nil })
	table{
		{"dot dot", call{target: "/f/../../etc/passwd"}, expect{301, map[string]string{"Location": "/etc/passwd"}, ""}},
		{"double slash", call{target: "/s//x"}, expect{301, map[string]string{"Location": "/s/x"}, ""}},
		{"dot", call{target: "/f/./a"}, expect{301, map[string]string{"Location": "/f/a"}, ""}},
		{"cleaned dot dot", call{target: "/etc/passwd"}, expect{200, nil, `"etc,passwd"`}},
		{"cleaned double slash", call{target: "/s/x"}, expect{200, nil, `"sx"`}},
		{"cleaned dot", call{target: "/f/a"}, expect{200, nil, `"f:/a"`}},
	}.run(t, serve(r))
}

func TestHostHeaderOnBothAdapters(t *testing.T) {
	r, on := reqApp(t)
	on("/h", func(req *kaito.Request) any {
		return []string{req.Header("host"), req.Local().Host, req.Headers().Get("Host")}
	})
	onEvery(t, serve(r), call{target: "/h", headers: [][2]string{{"Host", "Example.COM:8080"}}}, expect{200, nil, `["Example.COM:8080","example.com","Example.COM:8080"]`}.check)
}

func TestMixedSegmentsLongerTextWins(t *testing.T) {
	for _, order := range [][]string{{"/a/b:x", "/a/bc:x"}, {"/a/bc:x", "/a/b:x"}} {
		r, _ := reqApp(t)
		for _, p := range order {
			kaito.Get(r, p, func(req *kaito.Request, _ struct{}) (string, error) { return req.Route().Pattern(), nil })
		}
		onEvery(t, serve(r), call{target: "/a/bcd"}, expect{200, nil, `"/a/bc:x"`}.check)
	}
}

func TestBodyKeyNamedLikeATaggedField(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Post(r, "/u/:id", func(_ *kaito.Request, in struct {
		ID   int    `path:"id"`
		Name string `json:"name"`
	}) (string, error) {
		return fmt.Sprint(in.ID, in.Name), nil
	})
	onEvery(t, serve(r), call{method: "POST", target: "/u/7", headers: [][2]string{{"Content-Type", "application/json"}}, body: `{"id":"x","ID":"y","name":"ann"}`},
		expect{200, nil, `"7ann"`}.check)
}

func TestEmptyValuesAreAbsent(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Get(r, "/p", func(_ *kaito.Request, in struct {
		Page *int   `query:"page"`
		N    int    `query:"n"`
		S    string `query:"s"`
	}) (string, error) {
		return fmt.Sprint(in.Page == nil, in.N, "["+in.S+"]"), nil
	})
	onEvery(t, serve(r), call{target: "/p?page=&n=&s="}, expect{200, nil, `"true 0[]"`}.check)
}

func TestSpoofedMethodIsDecoded(t *testing.T) {
	r, on := reqApp(t, kaito.WithMethodSpoofing())
	on("/m", func(req *kaito.Request) any { return req.Method() })
	onEvery(t, serve(r), call{method: "POST", target: "/m?%5Fmethod=%50UT"}, expect{200, nil, `"PUT"`}.check)
}
