package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

var quiet = slog.New(slog.DiscardHandler)

// request is one request as the tests describe it.
type request struct {
	peer    string // socket peer, ip:port
	target  string
	headers [][2]string
}

// viaNetHTTP serves rq with the net/http handler.
func viaNetHTTP(t *testing.T, o options, rq request) Report {
	t.Helper()
	h, err := netHTTPHandler(o, quiet)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", rq.target, nil)
	req.RemoteAddr = rq.peer
	for _, kv := range rq.headers {
		req.Header.Add(kv[0], kv[1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return decode(t, rec.Code, rec.Body.Bytes())
}

// viaFastHTTP serves rq with the fasthttp handler, over an in-memory
// connection whose peer address is rq.peer.
func viaFastHTTP(t *testing.T, o options, rq request) Report {
	t.Helper()
	h, err := fastHTTPHandler(o, quiet)
	if err != nil {
		t.Fatal(err)
	}
	ln := fasthttputil.NewInmemoryListener()
	srv := &fasthttp.Server{Handler: h}
	var wg sync.WaitGroup
	wg.Go(func() { srv.Serve(ln) })
	defer func() { ln.Close(); wg.Wait() }()
	peer, err := net.ResolveTCPAddr("tcp", rq.peer)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		return ln.DialWithLocalAddr(peer)
	}}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest("GET", "http://example.com"+rq.target, nil)
	for _, kv := range rq.headers {
		req.Header.Add(kv[0], kv[1])
	}
	res, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return decode(t, res.StatusCode, b)
}

func decode(t *testing.T, status int, body []byte) Report {
	t.Helper()
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	var rep Report
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return rep
}

var adapters = []struct {
	name string
	do   func(*testing.T, options, request) Report
}{{"nethttp", viaNetHTTP}, {"fasthttp", viaFastHTTP}}

func TestReport(t *testing.T) {
	xff := options{Trust: "10.0.0.1", Source: "xff"}
	cases := []struct {
		name    string
		o       options
		rq      request
		ip      string
		ips     []string
		trusted []bool
		err     string // a substring of the error; "" for none
		origin  string // scheme://host:port
		read    []string
		ignored []string
	}{
		{
			name: "trusted proxy appends", o: xff,
			rq: request{peer: "10.0.0.1:5000", target: "/x?y=1", headers: [][2]string{
				{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"}, {"X-Forwarded-Proto", "https"},
				{"X-Forwarded-Host", "shop.example"}, {"Cf-Connecting-Ip", "1.1.1.1"}}},
			ip: "198.51.100.7", ips: []string{"10.0.0.1", "198.51.100.7"}, trusted: []bool{true, false},
			origin: "https://shop.example:443", read: []string{"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"},
			ignored: []string{"Cf-Connecting-Ip"},
		},
		{
			name: "untrusted peer", o: xff,
			rq: request{peer: "192.0.2.9:5000", target: "/", headers: [][2]string{
				{"X-Forwarded-For", "6.6.6.6"}, {"X-Forwarded-Proto", "https"}, {"Forwarded", "for=7.7.7.7"}}},
			ip: "192.0.2.9", ips: []string{"192.0.2.9"}, trusted: []bool{false}, origin: "http://example.com:80",
			ignored: []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Proto"},
		},
		{
			name: "forwarded", o: options{Trust: "10.0.0.0/8", Source: "forwarded"},
			rq: request{peer: "10.0.0.1:5000", target: "/", headers: [][2]string{
				{"Forwarded", `for=7.7.7.7, for="[2001:db8::5]:4711";proto=https;host="api.example:8443"`},
				{"X-Forwarded-For", "8.8.8.8"}}},
			ip: "2001:db8::5", ips: []string{"10.0.0.1", "2001:db8::5"}, trusted: []bool{true, false},
			origin: "https://api.example:8443", read: []string{"Forwarded"}, ignored: []string{"X-Forwarded-For"},
		},
		{
			name: "one-IP header", o: options{Trust: "loopback", Source: "header:CF-Connecting-IP"},
			rq: request{peer: "127.0.0.1:5000", target: "/", headers: [][2]string{
				{"CF-Connecting-IP", "203.0.113.4"}, {"X-Real-IP", "9.9.9.9"}}},
			ip: "203.0.113.4", ips: []string{"127.0.0.1", "203.0.113.4"}, trusted: []bool{true, false},
			origin: "http://example.com:80", read: []string{"Cf-Connecting-Ip"}, ignored: []string{"X-Real-Ip"},
		},
		{
			name: "hops", o: options{Hops: 2, HopsSet: true, Source: "xff"},
			rq: request{peer: "192.0.2.1:5000", target: "/", headers: [][2]string{
				{"X-Forwarded-For", "6.6.6.6, 198.51.100.7, 192.0.2.50"}}},
			ip: "198.51.100.7", ips: []string{"192.0.2.1", "192.0.2.50", "198.51.100.7"}, trusted: []bool{true, true, false},
			origin: "http://example.com:80", read: []string{"X-Forwarded-For"},
		},
		{
			name: "a hop that is not an address", o: xff,
			rq: request{peer: "10.0.0.1:5000", target: "/", headers: [][2]string{{"X-Forwarded-For", "6.6.6.6, unknown"}}},
			ip: "", ips: []string{"10.0.0.1"}, trusted: []bool{true, false}, err: "unknown",
			origin: "http://example.com:80", read: []string{"X-Forwarded-For"},
		},
		{
			name: "no resolver options", o: options{},
			rq: request{peer: "10.0.0.1:5000", target: "/", headers: [][2]string{{"X-Forwarded-For", "6.6.6.6"}}},
			ip: "10.0.0.1", ips: []string{"10.0.0.1"}, trusted: []bool{false}, origin: "http://example.com:80",
			ignored: []string{"X-Forwarded-For"},
		},
	}
	for _, a := range adapters {
		for _, c := range cases {
			t.Run(a.name+"/"+c.name, func(t *testing.T) {
				o := c.o
				o.Adapter = a.name
				rep := a.do(t, o, c.rq)
				if rep.Config.Adapter != a.name {
					t.Errorf("config.adapter = %q", rep.Config.Adapter)
				}
				if rep.Peer != c.rq.peer {
					t.Errorf("peer = %q, want %q", rep.Peer, c.rq.peer)
				}
				if rep.IP != c.ip || !slices.Equal(rep.IPs, c.ips) {
					t.Errorf("ip, ips = %q, %q; want %q, %q", rep.IP, rep.IPs, c.ip, c.ips)
				}
				var trusted []bool
				for _, h := range rep.Hops {
					trusted = append(trusted, h.Trusted)
				}
				if !slices.Equal(trusted, c.trusted) {
					t.Errorf("hops %+v, want trust %v", rep.Hops, c.trusted)
				}
				if (c.err == "") != (rep.Error == "") || !strings.Contains(rep.Error, c.err) {
					t.Errorf("error %q, want one holding %q", rep.Error, c.err)
				}
				if got := rep.Origin.Scheme + "://" + rep.Origin.Host + ":" + itoa(rep.Origin.Port); got != c.origin {
					t.Errorf("origin %s, want %s", got, c.origin)
				}
				if rep.Local.Scheme != "http" || rep.Local.Host != "example.com" || rep.Local.URI != c.rq.target {
					t.Errorf("local %+v", rep.Local)
				}
				if got := keys(rep.Read); !slices.Equal(got, c.read) {
					t.Errorf("read %v, want %v", got, c.read)
				}
				if got := keys(rep.Ignored); !slices.Equal(got, c.ignored) {
					t.Errorf("ignored %v, want %v", got, c.ignored)
				}
			})
		}
	}
}

func keys(h Headers) []string {
	var ks []string
	for k := range h {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestFlags(t *testing.T) {
	addr, o, err := parseFlags([]string{"-addr", "127.0.0.1:0", "-adapter", "fasthttp", "-trust", "loopback, 10.0.0.0/8", "-source", "header:X-Real-IP"}, io.Discard)
	if err != nil || addr != "127.0.0.1:0" || o.Adapter != "fasthttp" || o.HopsSet || o.Source != "header:X-Real-IP" {
		t.Fatalf("parseFlags = %q %+v %v", addr, o, err)
	}
	_, cfg, err := resolverOptions(o)
	if err != nil || !slices.Equal(cfg.Trust, []string{"loopback", "10.0.0.0/8"}) {
		t.Fatalf("resolverOptions = %+v %v", cfg, err)
	}
	_, o, _ = parseFlags([]string{"-hops", "0", "-source", "xff"}, io.Discard)
	if !o.HopsSet {
		t.Error("-hops 0 given explicitly must reach ip.New, which refuses it")
	}
	if _, _, err := parseFlags([]string{"stray"}, io.Discard); err == nil {
		t.Error("a stray argument was accepted")
	}
}

// TestInvalidCombinations: what ip.New refuses stops the program with ip.New's error.
func TestInvalidCombinations(t *testing.T) {
	cases := []struct {
		args []string
		want string // a substring of the error
	}{
		{[]string{"-source", "xff"}, "trust"},
		{[]string{"-trust", "127.0.0.1"}, "source"},
		{[]string{"-trust", "proxy.example.com", "-source", "xff"}, "proxy.example.com"},
		{[]string{"-trust", "0.0.0.0/0", "-source", "xff"}, "TrustAll"},
		{[]string{"-hops", "0", "-source", "xff"}, "TrustHops(0)"},
		{[]string{"-trust", "all", "-hops", "2", "-source", "xff"}, "TrustAll"},
		{[]string{"-trust", "loopback", "-source", "header:X-Forwarded-For"}, "X-Forwarded-For"},
		{[]string{"-trust", "loopback", "-source", "xff", "-strict"}, "Strict"},
		{[]string{"-trust", "loopback", "-source", "cf"}, "-source"},
		{[]string{"-adapter", "gin"}, "-adapter"},
	}
	for _, c := range cases {
		_, o, err := parseFlags(c.args, io.Discard)
		if err != nil {
			t.Fatalf("%q: %v", c.args, err)
		}
		if o.Adapter == "" {
			o.Adapter = "nethttp"
		}
		_, err = netHTTPHandler(o, quiet)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one naming %q", c.args, err, c.want)
		}
	}
}
