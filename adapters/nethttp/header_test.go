package nethttp

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestAbsentIsAbsent checks that every name the short way answers for is
// in the canonical form of net/http's header map and is not one that
// net/http takes out of the map (Host, Transfer-Encoding): for those, a
// miss in the map would not be the answer.
func TestAbsentIsAbsent(t *testing.T) {
	names := []string{"Content-Encoding", "Content-Type", "Content-Length", "Accept", "Accept-Language",
		"Accept-Encoding", "Accept-Charset", "Origin", "Forwarded", "X-Forwarded-For", "X-Forwarded-Proto",
		"X-Request-Id", "CF-Connecting-IP", "Host", "Transfer-Encoding", "content-type", "accept", "X-Real-IP"}
	for _, name := range names {
		if !absentIsAbsent(name) {
			continue
		}
		if http.CanonicalHeaderKey(name) != name || name == "Host" || name == "Transfer-Encoding" {
			t.Errorf("absentIsAbsent(%q), but a miss in the header map is not the answer for it", name)
		}
	}
}

// TestRequestHeaderLookups reads headers by every spelling, present and
// absent, including those net/http keeps out of the header map.
func TestRequestHeaderLookups(t *testing.T) {
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Cf-Connecting-Ip", "203.0.113.7")
	r.Host = "example.com"
	r.TransferEncoding = []string{"chunked"}
	x := &exchange{r: r}
	for _, c := range []struct{ name, want string }{
		{"Content-Type", "application/json"},
		{"content-type", "application/json"},
		{"Content-Encoding", ""},
		{"content-encoding", ""},
		{"CF-Connecting-IP", "203.0.113.7"},
		{"Origin", ""},
		{"Host", "example.com"},
		{"host", "example.com"},
		{"Transfer-Encoding", "chunked"},
	} {
		if got := x.RequestHeader(c.name); got != c.want {
			t.Errorf("RequestHeader(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
