package integration

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// injection is a request a client crafts to move its address, scheme or
// host through a proxy: bytes in Host that break out of a header the proxy
// builds, or forwarding headers of its own.
type injection struct {
	name   string
	target string   // request target; "" is /orders/7?full=1
	host   string   // Host field value; "" is clientHost
	lines  []string // more header lines, sent as they are
	// want is the host name the proxy received the request for, which the
	// app may be told; "" when the Host is not a plain name, so that no
	// host may be forwarded at all. wantCaddy is that for caddy, when it
	// differs: "none" for "".
	want, wantCaddy string
	// mayRefuse is set when a proxy may answer 4xx instead of serving a
	// request whose Host is a plain name. (Any request whose Host is not
	// may be refused.)
	mayRefuse bool
	// tooLarge is set when the app may find no client because the client
	// stuffed the header the resolver reads (ErrTooManyHops or
	// ErrHeaderTooLarge, which the README says to answer with 400).
	tooLarge bool
	// http10 sends the request as HTTP/1.0, with no Host when host is "-".
	http10 bool
}

// wantHost returns the host the app may be told through proxy.
func (in injection) wantHost(proxy string) string {
	switch {
	case proxy != "caddy" || in.wantCaddy == "":
		return in.want
	case in.wantCaddy == "none":
		return ""
	}
	return in.wantCaddy
}

// Addresses no client may become: those the injections try to pass on.
var spoofed = []string{"203.0.113.66", "198.51.100.7", "2001:db8::66"}

