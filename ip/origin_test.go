package ip

import (
	"net/http"
	"strings"
	"testing"
)

func TestOrigin(t *testing.T) {
	xff := []Option{TrustProxies("10.0.0.0/8"), FromXForwardedFor()}
	fwd := []Option{TrustProxies("10.0.0.0/8"), FromForwarded()}
	local := Point{Scheme: "http", Version: "HTTP/1.1", Method: "GET", Host: "app.internal", Port: 8080, URI: "/x?y", RemoteAddr: "10.0.0.1:5000"}
	type o struct {
		scheme, host string
		port         int
		remote       string
	}
	for _, tc := range []struct {
		name string
		opts []Option
		peer string // default local.RemoteAddr
		h    http.Header
		want o
	}{
		{"nothing forwarded", xff, "", nil, o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"untrusted peer: nothing applied", xff, "203.0.113.9:7", hdr("X-Forwarded-For", "1.2.3.4", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example"), o{"http", "app.internal", 8080, "203.0.113.9:7"}},
		{"default Resolver: nothing applied", nil, "", hdr("X-Forwarded-Proto", "https"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"client as remote", xff, "", hdr("X-Forwarded-For", "[::ffff:1.2.3.4]:4711"), o{"http", "app.internal", 8080, "1.2.3.4:4711"}},
		{"scheme, default port", xff, "", hdr("X-Forwarded-Proto", "https"), o{"https", "app.internal", 443, "10.0.0.1:5000"}},
		{"scheme any case", xff, "", hdr("X-Forwarded-Proto", "HTTPS"), o{"https", "app.internal", 443, "10.0.0.1:5000"}},
		{"http replaces local https", xff, "", hdr("X-Forwarded-Proto", "http"), o{"http", "app.internal", 80, "10.0.0.1:5000"}},
		{"bad scheme ignored", xff, "", hdr("X-Forwarded-Proto", "javascript"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"bad scheme does not fall through", xff, "", hdr("X-Forwarded-Proto", "ftp", "X-Forwarded-Protocol", "https"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"oversized scheme does not fall through", xff, "", hdr("X-Forwarded-Proto", strings.Repeat("x,", 5000), "X-Forwarded-Ssl", "on"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"unicode look-alike scheme", xff, "", hdr("X-Forwarded-Proto", "httpſ"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"Proto before Protocol", xff, "", hdr("X-Forwarded-Proto", "http", "X-Forwarded-Protocol", "https"), o{"http", "app.internal", 80, "10.0.0.1:5000"}},
		{"X-Forwarded-Ssl on", xff, "", hdr("X-Forwarded-Ssl", "on"), o{"https", "app.internal", 443, "10.0.0.1:5000"}},
		{"Front-End-Https On", xff, "", hdr("Front-End-Https", "On"), o{"https", "app.internal", 443, "10.0.0.1:5000"}},
		{"X-Forwarded-Ssl off", xff, "", hdr("X-Forwarded-Ssl", "off"), o{"http", "app.internal", 80, "10.0.0.1:5000"}},
		{"X-Forwarded-Ssl junk", xff, "", hdr("X-Forwarded-Ssl", "yes"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"host with port", xff, "", hdr("X-Forwarded-Host", "example.com:8443"), o{"http", "example.com", 8443, "10.0.0.1:5000"}},
		{"host without port: scheme default", xff, "", hdr("X-Forwarded-Proto", "https", "X-Forwarded-Host", "example.com"), o{"https", "example.com", 443, "10.0.0.1:5000"}},
		{"host only: local scheme default", xff, "", hdr("X-Forwarded-Host", "example.com"), o{"http", "example.com", 80, "10.0.0.1:5000"}},
		{"host lower-cased, as the local one", xff, "", hdr("X-Forwarded-Host", "Shop.EXAMPLE.com:8443"), o{"http", "shop.example.com", 8443, "10.0.0.1:5000"}},
		{"IPv6 host keeps brackets", xff, "", hdr("X-Forwarded-Host", "[2001:db8::1]:8443"), o{"http", "[2001:db8::1]", 8443, "10.0.0.1:5000"}},
		{"port beats host port", xff, "", hdr("X-Forwarded-Host", "example.com:90", "X-Forwarded-Port", "91"), o{"http", "example.com", 91, "10.0.0.1:5000"}},
		{"port alone", xff, "", hdr("X-Forwarded-Port", "91"), o{"http", "app.internal", 91, "10.0.0.1:5000"}},
		{"bad port ignored", xff, "", hdr("X-Forwarded-Proto", "https", "X-Forwarded-Port", "abc"), o{"https", "app.internal", 443, "10.0.0.1:5000"}},
		{"port out of range", xff, "", hdr("X-Forwarded-Port", "65536"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"host with comma ignored", xff, "", hdr("X-Forwarded-Host", `"a.example,b.example"`), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"host with space ignored", xff, "", hdr("X-Forwarded-Host", "a example"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"host with userinfo ignored", xff, "", hdr("X-Forwarded-Host", "user@example.com"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"host bare IPv6 ignored", xff, "", hdr("X-Forwarded-Host", "2001:db8::1"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"X-Forwarded-Server is not the host", xff, "", hdr("X-Forwarded-Server", "example.com"), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"empty items dropped", xff, "", hdr("X-Forwarded-Host", ", example.com ,"), o{"http", "example.com", 80, "10.0.0.1:5000"}},
		{"several lines", xff, "", hdr("X-Forwarded-Proto", "http", "X-Forwarded-Proto", "https"), o{"https", "app.internal", 443, "10.0.0.1:5000"}},

		// Alignment with X-Forwarded-For.
		{"aligned: the client's hop", xff, "", hdr("X-Forwarded-For", "6.6.6.6, 1.2.3.4, 10.0.0.2", "X-Forwarded-Proto", "http, https, http"), o{"https", "app.internal", 443, "1.2.3.4"}},
		{"aligned: all trusted takes the furthest", xff, "", hdr("X-Forwarded-For", "10.0.0.3, 10.0.0.2", "X-Forwarded-Host", "a.example, b.example"), o{"http", "a.example", 80, "10.0.0.3"}},
		{"not aligned: rightmost, never leftmost", xff, "", hdr("X-Forwarded-For", "1.2.3.4", "X-Forwarded-Proto", "https, http"), o{"http", "app.internal", 80, "1.2.3.4"}},
		{"no XFF, several values: rightmost", xff, "", hdr("X-Forwarded-Port", "91, 90, 95"), o{"http", "app.internal", 95, "10.0.0.1:5000"}},
		{"failed walk: rightmost", xff, "", hdr("X-Forwarded-For", "1.2.3.4, junk", "X-Forwarded-Proto", "https, http"), o{"http", "app.internal", 80, "10.0.0.1:5000"}},
		{"one-IP header: rightmost", []Option{TrustProxies("10.0.0.0/8"), FromHeader("X-Real-IP")}, "", hdr("X-Real-IP", "1.2.3.4", "X-Forwarded-Proto", "http, https"), o{"https", "app.internal", 443, "1.2.3.4"}},

		// Forwarded.
		{"Forwarded: client's element", fwd, "", hdr("Forwarded", "for=6.6.6.6;proto=http;host=evil.example, for=1.2.3.4;proto=https;host=example.com, for=10.0.0.2;proto=http;host=app.internal"), o{"https", "example.com", 443, "1.2.3.4"}},
		{"Forwarded: nearest towards us", fwd, "", hdr("Forwarded", "for=6.6.6.6;host=evil.example, for=1.2.3.4, for=10.0.0.2;proto=https;host=example.com:8443"), o{"https", "example.com", 8443, "1.2.3.4"}},
		{"Forwarded: invalid element skipped", fwd, "", hdr("Forwarded", `for=1.2.3.4;proto=https, for=10.0.0.2;host=a.example;host=b.example`), o{"http", "app.internal", 8080, "10.0.0.1:5000"}},
		{"Forwarded: bad values ignored", fwd, "", hdr("Forwarded", `for=1.2.3.4;proto=ftp;host="a b", for=10.0.0.2;proto=HTTPS`), o{"https", "app.internal", 443, "1.2.3.4"}},
		{"Forwarded: host lower-cased", fwd, "", hdr("Forwarded", `for=1.2.3.4;host="Shop.EXAMPLE.com:8443"`), o{"http", "shop.example.com", 8443, "1.2.3.4"}},
		{"Forwarded: quoted host", fwd, "", hdr("Forwarded", `for="[2001:db8::1]:4711";host="[2001:db8::2]:8443"`), o{"http", "[2001:db8::2]", 8443, "[2001:db8::1]:4711"}},
		{"Forwarded: failed walk uses the peer's element", fwd, "", hdr("Forwarded", "for=6.6.6.6;proto=http, for=unknown;proto=https"), o{"https", "app.internal", 443, "10.0.0.1:5000"}},
		{"Forwarded: X-Forwarded-* not read", fwd, "", hdr("Forwarded", "for=1.2.3.4", "X-Forwarded-Proto", "https"), o{"http", "app.internal", 8080, "1.2.3.4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r *Resolver
			if tc.opts != nil {
				r = mustNew(t, tc.opts...)
			}
			l := local
			if tc.peer != "" {
				l.RemoteAddr = tc.peer
			}
			res, _ := r.Resolve(l, tc.h)
			got := o{res.Origin.Scheme, res.Origin.Host, res.Origin.Port, res.Origin.RemoteAddr}
			if got != tc.want {
				t.Errorf("Origin = %+v, want %+v", got, tc.want)
			}
			if res.Origin.Version != l.Version || res.Origin.Method != l.Method || res.Origin.URI != l.URI {
				t.Errorf("Origin changed Version, Method or URI: %+v", res.Origin)
			}
		})
	}
}

func TestOriginLocalTLS(t *testing.T) {
	r := mustNew(t, TrustProxies("loopback"), FromXForwardedFor())
	local := Point{Scheme: "https", Host: "example.com", Port: 443, RemoteAddr: "127.0.0.1:1"}
	res, _ := r.Resolve(local, hdr("X-Forwarded-Proto", "http"))
	if res.Origin.Scheme != "http" || res.Origin.Port != 80 {
		t.Errorf("a trusted proxy's http must replace a local https: %+v", res.Origin)
	}
}
