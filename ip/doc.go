// Package ip works out who the client of an HTTP request is, and how it
// reached the server, when requests come through reverse proxies (nginx, a
// load balancer, Cloudflare) that report the client in headers.
//
// # Threat model
//
// Every forwarding header is written by someone. X-Forwarded-For and
// Forwarded grow to the right: each proxy appends the address it received
// the request from. Whatever is on the left was there when the request reached
// the first proxy, so the client wrote it and can write anything: the
// leftmost entry is a value the attacker chooses. A client that can reach the
// server directly can also send any header at all, including
// CF-Connecting-IP or X-Real-IP.
//
// The only address nobody can forge is the socket peer: the machine at the
// other end of the TCP connection (or a Unix socket). So the Resolver
//
//   - reads no header unless the peer is a proxy you trust (peer-gated): a
//     header from anyone else is ignored and the peer is the client;
//   - reads one source, chosen in advance (FromXForwardedFor, FromForwarded
//     or FromHeader), with no fallback from one header to another, because an
//     attacker chooses which headers are present;
//   - walks the chain right to left, starting at the peer: each trusted hop
//     vouches for the entry to its left, and the first hop that is not trusted
//     is the client. Entries further left were written by the client or by
//     proxies you do not control, and are not read. When every hop is trusted
//     (a request from inside your network), the furthest address is the
//     client;
//   - fails closed: a hop that is not an IP address (a host name, "unknown",
//     an obfuscated node, garbage) stops the walk with a *HopError, since the
//     entry beyond it was written by a party that cannot be identified.
//     Returning the proxy's address instead would put every client in one
//     bucket of a rate limiter; returning the entry beyond it would let a client
//     choose its address;
//   - gives canonical addresses (IPv4-mapped IPv6 unmapped, zones dropped) so
//     that one client is one key and a zone or a mapped form cannot slip past
//     a trusted range; 0.0.0.0 and :: are never a client;
//   - bounds the work: at most MaxHops entries and MaxHeaderBytes bytes of
//     source header, beyond which the request fails instead of being walked.
//
// With no option, New gives a Resolver that trusts nobody: the client is the
// peer and no header is read. That is right when clients reach the server
// directly; behind proxies, say which ones to trust.
//
// # Configuration
//
// Behind nginx on the same host, which appends to X-Forwarded-For:
//
//	res, err := ip.New(ip.TrustProxies("loopback"), ip.FromXForwardedFor())
//
// Behind Cloudflare, which sets CF-Connecting-IP (see package
// ip/cloudflare for the ranges and how to keep them fresh):
//
//	res, err := ip.New(cloudflare.Options()...)
//
// Behind a load balancer whose addresses change, in front of nginx:
//
//	res, err := ip.New(ip.TrustHops(2), ip.FromXForwardedFor())
//
// # Origin
//
// Besides the client, Resolve gives the origin of the request, as Ktor's
// request.origin does: the scheme, host and port the client used, as
// forwarded by trusted proxies (Forwarded proto= and host=, or
// X-Forwarded-Proto, -Host, -Port and friends), validated, starting from the
// Point of the connection the server accepted.
package ip
