package kaito

import (
	"net/http"
	"strings"
)

// KeptOnError reports whether a response header that a handler set is kept
// when the request is answered with an error instead (a returned error, a
// failed Responder, a panic). Kept are the headers that describe the error
// or belong to every answer: WWW-Authenticate and Proxy-Authenticate (a 401
// or 407 needs them), Retry-After (429, 503), Allow (405), Vary, the CORS
// Access-Control-* headers, X-Request-Id, Content-Range (416) and Set-Cookie
// (a handler that refuses a stale session clears its cookie). Every other
// header is dropped: Cache-Control, ETag and Last-Modified describe the
// success the handler meant to send, and must not make a cache keep its
// 500; Content-Type, Content-Encoding and Content-Disposition would mislabel
// the error body.
func KeptOnError(name string) bool {
	for _, k := range keptOnError {
		if strings.EqualFold(name, k) {
			return true
		}
	}
	return len(name) > len("Access-Control-") && strings.EqualFold(name[:len("Access-Control-")], "Access-Control-")
}

var keptOnError = []string{"WWW-Authenticate", "Proxy-Authenticate", "Retry-After", "Allow", "Vary",
	"X-Request-Id", "Content-Range", "Set-Cookie"}

// headerFilter is implemented by a runtime's ResponseHeader that is not an
// http.Header (fasthttp's adapter): it deletes every header keep refuses.
type headerFilter interface {
	KeepOnly(keep func(name string) bool)
}

// dropHandlerHeaders removes what the handler set that an error answer must
// not carry (see KeptOnError).
func (req *Request) dropHandlerHeaders() {
	switch h := req.x.Header().(type) {
	case http.Header:
		for name := range h {
			if !KeptOnError(name) {
				delete(h, name)
			}
		}
	case headerFilter:
		h.KeepOnly(KeptOnError)
	}
}
