package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/internal/testcert"
	"github.com/kaito-go/kaito/ip"
)

// The serve helpers' transports with real outside clients: nginx in front
// of a Unix socket, and curl speaking HTTP/2 over TLS and h2c.

// who is what whoRouter answers.
type who struct {
	IP     string   `json:"ip"`
	IPs    []string `json:"ips"`
	Error  string   `json:"error"`
	Proto  string   `json:"proto"`
	Scheme string   `json:"scheme"`
}

// whoRouter answers GET /who with the client the resolver settled on.
func whoRouter(res *ip.Resolver) *kaito.Router[*kaito.Request] {
	opts := []kaito.Option{kaito.WithLogger(slog.New(slog.DiscardHandler))}
	if res != nil {
		opts = append(opts, kaito.WithResolver(res))
	}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, opts...)
	kaito.Get(r, "/who", func(req *kaito.Request, _ struct{}) (who, error) {
		w := who{IP: req.IP(), IPs: req.IPs(), Proto: req.Local().Version, Scheme: req.Protocol()}
		if _, err := req.ClientAddr(); err != nil {
			w.Error = err.Error()
		}
		return w, nil
	})
	return r
}

// serveUnix serves r with an adapter's ListenAndServe on the Unix socket
// at path until the test ends, and waits until it accepts connections.
func serveUnix(t *testing.T, adapter, path string, r *kaito.Router[*kaito.Request]) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		switch adapter {
		case "nethttp":
			done <- nethttp.ListenAndServe(ctx, "unix:"+path, nethttp.Handler(r), nethttp.Config{})
		case "fasthttp":
			done <- fasthttpadapter.ListenAndServe(ctx, "unix:"+path, fasthttpadapter.Handler(r), fasthttpadapter.Config{})
		}
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("%s ListenAndServe on %s: %v", adapter, path, err)
		}
	})
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("unix", path); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not listening on %s after 15s", adapter, path)
		}
	}
}

// getWho sends GET /who through c with extra headers.
func getWho(t *testing.T, c *http.Client, url string, headers map[string]string) who {
	t.Helper()
	var w who
	getJSON(t, c, url, "", headers, &w)
	return w
}

// TestNginxUnixSocket: nginx proxies to each adapter over a Unix socket;
// the app trusts "unix" (the socket is its only way in, so nginx is the only
// peer it can have) and takes the client from X-Forwarded-For: the client's
// own X-Forwarded-For is never believed. A request straight over the socket
// has no client IP.
func TestNginxUnixSocket(t *testing.T) {
	nginx := need(t, "nginx", "/usr/sbin/nginx")
	res, err := ip.New(ip.TrustProxies("unix"), ip.FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	// Socket paths are short (at most 107 bytes): not under t.TempDir.
	sockDir, err := os.MkdirTemp("", "kaito-sock-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(sockDir) })
	dir := t.TempDir()
	ports := map[string]int{}
	var servers strings.Builder
	for _, a := range adapterNames {
		sock := filepath.Join(sockDir, a+".sock")
		// A socket file left by a crash is in the way, and is replaced.
		ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
		if err != nil {
			t.Fatal(err)
		}
		ln.SetUnlinkOnClose(false)
		ln.Close()
		serveUnix(t, a, sock, whoRouter(res))
		ports[a] = freePort(t, "127.0.0.1")
		fmt.Fprintf(&servers, `
	server { # %s
		listen 127.0.0.1:%d;
		location / {
			proxy_pass http://unix:%s:;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_set_header X-Forwarded-Proto https;
			proxy_set_header X-Forwarded-Host $x_forwarded_host;
			proxy_set_header X-Forwarded-Port 8443;
		}
	}
`, a, ports[a], sock)
	}
	// The README's X-Forwarded-* recipe, its map included, with the socket
	// as the upstream (the README says to change only proxy_pass).
	recipe := readmeNginx(t)["xff"].http
	conf := strings.NewReplacer("{{dir}}", dir, "{{http}}", recipe, "{{servers}}", servers.String()).Replace(nginxConf)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := runOutput(nginx, "-t", "-p", dir, "-c", confPath, "-e", "stderr"); err != nil {
		t.Fatalf("nginx -t: %v\n%s\n%s", err, b, conf)
	}
	p, _ := start(t, "nginx", false, nil, nginx, "-p", dir, "-c", confPath, "-e", "stderr")
	for _, a := range adapterNames {
		waitListening(t, p, fmt.Sprintf("127.0.0.1:%d", ports[a]))
	}
	t.Logf("%s", toolVersion(nginx, "-v"))

	for _, a := range adapterNames {
		url := fmt.Sprintf("http://127.0.0.1:%d/who", ports[a])
		c := clientFrom("127.0.0.2")
		if w := getWho(t, c, url, nil); w.IP != "127.0.0.2" || w.Error != "" {
			t.Errorf("%s behind nginx: %+v, want the client 127.0.0.2", a, w)
		}
		w := getWho(t, c, url, map[string]string{"X-Forwarded-For": "203.0.113.66", "X-Real-IP": "203.0.113.66"})
		if w.IP != "127.0.0.2" || w.Error != "" {
			t.Errorf("%s behind nginx, with a forged X-Forwarded-For: %+v, want the client 127.0.0.2", a, w)
		}

		// Straight over the socket: no proxy, no address.
		direct := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", filepath.Join(sockDir, a+".sock"))
		}}, Timeout: 10 * time.Second}
		if w := getWho(t, direct, "http://app/who", nil); w.IP != "" || w.Error == "" {
			t.Errorf("%s straight over the socket: %+v, want no IP and an error", a, w)
		}
	}
}

