package ip

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/textproto"
	"strings"
)

// Bounds on the work one request can cause. A forwarding header beyond them
// makes Resolve and Client fail with ErrTooManyHops or ErrHeaderTooLarge
// rather than be walked in part: real chains have a handful of hops.
const (
	// MaxHops is the largest number of entries read from the source header
	// (X-Forwarded-For entries or Forwarded elements; the peer is not counted).
	MaxHops = 64
	// MaxHeaderBytes is the largest total size of the source header's field
	// lines. X-Forwarded-Proto, -Host, -Port and the like are ignored when
	// larger.
	MaxHeaderBytes = 8 << 10
)

// Header gives the field lines of a request header, as http.Header.Values
// does: nil when the header is absent, one string per field line otherwise.
// The Resolver asks for names in canonical form (as
// textproto.CanonicalMIMEHeaderKey gives them). http.Header satisfies it; the
// fasthttp adapter implements it over the request's own header storage.
type Header interface {
	Values(key string) []string
}

// values returns the field lines of the header named key, which must be in
// canonical form. For an http.Header it indexes the map directly, saving the
// canonicalisation http.Header.Values does on every call.
func values(h Header, key string) []string {
	switch h := h.(type) {
	case nil:
		return nil
	case http.Header:
		return h[key]
	}
	return h.Values(key)
}

// Point describes one side of a request's connection, as Ktor's
// RequestConnectionPoint does: Request.Local() is the connection the server
// accepted, Request.Origin() the one the client made, as far as trusted
// proxies tell.
type Point struct {
	// Scheme is "http" or "https".
	Scheme string
	// Version is the protocol version, such as "HTTP/1.1".
	Version string
	// Method is the request method.
	Method string
	// Host is the host name without the port; an IPv6 literal keeps its
	// brackets ("[::1]").
	Host string
	// Port is the port number.
	Port int
	// URI is the request target as received.
	URI string
	// RemoteAddr is the address of the other end: the socket peer in the local
	// Point, the client (canonical, with its port when known) in the origin.
	RemoteAddr string
}

// Result is what Resolve works out about a request.
type Result struct {
	// Client is the client's address, canonical (no zone, IPv4 unmapped); the
	// zero Addr when it is unknown, and then Resolve returns an error.
	Client netip.Addr
	// Hops lists the hops walked, closest first: Hops[0] is the socket peer
	// and, when the walk found the client, the last hop is the client. The
	// walk stops at the client, so hops further out are not listed.
	Hops []Hop
	// Origin is the local Point with every trusted and valid forwarded value
	// applied (scheme, host, port) and RemoteAddr set to the client. It is
	// filled in even when Resolve returns an error.
	Origin Point
}

// Hop is one step of the forwarding chain.
type Hop struct {
	// Raw is the token as received: the RemoteAddr for the peer, an
	// X-Forwarded-For entry, a Forwarded for= value (unquoted), or a one-IP
	// header value. For a Forwarded element that is invalid or has no for=, it
	// is the whole element.
	Raw string
	// Addr is the hop's address, canonical; the zero Addr when Raw is not an IP
	// address (the walk stops at such a hop with a *HopError).
	Addr netip.Addr
	// Port is the port given with the address, or 0.
	Port uint16
	// Trusted reports whether the hop is a trusted proxy. Only the last hop
	// can be untrusted; it is trusted too when every hop was.
	Trusted bool
	// By is the interface on which the next proxy in received the request from
	// this hop: the Forwarded by= value of the hop's element, or the matching
	// X-Forwarded-By entry when that header has one entry per X-Forwarded-For
	// entry. It is empty for the peer and when not given.
	By string
}

// Resolver works out the client address and the origin of requests. Build
// it with New; it is immutable and safe for concurrent use. A nil *Resolver
// behaves as New() with no option: the client is the socket peer.
type Resolver struct {
	v4       []net4         // trusted IPv4 ranges
	v6       []netip.Prefix // trusted IPv6 ranges
	prefixes []netip.Prefix // the same, in the order given, for Prefixes
	unix     bool           // a Unix-socket peer is trusted
	all      bool
	hops     int
	fn       func(netip.Addr, int) bool
	src      source
	header   string // canonical name of the source header
	name     string // the source header as configured, for errors
	strict   bool
}

type source uint8

const (
	srcNone source = iota
	srcXFF
	srcForwarded
	srcHeader
)

// Header names read by a Resolver.
const (
	hdrXFF       = "X-Forwarded-For"
	hdrForwarded = "Forwarded"
)

// An Option configures a Resolver. New checks all the options it is given and
// reports every problem; an Option has no effect on its own.
type Option func(*config)

type config struct {
	prefixes   []netip.Prefix
	unix       bool
	specsGiven bool
	fn         func(netip.Addr, int) bool
	fnCount    int
	all        bool
	hops       int
	hopsCount  int
	sources    []string // the source options given, for the error message
	src        source
	header     string
	name       string
	strict     bool
	errs       []error
}

