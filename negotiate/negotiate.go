package negotiate

import (
	"slices"
	"strings"
)

// The preference lists of an absent header. They are shared, which is why results
// must be treated as read-only: returning them costs no allocation.
var (
	anyType      = []string{"*/*"}
	anyValue     = []string{"*"}
	identityOnly = []string{"identity"}
)

// Accepts returns the offer that the Accept field lines prefer, as it was given, or ""
// when none is acceptable.
//
// An offer is a media type ("application/json", "text/html;level=1") or an extension
// shorthand from the package's table ("json", "html", ".html", "txt"); an extension the
// table does not know is never acceptable, and neither is an offered wildcard unless a
// header range covers it ("text/*" does not match "text/html" in the header). Each offer
// takes the q of the most specific range that matches it (type, subtype and parameters
// count), and offers are ranked by q, then by that range's specificity, then by the
// range's position in the header, then by their own order.
//
// Without offers, Accepts returns the header's most preferred media range (the first
// element of Types), or "" when there is none. An absent header (lines is nil or empty)
// accepts anything: the first offer wins, or "*/*" without offers. A present but empty
// header (only empty lines, whitespace or commas) also returns the first offer, as
// AdonisJS and jshttp/accepts do, although Types reports it as accepting nothing.
func Accepts(lines []string, offers ...string) string {
	if len(lines) == 0 {
		if len(offers) == 0 {
			return "*/*"
		}
		return offers[0]
	}
	if len(offers) == 0 {
		return top(lines, parseTypeEntry, false)
	}
	if emptyList(lines) {
		return offers[0]
	}
	if len(offers) <= onePassOffers {
		return acceptsOnePass(lines, offers)
	}
	// Parse the header once when it is short, as it nearly always is; a long one is
	// scanned again for each offer rather than stored.
	var buf [16]mediaRange
	m, b := typeMatcher{lines: lines}, best{i: -1}
	if rs, ok := parseRanges(lines, buf[:0]); ok {
		m.ranges = rs
	}
	for i, offer := range offers {
		q, s, o, ok := m.match(offer)
		b.add(i, q, s, o, ok)
	}
	if b.i >= 0 {
		return offers[b.i]
	}
	return ""
}

// Types returns the media ranges of the Accept field lines, without their parameters,
// ordered by q (highest first) with ties in header order. Ranges with q=0 and elements
// that break the grammar (including a q that is not a valid RFC 9110 qvalue) are left
// out; duplicates are kept, as the header lists them. An absent header gives ["*/*"], a
// present but empty one an empty slice. Callers must not modify the result: the
// absent-header result is shared.
func Types(lines []string) []string {
	if len(lines) == 0 {
		return anyType
	}
	return preferences(lines, parseTypeEntry, false)
}

// Language returns the offer that the Accept-Language field lines prefer, as it was
// given, or "" when none is acceptable.
//
// Language tags match case-insensitively and by prefix at a hyphen in both directions:
// the range "en-US" matches the offer "en", the range "en" matches the offer "en-GB",
// but "en-US" never matches "en-GB", and "en_US" is not a prefix form of "en". An offer
// takes the q of the most specific range that matches it (an exact match, then a range
// that extends the offer, closer the longer the offer, then a range that the offer
// extends, closer the longer the range, then "*"), and offers are ranked by q, then that
// specificity, then the range's header position, then their own order: for the range
// "zh-Hant-TW", the offer "zh-Hant" ranks before "zh".
//
// Without offers, Language returns the header's most preferred range, or "" when there
// is none. An absent header accepts anything: the first offer wins, or "*" without
// offers. A present but empty header accepts nothing.
func Language(lines []string, offers ...string) string {
	if len(lines) == 0 {
		if len(offers) == 0 {
			return "*"
		}
		return offers[0]
	}
	if len(offers) == 0 {
		return top(lines, parseSimple, false)
	}
	var buf [16]entry
	m, b := langMatcher{newSimpleHeader(lines, buf[:0])}, best{i: -1}
	for i, offer := range offers {
		q, s, o, ok := m.match(offer)
		b.add(i, q, s, o, ok)
	}
	if b.i >= 0 {
		return offers[b.i]
	}
	return ""
}

