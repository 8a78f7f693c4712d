package kaito

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kaito-go/kaito/ip"
)

// CORS configures Cross-Origin Resource Sharing, as AdonisJS has it built in.
//
// A request with an Origin header that the policy allows gets
// Access-Control-Allow-Origin with that origin (never "*" when credentials
// are allowed), and Vary: Origin is set on every response so that caches
// keep the answers apart. A preflight (OPTIONS with
// Access-Control-Request-Method) is answered 204 without reaching any
// handler; a refused preflight is answered 204 with no CORS headers, which
// the browser treats as a refusal.
type CORS struct {
	// Origins lists the allowed origins exactly ("https://app.example.com"),
	// or "*" for any. Ignored when AllowOrigin is set.
	Origins []string
	// AllowOrigin decides for each origin, in place of Origins.
	AllowOrigin func(origin string, req *Request) bool
	// Methods allowed in preflights; default GET, HEAD, POST, PUT, PATCH, DELETE.
	Methods []string
	// Headers allowed in requests; default: those the preflight asks for.
	Headers []string
	// ExposeHeaders lists response headers the browser may read.
	ExposeHeaders []string
	// Credentials allows cookies and authorization on cross-origin requests.
	Credentials bool
	// MaxAge is how long a browser may cache a preflight; 0 sends none.
	MaxAge time.Duration
}

type corsPolicy struct {
	CORS
	any     bool
	origins map[string]bool
	methods string
	headers string
	expose  string
	maxAge  string
}

// WithCORS turns on CORS with the given policy. A policy that allows any
// origin with credentials fails New: browsers refuse "*" with credentials,
// and reflecting every origin instead would let any site act as the user.
func WithCORS(p CORS) Option {
	return func(c *config) error {
		cp := &corsPolicy{CORS: p, origins: map[string]bool{}}
		for _, o := range p.Origins {
			if o == "*" {
				cp.any = true
				continue
			}
			if o == "" || strings.HasSuffix(o, "/") || !strings.Contains(o, "://") {
				return fmt.Errorf("WithCORS: origin %q is not scheme://host[:port]", o)
			}
			cp.origins[strings.ToLower(o)] = true
		}
		if p.AllowOrigin == nil && len(p.Origins) == 0 {
			return fmt.Errorf("WithCORS: no origins allowed: set Origins or AllowOrigin")
		}
		if cp.any && p.Credentials && p.AllowOrigin == nil {
			return fmt.Errorf("WithCORS: Origins \"*\" with Credentials would let every site send the user's cookies; list the origins")
		}
		methods := p.Methods
		if len(methods) == 0 {
			methods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}
		}
		cp.methods = strings.Join(methods, ", ")
		cp.headers = strings.Join(p.Headers, ", ")
		cp.expose = strings.Join(p.ExposeHeaders, ", ")
		if p.MaxAge > 0 {
			cp.maxAge = strconv.Itoa(int(p.MaxAge / time.Second))
		}
		c.cors = cp
		return nil
	}
}

func (p *corsPolicy) allowed(origin string, req *Request) bool {
	if p.AllowOrigin != nil {
		return p.AllowOrigin(origin, req)
	}
	return p.any || p.origins[strings.ToLower(origin)]
}

// handle adds the CORS headers and answers preflights; it reports whether
// the request was answered.
func (p *corsPolicy) handle(req *Request) bool {
	h := req.x.Header()
	h.Add("Vary", "Origin")
	origin := req.x.RequestHeader("Origin")
	preflight := req.method == http.MethodOptions && req.x.RequestHeader("Access-Control-Request-Method") != ""
	if origin == "" {
		return false
	}
	ok := p.allowed(origin, req)
	if ok {
		if p.any && !p.Credentials && p.AllowOrigin == nil {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
		}
		if p.Credentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if p.expose != "" && !preflight {
			h.Set("Access-Control-Expose-Headers", p.expose)
		}
	}
	if !preflight {
		return false
	}
	if ok {
		h.Set("Access-Control-Allow-Methods", p.methods)
		headers := p.headers
		if headers == "" {
			headers = req.x.RequestHeader("Access-Control-Request-Headers")
		}
		if headers != "" {
			h.Set("Access-Control-Allow-Headers", headers)
		}
		if p.maxAge != "" {
			h.Set("Access-Control-Max-Age", p.maxAge)
		}
		h.Add("Vary", "Access-Control-Request-Method")
		h.Add("Vary", "Access-Control-Request-Headers")
	}
	req.WriteHeader(http.StatusNoContent)
	return true
}

// spoofAllowed reports whether a request whose method was spoofed
// (WithMethodSpoofing) may be served as that method: it has no Origin, its
// Origin is the request's own origin, or CORS allows the origin. A browser
// sends a cross-site form POST with no preflight, so without this check any
// site could reach the handlers of PUT, PATCH and DELETE routes.
func (c *core) spoofAllowed(req *Request) bool {
	origin := req.x.RequestHeader("Origin")
	if origin == "" {
		return true
	}
	if res, err := req.Resolve(); err == nil && sameOrigin(origin, res.Origin) {
		return true
	}
	return c.cors != nil && c.cors.allowed(origin, req)
}

// sameOrigin reports whether origin, an Origin header's value
// ("https://example.com:8443"), names the scheme, host and port of o.
// Anything that is not such an origin ("null", a path, userinfo) is not.
func sameOrigin(origin string, o ip.Point) bool {
	scheme, hostport, ok := strings.Cut(origin, "://")
	if !ok || o.Host == "" || !strings.EqualFold(scheme, o.Scheme) {
		return false
	}
	host, port, ok := ip.SplitHost(hostport)
	if !ok || !strings.EqualFold(host, o.Host) {
		return false
	}
	if port == 0 {
		switch strings.ToLower(scheme) {
		case "http":
			port = 80
		case "https":
			port = 443
		default:
			return false
		}
	}
	return port == o.Port
}
