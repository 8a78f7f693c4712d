package kaito

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/kaito-go/kaito/ip"
)

// ContextFactory builds the application's context for one request. It runs
// once per matched request, before the input is bound. An error it returns is
// answered as a handler's error would be, so authentication can fail with a
// 401 here.
type ContextFactory[C any] func(req *Request) (C, error)

// Router holds routes whose handlers receive a context of type C.
//
// Routers made with Group and Through share their parent's routes and
// options: what they register is served by the router New returned. Register
// every route before serving; registration is not safe for concurrent use
// with serving.
type Router[C any] struct {
	core    *core
	prefix  string
	context func(*Request) (C, error)
	opts    []RouteOption // applied to every route registered on this router, before the route's own
}

// core is what every router derived from one New shares: the routes, the
// options, and the dispatch.
type core struct {
	matcher matcher
	config
}

type config struct {
	resolver     *ip.Resolver
	ipFunc       func(req *Request) string
	spoofing     bool
	requestID    bool
	bodyLimit    int64
	onError      func(err error, req *Request) (status int, message string)
	logger       *slog.Logger
	codec        Codec
	jsonTypes    []string
	emptyAsNil   bool
	cors         *corsPolicy
	plainJSON    bool // jsonTypes has application/json
	multipart    MultipartLimits
	noTrailSlash bool
	middleware   []Middleware
	accessLog    *slog.Logger
	idFunc       func(req *Request) string
	problem      bool // WithProblemDetails
	extras       bool // any of accessLog, spoofing, requestID, cors: see core.serve
}

// Option configures a Router. Options are applied by New; an invalid option
// makes New panic with a message that names it, so a misconfiguration stops
// the program at start-up rather than serving with a setting it did not ask for.
type Option func(*config) error

// DefaultBodyLimit is the largest JSON, urlencoded or raw body accepted when
// WithBodyLimit is not given: 1 MiB.
const DefaultBodyLimit = 1 << 20

// New returns a router whose handlers receive the context that factory
// builds. It panics if an option is invalid.
func New[C any](factory ContextFactory[C], opts ...Option) *Router[C] {
	if factory == nil {
		panic("kaito: New needs a context factory")
	}
	return &Router[C]{core: newCore(opts), context: factory}
}

// newCore applies opts to the defaults; it panics if an option is invalid.
func newCore(opts []Option) *core {
	c := &core{config: config{
		bodyLimit: DefaultBodyLimit,
		logger:    slog.Default(),
		jsonTypes: defaultJSONTypes,
		multipart: defaultMultipartLimits,
	}}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&c.config); err != nil {
			panic("kaito: " + err.Error())
		}
	}
	c.plainJSON = slices.Contains(c.jsonTypes, "application/json")
	c.extras = c.accessLog != nil || c.spoofing || c.requestID || c.cors != nil
	return c
}

// WithResolver sets how IP, IPs, Hostname, Protocol, Secure and Origin are
// worked out. Without it the client is the socket peer and no forwarding
// header is read.
func WithResolver(res *ip.Resolver) Option {
	return func(c *config) error {
		if res == nil {
			return fmt.Errorf("WithResolver: nil resolver")
		}
		c.resolver = res
		return nil
	}
}

// WithIPFunc replaces how Request.IP works out the client address, as
// AdonisJS's getIp does. IPs, Origin and the rest still come from the resolver.
func WithIPFunc(fn func(req *Request) string) Option {
	return func(c *config) error {
		if fn == nil {
			return fmt.Errorf("WithIPFunc: nil function")
		}
		c.ipFunc = fn
		return nil
	}
}

