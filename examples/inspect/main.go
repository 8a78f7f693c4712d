// Command inspect shows what a kaito application sees of the requests that
// reach it, for people setting up the proxies in front of one. Every request,
// whatever its method and path, is answered with JSON: the socket peer, the
// client address the resolver settled on, every hop with its trust, the
// resolver's error, the local and origin points, and which forwarding
// headers were read and which were present but ignored.
//
//	go run ./examples/inspect -trust 127.0.0.1 -source xff
//	curl -H 'X-Forwarded-For: 203.0.113.9' localhost:8081/anything
//
// Flags:
//
//	-addr      listen address (default 127.0.0.1:8081; port 0 picks one)
//	-adapter   nethttp or fasthttp
//	-trust     comma-separated ip.TrustProxies specs (10.0.0.0/8, loopback,
//	           private ...), or "all" for ip.TrustAll
//	-hops      ip.TrustHops(N): the N closest hops are proxies
//	-source    xff, forwarded or header:NAME (e.g. header:CF-Connecting-IP)
//	-strict    parse Forwarded exactly as RFC 7239 says (ip.Strict)
//
// A combination ip.New refuses (a source without trust, two trusts, a bad
// spec) stops the program with ip.New's error and exit status 2. When it
// is listening, the program prints "listening on http://ADDR" on standard
// output, with the port it got.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/ip"
)

// options are the program's flags.
type options struct {
	Adapter string // nethttp or fasthttp
	Trust   string // comma-separated specs, or "all"
	Hops    int    // ip.TrustHops when HopsSet
	HopsSet bool
	Source  string // "", xff, forwarded, header:NAME
	Strict  bool
}

// Config is the resolver configuration, echoed in every answer.
type Config struct {
	Adapter string   `json:"adapter"`
	Trust   []string `json:"trust"`
	Hops    int      `json:"hops,omitempty"`
	Source  string   `json:"source"`
	Strict  bool     `json:"strict,omitempty"`
	Ranges  []string `json:"ranges"` // the trusted ranges, keywords expanded
}

// Hop is one step of the forwarding chain, closest first.
type Hop struct {
	Raw     string `json:"raw"`
	Addr    string `json:"addr"`
	Port    uint16 `json:"port,omitempty"`
	Trusted bool   `json:"trusted"`
	By      string `json:"by,omitempty"`
}

// Point is ip.Point with JSON names.
type Point struct {
	Scheme     string `json:"scheme"`
	Version    string `json:"version"`
	Method     string `json:"method"`
	Host       string `json:"host"`
	Port       int    `json:"port"`
	URI        string `json:"uri"`
	RemoteAddr string `json:"remoteAddr"`
}

// Headers lists forwarding headers by canonical name with their field lines.
type Headers map[string][]string

// Report is the answer to every request.
type Report struct {
	Config Config `json:"config"`
	// Peer is the socket peer, Local().RemoteAddr.
	Peer string `json:"peer"`
	// IP is Request.IP(): "" when the resolver failed.
	IP string `json:"ip"`
	// IPs is Request.IPs(), closest first.
	IPs   []string `json:"ips"`
	Hops  []Hop    `json:"hops"`
	Error string   `json:"error,omitempty"`
	// Origin is the request as the client made it, Local as the server received it.
	Origin Point `json:"origin"`
	Local  Point `json:"local"`
	// Read are the forwarding headers the resolver looked at; Ignored those
	// present that it did not read (an untrusted peer, another source).
	Read    Headers `json:"read"`
	Ignored Headers `json:"ignored"`
}

// resolverOptions turns the flags into ip options.
func resolverOptions(o options) ([]ip.Option, Config, error) {
	cfg := Config{Adapter: o.Adapter, Trust: []string{}, Source: o.Source, Strict: o.Strict, Ranges: []string{}}
	var opts []ip.Option
	switch strings.TrimSpace(o.Trust) {
	case "":
	case "all":
		opts = append(opts, ip.TrustAll())
		cfg.Trust = []string{"all"}
	default:
		for s := range strings.SplitSeq(o.Trust, ",") {
			cfg.Trust = append(cfg.Trust, strings.TrimSpace(s))
		}
		opts = append(opts, ip.TrustProxies(cfg.Trust...))
	}
	if o.HopsSet {
		opts = append(opts, ip.TrustHops(o.Hops))
		cfg.Hops = o.Hops
	}
	switch src := o.Source; {
	case src == "":
	case src == "xff":
		opts = append(opts, ip.FromXForwardedFor())
	case src == "forwarded":
		opts = append(opts, ip.FromForwarded())
	case strings.HasPrefix(src, "header:"):
		opts = append(opts, ip.FromHeader(strings.TrimPrefix(src, "header:")))
	default:
		return nil, cfg, fmt.Errorf("-source %q: want xff, forwarded or header:NAME", src)
	}
	if o.Strict {
		opts = append(opts, ip.Strict())
	}
	switch o.Adapter {
	case "nethttp", "fasthttp":
	default:
		return nil, cfg, fmt.Errorf("-adapter %q: want nethttp or fasthttp", o.Adapter)
	}
	return opts, cfg, nil
}

// newRouter builds the inspecting router, or returns ip.New's error.
func newRouter(o options, logger *slog.Logger) (*kaito.Router[*kaito.Request], error) {
	opts, cfg, err := resolverOptions(o)
	if err != nil {
		return nil, err
	}
	res, err := ip.New(opts...)
	if err != nil {
		return nil, err
	}
	for _, p := range res.Prefixes() {
		cfg.Ranges = append(cfg.Ranges, p.String())
	}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil },
		kaito.WithResolver(res), kaito.WithLogger(logger), kaito.WithoutTrailingSlashRedirect())
	h := func(req *kaito.Request, _ struct{}) (Report, error) { return inspect(req, res, cfg), nil }
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		kaito.Handle(r, m, "/*path", h)
	}
	return r, nil
}

