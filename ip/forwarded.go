package ip

import (
	"fmt"
	"net/netip"
	"strings"
)

// Element is one forwarded-element of a Forwarded header (RFC 7239): the
// record one proxy added. Values are unquoted and unescaped.
type Element struct {
	// For is the node the proxy received the request from ("192.0.2.43",
	// "[2001:db8::1]:4711", "unknown", "_hidden").
	For string
	// By is the proxy's interface that received the request.
	By string
	// Host is the Host header the proxy received.
	Host string
	// Proto is the scheme the proxy received the request with.
	Proto string
	// Ext holds the extension parameters, by lower-case name; nil when there
	// are none.
	Ext map[string]string
	// Invalid reports an element that breaks the grammar: a parameter given
	// twice (names compare case-insensitively), a for= or by= value that is not
	// a node, a malformed pair. The other fields of an invalid element are
	// empty; in a trust walk it is an unidentified hop.
	Invalid bool
}

// Node is a parsed for= or by= value (RFC 7239 section 6).
type Node struct {
	// Addr is the node's IP address, canonical; the zero Addr for "unknown"
	// and obfuscated nodes.
	Addr netip.Addr
	// Port is the node's numeric port, or 0.
	Port uint16
	// Name is "unknown" (as written) or an obfuscated identifier such as
	// "_hidden"; empty for an IP address.
	Name string
	// ObfPort is an obfuscated port such as "_port1", or empty.
	ObfPort string
}

// ParseNode parses v, the unquoted value of a for= or by= parameter, as
// ParseForwarded does for an unquoted value: an IPv4 address, a bracketed
// IPv6 address, "unknown" or an obfuscated identifier ("_" followed by letters,
// digits, ".", "_" or "-"), each optionally followed by ":" and a port in
// 1..65535 or an obfuscated port; or a bare IPv6 address, when the whole of v
// parses as one. Zones, 0.0.0.0, :: and bracketed IPv4 are rejected.
func ParseNode(v string) (Node, error) {
	n, ok := parseNode(v, false)
	if !ok {
		return Node{}, fmt.Errorf("ip: %q is not a Forwarded node", v)
	}
	return n, nil
}

// ParseForwarded parses the field lines of a Forwarded header, leniently:
// every line counts, in order; empty list elements are skipped; spaces and
// tabs are allowed around ";" and ","; unquoted values may hold ":", "[" and
// "]" ("for=[2001:db8::1]:80", "for=192.0.2.1:80", "host=example.com:8080");
// a bare IPv6 address, quoted or not ("for=2001:db8::1",
// for="2001:db8::1"), is accepted when the whole value parses as one.
// Whitespace around "=", zones and bad ports are not.
//
// An element that breaks the grammar is returned with Invalid set, so that
// positions stay aligned with the hops. An unterminated quoted string makes
// the header unparseable: ParseForwarded returns ErrUnterminatedQuote
// (wrapped, naming the line). More than MaxHops elements or MaxHeaderBytes
// bytes give ErrTooManyHops or ErrHeaderTooLarge.
func ParseForwarded(lines []string) ([]Element, error) {
	return parseForwarded(lines, false)
}

// ParseForwardedStrict parses the field lines of a Forwarded header exactly
// as RFC 7239 says: values that are not tokens must be quoted (so IPv6 and
// ports are "[2001:db8::1]:80" in quotes), IPv6 must be bracketed, no
// whitespace is allowed inside an element, proto must be a URI scheme and
// host a valid host. Errors and Invalid elements are as for ParseForwarded.
func ParseForwardedStrict(lines []string) ([]Element, error) {
	return parseForwarded(lines, true)
}

