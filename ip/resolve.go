package ip

import (
	"net/netip"
	"strings"
)

// noResolver stands in for a nil *Resolver: no trust, no source.
var noResolver Resolver

// entries holds the raw entries of the source header, in header order.
type entries [MaxHops]string

// walkState is the outcome of a walk.
type walkState struct {
	client      netip.Addr
	clientPort  uint16
	clientRaw   string
	clientHop   int // index of the client's hop; -1 when unknown
	peerTrusted bool
	collected   bool // the source header was read into the entries
	n           int  // number of entries
	err         error
}

// Resolve works out the client address, the hops that led to it and the
// origin of a request. local describes the connection the server accepted
// (local.RemoteAddr is the socket peer, as ParsePeer takes it); h gives the
// request headers and may be nil.
//
// The walk starts at the peer. If the peer is not trusted, or no source is
// configured, the peer is the client and no header is read. Otherwise the
// source header's entries are walked from the right (the one the peer
// added) to the left: the first hop that is not trusted is the client; when
// every hop is trusted, the furthest is. The walk stops with a *HopError at a
// hop that is not an IP address, and fails with ErrTooManyHops,
// ErrHeaderTooLarge, ErrUnterminatedQuote or ErrTooFewHops as those say. On
// error, Result.Client is the zero Addr, Result.Hops holds the hops walked
// (the last one being the culprit, when there is one) and Result.Origin is
// still valid: the error concerns the client only.
//
// The origin starts as local. When the peer is trusted, forwarded values
// replace its fields; a value that is not valid is ignored:
//
//   - With FromForwarded, proto= and host= come from the client's element, or
//     else from the nearest element towards the server that has a valid one.
//   - Otherwise the scheme comes from X-Forwarded-Proto, else
//     X-Forwarded-Protocol (http or https, any case, lower-cased), else
//     X-Forwarded-Ssl, else Front-End-Https ("on" is https, "off" http, any
//     case); the host from X-Forwarded-Host; the port from X-Forwarded-Port.
//     Every field line counts and empty items are dropped. One value is taken
//     as it is; with one value per X-Forwarded-For entry, the value at the
//     client's hop is taken; otherwise the rightmost, which the trusted peer
//     wrote. The leftmost value, which a client can write, is taken only when
//     it lines up with the client's hop.
//   - A forwarded host is lower-cased, as host names are case-insensitive.
//   - The port is the forwarded port, else the port of the forwarded host,
//     else, when a host or scheme was forwarded, the default port of the
//     origin scheme (80 or 443), else the local port.
//
// In the common case Resolve allocates only Result.Hops. A client token that
// is not in canonical form costs a string for Origin.RemoteAddr, a Forwarded
// value with escapes one for the unescaped value, and an error its value.
func (r *Resolver) Resolve(local Point, h Header) (Result, error) {
	if r == nil {
		r = &noResolver
	}
	var ents entries
	var res Result
	w := r.walk(peerOf(local.RemoteAddr), h, &ents, &res.Hops)
	res.Client = w.client
	res.Origin = r.origin(local, h, &w, &ents)
	if r.src == srcXFF && w.collected && len(res.Hops) > 1 {
		setXForwardedBy(h, res.Hops, w.n)
	}
	return res, w.err
}

// Client is Resolve without the hops and the origin: it returns the client
// address, or the zero Addr and the error Resolve would return. It allocates
// nothing, except for an error.
func (r *Resolver) Client(local Point, h Header) (netip.Addr, error) {
	if r == nil {
		r = &noResolver
	}
	return r.client(peerOf(local.RemoteAddr), h)
}

// ClientFrom is Client for a runtime that reports the socket peer already
// parsed (fasthttp's RequestCtx.RemoteIP, net.TCPAddr.AddrPort): it saves
// formatting the peer as text for Client to parse again. The zero AddrPort
// stands for a Unix-socket peer; an address is made canonical as ParsePeer
// makes it. It allocates nothing, except for an error.
func (r *Resolver) ClientFrom(peer netip.AddrPort, h Header) (netip.Addr, error) {
	if r == nil {
		r = &noResolver
	}
	p := socketPeer{kind: peerUnix, parsed: peer}
	if peer.Addr().IsValid() {
		var ok bool
		if p.addr, p.port, ok = canonical(peer.Addr().WithZone(""), peer.Port()); ok {
			p.kind = peerIP
		} else {
			p.kind = peerBad
		}
	}
	return r.client(p, h)
}

