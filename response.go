package kaito

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Responder is implemented by handler results that write their own
// response: files, byte streams, server-sent events, 204 No Content. A
// handler whose Out implements Responder (or whose Out is an interface type
// holding one) has Respond called instead of the JSON encoding.
//
// The status of such a result follows one rule, which package openapi
// documents too: a result's own non-zero Status field wins; else the
// route's success status (200, or the one set with the route option
// Status); a Responder of its own that writes without calling WriteHeader
// sends the route's status as well. Three results have a status of their
// own that the route's does not change: NoContent (always 204), Redirect
// (302 unless its Status says another 3xx: a 2xx status set with Status
// makes no sense for a redirect) and File (200, 206, 304, 412 or 416, as
// the request's Range and conditional headers decide).
type Responder interface {
	Respond(w ResponseWriter) error
}

// ResponseWriter is what a Responder writes its response to. Headers set
// through Request.ResponseHeader and cookies from Request.SetCookie are
// already in Header when Respond is called.
type ResponseWriter interface {
	// Header returns the response header, to change before WriteHeader.
	Header() ResponseHeader
	// WriteHeader sends the status and header; a second call is ignored.
	WriteHeader(status int)
	// Write writes body bytes, sending the route's success status (200
	// unless set with Status) first if WriteHeader was not called. For a
	// HEAD request the bytes are dropped: set Content-Length yourself if a
	// HEAD answer should carry it. They are dropped too under a status
	// that has no body (204 No Content, 205 Reset Content, 304 Not
	// Modified, 1xx), so that Status(204) on a route returning Text
	// answers 204 with no body.
	Write(p []byte) (int, error)
	// Stream sends the status and header and then has body write the
	// response body, flush sending what was written so far (for a HEAD
	// request, or a status that has no body, body is not run). On fasthttp
	// body runs after the handler returns, on another goroutine; the
	// Request may still be used there, and reads its own request (see
	// Request). Once the client has gone away (or the server is shutting
	// down), writes and flushes fail at once and the request's context is
	// done. A panic in body, or an error it returns, is logged and cuts the
	// response: the connection is dropped without ending the body, so that
	// the client sees it incomplete. After Stream, the ResponseWriter's own
	// Write fails and header changes are dropped.
	Stream(status int, body func(w io.Writer, flush func() error) error)
}

// NoContent is a handler result that sends 204 No Content, whatever the
// route's Status.
type NoContent struct{}

// Respond sends 204 with no body.
func (NoContent) Respond(w ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Blob is a handler result that sends bytes with a content type, e.g. an
// image. A zero Status means the route's success status: 200, or the one
// set with the route option Status.
type Blob struct {
	Status      int
	ContentType string
	Data        []byte
}

// Respond sends the bytes.
func (b Blob) Respond(w ResponseWriter) error {
	if b.ContentType != "" {
		w.Header().Set("Content-Type", b.ContentType)
	}
	status := statusOr(b.Status, successStatus(w))
	if bodyAllowed(status) {
		// A 204 must not have one (RFC 9110), and Write drops the body:
		// net/http sends Content-Length: 0 for a 205.
		w.Header().Set("Content-Length", strconv.Itoa(len(b.Data)))
	}
	w.WriteHeader(status)
	_, err := w.Write(b.Data)
	return err
}

// Text is a handler result that sends a text/plain body, with the route's
// success status: 200, or the one set with the route option Status.
type Text string

// Respond sends the text as text/plain; charset=utf-8.
func (t Text) Respond(w ResponseWriter) error {
	return Blob{ContentType: "text/plain; charset=utf-8", Data: []byte(t)}.Respond(w)
}

// Redirect is a handler result that redirects to a URL with a 3xx status
// (302 Found when Status is zero). The route option Status does not apply:
// it sets a 2xx status, which would not redirect.
type Redirect struct {
	Status int
	URL    string
}

// Respond sends the redirect.
func (r Redirect) Respond(w ResponseWriter) error {
	w.Header().Set("Location", r.URL)
	w.WriteHeader(statusOr(r.Status, http.StatusFound))
	return nil
}

// Stream is a handler result whose body is written by a function, flushed
// as it goes: a download being generated, a log tail. A zero Status means
// the route's success status: 200, or the one set with the route option
// Status.
type Stream struct {
	Status      int
	ContentType string
	Body        func(w io.Writer, flush func() error) error
}

// Respond streams the body.
func (s Stream) Respond(w ResponseWriter) error {
	if s.ContentType != "" {
		w.Header().Set("Content-Type", s.ContentType)
	}
	w.Stream(statusOr(s.Status, successStatus(w)), s.Body)
	return nil
}

// Event is one server-sent event. Empty fields are left out; Data may span
// lines.
type Event struct {
	ID    string
	Event string
	Data  string
	Retry time.Duration
}

// SSE is a handler result that sends server-sent events, as Kaito's sse
// does: Source calls send for each event, which is written and flushed at
// once. The stream ends when Source returns, or when the client goes away:
// send then returns an error, and the request's context is done, on both
// adapters, so that a source waiting for its next event can also select
// on Request.Context().Done(). A client leaving is logged at Debug only.
// The status is the route's success status: 200, or the one set with the
// route option Status.
type SSE struct {
	Source func(send func(Event) error) error
}

// Respond streams the events.
func (s SSE) Respond(w ResponseWriter) error {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.Stream(successStatus(w), func(out io.Writer, flush func() error) error {
		var buf bytes.Buffer
		return s.Source(func(e Event) error {
			buf.Reset()
			writeEvent(&buf, e)
			if _, err := out.Write(buf.Bytes()); err != nil {
				return err
			}
			return flush()
		})
	})
	return nil
}

func writeEvent(b *bytes.Buffer, e Event) {
	field := func(name, v string) {
		// A line break inside a field would start a new field: drop it.
		v = strings.NewReplacer("\r", "", "\n", "").Replace(v)
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(v)
		b.WriteByte('\n')
	}
	if e.ID != "" {
		field("id", e.ID)
	}
	if e.Event != "" {
		field("event", e.Event)
	}
	if e.Retry > 0 {
		field("retry", strconv.FormatInt(e.Retry.Milliseconds(), 10))
	}
	for line := range strings.SplitSeq(strings.ReplaceAll(e.Data, "\r\n", "\n"), "\n") {
		b.WriteString("data: ")
		b.WriteString(strings.ReplaceAll(line, "\r", ""))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
}

// successStatus is the status of a result that sets none of its own: the
// route's success status (see Status) when w answers a route, else 200.
func successStatus(w ResponseWriter) int {
	if rw, ok := w.(*responseWriter); ok && rw.route != nil {
		return rw.route.status
	}
	return http.StatusOK
}

func statusOr(s, def int) int {
	if s == 0 {
		return def
	}
	return s
}

var typesByExt = map[string]string{
	"html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
	"js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8", "json": "application/json",
	"txt": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8",
	"xml": "application/xml", "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
	"gif": "image/gif", "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon", "pdf": "application/pdf",
	"wasm": "application/wasm", "woff": "font/woff", "woff2": "font/woff2", "zip": "application/zip",
	"gz": "application/gzip", "mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg",
}
