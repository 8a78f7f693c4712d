// Package fasthttp serves a kaito Router on github.com/valyala/fasthttp,
// reading fasthttp's request directly: nothing is converted through
// net/http types.
//
// fasthttp reuses its request and response buffers once a handler returns.
// Everything kaito hands to application code (strings, the bound input,
// the Qs and Body maps, uploaded files) is copied out of those buffers, so
// values kept after the response stay intact. The *kaito.Request itself is
// reused for a later request: do not keep it.
package fasthttp

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/netip"
	"sync"
	"time"
	"unsafe"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
)

// Handler returns a fasthttp.RequestHandler that serves r.
func Handler[C any](r *kaito.Router[C]) fasthttp.RequestHandler {
	serve := r.Serve
	return func(ctx *fasthttp.RequestCtx) {
		x := pool.Get().(*exchange)
		x.init(ctx)
		serve(&x.req, x)
		drainBody(ctx)
		if x.streaming {
			// The stream runs after this handler returns and still uses x:
			// it is not reused, and the collector takes it when done.
			return
		}
		x.release()
		pool.Put(x)
	}
}

// drainBody reads what the handler left of a streamed request body, up to
// 256 KiB as net/http does, so that the connection can serve the next
// request; when more is left, the connection is closed: the rest must never
// be parsed as a request.
func drainBody(ctx *fasthttp.RequestCtx) {
	s := ctx.RequestBodyStream()
	if s == nil {
		return
	}
	if _, err := io.CopyN(io.Discard, s, 256<<10); err != io.EOF {
		ctx.SetConnectionClose()
	}
}

var pool = sync.Pool{New: func() any { return new(exchange) }}

// exchange is a kaito.Exchange over a fasthttp.RequestCtx.
type exchange struct {
	ctx       *fasthttp.RequestCtx
	req       kaito.Request
	path      string
	uri       string
	uriDone   bool
	query     string
	queryDone bool
	body      bytes.Reader
	header    responseHeader
	done      doneContext
	streaming bool
}

func (x *exchange) init(ctx *fasthttp.RequestCtx) {
	x.ctx = ctx
	x.header.h = &ctx.Response.Header
	// The path is not copied: it is only read while matching, and the
	// core copies route parameters before the application sees them
	// (Volatile).
	p := ctx.Path()
	x.path = unsafe.String(unsafe.SliceData(p), len(p))
	x.uriDone, x.queryDone, x.streaming = false, false, false
	x.done = doneContext{done: ctx.Done()}
}

func (x *exchange) release() {
	x.ctx, x.header.h = nil, nil
	x.path, x.uri, x.query = "", "", ""
	x.body.Reset(nil)
	x.done = doneContext{}
}

// Method interns the common methods, so that they cost no allocation.
func (x *exchange) Method() string {
	switch m := x.ctx.Method(); string(m) {
	case "GET":
		return "GET"
	case "POST":
		return "POST"
	case "PUT":
		return "PUT"
	case "PATCH":
		return "PATCH"
	case "DELETE":
		return "DELETE"
	case "HEAD":
		return "HEAD"
	case "OPTIONS":
		return "OPTIONS"
	default:
		return string(m)
	}
}

func (x *exchange) Path() string { return x.path }

// Abort drops whatever the handler wrote (fasthttp sends nothing before
// the handler returns), answers 500 and closes the connection.
func (x *exchange) Abort() {
	x.ctx.Response.Reset()
	x.ctx.SetStatusCode(fasthttp.StatusInternalServerError)
	x.ctx.SetContentType("application/json; charset=utf-8")
	x.ctx.SetBodyString(`{"message":"Internal Server Error"}`)
	x.ctx.SetConnectionClose()
}

// Volatile is true: Path aliases fasthttp's request buffer.
func (x *exchange) Volatile() bool { return true }

// BodyBytes returns the body fasthttp read before the handler ran; a
// streamed (large) body is read from Body instead.
func (x *exchange) BodyBytes() ([]byte, bool) {
	if x.ctx.Request.IsBodyStream() {
		return nil, false
	}
	return x.ctx.PostBody(), true
}

func (x *exchange) URI() string {
	if !x.uriDone {
		x.uriDone = true
		if raw := x.ctx.RequestURI(); len(raw) > 0 && raw[0] == '/' {
			x.uri = string(raw)
		} else {
			// An absolute-form target (GET http://host/path): keep the
			// origin form, as net/http's adapter does.
			u := x.ctx.URI()
			x.uri = string(u.PathOriginal())
			if x.uri == "" {
				x.uri = "/"
			}
			if q := u.QueryString(); len(q) > 0 {
				x.uri += "?" + string(q)
			}
		}
	}
	return x.uri
}

func (x *exchange) RawQuery() string {
	if !x.queryDone {
		x.query, x.queryDone = string(x.ctx.URI().QueryString()), true
	}
	return x.query
}

func (x *exchange) Host() string  { return string(x.ctx.Host()) }
func (x *exchange) Proto() string { return string(x.ctx.Request.Header.Protocol()) }

func (x *exchange) RequestHeader(name string) string {
	return string(x.ctx.Request.Header.Peek(name))
}

func (x *exchange) RequestHeaderValues(name string) []string {
	all := x.ctx.Request.Header.PeekAll(name)
	if len(all) == 0 {
		return nil
	}
	vs := make([]string, len(all))
	for i, v := range all {
		vs[i] = string(v)
	}
	return vs
}

