package cloudflare_test

import (
	"fmt"
	"net/http"

	"github.com/kaito-go/kaito/ip"
	"github.com/kaito-go/kaito/ip/cloudflare"
)

func ExampleOptions() {
	res, err := ip.New(cloudflare.Options()...)
	if err != nil {
		panic(err)
	}
	h := http.Header{}
	h.Set("CF-Connecting-IP", "198.51.100.7")

	// From a Cloudflare edge, CF-Connecting-IP is the client.
	client, _ := res.Client(ip.Point{RemoteAddr: "162.158.4.20:443"}, h)
	fmt.Println(client)

	// From anyone else, the header is ignored: the peer is the client.
	client, _ = res.Client(ip.Point{RemoteAddr: "203.0.113.9:40000"}, h)
	fmt.Println(client)
	// Output:
	// 198.51.100.7
	// 203.0.113.9
}
