package kaito

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

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
//
// A response stream (Stream, SSE) is the exception: its body or source may
// use the Request after the handler returned (on fasthttp it always runs
// then). When the stream starts, the Request is detached from the runtime:
// it keeps a copy of its method, target, headers, cookies, addresses and
// route parameters, and what the handler read of the body (Body, Raw,
// File), and is not reused for another request. A body the handler did
// not read is gone, on both adapters: ParseBody in the stream reports an
// error (and Body, Raw stop the stream).
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

	ctx context.Context // from SetContext, or nil

	// What AfterResponse and the access log report (middleware.go).
	status  int   // the status sent, 0 before
	written int64 // body bytes sent
	begun   time.Time
	outErr  error
	after   []func(Outcome)
	logPath string
	logIP   string
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
	req.status, req.written, req.outErr, req.ctx = 0, 0, nil, nil
	req.begun = time.Time{}
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
	if req.observed() {
		req.reportOutcome()
		clear(req.after)
		req.after = req.after[:0]
		req.logPath, req.logIP = "", ""
	}
	if req.lazy.used {
		req.lazy.clear()
	}
	if req.client.err != nil {
		req.client.err = nil
	}
	req.ctx = nil
	if _, ok := req.x.(*detached); !ok {
		// A streamed request is not reused: whoever still holds it
		// reads its own copy.
		req.x = nil
	}
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
// The zero Request, which belongs to no request, has context.Background().
// A context given to SetContext replaces it.
func (req *Request) Context() context.Context {
	if req.ctx != nil {
		return req.ctx
	}
	if req.x == nil {
		return context.Background()
	}
	return req.x.Context()
}

// SetContext replaces the request's context for the rest of the request:
// a middleware adds a value (a transaction, a span) with
// context.WithValue(req.Context(), key, v), and the context factory and the
// handler read it from Context. ctx should derive from Context, so that it
// is still cancelled when the client goes away.
func (req *Request) SetContext(ctx context.Context) {
	if ctx == nil {
		panic("kaito: SetContext(nil)")
	}
	req.ctx = ctx
}

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
	var id string
	if fn := req.core.idFunc; fn != nil {
		id = fn(req)
	}
	if !usableID(id) {
		id = req.x.RequestHeader("X-Request-Id")
	}
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
		req.WriteHeader(successStatus(w))
	}
	if req.headOnly || !bodyAllowed(req.status) {
		return len(p), nil
	}
	n, err := req.x.Write(p)
	req.written += int64(n)
	return n, err
}

func (w *responseWriter) Stream(status int, body func(w io.Writer, flush func() error) error) {
	req := (*Request)(w)
	if req.wroteHeader {
		return
	}
	req.wroteHeader = true
	req.status = status
	if req.headOnly || !bodyAllowed(status) {
		req.x.WriteHeader(status)
		return
	}
	req.streamed = true
	req.holds.Store(2) // the handler and the stream
	logger := req.Logger()
	x := req.x
	x.Header().Del("Content-Length")
	x.WriteHeader(status)
	observed := req.observed()
	// The stream may outlive the handler: from here on the request reads
	// its own copy, never the runtime's recycled buffers.
	req.detachRequest()
	x.Stream(func(out io.Writer, flush func() error) {
		if observed {
			out = &countingWriter{w: out, n: &req.written}
		}
		// The runtime's context ends when the client goes away (or the
		// server shuts down): then writes and flushes fail at once,
		// rather than on a later write to a dead connection.
		ctx := x.Context()
		sw := &streamWriter{w: out, ctx: ctx}
		cut := false
		defer func() {
			if p := recover(); p != nil {
				if a, ok := p.(abort); ok {
					// Body or Raw on a body that is gone, say.
					logger.Warn("kaito: response stream stopped by a request error", "error", a.err.Error())
				} else if p != http.ErrAbortHandler {
					logger.Error("kaito: panic in a response stream", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				}
				if req.outErr == nil {
					req.outErr = fmt.Errorf("panic: %v", p)
				}
				cut = true
			}
			req.release()
			if cut {
				// The body is incomplete: the runtime drops the connection
				// without ending the body, so that the client and any
				// cache see it cut, not a complete response.
				panic(http.ErrAbortHandler)
			}
		}()
		err := body(sw, func() error {
			if err := streamErr(ctx); err != nil {
				return err
			}
			return flush()
		})
		if err != nil {
			req.outErr = err
		}
		switch {
		case err == nil:
		case clientGone(ctx, err):
			// Nobody to tell, or a shutdown: the body ends normally.
			logger.Debug("kaito: response stream ended: the client went away", "error", err.Error())
		default:
			logger.Warn("kaito: response stream ended with an error", "error", err.Error())
			cut = true
		}
	})
}

// bodyAllowed reports whether a response of status may have a body: not
// 1xx, 204 No Content, 205 Reset Content or 304 Not Modified (RFC 9110).
// Write and Stream drop the body of the others, as they do for HEAD, rather
// than fail: net/http refuses it under 204 and 304 with an error
// (ErrBodyNotAllowed), and fasthttp drops it.
func bodyAllowed(status int) bool {
	switch status {
	case http.StatusNoContent, http.StatusResetContent, http.StatusNotModified:
		return false
	}
	return status >= 200
}

// errStreamClosed is what a stream's writes and flushes return once its
// client went away or the server is shutting down.
var errStreamClosed = errors.New("kaito: the response stream is closed: the client went away or the server is shutting down")

// streamErr is errStreamClosed once ctx is done.
func streamErr(ctx context.Context) error {
	if ctx.Err() == nil {
		return nil
	}
	// The cause tells why (http.ErrServerClosed at a shutdown), for the
	// source to check with errors.Is.
	if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() {
		return fmt.Errorf("%w: %w", errStreamClosed, cause)
	}
	return errStreamClosed
}

// streamWriter is a stream's body writer: it fails once the stream's
// context is done.
type streamWriter struct {
	w   io.Writer
	ctx context.Context
}

func (s *streamWriter) Write(p []byte) (int, error) {
	if err := streamErr(s.ctx); err != nil {
		return 0, err
	}
	return s.w.Write(p)
}

// clientGone reports whether a stream's error says that its client went
// away (or the server shut down): a normal end, not worth a warning.
func clientGone(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, errStreamClosed) || errors.Is(err, io.ErrClosedPipe) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}

