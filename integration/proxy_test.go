package integration

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// report mirrors examples/inspect's answer.
type report struct {
	Peer  string   `json:"peer"`
	IP    string   `json:"ip"`
	IPs   []string `json:"ips"`
	Error string   `json:"error"`
	Hops  []struct {
		Raw     string `json:"raw"`
		Addr    string `json:"addr"`
		Trusted bool   `json:"trusted"`
	} `json:"hops"`
	Origin point `json:"origin"`
	Local  point `json:"local"`
	Read   map[string][]string
	Ignore map[string][]string `json:"ignored"`
}

type point struct {
	Scheme     string `json:"scheme"`
	Host       string `json:"host"`
	Port       int    `json:"port"`
	URI        string `json:"uri"`
	RemoteAddr string `json:"remoteAddr"`
}

func (p point) String() string { return p.Scheme + "://" + p.Host + ":" + strconv.Itoa(p.Port) }

// Sources of the client address that the apps are configured with, the
// inspect flag for each, and whether Forwarded is parsed strictly.
// The lb- apps sit behind nginx behind a load balancer (an nginx server
// connecting from 127.0.0.9), and trust both by address or by count.
var sources = []struct {
	name, flag string
	strict     bool
	trust      []string // the inspect flags that say whom to trust
}{
	{"xff", "xff", false, nil},
	{"forwarded", "forwarded", false, nil},
	{"forwarded-strict", "forwarded", true, nil},
	{"cf", "header:CF-Connecting-IP", false, nil},
	{"lb-trust", "xff", false, []string{"-trust", "127.0.0.1," + balancerAddr}},
	{"lb-hops", "xff", false, []string{"-hops", "2"}},
}

// balancerAddr is the address the load balancer stand-in connects from.
const balancerAddr = "127.0.0.9"

var adapterNames = []string{"nethttp", "fasthttp"}

// startApps starts examples/inspect for every adapter and source, trusting
// only 127.0.0.1: the address nginx and caddy connect from. The clients use
// 127.0.0.2 and up, which are not trusted. It returns the listen addresses
// by adapter and source.
func startApps(t *testing.T) map[string]map[string]string {
	t.Helper()
	bin := build(t, "..", "./examples/inspect")
	apps := map[string]map[string]string{}
	for _, a := range adapterNames {
		apps[a] = map[string]string{}
		for _, s := range sources {
			trust := s.trust
			if trust == nil {
				trust = []string{"-trust", "127.0.0.1"}
			}
			args := append([]string{"-addr", "127.0.0.1:0", "-adapter", a, "-source", s.flag}, trust...)
			if s.strict {
				args = append(args, "-strict")
			}
			_, line := start(t, "inspect-"+a+"-"+s.name, true, nil, bin, args...)
			apps[a][s.name] = listenAddr(t, line)
		}
	}
	return apps
}

// clientAddrs are the loopback addresses the requests come from; ::1 is
// added when the machine has IPv6 loopback.
func clientAddrs() []string {
	addrs := []string{"127.0.0.2", "127.0.0.3", "127.0.0.4"}
	if ln, err := net.Listen("tcp", "[::1]:0"); err == nil {
		ln.Close()
		addrs = append(addrs, "::1")
	}
	return addrs
}

// route is one proxy in front of one app.
type route struct {
	proxy, adapter, source string
	url                    string   // the proxy's address, http://127.0.0.1:PORT
	url6                   string   // the same on [::1], when it listens there
	scheme                 string   // the scheme the proxy forwards
	via                    []string // the proxies' addresses, closest first
	port, port6            int      // the origin port the app should see through url and url6
	// toldHost is set when the proxy tells the app the host it received
	// the request for (in a forwarding header, or in the Host header it
	// passes on), and the app reads it; otherwise the origin's host is the
	// local one, whatever Host header the app received.
	toldHost bool
}

// origin is the origin the app should see for a request with clientHost
// through the route's url (or url6).
func (r route) origin(v6 bool) string {
	port := r.port
	if v6 {
		port = r.port6
	}
	return fmt.Sprintf("%s://shop.example.test:%d", r.scheme, port)
}

// forged are headers a client sends to pass for someone else.
var forged = map[string]string{
	"X-Forwarded-For":   "203.0.113.66",
	"Forwarded":         `for=203.0.113.66;proto=https;host=evil.example`,
	"Cf-Connecting-Ip":  "203.0.113.66",
	"X-Real-Ip":         "203.0.113.66",
	"X-Forwarded-Host":  "evil.example",
	"X-Forwarded-Proto": "https",
	"X-Forwarded-Port":  "1",
}

