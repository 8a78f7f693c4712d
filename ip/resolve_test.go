package ip

import (
	"errors"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// hdr builds a header from name, value pairs; a name may repeat to give
// several field lines.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func mustNew(t *testing.T, opts ...Option) *Resolver {
	t.Helper()
	r, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func hopAddrs(hops []Hop) []string {
	var out []string
	for _, h := range hops {
		if h.Addr.IsValid() {
			out = append(out, h.Addr.String())
		} else {
			out = append(out, "!"+h.Raw)
		}
	}
	return out
}

func TestResolve(t *testing.T) {
	xff := []Option{TrustProxies("10.0.0.0/8"), FromXForwardedFor()}
	fwd := []Option{TrustProxies("10.0.0.0/8"), FromForwarded()}
	cf := []Option{TrustProxies("10.0.0.0/8"), FromHeader("CF-Connecting-IP")}
	for _, tc := range []struct {
		name   string
		opts   []Option
		peer   string
		h      http.Header
		client string   // "" when no client
		hops   []string // closest first; "!raw" for a hop that is not an IP
		errHop int      // index of the hop in a *HopError, or -1
		err    error    // a sentinel error, when expected
	}{
		{"default: peer, headers ignored", nil, "203.0.113.9:5000", hdr("X-Forwarded-For", "1.2.3.4", "X-Real-IP", "1.2.3.4"), "203.0.113.9", []string{"203.0.113.9"}, -1, nil},
		{"untrusted peer: header ignored", xff, "203.0.113.9:5000", hdr("X-Forwarded-For", "1.2.3.4"), "203.0.113.9", []string{"203.0.113.9"}, -1, nil},
		{"trusted peer", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "1.2.3.4"), "1.2.3.4", []string{"10.0.0.1", "1.2.3.4"}, -1, nil},
		{"right to left, leftmost not read", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "6.6.6.6, 1.2.3.4, 10.0.0.2"), "1.2.3.4", []string{"10.0.0.1", "10.0.0.2", "1.2.3.4"}, -1, nil},
		{"trusted left of untrusted is not skipped", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "10.0.0.3, 1.2.3.4, 10.0.0.2"), "1.2.3.4", []string{"10.0.0.1", "10.0.0.2", "1.2.3.4"}, -1, nil},
		{"all trusted: furthest", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "10.0.0.3, 10.0.0.2"), "10.0.0.3", []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}, -1, nil},
		{"trusted peer, no header: peer", xff, "10.0.0.1:5000", nil, "10.0.0.1", []string{"10.0.0.1"}, -1, nil},
		{"field lines combined", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "6.6.6.6", "X-Forwarded-For", "1.2.3.4, 10.0.0.2"), "1.2.3.4", []string{"10.0.0.1", "10.0.0.2", "1.2.3.4"}, -1, nil},
		{"empty items dropped", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", " , 1.2.3.4,, 10.0.0.2 ,"), "1.2.3.4", []string{"10.0.0.1", "10.0.0.2", "1.2.3.4"}, -1, nil},
		{"ports and brackets", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "[2001:db8::1]:4711, 10.0.0.2:80"), "2001:db8::1", []string{"10.0.0.1", "10.0.0.2", "2001:db8::1"}, -1, nil},
		{"bare IPv6", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "2001:db8::1"), "2001:db8::1", []string{"10.0.0.1", "2001:db8::1"}, -1, nil},
		{"mapped unmapped", xff, "[::ffff:10.0.0.1]:5000", hdr("X-Forwarded-For", "::ffff:1.2.3.4, ::ffff:10.0.0.2"), "1.2.3.4", []string{"10.0.0.1", "10.0.0.2", "1.2.3.4"}, -1, nil},
		{"zone stripped", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "fe80::1%eth0"), "fe80::1", []string{"10.0.0.1", "fe80::1"}, -1, nil},
		{"garbage stops the walk", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "1.2.3.4, garbage, 10.0.0.2"), "", []string{"10.0.0.1", "10.0.0.2", "!garbage"}, 2, nil},
		{"unspecified stops the walk", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "1.2.3.4, 0.0.0.0"), "", []string{"10.0.0.1", "!0.0.0.0"}, 1, nil},
		{"host name stops the walk", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "localhost"), "", []string{"10.0.0.1", "!localhost"}, 1, nil},
		{"bad port stops the walk", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "1.2.3.4:99999"), "", []string{"10.0.0.1", "!1.2.3.4:99999"}, 1, nil},
		{"garbage beyond the client is not read", xff, "10.0.0.1:5000", hdr("X-Forwarded-For", "garbage, 1.2.3.4"), "1.2.3.4", []string{"10.0.0.1", "1.2.3.4"}, -1, nil},
		{"bad peer", xff, "nonsense", hdr("X-Forwarded-For", "1.2.3.4"), "", []string{"!nonsense"}, 0, nil},
		{"untrusted unix peer", xff, "@", hdr("X-Forwarded-For", "1.2.3.4"), "", []string{"!@"}, 0, nil},
		{"trusted unix peer", []Option{TrustProxies("unix"), FromXForwardedFor()}, "/run/app.sock", hdr("X-Forwarded-For", "1.2.3.4"), "1.2.3.4", []string{"!/run/app.sock", "1.2.3.4"}, -1, nil},
		{"trusted unix peer, no header", []Option{TrustProxies("unix"), FromXForwardedFor()}, "", nil, "", []string{"!"}, 0, nil},
		{"TrustAll trusts unix", []Option{TrustAll(), FromXForwardedFor()}, "@", hdr("X-Forwarded-For", "1.2.3.4, 5.6.7.8"), "1.2.3.4", []string{"!@", "5.6.7.8", "1.2.3.4"}, -1, nil},
		{"TrustHops(2)", []Option{TrustHops(2), FromXForwardedFor()}, "192.0.2.1:1", hdr("X-Forwarded-For", "6.6.6.6, 1.2.3.4, 198.51.100.1"), "1.2.3.4", []string{"192.0.2.1", "198.51.100.1", "1.2.3.4"}, -1, nil},
		{"TrustHops too few", []Option{TrustHops(3), FromXForwardedFor()}, "192.0.2.1:1", hdr("X-Forwarded-For", "1.2.3.4, 198.51.100.1"), "", []string{"192.0.2.1", "198.51.100.1", "1.2.3.4"}, -1, ErrTooFewHops},
		{"TrustHops garbage proxy", []Option{TrustHops(2), FromXForwardedFor()}, "192.0.2.1:1", hdr("X-Forwarded-For", "1.2.3.4, proxy"), "", []string{"192.0.2.1", "!proxy"}, 1, nil},
		{"TrustFunc by hop", []Option{TrustFunc(func(a netip.Addr, hop int) bool { return hop == 0 || a.Is6() }), FromXForwardedFor()}, "192.0.2.1:1", hdr("X-Forwarded-For", "1.2.3.4, 2001:db8::1"), "1.2.3.4", []string{"192.0.2.1", "2001:db8::1", "1.2.3.4"}, -1, nil},
		{"TrustFunc with specs", []Option{TrustProxies("192.0.2.1"), TrustFunc(func(a netip.Addr, hop int) bool { return a.Is6() }), FromXForwardedFor()}, "192.0.2.1:1", hdr("X-Forwarded-For", "1.2.3.4, 2001:db8::1"), "1.2.3.4", []string{"192.0.2.1", "2001:db8::1", "1.2.3.4"}, -1, nil},

		{"Forwarded", fwd, "10.0.0.1:5000", hdr("Forwarded", `for=6.6.6.6, for="[2001:db8::1]:4711", for=10.0.0.2`), "2001:db8::1", []string{"10.0.0.1", "10.0.0.2", "2001:db8::1"}, -1, nil},
		{"Forwarded lines combined", fwd, "10.0.0.1:5000", hdr("Forwarded", "for=6.6.6.6", "Forwarded", "for=1.2.3.4"), "1.2.3.4", []string{"10.0.0.1", "1.2.3.4"}, -1, nil},
		{"Forwarded unknown", fwd, "10.0.0.1:5000", hdr("Forwarded", "for=1.2.3.4, for=unknown"), "", []string{"10.0.0.1", "!unknown"}, 1, nil},
		{"Forwarded obfuscated", fwd, "10.0.0.1:5000", hdr("Forwarded", "for=1.2.3.4, for=_hidden"), "", []string{"10.0.0.1", "!_hidden"}, 1, nil},
		{"Forwarded without for", fwd, "10.0.0.1:5000", hdr("Forwarded", "for=1.2.3.4, proto=https"), "", []string{"10.0.0.1", "!proto=https"}, 1, nil},
		{"Forwarded invalid element", fwd, "10.0.0.1:5000", hdr("Forwarded", "for=1.2.3.4, for=10.0.0.2;for=10.0.0.3"), "", []string{"10.0.0.1", "!for=10.0.0.2;for=10.0.0.3"}, 1, nil},
		{"Forwarded unterminated", fwd, "10.0.0.1:5000", hdr("Forwarded", `for="1.2.3.4, for=10.0.0.2`), "", []string{"10.0.0.1"}, -1, ErrUnterminatedQuote},
		{"Forwarded lenient bare IPv6", fwd, "10.0.0.1:5000", hdr("Forwarded", "for=2001:db8::1"), "2001:db8::1", []string{"10.0.0.1", "2001:db8::1"}, -1, nil},
		{"Forwarded strict bare IPv6", append([]Option{Strict()}, fwd...), "10.0.0.1:5000", hdr("Forwarded", "for=2001:db8::1"), "", []string{"10.0.0.1", "!for=2001:db8::1"}, 1, nil},
		{"Forwarded strict quoted", append([]Option{Strict()}, fwd...), "10.0.0.1:5000", hdr("Forwarded", `for="[2001:db8::1]:80"`), "2001:db8::1", []string{"10.0.0.1", "2001:db8::1"}, -1, nil},

		{"one-IP header", cf, "10.0.0.1:5000", hdr("CF-Connecting-IP", "1.2.3.4"), "1.2.3.4", []string{"10.0.0.1", "1.2.3.4"}, -1, nil},
		{"one-IP header, last line", cf, "10.0.0.1:5000", hdr("CF-Connecting-IP", "6.6.6.6", "CF-Connecting-IP", " 1.2.3.4 "), "1.2.3.4", []string{"10.0.0.1", "1.2.3.4"}, -1, nil},
		{"one-IP header, untrusted peer", cf, "203.0.113.9:5000", hdr("CF-Connecting-IP", "1.2.3.4"), "203.0.113.9", []string{"203.0.113.9"}, -1, nil},
		{"one-IP header, list is not an IP", cf, "10.0.0.1:5000", hdr("CF-Connecting-IP", "1.2.3.4, 5.6.7.8"), "", []string{"10.0.0.1", "!1.2.3.4, 5.6.7.8"}, 1, nil},
		{"one-IP header, empty", cf, "10.0.0.1:5000", hdr("CF-Connecting-IP", ""), "", []string{"10.0.0.1", "!"}, 1, nil},
		{"one-IP header absent: peer", cf, "10.0.0.1:5000", hdr("X-Forwarded-For", "1.2.3.4"), "10.0.0.1", []string{"10.0.0.1"}, -1, nil},
		{"one-IP header ignores XFF", cf, "10.0.0.1:5000", hdr("X-Forwarded-For", "6.6.6.6", "CF-Connecting-IP", "1.2.3.4"), "1.2.3.4", []string{"10.0.0.1", "1.2.3.4"}, -1, nil},
		{"one-IP header, trusted value", cf, "10.0.0.1:5000", hdr("CF-Connecting-IP", "10.0.0.9"), "10.0.0.9", []string{"10.0.0.1", "10.0.0.9"}, -1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustNew(t, tc.opts...)
			local := Point{Scheme: "http", Host: "localhost", Port: 80, RemoteAddr: tc.peer}
			res, err := r.Resolve(local, tc.h)
			got := ""
			if res.Client.IsValid() {
				got = res.Client.String()
			}
			if got != tc.client {
				t.Errorf("Client = %q, want %q (err %v)", got, tc.client, err)
			}
			if hops := hopAddrs(res.Hops); !slices.Equal(hops, tc.hops) {
				t.Errorf("Hops = %q, want %q", hops, tc.hops)
			}
			var he *HopError
			switch {
			case tc.errHop >= 0:
				if !errors.As(err, &he) || he.Hop != tc.errHop {
					t.Errorf("err = %v, want a *HopError at hop %d", err, tc.errHop)
				}
			case tc.err != nil:
				if !errors.Is(err, tc.err) {
					t.Errorf("err = %v, want %v", err, tc.err)
				}
			case err != nil:
				t.Errorf("err = %v", err)
			}
			if err != nil && res.Client.IsValid() {
				t.Errorf("client %v with error %v", res.Client, err)
			}
			if he != nil && len(res.Hops) > 0 && res.Hops[len(res.Hops)-1].Raw != he.Raw {
				t.Errorf("HopError.Raw %q is not the last hop's %q", he.Raw, res.Hops[len(res.Hops)-1].Raw)
			}
			client, cerr := r.Client(local, tc.h)
			if client != res.Client || (cerr == nil) != (err == nil) {
				t.Errorf("Client() = %v, %v; Resolve: %v, %v", client, cerr, res.Client, err)
			}
		})
	}
}

