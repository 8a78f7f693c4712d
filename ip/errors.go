package ip

import (
	"errors"
	"fmt"
)

// Sources named by HopError.Source besides the header names.
const (
	// SourceRemoteAddr names the socket peer (hop 0) in a HopError.
	SourceRemoteAddr = "remote address"
)

// HopError reports a hop that is not an IP address: a host name, "unknown",
// an obfuscated Forwarded node, 0.0.0.0 or ::, an invalid Forwarded element,
// garbage, or a Unix-socket peer when an IP is needed. The walk stops at such
// a hop because everything beyond it was written by a party that cannot be
// identified, and so cannot be trusted.
type HopError struct {
	// Source is where the hop came from: SourceRemoteAddr for the peer,
	// otherwise the header name ("X-Forwarded-For", "Forwarded", ...).
	Source string
	// Hop is the index of the hop, counted from the peer (0) outwards.
	Hop int
	// Raw is the token as received, for logging. It may hold anything a client
	// sent: quote it before writing it to a log.
	Raw string
}

// Error returns a message naming the source, the hop index and the raw token.
func (e *HopError) Error() string {
	src := e.Source
	if src == SourceRemoteAddr {
		src = "the " + src
		if isUnix(trimOWS(e.Raw)) {
			return fmt.Sprintf("ip: unidentified hop 0 in %s: %q is a Unix socket, which has no IP address", src, e.Raw)
		}
	}
	return fmt.Sprintf("ip: unidentified hop %d in %s: %q is not an IP address", e.Hop, src, e.Raw)
}

// Errors returned by Resolve, Client, ParseXForwardedFor and ParseForwarded.
var (
	// ErrTooManyHops reports a forwarding header with more than MaxHops entries.
	ErrTooManyHops = fmt.Errorf("ip: the forwarding header has more than %d entries", MaxHops)
	// ErrHeaderTooLarge reports a forwarding header whose field lines add up to
	// more than MaxHeaderBytes.
	ErrHeaderTooLarge = fmt.Errorf("ip: the forwarding header is larger than %d bytes", MaxHeaderBytes)
	// ErrTooFewHops reports a chain that is not longer than TrustHops(n): every
	// hop is a proxy by configuration, so the client is unknown. Either a
	// request reached a proxy by another path, or n is wrong.
	ErrTooFewHops = errors.New("ip: the chain has no more hops than TrustHops configures: the client is unknown")
	// ErrUnterminatedQuote reports a Forwarded field line with a quoted string
	// that does not end. Element boundaries after it cannot be found, so the
	// whole header is rejected.
	ErrUnterminatedQuote = errors.New("ip: Forwarded: unterminated quoted string")
)