func (r *Resolver) client(sp socketPeer, h Header) (netip.Addr, error) {
	if r.src == srcXFF {
		if a, ok, err := r.clientXFF(sp, h); ok {
			return a, err
		}
	}
	var ents entries
	w := r.walk(sp, h, &ents, nil)
	return w.client, w.err
}

// clientXFF is walk for X-Forwarded-For without the hops: it reads the
// items right to left as it goes, instead of collecting them first, and
// stops at the client. ok is false for a header too large or with too many
// items for it to tell at once, which walk then answers.
func (r *Resolver) clientXFF(sp socketPeer, h Header) (client netip.Addr, ok bool, err error) {
	if !r.trustsPeer(sp.addr, sp.kind) {
		if sp.kind == peerIP {
			return sp.addr, true, nil
		}
		return netip.Addr{}, true, sp.err()
	}
	lines := values(h, r.header)
	size := 0
	for _, line := range lines {
		size += len(line)
	}
	if size > MaxHeaderBytes {
		return netip.Addr{}, false, nil
	}
	// A line holds at most one item more than its commas, and has at least
	// as many bytes as commas: only a long header needs counting.
	if size+len(lines) > MaxHops {
		items := 0
		for _, line := range lines {
			items += strings.Count(line, ",") + 1
		}
		if items > MaxHops {
			return netip.Addr{}, false, nil
		}
	}
	last, hop := sp.addr, 0
	for l := len(lines) - 1; l >= 0; l-- {
		line := lines[l]
		for end := len(line); end >= 0; {
			a, comma, ok := lastIPv4(line, end)
			if ok {
				end = comma
				hop++
			} else {
				start := strings.LastIndexByte(line[:end], ',') + 1
				item := trimOWS(line[start:end])
				end = start - 1
				if item == "" {
					continue
				}
				hop++
				if a, _, ok = parseHop(item); !ok {
					return netip.Addr{}, true, &HopError{Source: r.name, Hop: hop, Raw: item}
				}
			}
			if !r.trusts(a, hop) {
				return a, true, nil
			}
			last = a
		}
	}
	switch {
	case r.hops > 0:
		return netip.Addr{}, true, ErrTooFewHops
	case hop == 0 && sp.kind != peerIP:
		return netip.Addr{}, true, sp.err()
	}
	return last, true, nil
}

// socketPeer is the socket peer, parsed: from the text the runtime gave
// (raw), or as the runtime gave it parsed.
type socketPeer struct {
	addr   netip.Addr
	port   uint16
	kind   peerKind
	raw    string
	parsed netip.AddrPort // for ClientFrom; raw is then ""
}

func peerOf(remoteAddr string) socketPeer {
	a, port, kind := parsePeer(remoteAddr)
	return socketPeer{addr: a, port: port, kind: kind, raw: remoteAddr}
}

// err is the error for a peer that cannot be the client.
func (p *socketPeer) err() error {
	raw := p.raw
	if raw == "" && p.parsed.Addr().IsValid() {
		raw = p.parsed.String()
	}
	return &HopError{Source: SourceRemoteAddr, Raw: raw}
}

// walk walks the hops, appending them to *hops when hops is not nil.
func (r *Resolver) walk(sp socketPeer, h Header, ents *entries, hops *[]Hop) (w walkState) {
	w.clientHop = -1
	kind := sp.kind
	w.peerTrusted = r.trustsPeer(sp.addr, kind)
	hop0 := Hop{Raw: sp.raw, Addr: sp.addr, Port: sp.port, Trusted: w.peerTrusted}

	if !w.peerTrusted || r.src == srcNone {
		if hops != nil {
			*hops = []Hop{hop0}
		}
		if kind == peerIP {
			w.setClient(hop0, 0)
		} else {
			w.err = sp.err()
		}
		return w
	}
	n, err := r.collect(h, ents)
	if hops != nil {
		*hops = make([]Hop, 1, n+1)
		(*hops)[0] = hop0
	}
	if err != nil {
		w.err = err
		return w
	}
	w.collected, w.n = true, n

	last, lastHop := hop0, 0
	for i := 1; i <= n; i++ {
		hp, ok := r.parseEntry(ents[n-i])
		if ok {
			hp.Trusted = r.trusts(hp.Addr, i)
		}
		if hops != nil {
			*hops = append(*hops, hp)
		}
		if !ok {
			w.err = &HopError{Source: r.name, Hop: i, Raw: hp.Raw}
			return w
		}
		if !hp.Trusted {
			w.setClient(hp, i)
			return w
		}
		last, lastHop = hp, i
	}
	switch {
	case r.hops > 0:
		w.err = ErrTooFewHops
	case lastHop == 0 && kind != peerIP:
		w.err = sp.err()
	default:
		w.setClient(last, lastHop)
	}
	return w
}