// clientHost is the Host header the clients send to the proxies.
const clientHost = "shop.example.test:8443"

const nginxConf = `# Written by kaito's integration test. Runs in the foreground as the
# invoking user, with every path in this directory.
daemon off;
master_process off;
worker_processes 1;
pid {{dir}}/nginx.pid;
error_log stderr warn;
events { worker_connections 512; }
http {
	access_log off;
	client_body_temp_path {{dir}}/client_body;
	proxy_temp_path {{dir}}/proxy;
	fastcgi_temp_path {{dir}}/fastcgi;
	uwsgi_temp_path {{dir}}/uwsgi;
	scgi_temp_path {{dir}}/scgi;
	proxy_http_version 1.1;

{{http}}
{{servers}}}
`

// cfStandIn is the location of an nginx server standing in for Cloudflare:
// it overwrites CF-Connecting-IP and X-Forwarded-Proto, keeps the client's
// Host, and passes other X-Forwarded-* headers through, which the resolver
// must ignore. TLS would end there: the test speaks plain HTTP, and the
// stand-in says https as Cloudflare would.
const cfStandIn = `location / {
    proxy_pass http://127.0.0.1:8080;
    proxy_set_header CF-Connecting-IP $remote_addr;
    proxy_set_header X-Forwarded-Proto https;
    proxy_set_header Host $http_host;
}`

// balancerStandIn is the location of an nginx server standing in for a load
// balancer in front of nginx: it connects from balancerAddr, appends to
// X-Forwarded-For and passes the rest on, with the host it received the
// request for in Host.
const balancerStandIn = `location / {
    proxy_pass http://127.0.0.1:8080;
    proxy_bind ` + balancerAddr + `;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
}`

// nginxLocation is the location block the nginx server for an app source
// uses: the README's own recipe for X-Forwarded-For and Forwarded.
func nginxLocation(t *testing.T, source string) string {
	switch source {
	case "xff", "lb-trust", "lb-hops":
		return readmeNginx(t)["xff"].location
	case "forwarded", "forwarded-strict":
		return readmeNginx(t)["forwarded"].location
	case "cf":
		return cfStandIn
	}
	t.Fatalf("no nginx location for source %q", source)
	return ""
}

// TestNginx runs the README's nginx recipes, exactly as the README shows
// them, in front of both adapters.
func TestNginx(t *testing.T) {
	nginx := need(t, "nginx", "/usr/sbin/nginx")
	recipes := readmeNginx(t)
	apps := startApps(t)
	dir := t.TempDir()
	v6 := slices.Contains(clientAddrs(), "::1")
	var routes []route
	var servers strings.Builder
	for _, a := range adapterNames {
		for _, s := range sources {
			port := freePort(t, "127.0.0.1")
			// The recipes forward nginx's own scheme and port: plain HTTP
			// here, on the port the client connected to.
			r := route{proxy: "nginx", adapter: a, source: s.name, url: fmt.Sprintf("http://127.0.0.1:%d", port),
				scheme: "http", port: port, toldHost: true, via: []string{"127.0.0.1"}}
			location := strings.Replace(nginxLocation(t, s.name), readmeUpstream, "http://"+apps[a][s.name], 1)
			if strings.HasPrefix(s.name, "lb-") {
				// The recipe's nginx, behind the balancer: the origin port is
				// its own.
				inner := freePort(t, "127.0.0.1")
				fmt.Fprintf(&servers, "\n\tserver { # %s %s, nginx\n\t\tlisten 127.0.0.1:%d;\n%s\n\t}\n", a, s.name, inner, location)
				location = strings.Replace(balancerStandIn, readmeUpstream, fmt.Sprintf("http://127.0.0.1:%d", inner), 1)
				r.port, r.via = inner, []string{"127.0.0.1", balancerAddr}
			}
			if s.name == "cf" {
				// Behind a one-IP header the host is the client's Host and
				// the port the forwarded scheme's: X-Forwarded-Host and -Port
				// are what a CDN passes through from the client.
				r.scheme, r.port, r.toldHost = "https", 443, false
			}
			r.port6 = r.port
			listen := fmt.Sprintf("\t\tlisten 127.0.0.1:%d;\n", port)
			if v6 {
				p6 := freePort(t, "::1")
				listen += fmt.Sprintf("\t\tlisten [::1]:%d;\n", p6)
				r.url6 = fmt.Sprintf("http://[::1]:%d", p6)
				if s.name != "cf" && !strings.HasPrefix(s.name, "lb-") {
					r.port6 = p6
				}
			}
			fmt.Fprintf(&servers, "\n\tserver { # %s %s\n%s\n%s\n\t}\n", a, s.name, listen, location)
			routes = append(routes, r)
		}
	}
	conf := strings.NewReplacer("{{dir}}", dir, "{{servers}}", servers.String(),
		"{{http}}", recipes["xff"].http+"\n"+recipes["forwarded"].http).Replace(nginxConf)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := runOutput(nginx, "-t", "-p", dir, "-c", confPath, "-e", "stderr"); err != nil {
		t.Fatalf("nginx -t: %v\n%s\n%s", err, b, conf)
	}
	p, _ := start(t, "nginx", false, nil, nginx, "-p", dir, "-c", confPath, "-e", "stderr")
	for _, r := range routes {
		waitListening(t, p, strings.TrimPrefix(r.url, "http://"))
	}
	t.Logf("%s", toolVersion(nginx, "-v"))
	checkRoutes(t, routes, apps)
	attackRoutes(t, routes)
}

