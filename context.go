package kaito

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/julienschmidt/httprouter"
)

// Request is the runtime-neutral view of one request, with the accessors
// AdonisJS's Request has. The context factory receives it, and keeping it
// in the context gives handlers access to it.
//
// Lifetime: a Request, and everything it returns that is a map or a slice,
// belongs to one request and is reused for a later one after the response
// is sent (Router.Serve returns). Strings it returns are copies and may be
// kept. Do not use a Request from a goroutine that outlives the handler;
// copy what you need first. Methods are not safe for concurrent use.
type Request struct {
	core   *core
	x      Exchange
	route  *Route
	params httprouter.Params
	slot   matchSlot
	views  [4]string   // header lines read in place (headerViews), cleared after use
	client clientState // IP's client, when the whole resolution is not needed
	method string
	id     string

	wroteHeader bool
	headOnly    bool
	volatile    bool
	// A response stream that a runtime may run after the handler returns
	// shares the request: holds then counts the two, and the last to let
	// go cleans up. Without a stream no atomic operation is needed.
	streamed bool
	holds    atomic.Int32

	lazy lazyState
	enc  jsonWriter
}

// reset prepares req for a new request.
func (req *Request) reset(c *core, x Exchange, method string) {
	req.core, req.x = c, x
	req.route, req.params = nil, nil
	req.method, req.id = "", ""
	req.wroteHeader, req.streamed = false, false
	if req.lazy.used { // nothing is left from a previous request
		req.lazy.clear()
	}
	req.client.done = false
	req.headOnly = method == http.MethodHead
	req.volatile = x.Volatile()
	req.enc.req = req
}

// release lets go of the request for the handler or the stream (see holds).
func (req *Request) release() {
	if !req.streamed || req.holds.Add(-1) == 0 {
		req.cleanup()
	}
}

// cleanup drops what req holds of the finished request (and removes
// uploaded temporary files), so that a pooled Request keeps nothing of it.
func (req *Request) cleanup() {
	if req.lazy.used {
		req.lazy.clear()
	}
	if req.client.err != nil {
		req.client.err = nil
	}
	req.x = nil
	req.params = nil
	req.route = nil
	req.slot.route = nil
}

// Method returns the request method, after method spoofing (see
// WithMethodSpoofing). HEAD stays HEAD when a GET route answers it.
func (req *Request) Method() string { return req.method }

// Intended returns the method as the client sent it, before spoofing.
func (req *Request) Intended() string { return req.x.Method() }

// Context returns the request's context. On net/http it is cancelled when
// the client goes away or the handler returns; on fasthttp, which has no
// per-request signal, only when the server shuts down.
func (req *Request) Context() context.Context { return req.x.Context() }

// Route returns the route that matched, or nil before matching and for an
// unmatched request.
func (req *Request) Route() *Route { return req.route }

// MatchesRoute reports whether the matched route's pattern or name is one of ids.
func (req *Request) MatchesRoute(ids ...string) bool {
	if req.route == nil {
		return false
	}
	for _, id := range ids {
		if id == req.route.pattern || (req.route.name != "" && id == req.route.name) {
			return true
		}
	}
	return false
}

// Params returns the route parameters by name, e.g. {"id": "42"} for
// /users/:id. A catch-all's value starts with '/'.
func (req *Request) Params() map[string]string {
	m := make(map[string]string, len(req.params))
	for _, p := range req.params {
		m[p.Key] = req.keep(p.Value)
	}
	return m
}

// Param returns the named route parameter, or def (or "") when the route
// has no such parameter.
func (req *Request) Param(name string, def ...string) string {
	for _, p := range req.params {
		if p.Key == name {
			return req.keep(p.Value)
		}
	}
	return first(def)
}

// Header returns the first value of the named request header, compared
// without regard to case. An absent or empty header gives def (or "").
// "referer" and "referrer" name the same header.
func (req *Request) Header(name string, def ...string) string {
	v := req.x.RequestHeader(name)
	if v == "" && (strings.EqualFold(name, "referer") || strings.EqualFold(name, "referrer")) {
		if v = req.x.RequestHeader("Referer"); v == "" {
			v = req.x.RequestHeader("Referrer")
		}
	}
	if v == "" {
		return first(def)
	}
	return v
}

// Headers returns every request header field line by canonical name.
func (req *Request) Headers() http.Header {
	h := make(http.Header)
	req.x.VisitRequestHeaders(func(name, value string) { h.Add(name, value) })
	return h
}

// Cookie returns the value of the named request cookie.
func (req *Request) Cookie(name string) (string, bool) { return req.x.Cookie(name) }

// Ajax reports whether X-Requested-With is XMLHttpRequest.
func (req *Request) Ajax() bool {
	return strings.EqualFold(req.x.RequestHeader("X-Requested-With"), "XMLHttpRequest")
}

// ID returns the request id: the X-Request-Id header, or with
// WithRequestID an id generated for a request that has none (and also sent
// back in the response). Without WithRequestID and the header, "".
func (req *Request) ID() string {
	if req.id == "" && !req.core.requestID {
		return req.x.RequestHeader("X-Request-Id")
	}
	return req.id
}