// RequestHeaderViews appends the field lines of the named request header
// to dst without copying them: the strings alias fasthttp's buffer, valid
// only while the request is served. The core reads header values in place
// through it where it keeps nothing of them (the walk to the client
// address, negotiation against the application's offers).
func (x *exchange) RequestHeaderViews(name string, dst []string) []string {
	for _, v := range x.ctx.Request.Header.PeekAll(name) {
		dst = append(dst, unsafe.String(unsafe.SliceData(v), len(v)))
	}
	return dst
}

func (x *exchange) VisitRequestHeaders(fn func(name, value string)) {
	for k, v := range x.ctx.Request.Header.All() {
		fn(string(k), string(v))
	}
}

func (x *exchange) Cookie(name string) (string, bool) {
	v := x.ctx.Request.Header.Cookie(name)
	if v == nil {
		return "", false
	}
	return string(v), true
}

// ContentLength is the length of the body fasthttp has read: it reads
// whole bodies, within the server's MaxRequestBodySize, before the handler
// runs.
func (x *exchange) ContentLength() int64 {
	if x.ctx.Request.IsBodyStream() {
		switch n := x.ctx.Request.Header.ContentLength(); {
		case n == -1:
			return -1 // chunked
		case n < 0:
			return 0
		default:
			return int64(n)
		}
	}
	return int64(len(x.ctx.PostBody()))
}

func (x *exchange) Body() io.Reader {
	if s := x.ctx.RequestBodyStream(); s != nil {
		return s
	}
	x.body.Reset(x.ctx.PostBody())
	return &x.body
}

func (x *exchange) RemoteAddr() string {
	if a, ok := x.ctx.RemoteAddr().(*net.TCPAddr); ok {
		var buf [64]byte
		return string(appendTCPAddr(buf[:0], a))
	}
	return x.remoteAddrOther()
}

// RemoteAddrPort is the socket peer as an address, for the walk to the
// client address: it saves formatting it for the resolver to parse again.
func (x *exchange) RemoteAddrPort() (netip.AddrPort, bool) {
	if a, ok := x.ctx.RemoteAddr().(*net.TCPAddr); ok && a.Zone == "" && a.Port >= 0 && a.Port <= 65535 {
		if ip, ok := netip.AddrFromSlice(a.IP); ok {
			return netip.AddrPortFrom(ip, uint16(a.Port)), true
		}
	}
	return netip.AddrPort{}, false
}

func (x *exchange) remoteAddrOther() string {
	addr := x.ctx.RemoteAddr()
	if addr == nil {
		return ""
	}
	if _, ok := addr.(*net.UnixAddr); ok {
		return "@"
	}
	return addr.String()
}

// appendTCPAddr appends a as net.TCPAddr.String formats it ("ip:port",
// "[ipv6]:port"), without allocating in the common case.
func appendTCPAddr(b []byte, a *net.TCPAddr) []byte {
	ip, ok := netip.AddrFromSlice(a.IP)
	if !ok || a.Zone != "" || a.Port < 0 || a.Port > 65535 {
		return append(b, a.String()...) // rare: let net format it
	}
	return netip.AddrPortFrom(ip.Unmap(), uint16(a.Port)).AppendTo(b)
}

func (x *exchange) TLS() bool { return x.ctx.IsTLS() }

// Context is done when the server shuts down. fasthttp gives no signal for
// a client that goes away mid-request; a stream learns it from a failed write.
func (x *exchange) Context() context.Context { return &x.done }

func (x *exchange) Header() kaito.ResponseHeader { return &x.header }
func (x *exchange) WriteHeader(status int)       { x.ctx.SetStatusCode(status) }
func (x *exchange) Write(p []byte) (int, error)  { return x.ctx.Write(p) }

// StreamWriteWindow is how long a response stream may go without a flush
// before the connection's write deadline cuts it off. Every flush pushes the
// deadline this far ahead, so that a stream (SSE) outlives the server's
// WriteTimeout while it keeps sending, and a client that stops reading
// cannot hold it open for ever.
const StreamWriteWindow = 2 * time.Minute

func (x *exchange) Stream(body func(w io.Writer, flush func() error)) {
	x.streaming = true
	conn := x.ctx.Conn()
	x.ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
		flush := func() error {
			if err := w.Flush(); err != nil {
				return err
			}
			if conn != nil {
				// fasthttp set a deadline of WriteTimeout before writing
				// the response; a net.Conn allows this from our goroutine.
				return conn.SetWriteDeadline(time.Now().Add(StreamWriteWindow))
			}
			return nil
		}
		body(w, flush)
		w.Flush()
	})
}

// responseHeader is kaito.ResponseHeader over fasthttp's response header.
type responseHeader struct{ h *fasthttp.ResponseHeader }

func (r *responseHeader) Get(key string) string { return string(r.h.Peek(key)) }

func (r *responseHeader) Values(key string) []string {
	all := r.h.PeekAll(key)
	vs := make([]string, len(all))
	for i, v := range all {
		vs[i] = string(v)
	}
	return vs
}

func (r *responseHeader) Set(key, value string) {
	if key == "Content-Type" {
		r.h.SetContentType(value) // skips the generic header path
		return
	}
	r.h.Set(key, value)
}
func (r *responseHeader) Add(key, value string) { r.h.Add(key, value) }
func (r *responseHeader) Del(key string)        { r.h.Del(key) }

// doneContext is a context.Context that is done when the server shuts down.
// It holds the server's channel rather than the RequestCtx, which a stream
// must not touch once the handler has returned.
type doneContext struct{ done <-chan struct{} }

func (d *doneContext) Deadline() (time.Time, bool) { return time.Time{}, false }
func (d *doneContext) Done() <-chan struct{}       { return d.done }
func (d *doneContext) Value(any) any               { return nil }

func (d *doneContext) Err() error {
	select {
	case <-d.done:
		return context.Canceled
	default:
		return nil
	}
}
