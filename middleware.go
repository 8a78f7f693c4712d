package kaito

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// Middleware runs around the routes it applies to, on either adapter. It
// runs after the route matched and before the context factory, so it sees
// req.Route(), and it calls next to run the rest: the inner middleware, the
// context factory, the binding of In and the handler. next returns the error
// they ended with (nil on success) before anything of the response is sent,
// so that a middleware can still act on it: commit a transaction, or turn a
// failed commit into an error answer. What the middleware returns is what is
// answered: the handler's result when it returns nil after next did, its
// error otherwise. A middleware that returns an error without calling next
// stops the request there (an *Error with its status, say).
//
// To see how the response went (status, bytes, duration, streams included,
// when they end), register a function with Request.AfterResponse.
//
// Middleware is applied with WithMiddleware (every route of a router), with
// Use on a group (Group and Through take route options) or on one route. The
// router's middleware runs outermost, then each group's from the outside
// in, then the route's own; within one list, the first runs first. A route
// without middleware pays nothing for the feature.
type Middleware func(req *Request, next func() error) error

// Use applies middleware to a route, or to every route of a Group or
// Through it is passed to.
func Use(mw ...Middleware) RouteOption {
	for _, m := range mw {
		if m == nil {
			panic("kaito: Use: nil middleware")
		}
	}
	return func(rt *Route) { rt.middleware = append(rt.middleware, mw...) }
}

// WithMiddleware applies middleware to every route of the router, outside
// the middleware of groups and routes.
func WithMiddleware(mw ...Middleware) Option {
	return func(c *config) error {
		for _, m := range mw {
			if m == nil {
				return fmt.Errorf("WithMiddleware: nil middleware")
			}
		}
		c.middleware = append(c.middleware, mw...)
		return nil
	}
}

// chain returns the route's middleware, the router's first, composed around
// last; nil when there is none.
func (c *core) chain(rt *Route) func(req *Request, last func() error) error {
	mws := append(append([]Middleware(nil), c.middleware...), rt.middleware...)
	if len(mws) == 0 {
		return nil
	}
	return func(req *Request, last func() error) error {
		if req.begun.IsZero() {
			req.begun = time.Now()
		}
		var call func(i int) error
		call = func(i int) error {
			if i == len(mws) {
				return last()
			}
			return mws[i](req, func() error { return call(i + 1) })
		}
		return call(0)
	}
}

// Outcome is how a response went, as Request.AfterResponse reports it.
type Outcome struct {
	// Route is the route that answered, or nil when none matched.
	Route *Route
	// Method and Path are the request's method (after spoofing) and path.
	Method, Path string
	// Status is the status sent (0 if the client went away before any).
	Status int
	// Bytes counts the body bytes written, after any encoding the
	// runtime does not do itself.
	Bytes int64
	// Duration runs from when the route began (before its middleware) to
	// the end of the response, the end of its stream included.
	Duration time.Duration
	// Err is the error the request was answered with (a handler's, a
	// middleware's, a binding failure, a panic), or the error a stream
	// ended with; nil for a success.
	Err error
	// Streamed reports whether the body was a stream (SSE, Stream).
	Streamed bool
}

// AfterResponse registers fn to run once the response is complete: after the
// handler's answer was written or, for a stream, when the stream ends. fn
// runs on the goroutine that finished the response and must not use req.
func (req *Request) AfterResponse(fn func(Outcome)) {
	if fn == nil {
		return
	}
	if req.begun.IsZero() {
		req.begun = time.Now()
	}
	req.after = append(req.after, fn)
}

// observed reports whether anything waits for the outcome.
func (req *Request) observed() bool { return len(req.after) > 0 || req.core.accessLog != nil }

// noteFinished records, on the handler's goroutine while the request is
// still whole, what the access log reports about it.
func (req *Request) noteFinished() {
	req.logPath = strings.Clone(req.x.Path())
	if req.core.accessLog != nil {
		req.logIP = req.IP()
	}
}

// countingWriter counts what a stream writes, for the outcome.
type countingWriter struct {
	w io.Writer
	n *int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

// reportOutcome gives the outcome to the AfterResponse functions and the
// access log. It runs once, when the handler and any stream are done.
func (req *Request) reportOutcome() {
	o := Outcome{Route: req.route, Method: req.method, Path: req.logPath, Status: req.status,
		Bytes: req.written, Err: req.outErr, Streamed: req.streamed}
	if !req.begun.IsZero() {
		o.Duration = time.Since(req.begun)
	}
	for _, fn := range req.after {
		fn(o)
	}
	if l := req.core.accessLog; l != nil {
		pattern := ""
		if o.Route != nil {
			pattern = o.Route.pattern
		}
		attrs := []slog.Attr{
			slog.String("method", o.Method), slog.String("route", pattern), slog.String("path", o.Path),
			slog.Int("status", o.Status), slog.Int64("bytes", o.Bytes), slog.Duration("duration", o.Duration),
			slog.String("ip", req.logIP),
		}
		if id := req.id; id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
		if o.Streamed {
			attrs = append(attrs, slog.Bool("stream", true))
		}
		if o.Err != nil && o.Status >= 500 {
			attrs = append(attrs, slog.String("error", o.Err.Error()))
		}
		l.LogAttrs(req.Context(), slog.LevelInfo, "request", attrs...)
	}
}

// WithAccessLog logs one line per request at Info on l, when its response is
// complete (a stream when it ends): method, route pattern ("" when no route
// matched), path, status, bytes, duration, the client IP (Request.IP) and,
// with WithRequestID or WithRequestIDFunc, request_id. The error of a 5xx is
// added as error; the error texts of 4xx answers are the client's business and
// are left out. The path is the request's, which may hold identifiers:
// route gives the pattern to group by.
func WithAccessLog(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return fmt.Errorf("WithAccessLog: nil logger")
		}
		c.accessLog = l
		return nil
	}
}
