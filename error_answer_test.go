package kaito_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
)

// Error answers never echo more than 256 bytes of client input, however
// much the client sent and whatever bytes it was made of: a value quoted in
// a message is cut with an ellipsis.
func TestErrorAnswersQuoteLittleInput(t *testing.T) {
	r, _ := reqApp(t)
	type numbers struct {
		N    int            `json:"n" form:"n"`
		B    bool           `json:"b" form:"b"`
		M    map[string]int `json:"m"`
		Q    int            `query:"q"`
		H    int            `header:"X-N"`
		When time.Time      `query:"when"`
	}
	kaito.Post(r, "/n", func(_ *kaito.Request, in numbers) (int, error) { return in.N, nil }, kaito.BodyLimit(4<<20))
	kaito.Get(r, "/n", func(_ *kaito.Request, in numbers) (int, error) { return in.Q, nil })
	s := serve(r)

	controls := strings.Repeat("\x01\x7f\xff", 1<<20/3) // 1 MiB of bytes a quote escapes
	long := strings.Repeat("9", 60<<10)                 // 60 KB
	head := strings.Repeat("z", 3<<10)                  // within every adapter's header limit
	form := [2]string{"Content-Type", "application/x-www-form-urlencoded"}
	ctJSON := [2]string{"Content-Type", "application/json"}
	mp, mpType := multipartBody(t, [][2]string{{"n", controls[:512<<10]}}, nil)
	cases := []struct {
		name   string
		call   call
		status int // 0: any 4xx
	}{
		{"form value into an int", call{method: "POST", target: "/n", headers: [][2]string{form}, body: "n=" + controls}, 400},
		{"escaped form value into a bool", call{method: "POST", target: "/n", headers: [][2]string{form}, body: "b=" + url.QueryEscape(controls[:300<<10])}, 400},
		{"multipart value into an int", call{method: "POST", target: "/n", headers: [][2]string{{"Content-Type", mpType}}, body: mp}, 400},
		{"query into an int", call{target: "/n?q=" + long}, 400},
		{"query into a TextUnmarshaler", call{target: "/n?when=" + long}, 400},
		{"header into an int", call{target: "/n", headers: [][2]string{{"X-N", head}}}, 400},
		{"JSON number literal", call{method: "POST", target: "/n", headers: [][2]string{ctJSON}, body: `{"n":` + long + `.5}`}, 400},
		{"JSON map key in the field path", call{method: "POST", target: "/n", headers: [][2]string{ctJSON}, body: `{"m":{"` + long + `":"x"}}`}, 400},
		{"malformed JSON", call{method: "POST", target: "/n", headers: [][2]string{ctJSON}, body: `{"n":"` + strings.Repeat("\\u0001", 10<<10) + `\x"}`}, 400},
		{"malformed Content-Type", call{method: "POST", target: "/n", headers: [][2]string{{"Content-Type", "a/b; x=\"" + head}}, body: "x"}, 0},
		{"unsupported Content-Type", call{method: "POST", target: "/n", headers: [][2]string{{"Content-Type", "application/x-" + head}}, body: "x"}, 0},
		{"unsupported Content-Encoding", call{method: "POST", target: "/n", headers: [][2]string{ctJSON, {"Content-Encoding", head}}, body: "x"}, 415},
		{"no route", call{target: "/" + long}, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			onEvery(t, s, tc.call, func(t *testing.T, res result) {
				if tc.status == 0 && (res.status < 400 || res.status > 499) || tc.status != 0 && res.status != tc.status {
					t.Errorf("status = %d, want %d (body %.300q)", res.status, tc.status, res.body)
				}
				if len(res.body) >= 1<<10 {
					t.Errorf("answer of %d bytes to %s: %.300q...", len(res.body), tc.name, res.body)
				}
				var m struct{ Message string }
				if err := json.Unmarshal([]byte(res.body), &m); err != nil || m.Message == "" {
					t.Errorf("answer %.300q is not a message", res.body)
				}
			})
		})
	}
}

