package ip

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// keywords maps the named trust specs to their ranges. The names follow
// proxy-addr (Express, AdonisJS): "uniquelocal" is the same set as "private".
var keywords = map[string][]netip.Prefix{
	"loopback": {
		netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("::1/128"),
	},
	"linklocal": {
		netip.MustParsePrefix("169.254.0.0/16"),
		netip.MustParsePrefix("fe80::/10"),
	},
	"private": {
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"),
		netip.MustParsePrefix("fc00::/7"),
	},
}

func init() { keywords["uniquelocal"] = keywords["private"] }

// parseSpec turns one TrustProxies spec into prefixes, or reports unix for the
// "unix" keyword. The error message names the spec and says how to fix it.
func parseSpec(spec string) (prefixes []netip.Prefix, unix bool, err error) {
	fail := func(why string) ([]netip.Prefix, bool, error) {
		return nil, false, fmt.Errorf("ip: TrustProxies(%q): %s", spec, why)
	}
	if spec == "" {
		return fail("empty spec")
	}
	lower := strings.ToLower(spec)
	if lower == "unix" {
		return nil, true, nil
	}
	if p, ok := keywords[lower]; ok {
		return p, false, nil
	}
	addrPart, maskPart, hasMask := strings.Cut(spec, "/")
	if strings.IndexByte(addrPart, '%') >= 0 {
		return fail("zones are not allowed in trust specs")
	}
	addr, err := netip.ParseAddr(addrPart)
	if err != nil {
		return fail("invalid IP address: not an IP address, CIDR, IPv4 netmask or keyword " +
			"(loopback, linklocal, private, uniquelocal, unix); host names are not resolved")
	}
	if !hasMask {
		addr = addr.Unmap()
		if addr.IsUnspecified() {
			return fail("0.0.0.0 and :: are not proxy addresses; to trust every peer, say TrustAll()")
		}
		return []netip.Prefix{netip.PrefixFrom(addr, addr.BitLen())}, false, nil
	}
	var bits int
	switch {
	case strings.ContainsAny(maskPart, ".:"):
		if strings.IndexByte(maskPart, ':') >= 0 || !addr.Is4() {
			return fail("invalid range on address: netmasks are supported for IPv4 only; write a prefix length")
		}
		mask, err := netip.ParseAddr(maskPart)
		if err != nil || !mask.Is4() {
			return fail("invalid range on address: the netmask is not an IPv4 address")
		}
		if bits = maskBits(mask); bits < 0 {
			return fail("invalid range on address: the netmask is not contiguous")
		}
	default:
		if maskPart == "" || len(maskPart) > 3 || strings.Trim(maskPart, "0123456789") != "" {
			return fail("invalid range on address: the prefix length is not a number")
		}
		bits, _ = strconv.Atoi(maskPart)
		if bits > addr.BitLen() {
			return fail(fmt.Sprintf("invalid range on address: the prefix length is over %d", addr.BitLen()))
		}
	}
	if bits == 0 {
		return fail("a /0 range trusts every address; if that is meant, say TrustAll()")
	}
	if addr.Is4In6() {
		// ::ffff:10.0.0.0/104 is 10.0.0.0/8: addresses are unmapped before
		// matching, so the range must be too.
		if bits < 96 {
			return fail("an IPv4-mapped range must be /96 or longer")
		}
		addr, bits = addr.Unmap(), bits-96
		if bits == 0 {
			return fail("a /0 range trusts every address; if that is meant, say TrustAll()")
		}
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return fail(err.Error())
	}
	return []netip.Prefix{p}, false, nil
}

// maskBits returns the prefix length of a contiguous IPv4 netmask, or -1.
func maskBits(mask netip.Addr) int {
	b := mask.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	ones := 0
	for v&(1<<31) != 0 {
		ones++
		v <<= 1
	}
	if v != 0 {
		return -1
	}
	return ones
}

// errNoTrust and errNoSource explain half a configuration.
var (
	errNoTrust = errors.New("ip: a source (FromXForwardedFor, FromForwarded or FromHeader) needs a trust option " +
		"(TrustProxies, TrustFunc, TrustHops or TrustAll): without one no peer is trusted and the header is never read")
	errNoSource = errors.New("ip: a trust option needs a source (FromXForwardedFor, FromForwarded or FromHeader): " +
		"without one no header is read and the client is always the peer")
)
