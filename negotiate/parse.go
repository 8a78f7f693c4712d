package negotiate

import "strings"

// This file holds the field-value scanner shared by every Accept-* parser: list
// elements split at commas outside quoted strings, parameters, and q-values. Nothing
// here allocates: every value is a substring of a field line.

// tchar reports whether c is a token character (RFC 9110, section 5.6.2).
var tchar = [256]bool{
	'!': true, '#': true, '$': true, '%': true, '&': true, '\'': true, '*': true,
	'+': true, '-': true, '.': true, '^': true, '_': true, '`': true, '|': true, '~': true,
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true, 'H': true, 'I': true,
	'J': true, 'K': true, 'L': true, 'M': true, 'N': true, 'O': true, 'P': true, 'Q': true, 'R': true,
	'S': true, 'T': true, 'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true, 'h': true, 'i': true,
	'j': true, 'k': true, 'l': true, 'm': true, 'n': true, 'o': true, 'p': true, 'q': true, 'r': true,
	's': true, 't': true, 'u': true, 'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
}

// isToken reports whether s is a non-empty token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tchar[s[i]] {
			return false
		}
	}
	return true
}

func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// skipOWS returns the index of the first byte at or after i that is not optional whitespace.
func skipOWS(s string, i int) int {
	for i < len(s) && isOWS(s[i]) {
		i++
	}
	return i
}

// trimOWS removes optional whitespace from both ends of s.
func trimOWS(s string) string {
	i, j := 0, len(s)
	for i < j && isOWS(s[i]) {
		i++
	}
	for j > i && isOWS(s[j-1]) {
		j--
	}
	return s[i:j]
}

// lower returns the ASCII lower case of c.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// equalFold reports whether a and b are equal under ASCII case folding. Header values
// are compared this way: Unicode folding would let "K" (Kelvin sign) match "k".
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// skipQuoted returns the index just after the quoted string that starts at s[i] (a
// '"'), or len(s) when it is not terminated. A backslash escapes the next byte.
func skipQuoted(s string, i int) (int, bool) {
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return len(s), false
}

// elements iterates over the list elements of a header's field lines (RFC 9110,
// section 5.6.1): the comma-separated items of every line in turn, with surrounding
// whitespace trimmed and empty items skipped. Commas inside quoted strings do not split.
type elements struct {
	lines []string
	line  int // index of the line being read
	pos   int // read position in lines[line]
	n     int // elements returned so far: the header order of the next one
}

// next returns the next element and its position in header order (0, 1, 2 ...), or
// ok == false when the lines are exhausted.
func (it *elements) next() (elem string, index int, ok bool) {
	for it.line < len(it.lines) {
		s := it.lines[it.line]
		if it.pos >= len(s) {
			it.line++
			it.pos = 0
			continue
		}
		start, i := it.pos, len(s)
		if c := strings.IndexByte(s[start:], ','); c >= 0 {
			i = start + c
		}
		if strings.IndexByte(s[start:i], '"') >= 0 {
			// A quoted string may hide a comma: scan byte by byte.
			i = start
		scan:
			for i < len(s) {
				switch s[i] {
				case ',':
					break scan
				case '"':
					i, _ = skipQuoted(s, i)
				default:
					i++
				}
			}
		}
		it.pos = i + 1 // past the comma, or past the end of the line
		if e := trimOWS(s[start:i]); e != "" {
			index = it.n
			it.n++
			return e, index, true
		}
	}
	return "", 0, false
}

// emptyList reports whether the field lines hold no list element at all: every line is
// empty or only whitespace and commas. Such a header is present but accepts nothing.
func emptyList(lines []string) bool {
	for _, s := range lines {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c != ',' && !isOWS(c) {
				return false
			}
		}
	}
	return true
}

// params iterates over the parameters that follow an element's value:
// *( OWS ";" OWS [ name "=" value ] ), value a token or a quoted string. Whitespace
// around "=" is tolerated; empty parameters (";;") are skipped.
type params struct {
	s string
	i int
}

