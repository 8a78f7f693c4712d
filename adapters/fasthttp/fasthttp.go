// Package fasthttp serves a kaito Router on github.com/valyala/fasthttp,
// reading fasthttp's request directly: nothing is converted through
// net/http types.
//
// fasthttp reuses its request and response buffers once a handler returns.
// Everything kaito hands to application code (strings, the bound input,
// the Qs and Body maps, uploaded files) is copied out of those buffers, so
// values kept after the response stay intact. The *kaito.Request itself is
// reused for a later request: do not keep it. A response stream (SSE,
// Stream) runs after the handler returned, on its own goroutine: its
// Request is detached from fasthttp's buffers when it starts, and not reused.
package fasthttp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
	"unsafe"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
)

// Handler returns a fasthttp.RequestHandler that serves r.
func Handler[C any](r *kaito.Router[C]) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		x := pool.Get().(*exchange)
		x.init(ctx)
		r.Serve(&x.req, x)
		if x.streaming {
			// The stream runs after this handler returns and still uses x:
			// it is not reused, and the collector takes it when done. It
			// read what was left of the body itself.
			return
		}
		drainBody(ctx)
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
	pathBuf   []byte // the decoded path, when it had escapes
	uri       string
	uriDone   bool
	query     string
	queryDone bool
	body      bytes.Reader
	header    responseHeader
	done      doneContext
	stream    *streamContext
	streaming bool
}

func (x *exchange) init(ctx *fasthttp.RequestCtx) {
	x.ctx = ctx
	x.header.h = &ctx.Response.Header
	// The path is not copied: it is only read while matching, and the
	// core copies route parameters before the application sees them
	// (Volatile). It is the path as received, percent-decoded but not
	// cleaned as fasthttp's ctx.Path() is: the core redirects a path that
	// is not canonical, on both adapters alike.
	p := ctx.URI().PathOriginal()
	switch {
	case len(p) == 0:
		x.path = "/"
	case bytes.IndexByte(p, '%') >= 0:
		x.pathBuf = unescapePath(x.pathBuf[:0], p)
		x.path = unsafe.String(unsafe.SliceData(x.pathBuf), len(x.pathBuf))
	default:
		x.path = unsafe.String(unsafe.SliceData(p), len(p))
	}
	x.uriDone, x.queryDone, x.streaming = false, false, false
	x.done = doneContext{done: ctx.Done()}
	x.stream = nil
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

// unescapePath appends p to dst with its %XX escapes decoded; a '%' that
// starts no valid escape is kept, as fasthttp keeps it, and '+' stays '+'.
func unescapePath(dst, p []byte) []byte {
	for i := 0; i < len(p); i++ {
		if c := p[i]; c == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]) {
			dst = append(dst, unhex(p[i+1])<<4|unhex(p[i+2]))
			i += 2
		} else {
			dst = append(dst, c)
		}
	}
	return dst
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

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
	h := &x.ctx.Request.Header
	if normalized(name) {
		// The name is looked up as it is: see peekAll.
		return string(h.PeekCanonical(unsafe.Slice(unsafe.StringData(name), len(name))))
	}
	return string(h.Peek(name))
}

func (x *exchange) RequestHeaderValues(name string) []string {
	all := peekAll(&x.ctx.Request.Header, name)
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
	for _, v := range peekAll(&x.ctx.Request.Header, name) {
		dst = append(dst, unsafe.String(unsafe.SliceData(v), len(v)))
	}
	return dst
}

// BodyHeaderViews returns the request's Content-Type and Content-Encoding
// without copying them: fasthttp keeps the Content-Type parsed apart, so it
// is read without a look-up. The strings alias fasthttp's buffers, valid
// only while the request is served; the core reads them only to classify
// and decode the body, keeping nothing of them after the request.
func (x *exchange) BodyHeaderViews() (contentType, contentEncoding string) {
	ct, enc := x.ctx.Request.Header.ContentType(), x.ctx.Request.Header.ContentEncoding()
	return unsafe.String(unsafe.SliceData(ct), len(ct)), unsafe.String(unsafe.SliceData(enc), len(enc))
}

// peekAll is h.PeekAll(name). fasthttp normalizes the name it is given on
// every look-up (a copy, then three passes over it) to the form it stores
// names in when it reads a request; the core asks for names already in that
// form (textproto's canonical form: "X-Forwarded-For", "Accept"), which are
// looked up as they are. A server that stores names as received
// (DisableHeaderNamesNormalizing) looks them up as given either way.
func peekAll(h *fasthttp.RequestHeader, name string) [][]byte {
	if !normalized(name) {
		return h.PeekAll(name)
	}
	if h.DisableNormalizing() {
		return h.PeekAll(name) // normalizing was off already
	}
	all := h.PeekAll(name)
	h.EnableNormalizing()
	return all
}

// normalized reports whether fasthttp's normalization would leave name as
// it is: no lower-case letter at the start or after a '-', no upper-case
// letter elsewhere, and no space or control byte (fasthttp turns CR and LF
// into spaces).
func normalized(name string) bool {
	switch name {
	case "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Content-Type",
		"Forwarded", "Origin", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Port",
		"X-Forwarded-Proto", "X-Request-Id":
		return true // the names the core reads on every request that asks
	}
	ok := &nameStart
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !ok[c] {
			return false
		}
		ok = &nameRest
		if c == '-' {
			ok = &nameStart
		}
	}
	return true
}

