package kaito

import (
	"context"
	"io"
)

// Exchange is one request and its response as a server runtime sees them.
// The adapters in adapters/nethttp and adapters/fasthttp implement it; an
// application never needs to. Its methods are called on the goroutine that
// serves the request, or on the stream's goroutine for a stream the runtime
// runs later; an Exchange stays valid until Router.Serve returns and any
// stream it started has finished. The core copies what it hands to the
// application out of strings that alias the runtime's buffers (Volatile).
type Exchange interface {
	// Method is the request method as received, e.g. "GET".
	Method() string
	// Path is the percent-decoded request path as received, not cleaned:
	// "//", "." and ".." segments are left in, for the core to redirect
	// (see Router.Serve); "/" when the target has no path. It is the path a
	// net/http middleware sees as r.URL.Path, and is used for matching. It
	// may alias a buffer the runtime reuses (see Volatile).
	Path() string
	// Volatile reports whether Path aliases a buffer the runtime reuses
	// after the request; the core then copies what it hands out of it.
	Volatile() bool
	// URI is the request target as received: the escaped path and, if
	// present, "?" and the raw query.
	URI() string
	// RawQuery is the query string as received, without the "?".
	RawQuery() string
	// Host is the Host header (or the HTTP/2 :authority).
	Host() string
	// Proto is the protocol version, e.g. "HTTP/1.1".
	Proto() string
	// RequestHeader returns the first value of the named request header, or "".
	RequestHeader(name string) string
	// RequestHeaderValues returns every field line of the named request
	// header in order, or nil when the header is absent.
	RequestHeaderValues(name string) []string
	// VisitRequestHeaders calls fn for every request header field line.
	VisitRequestHeaders(fn func(name, value string))
	// Cookie returns the value of the named request cookie.
	Cookie(name string) (string, bool)
	// ContentLength is the declared body length, or -1 when unknown.
	ContentLength() int64
	// Body returns the request body. It is never nil.
	Body() io.Reader
	// BodyBytes returns the whole body when the runtime has already read
	// it into memory, aliasing the runtime's buffer; ok is false when the
	// body is still to be read from Body.
	BodyBytes() (body []byte, ok bool)
	// RemoteAddr is the socket peer: "ip:port", or "@" or "" for a Unix socket.
	RemoteAddr() string
	// TLS reports whether the connection is TLS.
	TLS() bool
	// Context is cancelled when the client goes away or the server shuts down.
	Context() context.Context

	// Header returns the response header, to change before WriteHeader.
	Header() ResponseHeader
	// WriteHeader sends the status line and the response header.
	WriteHeader(status int)
	// Write writes to the response body.
	Write(p []byte) (int, error)
	// Abort drops the response and the connection, for a handler that
	// panicked with http.ErrAbortHandler or a response cut short after it
	// started: a body already begun must not be ended as if complete.
	// net/http's adapter re-panics with http.ErrAbortHandler, as net/http
	// expects.
	Abort()
	// Stream sends the status and header, then has body write the response
	// body with flush pushing what was written to the client. A runtime may
	// call body after Router.Serve returns (fasthttp does), on another
	// goroutine; the core has by then stopped reading the request through
	// the Exchange, but calls Context, which must end when the client goes
	// away. A panic with http.ErrAbortHandler from body means the body was
	// cut short: the runtime drops the connection without ending the body
	// (no final chunk). An Exchange that streamed is not reused for another
	// request while anything may still hold it.
	Stream(body func(w io.Writer, flush func() error))
}

// ResponseHeader is the set of response header fields. http.Header satisfies it.
type ResponseHeader interface {
	// Get returns the first value of the key, or "".
	Get(key string) string
	// Values returns every value of the key.
	Values(key string) []string
	// Set replaces the values of the key.
	Set(key, value string)
	// Add appends a value to the key.
	Add(key, value string)
	// Del removes the key.
	Del(key string)
}