// A value quoted whole when short; cut, with an ellipsis after the closing
// quote, when long.
func TestErrorAnswerCutsWithAnEllipsis(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Get(r, "/n", func(_ *kaito.Request, in struct {
		Q int `query:"q"`
	}) (int, error) {
		return in.Q, nil
	})
	s := serve(r)
	// The message and its field error quote the value the same way (JSON-escaped here).
	want := func(quoted string) string {
		return `{"message":"invalid query parameter \"q\": ` + quoted + ` is not an integer","errors":[{"location":"query.q","message":"` +
			quoted + ` is not an integer"}]}`
	}
	table{
		{"short", call{target: "/n?q=x%01"}, expect{400, nil, want(`\"x\\x01\"`)}},
		{"exactly 256 quoted bytes", call{target: "/n?q=" + strings.Repeat("x", 256)},
			expect{400, nil, want(`\"` + strings.Repeat("x", 256) + `\"`)}},
		{"long", call{target: "/n?q=" + strings.Repeat("x", 257)},
			expect{400, nil, want(`\"` + strings.Repeat("x", 256) + `\"…`)}},
		{"long escapes", call{target: "/n?q=" + strings.Repeat("%01", 100)},
			expect{400, nil, want(`\"` + strings.Repeat(`\\x01`, 64) + `\"…`)}},
	}.run(t, s)
}

// EmbeddedNumber is embedded in inputs: its field is read from the body.
type EmbeddedNumber struct {
	E int `json:"e"`
}

type embeddedNumber struct {
	F int `json:"f"`
}

// With either codec, a JSON value of the wrong type is answered naming the
// JSON field, never Go's struct and type names.
func TestJSONTypeErrorsNameTheJSONField(t *testing.T) {
	type inner struct {
		N int `json:"n"`
	}
	type numIn2 struct {
		N  int    `json:"n"`
		S  string `json:"s"`
		In inner  `json:"in"`
		EmbeddedNumber
	}
	// Tagged fields: the body is decoded into a shadow of the input.
	type numIn3 struct {
		T string `header:"X-T"`
		embeddedNumber
		EmbeddedNumber
	}
	cases := []struct{ body, want string }{
		{`{"n":"x"}`, `{"message":"invalid JSON body: field \"n\" cannot hold a JSON string","errors":[{"location":"body.n","message":"cannot hold a JSON string"}]}`},
		{`{"s":12}`, `{"message":"invalid JSON body: field \"s\" cannot hold a JSON number","errors":[{"location":"body.s","message":"cannot hold a JSON number"}]}`},
		{`{"n":1.5}`, `{"message":"invalid JSON body: field \"n\" cannot hold a JSON number 1.5","errors":[{"location":"body.n","message":"cannot hold a JSON number 1.5"}]}`},
		{`{"in":{"n":true}}`, `{"message":"invalid JSON body: field \"in.n\" cannot hold a JSON bool","errors":[{"location":"body.in.n","message":"cannot hold a JSON bool"}]}`},
		{`{"e":"x"}`, `{"message":"invalid JSON body: field \"e\" cannot hold a JSON string","errors":[{"location":"body.e","message":"cannot hold a JSON string"}]}`},
		{`[1]`, `{"message":"invalid JSON body: cannot hold a JSON array"}`},
	}
	for _, codec := range []struct {
		name string
		c    kaito.Codec
	}{{"GoJSON", kaito.GoJSON}, {"StdJSON", kaito.StdJSON}} {
		t.Run(codec.name, func(t *testing.T) {
			r, _ := reqApp(t, kaito.WithCodec(codec.c))
			kaito.Post(r, "/n", func(_ *kaito.Request, in numIn2) (int, error) { return in.N, nil })
			kaito.Post(r, "/tagged", func(_ *kaito.Request, in numIn3) (int, error) { return in.E, nil })
			s := serve(r)
			for _, tc := range cases {
				t.Run(tc.body, func(t *testing.T) {
					onEvery(t, s, call{method: "POST", target: "/n", headers: [][2]string{{"Content-Type", "application/json"}}, body: tc.body},
						expect{400, nil, tc.want}.check)
				})
			}
			for _, body := range []string{`{"e":"x"}`, `{"f":"x"}`} {
				t.Run("tagged "+body, func(t *testing.T) {
					onEvery(t, s, call{method: "POST", target: "/tagged", headers: [][2]string{{"Content-Type", "application/json"}}, body: body},
						expect{400, nil, `{"message":"invalid JSON body: field \"` + body[2:3] + `\" cannot hold a JSON string","errors":[{"location":"body.` + body[2:3] + `","message":"cannot hold a JSON string"}]}`}.check)
				})
			}
		})
	}
}
