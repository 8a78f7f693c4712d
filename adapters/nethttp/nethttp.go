// Package nethttp serves a kaito Router on net/http.
//
// Handler turns a router into an http.Handler, so that ordinary
// func(http.Handler) http.Handler middleware wraps it; Serve runs an
// http.Server with safe defaults and shuts it down gracefully.
package nethttp

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kaito-go/kaito"
)

// Handler returns an http.Handler that serves r.
func Handler[C any](r *kaito.Router[C]) http.Handler {
	return &handler[C]{router: r}
}

// handler calls the router's Serve directly, not through a method value,
// which would cost two more calls per request.
type handler[C any] struct {
	router *kaito.Router[C]
}

var pool = sync.Pool{New: func() any { return new(exchange) }}

func (h *handler[C]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := pool.Get().(*exchange)
	x.w, x.r = w, r
	h.router.Serve(&x.req, x)
	if x.streamed {
		// A stream's Request was detached from this request and may still
		// be held (see kaito.Request): it is not reused.
		return
	}
	x.w, x.r = nil, nil
	pool.Put(x)
}

// exchange is a kaito.Exchange over net/http's request and response. It
// holds the kaito.Request too, so that one pooled object serves a request.
type exchange struct {
	w        http.ResponseWriter
	r        *http.Request
	req      kaito.Request
	streamed bool
}

func (x *exchange) Method() string { return x.r.Method }

// Path is r.URL.Path, the path middleware in front of the handler sees,
// not cleaned: the router redirects a path that is not canonical, so that
// both see the same one.
func (x *exchange) Path() string {
	if x.r.URL.Path == "" {
		return "/"
	}
	return x.r.URL.Path
}

func (x *exchange) RawQuery() string { return x.r.URL.RawQuery }
func (x *exchange) Host() string     { return x.r.Host }
func (x *exchange) Proto() string    { return x.r.Proto }

func (x *exchange) URI() string {
	if x.r.RequestURI != "" && x.r.RequestURI[0] == '/' {
		return x.r.RequestURI
	}
	// A request built in a test, or an absolute-form target: rebuild the
	// origin form.
	u := x.r.URL.EscapedPath()
	if x.r.URL.RawQuery != "" {
		u += "?" + x.r.URL.RawQuery
	}
	return u
}

// RequestHeader reads Host and Transfer-Encoding, which net/http takes out
// of the header map, from where it put them.
func (x *exchange) RequestHeader(name string) string {
	if v := x.values(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

func (x *exchange) RequestHeaderValues(name string) []string { return x.values(name) }

// values looks name up as given when it is already in canonical form, as
// the names kaito asks for are, and saves canonicalising it on every
// request; other names go through http.Header.
func (x *exchange) values(name string) []string {
	if v, ok := x.r.Header[name]; ok {
		return v
	}
	if absentIsAbsent(name) {
		return nil
	}
	if !canonical(name) {
		if v := x.r.Header.Values(name); v != nil {
			return v
		}
		name = http.CanonicalHeaderKey(name)
	}
	switch name {
	case "Host":
		if x.r.Host != "" {
			return []string{x.r.Host}
		}
	case "Transfer-Encoding":
		if len(x.r.TransferEncoding) > 0 {
			return []string{strings.Join(x.r.TransferEncoding, ", ")}
		}
	}
	return nil
}

// absentIsAbsent reports whether name is one that kaito looks up on most
// requests, in canonical form and neither Host nor Transfer-Encoding, so
// that a miss in the header map is the answer: a switch costs less than
// checking the name byte by byte (canonical).
func absentIsAbsent(name string) bool {
	switch name {
	case "Content-Encoding", "Content-Type", "Accept", "Accept-Language", "Accept-Encoding",
		"Accept-Charset", "Origin", "Forwarded", "X-Forwarded-For", "X-Request-Id":
		return true
	}
	return false
}

// canonical reports whether name is in the form textproto gives header
// names: letters upper-case at the start and after '-', lower-case elsewhere.
func canonical(name string) bool {
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if !upper {
				return false
			}
		case c >= 'a' && c <= 'z':
			if upper {
				return false
			}
		case c == '-' || (c >= '0' && c <= '9'):
		default:
			return false
		}
		upper = c == '-'
	}
	return name != ""
}

func (x *exchange) VisitRequestHeaders(fn func(name, value string)) {
	if x.r.Host != "" {
		fn("Host", x.r.Host)
	}
	if len(x.r.TransferEncoding) > 0 {
		fn("Transfer-Encoding", strings.Join(x.r.TransferEncoding, ", "))
	}
	for k, vs := range x.r.Header {
		for _, v := range vs {
			fn(k, v)
		}
	}
}

func (x *exchange) Cookie(name string) (string, bool) {
	c, err := x.r.Cookie(name)
	if err != nil {
		return "", false
	}
	return c.Value, true
}

func (x *exchange) ContentLength() int64 {
	if x.r.Body == nil || x.r.Body == http.NoBody {
		return 0
	}
	return x.r.ContentLength
}

func (x *exchange) Body() io.Reader {
	if x.r.Body == nil {
		return http.NoBody
	}
	return x.r.Body
}

// Abort panics with http.ErrAbortHandler, which net/http's server
// recovers by closing the connection without logging.
func (x *exchange) Abort() { panic(http.ErrAbortHandler) }

// Volatile is false: net/http's strings are the application's to keep.
func (x *exchange) Volatile() bool { return false }

// BodyBytes reports false: net/http bodies are read from the connection.
func (x *exchange) BodyBytes() ([]byte, bool) { return nil, false }

func (x *exchange) RemoteAddr() string       { return x.r.RemoteAddr }
func (x *exchange) TLS() bool                { return x.r.TLS != nil }
func (x *exchange) Context() context.Context { return x.r.Context() }

func (x *exchange) Header() kaito.ResponseHeader { return x.w.Header() }
func (x *exchange) WriteHeader(status int)       { x.w.WriteHeader(status) }
func (x *exchange) Write(p []byte) (int, error)  { return x.w.Write(p) }

// StreamWriteWindow is how long a response stream may go without a flush
// before the connection's write deadline cuts it off. Every flush pushes the
// deadline this far ahead, so that a stream (SSE) outlives the server's
// WriteTimeout while it keeps sending, and a client that stops reading
// cannot hold it open for ever.
const StreamWriteWindow = 2 * time.Minute

// Stream runs body inside the handler, as net/http wants; the request's
// context, which ends when the client goes away, is the stream's.
func (x *exchange) Stream(body func(w io.Writer, flush func() error)) {
	x.streamed = true
	// The stream's context also ends when the server starts shutting
	// down, and flush then fails, so that the stream ends at once and
	// does not hold the shutdown (streamContext, in serve.go).
	ctx, stop := streamContext(x.r.Context())
	defer stop()
	if ctx != x.r.Context() {
		x.r = x.r.WithContext(ctx)
	}
	rc := http.NewResponseController(x.w)
	flush := func() error {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if err := rc.Flush(); err != nil {
			return err
		}
		// Not every ResponseWriter has deadlines (a recorder in tests).
		rc.SetWriteDeadline(time.Now().Add(StreamWriteWindow))
		return nil
	}
	flush() // send the status and header now
	body(x.w, flush)
}
