package kaito

import (
	"net/http"
	"strings"
)

// KeptOnError reports whether a response header that is set when the
// request is answered with an error (a returned error, a failed Responder,
// a panic) is kept on that answer. Dropped are the headers that describe
// the success the handler meant to send, and would mislabel the error or
// make a cache keep it: Cache-Control, Expires, Pragma, Age, ETag,
// Last-Modified, Location, Accept-Ranges, and every Content-* header
// (Content-Type, Content-Encoding, Content-Disposition ...), which the error
// body sets anew. Everything else is kept: WWW-Authenticate on a 401,
// Retry-After on a 429 or 503, Allow, Vary, Set-Cookie, CORS, X-Request-Id,
// and the headers a middleware in front of the router set for every answer
// (Strict-Transport-Security, say).
func KeptOnError(name string) bool {
	if len(name) >= len("Content-") && strings.EqualFold(name[:len("Content-")], "Content-") {
		return false
	}
	for _, d := range droppedOnError {
		if strings.EqualFold(name, d) {
			return false
		}
	}
	return true
}

var droppedOnError = []string{"Cache-Control", "Expires", "Pragma", "Age", "ETag", "Last-Modified", "Location", "Accept-Ranges"}

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
