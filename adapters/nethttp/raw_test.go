package nethttp_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/kaitotest"
)

// A route reaches net/http's writer and request through Raw, answers with
// http.ServeContent (Range included), and returns Handled so that the router
// adds nothing. On fasthttp, Raw reports that there is nothing to reach.
func TestRawServeContent(t *testing.T) {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil })
	kaito.Get(r, "/doc", func(req *kaito.Request, _ struct{}) (kaito.Responder, error) {
		w, hr, ok := nethttp.Raw(req)
		if !ok {
			return kaito.Text("no raw access"), nil
		}
		http.ServeContent(w, hr, "doc.txt", time.Unix(0, 0), strings.NewReader("hello, raw world"))
		return kaito.Handled{}, nil
	})

	c := kaitotest.New(t, r, kaitotest.NetHTTP)
	req := httptest.NewRequest(http.MethodGet, "/doc", nil)
	req.Header.Set("Range", "bytes=7-9")
	res := c.Do(req)
	if body := kaitotest.Body(t, res); res.StatusCode != http.StatusPartialContent || body != "raw" {
		t.Errorf("net/http: %d %q, want 206 \"raw\"", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want ServeContent's text/plain", ct)
	}

	f := kaitotest.New(t, r, kaitotest.FastHTTP)
	if body := kaitotest.Body(t, f.Get("/doc")); body != "no raw access" {
		t.Errorf("fasthttp: %q, want Raw to report no access", body)
	}
}