var injections = []injection{
	// Host text that breaks out of host="..." in a Forwarded header.
	{name: "Host closes the quoted host", host: `x",for=203.0.113.66;proto=https;host=bank.example;a="b`},
	{name: "Host closes the quoted host, http", host: `x",for=203.0.113.66;proto=http;host=bank.example;a="b`},
	{name: "Host and Forwarded glue one element", host: `;b="`, lines: []string{`Forwarded: for=198.51.100.7;a="`}},
	{name: "Host with escapes", host: `x\",for=203.0.113.66;proto=https;a=\"`},
	{name: "Host with a semicolon", host: `x;for=203.0.113.66;proto=https`},
	{name: "Host with an equals sign", host: `for=203.0.113.66`},
	{name: "Host with a quote in the port", host: `shop.example.test:1",for=203.0.113.66;proto=https;a="`,
		want: "shop.example.test", wantCaddy: "none"},
	{name: "IPv6 Host with a quote", host: `[::1",for=203.0.113.66;a="]`},
	// Host text that makes X-Forwarded-Host a list.
	{name: "Host with a comma", host: "shop.example.test,bank.example"},
	{name: "Host with a comma lined up with X-Forwarded-For", host: "shop.example.test,bank.example",
		lines: []string{"X-Forwarded-For: 203.0.113.66"}},
	{name: "Host with a comma, spoof first", host: "bank.example,shop.example.test",
		lines: []string{"X-Forwarded-For: 203.0.113.66, 198.51.100.7"}},
	// nginx takes the name before the first colon: the rest is never forwarded.
	{name: "Host with commas and ports", host: "shop.example.test:8443,bank.example:1", want: "shop.example.test",
		wantCaddy: "none"},
	{name: "invalid Host and the client's X-Forwarded-Host", host: `shop.example.test,x"`,
		lines: []string{"X-Forwarded-Host: bank.example", "X-Forwarded-Port: 1"}},
	// Hosts a proxy refuses or rewrites.
	{name: "non-ASCII Host", host: "bänk.example"},
	{name: "tab in Host", host: "shop.example.test\tbank.example"},
	{name: "two Host headers", lines: []string{"Host: bank.example"}, mayRefuse: true, want: "shop.example.test"},
	{name: "folded Forwarded", lines: []string{`Forwarded: for=198.51.100.7;a="`, ` x";for=203.0.113.66`},
		mayRefuse: true, want: "shop.example.test"},
	{name: "upper-case Host", host: "SHOP.Example.TEST:8443", want: "shop.example.test"},
	{name: "IPv6 literal Host", host: "[::1]:8443", want: "[::1]"},
	// The request is for the host in the target, not the Host header
	// (RFC 9112, 3.2.2): nginx routes it so, and so must the app be told.
	{name: "absolute-form target", target: "http://www.example.test:8443/orders/7?full=1", want: "www.example.test"},
	// The client's own forwarding headers.
	{name: "unterminated Forwarded", lines: []string{`Forwarded: for=198.51.100.7;a="`}, want: "shop.example.test"},
	{name: "Forwarded", lines: []string{"Forwarded: for=203.0.113.66;proto=https;host=bank.example"}, want: "shop.example.test"},
	{name: "Forwarded, http", lines: []string{"Forwarded: for=203.0.113.66;proto=http;host=bank.example"}, want: "shop.example.test"},
	{name: "Forwarded with IPv6", lines: []string{`Forwarded: for="[2001:db8::66]";proto=https`}, want: "shop.example.test"},
	{name: "Forwarded, two lines", lines: []string{"Forwarded: for=198.51.100.7",
		"Forwarded: for=203.0.113.66;proto=https;host=bank.example"}, want: "shop.example.test"},
	{name: "Forwarded with a quoted comma", lines: []string{`Forwarded: for=198.51.100.7;a=", for=203.0.113.66;proto=https"`},
		want: "shop.example.test"},
	{name: "X-Forwarded-For", lines: []string{"X-Forwarded-For: 203.0.113.66"}, want: "shop.example.test"},
	{name: "X-Forwarded-For, two lines", lines: []string{"X-Forwarded-For: 198.51.100.7", "X-Forwarded-For: 203.0.113.66"},
		want: "shop.example.test"},
	{name: "X-Forwarded-For with junk", lines: []string{`X-Forwarded-For: 203.0.113.66, "unknown", _hidden,`},
		want: "shop.example.test"},
	{name: "X-Forwarded-For naming the proxies", lines: []string{"X-Forwarded-For: " + balancerAddr + ", 127.0.0.1"},
		want: "shop.example.test"},
	{name: "X-Forwarded-For with 70 entries", lines: []string{"X-Forwarded-For: " + strings.Repeat("198.51.100.7, ", 69) + "203.0.113.66"},
		want: "shop.example.test", tooLarge: true},
	{name: "X-Forwarded-For of 10 KiB", lines: []string{"X-Forwarded-For: 203.0.113.66" + strings.Repeat(" ", 5<<10),
		"X-Forwarded-For: 198.51.100.7" + strings.Repeat(" ", 5<<10) + ",198.51.100.7"},
		want: "shop.example.test", tooLarge: true, mayRefuse: true},
	{name: "HTTP/1.0 without Host", host: "-", http10: true},
	{name: "X-Forwarded-For with a quote", lines: []string{`X-Forwarded-For: 203.0.113.66, "`}, want: "shop.example.test"},
	{name: "X-Forwarded-Host", lines: []string{"X-Forwarded-Host: bank.example"}, want: "shop.example.test"},
	{name: "X-Forwarded-Host lined up with X-Forwarded-For", lines: []string{"X-Forwarded-Host: bank.example, evil.example",
		"X-Forwarded-For: 203.0.113.66"}, want: "shop.example.test"},
	{name: "X-Forwarded-Proto https", lines: []string{"X-Forwarded-Proto: https", "X-Forwarded-Proto: https"},
		want: "shop.example.test"},
	{name: "X-Forwarded-Proto http", lines: []string{"X-Forwarded-Proto: http, http"}, want: "shop.example.test"},
	{name: "X-Forwarded-Port", lines: []string{"X-Forwarded-Port: 1", "X-Forwarded-Port: 1"}, want: "shop.example.test"},
	{name: "other scheme headers", lines: []string{"X-Forwarded-Protocol: https", "X-Forwarded-Ssl: on", "Front-End-Https: on"},
		want: "shop.example.test"},
	{name: "one-IP headers", lines: []string{"CF-Connecting-IP: 203.0.113.66", "X-Real-IP: 203.0.113.66",
		"True-Client-IP: 203.0.113.66"}, want: "shop.example.test"},
	{name: "CF-Connecting-IP, two lines", lines: []string{"CF-Connecting-IP: 203.0.113.66", "CF-Connecting-IP: 198.51.100.7"},
		want: "shop.example.test"},
	{name: "everything at once", host: `x",for=203.0.113.66;proto=https;host=bank.example;a="b,bank.example`, lines: []string{
		`Forwarded: for=198.51.100.7;a="`, "X-Forwarded-For: 203.0.113.66", "X-Forwarded-Host: bank.example",
		"X-Forwarded-Proto: https", "X-Forwarded-Port: 1", "CF-Connecting-IP: 203.0.113.66", "X-Real-IP: 203.0.113.66"}},
}