// nameStart and nameRest are the bytes a normalized header name may have
// at the start of a word and elsewhere.
var nameStart, nameRest = nameBytes('a'), nameBytes('A')

// nameBytes is the table of the bytes above the space, bar the 26 letters
// from notFrom.
func nameBytes(notFrom byte) (t [256]bool) {
	for c := '!'; c < 256; c++ {
		t[c] = c < rune(notFrom) || c > rune(notFrom+25)
	}
	return t
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
// a client that goes away mid-request; once a response stream started, it
// is also done when the client goes away (see Stream).
func (x *exchange) Context() context.Context {
	if x.stream != nil {
		return x.stream
	}
	// A copy: a goroutine may keep the context after the handler returned,
	// and x is then reused for another request. (A struct of one channel
	// is stored in the interface without allocating.)
	return x.done
}

func (x *exchange) Header() kaito.ResponseHeader { return &x.header }
func (x *exchange) WriteHeader(status int)       { x.ctx.SetStatusCode(status) }
func (x *exchange) Write(p []byte) (int, error)  { return x.ctx.Write(p) }

// StreamWriteWindow is how long a response stream may go without a flush
// before the connection's write deadline cuts it off. Every flush pushes the
// deadline this far ahead, so that a stream (SSE) outlives the server's
// WriteTimeout while it keeps sending, and a client that stops reading
// cannot hold it open for ever.
const StreamWriteWindow = 2 * time.Minute

// Stream runs body on its own goroutine, which fasthttp's server reads
// the response from once the handler returned; the Request it uses has
// been detached from this RequestCtx by then (fasthttp recycles it).
//
// fasthttp gives no signal when a client goes away, so a watcher reads the
// connection while the stream runs: its end (EOF or an error) ends the
// stream's context, and the core fails the stream's writes at once. The
// watcher may consume bytes the client sends after its request, so the
// connection is closed after a streamed response; whatever the handler
// left of the request body is read first. A stream cut short (a panic, an
// error) ends the connection without the final chunk, so that the client
// sees the body was cut.
func (x *exchange) Stream(body func(w io.Writer, flush func() error)) {
	x.streaming = true
	ctx := x.ctx
	conn := ctx.Conn()
	drainBody(ctx)
	ctx.SetConnectionClose()
	sc := newStreamContext()
	x.stream = sc
	if conn != nil {
		go sc.watch(conn, x.done.done)
	}
	pr, pw := io.Pipe()
	ctx.SetBodyStream(pr, -1)
	go func() {
		bw := bufio.NewWriter(pw)
		defer func() {
			if p := recover(); p != nil {
				// http.ErrAbortHandler from the core: the body is cut.
				pw.CloseWithError(errStreamCut)
				return
			}
			pw.Close()
		}()
		flush := func() error {
			if err := bw.Flush(); err != nil {
				return err
			}
			if conn == nil {
				return nil
			}
			// fasthttp set a deadline of WriteTimeout before writing the
			// response; a net.Conn allows this from our goroutine.
			return conn.SetWriteDeadline(time.Now().Add(StreamWriteWindow))
		}
		body(bw, flush)
		bw.Flush()
	}()
}

// errStreamCut is what fasthttp reads from a response stream that was cut
// short: it then closes the connection without the final chunk.
var errStreamCut = errors.New("kaito: the response stream was cut short")

// streamContext is the context of a response stream: done when the client
// goes away (cause errClientGone) or the server shuts down (cause
// http.ErrServerClosed).
type streamContext struct {
	context.Context
	cancel context.CancelCauseFunc
}

func newStreamContext() *streamContext {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &streamContext{Context: ctx, cancel: cancel}
}

// errClientGone is the cause of a stream's end when its connection closed.
var errClientGone = errors.New("kaito: the client closed the connection")

// watch ends s when the connection's read side ends (the client closed it
// or it broke) or when the server shuts down (shutdown is closed). The
// connection is closed after the stream, which ends the watch.
func (s *streamContext) watch(conn net.Conn, shutdown <-chan struct{}) {
	if shutdown != nil {
		go func() {
			select {
			case <-shutdown:
				s.cancel(http.ErrServerClosed)
			case <-s.Done():
			}
		}()
	}
	defer func() {
		// A RequestCtx made by Init, in tests, has a connection that
		// panics on Read: such a stream is not watched.
		if recover() == nil {
			s.cancel(errClientGone)
		}
	}()
	// The deadline fasthttp set for reading the request is not ours.
	if err := conn.SetReadDeadline(time.Time{}); err != nil {
		return
	}
	var buf [512]byte
	for {
		if _, err := conn.Read(buf[:]); err != nil {
			return
		}
	}
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
// It holds the server's channel rather than the RequestCtx, which fasthttp
// reuses once the handler has returned.
type doneContext struct{ done <-chan struct{} }

func (d doneContext) Deadline() (time.Time, bool) { return time.Time{}, false }
func (d doneContext) Done() <-chan struct{}       { return d.done }
func (d doneContext) Value(any) any               { return nil }

func (d doneContext) Err() error {
	select {
	case <-d.done:
		return context.Canceled
	default:
		return nil
	}
}
