package ip

import (
	"net/netip"
	"strings"
	"testing"
)

// ipv4Inputs are the table of TestParseIPv4 and the seeds of FuzzParseIPv4:
// what netip.ParseAddr takes as IPv4, and the ways to get it almost right.
var ipv4Inputs = []string{
	"192.0.2.1", "0.0.0.0", "255.255.255.255", "10.1.2.3", "1.2.3.4", "203.0.113.195",
	"256.1.1.1", "1.2.3.256", "1.2.3.1000", "01.2.3.4", "1.2.3.04", "1.2.3.00", "00.0.0.0",
	"1.2.3", "1.2.3.4.5", "1..3.4", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4:80",
	"1.2.3.4%eth0", "::1", "::ffff:1.2.3.4", "2001:db8::1", "a.b.c.d", "1.2.3.-4", "1.2.3.+4",
	"", ".", "....", "999999999999.1.1.1", "1.2.3.4\x00",
}

// TestParseIPv4 checks the IPv4 fast path against netip.ParseAddr: it takes
// exactly the IPv4 addresses netip.ParseAddr takes, with the same result,
// and leaves everything else (IPv6 included) to netip.
func TestParseIPv4(t *testing.T) {
	for _, s := range ipv4Inputs {
		checkParseIPv4(t, s)
	}
}

func FuzzParseIPv4(f *testing.F) {
	for _, s := range ipv4Inputs {
		f.Add(s)
	}
	f.Fuzz(checkParseIPv4)
}

func checkParseIPv4(t *testing.T, s string) {
	got, ok := parseIPv4(s)
	want, err := netip.ParseAddr(s)
	if wantOK := err == nil && want.Is4(); ok != wantOK || ok && got != want {
		t.Errorf("parseIPv4(%q) = %v, %v; netip.ParseAddr gives %v, %v", s, got, ok, want, err)
	}
	if !ok && got.IsValid() {
		t.Errorf("failed parseIPv4(%q) returned %v", s, got)
	}
}

// TestTrustsIPv4 checks the IPv4 ranges a Resolver compares as numbers
// against netip.Prefix.Contains, at and around the edges of each range.
func TestTrustsIPv4(t *testing.T) {
	specs := []string{"10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12", "203.0.113.7", "198.51.100.128/25", "100.64.0.0/255.192.0.0"}
	r, err := New(TrustProxies(specs...), FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	var addrs []netip.Addr
	for _, p := range r.Prefixes() {
		first := p.Masked().Addr()
		n := uint4(first) | ^uint32(0)>>p.Bits()
		last := netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
		addrs = append(addrs, first, last, first.Prev(), last.Next())
	}
	for _, a := range addrs {
		want := false
		for _, p := range r.Prefixes() {
			want = want || p.Contains(a)
		}
		if got := r.trusts(a, 1); got != want {
			t.Errorf("trusts(%v) = %v, want %v", a, got, want)
		}
	}
}

// xffLines are the table of TestLastIPv4 and the seeds of FuzzLastIPv4.
var xffLines = []string{
	"203.0.113.195, 192.168.1.20, 10.1.2.3", "1.2.3.4", " 1.2.3.4 ", "\t1.2.3.4\t,5.6.7.8", ",1.2.3.4,",
	"0.0.0.0", "01.2.3.4", "1.2.3.04", "1.2.3.256", "1.2.3.1000", "11234.1.1.1", "1.2.3", "1.2.3.4.5",
	"1.2.3.4:80", "[::1]", "2001:db8::1", "x1.2.3.4", "1.2.3.4x", "1.2.3.4 5.6.7.8", ", ,", "", "255.255.255.255",
	"0.0.0.1", "10.0.0.0", "1..2.3", ".1.2.3.4",
}

// TestLastIPv4 checks the right-to-left reading of X-Forwarded-For entries
// against the general way (the last comma, trimming, parseHop) at every end
// the walk can reach: they agree on every entry that reading takes, and it
// takes every bare IPv4 entry but 0.0.0.0.
func TestLastIPv4(t *testing.T) {
	for _, line := range xffLines {
		checkLastIPv4(t, line)
	}
}

func FuzzLastIPv4(f *testing.F) {
	for _, line := range xffLines {
		f.Add(line)
	}
	f.Fuzz(checkLastIPv4)
}

func checkLastIPv4(t *testing.T, line string) {
	for end := len(line); end >= 0; end-- {
		start := strings.LastIndexByte(line[:end], ',') + 1
		item := trimOWS(line[start:end])
		want, port, wantOK := parseHop(item)
		bare, _ := parseIPv4(item)
		got, comma, ok := lastIPv4(line, end)
		switch {
		case ok && (!wantOK || got != want || port != 0 || comma != start-1):
			t.Errorf("lastIPv4(%q, %d) = %v, comma %d; the general way reads %q: %v, %d, %v, comma %d", line, end, got, comma, item, want, port, wantOK, start-1)
		case !ok && wantOK && bare == want:
			t.Errorf("lastIPv4(%q, %d) leaves the bare IPv4 entry %q to the general way", line, end, item)
		}
	}
}
