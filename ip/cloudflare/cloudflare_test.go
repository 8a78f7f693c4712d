package cloudflare_test

import (
	"net/http"
	"net/netip"
	"slices"
	"testing"

	"github.com/kaito-go/kaito/ip"
	"github.com/kaito-go/kaito/ip/cloudflare"
)

func TestRangesValid(t *testing.T) {
	for _, s := range cloudflare.Ranges() {
		p, err := netip.ParsePrefix(s)
		if err != nil || p.Masked() != p {
			t.Errorf("range %q: %v (masked %v)", s, err, p.Masked())
		}
	}
	a := cloudflare.Ranges()
	a[0] = "changed"
	if cloudflare.Ranges()[0] == "changed" {
		t.Error("Ranges returns shared storage")
	}
	if n := len(cloudflare.Ranges()); n != 22 {
		t.Errorf("%d ranges, want 15 IPv4 and 7 IPv6", n)
	}
}

func TestOptions(t *testing.T) {
	res, err := ip.New(cloudflare.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("CF-Connecting-IP", "198.51.100.7")
	h.Set("X-Forwarded-For", "6.6.6.6")
	for _, tc := range []struct{ peer, want string }{
		{"173.245.48.10:443", "198.51.100.7"},       // Cloudflare edge: header honoured
		{"[2606:4700::6810:1]:443", "198.51.100.7"}, // IPv6 edge
		{"203.0.113.9:5555", "203.0.113.9"},         // direct request: header ignored
		{"127.0.0.1:5555", "127.0.0.1"},             // not Cloudflare
	} {
		got, err := res.Client(ip.Point{RemoteAddr: tc.peer}, h)
		if err != nil || got.String() != tc.want {
			t.Errorf("peer %s: Client = %v, %v; want %s", tc.peer, got, err, tc.want)
		}
	}
	// A fresh list replaces the bundled one.
	res, err = ip.New(cloudflare.Options("192.0.2.0/24")...)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Prefixes(); len(got) != 1 || got[0].String() != "192.0.2.0/24" {
		t.Errorf("Prefixes = %v", got)
	}
	if got, _ := res.Client(ip.Point{RemoteAddr: "173.245.48.10:443"}, h); got.String() != "173.245.48.10" {
		t.Errorf("bundled range still trusted: %v", got)
	}
	// A bad fresh list fails New, naming the range.
	if _, err := ip.New(cloudflare.Options("not-a-range")...); err == nil {
		t.Error("bad range accepted")
	}
}

func TestTrustBehindProxy(t *testing.T) {
	res, err := ip.New(cloudflare.Trust(), ip.TrustProxies("loopback"), ip.FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("CF-Connecting-IP", "6.6.6.6") // ignored: not the source
	h.Set("X-Forwarded-For", "1.2.3.4, 198.51.100.7, 162.158.1.1")
	got, err := res.Client(ip.Point{RemoteAddr: "127.0.0.1:5555"}, h)
	if err != nil || got.String() != "198.51.100.7" {
		t.Errorf("Client = %v, %v", got, err)
	}
	if !slices.Contains(cloudflare.Ranges(), "162.158.0.0/15") {
		t.Error("162.158.0.0/15 missing")
	}
}

// Cloudflare passes X-Forwarded-Host and -Port through from the client, so
// behind the preset the origin's host is the Host header Cloudflare kept.
func TestOriginHostIsNotTakenFromTheClient(t *testing.T) {
	res, err := ip.New(cloudflare.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("CF-Connecting-IP", "203.0.113.9")
	h.Set("X-Forwarded-Proto", "https")
	h.Set("X-Forwarded-Host", "evil.example:8443")
	h.Set("X-Forwarded-Port", "8443")
	got, err := res.Resolve(ip.Point{Scheme: "http", Host: "shop.example", Port: 80, RemoteAddr: "173.245.48.1:4000"}, h)
	if err != nil {
		t.Fatal(err)
	}
	if o := got.Origin; o.Scheme != "https" || o.Host != "shop.example" || o.Port != 443 || got.Client.String() != "203.0.113.9" {
		t.Errorf("origin %+v client %v, want https://shop.example:443 and 203.0.113.9", o, got.Client)
	}
}