func (w *walkState) setClient(h Hop, i int) {
	w.client, w.clientPort, w.clientRaw, w.clientHop = h.Addr, h.Port, h.Raw, i
}

// collect reads the source header into ents and returns the number of
// entries.
func (r *Resolver) collect(h Header, ents *entries) (int, error) {
	lines := values(h, r.header)
	if err := checkSize(lines); err != nil {
		return 0, err
	}
	n := 0
	switch r.src {
	case srcHeader:
		if len(lines) > 0 {
			ents[0] = trimOWS(lines[len(lines)-1])
			n = 1
		}
	case srcXFF:
		for _, line := range lines {
			for pos := 0; ; n++ {
				item, ok := nextItem(line, &pos)
				if !ok {
					break
				}
				if n == MaxHops {
					return 0, ErrTooManyHops
				}
				ents[n] = item
			}
		}
	case srcForwarded:
		for _, line := range lines {
			for pos := 0; ; n++ {
				el, ok, err := nextElement(line, &pos)
				if err != nil {
					return 0, err
				}
				if !ok {
					break
				}
				if n == MaxHops {
					return 0, ErrTooManyHops
				}
				ents[n] = el
			}
		}
	}
	return n, nil
}

// parseEntry parses one entry of the source header into a hop; ok is false
// when the hop is not an IP address.
func (r *Resolver) parseEntry(raw string) (Hop, bool) {
	if r.src != srcForwarded {
		a, p, ok := parseHop(raw)
		return Hop{Raw: raw, Addr: a, Port: p}, ok
	}
	e := parseElement(raw, r.strict, nil)
	switch {
	case e.invalid:
		return Hop{Raw: raw}, false
	case !e.hasFor:
		return Hop{Raw: raw, By: e.byV}, false
	}
	h := Hop{Raw: e.forV, Addr: e.forNode.Addr, Port: e.forNode.Port, By: e.byV}
	return h, h.Addr.IsValid()
}

// origin computes Result.Origin.
func (r *Resolver) origin(local Point, h Header, w *walkState, ents *entries) Point {
	o := local
	if w.client.IsValid() {
		o.RemoteAddr = addrString(w.client, w.clientPort, w.clientRaw)
	}
	if !w.peerTrusted || h == nil {
		return o
	}
	var f forwardedValues
	switch r.src {
	case srcForwarded:
		if w.collected {
			f = forwardedOrigin(ents[:w.n], w.clientHop, r.strict)
		}
	case srcXFF, srcHeader:
		m := -1 // number of X-Forwarded-For entries, for alignment
		if r.src == srcXFF && w.collected {
			m = w.n
		}
		// Behind a one-IP header (a CDN such as Cloudflare) only the scheme
		// is read: CDNs set X-Forwarded-Proto but pass X-Forwarded-Host and
		// -Port through from the client, and keep the client's Host header.
		f = xForwardedOrigin(h, m, w.clientHop, r.src == srcXFF)
	}
	if f.scheme != "" {
		o.Scheme = f.scheme
	}
	if f.host != "" {
		// Host names are case-insensitive: lower-cased, as the local host
		// is. (ToLower returns the string itself when it has no upper case.)
		o.Host = strings.ToLower(f.host)
	}
	switch {
	case f.port != 0:
		o.Port = f.port
	case f.hostPort != 0:
		o.Port = f.hostPort
	case f.host != "" || f.scheme != "":
		if p := defaultPort(o.Scheme); p != 0 {
			o.Port = p
		}
	}
	return o
}

// forwardedValues are the valid forwarded scheme, host and ports.
type forwardedValues struct {
	scheme, host   string
	hostPort, port int
}

