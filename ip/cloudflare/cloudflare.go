// Package cloudflare configures an ip.Resolver for servers behind Cloudflare.
//
// Cloudflare connects to the origin from its published address ranges and
// puts the client's address in the CF-Connecting-IP header. That header is
// only evidence when the connection really comes from Cloudflare: anyone who
// reaches the origin directly can send it too. Options therefore reads
// CF-Connecting-IP only when the socket peer is inside Cloudflare's ranges;
// from any other peer, the peer is the client.
//
// # Keeping the ranges fresh
//
// The ranges bundled here are the lists Cloudflare publishes at
// https://www.cloudflare.com/ips-v4 and https://www.cloudflare.com/ips-v6,
// as written into this package on the date in Updated. Cloudflare
// changes its ranges now and then, and a bundled list goes stale: requests
// from a new range get the Cloudflare edge as their client address (every
// visitor behind that edge shares one address), and a range Cloudflare gave up
// stays trusted, so whoever holds it next can set CF-Connecting-IP. Fetch the
// lists at deployment or start-up (or from the API at
// https://api.cloudflare.com/client/v4/ips) and pass them in:
//
//	v4 := fetchLines("https://www.cloudflare.com/ips-v4")
//	v6 := fetchLines("https://www.cloudflare.com/ips-v6")
//	res, err := ip.New(cloudflare.Options(append(v4, v6...)...)...)
//
// If a proxy of yours (nginx, a load balancer) sits between Cloudflare and
// the server, CF-Connecting-IP must not be read: the peer is your proxy, and
// it would pass on a header that a client who bypassed Cloudflare set. Walk
// X-Forwarded-For instead, trusting your proxy and Cloudflare:
//
//	res, err := ip.New(cloudflare.Trust(), ip.TrustProxies("loopback"), ip.FromXForwardedFor())
package cloudflare

import "github.com/kaito-go/kaito/ip"

// Updated is the date the bundled ranges were written into this package.
// They are the lists Cloudflare publishes, which change rarely, but they
// were not fetched from Cloudflare on that date: check them against
// https://www.cloudflare.com/ips-v4 and ips-v6 and pass fresh ones to
// Options when they differ.
const Updated = "2026-11-22"

// Header is the header in which Cloudflare gives the client's address.
const Header = "CF-Connecting-IP"

var (
	ipv4 = []string{
		"173.245.48.0/20",
		"103.21.244.0/22",
		"103.22.200.0/22",
		"103.31.4.0/22",
		"141.101.64.0/18",
		"108.162.192.0/18",
		"190.93.240.0/20",
		"188.114.96.0/20",
		"197.234.240.0/22",
		"198.41.128.0/17",
		"162.158.0.0/15",
		"104.16.0.0/13",
		"104.24.0.0/14",
		"172.64.0.0/13",
		"131.0.72.0/22",
	}
	ipv6 = []string{
		"2400:cb00::/32",
		"2606:4700::/32",
		"2803:f800::/32",
		"2405:b500::/32",
		"2405:8100::/32",
		"2a06:98c0::/29",
		"2c0f:f248::/32",
	}
)

// Ranges returns a fresh copy of the bundled ranges, IPv4 first, as of
// Updated.
func Ranges() []string {
	return append(append(make([]string, 0, len(ipv4)+len(ipv6)), ipv4...), ipv6...)
}

// Trust trusts Cloudflare's ranges: the given ones, or the bundled Ranges when
// none is given. It is an ip.TrustProxies option and combines with others.
func Trust(ranges ...string) ip.Option {
	if len(ranges) == 0 {
		ranges = Ranges()
	}
	return ip.TrustProxies(ranges...)
}

// Options returns the options of a Resolver for a server that Cloudflare
// connects to directly: trust Cloudflare's ranges (the given ones, or the
// bundled Ranges when none is given) and read the client from
// CF-Connecting-IP. Pass them to ip.New:
//
//	res, err := ip.New(cloudflare.Options()...)
//
// A range that is not valid makes ip.New fail, naming it.
func Options(ranges ...string) []ip.Option {
	return []ip.Option{Trust(ranges...), ip.FromHeader(Header)}
}
