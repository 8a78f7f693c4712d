package results

import (
	"math"
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/kaito-go/kaito/bench
cpu: Test CPU
BenchmarkUser/peer=httprouter-2   	 100	       500 ns/op	     104 B/op	       4 allocs/op
BenchmarkUser/peer=httprouter-2   	 100	       510 ns/op	     104 B/op	       4 allocs/op
BenchmarkUser/peer=httprouter-2   	 100	       490 ns/op	     104 B/op	       4 allocs/op
BenchmarkUser/peer=kaito-nethttp-2	 100	       520 ns/op	      56 B/op	       2 allocs/op
BenchmarkUser/peer=kaito-nethttp-2	 100	       530 ns/op	      56 B/op	       2 allocs/op
BenchmarkUser/peer=kaito-nethttp-2	 100	       525 ns/op	      56 B/op	       2 allocs/op
BenchmarkNotAPeer-2               	 100	       1 ns/op
PASS
`

func TestRead(t *testing.T) {
	set, err := Read(strings.NewReader(sample), "sample")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(set.Peers("User"), ","); got != "httprouter,kaito-nethttp" {
		t.Errorf("peers %q", got)
	}
	st, ok := set.Stat("User", "kaito-nethttp", NsPerOp)
	if !ok || st.N != 3 || math.Abs(st.Median-525e-9) > 1e-15 {
		t.Errorf("kaito-nethttp sec/op: %+v %v", st, ok)
	}
	al, _ := set.Stat("User", "httprouter", AllocsPerOp)
	if al.Median != 4 {
		t.Errorf("httprouter allocs/op median %v", al.Median)
	}
	if set.Config["cpu"] != "Test CPU" {
		t.Errorf("config %v", set.Config)
	}
	if _, ok := set.Stat("User", "gin", NsPerOp); ok {
		t.Error("a peer that was not measured has a Stat")
	}
	if _, err := Read(strings.NewReader("PASS\n"), "empty"); err == nil {
		t.Error("no results read without an error")
	}
}
