package kaito

import (
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/kaito-go/kaito/ip"
)

// ipState is the one resolution of a request's client and origin, made
// when first asked for.
type ipState struct {
	done      bool
	res       ip.Result
	err       error
	local     ip.Point
	localDone bool
	forwarded []ip.Element
	fwdDone   bool
	fwdErr    error
}

// clientState is the client alone, for IP when nothing asked for the whole
// resolution: it skips building the hops and the origin. It lives outside
// the lazy state, whose clearing costs more than working the client out of
// a short header: reset clears done, and cleanup the error.
type clientState struct {
	addr netip.Addr
	err  error
	done bool
}

// headerView gives the ip package the request's header field lines
// without building an http.Header. It is a pointer type, so that passing it
// as an ip.Header costs no allocation.
type headerView Request

func (h *headerView) Values(key string) []string { return h.x.RequestHeaderValues(key) }

// clientHeaders is headerView for the walk to the client alone, which
// keeps nothing it reads (its result is a netip.Addr): on a runtime whose
// header values can be read in place (headerViewer) they are not copied.
type clientHeaders Request

func (h *clientHeaders) Values(key string) []string { return (*Request)(h).headerViews(key) }

// headerViewer is implemented by exchanges that can hand out a request
// header's field lines without copying them (the fasthttp adapter's): the
// strings alias the runtime's buffers and are valid only while the request
// is served. The core reads through it only where it keeps nothing of what
// it reads; Request.views holds the lines until the next call.
type headerViewer interface {
	RequestHeaderViews(name string, dst []string) []string
}

// peerAddrer is implemented by exchanges that know the socket peer as an
// address (the fasthttp adapter's): ok is false when it is not an IP
// address, and RemoteAddr is read instead.
type peerAddrer interface {
	RemoteAddrPort() (addr netip.AddrPort, ok bool)
}

// headerViews returns the field lines of the named request header for
// reading in place: views of the runtime's buffers where the exchange
// offers them, else RequestHeaderValues. The result must not be kept.
func (req *Request) headerViews(name string) []string {
	if v, ok := req.x.(headerViewer); ok {
		// No clear first: every caller drops its views after use, and
		// append overwrites what a failed one left.
		lines := v.RequestHeaderViews(name, req.views[:0])
		if len(lines) == 0 {
			return nil
		}
		return lines
	}
	return req.x.RequestHeaderValues(name)
}

// dropViews forgets the lines headerViews returned, so that the Request
// holds nothing of the runtime's buffers once it is done with them. (Four
// stores cost less than clear, which goes through the runtime.)
func (req *Request) dropViews() {
	for i := 0; i < len(req.views); i++ {
		req.views[i] = ""
	}
}

// Local returns the connection the server received, as Ktor's
// request.local: the scheme of the connection, the Host header's host and
// port (the scheme's default port when it has none), and the socket peer.
func (req *Request) Local() ip.Point {
	st := &req.lazy.ip
	if !st.localDone {
		req.lazy.used = true
		st.localDone = true
		scheme, port := "http", 80
		if req.x.TLS() {
			scheme, port = "https", 443
		}
		host, p, ok := ip.SplitHost(req.x.Host())
		if !ok {
			host = ""
		} else if p != 0 {
			port = p
		}
		host = strings.ToLower(host) // host names are case-insensitive
		st.local = ip.Point{
			Scheme: scheme, Version: req.x.Proto(), Method: req.x.Method(),
			Host: host, Port: port, URI: req.x.URI(), RemoteAddr: req.x.RemoteAddr(),
		}
	}
	return st.local
}

// Resolve returns the resolution of the client and origin that IP, IPs,
// Hostname, Protocol and Origin are drawn from, and the error the resolver
// met: a *ip.HopError when a trusted part of the chain holds something
// that is not an address (a misconfigured proxy, or a header a trusted
// proxy passed on unchecked), or a bound on hops or header size. It is
// worked out once per request, on first use.
func (req *Request) Resolve() (ip.Result, error) {
	st := &req.lazy.ip
	if !st.done {
		local := req.Local()
		st.done = true
		st.res, st.err = req.core.resolver.Resolve(local, (*headerView)(req))
	}
	return st.res, st.err
}

// IP returns the client's address: the socket peer unless a resolver
// (WithResolver) trusts the proxies that forwarded the request, and
// WithIPFunc's answer when one is set. When the resolver fails it returns
// "": a header that a trusted proxy should not have passed is never
// believed, and Resolve gives the error.
func (req *Request) IP() string {
	if req.core.ipFunc != nil {
		return req.core.ipFunc(req)
	}
	addr, err := req.clientAddr()
	if err != nil || !addr.IsValid() {
		return ""
	}
	return addr.String()
}

