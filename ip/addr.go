package ip

import (
	"net/netip"
	"strings"
)

// maxHostLen bounds a host name (253 octets for a DNS name, plus a port).
const maxHostLen = 261

// ParsePeer parses the socket peer address as the server reports it
// (net/http's Request.RemoteAddr, fasthttp's RemoteAddr().String()):
// "ip:port", "[ipv6]:port" or a bare IP. Spaces and tabs around it are ignored.
//
// A Unix-socket peer ("", "@", a path starting with "/", or an abstract name
// starting with "@") gives unix = true, the zero AddrPort and no error.
//
// The address is canonical: an IPv4-mapped IPv6 address is unmapped, a zone is
// dropped. Anything else, including 0.0.0.0 and ::, gives a *HopError for hop 0.
func ParsePeer(remoteAddr string) (addr netip.AddrPort, unix bool, err error) {
	a, port, kind := parsePeer(remoteAddr)
	switch kind {
	case peerUnix:
		return netip.AddrPort{}, true, nil
	case peerBad:
		return netip.AddrPort{}, false, &HopError{Source: SourceRemoteAddr, Raw: remoteAddr}
	}
	return netip.AddrPortFrom(a, port), false, nil
}

type peerKind uint8

const (
	peerIP peerKind = iota
	peerUnix
	peerBad
)

func parsePeer(s string) (netip.Addr, uint16, peerKind) {
	s = trimOWS(s)
	if isUnix(s) {
		return netip.Addr{}, 0, peerUnix
	}
	a, port, ok := parseHop(s)
	if !ok {
		return netip.Addr{}, 0, peerBad
	}
	return a, port, peerIP
}

// isUnix reports whether a trimmed remote address names a Unix socket.
func isUnix(s string) bool {
	return s == "" || s[0] == '@' || s[0] == '/'
}

// parseHop parses one X-Forwarded-For entry or one-IP header value: "1.2.3.4",
// "1.2.3.4:80", "2001:db8::1", "[2001:db8::1]" or "[2001:db8::1]:80". IPv6
// zones are accepted and dropped; the result is unmapped; 0.0.0.0 and :: and
// port 0 are rejected. s must already be trimmed.
func parseHop(s string) (addr netip.Addr, port uint16, ok bool) {
	if s == "" {
		return netip.Addr{}, 0, false
	}
	if addr, ok = parseIPv4(s); ok { // the common entry: a bare IPv4 address
		if addr == netip.IPv4Unspecified() {
			return netip.Addr{}, 0, false // as canonical has it
		}
		return addr, 0, true
	}
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return netip.Addr{}, 0, false
		}
		if rest := s[end+1:]; rest != "" {
			if rest[0] != ':' {
				return netip.Addr{}, 0, false
			}
			if port, ok = parsePort(rest[1:]); !ok {
				return netip.Addr{}, 0, false
			}
		}
		addr, ok = parseIP(s[1:end])
		if !ok || !addr.Is6() {
			return netip.Addr{}, 0, false
		}
		return canonical(addr, port)
	}
	if i := strings.IndexByte(s, ':'); i >= 0 && strings.IndexByte(s[i+1:], ':') < 0 {
		// Exactly one colon: IPv4 with a port.
		if port, ok = parsePort(s[i+1:]); !ok {
			return netip.Addr{}, 0, false
		}
		addr, ok = parseIP(s[:i])
		if !ok || !addr.Is4() {
			return netip.Addr{}, 0, false
		}
		return canonical(addr, port)
	}
	addr, ok = parseIP(s)
	if !ok {
		return netip.Addr{}, 0, false
	}
	return canonical(addr, 0)
}

// canonical unmaps addr and rejects the unspecified addresses.
func canonical(addr netip.Addr, port uint16) (netip.Addr, uint16, bool) {
	addr = addr.Unmap()
	if addr.IsUnspecified() {
		return netip.Addr{}, 0, false
	}
	return addr, port, true
}