func (c *config) fail(err error) { c.errs = append(c.errs, err) }

// TrustProxies trusts the proxies at the given addresses. A spec is an IP
// address ("10.0.0.1", "2001:db8::1"), a CIDR range ("10.0.0.0/8"; host bits
// are ignored), an IPv4 address with a netmask ("10.0.0.0/255.0.0.0"), or a
// keyword: "loopback" (127.0.0.0/8, ::1), "linklocal" (169.254.0.0/16,
// fe80::/10), "private" or its alias "uniquelocal" (10.0.0.0/8,
// 172.16.0.0/12, 192.168.0.0/16, fc00::/7), or "unix" (a peer on a Unix
// socket). IPv4-mapped IPv6 specs are unmapped, as addresses are.
//
// New fails, naming the spec, on host names (they are never resolved), zones,
// empty strings, 0.0.0.0 and ::, /0 ranges (say TrustAll instead), IPv6 and
// non-contiguous netmasks, and prefix lengths out of range. TrustProxies with
// no spec trusts nothing, which is valid. Several TrustProxies options add up,
// and they combine with TrustFunc: a hop is trusted when either trusts it.
func TrustProxies(specs ...string) Option {
	return func(c *config) {
		c.specsGiven = true
		for _, s := range specs {
			p, unix, err := parseSpec(s)
			if err != nil {
				c.fail(err)
				continue
			}
			c.unix = c.unix || unix
			c.prefixes = append(c.prefixes, p...)
		}
	}
}

// TrustFunc trusts the hops for which f returns true. f receives the hop's
// canonical address and its index: 0 is the socket peer, 1 the address the
// peer reported, and so on outwards. It is called only for hops that are IP
// addresses, from many goroutines at once, and must be fast. It combines with
// TrustProxies: a hop is trusted when either trusts it.
func TrustFunc(f func(addr netip.Addr, hop int) bool) Option {
	return func(c *config) {
		c.fnCount++
		if f == nil {
			c.fail(errors.New("ip: TrustFunc(nil)"))
		}
		c.fn = f
	}
}

// TrustHops trusts the n closest hops, the peer included, whatever their
// address: with TrustHops(2) the peer and the entry it added are proxies and
// the next entry is the client. It suits a fixed chain whose addresses are not
// known in advance (a cloud load balancer in front of nginx). A chain of n hops
// or fewer fails with ErrTooFewHops. New fails when n < 1 or n > MaxHops.
func TrustHops(n int) Option {
	return func(c *config) {
		c.hopsCount++
		if n < 1 || n > MaxHops {
			c.fail(fmt.Errorf("ip: TrustHops(%d): n must be in 1..%d (1 trusts the peer only)", n, MaxHops))
		}
		c.hops = n
	}
}

// TrustAll trusts every hop, including a Unix-socket peer, so the client is
// the furthest address of the source header: whatever the client wrote there.
// It is unsafe unless the server can only be reached through proxies that
// overwrite the source header; it exists to say so explicitly.
func TrustAll() Option {
	return func(c *config) { c.all = true }
}

// FromXForwardedFor reads the client from X-Forwarded-For. Entries may carry
// a port ("192.0.2.1:4711", "[2001:db8::1]:4711") and IPv6 may be bracketed.
func FromXForwardedFor() Option {
	return func(c *config) { c.setSource(srcXFF, "FromXForwardedFor()", hdrXFF) }
}

// FromForwarded reads the client from the standard Forwarded header (RFC
// 7239), leniently as ParseForwarded does, or exactly with Strict.
func FromForwarded() Option {
	return func(c *config) { c.setSource(srcForwarded, "FromForwarded()", hdrForwarded) }
}

// FromHeader reads the client from a header that holds one IP address, set
// by the proxy in front: CF-Connecting-IP, X-Real-IP, True-Client-IP,
// Fly-Client-IP and the like. The last field line counts; it must be an IP
// address, optionally with a port. New fails for an empty name, a name that is
// not a header token, and X-Forwarded-For and Forwarded, which have their own
// sources.
//
// With this source the origin's scheme may come from X-Forwarded-Proto (and
// its kin) from a trusted peer, but its host and port do not come from
// X-Forwarded-Host or -Port: CDNs set the scheme header, keep the client's
// Host header, and pass the other X-Forwarded-* headers through from the
// client.
func FromHeader(name string) Option {
	return func(c *config) {
		desc := fmt.Sprintf("FromHeader(%q)", name)
		switch {
		case name == "" || strings.IndexFunc(name, func(r rune) bool { return r >= 0x80 || !isTchar(byte(r)) }) >= 0:
			c.fail(fmt.Errorf("ip: %s: not a header name", desc))
		case strings.EqualFold(name, hdrXFF):
			c.fail(fmt.Errorf("ip: %s: use FromXForwardedFor(), which reads the header as a list", desc))
		case strings.EqualFold(name, hdrForwarded):
			c.fail(fmt.Errorf("ip: %s: use FromForwarded(), which parses RFC 7239", desc))
		}
		c.setSource(srcHeader, desc, name)
	}
}

