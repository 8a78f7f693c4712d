package ip

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func TestParseForwarded(t *testing.T) {
	bad := Element{Invalid: true}
	for _, tc := range []struct {
		name           string
		lines          []string
		lenient, exact []Element // nil: same as lenient
		err            error
	}{
		{"simple", []string{"for=192.0.2.43"}, []Element{{For: "192.0.2.43"}}, nil, nil},
		{"all params", []string{`for=192.0.2.60;proto=http;by=203.0.113.43;host=example.com`},
			[]Element{{For: "192.0.2.60", Proto: "http", By: "203.0.113.43", Host: "example.com"}}, nil, nil},
		{"names any case", []string{`For=192.0.2.60;PROTO=https`}, []Element{{For: "192.0.2.60", Proto: "https"}}, nil, nil},
		{"quoted with escapes", []string{`for="_a\"b";ext="x\\y"`}, []Element{bad}, nil, nil},
		{"escapes in ext", []string{`for=_a;ext="x\\y\"z"`}, []Element{{For: "_a", Ext: map[string]string{"ext": `x\y"z`}}}, nil, nil},
		{"ext lower-cased", []string{`for=_a;Secret=1`}, []Element{{For: "_a", Ext: map[string]string{"secret": "1"}}}, nil, nil},
		{"lines and list", []string{"for=1.1.1.1, for=2.2.2.2", "for=3.3.3.3"}, []Element{{For: "1.1.1.1"}, {For: "2.2.2.2"}, {For: "3.3.3.3"}}, nil, nil},
		{"empty elements and pairs", []string{" , for=1.1.1.1;;proto=https ,, "}, []Element{{For: "1.1.1.1", Proto: "https"}}, nil, nil},
		{"space around semicolon", []string{"for=1.1.1.1 ; proto=https"}, []Element{{For: "1.1.1.1", Proto: "https"}}, []Element{bad}, nil},
		{"unquoted port", []string{"for=192.0.2.1:80"}, []Element{{For: "192.0.2.1:80"}}, []Element{bad}, nil},
		{"quoted port", []string{`for="192.0.2.1:80"`}, []Element{{For: "192.0.2.1:80"}}, nil, nil},
		{"unquoted brackets", []string{"for=[2001:db8::1]:80"}, []Element{{For: "[2001:db8::1]:80"}}, []Element{bad}, nil},
		{"unquoted bare IPv6", []string{"for=2001:db8::1"}, []Element{{For: "2001:db8::1"}}, []Element{bad}, nil},
		{"quoted bare IPv6", []string{`for="2001:db8::1"`, `for="2607:f8b0:4004:83f::200e"`}, []Element{{For: "2001:db8::1"}, {For: "2607:f8b0:4004:83f::200e"}}, []Element{bad, bad}, nil},
		{"quoted bare IPv6 with zone or junk", []string{`for="fe80::1%eth0"`, `for="2001:db8::1:80x"`, `for="2001:db8::1]"`}, []Element{bad, bad, bad}, nil, nil},
		{"unquoted host port", []string{"host=example.com:8080"}, []Element{{Host: "example.com:8080"}}, []Element{bad}, nil},
		{"strict host check", []string{`for=_x;host="a b"`}, []Element{{For: "_x", Host: "a b"}}, []Element{bad}, nil},
		{"strict proto check", []string{`for=_x;proto="h t"`}, []Element{{For: "_x", Proto: "h t"}}, []Element{bad}, nil},
		{"space around equals", []string{"for =1.1.1.1, for= 2.2.2.2, for=3.3.3.3"}, []Element{bad, bad, {For: "3.3.3.3"}}, nil, nil},
		{"zone", []string{`for="[fe80::1%eth0]"`}, []Element{bad}, nil, nil},
		{"bad port", []string{`for="1.2.3.4:99999"`, `for="1.2.3.4:0"`, `for="1.2.3.4:"`}, []Element{bad, bad, bad}, nil, nil},
		{"bracketed IPv4", []string{`for="[1.2.3.4]"`}, []Element{bad}, nil, nil},
		{"unspecified", []string{"for=0.0.0.0", `for="[::]"`}, []Element{bad, bad}, nil, nil},
		{"repeated param", []string{"for=1.1.1.1;FOR=2.2.2.2, for=3.3.3.3"}, []Element{bad, {For: "3.3.3.3"}}, nil, nil},
		{"repeated ext", []string{"for=_a;x=1;X=2"}, []Element{bad}, nil, nil},
		{"too many ext", []string{"for=_a" + strings.Repeat(";x=1", 1) + ";a=1;b=1;c=1;d=1;e=1;f=1;g=1;h=1;i=1;j=1;k=1;l=1;m=1;n=1;o=1;p=1"}, []Element{bad}, nil, nil},
		{"bad node", []string{"for=client, by=999.1.1.1"}, []Element{bad, bad}, nil, nil},
		{"no value", []string{"for=, for"}, []Element{bad, bad}, nil, nil},
		{"junk after quoted", []string{`for="1.1.1.1"x`}, []Element{bad}, nil, nil},
		{"control in quoted", []string{"for=_a;x=\"a\x01b\""}, []Element{bad}, nil, nil},
		{"non-token name", []string{"f@r=1.1.1.1"}, []Element{bad}, nil, nil},
		{"comma in quotes", []string{`for=_a;x="1,2", for=_b`}, []Element{{For: "_a", Ext: map[string]string{"x": "1,2"}}, {For: "_b"}}, nil, nil},
		{"unterminated", []string{"for=1.1.1.1", `for="1.1.1.1, for=2.2.2.2`}, nil, nil, ErrUnterminatedQuote},
		{"unterminated escape", []string{`for="1.1.1.1\`}, nil, nil, ErrUnterminatedQuote},
		{"no lines", nil, nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, strict := range []bool{false, true} {
				parse, want := ParseForwarded, tc.lenient
				if strict {
					parse = ParseForwardedStrict
					if tc.exact != nil {
						want = tc.exact
					}
				}
				got, err := parse(tc.lines)
				if !errors.Is(err, tc.err) {
					t.Fatalf("strict=%v: err = %v, want %v", strict, err, tc.err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("strict=%v:\n got %+v\nwant %+v", strict, got, want)
				}
			}
		})
	}
}

func TestParseNode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Node
		ok   bool
	}{
		{"192.0.2.43", Node{Addr: netip.MustParseAddr("192.0.2.43")}, true},
		{"192.0.2.43:47011", Node{Addr: netip.MustParseAddr("192.0.2.43"), Port: 47011}, true},
		{"[2001:db8:cafe::17]:4711", Node{Addr: netip.MustParseAddr("2001:db8:cafe::17"), Port: 4711}, true},
		{"[::ffff:192.0.2.1]", Node{Addr: netip.MustParseAddr("192.0.2.1")}, true},
		{"2001:db8::1", Node{Addr: netip.MustParseAddr("2001:db8::1")}, true},
		{"unknown", Node{Name: "unknown"}, true},
		{"UNKNOWN:80", Node{Name: "UNKNOWN", Port: 80}, true},
		{"_gazonk:_port1", Node{Name: "_gazonk", ObfPort: "_port1"}, true},
		{"_SEVKISEK", Node{Name: "_SEVKISEK"}, true},
		{"_", Node{}, false},
		{"_a b", Node{}, false},
		{"client", Node{}, false},
		{"", Node{}, false},
		{":80", Node{}, false},
		{"[1.2.3.4]", Node{}, false},
		{"[2001:db8::1", Node{}, false},
		{"[2001:db8::1]x", Node{}, false},
		{"fe80::1%eth0", Node{}, false},
		{"192.0.2.999", Node{}, false},
		{"192.0.2.1:65536", Node{}, false},
		{"192.0.2.1:_", Node{}, false},
		{"0.0.0.0", Node{}, false},
		{"::", Node{}, false},
	} {
		got, err := ParseNode(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseNode(%q) = %+v, %v; want %+v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestParsePeer(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // AddrPort, "unix", or "" for an error
	}{
		{"192.0.2.1:1234", "192.0.2.1:1234"},
		{"192.0.2.1", "192.0.2.1:0"},
		{"  192.0.2.1:1234 ", "192.0.2.1:1234"},
		{"[2001:db8::1]:443", "[2001:db8::1]:443"},
		{"2001:db8::1", "[2001:db8::1]:0"},
		{"[fe80::1%eth0]:80", "[fe80::1]:80"},
		{"fe80::1%eth0", "[fe80::1]:0"},
		{"[::ffff:1.2.3.4]:80", "1.2.3.4:80"},
		{"0:0:0:0:0:ffff:bc15:0006", "188.21.0.6:0"},
		{"[64:ff9b::188.0.2.128]:4747", "[64:ff9b::bc00:280]:4747"},
		{"", "unix"},
		{"@", "unix"},
		{"@abstract", "unix"},
		{"/run/app.sock", "unix"},
		{"0.0.0.0:80", ""},
		{"[::]:80", ""},
		{"[:::]:80", ""},
		{"localhost:80", ""},
		{"1.2.3.4:", ""},
		{"1.2.3.4:abc", ""},
		{"[fe80::1%]:80", ""},
		{"1.1.1.1%eth0", ""},
		{"[1.2.3.4]:80", ""},
	} {
		ap, unix, err := ParsePeer(tc.in)
		got := ""
		switch {
		case unix:
			got = "unix"
		case err == nil:
			got = ap.String()
		default:
			var he *HopError
			if !errors.As(err, &he) || he.Hop != 0 || he.Raw != tc.in {
				t.Errorf("ParsePeer(%q) error %v is not a hop-0 *HopError", tc.in, err)
			}
		}
		if got != tc.want {
			t.Errorf("ParsePeer(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitHost(t *testing.T) {
	for _, tc := range []struct {
		in   string
		host string
		port int
		ok   bool
	}{
		{"example.com", "example.com", 0, true},
		{"Example.COM:8080", "Example.COM", 8080, true},
		{"192.0.2.1:80", "192.0.2.1", 80, true},
		{"[2001:db8::1]", "[2001:db8::1]", 0, true},
		{"[2001:db8::1]:443", "[2001:db8::1]", 443, true},
		{"my_host.local", "my_host.local", 0, true},
		{"", "", 0, false},
		{":80", "", 0, false},
		{"example.com:", "", 0, false},
		{"example.com:0", "", 0, false},
		{"example.com:65536", "", 0, false},
		{"example.com:8o", "", 0, false},
		{"user@example.com", "", 0, false},
		{"a.example,b.example", "", 0, false},
		{"a example", "", 0, false},
		{"2001:db8::1", "", 0, false},
		{"[fe80::1%25eth0]", "", 0, false},
		{"[1.2.3.4]", "", 0, false},
		{"[2001:db8::1]x", "", 0, false},
		{"[2001:db8::1", "", 0, false},
		{"exa%41mple.com", "", 0, false},
		{strings.Repeat("a", 262), "", 0, false},
	} {
		host, port, ok := SplitHost(tc.in)
		if host != tc.host || port != tc.port || ok != tc.ok {
			t.Errorf("SplitHost(%q) = %q, %d, %v; want %q, %d, %v", tc.in, host, port, ok, tc.host, tc.port, tc.ok)
		}
	}
}

func TestParseXForwardedFor(t *testing.T) {
	hops, err := ParseXForwardedFor([]string{" 192.0.2.1 , ,[2001:db8::1]:80", "junk,::ffff:10.0.0.1:8080, 10.0.0.2:8080"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Hop{
		{Raw: "192.0.2.1", Addr: netip.MustParseAddr("192.0.2.1")},
		{Raw: "[2001:db8::1]:80", Addr: netip.MustParseAddr("2001:db8::1"), Port: 80},
		{Raw: "junk"},
		{Raw: "::ffff:10.0.0.1:8080"}, // unbracketed IPv6 has no port: this is no address
		{Raw: "10.0.0.2:8080", Addr: netip.MustParseAddr("10.0.0.2"), Port: 8080},
	}
	if !reflect.DeepEqual(hops, want) {
		t.Errorf("got  %+v\nwant %+v", hops, want)
	}
	if hops, err := ParseXForwardedFor(nil); hops != nil || err != nil {
		t.Errorf("nil lines: %v, %v", hops, err)
	}
}
