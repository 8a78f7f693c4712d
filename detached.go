package kaito

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/julienschmidt/httprouter"
)

// A response stream (Stream, SSE) may run after the handler returned: on
// fasthttp it does, on another goroutine, and the runtime has by then
// recycled the buffers the request was read from for another connection.
// So that a stream reads its own request and never another client's,
// the request is detached from the runtime when the stream starts: what
// a Request can reach (method, target, headers, cookies, addresses, route
// parameters, the body) is copied into a detached exchange that replaces
// the runtime's. The copy is made only for streams; other requests pay
// nothing.

// errBodyGone is the error of a read of a request body that the handler
// had not read when the response stream started. Neither runtime keeps it:
// net/http discards an unread body when the response header is sent, and
// fasthttp reuses its buffers once the handler returned.
var errBodyGone = errors.New("kaito: the request body was not read before the response stream started, and is no longer available")

// errWriteAfterStream is what a Write through the response writer gets
// once a stream has started: the stream's own writer is the only way to
// the body.
var errWriteAfterStream = errors.New("kaito: write to the response after its stream started: write through the stream's writer")

// detached is an Exchange whose request side is a copy taken when a
// response stream started, and whose response side is closed: headers
// set after the stream started are dropped, as the Request documents,
// and writes fail. Context and Abort are still the runtime's: the
// adapters keep their exchange alive while a stream runs. What the handler
// read of the body stays in the Request (Body, Raw, File); the rest is
// gone, on both adapters alike.
type detached struct {
	orig Exchange

	method, path, uri, rawQuery, host, proto, remoteAddr string
	tls                                                  bool
	contentLength                                        int64
	header                                               http.Header
	respondTo                                            http.Header // the response header after the stream started: dropped
}

// detach copies what x gives of its request.
func detach(x Exchange) *detached {
	d := &detached{
		orig:          x,
		method:        x.Method(),
		path:          strings.Clone(x.Path()),
		uri:           x.URI(),
		rawQuery:      x.RawQuery(),
		host:          x.Host(),
		proto:         x.Proto(),
		remoteAddr:    x.RemoteAddr(),
		tls:           x.TLS(),
		contentLength: x.ContentLength(),
		header:        make(http.Header),
		respondTo:     make(http.Header),
	}
	x.VisitRequestHeaders(func(name, value string) { d.header.Add(name, value) })
	return d
}

// detachRequest moves req onto a copy of its request, for a stream that
// may outlive the handler: the exchange, the route parameters and a body
// the runtime lent without copying.
func (req *Request) detachRequest() {
	if _, ok := req.x.(*detached); ok {
		return
	}
	if req.volatile && len(req.params) > 0 {
		ps := make(httprouter.Params, len(req.params))
		for i, p := range req.params {
			ps[i] = httprouter.Param{Key: p.Key, Value: strings.Clone(p.Value)}
		}
		req.params = ps
	}
	if req.lazy.rawAlias {
		req.lazy.raw, req.lazy.rawAlias = bytes.Clone(req.lazy.raw), false
	}
	req.x = detach(req.x)
	req.volatile = false
}

func (d *detached) Method() string   { return d.method }
func (d *detached) Path() string     { return d.path }
func (d *detached) Volatile() bool   { return false }
func (d *detached) URI() string      { return d.uri }
func (d *detached) RawQuery() string { return d.rawQuery }
func (d *detached) Host() string     { return d.host }
func (d *detached) Proto() string    { return d.proto }

func (d *detached) RequestHeader(name string) string { return d.header.Get(name) }

func (d *detached) RequestHeaderValues(name string) []string {
	vs := d.header.Values(name)
	if len(vs) == 0 {
		return nil
	}
	return vs
}

func (d *detached) VisitRequestHeaders(fn func(name, value string)) {
	for k, vs := range d.header {
		for _, v := range vs {
			fn(k, v)
		}
	}
}

// Cookie parses the copied Cookie lines as net/http does.
func (d *detached) Cookie(name string) (string, bool) {
	r := http.Request{Header: http.Header{"Cookie": d.header["Cookie"]}}
	c, err := r.Cookie(name)
	if err != nil {
		return "", false
	}
	return c.Value, true
}

func (d *detached) ContentLength() int64 { return d.contentLength }

func (d *detached) Body() io.Reader           { return errReader{errBodyGone} }
func (d *detached) BodyBytes() ([]byte, bool) { return nil, false }

func (d *detached) RemoteAddr() string                   { return d.remoteAddr }
func (d *detached) TLS() bool                            { return d.tls }
func (d *detached) Context() context.Context             { return d.orig.Context() }
func (d *detached) Header() ResponseHeader               { return d.respondTo }
func (d *detached) WriteHeader(int)                      {}
func (d *detached) Write([]byte) (int, error)            { return 0, errWriteAfterStream }
func (d *detached) Abort()                               { d.orig.Abort() }
func (d *detached) Stream(func(io.Writer, func() error)) {}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