// Languages returns the language ranges of the Accept-Language field lines ordered by q
// (highest first), ties in header order, leaving out q=0 and malformed elements. An
// absent header gives ["*"], a present but empty one an empty slice. Callers must not
// modify the result: the absent-header result is shared.
func Languages(lines []string) []string {
	if len(lines) == 0 {
		return anyValue
	}
	return preferences(lines, parseSimple, false)
}

// Encoding returns the offer that the Accept-Encoding field lines prefer, as it was
// given, or "" when none is acceptable. Codings match case-insensitively, "*" matches
// any coding, and offers are ranked as in Accepts.
//
// "identity" is acceptable unless the header excludes it: when neither "identity" nor
// "*" appears in the header, it is implicitly accepted with the lowest non-zero q of the
// header's elements (1 when there is none) and ranks after every listed coding of that
// q. An absent or empty header therefore allows only identity. Without offers, Encoding
// returns the most preferred coding ("identity" for an absent header), or "" when none.
func Encoding(lines []string, offers ...string) string {
	var buf [16]entry
	m := newEncMatcher(lines, buf[:0])
	if len(offers) == 0 {
		return m.top()
	}
	b := best{i: -1}
	for i, offer := range offers {
		q, s, o, ok := m.match(offer)
		b.add(i, q, s, o, ok)
	}
	if b.i >= 0 {
		return offers[b.i]
	}
	return ""
}

// Encodings returns the codings of the Accept-Encoding field lines ordered by q
// (highest first), ties in header order, with the implicit "identity" that Encoding
// describes appended where it applies, and q=0 and malformed elements left out. An
// absent or empty header gives ["identity"]. Callers must not modify the result: the
// absent-header result is shared.
func Encodings(lines []string) []string {
	if len(lines) == 0 {
		return identityOnly
	}
	return preferences(lines, parseSimple, true)
}

// Charset returns the offer that the Accept-Charset field lines prefer, as it was given,
// or "" when none is acceptable. Charsets match case-insensitively, "*" matches any
// charset, and offers are ranked as in Accepts. Without offers, Charset returns the
// header's most preferred charset, or "" when there is none. An absent header accepts
// anything: the first offer wins, or "*" without offers. A present but empty header
// accepts nothing.
func Charset(lines []string, offers ...string) string {
	if len(lines) == 0 {
		if len(offers) == 0 {
			return "*"
		}
		return offers[0]
	}
	if len(offers) == 0 {
		return top(lines, parseSimple, false)
	}
	var buf [16]entry
	m, b := charsetMatcher{newSimpleHeader(lines, buf[:0])}, best{i: -1}
	for i, offer := range offers {
		q, s, o, ok := m.match(offer)
		b.add(i, q, s, o, ok)
	}
	if b.i >= 0 {
		return offers[b.i]
	}
	return ""
}

// Charsets returns the charsets of the Accept-Charset field lines ordered by q (highest
// first), ties in header order, leaving out q=0 and malformed elements. An absent header
// gives ["*"], a present but empty one an empty slice. Callers must not modify the
// result: the absent-header result is shared.
func Charsets(lines []string) []string {
	if len(lines) == 0 {
		return anyValue
	}
	return preferences(lines, parseSimple, false)
}

// parser parses one list element into its value (as written, without parameters) and q.
type parser func(elem string) (value string, q int, ok bool)

// top returns the value of the element with the highest q (the earliest among equals),
// or "" when no element has q > 0. With identity, the implicit identity of
// Accept-Encoding takes part.
func top(lines []string, parse parser, identity bool) string {
	val, bq := "", 0
	hasIdentity, minQ := false, 1000
	it := elements{lines: lines}
	for {
		e, _, more := it.next()
		if !more {
			break
		}
		v, q, ok := parse(e)
		if !ok {
			continue
		}
		if identity {
			hasIdentity = hasIdentity || v == "*" || equalFold(v, "identity")
			if q > 0 && q < minQ {
				minQ = q
			}
		}
		if q > bq {
			val, bq = v, q
		}
	}
	if identity && !hasIdentity && minQ > bq {
		val = "identity"
	}
	return val
}

