package fasthttp

import (
	"net"
	"testing"
)

// TestAppendTCPAddr checks that the socket peer formatted without
// allocating reads exactly as net.TCPAddr.String has it.
func TestAppendTCPAddr(t *testing.T) {
	addrs := []*net.TCPAddr{
		{IP: net.IPv4(192, 0, 2, 1), Port: 1234},            // 16-byte IPv4
		{IP: net.IP{10, 0, 0, 1}, Port: 80},                 // 4-byte IPv4
		{IP: net.ParseIP("2001:db8::1"), Port: 443},         // IPv6
		{IP: net.ParseIP("::ffff:203.0.113.7"), Port: 8080}, // IPv4-mapped
		{IP: net.ParseIP("fe80::1"), Port: 1, Zone: "eth0"}, // zone: net formats it
		{IP: net.ParseIP("::1"), Port: 0},
		{IP: nil, Port: 9}, // no address: net formats it
	}
	for _, a := range addrs {
		if got, want := string(appendTCPAddr(nil, a)), a.String(); got != want {
			t.Errorf("appendTCPAddr(%#v) = %q, want %q", a, got, want)
		}
	}
	a := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 1234}
	var buf [64]byte
	if n := testing.AllocsPerRun(100, func() { appendTCPAddr(buf[:0], a) }); n != 0 {
		t.Errorf("appendTCPAddr allocates %v times, want 0", n)
	}
}
