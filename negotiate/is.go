package negotiate

import "strings"

// Is reports which of types a request's Content-Type matches, with the semantics of
// jshttp/type-is 1.6.18 (what AdonisJS's request.is uses). It returns "" when hasBody is
// false, when the Content-Type is missing or invalid (see MediaType), or when no type
// matches.
//
// Each type is one of:
//   - a media type, compared case-sensitively with the lower-cased Content-Type
//     ("application/json"; "TEXT/PLAIN" never matches);
//   - a pattern with wildcards: "*/*", "text/*", "*/json", or a structured-syntax suffix
//     "application/*+json";
//   - "+json", short for "*/*+json";
//   - "urlencoded" (application/x-www-form-urlencoded) or "multipart" (multipart/*);
//   - an extension shorthand from the package's table ("json", ".png", "html").
//
// The first type that matches is returned as it was given, except that a pattern with
// "*" or a "+suffix" returns the request's media type (lower case, without parameters).
// Without types, Is returns the request's media type.
func Is(contentType string, hasBody bool, types ...string) string {
	if !hasBody {
		return ""
	}
	val := MediaType(contentType)
	if val == "" {
		return ""
	}
	if len(types) == 0 {
		return val
	}
	for _, t := range types {
		if isMatch(t, val) {
			if t[0] == '+' || strings.IndexByte(t, '*') >= 0 {
				return val
			}
			return t
		}
	}
	return ""
}

// isMatch reports whether the type given to Is matches the media type val.
func isMatch(t, val string) bool {
	var exp string
	switch {
	case t == "":
		return false
	case t == "urlencoded":
		exp = "application/x-www-form-urlencoded"
	case t == "multipart":
		exp = "multipart/*"
	case t[0] == '+':
		// "*/*" + t: any type whose subtype ends with the suffix.
		if strings.IndexByte(t, '/') >= 0 {
			return false
		}
		return strings.HasSuffix(val[strings.IndexByte(val, '/')+1:], t)
	case strings.IndexByte(t, '/') < 0:
		if exp = extType(t); exp == "" {
			return false
		}
	default:
		exp = t
	}
	return mimeMatch(exp, val)
}

// mimeMatch is type-is's mimeMatch: exp is type "/" subtype where either may be "*" and
// the subtype may be "*+suffix"; val is a valid lower-case media type.
func mimeMatch(exp, val string) bool {
	i := strings.IndexByte(exp, '/')
	if i < 0 || strings.IndexByte(exp[i+1:], '/') >= 0 {
		return false
	}
	et, es := exp[:i], exp[i+1:]
	j := strings.IndexByte(val, '/')
	at, as := val[:j], val[j+1:]
	if et != "*" && et != at {
		return false
	}
	if strings.HasPrefix(es, "*+") {
		return strings.HasSuffix(as, es[1:])
	}
	return es == "*" || es == as
}

