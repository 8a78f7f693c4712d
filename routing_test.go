package kaito_test

import (
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
)

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

func TestSpoofedMethodIsDecoded(t *testing.T) {
	r, on := reqApp(t, kaito.WithMethodSpoofing())
	on("/m", func(req *kaito.Request) any { return req.Method() })
	onEvery(t, serve(r), call{method: "POST", target: "/m?%5Fmethod=%50UT"}, expect{200, nil, `"PUT"`}.check)
}