// parseIP parses an IPv4 or IPv6 literal. An IPv6 zone ("%eth0") must consist
// of unreserved characters (RFC 6874) and is dropped without being parsed, so
// that no zone string is allocated.
func parseIP(s string) (netip.Addr, bool) {
	if i := strings.IndexByte(s, '%'); i >= 0 {
		zone := s[i+1:]
		if zone == "" || strings.IndexByte(s[:i], ':') < 0 {
			return netip.Addr{}, false
		}
		for j := 0; j < len(zone); j++ {
			if !isUnreserved(zone[j]) {
				return netip.Addr{}, false
			}
		}
		s = s[:i]
	}
	if a, ok := parseIPv4(s); ok {
		return a, true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a, true
}

// parseIPv4 parses a dotted-decimal IPv4 address ("192.0.2.1") and accepts
// exactly what netip.ParseAddr accepts as one: four fields of 0 to 255, no
// leading zeros, nothing else. ok is false for anything else, IPv6
// included, which the caller then gives to netip.ParseAddr. It costs a
// quarter of netip.ParseAddr, which the walk calls for every hop.
func parseIPv4(s string) (addr netip.Addr, ok bool) {
	var ip [4]byte
	i := 0
	for field := range 4 {
		if field > 0 {
			if i >= len(s) || s[i] != '.' {
				return netip.Addr{}, false
			}
			i++
		}
		// One to three digits, the first not a leading zero.
		if i >= len(s) || s[i]-'0' > 9 {
			return netip.Addr{}, false
		}
		v := int(s[i] - '0')
		i++
		if i < len(s) && s[i]-'0' <= 9 {
			if v == 0 {
				return netip.Addr{}, false
			}
			v = v*10 + int(s[i]-'0')
			i++
			if i < len(s) && s[i]-'0' <= 9 {
				if v = v*10 + int(s[i]-'0'); v > 255 {
					return netip.Addr{}, false
				}
				i++
			}
		}
		ip[field] = byte(v)
	}
	if i != len(s) {
		return netip.Addr{}, false // a fourth digit, a fifth field, anything else
	}
	return netip.AddrFrom4(ip), true
}

// lastIPv4 reads the item of an X-Forwarded-For line that ends at line[end-1],
// right to left, when it is a bare IPv4 address other than 0.0.0.0, as
// parseHop takes it: it returns the address and the index of the comma before
// the item (-1 at the start of the line). ok is false for any other item, which
// the caller then finds and parses the general way. Reading the address where
// it lies saves the search for the comma, the trimming and a second pass over
// the digits, for the entry proxy chains are made of.
func lastIPv4(line string, end int) (addr netip.Addr, comma int, ok bool) {
	i := end - 1
	for i >= 0 && (line[i] == ' ' || line[i] == '\t') {
		i--
	}
	var ip [4]byte
	for field := 3; field >= 0; field-- {
		if field < 3 {
			if i < 0 || line[i] != '.' {
				return netip.Addr{}, 0, false
			}
			i--
		}
		// One to three digits, read from the last; the first may be a zero
		// only when it is the only one.
		if i < 0 || line[i]-'0' > 9 {
			return netip.Addr{}, 0, false
		}
		v := int(line[i] - '0')
		i--
		if i >= 0 && line[i]-'0' <= 9 {
			v += 10 * int(line[i]-'0')
			i--
			if i >= 0 && line[i]-'0' <= 9 {
				if v += 100 * int(line[i]-'0'); v > 255 {
					return netip.Addr{}, 0, false
				}
				i--
			}
			if line[i+1] == '0' {
				return netip.Addr{}, 0, false // a leading zero
			}
		}
		ip[field] = byte(v)
	}
	for i >= 0 && (line[i] == ' ' || line[i] == '\t') {
		i--
	}
	if i >= 0 && line[i] != ',' || ip == [4]byte{} {
		return netip.Addr{}, 0, false // more of the item, or 0.0.0.0: the general way
	}
	return netip.AddrFrom4(ip), i, true
}

// parsePort parses a decimal port of one to five digits in 1..65535.
func parsePort(s string) (uint16, bool) {
	if len(s) == 0 || len(s) > 5 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if n == 0 || n > 65535 {
		return 0, false
	}
	return uint16(n), true
}

// SplitHost splits and validates a Host header value or a forwarded host
// ("example.com", "example.com:8080", "192.0.2.1:80", "[2001:db8::1]:443").
// The router uses it to build the local Point.
//
// host keeps the brackets of an IPv6 literal ("[2001:db8::1]"); port is 0
// when hostport has none. ok is false, and host and port are empty, when the
// value is not a valid host: empty, longer than 261 bytes, holding userinfo
// ("user@host"), a comma, a space or any other character outside letters,
// digits and "-._~", an IPv6 literal without brackets or with a zone, or a
// port that is empty, not decimal or not in 1..65535.
func SplitHost(hostport string) (host string, port int, ok bool) {
	s := hostport
	if s == "" || len(s) > maxHostLen {
		return "", 0, false
	}
	portStr, hasPort := "", false
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", 0, false
		}
		inner := s[1:end]
		if strings.IndexByte(inner, '%') >= 0 {
			return "", 0, false
		}
		a, err := netip.ParseAddr(inner)
		if err != nil || !a.Is6() {
			return "", 0, false
		}
		host = s[:end+1]
		if rest := s[end+1:]; rest != "" {
			if rest[0] != ':' {
				return "", 0, false
			}
			portStr, hasPort = rest[1:], true
		}
	} else {
		host = s
		if i := strings.IndexByte(s, ':'); i >= 0 {
			host, portStr, hasPort = s[:i], s[i+1:], true
		}
		if host == "" {
			return "", 0, false
		}
		for i := 0; i < len(host); i++ {
			if !isUnreserved(host[i]) {
				return "", 0, false
			}
		}
	}
	if hasPort {
		p, ok := parsePort(portStr)
		if !ok {
			return "", 0, false
		}
		port = int(p)
	}
	return host, port, true
}

// isUnreserved reports whether c is an RFC 3986 unreserved character.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// trimOWS removes spaces and horizontal tabs around s.
func trimOWS(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	return s[i:j]
}

// appendAddrPort appends the canonical text of addr, with ":port" (and
// brackets for IPv6) when port is not 0.
func appendAddrPort(b []byte, addr netip.Addr, port uint16) []byte {
	if port == 0 {
		return addr.AppendTo(b)
	}
	return netip.AddrPortFrom(addr, port).AppendTo(b)
}

// addrString returns the canonical text of addr and port, reusing raw (a
// substring of a header or of RemoteAddr) when it already is that text, so
// that the common case allocates nothing.
func addrString(addr netip.Addr, port uint16, raw string) string {
	var buf [64]byte
	b := appendAddrPort(buf[:0], addr, port)
	if string(b) == raw {
		return raw
	}
	return string(b)
}
