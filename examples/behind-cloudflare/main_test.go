package main

import (
	"net/http/httptest"
	"testing"

	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/ip"
	"github.com/kaito-go/kaito/ip/cloudflare"
)

func TestBehindCloudflare(t *testing.T) {
	res, err := ip.New(cloudflare.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	h := nethttp.Handler(Routes(res))
	cases := []struct{ name, peer, header, want string }{
		{"from Cloudflare", "173.245.48.10:443", "203.0.113.7", `"203.0.113.7"`},
		{"from Cloudflare over IPv6", "[2606:4700::1]:443", "2001:db8::7", `"2001:db8::7"`},
		{"forged, not from Cloudflare", "198.51.100.9:5000", "1.2.3.4", `{"message":"Probably not behind Cloudflare!"}`},
		{"garbage from Cloudflare", "173.245.48.10:443", "not-an-ip", `{"message":"Probably not behind Cloudflare!"}`},
	}
	for _, c := range cases {
		req := httptest.NewRequest("GET", "/ip", nil)
		req.RemoteAddr = c.peer
		req.Header.Set("CF-Connecting-IP", c.header)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Body.String(); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}
