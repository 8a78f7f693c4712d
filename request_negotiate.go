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
	return negotiate.Accepts(req.x.RequestHeaderValues("Accept"), offers...)
}

// Types returns the media types of the Accept header, most preferred first.
func (req *Request) Types() []string {
	return negotiate.Types(req.x.RequestHeaderValues("Accept"))
}

// Language returns the best of offers for Accept-Language, or "".
func (req *Request) Language(offers ...string) string {
	return negotiate.Language(req.x.RequestHeaderValues("Accept-Language"), offers...)
}

// Languages returns the languages of Accept-Language, most preferred first.
func (req *Request) Languages() []string {
	return negotiate.Languages(req.x.RequestHeaderValues("Accept-Language"))
}

// Encoding returns the best of offers for Accept-Encoding, or "".
func (req *Request) Encoding(offers ...string) string {
	return negotiate.Encoding(req.x.RequestHeaderValues("Accept-Encoding"), offers...)
}

// Encodings returns the encodings of Accept-Encoding, most preferred first.
func (req *Request) Encodings() []string {
	return negotiate.Encodings(req.x.RequestHeaderValues("Accept-Encoding"))
}

// Charset returns the best of offers for Accept-Charset, or "".
func (req *Request) Charset(offers ...string) string {
	return negotiate.Charset(req.x.RequestHeaderValues("Accept-Charset"), offers...)
}

// Charsets returns the charsets of Accept-Charset, most preferred first.
func (req *Request) Charsets() []string {
	return negotiate.Charsets(req.x.RequestHeaderValues("Accept-Charset"))
}