// preferences returns the values of the elements with q > 0, ordered by q and then
// header order. With identity, the implicit identity of Accept-Encoding is appended
// where it applies.
func preferences(lines []string, parse parser, identity bool) []string {
	var buf [16]entry
	es := buf[:0]
	hasIdentity, minQ := false, 1000
	it := elements{lines: lines}
	for {
		e, o, more := it.next()
		if !more {
			break
		}
		v, q, ok := parse(e)
		if !ok {
			continue
		}
		if identity {
			hasIdentity = hasIdentity || v == "*" || equalFold(v, "identity")
			if q > 0 && q < minQ {
				minQ = q
			}
		}
		if q > 0 {
			es = append(es, entry{v, q, o})
		}
	}
	if identity && !hasIdentity {
		es = append(es, entry{"identity", minQ, it.n})
	}
	if len(es) == 0 {
		return []string{}
	}
	slices.SortStableFunc(es, cmpEntry)
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.value
	}
	return out
}

// best keeps the best acceptable offer seen so far. Each negotiation function runs its
// own loop over the offers with it: a generic loop calling the matcher through an
// interface or a dictionary would make the field lines escape to the heap.
type best struct {
	i int // the index of the best offer, -1 for none
	c cand
}

// add considers offer i, which matched a range (q, s, o) when ok.
func (b *best) add(i, q, s, o int, ok bool) {
	if !ok || q == 0 {
		return
	}
	if c := (cand{q, s, o, i}); b.i < 0 || before(c, b.c) {
		b.i, b.c = i, c
	}
}

// simpleHeader is an Accept-Language, Accept-Charset or Accept-Encoding header: its
// elements parsed into entries when they fit the caller's buffer (they nearly always
// do), else its field lines, parsed again for each offer.
type simpleHeader struct {
	lines   []string
	entries []entry // nil when the elements did not fit
}

// newSimpleHeader parses the elements of lines into dst, up to its capacity.
func newSimpleHeader(lines []string, dst []entry) simpleHeader {
	it := elements{lines: lines}
	for {
		e, idx, more := it.next()
		if !more {
			return simpleHeader{lines, dst}
		}
		v, q, ok := parseSimple(e)
		if !ok {
			continue
		}
		if len(dst) == cap(dst) {
			return simpleHeader{lines: lines}
		}
		dst = append(dst, entry{v, q, idx})
	}
}

// best finds the most specific element that matches an offer.
func (h simpleHeader) best(offer string, specificity func(rng, offer string) (int, bool)) (q, s, o int, ok bool) {
	var c cand
	if h.entries != nil {
		for _, e := range h.entries {
			rs, hit := specificity(e.value, offer)
			if hit && (!ok || better(e.q, rs, e.o, c)) {
				c, ok = cand{q: e.q, s: rs, o: e.o}, true
			}
		}
		return c.q, c.s, c.o, ok
	}
	it := elements{lines: h.lines}
	for {
		e, idx, more := it.next()
		if !more {
			return c.q, c.s, c.o, ok
		}
		v, rq, valid := parseSimple(e)
		if !valid {
			continue
		}
		rs, hit := specificity(v, offer)
		if hit && (!ok || better(rq, rs, idx, c)) {
			c, ok = cand{q: rq, s: rs, o: idx}, true
		}
	}
}

// langMatcher matches language tags against Accept-Language ranges.
type langMatcher struct{ h simpleHeader }

func (m langMatcher) match(offer string) (q, s, o int, ok bool) {
	if !isToken(offer) {
		return 0, 0, 0, false
	}
	return m.h.best(offer, langSpecificity)
}

