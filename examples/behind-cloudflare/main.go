// Command behind-cloudflare shows a kaito server that Cloudflare connects
// to directly. As in Kaito's recipe, the client's address comes from
// CF-Connecting-IP — but only when the request really comes from
// Cloudflare's published ranges: anyone else could send that header.
//
//	go run ./examples/behind-cloudflare
//
// The bundled ranges go stale; pass the current lists with -ranges, from
// https://www.cloudflare.com/ips-v4 and https://www.cloudflare.com/ips-v6.
//
// Locally, where no request comes from Cloudflare, curl is refused:
//
//	curl localhost:8080/ip                                  # 400 Probably not behind Cloudflare!
//
// To see a success, play Cloudflare yourself: trust loopback as if it were
// one of Cloudflare's ranges, and send the header Cloudflare would add.
//
//	go run ./examples/behind-cloudflare -ranges 127.0.0.1/32
//	curl -H 'CF-Connecting-IP: 203.0.113.7' localhost:8080/ip   # "203.0.113.7"
package main

import (
	"context"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/ip"
	"github.com/kaito-go/kaito/ip/cloudflare"
)

// Routes builds the server for a resolver.
func Routes(res *ip.Resolver) *kaito.Router[*kaito.Request] {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithResolver(res))
	kaito.Get(r, "/ip", func(req *kaito.Request, _ struct{}) (string, error) {
		res, err := req.Resolve()
		if err != nil || len(res.Hops) < 2 {
			// The request did not come through Cloudflare.
			return "", kaito.NewError(http.StatusBadRequest, "Probably not behind Cloudflare!")
		}
		return req.IP(), nil
	})
	return r
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	ranges := flag.String("ranges", "", "comma-separated Cloudflare ranges (default: the bundled list of "+cloudflare.Updated+")")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var list []string
	if *ranges != "" {
		list = strings.Split(*ranges, ",")
	}
	res, err := ip.New(cloudflare.Options(list...)...)
	if err != nil {
		logger.Error("bad -ranges", "error", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger.Info("listening", "addr", "http://"+*addr)
	if err := nethttp.ListenAndServe(ctx, *addr, nethttp.Handler(Routes(res)), nethttp.Config{}); err != nil {
		logger.Error("server stopped", "error", err)
		os.Exit(1)
	}
	logger.Info("stopped")
}