// serveTCP runs serve on a listener on 127.0.0.1 until the test ends, and
// returns the listener's address.
func serveTCP(t *testing.T, serve func(context.Context, net.Listener) error) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// TestCurlHTTP2: curl, whose HTTP/2 is nghttp2's, gets HTTP/2 over TLS and
// with prior knowledge (h2c) from net/http, and HTTP/1.1 over TLS from
// fasthttp even when it asks for HTTP/2.
func TestCurlHTTP2(t *testing.T) {
	curl := need(t, "curl")
	cert := testcert.New(t)
	h := nethttp.Handler(whoRouter(nil))
	tlsNet := serveTCP(t, func(ctx context.Context, ln net.Listener) error {
		return nethttp.Serve(ctx, ln, h, nethttp.Config{CertFile: cert.CertFile, KeyFile: cert.KeyFile})
	})
	h2c := serveTCP(t, func(ctx context.Context, ln net.Listener) error {
		return nethttp.Serve(ctx, ln, h, nethttp.Config{H2C: true})
	})
	tlsFast := serveTCP(t, func(ctx context.Context, ln net.Listener) error {
		return fasthttpadapter.Serve(ctx, ln, fasthttpadapter.Handler(whoRouter(nil)), fasthttpadapter.Config{CertFile: cert.CertFile, KeyFile: cert.KeyFile})
	})
	t.Logf("%s", toolVersion(curl, "--version"))
	for _, tc := range []struct {
		name    string
		args    []string
		version string // curl's %{http_version}
		proto   string // the request's protocol as the server saw it
	}{
		{"nethttp over TLS", []string{"--http2", "https://" + tlsNet + "/who"}, "2", "HTTP/2.0"},
		{"nethttp over TLS, HTTP/1.1 asked", []string{"--http1.1", "https://" + tlsNet + "/who"}, "1.1", "HTTP/1.1"},
		{"nethttp h2c", []string{"--http2-prior-knowledge", "http://" + h2c + "/who"}, "2", "HTTP/2.0"},
		{"nethttp h2c port, HTTP/1.1", []string{"http://" + h2c + "/who"}, "1.1", "HTTP/1.1"},
		{"fasthttp over TLS, HTTP/2 asked", []string{"--http2", "https://" + tlsFast + "/who"}, "1.1", "HTTP/1.1"},
	} {
		args := append([]string{"-sS", "--max-time", "10", "--cacert", cert.CertFile, "-w", "\n%{http_version} %{http_code}"}, tc.args...)
		b, err := runOutput(curl, args...)
		if err != nil {
			t.Errorf("%s: curl %v: %v\n%s", tc.name, args, err, b)
			continue
		}
		body, status, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
		var w who
		scheme, _, _ := strings.Cut(tc.args[len(tc.args)-1], ":")
		if err := json.Unmarshal([]byte(body), &w); err != nil || status != tc.version+" 200" || w.Proto != tc.proto || w.IP != "127.0.0.1" || w.Scheme != scheme {
			t.Errorf("%s: %q, want HTTP/%s 200 and %s over %s from 127.0.0.1", tc.name, b, tc.version, tc.proto, scheme)
		}
	}
}
