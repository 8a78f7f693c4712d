package kaito_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"

	"github.com/kaito-go/kaito"
)

const problemCT = "application/problem+json"

// problem is the RFC 9457 body kaito sends for status and detail.
func problem(status int, detail string) string {
	return `{"type":"about:blank","title":"` + http.StatusText(status) + `","status":` + strconv.Itoa(status) + `,"detail":"` + detail + `"}`
}

// TestProblemDetails: under WithProblemDetails every error answer, the
// router's own included, is an RFC 9457 problem, on both adapters.
func TestProblemDetails(t *testing.T) {
	r := newApp(kaito.WithProblemDetails(), kaito.WithBodyLimit(16))
	kaito.Get(r, "/users/:id", func(_ appCtx, in userID) (user, error) { return user{ID: in.ID}, nil })
	kaito.Post(r, "/users", func(_ appCtx, in user) (user, error) { return in, nil })
	kaito.Get(r, "/teapot", func(appCtx, struct{}) (int, error) { return 0, kaito.NewError(http.StatusTeapot, "short and stout") })
	kaito.Get(r, "/secret", func(appCtx, struct{}) (int, error) { return 0, errors.New("pq: password for admin") })
	kaito.Get(r, "/panic", func(appCtx, struct{}) (int, error) { panic("boom") })
	kaito.Post(r, "/raw", func(c appCtx, _ struct{}) (int, error) { return len(c.req.Body()), nil })
	kaito.Get(r, "/unencodable", func(appCtx, struct{}) (any, error) { return map[string]any{"f": func() {}}, nil })
	ctJSON := [2]string{"Content-Type", "application/json"}
	is := map[string]string{"Content-Type": problemCT}
	table{
		{"success is untouched", call{target: "/users/7"}, expect{200, map[string]string{"Content-Type": jsonCT}, `{"id":7,"name":""}`}},
		{"404", call{target: "/nope"}, expect{404, is, problem(404, "Cannot GET /nope")}},
		{"405", call{method: "PUT", target: "/users/1"}, expect{405, map[string]string{"Content-Type": problemCT, "Allow": "GET, HEAD, OPTIONS"}, problem(405, "Method Not Allowed")}},
		{"413", call{method: "POST", target: "/users", headers: [][2]string{ctJSON}, body: `{"name":"` + "0123456789abcdef" + `"}`}, expect{413, is, problem(413, "request body too large")}},
		{"415", call{method: "POST", target: "/users", headers: [][2]string{{"Content-Type", "application/xml"}}, body: `<a/>`}, expect{415, is, anyBody}},
		{"400 malformed JSON", call{method: "POST", target: "/users", headers: [][2]string{ctJSON}, body: `{"id":`}, expect{400, is, anyBody}},
		{"handler error", call{target: "/teapot"}, expect{418, is, problem(418, "short and stout")}},
		{"unmapped error", call{target: "/secret"}, expect{500, is, problem(500, "Internal Server Error")}},
		{"panic", call{target: "/panic"}, expect{500, is, problem(500, "Internal Server Error")}},
		{"factory error", call{target: "/users/1", headers: [][2]string{{"X-Fail-Factory", "1"}}}, expect{401, is, problem(401, "who are you?")}},
		{"unencodable result", call{target: "/unencodable"}, expect{500, is, problem(500, "Internal Server Error")}},
		{"body accessor", call{method: "POST", target: "/raw", headers: [][2]string{ctJSON}, body: `{"a":`}, expect{400, is, anyBody}},
	}.run(t, serve(r))
}

// TestProblemDetailsOff: without the option the body stays {"message"} and
// a router says so to the documentation.
func TestProblemDetailsOff(t *testing.T) {
	if newApp().ProblemDetails() {
		t.Error("ProblemDetails() is true without WithProblemDetails")
	}
	if !newApp(kaito.WithProblemDetails()).ProblemDetails() {
		t.Error("ProblemDetails() is false with WithProblemDetails")
	}
	r := newApp()
	table{
		{"404", call{target: "/nope"}, expect{404, map[string]string{"Content-Type": jsonCT}, `{"message":"Cannot GET /nope"}`}},
	}.run(t, serve(r))
}
