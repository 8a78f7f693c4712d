// Command loadserver is the kaito server load_test.go runs wrk against. Its
// routes answer normally, panic, fail, refuse oversized bodies (413) and
// report the process's figures. Every response echoes the request's
// X-Expect header, so that the load generator can check each status against
// the one its request expected.
//
//	loadserver -adapter nethttp|fasthttp -addr 127.0.0.1:0
//
// It prints "listening on http://ADDR" once ready and stops on SIGTERM.
//
// Routes:
//
//	GET  /ok              200 {"ok":true}
//	POST /echo            200 with the bound body; 413 over 1 KiB
//	GET  /panic           500 (the handler panics)
//	GET  /fail            500 (an unmapped error)
//	GET  /teapot          418 (a *kaito.Error)
//	GET  /debug/stats     goroutines, heap and RSS; ?gc=1 collects garbage and
//	                      returns freed memory to the OS first
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

// Stats are the figures /debug/stats reports.
type Stats struct {
	Goroutines int    `json:"goroutines"`
	HeapLive   uint64 `json:"heapLive"`   // bytes of live heap after the last GC
	HeapInUse  uint64 `json:"heapInUse"`  // bytes in in-use heap spans
	RSS        uint64 `json:"rss"`        // resident set size, bytes
	PeakRSS    uint64 `json:"peakRSS"`    // the highest RSS so far, bytes
	Panics     int64  `json:"panics"`     // handler panics so far
	Served     int64  `json:"served"`     // requests that reached a handler
	GoMaxProcs int    `json:"gomaxprocs"` //
}

type echoIn struct {
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

var panics, served atomic.Int64

func routes(logger *slog.Logger) *kaito.Router[struct{}] {
	r := kaito.New(func(*kaito.Request) (struct{}, error) {
		served.Add(1)
		return struct{}{}, nil
	}, kaito.WithLogger(logger), kaito.WithBodyLimit(1<<10))
	kaito.Get(r, "/ok", func(struct{}, struct{}) (map[string]bool, error) { return map[string]bool{"ok": true}, nil })
	kaito.Post(r, "/echo", func(_ struct{}, in echoIn) (echoIn, error) { return in, nil })
	kaito.Get(r, "/panic", func(struct{}, struct{}) (struct{}, error) {
		panics.Add(1)
		panic("loadserver: a handler that panics")
	})
	kaito.Get(r, "/fail", func(struct{}, struct{}) (struct{}, error) {
		return struct{}{}, errors.New("loadserver: the database is down")
	})
	kaito.Get(r, "/teapot", func(struct{}, struct{}) (struct{}, error) {
		return struct{}{}, kaito.NewError(http.StatusTeapot, "short and stout")
	})
	kaito.Get(r, "/debug/stats", func(_ struct{}, in struct {
		GC bool `query:"gc"`
	}) (Stats, error) {
		return stats(in.GC), nil
	})
	return r
}

func stats(gc bool) Stats {
	if gc {
		runtime.GC()
		debug.FreeOSMemory()
	}
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(samples)
	rss, peak := procStatus()
	return Stats{
		Goroutines: runtime.NumGoroutine(),
		HeapLive:   samples[0].Value.Uint64(),
		HeapInUse:  samples[1].Value.Uint64(),
		RSS:        rss, PeakRSS: peak,
		Panics: panics.Load(), Served: served.Load(),
		GoMaxProcs: runtime.GOMAXPROCS(0),
	}
}

// procStatus reads VmRSS and VmHWM from /proc/self/status, in bytes.
func procStatus() (rss, peak uint64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		n, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = n << 10
		case "VmHWM":
			peak = n << 10
		}
	}
	return rss, peak
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	adapter := flag.String("adapter", "nethttp", "nethttp or fasthttp")
	flag.Parse()
	// Panics and unmapped errors are logged at error level: at thousands a
	// second, only the count matters here.
	logger := slog.New(slog.DiscardHandler)
	r := routes(logger)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadserver:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Printf("listening on http://%s\n", ln.Addr())
	switch *adapter {
	case "nethttp":
		h := nethttp.Handler(r)
		err = nethttp.Serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if v := req.Header.Get("X-Expect"); v != "" {
				w.Header().Set("X-Expect", v)
			}
			h.ServeHTTP(w, req)
		}), nethttp.Config{})
	case "fasthttp":
		h := fasthttpadapter.Handler(r)
		err = fasthttpadapter.Serve(ctx, ln, func(c *fasthttp.RequestCtx) {
			if v := c.Request.Header.Peek("X-Expect"); len(v) > 0 {
				c.Response.Header.SetBytesV("X-Expect", v)
			}
			h(c)
		}, fasthttpadapter.Config{})
	default:
		err = fmt.Errorf("unknown adapter %q", *adapter)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadserver:", err)
		os.Exit(1)
	}
}
