package negotiate

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// h builds field lines; h() is an absent header.
func h(lines ...string) []string { return lines }

func TestParseQ(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1", 1000, true}, {"1.", 1000, true}, {"1.0", 1000, true}, {"1.000", 1000, true},
		{"0", 0, true}, {"0.", 0, true}, {"0.5", 500, true}, {"0.25", 250, true}, {"0.001", 1, true}, {"0.999", 999, true},
		{"1.001", 0, false}, {"1.5", 0, false}, {"2", 0, false}, {"1.0000", 0, false}, {"0.0001", 0, false},
		{".5", 0, false}, {"00.5", 0, false}, {"-1", 0, false}, {"+0.5", 0, false}, {"0.5a", 0, false},
		{"abc", 0, false}, {"", 0, false}, {`"0.5"`, 0, false}, {"0,5", 0, false}, {"1e0", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseQ(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseQ(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAccepts(t *testing.T) {
	chrome := "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
	tests := []struct {
		name   string
		lines  []string
		offers []string
		want   string
	}{
		// Absent, empty and no offers.
		{"absent: first offer", nil, []string{"json", "html"}, "json"},
		{"absent: first offer even if unknown", nil, []string{"bogus", "html"}, "bogus"},
		{"absent, no offers", nil, nil, "*/*"},
		{"empty slice is absent", []string{}, []string{"html"}, "html"},
		{"empty: first offer (AdonisJS)", h(""), []string{"json", "html"}, "json"},
		{"only whitespace and commas: first offer", h(" , ", ""), []string{"html"}, "html"},
		{"empty, no offers", h(""), nil, ""},
		{"no offers: most preferred", h("text/plain;q=0.5, application/json"), nil, "application/json"},
		{"no offers: first of equals", h("text/plain, application/json"), nil, "text/plain"},
		{"no offers: parameters dropped", h("text/html;level=1"), nil, "text/html"},
		{"no offers: nothing acceptable", h("text/html;q=0"), nil, ""},

		// q-values (RFC 9110, 12.4.2): invalid weights drop the element.
		{"q above 1 dropped", h("text/html;q=1.5, application/json;q=0.5"), []string{"html", "json"}, "json"},
		{"q with four decimals dropped", h("text/html;q=0.0001, application/json;q=0.5"), []string{"html", "json"}, "json"},
		{"q=1.000 kept", h("text/html;q=1.000, application/json;q=0.999"), []string{"json", "html"}, "html"},
		{"q=.5 dropped", h("text/html;q=.5, application/json;q=0.1"), []string{"html", "json"}, "json"},
		{"q=abc dropped", h("application/json;q=abc, text/html"), []string{"json", "html"}, "html"},
		{"bare q dropped", h("application/json;q, text/html;q=0.1"), []string{"json", "html"}, "html"},
		{"quoted q dropped", h(`application/json;q="0.9", text/html;q=0.1`), []string{"json", "html"}, "html"},
		{"negative q dropped", h("text/html;q=-1, text/plain;q=0.001"), []string{"html", "txt"}, "txt"},
		{"whitespace before q", h("text/html ; q=0.5, application/json"), []string{"html", "json"}, "json"},
		{"tab before q", h("text/html\t;\tq=0.5, application/json"), []string{"html", "json"}, "json"},
		{"Q is q", h("text/html;Q=0.5, application/json"), []string{"html", "json"}, "json"},
		{"q=0 refuses", h("application/json;q=0"), []string{"json"}, ""},
		{"the only element invalid: nothing", h("application/json;q=2"), []string{"json"}, ""},

		// Ranking: q, then specificity, then header order, then offer order.
		{"higher q wins", h("application/json;q=0.2, text/html"), []string{"json", "html"}, "html"},
		{"specificity at equal q", h("image/webp, */*"), []string{"png", "webp"}, "webp"},
		{"header order at equal q and specificity", h("application/json, text/html"), []string{"html", "json"}, "json"},
		{"offer order under one range", h("*/*"), []string{"html", "json"}, "html"},
		{"offer order under one range, reversed", h("application/*"), []string{"html", "json"}, "json"},
		{"most specific range gives q", h("text/*;q=0.5, text/html"), []string{"text/plain", "text/html"}, "text/html"},
		{"most specific range refuses", h("text/*, text/plain;q=0"), []string{"text/plain"}, ""},
		{"most specific range refuses, other offer", h("text/*, text/plain;q=0"), []string{"text/plain", "text/html"}, "text/html"},
		{"*/*;q=0 refuses the rest", h("application/json, text/plain, */*;q=0"), []string{"html"}, ""},
		{"specific q beats wildcard q", h("*/*;q=0.9, text/html;q=0.1"), []string{"html", "json"}, "json"},
		{"chrome: html", h(chrome), []string{"json", "html"}, "html"},
		{"chrome: json through */*", h(chrome), []string{"json"}, "json"},
		{"chrome: xml before json", h(chrome), []string{"json", "xml"}, "xml"},

		// Media types: case, parameters, extensions, wildcards.
		{"type case-insensitive", h("TEXT/HTML"), []string{"html"}, "html"},
		{"offer returned as given", h("text/html"), []string{"text/HTML"}, "text/HTML"},
		{"extension with dot", h("text/plain, text/html"), []string{".html"}, ".html"},
		{"extension upper case", h("application/json"), []string{"JSON"}, "JSON"},
		{"file name", h("application/json"), []string{"data.json"}, "data.json"},
		{"unknown extension dropped", h("text/html, application/json"), []string{"bogus", "json"}, "json"},
		{"offered wildcard is not a range", h("text/html, application/json"), []string{"text/*"}, ""},
		{"offered wildcard under */*", h("*/*"), []string{"text/*"}, "text/*"},
		{"parameter must match", h("text/html;level=1"), []string{"text/html"}, ""},
		{"parameter matches", h("text/html;level=1"), []string{"text/html", "text/html;level=1"}, "text/html;level=1"},
		{"parameter names and values case-insensitive", h("text/html;LEVEL=One"), []string{"text/html;level=one"}, "text/html;level=one"},
		{"quoted value equals token", h(`text/html;level="1"`), []string{"text/html;level=1"}, "text/html;level=1"},
		{"escaped quoted value", h(`text/html;x="a\"b"`), []string{`text/html;x="a\"b"`}, `text/html;x="a\"b"`},
		{"repeated parameter: last counts", h("text/html;level=1;level=2"), []string{"text/html;level=1", "text/html;level=2"}, "text/html;level=2"},
		{"parameters after q are extensions", h("text/html;q=0.5;level=1, application/json;q=0.4"), []string{"json", "text/html"}, "text/html"},
		{"params range more specific", h("text/html;level=2;q=0.1, text/html"), []string{"text/html;level=2", "text/html"}, "text/html"},
		{"comma inside quotes does not split", h(`text/html;x="a,b";q=0.5, application/json;q=0.4`), []string{"json", `text/html;x="a,b"`}, `text/html;x="a,b"`},
		{"semicolon inside quotes", h(`text/html;foo=";level=2;"`), []string{"text/html;level=2"}, ""},
		{"element without slash ignored", h("foo, text/plain"), []string{"txt"}, "txt"},
		{"malformed parameter drops element", h("text/html;level, text/plain;q=0.5"), []string{"html", "txt"}, "txt"},
		{"unterminated quote drops element", h(`text/html;x="a, text/plain;q=0.5`), []string{"html", "txt"}, ""},
		{"several field lines", h("text/html;q=0.5", "application/json"), []string{"html", "json"}, "json"},
		{"header order across lines", h("application/json", "text/html"), []string{"html", "json"}, "json"},
		{"empty elements skipped", h(",,text/html,,"), []string{"json", "html"}, "html"},
		{"ranges no offer matches, valid or not", h("application/xml;q=bad, image/webp;x, text/html;q=0.5"), []string{"json", "html"}, "html"},
		{"an invalid wildcard is dropped", h("*/*;level, application/json;q=0.1"), []string{"html", "json"}, "json"},
		{"what follows a weight is not read", h("application/json;q=0.5;;x=\"y, text/html;q=0.1"), []string{"json", "html"}, "json"},
		{"a tight weight in capitals", h("text/html;Q=0.2, application/json;q=0.3"), []string{"html", "json"}, "json"},
		{"a weight after spaces", h("text/html; q=0.2, application/json;q= 0.3"), []string{"html", "json"}, "json"},

		// What the one-pass reader (up to four offers) rules out by length or reads
		// in place, against the buffered path (more offers, below).
		{"q=1.0001 dropped", h("text/html;q=1.0001, application/json;q=0.5"), []string{"html", "json"}, "json"},
		{"q=1. kept", h("text/html;q=1., application/json;q=0.5"), []string{"json", "html"}, "html"},
		{"q=0.000 refuses", h("application/json;q=0.000, text/html;q=0.001"), []string{"json", "html"}, "html"},
		{"duplicate offers: the first", h("application/json, text/html"), []string{"json", "application/json", "json", "html"}, "json"},
		{"type/* beats */* at a lower q", h("*/*;q=0.9, text/*;q=0.2"), []string{"html", "json"}, "json"},
		{"*/* with an offered wildcard", h("text/*;q=0.5, */*;q=0.1"), []string{"*/*", "text/*", "html"}, "text/*"},
		{"lengths from 15 on share a slot", h("abcdefghijklmnop/x, abcdefghijklmnopq/y;q=0.5"), []string{"abcdefghijklmno/x", "abcdefghijklmnopq/y", "abcdefghijklmnop/y"}, "abcdefghijklmnopq/y"},
		{"a long subtype, case-insensitive", h("application/VND.EXAMPLE.THING+JSON;q=0.4, application/json;q=0.3"), []string{"json", "application/vnd.example.thing+json"}, "application/vnd.example.thing+json"},
		{"a weight tight then a quoted extension", h(`text/html;q=0.5;x="a,b", application/json;q=0.4`), []string{"json", "html"}, "html"},
		{"a quoted string on another line", h("text/html;q=0.3", `application/json;x="a,b";q=0.4`), []string{"html", "application/json;x=\"a,b\""}, "application/json;x=\"a,b\""},
		{"tabs and spaces around elements", h("\t text/html \t;q=0.1 ,\tapplication/json\t"), []string{"html", "json"}, "json"},
		{"a huge header, the match last", h(strings.Repeat("image/avif;q=0.9, ", 300) + "application/json;q=0.1"), []string{"html", "json"}, "json"},
		{"a range and its junk", h("application/json x, text/html;q=0.1"), []string{"json", "html"}, "html"},
	}
	for _, tt := range tests {
		if got := Accepts(tt.lines, tt.offers...); got != tt.want {
			t.Errorf("%s: Accepts(%q, %q) = %q, want %q", tt.name, tt.lines, tt.offers, got, tt.want)
		}
		if len(tt.offers) == 0 {
			continue
		}
		// More offers than Accepts matches in one pass, none of them acceptable:
		// the answer is the same.
		more := append(slices.Clone(tt.offers), "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8")
		if got := Accepts(tt.lines, more...); got != tt.want {
			t.Errorf("%s: Accepts(%q, %q) = %q, want %q", tt.name, tt.lines, more, got, tt.want)
		}
	}
}

func TestTypes(t *testing.T) {
	tests := []struct {
		lines []string
		want  []string
	}{
		{nil, []string{"*/*"}},
		{h(""), []string{}},
		{h("text/html"), []string{"text/html"}},
		{h("text/plain, application/json;q=0.5, text/html, */*;q=0.1"), []string{"text/plain", "text/html", "application/json", "*/*"}},
		{h("text/html;LEVEL=1"), []string{"text/html"}},
		{h("text/html;q=0, text/plain"), []string{"text/plain"}},
		{h("text/html;q=1.5, text/plain;q=0.5"), []string{"text/plain"}},
		{h("text/html ; q=0.5 , application/json"), []string{"application/json", "text/html"}},
		{h("foo, */bar, text/plain"), []string{"*/bar", "text/plain"}},
		{h("TEXT/Html, text/html;level=1"), []string{"TEXT/Html", "text/html"}},
		{h("a/b;q=0.5", "c/d", "e/f;q=0.5"), []string{"c/d", "a/b", "e/f"}},
	}
	for _, tt := range tests {
		if got := Types(tt.lines); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Types(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct {
		name   string
		lines  []string
		offers []string
		want   string
	}{
		{"absent: first offer", nil, []string{"es", "en"}, "es"},
		{"absent, no offers", nil, nil, "*"},
		{"empty accepts nothing", h(""), []string{"en"}, ""},
		{"no offers", h("en;q=0.8, es, pt"), nil, "es"},
		{"exact", h("en"), []string{"es", "en"}, "en"},
		{"case-insensitive", h("EN-us"), []string{"en-US"}, "en-US"},
		{"range extends offer", h("en-US"), []string{"en"}, "en"},
		{"offer extends range", h("en"), []string{"en-GB", "fr"}, "en-GB"},
		{"siblings never match", h("en-US"), []string{"en-GB"}, ""},
		{"not a hyphen prefix", h("en"), []string{"eng"}, ""},
		{"underscore is no separator", h("en_US"), []string{"en"}, ""},
		{"exact beats prefix", h("en"), []string{"en-US", "en"}, "en"},
		{"longer prefix closer", h("zh-Hant-TW"), []string{"zh", "zh-Hant"}, "zh-Hant"},
		{"range prefix of longer tag", h("zh-Hant"), []string{"zh-Hant-TW"}, "zh-Hant-TW"},
		{"q of the most specific range", h("en;q=0.9, en-US;q=0.1"), []string{"en-US", "en-GB"}, "en-GB"},
		{"q ranks first", h("en;q=0.8, es"), []string{"en", "es"}, "es"},
		{"header order", h("en-US, en-GB"), []string{"en-GB", "en-US"}, "en-US"},
		{"star", h("*;q=0.8, en, es"), []string{"ro", "nl"}, "ro"},
		{"star refused, listed accepted", h("*;q=0, en"), []string{"fr", "en"}, "en"},
		{"star refused", h("*;q=0"), []string{"fr"}, ""},
		{"whitespace before q", h("en; q=0.5, fr"), []string{"en", "fr"}, "fr"},
		{"q above 1 dropped", h("en;q=2, fr;q=0.5"), []string{"en", "fr"}, "fr"},
		{"invalid offer skipped", h("*"), []string{"", "en us", "en"}, "en"},
	}
	for _, tt := range tests {
		if got := Language(tt.lines, tt.offers...); got != tt.want {
			t.Errorf("%s: Language(%q, %q) = %q, want %q", tt.name, tt.lines, tt.offers, got, tt.want)
		}
	}
}

func TestLanguages(t *testing.T) {
	tests := []struct {
		lines []string
		want  []string
	}{
		{nil, []string{"*"}},
		{h(""), []string{}},
		{h("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), []string{"fr-CH", "fr", "en", "de", "*"}},
		{h("en; q=0.5, fr"), []string{"fr", "en"}},
		{h("en;q=0"), []string{}},
		{h("nl;q=0.5, fr, de"), []string{"fr", "de", "nl"}},
	}
	for _, tt := range tests {
		if got := Languages(tt.lines); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Languages(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}

func TestEncoding(t *testing.T) {
	tests := []struct {
		name   string
		lines  []string
		offers []string
		want   string
	}{
		{"absent allows only identity", nil, []string{"gzip", "identity"}, "identity"},
		{"absent refuses gzip", nil, []string{"gzip"}, ""},
		{"absent, no offers", nil, nil, "identity"},
		{"empty allows only identity", h(""), []string{"gzip", "deflate", "identity"}, "identity"},
		{"implicit identity", h("gzip"), []string{"identity"}, "identity"},
		{"listed before implicit identity", h("gzip"), []string{"identity", "gzip"}, "gzip"},
		{"implicit identity takes the lowest q", h("gzip;q=0.5"), []string{"identity", "gzip"}, "gzip"},
		{"implicit identity ranks after codings of its q", h("gzip;q=0.8, br;q=0.2"), []string{"identity", "br"}, "br"},
		{"implicit identity beats an unlisted coding", h("gzip;q=0.5"), []string{"deflate", "identity"}, "identity"},
		{"identity;q=0 refuses it", h("identity;q=0"), []string{"identity"}, ""},
		{"*;q=0 refuses identity", h("*;q=0"), []string{"identity"}, ""},
		{"*;q=0 with identity listed", h("*;q=0, identity;q=1"), []string{"gzip", "identity"}, "identity"},
		{"star", h("*"), []string{"gzip", "identity"}, "gzip"},
		{"star minus gzip", h("*, gzip;q=0"), []string{"gzip", "compress"}, "compress"},
		{"header order breaks ties", h("gzip, deflate, br"), []string{"br", "gzip"}, "gzip"},
		{"q first", h("br;q=1.0, gzip;q=0.8, *;q=0.1"), []string{"gzip", "br"}, "br"},
		{"case-insensitive", h("GZIP"), []string{"gzip"}, "gzip"},
		{"invalid q dropped", h("gzip;q=abc, deflate"), []string{"gzip", "deflate"}, "deflate"},
		{"q above 1 dropped", h("gzip;q=1.1, deflate;q=0.5"), []string{"gzip", "deflate"}, "deflate"},
		{"no offers: most preferred", h("gzip;q=0.8, deflate"), nil, "deflate"},
		{"no offers: identity", h("gzip;q=0"), nil, "identity"},
		{"no offers: nothing", h("*;q=0"), nil, ""},
	}
	for _, tt := range tests {
		if got := Encoding(tt.lines, tt.offers...); got != tt.want {
			t.Errorf("%s: Encoding(%q, %q) = %q, want %q", tt.name, tt.lines, tt.offers, got, tt.want)
		}
	}
}

func TestEncodings(t *testing.T) {
	tests := []struct {
		lines []string
		want  []string
	}{
		{nil, []string{"identity"}},
		{h(""), []string{"identity"}},
		{h("gzip, deflate"), []string{"gzip", "deflate", "identity"}},
		{h("gzip;q=0.8, deflate"), []string{"deflate", "gzip", "identity"}},
		{h("gzip, compress;q=0.2"), []string{"gzip", "compress", "identity"}},
		{h("br;q=1.0, gzip;q=0.8, *;q=0.1"), []string{"br", "gzip", "*"}},
		{h("*;q=0"), []string{}},
		{h("identity;q=0, gzip"), []string{"gzip"}},
		{h("gzip;q=0"), []string{"identity"}},
	}
	for _, tt := range tests {
		if got := Encodings(tt.lines); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Encodings(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}

func TestCharset(t *testing.T) {
	tests := []struct {
		name   string
		lines  []string
		offers []string
		want   string
	}{
		{"absent: first offer", nil, []string{"utf-7", "utf-8"}, "utf-7"},
		{"absent, no offers", nil, nil, "*"},
		{"empty accepts nothing", h(""), []string{"utf-8"}, ""},
		{"case-insensitive, offer as given", h("UTF-8"), []string{"utf-8"}, "utf-8"},
		{"q", h("UTF-8;q=0.8, ISO-8859-1"), []string{"UTF-8", "ISO-8859-1"}, "ISO-8859-1"},
		{"star minus one", h("*, UTF-8;q=0"), []string{"UTF-8", "ISO-8859-1"}, "ISO-8859-1"},
		{"best occurrence of a repeated charset", h("UTF-8;q=0.9, ISO-8859-1;q=0.8, UTF-8;q=0.7"), []string{"ISO-8859-1", "UTF-8"}, "UTF-8"},
		{"invalid q dropped", h("utf-8;q=abc, iso-8859-1"), []string{"utf-8", "iso-8859-1"}, "iso-8859-1"},
		{"no offers", h("utf-8;q=0.5, iso-8859-1"), nil, "iso-8859-1"},
	}
	for _, tt := range tests {
		if got := Charset(tt.lines, tt.offers...); got != tt.want {
			t.Errorf("%s: Charset(%q, %q) = %q, want %q", tt.name, tt.lines, tt.offers, got, tt.want)
		}
	}
	if got := Charsets(h("utf-8, iso-8859-1;q=0.2, utf-7;q=0.5")); !reflect.DeepEqual(got, []string{"utf-8", "utf-7", "iso-8859-1"}) {
		t.Errorf("Charsets = %q", got)
	}
	if got := Charsets(nil); !reflect.DeepEqual(got, []string{"*"}) {
		t.Errorf("Charsets(nil) = %q", got)
	}
	if got := Charsets(h("")); got == nil || len(got) != 0 {
		t.Errorf("Charsets(\"\") = %#v, want an empty non-nil slice", got)
	}
}

func TestIs(t *testing.T) {
	tests := []struct {
		ct    string
		body  bool
		types []string
		want  string
	}{
		{"application/json", false, []string{"json"}, ""},
		{"", true, []string{"json"}, ""},
		{"", true, nil, ""},
		{"text/html; charset=utf-8", true, nil, "text/html"},
		{"Text/HTML; Charset=UTF-8", true, nil, "text/html"},
		{"application/json", true, []string{"json"}, "json"},
		{"application/json", true, []string{".json"}, ".json"},
		{"application/json", true, []string{"JSON"}, "JSON"},
		{"application/json", true, []string{"application/json"}, "application/json"},
		{"application/json", true, []string{"application/JSON"}, ""},
		{"application/json", true, []string{"*/*"}, "application/json"},
		{"application/json", true, []string{"application/*"}, "application/json"},
		{"application/json", true, []string{"*/json"}, "application/json"},
		{"application/json", true, []string{"*"}, ""},
		{"application/json", true, []string{"html", "text/*"}, ""},
		{"application/vnd.api+json", true, []string{"+json"}, "application/vnd.api+json"},
		{"application/vnd.api+json", true, []string{"application/*+json"}, "application/vnd.api+json"},
		{"application/vnd.api+json", true, []string{"*/*+json"}, "application/vnd.api+json"},
		{"application/vnd.api+json", true, []string{"text/*+json"}, ""},
		{"application/vnd.api+json", true, []string{"json"}, ""},
		{"application/x-www-form-urlencoded", true, []string{"json", "urlencoded"}, "urlencoded"},
		{"multipart/form-data; boundary=x", true, []string{"multipart"}, "multipart"},
		{"multipart/form-data; boundary=x", true, []string{"multipart/*"}, "multipart/form-data"},
		{"multipart/form-data; boundary=x", true, []string{"multipart/form-data"}, "multipart/form-data"},
		{"application/x-www-form-urlencoded", true, []string{"form"}, ""},
		{"image/png", true, []string{"text/*", "image/*"}, "image/png"},
		{"image/png", true, []string{"png"}, "png"},
		{"image/png", true, []string{"image/png/"}, ""},
		{"text/html**", true, []string{"text/*"}, ""},
		{"application/json;", true, []string{"json"}, ""},
		{"application/json; charset", true, []string{"json"}, ""},
		{"application/json, text/plain", true, []string{"json"}, ""},
		{`Application/JSON; Charset="utf-8"`, true, []string{"json"}, "json"},
		{"text/plain", true, []string{"txt", "text"}, "txt"},
	}
	for _, tt := range tests {
		if got := Is(tt.ct, tt.body, tt.types...); got != tt.want {
			t.Errorf("Is(%q, %v, %q) = %q, want %q", tt.ct, tt.body, tt.types, got, tt.want)
		}
	}
}

func TestMediaType(t *testing.T) {
	long := strings.Repeat("a", 127)
	tests := []struct{ in, want string }{
		{"application/json", "application/json"},
		{"application/json; charset=utf-8", "application/json"},
		{"Application/JSON", "application/json"},
		{"  text/html  ; charset=utf-8", "text/html"},
		{"text/html;charset=utf-8;format=flowed", "text/html"},
		{`text/plain; charset="utf-8"; x="a\"b;c"`, "text/plain"},
		{"application/vnd.api+json", "application/vnd.api+json"},
		{"application/foo+", "application/foo"},
		{"application/a+b+json", ""},
		{"application/foo+js.on", ""},
		{"a/" + long, "a/" + long},
		{"a/" + long + "a", ""},
		{"", ""},
		{"json", ""},
		{"/json", ""},
		{"application/", ""},
		{"application/json;", ""},
		{"application/json; charset", ""},
		{"application/json; charset=", ""},
		{`application/json; charset="utf-8`, ""},
		{"application/json; charset=utf-8;", ""},
		{"application/json, text/plain", ""},
		{"text/html**", ""},
		{"\ttext/html", ""},
		{"text/html\t; a=b", ""},
		{".text/html", ""},
		{"text.x/html", ""},
		{"text/h.tml", "text/h.tml"},
	}
	for _, tt := range tests {
		if got := MediaType(tt.in); got != tt.want {
			t.Errorf("MediaType(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHasBody(t *testing.T) {
	tests := []struct {
		cl, te []string
		want   bool
	}{
		{nil, nil, false},
		{h("0"), nil, true},
		{h("12"), nil, true},
		{h("abc"), nil, false},
		{h(""), nil, false},
		{h("-1"), nil, false},
		{nil, h("chunked"), true},
		{h("abc"), h("chunked"), true},
	}
	for _, tt := range tests {
		if got := HasBody(tt.cl, tt.te); got != tt.want {
			t.Errorf("HasBody(%q, %q) = %v, want %v", tt.cl, tt.te, got, tt.want)
		}
	}
}

func TestExtType(t *testing.T) {
	tests := []struct{ in, want string }{
		{"json", "application/json"}, {".json", "application/json"}, {"JSON", "application/json"},
		{"x.tar.gz", "application/gzip"}, {"html", "text/html"}, {"htm", "text/html"},
		{"text", "text/plain"}, {"txt", "text/plain"}, {"xml", "application/xml"},
		{"js", "application/javascript"}, {"css", "text/css"}, {"png", "image/png"},
		{"jpg", "image/jpeg"}, {"svg", "image/svg+xml"}, {"md", "text/markdown"},
		{"json.", ""}, {"", ""}, {"urlencoded", ""}, {"multipart", ""}, {"form", ""},
		{strings.Repeat("x", 100), ""},
	}
	for _, tt := range tests {
		if got := extType(tt.in); got != tt.want {
			t.Errorf("extType(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for ext, typ := range extTypes {
		if ext != strings.ToLower(ext) || len(ext) > maxExt {
			t.Errorf("table key %q: must be lower case and at most maxExt long", ext)
		}
		if MediaType(typ) != typ {
			t.Errorf("table value %q for %q is not a valid lower-case media type", typ, ext)
		}
	}
}

// TestAbsentNoAlloc proves that an absent header costs no allocation, and that the
// functions that return one string never allocate.
func TestAbsentNoAlloc(t *testing.T) {
	present := map[string][]string{
		"accept":   h("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
		"language": h("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"),
		"encoding": h("gzip, deflate, br;q=0.9"),
		"charset":  h("utf-8, iso-8859-1;q=0.5"),
	}
	var sink string
	var sinkList []string
	checks := []struct {
		name string
		f    func()
	}{
		{"Accepts absent", func() { sink = Accepts(nil, "json", "html") }},
		{"Accepts absent, no offers", func() { sink = Accepts(nil) }},
		{"Types absent", func() { sinkList = Types(nil) }},
		{"Language absent", func() { sink = Language(nil, "en", "fr") }},
		{"Language absent, no offers", func() { sink = Language(nil) }},
		{"Languages absent", func() { sinkList = Languages(nil) }},
		{"Encoding absent", func() { sink = Encoding(nil, "gzip", "identity") }},
		{"Encoding absent, no offers", func() { sink = Encoding(nil) }},
		{"Encodings absent", func() { sinkList = Encodings(nil) }},
		{"Charset absent", func() { sink = Charset(nil, "utf-8") }},
		{"Charset absent, no offers", func() { sink = Charset(nil) }},
		{"Charsets absent", func() { sinkList = Charsets(nil) }},
		{"Is without body", func() { sink = Is("application/json", false, "json") }},
		{"Is without Content-Type", func() { sink = Is("", true, "json") }},
		{"Is", func() { sink = Is("application/json; charset=utf-8", true, "urlencoded", "+json", "json") }},
		{"MediaType", func() { sink = MediaType("application/json; charset=utf-8") }},
		{"HasBody", func() { _ = HasBody(nil, nil) }},
		{"Accepts", func() { sink = Accepts(present["accept"], "json", "html") }},
		{"Accepts, no offers", func() { sink = Accepts(present["accept"]) }},
		{"Accepts, extension with dot", func() { sink = Accepts(present["accept"], ".JSON") }},
		{"Language", func() { sink = Language(present["language"], "en-GB", "de") }},
		{"Language, no offers", func() { sink = Language(present["language"]) }},
		{"Encoding", func() { sink = Encoding(present["encoding"], "br", "gzip", "identity") }},
		{"Encoding, no offers", func() { sink = Encoding(present["encoding"]) }},
		{"Charset", func() { sink = Charset(present["charset"], "iso-8859-1") }},
		{"Charset, no offers", func() { sink = Charset(present["charset"]) }},
	}
	for _, c := range checks {
		if n := testing.AllocsPerRun(100, c.f); n != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, n)
		}
	}
	_, _ = sink, sinkList
}

// TestListAllocs bounds the allocations of the list functions when the header is
// present: the result slice only.
func TestListAllocs(t *testing.T) {
	var sink []string
	accept := h("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8")
	checks := []struct {
		name string
		f    func()
	}{
		{"Types", func() { sink = Types(accept) }},
		{"Languages", func() { sink = Languages(h("fr-CH, fr;q=0.9, en;q=0.8")) }},
		{"Encodings", func() { sink = Encodings(h("gzip, deflate, br;q=0.9")) }},
		{"Charsets", func() { sink = Charsets(h("utf-8, iso-8859-1;q=0.5")) }},
	}
	for _, c := range checks {
		if n := testing.AllocsPerRun(100, c.f); n > 1 {
			t.Errorf("%s: %v allocations, want at most 1", c.name, n)
		}
	}
	_ = sink
}

// TestLongHeaders covers headers with more elements than the functions parse up front:
// they read the field lines again for each offer and must answer the same.
func TestLongHeaders(t *testing.T) {
	var types, langs, codings []string
	for i := range 20 {
		types = append(types, fmt.Sprintf("type%d/sub;q=0.%03d", i, i+1))
		langs = append(langs, fmt.Sprintf("l%d;q=0.%03d", i, i+1))
		codings = append(codings, fmt.Sprintf("c%d;q=0.%03d", i, i+1))
	}
	for _, split := range []bool{false, true} {
		join := func(s []string) []string {
			if split {
				return s
			}
			return []string{strings.Join(s, ", ")}
		}
		if got := Accepts(join(types), "type3/sub", "type17/sub", "type18/other"); got != "type17/sub" {
			t.Errorf("Accepts = %q", got)
		}
		if got := Language(join(langs), "l3", "l17-x", "zz"); got != "l17-x" {
			t.Errorf("Language = %q", got)
		}
		if got := Charset(join(langs), "l3", "L17"); got != "L17" {
			t.Errorf("Charset = %q", got)
		}
		if got := Encoding(join(codings), "c3", "c19", "identity"); got != "c19" {
			t.Errorf("Encoding = %q", got)
		}
		if got := Encoding(join(codings), "c0", "identity"); got != "c0" {
			t.Errorf("Encoding with identity at the lowest q = %q", got)
		}
		if got := Encodings(join(codings)); len(got) != 21 || got[0] != "c19" || got[20] != "identity" {
			t.Errorf("Encodings = %q", got)
		}
		if got := Types(join(types)); len(got) != 20 || got[0] != "type19/sub" {
			t.Errorf("Types = %q", got)
		}
	}
}
