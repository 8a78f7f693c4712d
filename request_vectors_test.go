package kaito_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/ip"
)

// requestVector is one row of testdata/request_vectors.json: an AdonisJS
// Request method, the request it ran on, and what it answered.
type requestVector struct {
	ID      string `json:"id"`
	Method  string `json:"method"`
	Args    []any  `json:"args"`
	Request struct {
		URL        string            `json:"url"`
		Method     string            `json:"method"`
		Headers    map[string]string `json:"headers"`
		RemoteAddr string            `json:"remote_address"`
		TLS        bool              `json:"tls"`
	} `json:"request"`
	Config struct {
		TrustProxy any  `json:"trustProxy"`
		Spoofing   bool `json:"allowMethodSpoofing"`
	} `json:"config"`
	Expect any     `json:"expect"`
	Throws *string `json:"throws"`
}

// skippedRequestVectors are the rows where this project deliberately
// differs from AdonisJS, each with the reason.
var skippedRequestVectors = map[string]string{
	"req-protocol-002": "DESIGN: a trusted proxy's X-Forwarded-Proto replaces a local TLS https (AdonisJS lets the socket win)",
	"req-secure-007":   "DESIGN: forwarded schemes are matched case-insensitively, so HTTPS is https and secure",
	"req-hostname-016": "DESIGN: a forwarded host with a comma is invalid and ignored; AdonisJS returns the raw list",
	"req-url-031":      "legacy url.parse turns backslashes into slashes; Go keeps the path as received",
	"req-method-046":   "DESIGN: a _method in the body does not count, only the query string",
	"req-method-047":   "DESIGN: only PUT, PATCH and DELETE are spoofed; other values are ignored",
	"req-method-048":   "AdonisJS throws on comma-split _method; this project does not split commas and ignores the value",
}

func resolverFor(t *testing.T, trust any) *ip.Resolver {
	t.Helper()
	var opts []ip.Option
	switch v := trust.(type) {
	case bool:
		if !v {
			return nil
		}
		opts = append(opts, ip.TrustAll(), ip.FromXForwardedFor())
	case string:
		spec := v
		if strings.Contains(v, "loopback") {
			spec = "loopback"
		}
		opts = append(opts, ip.TrustProxies(spec), ip.FromXForwardedFor())
	}
	res, err := ip.New(opts...)
	if err != nil {
		t.Fatalf("resolver for %v: %v", trust, err)
	}
	return res
}

func TestRequestVectors(t *testing.T) {
	data, err := os.ReadFile("testdata/request_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []requestVector
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	passed, skipped := 0, 0
	for _, v := range vectors {
		t.Run(v.ID, func(t *testing.T) {
			if reason, ok := skippedRequestVectors[v.ID]; ok {
				skipped++
				t.Skip(reason)
			}
			opts := []kaito.Option{kaito.WithLogger(quiet)}
			if res := resolverFor(t, v.Config.TrustProxy); res != nil {
				opts = append(opts, kaito.WithResolver(res))
			}
			if v.Config.Spoofing {
				opts = append(opts, kaito.WithMethodSpoofing())
			}
			r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, opts...)
			answer := func(req *kaito.Request, _ struct{}) (any, error) {
				return callRequestMethod(t, req, v.Method, v.Args), nil
			}
			for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
				kaito.Handle(r, m, "/*path", answer)
			}
			c := call{method: v.Request.Method, target: strings.SplitN(v.Request.URL, "#", 2)[0], remote: v.Request.RemoteAddr + ":4000", tls: v.Request.TLS}
			hasHost := false
			for k, val := range v.Request.Headers {
				c.headers = append(c.headers, [2]string{k, val})
				hasHost = hasHost || strings.EqualFold(k, "host")
			}
			c.noHost = !hasHost
			want, _ := json.Marshal(v.Expect)
			if v.Expect == nil {
				want = []byte(`""`)
			}
			onEvery(t, serve(r), c, expect{http.StatusOK, nil, string(want)}.check)
			if !t.Failed() {
				passed++
			}
		})
	}
	t.Logf("request vectors: %d passed, %d skipped, %d failed", passed, skipped, len(vectors)-passed-skipped)
}

func callRequestMethod(t *testing.T, req *kaito.Request, method string, args []any) any {
	str := func(i int) string { return args[i].(string) }
	switch method {
	case "protocol":
		return req.Protocol()
	case "secure":
		return req.Secure()
	case "host":
		return req.Host()
	case "hostname":
		return req.Hostname()
	case "subdomains":
		return req.Subdomains()
	case "completeUrl":
		return req.CompleteURL(len(args) > 0 && args[0] == true)
	case "url":
		return req.URL(len(args) > 0 && args[0] == true)
	case "ip":
		return req.IP()
	case "ips":
		return req.IPs()
	case "method":
		return req.Method()
	case "ajax":
		return req.Ajax()
	case "header":
		if len(args) > 1 {
			return req.Header(str(0), str(1))
		}
		return req.Header(str(0))
	}
	t.Errorf("no counterpart for %s", method)
	return nil
}
