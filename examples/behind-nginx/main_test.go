package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/ip"
)

func TestBehindNginx(t *testing.T) {
	res, err := ip.New(ip.TrustProxies("loopback"), ip.FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	h := nethttp.Handler(Routes(res))
	cases := []struct{ name, peer, xff, proto, want string }{
		{"through nginx", "127.0.0.1:5000", "203.0.113.7", "https", `{"ip":"203.0.113.7","ips":["127.0.0.1","203.0.113.7"],"protocol":"https","hostname":"api.example.com","url":"https://api.example.com/whoami"}`},
		{"client-forged entry", "127.0.0.1:5000", "6.6.6.6, 203.0.113.7", "http", `{"ip":"203.0.113.7","ips":["127.0.0.1","203.0.113.7"],"protocol":"http","hostname":"api.example.com","url":"http://api.example.com/whoami"}`},
		{"skipping nginx", "198.51.100.9:5000", "1.2.3.4", "https", `{"ip":"198.51.100.9","ips":["198.51.100.9"],"protocol":"http","hostname":"api.example.com","url":"http://api.example.com/whoami"}`},
	}
	for _, c := range cases {
		req := httptest.NewRequest("GET", "/whoami", nil)
		req.Host = "api.example.com"
		req.RemoteAddr = c.peer
		req.Header.Set("X-Forwarded-For", c.xff)
		req.Header.Set("X-Forwarded-Proto", c.proto)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := strings.TrimSpace(rec.Body.String()); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}