// langSpecificity says whether a language range matches a tag and how closely. Prefixes
// end at a hyphen (RFC 4647). From most to least specific: the same tag; a range that
// extends the tag (range en-US or zh-Hant-TW, tag en or zh-Hant), the longer the tag the
// closer, as RFC 4647 lookup would find it by truncating the range; a tag that extends
// the range (range en, tag en-GB), the longer the range the closer; "*".
func langSpecificity(rng, tag string) (int, bool) {
	const step = 1 << 20 // above any length that counts
	switch {
	case rng == "*":
		return 0, true
	case equalFold(rng, tag):
		return 3 * step, true
	case len(rng) > len(tag) && rng[len(tag)] == '-' && equalFold(rng[:len(tag)], tag):
		return 2*step + min(len(tag), step-1), true
	case len(tag) > len(rng) && tag[len(rng)] == '-' && equalFold(tag[:len(rng)], rng):
		return step + min(len(rng), step-1), true
	}
	return 0, false
}

// charsetMatcher matches charsets against Accept-Charset.
type charsetMatcher struct{ h simpleHeader }

func (m charsetMatcher) match(offer string) (q, s, o int, ok bool) {
	if !isToken(offer) {
		return 0, 0, 0, false
	}
	return m.h.best(offer, exactOrStar)
}

// exactOrStar matches a value case-insensitively (specificity 1) or through "*" (0).
func exactOrStar(rng, offer string) (int, bool) {
	if equalFold(rng, offer) {
		return 1, true
	}
	return 0, rng == "*"
}

// encMatcher matches content codings against Accept-Encoding, implicit identity included.
type encMatcher struct {
	h           simpleHeader
	hasIdentity bool // "identity" or "*" appears in the header
	minQ        int  // the q of the implicit identity
	n           int  // the header position of the implicit identity: after every element
}

// newEncMatcher parses the header's elements into dst (as newSimpleHeader does) and
// works out the implicit identity.
func newEncMatcher(lines []string, dst []entry) encMatcher {
	m := encMatcher{h: simpleHeader{lines, dst}, minQ: 1000}
	it := elements{lines: lines}
	for {
		e, idx, more := it.next()
		if !more {
			break
		}
		v, q, ok := parseSimple(e)
		if !ok {
			continue
		}
		m.hasIdentity = m.hasIdentity || v == "*" || equalFold(v, "identity")
		if q > 0 && q < m.minQ {
			m.minQ = q
		}
		if m.h.entries != nil {
			if len(m.h.entries) == cap(m.h.entries) {
				m.h.entries = nil
			} else {
				m.h.entries = append(m.h.entries, entry{v, q, idx})
			}
		}
	}
	m.n = it.n
	return m
}

func (m encMatcher) match(offer string) (q, s, o int, ok bool) {
	if !isToken(offer) {
		return 0, 0, 0, false
	}
	q, s, o, ok = m.h.best(offer, exactOrStar)
	if !m.hasIdentity && equalFold(offer, "identity") {
		// No range names identity, so none matched it: the implicit one applies.
		return m.minQ, 1, m.n, true
	}
	return q, s, o, ok
}

// top returns the most preferred coding, the implicit identity included.
func (m encMatcher) top() string {
	if len(m.h.lines) == 0 {
		return "identity"
	}
	return top(m.h.lines, parseSimple, true)
}

// typeMatcher matches media types against Accept ranges: the parsed ranges when it has
// them, else the field lines, parsed again for each offer.
type typeMatcher struct {
	lines  []string
	ranges []mediaRange
}

func (m typeMatcher) match(offer string) (q, s, o int, ok bool) {
	off, valid := parseOffer(offer)
	if !valid {
		return 0, 0, 0, false
	}
	var c cand
	if m.ranges != nil {
		for k := range m.ranges {
			r := &m.ranges[k]
			rs, hit := r.match(&off)
			if hit && (!ok || better(r.q, rs, r.o, c)) {
				c, ok = cand{q: r.q, s: rs, o: r.o}, true
			}
		}
		return c.q, c.s, c.o, ok
	}
	it := elements{lines: m.lines}
	for {
		e, idx, more := it.next()
		if !more {
			return c.q, c.s, c.o, ok
		}
		r, valid := parseMediaRange(e)
		if !valid {
			continue
		}
		rs, hit := r.match(&off)
		if hit && (!ok || better(r.q, rs, idx, c)) {
			c, ok = cand{q: r.q, s: rs, o: idx}, true
		}
	}
}

