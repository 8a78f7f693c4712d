package ip

import (
	"net/http"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// canonicalAddr reports whether a is a valid, canonical, specified address.
func canonicalAddr(a netip.Addr) bool {
	return a.IsValid() && a == a.Unmap().WithZone("") && !a.IsUnspecified()
}

// lines splits fuzz input into field lines at newlines.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func FuzzParseForwarded(f *testing.F) {
	for _, s := range []string{
		`for=192.0.2.43, for="[2001:db8:cafe::17]:4711";by=_x;proto=https;host=example.com`,
		"for=192.0.2.43;;proto=https,, for=198.51.100.17\nfor=unknown",
		`for="_gazonk:_port1";by=unknown;ext="a,b;c"`,
		"for=2001:db8::1 ; host=example.com:8080",
		`for="1.1.1.1, for=2.2.2.2`,
		`for=1.1.1.1;FOR=2.2.2.2, for="\"x\\"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := lines(s)
		lenient, lerr := ParseForwarded(in)
		strict, serr := ParseForwardedStrict(in)
		again, _ := ParseForwarded(in)
		if !reflect.DeepEqual(lenient, again) {
			t.Fatalf("not deterministic: %+v then %+v", lenient, again)
		}
		if (lerr == nil) != (serr == nil) {
			t.Fatalf("lenient err %v, strict err %v", lerr, serr)
		}
		if lerr != nil {
			return
		}
		if len(lenient) != len(strict) || len(lenient) > MaxHops {
			t.Fatalf("%d lenient and %d strict elements", len(lenient), len(strict))
		}
		for i, e := range lenient {
			if e.Invalid {
				if !reflect.DeepEqual(e, Element{Invalid: true}) {
					t.Fatalf("invalid element with fields: %+v", e)
				}
				if !strict[i].Invalid {
					t.Fatalf("element %d valid strictly but not leniently: %+v", i, strict[i])
				}
				continue
			}
			for _, v := range []string{e.For, e.By} {
				if v == "" {
					continue
				}
				n, err := ParseNode(v)
				if err != nil {
					t.Fatalf("valid element %+v has a bad node %q: %v", e, v, err)
				}
				if n.Addr.IsValid() && !canonicalAddr(n.Addr) {
					t.Fatalf("node %q: address %v not canonical", v, n.Addr)
				}
			}
			if !strict[i].Invalid && !reflect.DeepEqual(strict[i], e) {
				t.Fatalf("strict %+v differs from lenient %+v", strict[i], e)
			}
		}
	})
}

func FuzzXForwardedFor(f *testing.F) {
	for _, s := range []string{
		"192.0.2.1, [2001:db8::1]:80, 10.0.0.1:8080",
		" , ,::ffff:1.2.3.4,fe80::1%eth0\n2001:db8::1",
		"garbage, 0.0.0.0, ::, [1.2.3.4], 1.1.1.1%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := lines(s)
		hops, err := ParseXForwardedFor(in)
		again, _ := ParseXForwardedFor(in)
		if !reflect.DeepEqual(hops, again) {
			t.Fatalf("not deterministic")
		}
		if err != nil {
			if hops != nil {
				t.Fatalf("hops with error %v", err)
			}
			return
		}
		if len(hops) > MaxHops {
			t.Fatalf("%d hops", len(hops))
		}
		for _, h := range hops {
			if h.Raw == "" || h.Raw != trimOWS(h.Raw) || strings.Contains(h.Raw, ",") {
				t.Fatalf("raw entry %q", h.Raw)
			}
			if h.Trusted || h.By != "" {
				t.Fatalf("parser set trust: %+v", h)
			}
			if !h.Addr.IsValid() {
				if h.Port != 0 {
					t.Fatalf("port without address: %+v", h)
				}
				continue
			}
			if !canonicalAddr(h.Addr) {
				t.Fatalf("%q gave non-canonical %v", h.Raw, h.Addr)
			}
		}
		// Walked with TrustAll, the chain gives the same addresses,
		// closest first, up to the first that is not an IP.
		r, _ := New(TrustAll(), FromXForwardedFor())
		res, rerr := r.Resolve(Point{RemoteAddr: "192.0.2.200:1"}, http.Header{"X-Forwarded-For": in})
		for i := 1; i < len(res.Hops); i++ {
			if res.Hops[i].Addr != hops[len(hops)-i].Addr {
				t.Fatalf("hop %d: walk %v, parse %v", i, res.Hops[i].Addr, hops[len(hops)-i].Addr)
			}
		}
		if rerr == nil && len(res.Hops) != len(hops)+1 {
			t.Fatalf("walk gave %d hops for %d entries", len(res.Hops), len(hops))
		}
	})
}

func FuzzParseAddr(f *testing.F) {
	for _, s := range []string{
		"192.0.2.1", "192.0.2.1:80", "[2001:db8::1]:443", "fe80::1%eth0", "[fe80::1%eth0]:1",
		"::ffff:1.2.3.4", "0.0.0.0", "@", "", "example.com:8080", "[::1]", "1.1.1.1%", "_hidden:_p",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if a, port, ok := parseHop(s); ok {
			if !canonicalAddr(a) {
				t.Fatalf("parseHop(%q) = %v, not canonical", s, a)
			}
			text := string(appendAddrPort(nil, a, port))
			if a2, p2, ok2 := parseHop(text); !ok2 || a2 != a || p2 != port {
				t.Fatalf("parseHop(%q) = %v %d, but %q gives %v %d %v", s, a, port, text, a2, p2, ok2)
			}
		} else if a.IsValid() || port != 0 {
			t.Fatalf("failed parseHop(%q) returned %v %d", s, a, port)
		}

		ap, unix, err := ParsePeer(s)
		switch {
		case unix:
			if err != nil || ap.IsValid() {
				t.Fatalf("ParsePeer(%q): unix with %v %v", s, ap, err)
			}
		case err == nil:
			if !canonicalAddr(ap.Addr()) {
				t.Fatalf("ParsePeer(%q) = %v, not canonical", s, ap)
			}
			if a, p, ok := parseHop(trimOWS(s)); !ok || a != ap.Addr() || p != ap.Port() {
				t.Fatalf("ParsePeer and parseHop disagree on %q", s)
			}
		}

		if host, port, ok := SplitHost(s); ok {
			if host == "" || strings.ContainsAny(host, ", @\t") || port < 0 || port > 65535 {
				t.Fatalf("SplitHost(%q) = %q, %d", s, host, port)
			}
			text := host
			if port != 0 {
				text += ":" + strconv.Itoa(port)
			}
			if h2, p2, ok2 := SplitHost(text); !ok2 || h2 != host || p2 != port {
				t.Fatalf("SplitHost(%q) = %q %d, but %q gives %q %d %v", s, host, port, text, h2, p2, ok2)
			}
		} else if host != "" || port != 0 {
			t.Fatalf("failed SplitHost(%q) returned %q %d", s, host, port)
		}

		if n, err := ParseNode(s); err == nil {
			if n.Addr.IsValid() == (n.Name != "") || n.Addr.IsValid() && !canonicalAddr(n.Addr) {
				t.Fatalf("ParseNode(%q) = %+v", s, n)
			}
			if n.Port != 0 && n.ObfPort != "" {
				t.Fatalf("ParseNode(%q) has two ports: %+v", s, n)
			}
		}
	})
}

// fuzzResolvers are the configurations FuzzResolve picks from.
var fuzzResolvers = func() []*Resolver {
	var out []*Resolver
	for _, opts := range [][]Option{
		nil,
		{TrustProxies("private", "loopback"), FromXForwardedFor()},
		{TrustAll(), FromXForwardedFor()},
		{TrustHops(2), FromXForwardedFor()},
		{TrustProxies("10.0.0.0/8", "2001:db8::/32", "unix"), FromForwarded()},
		{TrustProxies("10.0.0.0/8", "2001:db8::/32"), FromForwarded(), Strict()},
		{TrustProxies("loopback"), FromHeader("X-Real-IP")},
		{TrustFunc(func(a netip.Addr, hop int) bool { return hop%2 == 0 || a.Is6() }), TrustProxies("unix"), FromXForwardedFor()},
		// Single addresses, a netmask, an IPv4-mapped range and a /31 and /32
		// at the edges of the masked IPv4 comparison.
		{TrustProxies("203.0.113.7", "::ffff:10.0.0.0/104", "100.64.0.0/255.192.0.0", "198.51.100.254/31", "1.2.3.4/32", "2001:db8::/32"), FromXForwardedFor()},
	} {
		r, err := New(opts...)
		if err != nil {
			panic(err)
		}
		out = append(out, r)
	}
	return out
}()

func FuzzResolve(f *testing.F) {
	f.Add(uint8(1), "10.0.0.1:5000", "1.2.3.4, 10.0.0.2", "", "", "https")
	f.Add(uint8(2), "@", "1.2.3.4, junk", "", "", "http, https")
	f.Add(uint8(3), "192.0.2.1:1", "6.6.6.6, 1.2.3.4, 198.51.100.1", "", "", "example.com:8443")
	f.Add(uint8(4), "10.0.0.1:5000", "", `for=1.2.3.4;proto=https;host=example.com, for="[2001:db8::1]:80"`, "", "91")
	f.Add(uint8(5), "[2001:db8::2]:1", "", "for=unknown, for=10.0.0.3", "", "")
	f.Add(uint8(6), "127.0.0.1:1", "", "", "::ffff:1.2.3.4", "on")
	f.Add(uint8(7), "", "10.0.0.1\n2001:db8::5, 10.0.0.9", "", "", "")
	f.Add(uint8(8), "203.0.113.7:1", "6.6.6.6, ::ffff:10.0.0.1, 10.1.2.3,\t1.2.3.4 ,,", "", "", "")
	f.Add(uint8(8), "1.2.3.4:1", "6.6.6.6, 198.51.100.255, 010.0.0.1, 100.127.255.255", "", "", "")
	f.Add(uint8(8), "[::ffff:203.0.113.7]:1", "1.2.3.4.5, 256.1.1.1\n1.2.3, 100.128.0.0", "", "", "")
	f.Add(uint8(8), "1.2.3.4:1", "::ffff:6.6.6.6,[::ffff:10.9.9.9]:80,fe80::1%eth0,2001:db8::1", "", "", "")
	f.Fuzz(func(t *testing.T, mode uint8, remote, xff, fwd, one, extra string) {
		r := fuzzResolvers[int(mode)%len(fuzzResolvers)]
		h := http.Header{}
		set := func(name, v string) {
			if v != "" {
				h[name] = lines(v)
			}
		}
		set("X-Forwarded-For", xff)
		set("Forwarded", fwd)
		set("X-Real-Ip", one)
		for _, name := range []string{hdrProto, hdrSSL, hdrHost, hdrPort, hdrBy} {
			set(name, extra)
		}
		local := Point{Scheme: "http", Host: "local.test", Port: 8080, RemoteAddr: remote}
		res, err := r.Resolve(local, h)
		res2, err2 := r.Resolve(local, h)
		if !reflect.DeepEqual(res, res2) || (err == nil) != (err2 == nil) {
			t.Fatalf("not deterministic: %+v %v then %+v %v", res, err, res2, err2)
		}
		client, cerr := r.Client(local, h)
		if client != res.Client || (cerr == nil) != (err == nil) || (err != nil && cerr.Error() != err.Error()) {
			t.Fatalf("Client() = %v %v, Resolve %v %v", client, cerr, res.Client, err)
		}
		// ClientFrom, given the peer already parsed, answers as Client.
		if ap, _, perr := ParsePeer(remote); perr == nil {
			from, ferr := r.ClientFrom(ap, h) // the zero AddrPort for a Unix socket
			if from != client || (ferr == nil) != (cerr == nil) {
				t.Fatalf("ClientFrom(%v) = %v %v, Client %v %v", ap, from, ferr, client, cerr)
			}
			if ap.Addr().Is4() {
				// A runtime may report an IPv4 peer IPv4-mapped.
				mapped := netip.AddrPortFrom(netip.AddrFrom16(ap.Addr().As16()), ap.Port())
				if from, ferr := r.ClientFrom(mapped, h); from != client || (ferr == nil) != (cerr == nil) {
					t.Fatalf("ClientFrom(%v) = %v %v, Client %v %v", mapped, from, ferr, client, cerr)
				}
			}
		}
		if len(res.Hops) == 0 || len(res.Hops) > MaxHops+1 {
			t.Fatalf("%d hops", len(res.Hops))
		}
		if err != nil {
			if res.Client.IsValid() {
				t.Fatalf("client %v with error %v", res.Client, err)
			}
		} else {
			if !canonicalAddr(res.Client) {
				t.Fatalf("client %v not canonical", res.Client)
			}
			last := res.Hops[len(res.Hops)-1]
			if last.Addr != res.Client {
				t.Fatalf("client %v is not the last hop %+v", res.Client, last)
			}
		}
		for i, hp := range res.Hops {
			if hp.Addr.IsValid() && !canonicalAddr(hp.Addr) {
				t.Fatalf("hop %d: %v not canonical", i, hp.Addr)
			}
			if i < len(res.Hops)-1 && !hp.Trusted {
				t.Fatalf("untrusted hop %d before the end: %+v", i, res.Hops)
			}
		}
		// The client is trusted only when every hop is.
		if err == nil && res.Hops[len(res.Hops)-1].Trusted {
			for _, hp := range res.Hops {
				if !hp.Trusted {
					t.Fatalf("trusted client behind an untrusted hop: %+v", res.Hops)
				}
			}
		}
		o := res.Origin
		if o.Scheme != "http" && o.Scheme != "https" {
			t.Fatalf("origin scheme %q", o.Scheme)
		}
		if o.Port < 1 || o.Port > 65535 {
			t.Fatalf("origin port %d", o.Port)
		}
		if o.Host != local.Host {
			if host, port, ok := SplitHost(o.Host); !ok || host != o.Host || port != 0 {
				t.Fatalf("origin host %q", o.Host)
			}
		}
		if o.Version != local.Version || o.Method != local.Method || o.URI != local.URI {
			t.Fatalf("origin changed unforwarded fields: %+v", o)
		}
	})
}