// WithMethodSpoofing routes a POST whose query string has _method=PUT, PATCH
// or DELETE (any case) as that method. Other values are ignored, and a
// _method in the body does not count: the query string is known before the
// body is read, and a body-based override would let a form field change the
// route after matching.
//
// A spoofed request is served only when it has no Origin header, when its
// Origin is the request's own origin (the scheme, host and port of
// Request.Origin, as the resolver works them out), or when WithCORS allows
// the origin. Any other is answered 403 and no handler runs: a cross-site
// HTML form can POST without a CORS preflight, and must not reach a DELETE
// that a real DELETE from that site could never reach.
func WithMethodSpoofing() Option {
	return func(c *config) error { c.spoofing = true; return nil }
}

// WithRequestID generates an id for every request that arrives without a
// usable X-Request-Id (1 to 200 visible ASCII characters), and sends the id
// (received or generated) back in the response's X-Request-Id. A received id
// is the client's (or its proxy's) choice: use it to correlate logs, never as
// a secret or to decide anything; a client can send the same id twice.
func WithRequestID() Option {
	return func(c *config) error { c.requestID = true; return nil }
}

// WithRequestIDFunc takes each request's id from fn, so that kaito uses the
// id an upstream middleware or a tracing span already gave the request (read
// from req.Context(), say) instead of minting a second one. It implies
// WithRequestID: when fn returns "" or an unusable id (over 200 bytes, or
// with spaces or control characters), the request's X-Request-Id is taken,
// else one is generated; the id is sent back in X-Request-Id either way.
func WithRequestIDFunc(fn func(req *Request) string) Option {
	return func(c *config) error {
		if fn == nil {
			return fmt.Errorf("WithRequestIDFunc: nil function")
		}
		c.requestID, c.idFunc = true, fn
		return nil
	}
}

// WithBodyLimit sets the largest JSON, urlencoded or raw body, in bytes,
// that is read; a larger one is answered 413. A declared Content-Length over
// the limit is refused before anything is read; a chunked or compressed body
// is read only up to the limit, which counts decoded bytes. n must be positive.
func WithBodyLimit(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithBodyLimit(%d): the limit must be positive", n)
		}
		c.bodyLimit = n
		return nil
	}
}

// OnError maps errors that carry no status of their own to a response. fn
// receives every error that is not an *Error and has no StatusCode method
// returning 400 to 599; the message it returns is sent to the client. A status outside 400..599
// means "not mapped": the client gets 500 Internal Server Error.
func OnError(fn func(err error, req *Request) (status int, message string)) Option {
	return func(c *config) error {
		if fn == nil {
			return fmt.Errorf("OnError: nil function")
		}
		c.onError = fn
		return nil
	}
}

// WithLogger sets the logger for panics, unmapped errors and failed
// streams, and the one Request.Logger builds on. The default is slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return fmt.Errorf("WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithoutTrailingSlashRedirect answers 404 where a route would match with a
// trailing slash added or removed, instead of redirecting there.
func WithoutTrailingSlashRedirect() Option {
	return func(c *config) error { c.noTrailSlash = true; return nil }
}

// Group returns a router that registers its routes under prefix, on the same
// router as r. The prefix must begin with '/' and not end with one; "" adds
// none. The options opts apply to every route registered through the group,
// after r's own and before the route's.
func (r *Router[C]) Group(prefix string, opts ...RouteOption) *Router[C] {
	return &Router[C]{core: r.core, prefix: r.prefix + checkPrefix(prefix), context: r.context, opts: joinOptions(r.opts, opts)}
}

// Through returns a router whose handlers receive a context that refine
// builds from r's context, as Kaito's through does: an authenticated context
// from a public one, say. It shares r's routes and prefix. An error from
// refine is answered as a handler's error would be. The options opts apply
// to every route registered through the returned router, after r's own: so
// Through(r, auth, Security("bearer"), Errors(401)) documents the
// authentication of all its routes.
func Through[C, D any](r *Router[C], refine func(ctx C) (D, error), opts ...RouteOption) *Router[D] {
	if refine == nil {
		panic("kaito: Through needs a refine function")
	}
	parent := r.context
	return &Router[D]{core: r.core, prefix: r.prefix, opts: joinOptions(r.opts, opts), context: func(req *Request) (D, error) {
		c, err := parent(req)
		if err != nil {
			var zero D
			return zero, err
		}
		return refine(c)
	}}
}

