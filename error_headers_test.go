package kaito_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/kaito-go/kaito"
)

// Headers a handler set before it failed: those describing the error survive
// the error answer, those describing the success it meant to send do not,
// on both adapters and whether it returned an error, a failing Responder or
// panicked.
func TestHeadersOnErrorAnswers(t *testing.T) {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithLogger(quiet))
	set := func(req *kaito.Request) {
		h := req.ResponseHeader()
		h.Set("Cache-Control", "public, max-age=3600")
		h.Set("ETag", `"v1"`)
		h.Set("Content-Disposition", "attachment")
		h.Set("Content-Encoding", "gzip")
		h.Set("WWW-Authenticate", `Bearer realm="api"`)
		h.Set("Retry-After", "30")
		h.Set("Access-Control-Expose-Headers", "X-Total")
		h.Set("Location", "/created/1")
		req.SetCookie(&http.Cookie{Name: "sid", Value: "", MaxAge: -1})
	}
	kaito.Get(r, "/unauthorized", func(req *kaito.Request, _ struct{}) (int, error) {
		set(req)
		return 0, kaito.NewError(http.StatusUnauthorized, "sign in")
	})
	kaito.Get(r, "/unmapped", func(req *kaito.Request, _ struct{}) (int, error) {
		set(req)
		return 0, errors.New("database is down")
	})
	kaito.Get(r, "/panics", func(req *kaito.Request, _ struct{}) (int, error) {
		set(req)
		panic("boom")
	})
	kaito.Get(r, "/responder", func(req *kaito.Request, _ struct{}) (kaito.File, error) {
		set(req)
		return kaito.File{FS: emptyFS{}, Name: "missing.txt"}, nil
	})
	kaito.Get(r, "/ok", func(req *kaito.Request, _ struct{}) (int, error) {
		req.ResponseHeader().Set("Cache-Control", "public, max-age=3600")
		return 1, nil
	})
	s := serve(r)
	gone := map[string]string{"Cache-Control": "", "ETag": "", "Content-Disposition": "", "Content-Encoding": "", "Location": "",
		"Content-Type": "application/json; charset=utf-8"}
	kept := map[string]string{"WWW-Authenticate": `Bearer realm="api"`, "Retry-After": "30",
		"Access-Control-Expose-Headers": "X-Total", "Set-Cookie": "sid=; Max-Age=0"}
	both := func() map[string]string {
		m := map[string]string{}
		for k, v := range gone {
			m[k] = v
		}
		for k, v := range kept {
			m[k] = v
		}
		return m
	}
	table{
		{"returned *Error", call{target: "/unauthorized"}, expect{401, both(), `{"message":"sign in"}`}},
		{"unmapped error", call{target: "/unmapped"}, expect{500, both(), `{"message":"Internal Server Error"}`}},
		{"panic", call{target: "/panics"}, expect{500, both(), `{"message":"Internal Server Error"}`}},
		{"failing responder", call{target: "/responder"}, expect{404, both(), `{"message":"file not found"}`}},
		{"success keeps everything", call{target: "/ok"}, expect{200, map[string]string{"Cache-Control": "public, max-age=3600"}, "1"}},
	}.run(t, s)
}

func TestKeptOnError(t *testing.T) {
	for name, want := range map[string]bool{
		"WWW-Authenticate": true, "www-authenticate": true, "Retry-After": true, "Allow": true, "Vary": true,
		"Access-Control-Allow-Origin": true, "access-control-max-age": true, "Set-Cookie": true, "X-Request-Id": true,
		"Cache-Control": false, "ETag": false, "Last-Modified": false, "Content-Type": false, "Location": false,
		"content-disposition": false, "Expires": false, "X-Custom": true, "Strict-Transport-Security": true,
	} {
		if got := kaito.KeptOnError(name); got != want {
			t.Errorf("KeptOnError(%q) = %v, want %v", name, got, want)
		}
	}
}
