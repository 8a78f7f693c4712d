package kaito

import "github.com/kaito-go/kaito/negotiate"

// Is returns the first of types that the request's Content-Type matches
// ("json", "application/*", "+json" ...), or "" when none does or the
// request has no body.
func (req *Request) Is(types ...string) string {
	return negotiate.Is(req.x.RequestHeader("Content-Type"), req.HasBody(), types...)
}

// Accepts returns the best of offers ("json", "html", "text/plain" ...)
// for the Accept header, or "" when the client accepts none of them.
func (req *Request) Accepts(offers ...string) string {
	if len(offers) == 0 { // the header's own preference, copied
		return negotiate.Accepts(req.x.RequestHeaderValues("Accept"))
	}
	// With offers the answer is one of them, never a piece of the header:
	// the header is read in place.
	best := negotiate.Accepts(req.headerViews("Accept"), offers...)
	req.dropViews()
	return best
}

// Types returns the media types of the Accept header, most preferred first.
func (req *Request) Types() []string {
	return negotiate.Types(req.x.RequestHeaderValues("Accept"))
}

// Language returns the best of offers for Accept-Language, or "".
func (req *Request) Language(offers ...string) string {
	if len(offers) == 0 { // the header's own preference, copied
		return negotiate.Language(req.x.RequestHeaderValues("Accept-Language"))
	}
	// With offers the answer is one of them, never a piece of the header:
	// the header is read in place.
	best := negotiate.Language(req.headerViews("Accept-Language"), offers...)
	req.dropViews()
	return best
}

// Languages returns the languages of Accept-Language, most preferred first.
func (req *Request) Languages() []string {
	return negotiate.Languages(req.x.RequestHeaderValues("Accept-Language"))
}

// Encoding returns the best of offers for Accept-Encoding, or "".
func (req *Request) Encoding(offers ...string) string {
	if len(offers) == 0 { // the header's own preference, copied
		return negotiate.Encoding(req.x.RequestHeaderValues("Accept-Encoding"))
	}
	// With offers the answer is one of them, never a piece of the header:
	// the header is read in place.
	best := negotiate.Encoding(req.headerViews("Accept-Encoding"), offers...)
	req.dropViews()
	return best
}

// Encodings returns the encodings of Accept-Encoding, most preferred first.
func (req *Request) Encodings() []string {
	return negotiate.Encodings(req.x.RequestHeaderValues("Accept-Encoding"))
}

// Charset returns the best of offers for Accept-Charset, or "".
func (req *Request) Charset(offers ...string) string {
	if len(offers) == 0 { // the header's own preference, copied
		return negotiate.Charset(req.x.RequestHeaderValues("Accept-Charset"))
	}
	// With offers the answer is one of them, never a piece of the header:
	// the header is read in place.
	best := negotiate.Charset(req.headerViews("Accept-Charset"), offers...)
	req.dropViews()
	return best
}

// Charsets returns the charsets of Accept-Charset, most preferred first.
func (req *Request) Charsets() []string {
	return negotiate.Charsets(req.x.RequestHeaderValues("Accept-Charset"))
}
