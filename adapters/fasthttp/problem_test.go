package fasthttp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
)

// TestProblemDetails: with Config.ProblemDetails, what fasthttp refuses
// before the router (headers too large: 431) is an RFC 9457 problem too.
func TestProblemDetails(t *testing.T) {
	ok := func(*fasthttp.RequestCtx) {}
	for _, c := range []struct {
		problem bool
		body    string
	}{
		{false, `{"message":"Request Header Fields Too Large"}`},
		{true, `{"type":"about:blank","title":"Request Header Fields Too Large","status":431,"detail":"Request Header Fields Too Large"}`},
	} {
		s := serve(t, ok, fasthttpadapter.Config{MaxHeaderBytes: 4 << 10, ProblemDetails: c.problem})
		conn := dial(t, s.addr)
		fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("b", 32<<10))
		if st, body := readStatus(t, conn); st != 431 || body != c.body {
			t.Errorf("ProblemDetails %v: %d %s, want 431 %s", c.problem, st, body, c.body)
		}
	}
}
