// Command server serves one peer's API (scenarios 1, 2, 4 and 5 that the
// peer expresses) on a loopback address, for load.sh:
//
//	server -peer kaito-nethttp -addr 127.0.0.1:18080
//	server -list
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"

	"github.com/kaito-go/kaito/bench"
)

func main() {
	name := flag.String("peer", "", "the peer to serve (see -list)")
	addr := flag.String("addr", "127.0.0.1:18080", "loopback address to listen on")
	list := flag.Bool("list", false, "print the peer names and exit")
	flag.Parse()

	if *list {
		for _, p := range bench.Peers {
			fmt.Println(p.Name)
		}
		return
	}
	p, ok := bench.PeerByName(*name)
	if !ok {
		fmt.Fprintf(os.Stderr, "server: unknown peer %q (see -list)\n", *name)
		os.Exit(2)
	}
	host, _, err := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		fmt.Fprintf(os.Stderr, "server: %q is not a loopback address\n", *addr)
		os.Exit(2)
	}
	log.SetFlags(0)
	log.Fatal(p.ListenAndServe(*addr))
}