// WriteHeader sends the response status and header. Only the first call counts.
func (req *Request) WriteHeader(status int) {
	if req.wroteHeader {
		return
	}
	req.wroteHeader = true
	req.status = status
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
		if clientGone(req.x.Context(), err) {
			req.Logger().Debug("kaito: responder stopped: the client went away", "error", err.Error())
		} else {
			req.Logger().Warn("kaito: responder failed after the response started", "error", err.Error())
		}
		// The body is incomplete: drop the connection (see core.finish).
		panic(http.ErrAbortHandler)
	}
}

// fail answers err as the package documentation says.
func (req *Request) fail(err error) {
	req.outErr = err
	status, msg, fields, mapped := req.core.resolveError(err, req)
	if !mapped {
		req.Logger().Error("kaito: unmapped error", "method", req.method, "path", strings.Clone(req.x.Path()), "error", err.Error())
	}
	if req.wroteHeader {
		return
	}
	req.dropHandlerHeaders()
	req.writeError(status, msg, fields)
}

// writeMessage sends {"message": msg} with status (or its problem, see
// WithProblemDetails).
func (req *Request) writeMessage(status int, msg string) {
	req.writeError(status, msg, nil)
}

var jsonContentType = []string{"application/json; charset=utf-8"}

// writeJSON sends v encoded as JSON with status. emptyNil tells that v may
// hold a nil slice or map (mayHoldNil), which the default codec then writes
// as [] or {}.
func (req *Request) writeJSON(status int, v any, emptyNil bool) {
	req.writeJSONAs(status, v, jsonContentType, emptyNil)
}

// writeJSONAs sends v encoded as JSON with status and the Content-Type ct,
// a one-element slice that is never modified.
func (req *Request) writeJSONAs(status int, v any, ct []string, emptyNil bool) {
	if req.wroteHeader {
		return
	}
	h := req.x.Header()
	if hh, ok := h.(http.Header); ok {
		// Shared and never modified in place: Set and Add replace or copy it.
		hh["Content-Type"] = ct
	} else {
		h.Set("Content-Type", ct[0])
	}
	if !bodyAllowed(status) {
		req.WriteHeader(status)
		return
	}
	if err := req.enc.encode(req.core.codec, status, v, emptyNil); err != nil {
		req.Logger().Error("kaito: cannot encode the response", "error", err.Error())
		if !req.wroteHeader && req.core.problem {
			req.x.Header().Set("Content-Type", problemContentType[0])
			req.enc.send(http.StatusInternalServerError, []byte(`{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Internal Server Error"}`))
		} else if !req.wroteHeader {
			req.enc.send(http.StatusInternalServerError, []byte(`{"message":"Internal Server Error"}`))
		}
	}
}