// parseOffer parses an offer of Accepts: a media type, or an extension the package's
// table knows.
func parseOffer(offer string) (mediaRange, bool) {
	// The shorthands extType answers first, already parsed (TestParseOfferFastPath).
	switch offer {
	case "json":
		return mediaRange{typ: "application", sub: "json", q: 1000}, true
	case "html":
		return mediaRange{typ: "text", sub: "html", q: 1000}, true
	case "text", "txt":
		return mediaRange{typ: "text", sub: "plain", q: 1000}, true
	case "xml":
		return mediaRange{typ: "application", sub: "xml", q: 1000}, true
	}
	mt := offer
	if strings.IndexByte(offer, '/') < 0 {
		if mt = extType(offer); mt == "" {
			return mediaRange{}, false
		}
	}
	return parseMediaRange(mt)
}

// onePassOffers is how many offers Accepts matches in one pass over the header; more
// are matched offer by offer (typeMatcher).
const onePassOffers = 4

// acceptsOnePass is Accepts for a present, non-empty header and up to onePassOffers
// offers. It walks the header once, matching each range against every offer as it is
// read, instead of storing the ranges and walking them again for each offer; each
// offer keeps the range that typeMatcher.match would find for it. The elements of a
// header with a quoted string (in which a comma does not split) are found by the
// general iterator, the others by onePass.line.
func acceptsOnePass(lines, offers []string) string {
	var m onePass
	someValid := false
	for k, offer := range offers {
		m.offs[k], m.valid[k] = parseOffer(offer)
		someValid = someValid || m.valid[k]
	}
	if !someValid {
		return ""
	}
	m.n = len(offers)
	m.index()
	if quoted(lines) {
		it := elements{lines: lines}
		for {
			e, idx, more := it.next()
			if !more {
				break
			}
			m.element(e, idx)
		}
	} else {
		idx := 0
		for _, s := range lines {
			idx = m.line(s, idx)
		}
	}
	b := best{i: -1}
	for k := range offers {
		b.add(k, m.got[k].q, m.got[k].s, m.got[k].o, m.has[k])
	}
	if b.i >= 0 {
		return offers[b.i]
	}
	return ""
}

// quoted reports whether a field line holds a quoted string, in which a comma does
// not split.
func quoted(lines []string) bool {
	for _, s := range lines {
		if strings.IndexByte(s, '"') >= 0 {
			return true
		}
	}
	return false
}

// onePass is the state of acceptsOnePass: the offers, parsed, and the range each
// one takes so far.
type onePass struct {
	n     int
	offs  [onePassOffers]mediaRange
	valid [onePassOffers]bool
	has   [onePassOffers]bool
	got   [onePassOffers]cand
	// The valid offers whose type (subtype) has each length, a bit each; the last
	// entry stands for every longer length too.
	typLen, subLen [16]uint8
	all            uint8 // every valid offer
}

// index notes the lengths of the valid offers' types and subtypes.
func (m *onePass) index() {
	for k := 0; k < m.n; k++ {
		if m.valid[k] {
			m.all |= 1 << k
			m.typLen[min(len(m.offs[k].typ), len(m.typLen)-1)] |= 1 << k
			m.subLen[min(len(m.offs[k].sub), len(m.subLen)-1)] |= 1 << k
		}
	}
}

// byLen returns the offers whose type (or subtype, with the other table) a range's
// v may match: "*" matches every offer, anything else only those of its length.
func (m *onePass) byLen(v string, lens *[16]uint8) uint8 {
	if v == "*" {
		return m.all
	}
	return lens[min(len(v), len(lens)-1)]
}