// Mount registers every route of child on r under prefix, as Kaito's merge
// does. The routes keep the context they were declared with; r's options
// (error mapping, limits, resolver) apply to them. Routes added to child after
// Mount are not mounted.
func Mount[C, D any](r *Router[C], prefix string, child *Router[D]) {
	prefix = r.prefix + checkPrefix(prefix)
	if child.core == r.core {
		panic("kaito: Mount: a router cannot be mounted on itself or on a router it shares routes with")
	}
	for _, rt := range child.core.routes() {
		cp := *rt
		cp.pattern = prefix + rt.pattern
		if cp.pattern == prefix+"/" && prefix != "" {
			cp.pattern = prefix
		}
		cp.shape, cp.ranks = "", nil
		r.core.matcher.add(&cp)
	}
}

func checkPrefix(p string) string {
	if p == "" || p == "/" {
		return ""
	}
	if p[0] != '/' || strings.HasSuffix(p, "/") {
		panic(&PatternError{Pattern: p, Reason: "a prefix must begin with '/' and not end with one"})
	}
	return p
}

// routes lists the registered routes in registration order of methods.
func (c *core) routes() []*Route {
	var all []*Route
	for _, m := range c.matcher.methods {
		all = append(all, c.matcher.routes[m]...)
	}
	return all
}

// Routes lists every route registered on the router, grouped by method.
func (r *Router[C]) Routes() []*Route { return r.core.routes() }

// Serve answers one request. Adapters call it; req is storage the adapter
// owns and reuses (its zero value is ready), x is the request and its
// response. When Serve returns the response is complete, unless the handler
// streamed through an Exchange that runs the stream later.
//
// A request whose path is not canonical (it holds "//", or a "." or ".."
// segment, trailing ones included) is never routed: it is redirected to the
// cleaned path, with its query, 301 for GET and HEAD and 308 for other
// methods, as net/http's ServeMux and httprouter do. So middleware in front
// of the router and the router itself always see the same path: a check of
// r.URL.Path against "/admin" cannot be passed by "//admin" or
// "/public/../admin". The path is the percent-decoded one the router
// matches, so "%2e%2e" and "%2F" count as "..", and "/" there; ServeMux,
// which matches the escaped path, treats them as data, but here "%2F" is
// a separator to the router and must be one to the cleaning too.
func (r *Router[C]) Serve(req *Request, x Exchange) { r.core.serve(req, x) }

func (c *core) serve(req *Request, x Exchange) {
	method := x.Method()
	req.reset(c, x, method)
	defer c.finish(req)

	req.method = method
	if c.extras && c.serveExtras(req, x, method) {
		return
	}
	path := x.Path()
	if !canonicalPath(path) {
		if path == "*" && method == http.MethodOptions {
			// OPTIONS * asks about the server, not a resource: answered
			// as net/http's server answers it, on both adapters.
			req.x.Header().Set("Content-Length", "0")
			req.WriteHeader(http.StatusOK)
			return
		}
		c.redirectClean(req, path)
		return
	}
	rt, ps, tsr := c.matcher.match(req.method, path, &req.slot)
	if rt == nil && req.method == http.MethodHead {
		rt, ps, tsr = c.matcher.match(http.MethodGet, path, &req.slot)
	}
	if rt == nil {
		c.unmatched(req, path, tsr)
		return
	}
	req.route, req.params = rt, ps
	rt.serve(req)
}

