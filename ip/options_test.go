package ip

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestNewErrors(t *testing.T) {
	xff := FromXForwardedFor()
	for _, tc := range []struct {
		name string
		opts []Option
		want string // a part of the error message
	}{
		{"host name", []Option{TrustProxies("proxy.internal"), xff}, `"proxy.internal"): invalid IP address`},
		{"localhost", []Option{TrustProxies("localhost"), xff}, `"localhost"`},
		{"zone", []Option{TrustProxies("fe80::1%eth0"), xff}, `"fe80::1%eth0"): zones`},
		{"zone in range", []Option{TrustProxies("fe80::%eth0/64"), xff}, "zones"},
		{"empty", []Option{TrustProxies(""), xff}, `TrustProxies(""): empty`},
		{"space", []Option{TrustProxies(" 10.0.0.1"), xff}, `" 10.0.0.1"`},
		{"brackets", []Option{TrustProxies("[::1]"), xff}, `"[::1]"`},
		{"v4 /0", []Option{TrustProxies("10.0.0.0/0"), xff}, "TrustAll()"},
		{"v6 /0", []Option{TrustProxies("::/0"), xff}, "TrustAll()"},
		{"netmask /0", []Option{TrustProxies("10.0.0.0/0.0.0.0"), xff}, "TrustAll()"},
		{"mapped /96", []Option{TrustProxies("::ffff:0.0.0.0/96"), xff}, "TrustAll()"},
		{"mapped short", []Option{TrustProxies("::ffff:10.0.0.0/90"), xff}, "/96 or longer"},
		{"0.0.0.0", []Option{TrustProxies("0.0.0.0"), xff}, `"0.0.0.0"): 0.0.0.0 and ::`},
		{"::", []Option{TrustProxies("::"), xff}, `"::"`},
		{"mapped 0.0.0.0", []Option{TrustProxies("::ffff:0.0.0.0"), xff}, "0.0.0.0 and ::"},
		{"v6 netmask", []Option{TrustProxies("10.0.0.0/ffff::"), xff}, "IPv4 only"},
		{"netmask on v6", []Option{TrustProxies("fe80::/255.192.0.0"), xff}, "IPv4 only"},
		{"netmask on mapped", []Option{TrustProxies("::ffff:a00:2/255.255.255.0"), xff}, "IPv4 only"},
		{"non-contiguous", []Option{TrustProxies("10.0.0.0/255.0.255.0"), xff}, "not contiguous"},
		{"bad netmask", []Option{TrustProxies("10.0.0.0/255.0.0"), xff}, "not an IPv4 address"},
		{"v4 /33", []Option{TrustProxies("10.0.0.0/33"), xff}, "over 32"},
		{"v6 /129", []Option{TrustProxies("::1/129"), xff}, "over 128"},
		{"negative", []Option{TrustProxies("10.0.0.0/-1"), xff}, "not a number"},
		{"empty length", []Option{TrustProxies("10.0.0.0/"), xff}, "not a number"},
		{"word length", []Option{TrustProxies("10.0.0.1/internet"), xff}, "not a number"},
		{"one bad among good", []Option{TrustProxies("loopback", "10.0.0.1/6000"), xff}, `"10.0.0.1/6000"`},
		{"hops 0", []Option{TrustHops(0), xff}, "TrustHops(0)"},
		{"hops negative", []Option{TrustHops(-1), xff}, "TrustHops(-1)"},
		{"hops too many", []Option{TrustHops(MaxHops + 1), xff}, "TrustHops(65)"},
		{"hops twice", []Option{TrustHops(1), TrustHops(2), xff}, "more than once"},
		{"nil func", []Option{TrustFunc(nil), xff}, "TrustFunc(nil)"},
		{"func twice", []Option{TrustFunc(func(netip.Addr, int) bool { return false }), TrustFunc(func(netip.Addr, int) bool { return true }), xff}, "more than once"},
		{"all and specs", []Option{TrustAll(), TrustProxies("loopback"), xff}, "TrustAll cannot"},
		{"all and hops", []Option{TrustAll(), TrustHops(1), xff}, "TrustAll cannot"},
		{"hops and specs", []Option{TrustHops(1), TrustProxies("loopback"), xff}, "TrustHops cannot"},
		{"empty header", []Option{TrustAll(), FromHeader("")}, `FromHeader(""): not a header name`},
		{"bad header", []Option{TrustAll(), FromHeader("X Real IP")}, "not a header name"},
		{"header XFF", []Option{TrustAll(), FromHeader("x-forwarded-for")}, "use FromXForwardedFor()"},
		{"header Forwarded", []Option{TrustAll(), FromHeader("Forwarded")}, "use FromForwarded()"},
		{"two sources", []Option{TrustAll(), xff, FromForwarded()}, "one source only, got FromXForwardedFor() and FromForwarded()"},
		{"same source twice", []Option{TrustAll(), FromHeader("X-Real-IP"), FromHeader("CF-Connecting-IP")}, "one source only"},
		{"source without trust", []Option{xff}, "needs a trust option"},
		{"trust without source", []Option{TrustProxies("loopback")}, "needs a source"},
		{"all without source", []Option{TrustAll()}, "needs a source"},
		{"strict without forwarded", []Option{TrustAll(), xff, Strict()}, "Strict() applies to FromForwarded()"},
		{"strict alone", []Option{Strict()}, "Strict()"},
		{"nil option", []Option{nil}, "nil Option"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := New(tc.opts...)
			if err == nil {
				t.Fatalf("New succeeded")
			}
			if r != nil {
				t.Errorf("New returned a Resolver with the error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	_, err := New(TrustProxies("a.example", "b.example"), TrustHops(0))
	for _, want := range []string{`"a.example"`, `"b.example"`, "TrustHops(0)", "needs a source"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %s", err, want)
		}
	}
}

func TestPrefixes(t *testing.T) {
	for _, tc := range []struct {
		specs []string
		want  []string
	}{
		{nil, []string{}},
		{[]string{"10.0.0.1"}, []string{"10.0.0.1/32"}},
		{[]string{"1.1.1.1/16"}, []string{"1.1.0.0/16"}},
		{[]string{"10.0.0.2/255.255.255.192"}, []string{"10.0.0.0/26"}},
		{[]string{"::ffff:a00:1"}, []string{"10.0.0.1/32"}},
		{[]string{"::ffff:a00:2/122"}, []string{"10.0.0.0/26"}},
		{[]string{"2001:DB8::1/48"}, []string{"2001:db8::/48"}},
		{[]string{"loopback"}, []string{"127.0.0.0/8", "::1/128"}},
		{[]string{"LinkLocal"}, []string{"169.254.0.0/16", "fe80::/10"}},
		{[]string{"uniquelocal"}, []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"}},
		{[]string{"private"}, []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"}},
		{[]string{"unix"}, []string{}},
		{[]string{"0.0.0.0/8"}, []string{"0.0.0.0/8"}},
	} {
		r, err := New(TrustProxies(tc.specs...), FromXForwardedFor())
		if err != nil {
			t.Errorf("New(%q): %v", tc.specs, err)
			continue
		}
		var got []string
		for _, p := range r.Prefixes() {
			got = append(got, p.String())
		}
		if got == nil {
			got = []string{}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("TrustProxies(%q).Prefixes() = %q, want %q", tc.specs, got, tc.want)
		}
	}
	var nilRes *Resolver
	if p := nilRes.Prefixes(); p == nil || len(p) != 0 {
		t.Errorf("nil Resolver Prefixes = %v", p)
	}
	// Prefixes returns a copy.
	r, _ := New(TrustProxies("10.0.0.1"), FromXForwardedFor())
	r.Prefixes()[0] = netip.MustParsePrefix("1.0.0.0/8")
	if r.Prefixes()[0].String() != "10.0.0.1/32" {
		t.Error("Prefixes exposes the Resolver's storage")
	}
}