func TestHopFields(t *testing.T) {
	r := mustNew(t, TrustProxies("10.0.0.0/8"), FromXForwardedFor())
	res, err := r.Resolve(Point{RemoteAddr: "10.0.0.1:5000"}, hdr(
		"X-Forwarded-For", "[2001:db8::1]:4711, 10.0.0.2",
		"X-Forwarded-By", "10.0.0.2:80, 10.0.0.1:80"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Hop{
		{Raw: "10.0.0.1:5000", Addr: netip.MustParseAddr("10.0.0.1"), Port: 5000, Trusted: true},
		{Raw: "10.0.0.2", Addr: netip.MustParseAddr("10.0.0.2"), Trusted: true, By: "10.0.0.1:80"},
		{Raw: "[2001:db8::1]:4711", Addr: netip.MustParseAddr("2001:db8::1"), Port: 4711, By: "10.0.0.2:80"},
	}
	if !slices.Equal(res.Hops, want) {
		t.Errorf("Hops =\n%+v\nwant\n%+v", res.Hops, want)
	}
	// X-Forwarded-By that does not line up with X-Forwarded-For is not used.
	res, _ = r.Resolve(Point{RemoteAddr: "10.0.0.1:5000"}, hdr(
		"X-Forwarded-For", "1.2.3.4, 10.0.0.2", "X-Forwarded-By", "10.0.0.1:80"))
	for _, h := range res.Hops {
		if h.By != "" {
			t.Errorf("hop %+v has By from a misaligned X-Forwarded-By", h)
		}
	}
	// Forwarded by= goes with the hop of the element's for=.
	r = mustNew(t, TrustProxies("10.0.0.0/8"), FromForwarded())
	res, _ = r.Resolve(Point{RemoteAddr: "10.0.0.1:5000"}, hdr("Forwarded", `for=1.2.3.4;by="[2001:db8::9]:80", for=10.0.0.2;by=10.0.0.1`))
	if got := []string{res.Hops[1].By, res.Hops[2].By}; !slices.Equal(got, []string{"10.0.0.1", "[2001:db8::9]:80"}) {
		t.Errorf("By = %q", got)
	}
}

func TestNilResolverAndHeader(t *testing.T) {
	var r *Resolver
	res, err := r.Resolve(Point{RemoteAddr: "[::ffff:192.0.2.1]:80"}, hdr("X-Forwarded-For", "1.2.3.4"))
	if err != nil || res.Client.String() != "192.0.2.1" || res.Origin.RemoteAddr != "192.0.2.1:80" {
		t.Errorf("nil Resolver: %+v, %v", res, err)
	}
	r = mustNew(t, TrustAll(), FromXForwardedFor())
	if c, err := r.Client(Point{RemoteAddr: "192.0.2.1:80"}, nil); err != nil || c.String() != "192.0.2.1" {
		t.Errorf("nil Header: %v, %v", c, err)
	}
}

// headerFunc adapts a function to Header, as a fasthttp adapter would.
type headerFunc func(string) []string

func (f headerFunc) Values(k string) []string { return f(k) }

func TestHeaderInterface(t *testing.T) {
	r := mustNew(t, TrustProxies("loopback"), FromXForwardedFor())
	h := headerFunc(func(k string) []string {
		if strings.EqualFold(k, "x-forwarded-for") {
			return []string{"198.51.100.7"}
		}
		return nil
	})
	if c, err := r.Client(Point{RemoteAddr: "127.0.0.1:1"}, h); err != nil || c.String() != "198.51.100.7" {
		t.Errorf("Client = %v, %v", c, err)
	}
}

func TestCaps(t *testing.T) {
	list := func(n int, item string) string {
		return strings.TrimSuffix(strings.Repeat(item+", ", n), ", ")
	}
	xff := mustNew(t, TrustAll(), FromXForwardedFor())
	fwd := mustNew(t, TrustAll(), FromForwarded())
	peer := Point{RemoteAddr: "10.0.0.1:1"}
	for _, tc := range []struct {
		name string
		r    *Resolver
		h    http.Header
		err  error
	}{
		{"XFF at MaxHops", xff, hdr("X-Forwarded-For", list(MaxHops, "10.0.0.2")), nil},
		{"XFF over MaxHops", xff, hdr("X-Forwarded-For", list(MaxHops+1, "10.0.0.2")), ErrTooManyHops},
		{"XFF over MaxHops in lines", xff, hdr("X-Forwarded-For", list(MaxHops, "10.0.0.2"), "X-Forwarded-For", "10.0.0.3"), ErrTooManyHops},
		{"XFF over MaxHeaderBytes", xff, hdr("X-Forwarded-For", "10.0.0.2,"+strings.Repeat(" ", MaxHeaderBytes)), ErrHeaderTooLarge},
		{"Forwarded at MaxHops", fwd, hdr("Forwarded", list(MaxHops, "for=10.0.0.2")), nil},
		{"Forwarded over MaxHops", fwd, hdr("Forwarded", list(MaxHops+1, "for=10.0.0.2")), ErrTooManyHops},
		{"Forwarded over MaxHeaderBytes", fwd, hdr("Forwarded", strings.Repeat("x", MaxHeaderBytes+1)), ErrHeaderTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tc.r.Resolve(peer, tc.h)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if tc.err == nil && len(res.Hops) != MaxHops+1 {
				t.Errorf("%d hops", len(res.Hops))
			}
			if tc.err != nil && res.Client.IsValid() {
				t.Errorf("client %v despite %v", res.Client, err)
			}
		})
	}
	if _, err := ParseXForwardedFor([]string{list(MaxHops+1, "1.2.3.4")}); !errors.Is(err, ErrTooManyHops) {
		t.Errorf("ParseXForwardedFor: %v", err)
	}
	if _, err := ParseForwarded([]string{list(MaxHops+1, "for=1.2.3.4")}); !errors.Is(err, ErrTooManyHops) {
		t.Errorf("ParseForwarded: %v", err)
	}
	if _, err := ParseForwarded([]string{strings.Repeat(" ", MaxHeaderBytes+1)}); !errors.Is(err, ErrHeaderTooLarge) {
		t.Errorf("ParseForwarded: %v", err)
	}
	// An oversized X-Forwarded-Proto is ignored, not an error.
	res, err := xff.Resolve(Point{Scheme: "http", RemoteAddr: "10.0.0.1:1"}, hdr("X-Forwarded-Proto", "https,"+strings.Repeat(" ", MaxHeaderBytes)))
	if err != nil || res.Origin.Scheme != "http" {
		t.Errorf("oversized X-Forwarded-Proto: %+v, %v", res.Origin, err)
	}
}

func TestHopErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		e    HopError
		want string
	}{
		{HopError{Source: "X-Forwarded-For", Hop: 2, Raw: "garbage"}, `ip: unidentified hop 2 in X-Forwarded-For: "garbage" is not an IP address`},
		{HopError{Source: SourceRemoteAddr, Raw: "@"}, `ip: unidentified hop 0 in the remote address: "@" is a Unix socket, which has no IP address`},
		{HopError{Source: SourceRemoteAddr, Raw: "nonsense"}, `ip: unidentified hop 0 in the remote address: "nonsense" is not an IP address`},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %s, want %s", got, tc.want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	r := mustNew(t, TrustProxies("10.0.0.0/8"), FromXForwardedFor())
	h := hdr("X-Forwarded-For", "1.2.3.4, 10.0.0.2", "X-Forwarded-Proto", "https")
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 200 {
				res, err := r.Resolve(Point{RemoteAddr: "10.0.0.1:1"}, h)
				if err != nil || res.Client.String() != "1.2.3.4" {
					t.Errorf("Resolve = %v, %v", res.Client, err)
					return
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
}