func parseForwarded(lines []string, strict bool) ([]Element, error) {
	if err := checkSize(lines); err != nil {
		return nil, err
	}
	var out []Element
	for li, line := range lines {
		for pos := 0; ; {
			el, ok, err := nextElement(line, &pos)
			if err != nil {
				return nil, fmt.Errorf("ip: Forwarded field line %d: %w", li+1, err)
			}
			if !ok {
				break
			}
			if len(out) == MaxHops {
				return nil, ErrTooManyHops
			}
			var ext map[string]string
			e := parseElement(el, strict, &ext)
			if e.invalid {
				out = append(out, Element{Invalid: true})
				continue
			}
			out = append(out, Element{For: e.forV, By: e.byV, Host: e.host, Proto: e.proto, Ext: ext})
		}
	}
	return out, nil
}

// checkSize applies MaxHeaderBytes to a header's field lines.
func checkSize(lines []string) error {
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	if n > MaxHeaderBytes {
		return ErrHeaderTooLarge
	}
	return nil
}

// nextElement returns the next non-empty element of a Forwarded field line,
// starting at *pos, without the spaces around it. Commas inside quoted
// strings do not separate elements. ok is false at the end of the line.
func nextElement(line string, pos *int) (el string, ok bool, err error) {
	i := *pos
	for i < len(line) {
		start, inQuote := i, false
	scan:
		for ; i < len(line); i++ {
			switch c := line[i]; {
			case inQuote && c == '\\':
				i++ // skip the escaped character
			case c == '"':
				inQuote = !inQuote
			case c == ',' && !inQuote:
				break scan
			}
		}
		if inQuote {
			return "", false, ErrUnterminatedQuote
		}
		el = trimOWS(line[start:i])
		i++ // past the comma
		*pos = i
		if el != "" {
			return el, true, nil
		}
	}
	*pos = i
	return "", false, nil
}

// fwdElem is a parsed element; strings point into the header unless a quoted
// string held escapes.
type fwdElem struct {
	forV, byV, host, proto string
	hasFor, hasBy          bool
	hasHost, hasProto      bool
	forNode, byNode        Node
	invalid                bool
}

// maxExt bounds the extension parameters of one element.
const maxExt = 16

// parseElement parses one element. When ext is not nil, extension parameters
// are stored in *ext (allocated on first use).
func parseElement(el string, strict bool, ext *map[string]string) (e fwdElem) {
	var extNames [maxExt]string
	nExt := 0
	bad := func() fwdElem { return fwdElem{invalid: true} }
	for i := 0; i < len(el); {
		if el[i] == ';' {
			i++
			if !strict {
				i = skipOWS(el, i)
			}
			continue
		}
		j := i
		for j < len(el) && isTchar(el[j]) {
			j++
		}
		if j == i || j == len(el) || el[j] != '=' {
			return bad()
		}
		name := el[i:j]
		i = j + 1
		var val string
		quoted := i < len(el) && el[i] == '"'
		if quoted {
			k, escaped := i+1, false
			for ; k < len(el) && el[k] != '"'; k++ {
				c := el[k]
				if c == '\\' {
					escaped = true
					k++
					if k == len(el) || !isQuotedPairChar(el[k]) {
						return bad()
					}
				} else if !isQdtext(c) {
					return bad()
				}
			}
			if k == len(el) {
				return bad()
			}
			val = el[i+1 : k]
			if escaped {
				val = unescape(val)
			}
			i = k + 1
		} else {
			k := i
			for k < len(el) && (isTchar(el[k]) || !strict && (el[k] == ':' || el[k] == '[' || el[k] == ']')) {
				k++
			}
			if k == i {
				return bad()
			}
			val = el[i:k]
			i = k
		}
		if !strict {
			i = skipOWS(el, i)
		}
		if i < len(el) {
			if el[i] != ';' {
				return bad()
			}
			i++
			if !strict {
				i = skipOWS(el, i)
			}
		}
		switch {
		case strings.EqualFold(name, "for"):
			n, ok := parseNode(val, strict)
			if e.hasFor || !ok {
				return bad()
			}
			e.hasFor, e.forV, e.forNode = true, val, n
		case strings.EqualFold(name, "by"):
			n, ok := parseNode(val, strict)
			if e.hasBy || !ok {
				return bad()
			}
			e.hasBy, e.byV, e.byNode = true, val, n
		case strings.EqualFold(name, "host"):
			if e.hasHost {
				return bad()
			}
			if strict {
				if _, _, ok := SplitHost(val); !ok {
					return bad()
				}
			}
			e.hasHost, e.host = true, val
		case strings.EqualFold(name, "proto"):
			if e.hasProto || strict && !isScheme(val) {
				return bad()
			}
			e.hasProto, e.proto = true, val
		default:
			if nExt == maxExt {
				return bad()
			}
			for _, seen := range extNames[:nExt] {
				if strings.EqualFold(seen, name) {
					return bad()
				}
			}
			extNames[nExt] = name
			nExt++
			if ext != nil {
				if *ext == nil {
					*ext = make(map[string]string)
				}
				(*ext)[strings.ToLower(name)] = val
			}
		}
	}
	return e
}

