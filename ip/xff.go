package ip

import "strings"

// ParseXForwardedFor parses the field lines of an X-Forwarded-For header
// into its entries, in header order (the furthest first). Field lines are
// joined as one list; empty entries and the spaces around entries are
// dropped. Each entry keeps its text in Raw; Addr and Port are set when the
// entry is an IP address ("192.0.2.1", "192.0.2.1:4711", "2001:db8::1",
// "[2001:db8::1]:4711"; zones dropped, IPv4-mapped addresses unmapped; 0.0.0.0
// and :: are not addresses). Trusted and By are left unset: trust is decided
// by a Resolver.
//
// More than MaxHops entries or MaxHeaderBytes bytes give ErrTooManyHops or
// ErrHeaderTooLarge.
func ParseXForwardedFor(lines []string) ([]Hop, error) {
	if err := checkSize(lines); err != nil {
		return nil, err
	}
	var out []Hop
	for _, line := range lines {
		for pos := 0; ; {
			item, ok := nextItem(line, &pos)
			if !ok {
				break
			}
			if len(out) == MaxHops {
				return nil, ErrTooManyHops
			}
			h := Hop{Raw: item}
			if a, p, ok := parseHop(item); ok {
				h.Addr, h.Port = a, p
			}
			out = append(out, h)
		}
	}
	return out, nil
}

// nextItem returns the next non-empty item of a comma-separated field line,
// starting at *pos, without the spaces around it.
func nextItem(line string, pos *int) (string, bool) {
	for *pos < len(line) {
		rest := line[*pos:]
		item := rest
		if i := strings.IndexByte(rest, ','); i >= 0 {
			item = rest[:i]
			*pos += i + 1
		} else {
			*pos = len(line)
		}
		if item = trimOWS(item); item != "" {
			return item, true
		}
	}
	return "", false
}

// listLen counts the non-empty items of a comma-separated header.
func listLen(lines []string) int {
	n := 0
	for _, line := range lines {
		for pos := 0; ; n++ {
			if _, ok := nextItem(line, &pos); !ok {
				break
			}
		}
	}
	return n
}

// listItem returns item k (from 0, in header order) of a comma-separated
// header.
func listItem(lines []string, k int) string {
	for _, line := range lines {
		for pos := 0; ; k-- {
			item, ok := nextItem(line, &pos)
			if !ok {
				break
			}
			if k == 0 {
				return item
			}
		}
	}
	return ""
}
