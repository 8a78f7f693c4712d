package ip

import (
	"errors"
	"net/http"
	"net/netip"
	"testing"
)

// TestClientFromMatchesClient checks that ClientFrom, given the socket peer
// parsed, answers exactly what Client answers for the same peer as text.
func TestClientFromMatchesClient(t *testing.T) {
	xff, err := New(TrustProxies("10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32"), FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	fwd, err := New(TrustProxies("10.0.0.0/8"), FromForwarded())
	if err != nil {
		t.Fatal(err)
	}
	hops, err := New(TrustHops(2), FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	none, err := New()
	if err != nil {
		t.Fatal(err)
	}
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Add(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		name string
		r    *Resolver
		peer string
		h    http.Header
	}{
		{"trusted peer, three hops", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "203.0.113.195, 192.168.1.20, 10.1.2.3")},
		{"untrusted peer", xff, "198.51.100.1:5000", hdr("X-Forwarded-For", "203.0.113.195")},
		{"IPv4-mapped peer", xff, "[::ffff:10.0.0.1]:80", hdr("X-Forwarded-For", "203.0.113.7")},
		{"IPv6 peer", xff, "[2001:db8::1]:443", hdr("X-Forwarded-For", "203.0.113.8")},
		{"bad hop", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "nonsense, 10.1.2.3")},
		{"every hop trusted", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "10.9.9.9, 192.168.0.1")},
		{"no header", xff, "10.0.0.1:5000", nil},
		{"Forwarded", fwd, "10.0.0.1:5000", hdr("Forwarded", `for=203.0.113.60;proto=https, for="10.1.1.1"`)},
		{"too few hops", hops, "10.0.0.1:5000", hdr("X-Forwarded-For", "203.0.113.9")},
		{"no resolver options", none, "10.0.0.1:5000", hdr("X-Forwarded-For", "203.0.113.9")},
		{"unspecified peer", xff, "0.0.0.0:80", nil},
		{"unspecified IPv6 peer", none, "[::]:80", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ap := netip.MustParseAddrPort(tt.peer)
			want, wantErr := tt.r.Client(Point{RemoteAddr: tt.peer}, tt.h)
			got, gotErr := tt.r.ClientFrom(ap, tt.h)
			if got != want || (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("ClientFrom(%v) = %v, %v; Client(%q) = %v, %v", ap, got, gotErr, tt.peer, want, wantErr)
			}
			var ge, we *HopError
			if errors.As(wantErr, &we) != errors.As(gotErr, &ge) || (we != nil && (ge.Source != we.Source || ge.Hop != we.Hop)) {
				t.Errorf("errors differ: %v and %v", gotErr, wantErr)
			}
			if wantErr != nil && !errors.As(wantErr, &we) && !errors.Is(gotErr, wantErr) {
				t.Errorf("error %v, want %v", gotErr, wantErr)
			}
		})
	}
	// The zero AddrPort is a Unix-socket peer, as "@" is to Client.
	got, gotErr := none.ClientFrom(netip.AddrPort{}, nil)
	want, wantErr := none.Client(Point{RemoteAddr: "@"}, nil)
	if got != want || (gotErr == nil) != (wantErr == nil) {
		t.Errorf("ClientFrom(zero) = %v, %v; Client(@) = %v, %v", got, gotErr, want, wantErr)
	}
	r, local, h := benchSetup(t)
	ap := netip.MustParseAddrPort(local.RemoteAddr)
	if n := testing.AllocsPerRun(200, func() { _, _ = r.ClientFrom(ap, h) }); n != 0 {
		t.Errorf("ClientFrom allocates %v times, want 0", n)
	}
}
