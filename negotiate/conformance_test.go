package negotiate

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"
)

// vector is one entry of testdata/negotiation_vectors.json, copied from
// ../shared/conformance (see its README for the format).
type vector struct {
	ID      string            `json:"id"`
	Layer   string            `json:"layer"`
	Kind    string            `json:"kind"`
	Header  *string           `json:"header"`
	Headers map[string]string `json:"headers"`
	HasBody *bool             `json:"has_body"`
	Offered []string          `json:"offered"`
	Expect  json.RawMessage   `json:"expect"`
	Note    string            `json:"note"`
	Source  string            `json:"source"`
}

// skipped lists the vectors this package deliberately answers differently, by id, with
// the reason. Every other vector must pass.
var skipped = map[string]string{
	// A Go variadic call cannot tell "no offers" from an empty list; both mean no offers.
	"neg-charset-013":  emptyOffers,
	"neg-encoding-088": emptyOffers,
	"neg-encoding-091": emptyOffers,
	"neg-encoding-104": emptyOffers,
	"neg-encoding-107": emptyOffers,
	"neg-encoding-110": emptyOffers,
	"neg-encoding-113": emptyOffers,
	"neg-language-196": emptyOffers,
	"neg-language-199": emptyOffers,
	"neg-language-202": emptyOffers,
	"neg-language-205": emptyOffers,
	"neg-language-218": emptyOffers,

	// RFC 9110 where negotiator 0.6.3 is lenient or odd.
	"adn-languages-048": "RFC 9110 allows whitespace before q: \"en; q=0.5\" has q=0.5 (negotiator 0.6.3 ignores it)",

	// RFC 4647 prefixes, as DESIGN.md's "prefix in both directions" says.
	"adn-language-051": "zh-Hant is a prefix of the range zh-Hant-TW at a hyphen, closer than zh (RFC 4647); negotiator compares only the first subtag",
}

const emptyOffers = "an empty offer list means no offers (the header's preferred value), as in accepts and AdonisJS; negotiator answers undefined"

func TestConformance(t *testing.T) {
	data, err := os.ReadFile("testdata/negotiation_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []vector
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	var passed, skips, failed int
	for _, v := range vectors {
		if reason, ok := skipped[v.ID]; ok {
			skips++
			t.Logf("skip %s: %s", v.ID, reason)
			continue
		}
		got, err := run(v)
		if err != "" {
			failed++
			t.Errorf("%s: %s", v.ID, err)
			continue
		}
		want := decodeExpect(t, v)
		if !reflect.DeepEqual(got, want) {
			failed++
			t.Errorf("%s (%s %s): header %s, offered %q: got %#v, want %#v (%s)", v.ID, v.Layer, v.Kind, show(v.Header), v.Offered, got, want, v.Note)
			continue
		}
		passed++
	}
	t.Logf("negotiation vectors: %d passed, %d skipped, %d failed (of %d)", passed, skips, failed, len(vectors))
	for id := range skipped {
		found := false
		for _, v := range vectors {
			found = found || v.ID == id
		}
		if !found {
			t.Errorf("skip list names %s, which is not a vector", id)
		}
	}
}

func show(h *string) string {
	if h == nil {
		return "<absent>"
	}
	return "\"" + *h + "\""
}

func lines(h *string) []string {
	if h == nil {
		return nil
	}
	return []string{*h}
}

// decodeExpect turns the expectation into a string, a []string or a bool (null is "").
func decodeExpect(t *testing.T, v vector) any {
	t.Helper()
	if string(v.Expect) == "null" {
		return ""
	}
	var x any
	if err := json.Unmarshal(v.Expect, &x); err != nil {
		t.Fatalf("%s: %v", v.ID, err)
	}
	switch x := x.(type) {
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = e.(string)
		}
		return out
	default:
		return x
	}
}

// run answers a vector with this package.
func run(v vector) (any, string) {
	h := lines(v.Header)
	switch v.Kind {
	case "accepts":
		return Accepts(h, v.Offered...), ""
	case "language":
		return Language(h, v.Offered...), ""
	case "encoding":
		return Encoding(h, v.Offered...), ""
	case "charset":
		return Charset(h, v.Offered...), ""
	case "types":
		if v.Offered == nil {
			return Types(h), ""
		}
		if h == nil {
			h = anyType
		}
		return rank(typeMatcher{lines: h}, v.Offered), ""
	case "languages":
		if v.Offered == nil {
			return Languages(h), ""
		}
		if h == nil {
			h = anyValue
		}
		return rank(langMatcher{simpleHeader{lines: h}}, v.Offered), ""
	case "charsets":
		if v.Offered == nil {
			return Charsets(h), ""
		}
		if h == nil {
			h = anyValue
		}
		return rank(charsetMatcher{simpleHeader{lines: h}}, v.Offered), ""
	case "encodings":
		if v.Offered == nil {
			return Encodings(h), ""
		}
		return rank(newEncMatcher(h, nil), v.Offered), ""
	case "is":
		if v.HasBody == nil {
			return nil, "is vector without has_body"
		}
		ct, ok := v.Headers["content-type"]
		if (v.Header == nil) != !ok || (ok && ct != *v.Header) {
			return nil, "header and headers disagree"
		}
		if got := HasBody(headerLines(v.Headers, "content-length"), headerLines(v.Headers, "transfer-encoding")); got != *v.HasBody {
			return nil, "HasBody disagrees with has_body"
		}
		return Is(ct, *v.HasBody, v.Offered...), ""
	case "hasBody":
		return HasBody(headerLines(v.Headers, "content-length"), headerLines(v.Headers, "transfer-encoding")), ""
	}
	return nil, "unknown kind " + v.Kind
}

func headerLines(h map[string]string, name string) []string {
	if v, ok := h[name]; ok {
		return []string{v}
	}
	return nil
}

// matcher is what the negotiation functions use to find an offer's range.
type matcher interface {
	match(offer string) (q, s, o int, ok bool)
}

// rank returns every acceptable offer, best first: the order the negotiation functions
// take the first of, checked whole against negotiator's lists.
func rank[M matcher](m M, offers []string) []string {
	var cs []cand
	for i, offer := range offers {
		if q, s, o, ok := m.match(offer); ok && q > 0 {
			cs = append(cs, cand{q, s, o, i})
		}
	}
	slices.SortFunc(cs, cmpCand)
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = offers[c.i]
	}
	return out
}

// cmpCand orders candidates as before does.
func cmpCand(a, b cand) int {
	switch {
	case before(a, b):
		return -1
	case before(b, a):
		return 1
	}
	return 0
}
