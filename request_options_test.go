package kaito_test

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"net/http"
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/ip"
)

func TestBodyOptions(t *testing.T) {
	r, on := reqApp(t, kaito.WithConvertEmptyStringsToNull(), kaito.WithJSONTypes("application/x-custom"), kaito.WithCodec(kaito.StdJSON))
	on("/body", func(req *kaito.Request) any { return req.Body() })
	kaito.Post(r, "/small", func(req *kaito.Request, in struct {
		Name string `json:"name"`
	}) (string, error) {
		return in.Name, nil
	}, kaito.BodyLimit(16))
	deflated := func(s string) string {
		var b bytes.Buffer
		w := zlib.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.String()
	}
	table{
		{"empty as null", call{method: "POST", target: "/body", headers: [][2]string{{"Content-Type", "application/x-www-form-urlencoded"}}, body: "a=&b=x&c"}, expect{200, nil, `{"a":null,"b":"x","c":""}`}},
		{"custom JSON type", call{method: "POST", target: "/body", headers: [][2]string{{"Content-Type", "application/x-custom"}}, body: `{"k":1}`}, expect{200, nil, `{"k":1}`}},
		{"plain JSON no longer listed", call{method: "POST", target: "/body", headers: [][2]string{{"Content-Type", "application/json"}}, body: `{"k":1}`}, expect{200, nil, `{}`}},
		{"+json always", call{method: "POST", target: "/body", headers: [][2]string{{"Content-Type", "application/problem+json"}}, body: `{"k":2}`}, expect{200, nil, `{"k":2}`}},
		{"raw deflate", call{method: "POST", target: "/body", headers: [][2]string{{"Content-Type", "application/vnd.x+json"}, {"Content-Encoding", "deflate"}}, body: rawDeflated(`{"raw":1}`)}, expect{200, nil, `{"raw":1}`}},
		{"deflate", call{method: "POST", target: "/body", headers: [][2]string{{"Content-Type", "application/vnd.x+json"}, {"Content-Encoding", "deflate"}}, body: deflated(`{"z":true}`)}, expect{200, nil, `{"z":true}`}},
		{"route limit", call{method: "POST", target: "/small", headers: [][2]string{{"Content-Type", "application/x-custom"}}, body: `{"name":"a long name here"}`}, expect{413, nil, `{"message":"request body too large"}`}},
		{"route limit ok", call{method: "POST", target: "/small", headers: [][2]string{{"Content-Type", "application/x-custom"}}, body: `{"name":"ann"}`}, expect{200, nil, `"ann"`}},
	}.run(t, serve(r))
}

func rawDeflated(s string) string {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.DefaultCompression)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func TestClientIPWiring(t *testing.T) {
	res, err := ip.New(ip.TrustProxies("10.0.0.0/8"), ip.FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	r, on := reqApp(t, kaito.WithResolver(res))
	on("/who", func(req *kaito.Request) any {
		o, l := req.Origin(), req.Local()
		return []any{req.IP(), req.IPs(), o.Scheme, o.Host, o.Port, l.Scheme, l.Host, l.Port, req.Secure(), req.Host(), req.CompleteURL(false)}
	})
	on("/err", func(req *kaito.Request) any {
		_, err := req.Resolve()
		var he *ip.HopError
		return []any{req.IP(), errorsAs(err, &he)}
	})
	on("/fwd", func(req *kaito.Request) any {
		els, err := req.Forwarded()
		if err != nil {
			return err.Error()
		}
		return els
	})
	on("/route/:id", func(req *kaito.Request) any {
		return []bool{req.MatchesRoute("/route/:id"), req.MatchesRoute("/other"), req.Route().Method() == req.Method()}
	})
	proxy := "10.0.0.2:1000"
	table{
		{"through proxy", call{target: "/who", remote: proxy, headers: [][2]string{{"Host", "internal:3000"}, {"X-Forwarded-For", "6.6.6.6, 203.0.113.9"}, {"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "api.example.com"}}},
			expect{200, nil, `["203.0.113.9",["10.0.0.2","203.0.113.9"],"https","api.example.com",443,"http","internal",3000,true,"api.example.com","https://api.example.com/who"]`}},
		{"untrusted peer", call{target: "/who", remote: "203.0.113.50:1000", headers: [][2]string{{"Host", "internal:3000"}, {"X-Forwarded-For", "1.2.3.4"}, {"X-Forwarded-Proto", "https"}}},
			expect{200, nil, `["203.0.113.50",["203.0.113.50"],"http","internal",3000,"http","internal",3000,false,"internal:3000","http://internal:3000/who"]`}},
		{"tls locally", call{target: "/who", remote: "203.0.113.50:1000", tls: true, headers: [][2]string{{"Host", "secure.example.com"}}},
			expect{200, nil, `["203.0.113.50",["203.0.113.50"],"https","secure.example.com",443,"https","secure.example.com",443,true,"secure.example.com","https://secure.example.com/who"]`}},
		{"garbage from a trusted hop", call{target: "/err", remote: proxy, headers: [][2]string{{"X-Forwarded-For", "not-an-ip"}}}, expect{200, nil, `["",true]`}},
		{"forwarded parsed", call{target: "/fwd", headers: [][2]string{{"Forwarded", `for="[2001:db8::1]:80";proto=https, for=192.0.2.1`}}},
			expect{200, nil, `[{"For":"[2001:db8::1]:80","By":"","Host":"","Proto":"https","Ext":{},"Invalid":false},{"For":"192.0.2.1","By":"","Host":"","Proto":"","Ext":{},"Invalid":false}]`}},
		{"matches route", call{method: "PUT", target: "/route/1"}, expect{200, nil, `[true,false,true]`}},
	}.run(t, serve(r))

	r2, on2 := reqApp(t, kaito.WithResolver(res), kaito.WithIPFunc(func(req *kaito.Request) string { return "custom:" + req.Header("X-Id") }))
	on2("/ip", func(req *kaito.Request) any { return req.IP() })
	onEvery(t, serve(r2), call{target: "/ip", headers: [][2]string{{"X-Id", "7"}}}, expect{200, nil, `"custom:7"`}.check)
}

func errorsAs(err error, target **ip.HopError) bool {
	if err == nil {
		return false
	}
	he, ok := err.(*ip.HopError)
	if ok {
		*target = he
	}
	return ok || strings.Contains(err.Error(), "not-an-ip")
}

var _ = http.StatusOK
