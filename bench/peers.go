package bench

import (
	"net/http"
	"time"

	"github.com/valyala/fasthttp"
)

// Runtime is the HTTP server a peer runs on.
type Runtime string

const (
	NetHTTP  Runtime = "net/http"
	FastHTTP Runtime = "fasthttp"
)

// Peer is one router or framework, serving the scenarios it can express.
type Peer struct {
	Name    string
	Runtime Runtime
	// Baseline marks the hand-written handler that the peers of its runtime
	// are compared with.
	Baseline bool
	// Serves lists the scenarios the peer's API answers (GitHub aside).
	Serves []Scenario

	// API returns the handler of the API: the routes of the scenarios in
	// Serves on one router. Exactly one of HTTP and Fast is set.
	HTTP func() http.Handler
	Fast func() fasthttp.RequestHandler
	// GitHub routes: nil when the peer cannot express them.
	GitHubHTTP func([]Route) http.Handler
	GitHubFast func([]Route) fasthttp.RequestHandler
	// Listen serves the API on addr as the framework's documentation does,
	// when that is not a plain http.Server or fasthttp.Server.
	Listen func(addr string) error
}

// Has reports whether the peer takes part in scenario s.
func (p Peer) Has(s Scenario) bool {
	if s == GitHub {
		return p.GitHubHTTP != nil || p.GitHubFast != nil
	}
	for _, x := range p.Serves {
		if x == s {
			return true
		}
	}
	return false
}

// ListenAndServe serves the peer's API on addr until the process ends.
func (p Peer) ListenAndServe(addr string) error {
	if p.Listen != nil {
		return p.Listen(addr)
	}
	if p.Fast != nil {
		s := &fasthttp.Server{Handler: p.Fast(), Name: p.Name, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
		return s.ListenAndServe(addr)
	}
	s := &http.Server{Addr: addr, Handler: p.HTTP(), ReadHeaderTimeout: 10 * time.Second}
	return s.ListenAndServe()
}

var all4 = []Scenario{User, Create, ClientIP, Accepts}

// baseline is what kaito and the hand-written baselines serve: every
// scenario but GitHub, and scenarios 6 (constraint tags), which the
// frameworks' validators would express each in its own way, and 7 (no
// tags), which tells kaito's binding apart from its tag checks.
var baseline = []Scenario{User, Create, ClientIP, Accepts, CreateTagged, CreatePlain}

// Peers lists every peer, net/http first, each runtime's baseline first.
var Peers = []Peer{
	{Name: "httprouter", Runtime: NetHTTP, Baseline: true, Serves: baseline, HTTP: httprouterAPI, GitHubHTTP: httprouterGitHub},
	{Name: "kaito-nethttp", Runtime: NetHTTP, Serves: baseline, HTTP: kaitoNetHTTP, GitHubHTTP: kaitoNetHTTPGitHub},
	{Name: "gin", Runtime: NetHTTP, Serves: all4, HTTP: ginAPI, GitHubHTTP: ginGitHub},
	{Name: "echo", Runtime: NetHTTP, Serves: []Scenario{User, Create, ClientIP}, HTTP: echoAPI, GitHubHTTP: echoGitHub},
	{Name: "chi", Runtime: NetHTTP, Serves: []Scenario{User, Create}, HTTP: chiAPI, GitHubHTTP: chiGitHub},
	{Name: "huma", Runtime: NetHTTP, Serves: []Scenario{User, Create}, HTTP: humaAPI, GitHubHTTP: humaGitHub},
	{Name: "servemux", Runtime: NetHTTP, Serves: []Scenario{User, Create}, HTTP: servemuxAPI, GitHubHTTP: servemuxGitHub},

	{Name: "fasthttp", Runtime: FastHTTP, Baseline: true, Serves: baseline, Fast: fasthttpAPI},
	{Name: "kaito-fasthttp", Runtime: FastHTTP, Serves: baseline, Fast: kaitoFastHTTP, GitHubFast: kaitoFastHTTPGitHub},
	{Name: "fasthttp-router", Runtime: FastHTTP, Serves: []Scenario{User, Create}, Fast: fasthttpRouterAPI, GitHubFast: fasthttpRouterGitHub},
	{Name: "fiber-v2", Runtime: FastHTTP, Serves: all4, Fast: fiber2Handler, GitHubFast: fiber2GitHub, Listen: fiber2Listen},
	{Name: "fiber-v3", Runtime: FastHTTP, Serves: all4, Fast: fiber3Handler, GitHubFast: fiber3GitHub, Listen: fiber3Listen},
}

// PeerByName returns the named peer.
func PeerByName(name string) (Peer, bool) {
	for _, p := range Peers {
		if p.Name == name {
			return p, true
		}
	}
	return Peer{}, false
}