const caddyfile = `# Written by kaito's integration test.
{
	admin off
	auto_https off
	storage file_system {{dir}}/data
}
{{sites}}`

// caddySite returns the Caddyfile site for an app source, listening on
// port at bind and proxying to app: the README's recipe for X-Forwarded-For,
// with only its address and upstream replaced and a bind added, and a
// stand-in for Cloudflare. Caddy replaces X-Forwarded-For (and -Proto,
// -Host) with what it saw, since it trusts no proxy in front of it.
func caddySite(t *testing.T, source string, port int, bind, app string) (string, bool) {
	site := ""
	switch source {
	case "xff":
		site = readmeCaddy(t)
	case "cf":
		// It overwrites CF-Connecting-IP (and X-Forwarded-Proto, as caddy
		// does) and keeps the client's Host.
		site = "cloudflare.example {\n\treverse_proxy 127.0.0.1:8080 {\n" +
			"\t\theader_up CF-Connecting-IP {http.request.remote.host}\n\t}\n}"
	default:
		return "", false // caddy writes no Forwarded header of its own
	}
	first, rest, _ := strings.Cut(site, "\n")
	site = fmt.Sprintf("http://:%d {\n\tbind %s\n%s", port, bind, rest)
	site = strings.Replace(site, "reverse_proxy "+strings.TrimPrefix(readmeUpstream, "http://")+" ", "reverse_proxy "+app+" ", 1)
	return "# " + first + "\n" + site, true
}

func TestCaddy(t *testing.T) {
	caddy := need(t, "caddy")
	apps := startApps(t)
	dir := t.TempDir()
	v6 := slices.Contains(clientAddrs(), "::1")
	var routes []route
	var sites strings.Builder
	for _, a := range adapterNames {
		for _, s := range sources {
			if s.name != "xff" && s.name != "cf" {
				continue // caddy writes no Forwarded header of its own
			}
			port := freePort(t, "127.0.0.1")
			// The host is the client's Host, which caddy passes on, and the
			// port the forwarded scheme's.
			r := route{proxy: "caddy", adapter: a, source: s.name, url: fmt.Sprintf("http://127.0.0.1:%d", port),
				scheme: "http", port: 80, port6: 80, toldHost: s.name == "xff", via: []string{"127.0.0.1"}}
			bind := "127.0.0.1"
			if v6 {
				// Caddy binds one port on every address it is given.
				if ln, err := net.Listen("tcp", fmt.Sprintf("[::1]:%d", port)); err == nil {
					ln.Close()
					bind += " ::1"
					r.url6 = fmt.Sprintf("http://[::1]:%d", port)
				}
			}
			site, _ := caddySite(t, s.name, port, bind, apps[a][s.name])
			fmt.Fprintf(&sites, "\n# %s %s\n%s\n", a, s.name, site)
			routes = append(routes, r)
		}
	}
	conf := strings.NewReplacer("{{dir}}", dir, "{{sites}}", sites.String()).Replace(caddyfile)
	confPath := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + dir + "/config", "XDG_DATA_HOME=" + dir + "/data"}
	p, _ := start(t, "caddy", false, env, caddy, "run", "--config", confPath, "--adapter", "caddyfile",
		"--pidfile", filepath.Join(dir, "caddy.pid"))
	for _, r := range routes {
		waitListening(t, p, strings.TrimPrefix(r.url, "http://"))
	}
	t.Logf("caddy %s", toolVersion(caddy, "version"))
	checkRoutes(t, routes, apps)
	attackRoutes(t, routes)
}

