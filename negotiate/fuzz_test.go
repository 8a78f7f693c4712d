package negotiate

import (
	"slices"
	"strings"
	"testing"
)

// The fuzz targets check that the parsers never panic, answer the same twice, and only
// ever return one of the offers (or ""); without offers, the singular function returns
// the head of the preference list, whose values come from the header.

func oneOf(got string, offers ...string) bool {
	return got == "" || slices.Contains(offers, got)
}

func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

// checkList checks the preference list of a present header against its top value.
func checkList(t *testing.T, name string, list []string, top string, header string, extra ...string) {
	t.Helper()
	if list == nil {
		t.Fatalf("%s: nil list for a present header", name)
	}
	if len(list) == 0 && top != "" || len(list) > 0 && top != list[0] {
		t.Fatalf("%s: top %q, list %q", name, top, list)
	}
	for _, v := range list {
		if v == "" || !strings.Contains(header, v) && !slices.Contains(extra, v) {
			t.Fatalf("%s: %q is not from the header %q", name, v, header)
		}
	}
}

func FuzzAccept(f *testing.F) {
	f.Add("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "json", "html")
	f.Add(`text/html;level=1;q=0.5;foo="a,b", application/json;q=0.4`, "text/html;level=1", "json")
	f.Add("text/*, text/plain;q=0", "text/plain", ".html")
	f.Add(`a/b;x="\"";y=1;x=2`, `a/b;x="\""`, "a/b;x=2;y=1")
	f.Add("", "bogus", "text/*")
	f.Fuzz(func(t *testing.T, header, o1, o2 string) {
		lines := strings.Split(header, "\n")
		got := Accepts(lines, o1, o2)
		if got != Accepts(lines, o1, o2) {
			t.Fatal("not deterministic")
		}
		if !oneOf(got, o1, o2) {
			t.Fatalf("Accepts returned %q, not an offer", got)
		}
		types := Types(lines)
		if !slices.Equal(types, Types(lines)) {
			t.Fatal("Types not deterministic")
		}
		checkList(t, "Types", types, Accepts(lines), header)
		if !emptyList(lines) && got != first(rank(typeMatcher{lines: lines}, []string{o1, o2})) {
			t.Fatalf("Accepts returned %q; the unparsed path ranks %q", got, rank(typeMatcher{lines: lines}, []string{o1, o2}))
		}
		// Four offers, one of them twice and one a wildcard, in one pass.
		four := []string{o1, o2, o1, "text/*"}
		if got4 := Accepts(lines, four...); !emptyList(lines) && got4 != first(rank(typeMatcher{lines: lines}, four)) {
			t.Fatalf("Accepts returned %q for %q; the unparsed path ranks %q", got4, four, rank(typeMatcher{lines: lines}, four))
		}
		// More offers than one pass takes: the ranges are parsed first, then each
		// offer matched against them. Unknown extensions never match.
		if many := Accepts(lines, o1, o2, "x1", "x2", "x3"); many != got {
			t.Fatalf("Accepts returned %q with two offers, %q with three more that match nothing", got, many)
		}
	})
}

func FuzzLanguage(f *testing.F) {
	f.Add("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "en", "zh-Hant")
	f.Add("zh-Hant-TW", "zh-Hant", "zh")
	f.Add("en; q=0.5, fr", "EN", "fr-FR")
	f.Fuzz(func(t *testing.T, header, o1, o2 string) {
		lines := strings.Split(header, "\n")
		got := Language(lines, o1, o2)
		if got != Language(lines, o1, o2) {
			t.Fatal("not deterministic")
		}
		if !oneOf(got, o1, o2) {
			t.Fatalf("Language returned %q, not an offer", got)
		}
		if want := first(rank(langMatcher{simpleHeader{lines: lines}}, []string{o1, o2})); got != want {
			t.Fatalf("Language returned %q; the unparsed path gives %q", got, want)
		}
		list := Languages(lines)
		if !slices.Equal(list, Languages(lines)) {
			t.Fatal("Languages not deterministic")
		}
		checkList(t, "Languages", list, Language(lines), header)
	})
}

func FuzzEncoding(f *testing.F) {
	f.Add("gzip, deflate, br;q=0.9", "br", "identity")
	f.Add("*;q=0, identity;q=1", "gzip", "IDENTITY")
	f.Add("gzip;q=0.5, compress;q=0.001", "identity", "deflate")
	f.Fuzz(func(t *testing.T, header, o1, o2 string) {
		lines := strings.Split(header, "\n")
		got := Encoding(lines, o1, o2)
		if got != Encoding(lines, o1, o2) {
			t.Fatal("not deterministic")
		}
		if !oneOf(got, o1, o2) {
			t.Fatalf("Encoding returned %q, not an offer", got)
		}
		if want := first(rank(newEncMatcher(lines, nil), []string{o1, o2})); got != want {
			t.Fatalf("Encoding returned %q; the unparsed path gives %q", got, want)
		}
		list := Encodings(lines)
		if !slices.Equal(list, Encodings(lines)) {
			t.Fatal("Encodings not deterministic")
		}
		checkList(t, "Encodings", list, Encoding(lines), header, "identity")
	})
}

func FuzzCharset(f *testing.F) {
	f.Add("utf-8, iso-8859-1;q=0.2, utf-7;q=0.5", "utf-7", "UTF-8")
	f.Add("*, UTF-8;q=0", "UTF-8", "ISO-8859-1")
	f.Fuzz(func(t *testing.T, header, o1, o2 string) {
		lines := strings.Split(header, "\n")
		got := Charset(lines, o1, o2)
		if got != Charset(lines, o1, o2) {
			t.Fatal("not deterministic")
		}
		if !oneOf(got, o1, o2) {
			t.Fatalf("Charset returned %q, not an offer", got)
		}
		if want := first(rank(charsetMatcher{simpleHeader{lines: lines}}, []string{o1, o2})); got != want {
			t.Fatalf("Charset returned %q; the unparsed path gives %q", got, want)
		}
		list := Charsets(lines)
		if !slices.Equal(list, Charsets(lines)) {
			t.Fatal("Charsets not deterministic")
		}
		checkList(t, "Charsets", list, Charset(lines), header)
	})
}

func FuzzIs(f *testing.F) {
	f.Add("application/vnd.api+json; charset=utf-8", "+json", "json")
	f.Add(`Application/JSON; Charset="utf-8"`, "json", "application/*")
	f.Add("multipart/form-data; boundary=x", "multipart", "urlencoded")
	f.Add("application/foo+", "*/*", "*/*+")
	f.Fuzz(func(t *testing.T, ct, t1, t2 string) {
		mt := MediaType(ct)
		if mt != MediaType(ct) {
			t.Fatal("MediaType not deterministic")
		}
		if mt != "" {
			if mt != strings.ToLower(mt) || strings.Count(mt, "/") != 1 || strings.ContainsAny(mt, "; \t\"") {
				t.Fatalf("MediaType(%q) = %q", ct, mt)
			}
			if MediaType(mt) != mt {
				t.Fatalf("MediaType(%q) = %q, which does not give itself back", ct, mt)
			}
		}
		got := Is(ct, true, t1, t2)
		if got != Is(ct, true, t1, t2) {
			t.Fatal("not deterministic")
		}
		if !oneOf(got, t1, t2, mt) {
			t.Fatalf("Is returned %q, neither an offer nor the media type %q", got, mt)
		}
		if got != "" && mt == "" {
			t.Fatalf("Is matched %q for an invalid Content-Type", got)
		}
		if Is(ct, false, t1, t2) != "" {
			t.Fatal("Is matched without a body")
		}
		if Is(ct, true) != mt {
			t.Fatal("Is without types differs from MediaType")
		}
	})
}

// parseMediaRangeRef is parseMediaRange as it was before its fast paths (no
// parameters, a tight weight): the reference FuzzMediaRange holds it to.
func parseMediaRangeRef(e string) (r mediaRange, ok bool) {
	i := 0
	for i < len(e) && tchar[e[i]] {
		i++
	}
	if i == 0 || i >= len(e) || e[i] != '/' {
		return r, false
	}
	j := i + 1
	for j < len(e) && tchar[e[j]] {
		j++
	}
	if j == i+1 {
		return r, false
	}
	r.typ, r.sub, r.q = e[:i], e[i+1:j], 1000
	end := len(e)
	p := params{s: e, i: j}
	for {
		name, v, start, more, bad := p.next()
		if bad {
			return r, false
		}
		if !more {
			break
		}
		if isQ(name) {
			if r.q, ok = parseQ(v); !ok {
				return r, false
			}
			end = start
			break
		}
		r.np++
	}
	r.params = e[j:end]
	return r, true
}

func FuzzMediaRange(f *testing.F) {
	for _, s := range []string{
		"text/html", "application/xml;q=0.9", "*/*;q=0.8", "a/b;v=b3;q=0.7", "a/b;q= 0.5", "a/b;q=",
		`a/b;q="0.5"`, `a/b;q="0.5`, "a/b;Q=1", "a/b;q=0.5x", "a/b;q=0.5 ;x", "a/b;q=0.5;x=y", "a/b ;q=1",
		"a/b;q", "a/b;qq=1", "a/b;q=1.0001", "a/b;level=1", "a/", "/b", "a/b/c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, e string) {
		got, ok := parseMediaRange(e)
		want, wantOK := parseMediaRangeRef(e)
		if ok != wantOK || ok && got != want {
			t.Fatalf("parseMediaRange(%q) = %+v, %v; want %+v, %v", e, got, ok, want, wantOK)
		}
	})
}

// FuzzAcceptsLine checks the reading of a field line without quoted strings
// (onePass.line) against the general iterator and element reader: both leave
// every offer with the same range and count the same elements.
func FuzzAcceptsLine(f *testing.F) {
	f.Add("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7", "json", "html")
	f.Add(" text/html ;q=0.5 , a/b;q= 1,a/b;q=,a/b;q=0.5 x, a/b x,,a/;q=1, /b, foo, a/ b", "a/b", "text/*")
	f.Add("text/*;Q=1;level=2, text/html;q=1.0001, TEXT/HTML;q=0.001,\t*/*\t", "html", "txt")
	f.Fuzz(func(t *testing.T, line, o1, o2 string) {
		if strings.Contains(line, `"`) {
			return // a line with a quoted string is read by the general iterator
		}
		var inPlace, general onePass
		for _, m := range []*onePass{&inPlace, &general} {
			m.offs[0], m.valid[0] = parseOffer(o1)
			m.offs[1], m.valid[1] = parseOffer(o2)
			m.n = 2
			m.index()
		}
		n := inPlace.line(line, 0)
		it := elements{lines: []string{line}}
		for {
			e, idx, more := it.next()
			if !more {
				break
			}
			general.element(e, idx)
		}
		if n != it.n || inPlace != general {
			t.Fatalf("line %q: in place %d elements, %+v; general %d, %+v", line, n, inPlace.got, it.n, general.got)
		}
	})
}