// line matches the elements of a field line that holds no quoted string, the first
// at position idx in the header, and returns the position after the last. Without
// quoted strings an element is what lies between two commas; the end of one that
// holds only a type and a subtype is where they end, found without a search.
func (m *onePass) line(s string, idx int) int {
	for i := 0; i < len(s); {
		if c := s[i]; c == ',' || isOWS(c) {
			i++
			continue
		}
		t := i
		for t < len(s) && tchar[s[t]] {
			t++
		}
		j := t
		if t > i && t < len(s) && s[t] == '/' {
			for j++; j < len(s) && tchar[s[j]]; j++ {
			}
		}
		end := j
		if end < len(s) && s[end] != ',' {
			end = len(s)
			if c := strings.IndexByte(s[j:], ','); c >= 0 {
				end = j + c
			}
		}
		// A type, a slash and a subtype: a range, unless what follows spoils it,
		// which only matters when it may match an offer.
		if j > t+1 {
			if may := m.may(s[i:t], s[t+1:j]); may != 0 {
				e := s[i:end]
				for isOWS(e[len(e)-1]) {
					e = e[:len(e)-1]
				}
				m.rangeAt(e, t-i, j-i, idx, may)
			}
		}
		idx++
		i = end + 1
	}
	return idx
}

// element matches the trimmed element e, at position idx in the header, against
// every offer.
func (m *onePass) element(e string, idx int) {
	i := 0
	for i < len(e) && tchar[e[i]] {
		i++
	}
	if i == 0 || i >= len(e) || e[i] != '/' {
		return
	}
	j := i + 1
	for j < len(e) && tchar[e[j]] {
		j++
	}
	if j > i+1 {
		if may := m.may(e[:i], e[i+1:j]); may != 0 {
			m.rangeAt(e, i, j, idx, may)
		}
	}
}

// may returns the offers a range of type typ and subtype sub may match, a bit each:
// those whose type and subtype have their lengths, or any length for "*". A range
// that may match none changes nothing, valid or not, and is not read further.
// Chrome's Accept is mostly such ranges for an API that offers json and html
// (image/avif, application/xhtml+xml, application/signed-exchange;v=b3 ...).
func (m *onePass) may(typ, sub string) uint8 {
	return m.byLen(typ, &m.typLen) & m.byLen(sub, &m.subLen)
}

// rangeAt matches the trimmed element e, whose type is e[:i] and subtype e[i+1:j],
// at position idx in the header, against the offers in may.
func (m *onePass) rangeAt(e string, i, j, idx int, may uint8) {
	var r mediaRange
	if !r.parseRest(e, i, j) {
		return
	}
	for k := 0; k < m.n; k++ {
		if may&(1<<k) == 0 {
			continue
		}
		rs, hit := r.match(&m.offs[k])
		if hit && (!m.has[k] || better(r.q, rs, idx, m.got[k])) {
			m.got[k], m.has[k] = cand{q: r.q, s: rs, o: idx}, true
		}
	}
}

// parseRanges appends the valid ranges of the header to dst, up to its capacity. ok is
// false when they do not fit.
func parseRanges(lines []string, dst []mediaRange) (rs []mediaRange, ok bool) {
	it := elements{lines: lines}
	for {
		e, idx, more := it.next()
		if !more {
			return dst, true
		}
		r, valid := parseMediaRange(e)
		if !valid {
			continue
		}
		if len(dst) == cap(dst) {
			return nil, false
		}
		r.o = idx
		dst = append(dst, r)
	}
}

// mediaRange is a parsed Accept element (or offer): type "/" subtype, the parameters
// before q as written, and q in thousandths.
type mediaRange struct {
	typ, sub string
	params   string // from the first ';' up to the q parameter (or the end)
	np       int    // the number of parameters in params
	q        int
	o        int // the position in the header (set by parseRanges)
}

// parseMediaRange parses a trimmed element: type "/" subtype *( OWS ";" OWS parameter ),
// where a q parameter ends the media range and what follows it is ignored (accept-ext).
func parseMediaRange(e string) (r mediaRange, ok bool) {
	ok = r.parse(e)
	return r, ok
}

// parse is parseMediaRange into r, which must be the zero mediaRange.
func (r *mediaRange) parse(e string) (ok bool) {
	i := 0
	for i < len(e) && tchar[e[i]] {
		i++
	}
	if i == 0 || i >= len(e) || e[i] != '/' {
		return false
	}
	j := i + 1
	for j < len(e) && tchar[e[j]] {
		j++
	}
	if j == i+1 {
		return false
	}
	return r.parseRest(e, i, j)
}