// forwardedOrigin takes proto= and host= from the client's element, else from
// the nearest element towards the server. Without a client (the walk
// failed), the search starts at the element the peer wrote.
func forwardedOrigin(els []string, clientHop int, strict bool) (f forwardedValues) {
	n := len(els)
	start := n - 1
	if clientHop >= 1 {
		start = n - clientHop
	}
	for i := max(start, 0); i < n && (f.scheme == "" || f.host == ""); i++ {
		e := parseElement(els[i], strict, nil)
		if e.invalid {
			continue
		}
		if f.scheme == "" && e.hasProto {
			f.scheme = scheme(e.proto)
		}
		if f.host == "" && e.hasHost {
			if host, port, ok := SplitHost(e.host); ok {
				f.host, f.hostPort = host, port
			}
		}
	}
	return f
}

// Header names of the X-Forwarded family.
const (
	hdrProto    = "X-Forwarded-Proto"
	hdrProtocol = "X-Forwarded-Protocol"
	hdrSSL      = "X-Forwarded-Ssl"
	hdrFrontEnd = "Front-End-Https"
	hdrHost     = "X-Forwarded-Host"
	hdrPort     = "X-Forwarded-Port"
	hdrBy       = "X-Forwarded-By"
)

// xForwardedOrigin reads the X-Forwarded-* headers. m is the number of
// X-Forwarded-For entries (-1 when not known) and clientHop the client's hop.
//
// The scheme comes from the first of X-Forwarded-Proto, -Protocol, -Ssl and
// Front-End-Https that is present: one that is present but invalid (or too
// large) is ignored without falling through to the next, which the client
// may have written. Host and port are read only when hostAndPort is set.
func xForwardedOrigin(h Header, m, clientHop int, hostAndPort bool) (f forwardedValues) {
	switch {
	case present(h, hdrProto):
		f.scheme = scheme(pick(h, hdrProto, m, clientHop))
	case present(h, hdrProtocol):
		f.scheme = scheme(pick(h, hdrProtocol, m, clientHop))
	case present(h, hdrSSL):
		f.scheme = onOff(pick(h, hdrSSL, m, clientHop))
	case present(h, hdrFrontEnd):
		f.scheme = onOff(pick(h, hdrFrontEnd, m, clientHop))
	}
	if !hostAndPort {
		return f
	}
	if host, port, ok := SplitHost(pick(h, hdrHost, m, clientHop)); ok {
		f.host, f.hostPort = host, port
	}
	if p, ok := parsePort(pick(h, hdrPort, m, clientHop)); ok {
		f.port = int(p)
	}
	return f
}

// present reports whether the header has a field line.
func present(h Header, name string) bool { return len(values(h, name)) > 0 }

// pick chooses the value of an X-Forwarded-* header: the only value; with m
// values, the one at the client's hop; otherwise the rightmost.
func pick(h Header, name string, m, clientHop int) string {
	lines := values(h, name)
	if len(lines) == 0 || checkSize(lines) != nil {
		return ""
	}
	switch c := listLen(lines); {
	case c <= 1:
		return listItem(lines, 0)
	case c == m && clientHop >= 1:
		return listItem(lines, m-clientHop)
	default:
		return listItem(lines, c-1)
	}
}

// setXForwardedBy copies X-Forwarded-By entries onto the hops when the header
// has one entry per X-Forwarded-For entry (n of them).
func setXForwardedBy(h Header, hops []Hop, n int) {
	lines := values(h, hdrBy)
	if len(lines) == 0 || checkSize(lines) != nil || listLen(lines) != n {
		return
	}
	k := 0
	for _, line := range lines {
		for pos := 0; ; k++ {
			item, ok := nextItem(line, &pos)
			if !ok {
				break
			}
			if i := n - k; i < len(hops) {
				hops[i].By = item
			}
		}
	}
}

// scheme returns "http" or "https" for v in any ASCII case, else "".
// (strings.EqualFold would also take Unicode look-alikes: "httpſ".)
func scheme(v string) string {
	switch {
	case asciiEqualFold(v, "https"):
		return "https"
	case asciiEqualFold(v, "http"):
		return "http"
	}
	return ""
}

// asciiEqualFold reports whether s equals lower, a lower-case ASCII word,
// with ASCII letters in any case.
func asciiEqualFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// onOff maps X-Forwarded-Ssl and Front-End-Https values to a scheme.
func onOff(v string) string {
	switch {
	case asciiEqualFold(v, "on"):
		return "https"
	case asciiEqualFold(v, "off"):
		return "http"
	}
	return ""
}

func defaultPort(scheme string) int {
	switch scheme {
	case "http":
		return 80
	case "https":
		return 443
	}
	return 0
}
