package ip

import (
	"net/http"
	"testing"
)

// benchSetup is the case the performance target names: a trusted peer, a
// three-hop X-Forwarded-For and ten trusted ranges.
func benchSetup(tb testing.TB) (*Resolver, Point, http.Header) {
	tb.Helper()
	r, err := New(TrustProxies(
		"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "100.64.0.0/10",
		"198.18.0.0/15", "203.0.113.0/24", "2001:db8::/32", "127.0.0.0/8", "::1",
	), FromXForwardedFor())
	if err != nil {
		tb.Fatal(err)
	}
	h := http.Header{}
	h.Set("X-Forwarded-For", "198.51.100.23, 203.0.113.9, 10.1.2.3")
	h.Set("X-Forwarded-Proto", "https")
	h.Set("X-Forwarded-Host", "example.com")
	local := Point{Scheme: "http", Version: "HTTP/1.1", Method: "GET", Host: "10.0.0.2", Port: 8080, URI: "/", RemoteAddr: "10.0.0.1:51234"}
	return r, local, h
}

func TestAllocs(t *testing.T) {
	r, local, h := benchSetup(t)
	res, err := r.Resolve(local, h)
	if err != nil || res.Client.String() != "198.51.100.23" || len(res.Hops) != 4 {
		t.Fatalf("Resolve = %+v, %v", res, err)
	}
	if n := testing.AllocsPerRun(200, func() { _, _ = r.Resolve(local, h) }); n > 1 {
		t.Errorf("Resolve allocates %v times, want at most 1 (the hops)", n)
	}
	if n := testing.AllocsPerRun(200, func() { _, _ = r.Client(local, h) }); n != 0 {
		t.Errorf("Client allocates %v times, want 0", n)
	}
}

func BenchmarkResolve(b *testing.B) {
	r, local, h := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Resolve(local, h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClient(b *testing.B) {
	r, local, h := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Client(local, h); err != nil {
			b.Fatal(err)
		}
	}
}
