package ip_test

import (
	"fmt"
	"net/http"

	"github.com/kaito-go/kaito/ip"
	"github.com/kaito-go/kaito/ip/cloudflare"
)

// Behind nginx on the same host, with
//
//	proxy_set_header X-Forwarded-For   $proxy_add_x_forwarded_for;
//	proxy_set_header X-Forwarded-Proto $scheme;
//	proxy_set_header Host              $host;
//
// nginx appends the address it received the request from. Entries to the
// left of it were sent by the client and are not read.
func Example_nginx() {
	res, err := ip.New(ip.TrustProxies("loopback"), ip.FromXForwardedFor())
	if err != nil {
		panic(err)
	}
	h := http.Header{}
	h.Set("X-Forwarded-For", "10.9.9.9, 198.51.100.7") // "10.9.9.9" came from the client
	h.Set("X-Forwarded-Proto", "https")
	local := ip.Point{Scheme: "http", Host: "example.com", Port: 80, RemoteAddr: "127.0.0.1:40312"}

	r, err := res.Resolve(local, h)
	fmt.Println(r.Client, err)
	fmt.Println(r.Origin.Scheme, r.Origin.Host, r.Origin.Port)
	for _, hop := range r.Hops {
		fmt.Println(hop.Addr, hop.Trusted)
	}

	// A client that reaches the server directly cannot choose its address.
	local.RemoteAddr = "203.0.113.9:5000"
	client, _ := res.Client(local, h)
	fmt.Println(client)
	// Output:
	// 198.51.100.7 <nil>
	// https example.com 443
	// 127.0.0.1 true
	// 198.51.100.7 false
	// 203.0.113.9
}

// Behind Cloudflare, CF-Connecting-IP is read only from Cloudflare's ranges.
func Example_cloudflare() {
	res, err := ip.New(cloudflare.Options()...)
	if err != nil {
		panic(err)
	}
	h := http.Header{}
	h.Set("CF-Connecting-IP", "2001:db8::7")
	client, err := res.Client(ip.Point{RemoteAddr: "[2606:4700::1]:443"}, h)
	fmt.Println(client, err)
	// Output:
	// 2001:db8::7 <nil>
}

// With the standard Forwarded header, proto= and host= come from the
// client's element. A hop that cannot be identified stops the walk.
func Example_forwarded() {
	res, err := ip.New(ip.TrustProxies("10.0.0.0/8"), ip.FromForwarded())
	if err != nil {
		panic(err)
	}
	h := http.Header{}
	// The first element came from the client; the proxy at 10.0.0.5 added the second.
	h.Set("Forwarded", `for=198.51.100.1;proto=http, for="[2001:db8::1]:4711";by=10.0.0.5;proto=https;host=example.com`)
	local := ip.Point{Scheme: "http", Host: "10.0.0.1", Port: 8080, RemoteAddr: "10.0.0.5:1234"}
	r, err := res.Resolve(local, h)
	fmt.Println(r.Client, err)
	fmt.Println(r.Origin.Scheme, r.Origin.Host, r.Origin.Port, r.Origin.RemoteAddr)
	fmt.Println(r.Hops[1].By)

	h.Set("Forwarded", "for=192.0.2.60, for=unknown")
	_, err = res.Resolve(local, h)
	fmt.Println(err)
	// Output:
	// 2001:db8::1 <nil>
	// https example.com 443 [2001:db8::1]:4711
	// 10.0.0.5
	// ip: unidentified hop 1 in Forwarded: "unknown" is not an IP address
}

func ExampleParseForwarded() {
	els, err := ip.ParseForwarded([]string{`for=192.0.2.43;proto=https, for="[2001:db8:cafe::17]:4711";ext="a,b"`})
	if err != nil {
		panic(err)
	}
	for _, e := range els {
		n, _ := ip.ParseNode(e.For)
		fmt.Printf("%s %v %d %q %v\n", e.For, n.Addr, n.Port, e.Proto, e.Ext)
	}
	// Output:
	// 192.0.2.43 192.0.2.43 0 "https" map[]
	// [2001:db8:cafe::17]:4711 2001:db8:cafe::17 4711 "" map[ext:a,b]
}

func ExampleSplitHost() {
	fmt.Println(ip.SplitHost("example.com:8080"))
	fmt.Println(ip.SplitHost("[2001:db8::1]:443"))
	fmt.Println(ip.SplitHost("user@example.com"))
	// Output:
	// example.com 8080 true
	// [2001:db8::1] 443 true
	//  0 false
}

func ExampleNew_errors() {
	_, err := ip.New(ip.TrustProxies("proxy.internal", "10.0.0.0/0"), ip.FromXForwardedFor())
	fmt.Println(err)
	// Output:
	// ip: TrustProxies("proxy.internal"): invalid IP address: not an IP address, CIDR, IPv4 netmask or keyword (loopback, linklocal, private, uniquelocal, unix); host names are not resolved
	// ip: TrustProxies("10.0.0.0/0"): a /0 range trusts every address; if that is meant, say TrustAll()
}
