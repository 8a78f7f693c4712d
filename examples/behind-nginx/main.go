// Command behind-nginx shows a kaito server behind nginx: the client's
// address comes from X-Forwarded-For, believed only when the request
// arrives from the proxy, and the scheme and host from X-Forwarded-Proto
// and X-Forwarded-Host.
//
// nginx, on the same machine, as the README says (the map keeps a Host
// that is not a plain name, such as "a,b", out of X-Forwarded-Host):
//
//	# in http { }: the host goes on only when it is a plain name or an IP literal
//	map $host $x_forwarded_host {
//	    "~*^[a-z0-9_.-]+$"     $host;
//	    "~*^\[[0-9a-f:.]+\]$"  $host;
//	    default                "";    # then no X-Forwarded-Host at all
//	}
//	# in the server { }
//	location / {
//	    proxy_pass http://127.0.0.1:8080;
//	    proxy_set_header X-Forwarded-For   $proxy_add_x_forwarded_for;
//	    proxy_set_header X-Forwarded-Proto $scheme;
//	    proxy_set_header X-Forwarded-Host  $x_forwarded_host;
//	    proxy_set_header X-Forwarded-Port  $server_port;
//	}
//
// Run it with the addresses nginx connects from (loopback when nginx runs
// on the same machine; its private address or subnet otherwise):
//
//	go run ./examples/behind-nginx -trust loopback
//	curl -H 'X-Forwarded-For: 203.0.113.7' localhost:8080/whoami
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/ip"
)

// Whoami is what the server learned about the client.
type Whoami struct {
	IP       string   `json:"ip"`
	IPs      []string `json:"ips"`
	Protocol string   `json:"protocol"`
	Hostname string   `json:"hostname"`
	URL      string   `json:"url"`
}

// Routes builds the server for a resolver.
func Routes(res *ip.Resolver) *kaito.Router[*kaito.Request] {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithResolver(res))
	kaito.Get(r, "/whoami", func(req *kaito.Request, _ struct{}) (Whoami, error) {
		if _, err := req.Resolve(); err != nil {
			// A trusted proxy passed on a forwarded address that is not an
			// address: the proxy's configuration needs a look.
			req.Logger().Warn("cannot resolve the client", "error", err)
			return Whoami{}, kaito.NewError(400, "cannot tell who you are")
		}
		return Whoami{IP: req.IP(), IPs: req.IPs(), Protocol: req.Protocol(), Hostname: req.Hostname(), URL: req.CompleteURL(true)}, nil
	})
	return r
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	trust := flag.String("trust", "loopback", "comma-separated addresses, CIDRs or keywords of the proxies to trust")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	res, err := ip.New(ip.TrustProxies(strings.Split(*trust, ",")...), ip.FromXForwardedFor())
	if err != nil {
		logger.Error("bad -trust", "error", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger.Info("listening", "addr", "http://"+*addr, "trust", *trust)
	if err := nethttp.ListenAndServe(ctx, *addr, nethttp.Handler(Routes(res)), nethttp.Config{}); err != nil {
		logger.Error("server stopped", "error", err)
		os.Exit(1)
	}
	logger.Info("stopped")
}