// parseRest is parse once the type (e[:i]) and the subtype (e[i+1:j]) are read.
func (r *mediaRange) parseRest(e string, i, j int) (ok bool) {
	r.typ, r.sub, r.q = e[:i], e[i+1:j], 1000
	if j == len(e) {
		return true // no parameters, as most elements have none
	}
	if len(e) > j+3 && e[j] == ';' && isQ(e[j+1:j+2]) && e[j+2] == '=' && !isOWS(e[j+3]) {
		// Only a weight, written tight (";q=0.9"), as browsers send it: what the
		// loop below does with it, without its generality. A value that is not a
		// token (empty, quoted) is not a valid weight either.
		k := j + 3
		for k < len(e) && tchar[e[k]] {
			k++
		}
		r.q, ok = parseQ(e[j+3 : k])
		return ok
	}
	end := len(e)
	p := params{s: e, i: j}
	for {
		name, v, start, more, bad := p.next()
		if bad {
			return false
		}
		if !more {
			break
		}
		if isQ(name) {
			if r.q, ok = parseQ(v); !ok {
				return false
			}
			end = start
			break
		}
		r.np++
	}
	r.params = e[j:end]
	return true
}

// parseTypeEntry is parseMediaRange as a parser: the value is "type/subtype".
func parseTypeEntry(e string) (string, int, bool) {
	r, ok := parseMediaRange(e)
	if !ok {
		return "", 0, false
	}
	return e[:len(r.typ)+1+len(r.sub)], r.q, true
}

// match says whether the range r matches the offered type and how specifically: 4 for
// the same type, 2 for the same subtype, 1 when r has parameters, all of which the offer
// has with equal values (case-insensitive; a repeated parameter counts by its last value).
func (r *mediaRange) match(off *mediaRange) (int, bool) {
	s := 0
	if equalFold(r.typ, off.typ) {
		s |= 4
	} else if r.typ != "*" {
		return 0, false
	}
	if equalFold(r.sub, off.sub) {
		s |= 2
	} else if r.sub != "*" {
		return 0, false
	}
	if r.np == 0 {
		return s, true
	}
	// Every parameter name of the range must appear in the offer ...
	p := params{s: r.params}
	for {
		name, _, _, more, _ := p.next()
		if !more {
			break
		}
		if _, found := lastParam(off.params, name); !found {
			return 0, false
		}
	}
	// ... and for each name, the last values must agree. Walking the offer's parameters
	// (the server's, few) keeps this linear in the length of the header's element.
	p = params{s: off.params}
	for {
		name, v, _, more, _ := p.next()
		if !more {
			break
		}
		if _, later := lastParam(off.params[p.i:], name); later {
			continue
		}
		if rv, found := lastParam(r.params, name); found && !valueEqual(rv, v) {
			return 0, false
		}
	}
	return s | 1, true
}

// lastParam returns the value of the last parameter called name in ps.
func lastParam(ps, name string) (value string, found bool) {
	p := params{s: ps}
	for {
		n, v, _, more, _ := p.next()
		if !more {
			return value, found
		}
		if equalFold(n, name) {
			value, found = v, true
		}
	}
}

// valueEqual compares two parameter values, each a token or a quoted string, by their
// unquoted content under ASCII case folding.
func valueEqual(a, b string) bool {
	ai, aend := valueBounds(a)
	bi, bend := valueBounds(b)
	for {
		if ai >= aend || bi >= bend {
			return ai >= aend && bi >= bend
		}
		if a[ai] == '\\' && aend < len(a) {
			ai++
		}
		if b[bi] == '\\' && bend < len(b) {
			bi++
		}
		if ai >= aend || bi >= bend || lower(a[ai]) != lower(b[bi]) {
			return false
		}
		ai++
		bi++
	}
}

// valueBounds returns the content bounds of a token or a (terminated) quoted string.
func valueBounds(v string) (int, int) {
	if len(v) >= 2 && v[0] == '"' {
		return 1, len(v) - 1
	}
	return 0, len(v)
}