// serveExtras does what the access log, method spoofing, request ids and
// CORS need before a request is routed, and reports whether it answered
// the request. A router with none of them skips it (config.extras).
func (c *core) serveExtras(req *Request, x Exchange, method string) (answered bool) {
	if c.accessLog != nil {
		req.begun = time.Now()
	}
	if c.spoofing && method == http.MethodPost {
		req.method = spoofedMethod(x.RawQuery(), method)
	}
	if c.requestID {
		req.setRequestID()
	}
	if c.cors != nil && c.cors.handle(req) {
		return true
	}
	if req.method != method && !c.spoofAllowed(req) {
		req.writeMessage(http.StatusForbidden, "method spoofing is not allowed from this origin")
		return true
	}
	return false
}

// finish recovers a panic from the handler, answers 500 if nothing was sent
// yet, and logs the panic with its stack. A panic after the response
// started has the runtime drop the connection (Exchange.Abort), so that a
// truncated body cannot pass for a complete one.
func (c *core) finish(req *Request) {
	p := recover()
	if req.observed() {
		req.noteFinished()
	}
	if p != nil {
		if a, ok := p.(abort); ok {
			req.outErr = a.err
			if !req.wroteHeader {
				req.writeError(a.err.Status, a.err.message(), a.err.Errors)
				req.release()
				return
			}
			req.Logger().Warn("kaito: request failed after the response started", "error", a.err.Error())
			p = http.ErrAbortHandler // cut the response, below
		}
		if p == http.ErrAbortHandler {
			// net/http's way to abort a response (ReverseProxy uses it):
			// the runtime drops the connection, quietly.
			x := req.x
			req.release()
			x.Abort()
			return
		}
		req.outErr = fmt.Errorf("panic: %v", p)
		req.Logger().Error("kaito: panic serving request", "method", req.method, "path", strings.Clone(req.x.Path()),
			"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		if !req.wroteHeader {
			req.dropHandlerHeaders()
			req.writeMessage(http.StatusInternalServerError, http.StatusText(http.StatusInternalServerError))
		} else {
			// The response started (a Responder panicked after it wrote):
			// a body cut short must not look complete. Drop the
			// connection without ending the body.
			x := req.x
			req.release()
			x.Abort()
			return
		}
	}
	req.release()
}

// canonicalPath reports whether p is a path the router serves as it is:
// it begins with '/' and has no empty, "." or ".." segment other than an
// empty last one (a trailing slash). No allocation.
//
// Every request goes through it, so it looks at eight bytes at a time for
// a '/' followed by '/' or '.', the only pairs that can make a path not
// canonical; only from such a pair on (a "/.well-known" segment, or a
// path to redirect) does it look byte by byte.
func canonicalPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	// '.' is '/' with its low bit clear, so n|ones matches both: c has a
	// zero byte where a '/' is followed by '/' or '.'. Two words a turn,
	// then one.
	q := p
	for len(q) >= 17 {
		c := (le64(q) ^ slashes) | ((le64(q[1:]) | ones) ^ slashes)
		d := (le64(q[8:]) ^ slashes) | ((le64(q[9:]) | ones) ^ slashes)
		if ((c-ones)&^c|(d-ones)&^d)&highs != 0 {
			break
		}
		q = q[16:]
	}
	for len(q) >= 9 {
		c := (le64(q) ^ slashes) | ((le64(q[1:]) | ones) ^ slashes)
		if (c-ones)&^c&highs != 0 {
			return canonicalFrom(p, len(p)-len(q)+1)
		}
		q = q[8:]
	}
	if len(q) > 1 && len(p) >= 9 {
		// The pairs left, seen through the last nine bytes (which overlap
		// bytes already looked at: a clean pair stays clean).
		q = p[len(p)-9:]
		c := (le64(q) ^ slashes) | ((le64(q[1:]) | ones) ^ slashes)
		if (c-ones)&^c&highs == 0 {
			return true
		}
	}
	return canonicalFrom(p, len(p)-len(q)+1)
}