// Strict makes FromForwarded parse the Forwarded header exactly as RFC 7239
// says (see ParseForwardedStrict). New fails if the source is not
// FromForwarded.
func Strict() Option {
	return func(c *config) { c.strict = true }
}

func (c *config) setSource(s source, desc, name string) {
	c.sources = append(c.sources, desc)
	c.src, c.name, c.header = s, name, textproto.CanonicalMIMEHeaderKey(name)
}

// New builds a Resolver. With no option the client is the socket peer and no
// header is read, which is right for a server that clients reach directly.
// Behind proxies, give exactly one source (FromXForwardedFor, FromForwarded or
// FromHeader) and the trust that says which peers may set it (TrustProxies,
// TrustFunc, TrustHops or TrustAll).
//
// New fails, and returns no Resolver, when any option is invalid, when more
// than one source is given, when a source has no trust option or a trust
// option no source, when TrustAll or TrustHops is combined with another trust
// option, and when Strict is given without FromForwarded. The error names
// every problem found.
func New(opts ...Option) (*Resolver, error) {
	var c config
	for _, o := range opts {
		if o == nil {
			c.fail(errors.New("ip: nil Option"))
			continue
		}
		o(&c)
	}
	if len(c.sources) > 1 {
		c.fail(fmt.Errorf("ip: one source only, got %s: the client must come from one header, without fallback",
			strings.Join(c.sources, " and ")))
	}
	if c.fnCount > 1 {
		c.fail(errors.New("ip: TrustFunc given more than once"))
	}
	if c.hopsCount > 1 {
		c.fail(errors.New("ip: TrustHops given more than once"))
	}
	specs := c.specsGiven || c.fnCount > 0
	switch {
	case c.all && (specs || c.hopsCount > 0):
		c.fail(errors.New("ip: TrustAll cannot be combined with another trust option"))
	case c.hopsCount > 0 && specs:
		c.fail(errors.New("ip: TrustHops cannot be combined with TrustProxies or TrustFunc: it trusts by position, not by address"))
	}
	trust := specs || c.all || c.hopsCount > 0
	switch {
	case c.src != srcNone && !trust:
		c.fail(errNoTrust)
	case c.src == srcNone && trust:
		c.fail(errNoSource)
	}
	if c.strict && c.src != srcForwarded {
		c.fail(errors.New("ip: Strict() applies to FromForwarded() only"))
	}
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	r := &Resolver{
		prefixes: c.prefixes,
		unix:     c.unix,
		all:      c.all,
		hops:     c.hops,
		fn:       c.fn,
		src:      c.src,
		header:   c.header,
		name:     c.name,
		strict:   c.strict,
	}
	for _, p := range c.prefixes {
		if p.Addr().Is4() {
			r.v4 = append(r.v4, net4Of(p))
		} else {
			r.v6 = append(r.v6, p)
		}
	}
	return r, nil
}

// Prefixes returns a copy of the trusted ranges, in the order given, with
// keywords expanded, host bits cleared and IPv4-mapped ranges unmapped. It is
// meant for logging the configuration at start-up.
func (r *Resolver) Prefixes() []netip.Prefix {
	if r == nil || len(r.prefixes) == 0 {
		return []netip.Prefix{}
	}
	return append([]netip.Prefix(nil), r.prefixes...)
}

// trusts reports whether the hop at index hop, with address a, is trusted.
func (r *Resolver) trusts(a netip.Addr, hop int) bool {
	switch {
	case r.all:
		return true
	case r.hops > 0:
		return hop < r.hops
	}
	if a.Is4() {
		x := uint4(a)
		for _, n := range r.v4 {
			if x&n.mask == n.addr {
				return true
			}
		}
	} else {
		for _, p := range r.v6 {
			if p.Contains(a) {
				return true
			}
		}
	}
	return r.fn != nil && r.fn(a, hop)
}

// net4 is a trusted IPv4 range as two numbers: an address x is in it when
// x&mask == addr. Comparing those costs a quarter of Prefix.Contains, which
// the walk calls for every hop.
type net4 struct{ addr, mask uint32 }

func net4Of(p netip.Prefix) net4 {
	mask := ^uint32(0) << (32 - p.Bits()) // 0 for /0: Go shifts it all out
	return net4{addr: uint4(p.Addr()) & mask, mask: mask}
}

// uint4 is the IPv4 address a as a number.
func uint4(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// trustsPeer reports whether the socket peer is trusted.
func (r *Resolver) trustsPeer(a netip.Addr, kind peerKind) bool {
	switch {
	case r.all || r.hops > 0:
		return true
	case kind == peerUnix:
		return r.unix
	case kind == peerBad:
		return false
	}
	return r.trusts(a, 0)
}