// MediaType returns the media type of a Content-Type value, lower-cased and without
// parameters ("Text/HTML; charset=UTF-8" gives "text/html"), or "" when the value is not
// a valid Content-Type. It does not allocate unless the value has upper-case letters,
// which makes it the cheap way for a router to choose a body parser; Is uses it, so the
// two always agree.
//
// Validity follows media-typer 0.3.0, as type-is and so AdonisJS's body parser apply it:
// type and subtype are RFC 6838 restricted names (a letter or digit, then up to 126 of
// letters, digits and !#$&^_- plus . and + in the subtype, with at most one "+suffix"),
// spaces may surround the type, and every parameter must be name=value with a token or a
// quoted string as value. So "application/json;", "application/json; charset" and
// "application/json, text/plain" are invalid, while `Application/JSON; Charset="utf-8"`
// gives "application/json".
func MediaType(contentType string) string {
	s := contentType
	typePart := s
	semi := strings.IndexByte(s, ';')
	if semi >= 0 {
		typePart = s[:semi]
	}
	i, j := 0, len(typePart)
	for i < j && typePart[i] == ' ' {
		i++
	}
	for j > i && typePart[j-1] == ' ' {
		j--
	}
	t := typePart[i:j]
	slash := strings.IndexByte(t, '/')
	if slash < 0 {
		return ""
	}
	typ, sub := t[:slash], t[slash+1:]
	if !restrictedName(typ, typeNameChar) || !restrictedName(sub, subtypeChar) {
		return ""
	}
	// media-typer splits a suffix at the last '+' and formats the type again: the part
	// before it must not hold another '+', and an empty suffix disappears.
	if p := strings.LastIndexByte(sub, '+'); p >= 0 {
		if strings.IndexByte(sub[:p], '+') >= 0 {
			return ""
		}
		if suffix := sub[p+1:]; suffix == "" {
			t = t[:len(t)-1]
		} else if !restrictedName(suffix, typeNameChar) {
			return ""
		}
	}
	if semi >= 0 && !validCTParams(s[semi:]) {
		return ""
	}
	return strings.ToLower(t)
}

// typeNameChar and subtypeChar are the characters media-typer allows after the first
// (which must be a letter or digit) of a type name and of a subtype.
var typeNameChar, subtypeChar [256]bool

func init() {
	for c := 0; c < 256; c++ {
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		typeNameChar[c] = alnum || strings.IndexByte("!#$&^_-", byte(c)) >= 0
		subtypeChar[c] = typeNameChar[c] || c == '.' || c == '+'
	}
}

// restrictedName reports whether s is 1 to 127 characters, a letter or digit followed
// by characters of the set.
func restrictedName(s string, set [256]bool) bool {
	if s == "" || len(s) > 127 {
		return false
	}
	c := s[0]
	if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !set[s[i]] {
			return false
		}
	}
	return true
}

// validCTParams reports whether s (starting at the first ';') is a sequence of
// `; *token *= *(token|quoted-string) *`, media-typer's parameter grammar.
func validCTParams(s string) bool {
	i := 0
	for i < len(s) {
		if s[i] != ';' {
			return false
		}
		i = skipSpaces(s, i+1)
		j := i
		for j < len(s) && tchar[s[j]] {
			j++
		}
		if j == i {
			return false
		}
		j = skipSpaces(s, j)
		if j >= len(s) || s[j] != '=' {
			return false
		}
		j = skipSpaces(s, j+1)
		if j < len(s) && s[j] == '"' {
			if j = ctQuoted(s, j); j < 0 {
				return false
			}
		} else {
			k := j
			for k < len(s) && tchar[s[k]] {
				k++
			}
			if k == j {
				return false
			}
			j = k
		}
		i = skipSpaces(s, j)
	}
	return true
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// ctQuoted returns the index after the quoted string at s[i], or -1 when it is not
// terminated or holds a character media-typer does not allow (controls, DEL; an escape
// may quote only a visible character or a space).
func ctQuoted(s string, i int) int {
	for i++; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return i + 1
		case c == '\\':
			if i+1 >= len(s) || s[i+1] < 0x20 || s[i+1] > 0x7e {
				return -1
			}
			i++
		case c < 0x20 || c == 0x7f:
			return -1
		}
	}
	return -1
}

// HasBody reports whether a request has a body by type-is's rule (typeis.hasBody): it
// has one when it carries a Transfer-Encoding header, or a Content-Length whose first
// field line is a decimal number, "0" included. Both arguments are field lines, nil when
// the header is absent. With net/http, pass r.Header.Values("Content-Length") and
// r.TransferEncoding, since the server moves Transfer-Encoding out of the header map.
func HasBody(contentLength, transferEncoding []string) bool {
	if len(transferEncoding) > 0 {
		return true
	}
	if len(contentLength) == 0 {
		return false
	}
	v := trimOWS(contentLength[0])
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}