// canonicalFrom is canonicalPath's byte-by-byte check of the pairs
// p[i-1], p[i] from i on.
func canonicalFrom(p string, i int) bool {
	for ; i < len(p); i++ {
		if p[i-1] != '/' {
			continue
		}
		switch p[i] {
		case '/':
			return false
		case '.':
			j := i + 1
			if j < len(p) && p[j] == '.' {
				j++
			}
			if j == len(p) || p[j] == '/' {
				return false
			}
		}
	}
	return true
}

const (
	slashes = 0x2f2f2f2f2f2f2f2f // '/' in every byte
	ones    = 0x0101010101010101
	highs   = 0x8080808080808080
)

// le64 reads the first eight bytes of s as a little-endian word; the
// compiler makes it one load.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// redirectClean answers a request whose path is not canonical with a
// redirect to the cleaned path (see Router.Serve), or 404 when that path
// would leave the site ("//\evil.example" cleans to "/\evil.example").
func (c *core) redirectClean(req *Request, path string) {
	if !c.redirect(req, httprouter.CleanPath(path)) {
		req.writeMessage(http.StatusNotFound, "Cannot "+req.method+" "+path)
	}
}

// redirect answers with a redirect to target, a path on this site, and the
// request's query: 301 for GET and HEAD, 308 (which keeps the method and
// the body) for other methods. The Location is built from target, never
// from the raw request target, and must stay on this site: a target such
// as //evil.example/ or /\evil.example/ would send a browser off it, and
// is refused with false.
func (c *core) redirect(req *Request, target string) bool {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") {
		return false
	}
	loc := (&url.URL{Path: target}).EscapedPath()
	if strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
		return false
	}
	if q := req.x.RawQuery(); q != "" {
		loc += "?" + q
	}
	status := http.StatusPermanentRedirect
	if m := req.x.Method(); m == http.MethodGet || m == http.MethodHead {
		status = http.StatusMovedPermanently
	}
	req.x.Header().Set("Location", loc)
	req.WriteHeader(status)
	return true
}

func (c *core) unmatched(req *Request, path string, tsr bool) {
	if tsr && !c.noTrailSlash && path != "/" {
		target := path + "/"
		if strings.HasSuffix(path, "/") {
			target = path[:len(path)-1]
		}
		if c.redirect(req, target) {
			return
		}
	}
	allow := c.matcher.allowed(path, &req.slot)
	if len(allow) > 0 {
		hasOptions := false
		for _, m := range allow {
			if m == http.MethodOptions {
				hasOptions = true
			}
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
		if !hasOptions {
			allow = append(allow, http.MethodOptions)
		}
		allow = dedupe(allow)
		req.x.Header().Set("Allow", strings.Join(allow, ", "))
		if req.method == http.MethodOptions {
			req.WriteHeader(http.StatusNoContent)
			return
		}
		req.writeMessage(http.StatusMethodNotAllowed, http.StatusText(http.StatusMethodNotAllowed))
		return
	}
	req.writeMessage(http.StatusNotFound, "Cannot "+cutInput(req.method)+" "+cutInput(path))
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		dup := false
		for _, w := range s[:i] {
			if w == v {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

// spoofedMethod returns the method named by the first _method parameter of
// the query when it is PUT, PATCH or DELETE, else method.
func spoofedMethod(rawQuery, method string) string {
	for rawQuery != "" {
		var kv string
		kv, rawQuery, _ = strings.Cut(rawQuery, "&")
		k, v, _ := strings.Cut(kv, "=")
		if strings.ContainsAny(kv, "%+") {
			k, _ = url.QueryUnescape(k)
			v, _ = url.QueryUnescape(v)
		}
		if k != "_method" {
			continue
		}
		switch {
		case strings.EqualFold(v, "put"):
			return http.MethodPut
		case strings.EqualFold(v, "patch"):
			return http.MethodPatch
		case strings.EqualFold(v, "delete"):
			return http.MethodDelete
		}
		return method
	}
	return method
}