// netHTTPHandler is the program's handler on net/http.
func netHTTPHandler(o options, logger *slog.Logger) (http.Handler, error) {
	r, err := newRouter(o, logger)
	if err != nil {
		return nil, err
	}
	return nethttp.Handler(r), nil
}

// fastHTTPHandler is the program's handler on fasthttp.
func fastHTTPHandler(o options, logger *slog.Logger) (fasthttp.RequestHandler, error) {
	r, err := newRouter(o, logger)
	if err != nil {
		return nil, err
	}
	return fasthttpadapter.Handler(r), nil
}

// forwardingHeaders are the headers that proxies use to say who the client
// is and how it connected. Any X-Forwarded-* header counts too.
var forwardingHeaders = []string{
	"Forwarded", "X-Real-Ip", "Cf-Connecting-Ip", "True-Client-Ip", "Fly-Client-Ip",
	"Fastly-Client-Ip", "X-Client-Ip", "X-Cluster-Client-Ip", "X-Original-Forwarded-For",
	"Front-End-Https", "Via",
}

func isForwarding(name string) bool {
	return strings.HasPrefix(name, "X-Forwarded-") || slices.Contains(forwardingHeaders, name)
}

// recorder is an ip.Header that notes which headers the resolver asks for.
type recorder struct {
	h    http.Header
	asks map[string]bool
}

func (r recorder) Values(key string) []string {
	r.asks[http.CanonicalHeaderKey(key)] = true
	return r.h.Values(key)
}

func inspect(req *kaito.Request, res *ip.Resolver, cfg Config) Report {
	result, err := req.Resolve()
	rep := Report{
		Config: cfg, Peer: req.Local().RemoteAddr, IP: req.IP(), IPs: req.IPs(), Hops: []Hop{},
		Origin: point(req.Origin()), Local: point(req.Local()), Read: Headers{}, Ignored: Headers{},
	}
	if rep.IPs == nil {
		rep.IPs = []string{}
	}
	if err != nil {
		rep.Error = err.Error()
	}
	for _, h := range result.Hops {
		hop := Hop{Raw: h.Raw, Port: h.Port, Trusted: h.Trusted, By: h.By}
		if h.Addr.IsValid() {
			hop.Addr = h.Addr.String()
		}
		rep.Hops = append(rep.Hops, hop)
	}
	// Resolve again over a recording view of the headers: what the resolver
	// asks for is what it read.
	hdr := req.Headers()
	rec := recorder{h: hdr, asks: map[string]bool{}}
	res.Resolve(req.Local(), rec)
	source := ""
	if name, ok := strings.CutPrefix(cfg.Source, "header:"); ok {
		source = http.CanonicalHeaderKey(name)
	}
	for name, lines := range hdr {
		switch {
		case rec.asks[name]:
			rep.Read[name] = lines
		case isForwarding(name) || name == source:
			rep.Ignored[name] = lines
		}
	}
	return rep
}

func point(p ip.Point) Point {
	return Point{Scheme: p.Scheme, Version: p.Version, Method: p.Method, Host: p.Host, Port: p.Port, URI: p.URI, RemoteAddr: p.RemoteAddr}
}

// parseFlags reads the command line into options.
func parseFlags(args []string, stderr io.Writer) (addr string, o options, err error) {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&addr, "addr", "127.0.0.1:8081", "listen address (port 0 picks a free one)")
	fs.StringVar(&o.Adapter, "adapter", "nethttp", "nethttp or fasthttp")
	fs.StringVar(&o.Trust, "trust", "", `comma-separated trusted proxies (ip.TrustProxies specs: addresses, CIDR ranges, loopback, private ...), or "all"`)
	fs.IntVar(&o.Hops, "hops", 0, "trust the N closest hops, peer included (ip.TrustHops)")
	fs.StringVar(&o.Source, "source", "", "where the client is read from: xff, forwarded or header:NAME")
	fs.BoolVar(&o.Strict, "strict", false, "parse Forwarded strictly (RFC 7239)")
	if err := fs.Parse(args); err != nil {
		return "", o, err
	}
	if fs.NArg() > 0 {
		return "", o, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "hops" {
			o.HopsSet = true
		}
	})
	return addr, o, nil
}

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	addr, o, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "inspect:", err)
		os.Exit(2)
	}
	var serve func(ctx context.Context, ln net.Listener) error
	switch o.Adapter {
	case "fasthttp":
		h, err := fastHTTPHandler(o, logger)
		if err != nil {
			fmt.Fprintln(os.Stderr, "inspect:", err)
			os.Exit(2)
		}
		serve = func(ctx context.Context, ln net.Listener) error {
			return fasthttpadapter.Serve(ctx, ln, h, fasthttpadapter.Config{})
		}
	default:
		h, err := netHTTPHandler(o, logger)
		if err != nil {
			fmt.Fprintln(os.Stderr, "inspect:", err)
			os.Exit(2)
		}
		serve = func(ctx context.Context, ln net.Listener) error {
			return nethttp.Serve(ctx, ln, h, nethttp.Config{})
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "inspect:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Printf("listening on http://%s\n", ln.Addr())
	if err := serve(ctx, ln); err != nil {
		logger.Error("server stopped", "error", err)
		os.Exit(1)
	}
	logger.Info("stopped")
}