// clientAddr is the client of the resolution, worked out alone unless the
// whole resolution is at hand.
func (req *Request) clientAddr() (netip.Addr, error) {
	if st := &req.lazy.ip; st.done {
		return st.res.Client, st.err
	}
	c := &req.client
	if !c.done {
		c.done = true
		if pa, ok := req.x.(peerAddrer); ok {
			if ap, ok := pa.RemoteAddrPort(); ok {
				c.addr, c.err = req.core.resolver.ClientFrom(ap, (*clientHeaders)(req))
			} else {
				c.addr, c.err = req.core.resolver.Client(ip.Point{RemoteAddr: req.x.RemoteAddr()}, (*clientHeaders)(req))
			}
		} else {
			c.addr, c.err = req.core.resolver.Client(ip.Point{RemoteAddr: req.x.RemoteAddr()}, (*clientHeaders)(req))
		}
		req.dropViews()
		// The walk read header lines in place: an error that quotes one
		// must own its copy.
		if c.err != nil {
			ownRaw(c.err)
		}
	}
	return c.addr, c.err
}

// ClientAddr is IP as a netip.Addr, with the resolver's error; it ignores
// WithIPFunc.
func (req *Request) ClientAddr() (netip.Addr, error) { return req.clientAddr() }

// IPs returns the addresses of the forwarding chain closest first, as
// AdonisJS's ips: the socket peer, then the forwarded addresses right to
// left, ending with the client. IP is its last element, except when the
// resolution fails: IP is then "" and IPs lists the trusted hops walked
// before the failure, none of them the client.
func (req *Request) IPs() []string {
	res, _ := req.Resolve()
	ips := make([]string, 0, len(res.Hops))
	for _, h := range res.Hops {
		if h.Addr.IsValid() {
			ips = append(ips, h.Addr.String())
		}
	}
	return ips
}

// Origin returns the request as the client made it, as Ktor's
// request.origin: Local with the scheme, host and port that trusted proxies
// forwarded, and the client as RemoteAddr.
func (req *Request) Origin() ip.Point {
	res, _ := req.Resolve()
	return res.Origin
}

// Hostname returns the origin's host name, without the port.
func (req *Request) Hostname() string { return req.Origin().Host }

// Protocol returns the origin's scheme, "http" or "https".
func (req *Request) Protocol() string { return req.Origin().Scheme }

// Secure reports whether the origin's scheme is https.
func (req *Request) Secure() bool { return req.Protocol() == "https" }

// Forwarded returns the parsed elements of the request's Forwarded
// header (RFC 7239), as Ktor's ForwardedParsedKey, whether or not the
// resolver reads it: the elements come from the client and every proxy,
// so only those of trusted hops deserve belief. Nil when the header is absent.
func (req *Request) Forwarded() ([]ip.Element, error) {
	st := &req.lazy.ip
	if !st.fwdDone {
		req.lazy.used = true
		st.fwdDone = true
		if lines := req.x.RequestHeaderValues("Forwarded"); lines != nil {
			st.forwarded, st.fwdErr = ip.ParseForwarded(lines)
		}
	}
	return st.forwarded, st.fwdErr
}

// Host returns the origin's host with ":port" when the port is not the
// scheme's default, as the client addressed the server.
func (req *Request) Host() string {
	o := req.Origin()
	if o.Port == 0 || (o.Scheme == "http" && o.Port == 80) || (o.Scheme == "https" && o.Port == 443) {
		return o.Host
	}
	return o.Host + ":" + strconv.Itoa(o.Port)
}

// Subdomains returns the labels of Hostname before its last two, nearest
// to the domain first, as AdonisJS's subdomains: ["b", "a"] for
// a.b.example.com. An IP address has none.
func (req *Request) Subdomains() []string {
	host := req.Hostname()
	if host == "" || strings.HasPrefix(host, "[") {
		return []string{}
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return []string{}
	}
	labels := strings.Split(host, ".")
	if len(labels) <= 2 {
		return []string{}
	}
	labels = labels[:len(labels)-2]
	slices.Reverse(labels)
	return labels
}

// ownRaw gives a *ip.HopError in err its own copy of the token it quotes.
func ownRaw(err error) {
	var he *ip.HopError
	if errors.As(err, &he) {
		he.Raw = strings.Clone(he.Raw)
	}
}
