package ip

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

// TestClientOnHostileXForwardedFor walks X-Forwarded-For headers an attacker
// may write, behind a trusted peer, with Client (which reads bare IPv4 items
// right to left where they lie), ClientFrom (the peer given parsed, also
// IPv4-mapped, as a runtime may report it) and Resolve (which collects the
// items first): all three name the same client, or fail alike. An
// IPv4-mapped hop is trusted exactly when its IPv4 address is.
func TestClientOnHostileXForwardedFor(t *testing.T) {
	r, err := New(TrustProxies("10.0.0.0/8", "::ffff:192.168.0.0/112", "203.0.113.7"), FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	many := func(n int, item string) string { return strings.TrimSuffix(strings.Repeat(item+", ", n), ", ") }
	tests := []struct {
		name  string
		lines []string
		want  string // the client, or the error's text
	}{
		{"one address", []string{"1.2.3.4"}, "1.2.3.4"},
		{"trusted hops skipped", []string{"6.6.6.6, 10.0.0.2, 203.0.113.7"}, "6.6.6.6"},
		{"a mapped proxy is trusted", []string{"6.6.6.6, ::ffff:10.0.0.2"}, "6.6.6.6"},
		{"a mapped client is not", []string{"10.0.0.3, ::ffff:6.6.6.6"}, "6.6.6.6"},
		{"a mapped client in brackets with a port", []string{"10.0.0.3, [::ffff:6.6.6.6]:80"}, "6.6.6.6"},
		{"a mapped range spec trusts IPv4", []string{"6.6.6.6, 192.168.1.1"}, "6.6.6.6"},
		{"next to a single trusted address", []string{"6.6.6.6, 203.0.113.8"}, "203.0.113.8"},
		{"an IPv4-compatible address is IPv6", []string{"6.6.6.6, ::10.0.0.2"}, "::a00:2"},
		{"a port", []string{"6.6.6.6, 10.0.0.2:8080"}, "6.6.6.6"},
		{"a zone dropped", []string{"6.6.6.6, fe80::1%eth0"}, "fe80::1"},
		{"spaces, tabs and empty items", []string{" 6.6.6.6 ,\t10.0.0.2\t, ,,"}, "6.6.6.6"},
		{"commas only: the peer", []string{",,,"}, "10.0.0.1"},
		{"empty lines: the peer", []string{"", ""}, "10.0.0.1"},
		{"several field lines", []string{"6.6.6.6", "10.0.0.2, ", "10.0.0.3"}, "6.6.6.6"},
		{"leading zero", []string{"6.6.6.6, 010.0.0.1"}, `ip: unidentified hop 1 in X-Forwarded-For: "010.0.0.1" is not an IP address`},
		{"leading zero further out", []string{"6.6.6.6, 10.0.0.01, 10.0.0.2"}, `ip: unidentified hop 2 in X-Forwarded-For: "10.0.0.01" is not an IP address`},
		{"five fields", []string{"1.2.3.4.5"}, `ip: unidentified hop 1 in X-Forwarded-For: "1.2.3.4.5" is not an IP address`},
		{"three fields", []string{"6.6.6.6, 1.2.3"}, `ip: unidentified hop 1 in X-Forwarded-For: "1.2.3" is not an IP address`},
		{"a field over 255", []string{"256.1.1.1"}, `ip: unidentified hop 1 in X-Forwarded-For: "256.1.1.1" is not an IP address`},
		{"four digits", []string{"1.2.3.1000"}, `ip: unidentified hop 1 in X-Forwarded-For: "1.2.3.1000" is not an IP address`},
		{"0.0.0.0", []string{"6.6.6.6, 0.0.0.0"}, `ip: unidentified hop 1 in X-Forwarded-For: "0.0.0.0" is not an IP address`},
		{"two addresses in one item", []string{"1.2.3.4 10.0.0.2"}, `ip: unidentified hop 1 in X-Forwarded-For: "1.2.3.4 10.0.0.2" is not an IP address`},
		{"a folded line as received", []string{"6.6.6.6,\r\n 10.0.0.2"}, "ip: unidentified hop 1 in X-Forwarded-For: \"\\r\\n 10.0.0.2\" is not an IP address"},
		{"64 items", []string{"6.6.6.6, " + many(63, "10.0.0.2")}, "6.6.6.6"},
		{"65 items", []string{"6.6.6.6, " + many(64, "10.0.0.2")}, ErrTooManyHops.Error()},
		{"65 items over lines", []string{many(32, "10.0.0.2"), many(33, "10.0.0.3")}, ErrTooManyHops.Error()},
		{"many empty items are no items", []string{"6.6.6.6" + strings.Repeat(",", 200) + "10.0.0.2"}, "6.6.6.6"},
		{"a huge header", []string{"6.6.6.6," + strings.Repeat(" ", MaxHeaderBytes) + "10.0.0.2"}, ErrHeaderTooLarge.Error()},
	}
	answer := func(a netip.Addr, err error) string {
		if err != nil {
			if a.IsValid() {
				return "client " + a.String() + " with " + err.Error()
			}
			return err.Error()
		}
		return a.String()
	}
	for _, tt := range tests {
		h := http.Header{"X-Forwarded-For": tt.lines}
		local := Point{RemoteAddr: "10.0.0.1:5000"}
		res, err := r.Resolve(local, h)
		if got := answer(res.Client, err); got != tt.want {
			t.Errorf("%s: Resolve: %s, want %s", tt.name, got, tt.want)
		}
		if got := answer(r.Client(local, h)); got != tt.want {
			t.Errorf("%s: Client: %s, want %s", tt.name, got, tt.want)
		}
		for _, peer := range []netip.AddrPort{netip.MustParseAddrPort("10.0.0.1:5000"), netip.MustParseAddrPort("[::ffff:10.0.0.1]:5000")} {
			if got := answer(r.ClientFrom(peer, h)); got != tt.want {
				t.Errorf("%s: ClientFrom(%v): %s, want %s", tt.name, peer, got, tt.want)
			}
		}
	}
}
