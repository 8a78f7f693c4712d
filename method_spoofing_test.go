package kaito_test

import (
	"sync/atomic"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/ip"
)

// A cross-site HTML form can POST with no CORS preflight. With method
// spoofing, such a form must not reach a PUT, PATCH or DELETE handler that
// a real request of that method from the same site could never reach.
func TestMethodSpoofingOnlyFromAllowedOrigins(t *testing.T) {
	res, err := ip.New(ip.TrustProxies("10.0.0.0/8"), ip.FromXForwardedFor())
	if err != nil {
		t.Fatal(err)
	}
	forbidden := expect{403, nil, `{"message":"method spoofing is not allowed from this origin"}`}
	deleted := expect{200, nil, `"deleted 42"`}
	posted := expect{200, nil, `"posted 42"`}
	origin := func(o string) [][2]string { return [][2]string{{"Origin", o}} }
	for _, tc := range []struct {
		name string
		opts []kaito.Option
		rows table
	}{
		{"without CORS", nil, table{
			{"no Origin", call{method: "POST", target: "/items/42?_method=DELETE"}, deleted},
			{"same origin", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("http://example.com")}, deleted},
			{"same origin, default port written", call{method: "POST", target: "/items/42?_method=delete", headers: origin("http://example.com:80")}, deleted},
			{"same origin, upper case", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("HTTP://EXAMPLE.COM")}, deleted},
			{"same origin over TLS", call{method: "POST", target: "/items/42?_method=DELETE", tls: true, headers: origin("https://example.com")}, deleted},
			{"cross site", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("https://evil.example")}, forbidden},
			{"other scheme", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("https://example.com")}, forbidden},
			{"other port", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("http://example.com:8080")}, forbidden},
			{"sandboxed null", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("null")}, forbidden},
			{"suffix of the host", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("http://evil-example.com")}, forbidden},
			{"userinfo", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("http://example.com@evil.example")}, forbidden},
			{"path", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("http://example.com/")}, forbidden},
			{"cross-site POST not spoofed", call{method: "POST", target: "/items/42", headers: origin("https://evil.example")}, posted},
			{"cross-site ignored _method", call{method: "POST", target: "/items/42?_method=get", headers: origin("https://evil.example")}, posted},
		}},
		{"with CORS", []kaito.Option{kaito.WithCORS(kaito.CORS{Origins: []string{"https://app.example.com"}})}, table{
			{"allowed origin", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("https://app.example.com")}, deleted},
			{"same origin", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("http://example.com")}, deleted},
			{"cross site", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("https://evil.example")}, forbidden},
			{"allowed origin's sibling", call{method: "POST", target: "/items/42?_method=DELETE", headers: origin("https://app.example.com.evil.example")}, forbidden},
		}},
		{"behind a proxy", []kaito.Option{kaito.WithResolver(res)}, table{
			{"origin the proxy forwarded", call{method: "POST", target: "/items/42?_method=DELETE", remote: "10.0.0.1:5000",
				headers: [][2]string{{"Origin", "https://api.example.com"}, {"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "api.example.com"}, {"X-Forwarded-For", "198.51.100.7"}}}, deleted},
			{"client's own forwarding headers", call{method: "POST", target: "/items/42?_method=DELETE", remote: "198.51.100.7:5000",
				headers: [][2]string{{"Origin", "https://evil.example"}, {"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "evil.example"}}}, forbidden},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var deletes atomic.Int32
			r, _ := reqApp(t, append([]kaito.Option{kaito.WithMethodSpoofing()}, tc.opts...)...)
			kaito.Delete(r, "/items/:id", func(req *kaito.Request, _ struct{}) (string, error) {
				deletes.Add(1)
				return "deleted " + req.Param("id"), nil
			})
			kaito.Post(r, "/items/:id", func(req *kaito.Request, _ struct{}) (string, error) {
				return "posted " + req.Param("id"), nil
			})
			s := serve(r)
			for _, row := range tc.rows {
				t.Run(row.name, func(t *testing.T) {
					for _, a := range adapters {
						t.Run(a.name, func(t *testing.T) {
							before := deletes.Load()
							row.want.check(t, a.do(t, s, row.call))
							if ran := deletes.Load() != before; ran != (row.want.status == 200 && row.want.body == deleted.body) {
								t.Errorf("DELETE handler ran: %v", ran)
							}
						})
					}
				})
			}
		})
	}
}