// checkRoutes sends requests through each route from several loopback
// addresses, with and without forged headers, and straight to the app.
func checkRoutes(t *testing.T, routes []route, apps map[string]map[string]string) {
	for _, r := range routes {
		t.Run(r.adapter+"/"+r.source, func(t *testing.T) {
			for _, src := range clientAddrs() {
				base := r.url
				if strings.Contains(src, ":") {
					if r.url6 == "" {
						continue
					}
					base = r.url6
				}
				c := clientFrom(src)
				for _, withForged := range []bool{false, true} {
					var hdr map[string]string
					if withForged {
						hdr = forged
					}
					var rep report
					getJSON(t, c, base+"/orders/7?full=1", clientHost, hdr, &rep)
					what := fmt.Sprintf("%s from %s (forged headers: %v)", r.proxy, src, withForged)
					if withForged && src == "127.0.0.2" {
						t.Logf("%s: %+v", what, rep)
					}
					if rep.IP != src || rep.Error != "" {
						t.Errorf("%s: ip %q (error %q), want %s; hops %+v", what, rep.IP, rep.Error, src, rep.Hops)
					}
					if want := append(slices.Clip(r.via), src); !slices.Equal(rep.IPs, want) {
						t.Errorf("%s: ips %q, want %q", what, rep.IPs, want)
					}
					for i, h := range rep.Hops {
						if h.Trusted != (i < len(r.via)) {
							t.Errorf("%s: hops %+v: the proxies must be trusted and the client not", what, rep.Hops)
						}
					}
					if got, want := rep.Origin.String(), r.origin(base == r.url6); got != want {
						t.Errorf("%s: origin %s, want %s as the proxy set it", what, got, want)
					}
					if rep.Origin.String() == rep.Local.String() {
						t.Errorf("%s: origin %s is the local point: the forwarded values were not applied", what, rep.Origin)
					}
					if rep.Origin.URI != "/orders/7?full=1" {
						t.Errorf("%s: origin URI %q", what, rep.Origin.URI)
					}
					if !strings.HasPrefix(rep.Peer, "127.0.0.1:") {
						t.Errorf("%s: peer %q: want the proxy's connection", what, rep.Peer)
					}
					if len(rep.Read) == 0 {
						t.Errorf("%s: the resolver read no header", what)
					}
				}
			}
		})
	}
	// Straight to the apps, skipping the proxy: nothing the client says is believed.
	for _, a := range adapterNames {
		for _, s := range sources {
			if s.name == "lb-hops" {
				continue // TrustHops believes whoever connects: the README says to firewall
			}
			t.Run("direct/"+a+"/"+s.name, func(t *testing.T) {
				for _, src := range clientAddrs()[:2] {
					var rep report
					getJSON(t, clientFrom(src), "http://"+apps[a][s.name]+"/orders/7", clientHost, forged, &rep)
					if rep.IP != src || len(rep.IPs) != 1 || len(rep.Hops) != 1 || rep.Hops[0].Trusted {
						t.Errorf("direct from %s: ip %q ips %q hops %+v: want the peer, untrusted", src, rep.IP, rep.IPs, rep.Hops)
					}
					if got := rep.Origin.String(); got != "http://shop.example.test:8443" {
						t.Errorf("direct from %s: origin %s: forwarded values from an untrusted peer were applied", src, got)
					}
					if len(rep.Read) != 0 {
						t.Errorf("direct from %s: read %v from an untrusted peer", src, rep.Read)
					}
					for _, name := range []string{"X-Forwarded-For", "Forwarded", "Cf-Connecting-Ip", "X-Forwarded-Host"} {
						if _, ok := rep.Ignore[name]; !ok {
							t.Errorf("direct from %s: %s not listed as ignored: %v", src, name, rep.Ignore)
						}
					}
				}
			})
		}
	}
}