// setRequestID takes the received id when it is usable (1 to 200 visible
// ASCII characters) and generates one otherwise, then echoes it.
func (req *Request) setRequestID() {
	id := req.x.RequestHeader("X-Request-Id")
	if !usableID(id) {
		var b [15]byte
		rand.Read(b[:])
		id = base64.RawURLEncoding.EncodeToString(b[:])
	}
	req.id = id
	req.x.Header().Set("X-Request-Id", id)
}

func usableID(id string) bool {
	if id == "" || len(id) > 200 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] >= 0x7f {
			return false
		}
	}
	return true
}

// Logger returns the router's logger with this request's id attached as
// request_id, as AdonisJS attaches it to every log line of a request.
func (req *Request) Logger() *slog.Logger {
	if id := req.ID(); id != "" {
		return req.core.logger.With("request_id", id)
	}
	return req.core.logger
}

// ResponseHeader returns the response header, so that a handler can set
// headers (Kaito's head) and still return a typed value. Changes after the
// response has started are ignored.
func (req *Request) ResponseHeader() ResponseHeader { return req.x.Header() }

// SetCookie adds a Set-Cookie header to the response. An invalid cookie
// (one that http.Cookie.Valid rejects) is dropped.
func (req *Request) SetCookie(c *http.Cookie) {
	if c == nil || c.Valid() != nil {
		return
	}
	req.x.Header().Add("Set-Cookie", c.String())
}

// keep returns s, taken from the path, in a form the application may keep:
// a copy when the path aliases the runtime's buffers.
func (req *Request) keep(s string) string {
	if req.volatile {
		return strings.Clone(s)
	}
	return s
}

func first(def []string) string {
	if len(def) > 0 {
		return def[0]
	}
	return ""
}

// The response side. Request is also the ResponseWriter handed to
// Responders, through the responseWriter type, so that the core knows
// whether the response has started.

type responseWriter Request

func (w *responseWriter) Header() ResponseHeader { return w.x.Header() }

func (w *responseWriter) WriteHeader(status int) { (*Request)(w).WriteHeader(status) }

func (w *responseWriter) Write(p []byte) (int, error) {
	req := (*Request)(w)
	if !req.wroteHeader {
		req.WriteHeader(http.StatusOK)
	}
	if req.headOnly {
		return len(p), nil
	}
	return req.x.Write(p)
}

func (w *responseWriter) Stream(status int, body func(w io.Writer, flush func() error) error) {
	req := (*Request)(w)
	if req.wroteHeader {
		return
	}
	req.wroteHeader = true
	if req.headOnly {
		req.x.WriteHeader(status)
		return
	}
	req.streamed = true
	req.holds.Store(2) // the handler and the stream
	logger := req.core.logger
	req.x.Header().Del("Content-Length")
	req.x.WriteHeader(status)
	req.x.Stream(func(out io.Writer, flush func() error) {
		defer func() {
			if p := recover(); p != nil {
				logger.Error("kaito: panic in a response stream", "panic", fmt.Sprint(p))
			}
			req.release()
		}()
		if err := body(out, flush); err != nil {
			logger.Warn("kaito: response stream ended with an error", "error", err.Error())
		}
	})
}

// WriteHeader sends the response status and header. Only the first call counts.
func (req *Request) WriteHeader(status int) {
	if req.wroteHeader {
		return
	}
	req.wroteHeader = true
	req.x.WriteHeader(status)
}

// respondWith lets a Responder write the response; an error it returns
// before anything was sent is answered like a handler's error.
func (req *Request) respondWith(rs Responder) {
	if err := rs.Respond((*responseWriter)(req)); err != nil {
		if !req.wroteHeader {
			req.fail(err)
			return
		}
		req.core.logger.Warn("kaito: responder failed after the response started", "error", err.Error())
	}
}

// fail answers err as the package documentation says.
func (req *Request) fail(err error) {
	status, msg, mapped := req.core.resolveError(err, req)
	if !mapped {
		req.Logger().Error("kaito: unmapped error", "method", req.method, "path", strings.Clone(req.x.Path()), "error", err.Error())
	}
	if req.wroteHeader {
		return
	}
	req.writeMessage(status, msg)
}

type messageBody struct {
	Message string `json:"message"`
}

// writeMessage sends {"message": msg} with status.
func (req *Request) writeMessage(status int, msg string) {
	req.writeJSON(status, messageBody{Message: msg})
}

var jsonContentType = []string{"application/json; charset=utf-8"}

// writeJSON sends v encoded as JSON with status.
func (req *Request) writeJSON(status int, v any) {
	if req.wroteHeader {
		return
	}
	h := req.x.Header()
	if hh, ok := h.(http.Header); ok {
		// Shared and never modified in place: Set and Add replace or copy it.
		hh["Content-Type"] = jsonContentType
	} else {
		h.Set("Content-Type", jsonContentType[0])
	}
	if status == http.StatusNoContent || status == http.StatusNotModified {
		req.WriteHeader(status)
		return
	}
	if err := req.enc.encode(req.core.codec, status, v); err != nil {
		req.core.logger.Error("kaito: cannot encode the response", "error", err.Error())
		if !req.wroteHeader {
			req.enc.send(http.StatusInternalServerError, []byte(`{"message":"Internal Server Error"}`))
		}
	}
}