// parseNode parses a for= or by= value. A bare IPv6 address, quoted or not,
// is accepted only when not strict: RFC 7239 wants "[...]" in quotes, but
// proxies and libraries that write for="2001:db8::1" are common, and the
// whole value must still parse as one address, so nothing else can pass as
// one.
func parseNode(v string, strict bool) (Node, bool) {
	var n Node
	if v == "" {
		return n, false
	}
	portStr, hasPort := "", false
	switch {
	case v[0] == '[':
		end := strings.IndexByte(v, ']')
		if end < 0 || strings.IndexByte(v[:end], '%') >= 0 {
			return n, false
		}
		a, err := netip.ParseAddr(v[1:end])
		if err != nil || !a.Is6() {
			return n, false
		}
		n.Addr = a.Unmap()
		if rest := v[end+1:]; rest != "" {
			if rest[0] != ':' {
				return n, false
			}
			portStr, hasPort = rest[1:], true
		}
	case !strict && strings.Count(v, ":") > 1:
		if strings.IndexByte(v, '%') >= 0 {
			return n, false
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return n, false
		}
		n.Addr = a.Unmap()
	default:
		name := v
		if i := strings.IndexByte(v, ':'); i >= 0 {
			name, portStr, hasPort = v[:i], v[i+1:], true
		}
		switch {
		case name == "":
			return n, false
		case strings.EqualFold(name, "unknown"), isObfuscated(name):
			n.Name = name
		default:
			a, err := netip.ParseAddr(name)
			if err != nil || !a.Is4() {
				return n, false
			}
			n.Addr = a
		}
	}
	if n.Addr.IsUnspecified() {
		return Node{}, false
	}
	if hasPort {
		if p, ok := parsePort(portStr); ok {
			n.Port = p
		} else if isObfuscated(portStr) {
			n.ObfPort = portStr
		} else {
			return Node{}, false
		}
	}
	return n, true
}

// isObfuscated reports whether s is an obfnode or obfport: "_" followed by
// one or more letters, digits, ".", "_" or "-".
func isObfuscated(s string) bool {
	if len(s) < 2 || s[0] != '_' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// isScheme reports whether s is a URI scheme (RFC 3986 section 3.1).
func isScheme(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alpha := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !alpha && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// isTchar reports whether c is a token character (RFC 9110 section 5.6.2).
func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// isQdtext reports whether c may appear unescaped in a quoted string.
func isQdtext(c byte) bool {
	return c == '\t' || c == ' ' || c == 0x21 || 0x23 <= c && c <= 0x5b || 0x5d <= c && c <= 0x7e || c >= 0x80
}

// isQuotedPairChar reports whether c may follow a backslash in a quoted string.
func isQuotedPairChar(c byte) bool {
	return c == '\t' || c == ' ' || 0x21 <= c && c <= 0x7e || c >= 0x80
}

// unescape removes the backslashes of quoted pairs.
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func skipOWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}