// next returns the next parameter. ok is false at the end of the string; bad is true
// when the rest does not follow the grammar (the caller drops the element). start is the
// index of the ';' that introduces the parameter.
func (p *params) next() (name, value string, start int, ok, bad bool) {
	s := p.s
	for {
		i := skipOWS(s, p.i)
		if i >= len(s) {
			p.i = i
			return "", "", 0, false, false
		}
		if s[i] != ';' {
			return "", "", 0, false, true
		}
		start = i
		i = skipOWS(s, i+1)
		if i >= len(s) || s[i] == ';' {
			p.i = i // an empty parameter
			continue
		}
		j := i
		for j < len(s) && tchar[s[j]] {
			j++
		}
		if j == i {
			return "", "", 0, false, true
		}
		name = s[i:j]
		j = skipOWS(s, j)
		if j >= len(s) || s[j] != '=' {
			return "", "", 0, false, true
		}
		j = skipOWS(s, j+1)
		k := j
		if k < len(s) && s[k] == '"' {
			var closed bool
			if k, closed = skipQuoted(s, k); !closed {
				return "", "", 0, false, true
			}
		} else {
			for k < len(s) && tchar[s[k]] {
				k++
			}
			if k == j {
				return "", "", 0, false, true
			}
		}
		p.i = k
		return name, s[j:k], start, true, false
	}
}

// isQ reports whether a parameter name is the weight "q" (case-insensitive).
func isQ(name string) bool { return len(name) == 1 && (name[0] == 'q' || name[0] == 'Q') }

// parseQ parses a qvalue (RFC 9110, section 12.4.2) into thousandths:
//
//	qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
//
// Anything else (a value above 1, a fourth decimal, a sign, a quoted string) is invalid.
func parseQ(v string) (int, bool) {
	if v == "" || len(v) > 5 || (v[0] != '0' && v[0] != '1') {
		return 0, false
	}
	q := int(v[0]-'0') * 1000
	if len(v) == 1 {
		return q, true
	}
	if v[1] != '.' {
		return 0, false
	}
	scale := 100
	for i := 2; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	if q > 1000 {
		return 0, false
	}
	return q, true
}

// parseSimple parses an element of Accept-Language, Accept-Charset or Accept-Encoding:
// a token followed by parameters, of which only the first q counts (the others and
// anything after q are ignored, as long as they are well formed up to q). ok is false
// for an element that breaks the grammar or has an invalid q.
func parseSimple(e string) (value string, q int, ok bool) {
	i := 0
	for i < len(e) && tchar[e[i]] {
		i++
	}
	if i == 0 {
		return "", 0, false
	}
	value, q = e[:i], 1000
	p := params{s: e, i: i}
	for {
		name, v, _, more, bad := p.next()
		if bad {
			return "", 0, false
		}
		if !more {
			return value, q, true
		}
		if isQ(name) {
			if q, ok = parseQ(v); !ok {
				return "", 0, false
			}
			return value, q, true
		}
	}
}

// cand is an offer's standing: the q it takes from the header, the specificity of the
// range that gave it, that range's position in the header and the offer's own position.
type cand struct {
	q, s, o, i int
}

// before reports whether a ranks before b: higher q, then the more specific range,
// then the range earlier in the header, then the offer earlier in the list.
func before(a, b cand) bool {
	if a.q != b.q {
		return a.q > b.q
	}
	if a.s != b.s {
		return a.s > b.s
	}
	if a.o != b.o {
		return a.o < b.o
	}
	return a.i < b.i
}

// better reports whether a range match (q, s, o) should replace the one an offer holds:
// the most specific range wins; among equally specific ones the higher q, then the
// earlier range.
func better(q, s, o int, c cand) bool {
	if s != c.s {
		return s > c.s
	}
	if q != c.q {
		return q > c.q
	}
	return o < c.o
}

// entry is a header element kept for a preference list.
type entry struct {
	value string
	q, o  int
}

// cmpEntry orders entries by q, descending, then by header order.
func cmpEntry(a, b entry) int {
	if a.q != b.q {
		return b.q - a.q
	}
	return a.o - b.o
}