// attackRoutes sends every injection through each route, from 127.0.0.2 and
// from ::1, and checks that the app sees the true client, the scheme and
// port the proxy forwards, and the host the proxy received or none: the
// request is served so, or refused by the proxy, never served with a value
// the client chose past the proxy.
func attackRoutes(t *testing.T, routes []route) {
	for _, r := range routes {
		t.Run("attack/"+r.adapter+"/"+r.source, func(t *testing.T) {
			refused := 0
			for _, src := range []string{"127.0.0.2", "::1"} {
				base, port := r.url, r.port
				if src == "::1" {
					if r.url6 == "" {
						continue
					}
					base, port = r.url6, r.port6
				}
				for _, in := range injections {
					what := fmt.Sprintf("%s from %s: %s", r.proxy, src, in.name)
					status, rep, body := rawGet(t, src, base, in)
					if status != http.StatusOK {
						// Behind the Cloudflare stand-in the app gets the Host
						// header as sent, and may refuse it itself.
						mustServe := r.toldHost && in.wantHost(r.proxy) != "" && !in.mayRefuse
						if status < 400 || status > 499 || mustServe {
							t.Errorf("%s: %d %s, want the request served", what, status, body)
						}
						refused++
						continue
					}
					checkInjected(t, what, src, r, in, port, rep, body)
				}
			}
			t.Logf("%d of %d requests refused by %s", refused, 2*len(injections), r.proxy)
		})
	}
}

// checkInjected checks what the app saw of one injected request.
func checkInjected(t *testing.T, what, src string, r route, in injection, port int, rep report, body string) {
	t.Helper()
	// No client, and an error that says the client stuffed the header, is
	// a request the app refuses (with 400, as the README says).
	stuffed := in.tooLarge && rep.IP == "" &&
		(strings.Contains(rep.Error, "more than 64 entries") || strings.Contains(rep.Error, "larger than"))
	want := append(slices.Clip(r.via), src)
	if !stuffed && (rep.IP != src || rep.Error != "" || !slices.Equal(rep.IPs, want)) {
		t.Errorf("%s: ip %q (error %q) ips %q, want %s\n%s", what, rep.IP, rep.Error, rep.IPs, want, body)
	}
	if rep.Origin.Scheme != r.scheme {
		t.Errorf("%s: scheme %q, want %q as the proxy forwards it\n%s", what, rep.Origin.Scheme, r.scheme, body)
	}
	o := rep.Origin
	switch {
	case !r.toldHost:
		if o.Host != rep.Local.Host || o.Port != port {
			t.Errorf("%s: origin %s, want host %q (the local one) and port %d\n%s", what, o, rep.Local.Host, port, body)
		}
	case in.wantHost(r.proxy) != "":
		if want := in.wantHost(r.proxy); o.Host != want || o.Port != port {
			t.Errorf("%s: origin %s, want host %q and port %d\n%s", what, o, want, port, body)
		}
	default:
		// The Host is not a plain name: the proxy must forward none, so
		// the origin keeps the local host, and the port is the proxy's or
		// the scheme's.
		if o.Host != rep.Local.Host || (o.Port != port && o.Port != map[string]int{"http": 80, "https": 443}[o.Scheme]) {
			t.Errorf("%s: origin %s, want host %q (the local one) and port %d\n%s", what, o, rep.Local.Host, port, body)
		}
	}
	for _, s := range spoofed {
		if strings.Contains(rep.IP, s) || strings.Contains(o.RemoteAddr, s) {
			t.Errorf("%s: the client chose %q: ip %q origin %s\n%s", what, s, rep.IP, o, body)
		}
	}
}

// rawGet sends the injection's request from the loopback address src to
// the proxy at base as raw bytes (Go's client refuses such a Host) and
// returns the status, the app's report when it answered 200, and the body.
func rawGet(t *testing.T, src, base string, in injection) (int, report, string) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatalf("dial %s from %s: %v", base, src, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	target := in.target
	if target == "" {
		target = "/orders/7?full=1"
	}
	host := in.host
	if host == "" {
		host = clientHost
	}
	var req strings.Builder
	version := "HTTP/1.1"
	if in.http10 {
		version = "HTTP/1.0"
	}
	fmt.Fprintf(&req, "GET %s %s\r\n", target, version)
	if host != "-" {
		fmt.Fprintf(&req, "Host: %s\r\n", host)
	}
	for _, l := range in.lines {
		req.WriteString(l + "\r\n")
	}
	req.WriteString("Connection: close\r\n\r\n")
	if _, err := io.WriteString(c, req.String()); err != nil {
		t.Fatalf("%s: write: %v", in.name, err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%s: read the answer from %s: %v", in.name, base, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s: read the body from %s: %v", in.name, base, err)
	}
	var rep report
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatalf("%s: %v: %s", in.name, err, b)
		}
	}
	return res.StatusCode, rep, string(b)
}
