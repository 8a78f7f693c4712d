package kaito_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

type vAddress struct {
	Street string `json:"street" minLength:"1"`
	Zip    string `json:"zip" pattern:"^[0-9]{5}$"`
}

type vItem struct {
	SKU string `json:"sku" minLength:"3"`
	Qty int    `json:"qty" minimum:"1"`
}

type VMeta struct {
	Source string `json:"source,omitempty" enum:"web,app"`
}

// vOrder has a constraint on a field of every source and kind.
type vOrder struct {
	ID     int      `path:"id" minimum:"1"`
	Page   int      `query:"page" minimum:"1" maximum:"100"`
	Sort   string   `query:"sort" enum:"asc,desc"`
	IDs    []int    `query:"ids" maxItems:"3" minimum:"1"`
	Token  string   `header:"X-Token" required:"true" minLength:"4"`
	Sid    string   `cookie:"sid" pattern:"^s"`
	Email  string   `json:"email" pattern:"@"`
	Name   string   `json:"name" minLength:"2" maxLength:"5"`
	Age    *int     `json:"age" minimum:"0" exclusiveMaximum:"150"`
	Score  float64  `json:"score,omitempty" multipleOf:"0.5" exclusiveMinimum:"0"`
	Tags   []string `json:"tags,omitempty" minItems:"1" maxItems:"3" uniqueItems:"true" enum:"a,b,c"`
	Home   vAddress `json:"home"`
	Items  []vItem  `json:"items,omitempty"`
	Note   string   `json:"note,omitzero"`
	Active *bool    `json:"active" enum:"true"`
	VMeta
}

// validated counts Validate calls: it runs only after the tags passed.
func (o *vOrder) Validate() error {
	if o.Name == "admin" {
		return errors.New("that name is taken")
	}
	return nil
}

const okOrder = `{"email":"a@b","name":"ada","home":{"street":"Main","zip":"12345"}}`

func orderRouter(opts ...kaito.Option) *kaito.Router[appCtx] {
	r := newApp(opts...)
	kaito.Post(r, "/orders/:id", func(_ appCtx, in vOrder) (string, error) { return "ok " + in.Name, nil })
	return r
}

// vErr is the 422 body with the given errors.
func vErr(errs ...string) string {
	var b strings.Builder
	b.WriteString(`{"message":"validation failed","errors":[`)
	for i := 0; i+1 < len(errs); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"location":"` + errs[i] + `","message":"` + errs[i+1] + `"}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

// TestValidationTags: each tag and each location, on both adapters.
func TestValidationTags(t *testing.T) {
	s := serve(orderRouter())
	ctJSON := [2]string{"Content-Type", "application/json"}
	tok := [2]string{"X-Token", "abcd"}
	post := func(target, body string, headers ...[2]string) call {
		if headers == nil {
			headers = [][2]string{ctJSON, tok}
		}
		return call{method: "POST", target: target, headers: headers, body: body}
	}
	with := func(field string) string { return strings.Replace(okOrder, `{`, `{`+field+`,`, 1) }
	table{
		{"all valid", post("/orders/1?page=2&sort=asc&ids=1&ids=2", with(`"age":36,"score":1.5,"tags":["a","b"],"items":[{"sku":"abc","qty":1}],"active":true,"source":"web"`)), expect{200, nil, `"ok ada"`}},
		{"path minimum", post("/orders/0", okOrder), expect{422, nil, vErr("path.id", "must be >= 1")}},
		{"query minimum", post("/orders/1?page=0", okOrder), expect{422, nil, vErr("query.page", "must be >= 1")}},
		{"query maximum", post("/orders/1?page=101", okOrder), expect{422, nil, vErr("query.page", "must be <= 100")}},
		{"query enum", post("/orders/1?sort=up", okOrder), expect{422, nil, vErr("query.sort", "must be one of: asc, desc")}},
		{"query list element", post("/orders/1?ids=1&ids=0", okOrder), expect{422, nil, vErr("query.ids[1]", "must be >= 1")}},
		{"query maxItems", post("/orders/1?ids=1&ids=2&ids=3&ids=4", okOrder), expect{422, nil, vErr("query.ids", "must have at most 3 items")}},
		{"header minLength", post("/orders/1", okOrder, ctJSON, [2]string{"X-Token", "abc"}), expect{422, nil, vErr("header.X-Token", "must be at least 4 characters long")}},
		{"header required", post("/orders/1", okOrder, ctJSON), expect{422, nil, vErr("header.X-Token", "is required")}},
		{"header required, empty", post("/orders/1", okOrder, ctJSON, [2]string{"X-Token", ""}), expect{422, nil, vErr("header.X-Token", "is required")}},
		{"cookie pattern", post("/orders/1", okOrder, ctJSON, tok, [2]string{"Cookie", "sid=x1"}), expect{422, nil, vErr("cookie.sid", "must match the pattern ^s")}},
		{"cookie pass", post("/orders/1", okOrder, ctJSON, tok, [2]string{"Cookie", "sid=s1"}), expect{200, nil, `"ok ada"`}},
		{"body pattern", post("/orders/1", strings.Replace(okOrder, "a@b", "ab", 1)), expect{422, nil, vErr("body.email", "must match the pattern @")}},
		{"body minLength", post("/orders/1", strings.Replace(okOrder, `"ada"`, `"a"`, 1)), expect{422, nil, vErr("body.name", "must be at least 2 characters long")}},
		{"body maxLength", post("/orders/1", strings.Replace(okOrder, `"ada"`, `"adalovelace"`, 1)), expect{422, nil, vErr("body.name", "must be at most 5 characters long")}},
		{"body pointer minimum", post("/orders/1", with(`"age":-1`)), expect{422, nil, vErr("body.age", "must be >= 0")}},
		{"body exclusiveMaximum", post("/orders/1", with(`"age":150`)), expect{422, nil, vErr("body.age", "must be < 150")}},
		{"body null pointer", post("/orders/1", with(`"age":null`)), expect{200, nil, `"ok ada"`}},
		{"body multipleOf", post("/orders/1", with(`"score":1.2`)), expect{422, nil, vErr("body.score", "must be a multiple of 0.5")}},
		{"body exclusiveMinimum", post("/orders/1", with(`"score":-0.5`)), expect{422, nil, vErr("body.score", "must be > 0")}},
		{"body minItems", post("/orders/1", with(`"tags":[]`)), expect{422, nil, vErr("body.tags", "must have at least 1 items")}},
		{"body maxItems", post("/orders/1", with(`"tags":["a","b","c","a"]`)), expect{422, nil, vErr("body.tags", "must have at most 3 items", "body.tags", "must not contain duplicate items")}},
		{"body uniqueItems", post("/orders/1", with(`"tags":["a","a"]`)), expect{422, nil, vErr("body.tags", "must not contain duplicate items")}},
		{"body enum of elements", post("/orders/1", with(`"tags":["a","x"]`)), expect{422, nil, vErr("body.tags[1]", "must be one of: a, b, c")}},
		{"body bool enum", post("/orders/1", with(`"active":false`)), expect{422, nil, vErr("body.active", "must be one of: true")}},
		{"nested struct", post("/orders/1", `{"email":"a@b","name":"ada","home":{"street":"","zip":"1"}}`), expect{422, nil, vErr("body.home.street", "must be at least 1 characters long", "body.home.zip", "must match the pattern ^[0-9]{5}$")}},
		{"slice of structs", post("/orders/1", with(`"items":[{"sku":"abc","qty":1},{"sku":"abc","qty":0}]`)), expect{422, nil, vErr("body.items[1].qty", "must be >= 1")}},
		{"embedded struct's field", post("/orders/1", with(`"source":"mail"`)), expect{422, nil, vErr("body.source", "must be one of: web, app")}},
		{"all failures together", post("/orders/0?page=0", `{"email":"ab","name":"a","home":{"street":"Main","zip":"12345"},"tags":["z"]}`, ctJSON),
			expect{422, nil, vErr("path.id", "must be >= 1", "query.page", "must be >= 1", "header.X-Token", "is required",
				"body.email", "must match the pattern @", "body.name", "must be at least 2 characters long", "body.tags[0]", "must be one of: a, b, c")}},
		{"missing required field", post("/orders/1", `{"name":"ada","home":{"street":"Main","zip":"12345"}}`), expect{422, nil, vErr("body.email", "is required")}},
		{"null is missing", post("/orders/1", `{"email":null,"name":"ada","home":{"street":"Main","zip":"12345"}}`), expect{422, nil, vErr("body.email", "is required")}},
		{"key case as the decoder", post("/orders/1", `{"EMAIL":"a@b","Name":"ada","home":{"street":"Main","zip":"12345"}}`), expect{200, nil, `"ok ada"`}},
		{"escaped key", post("/orders/1", `{"em\u0061il":"a@b","name":"ada","home":{"street":"Main","zip":"12345"}}`), expect{200, nil, `"ok ada"`}},
		{"missing nested field", post("/orders/1", `{"email":"a@b","name":"ada","home":{"street":"Main"}}`), expect{422, nil, vErr("body.home.zip", "is required")}},
		{"missing field in an element", post("/orders/1", with(`"items":[{"sku":"abc","qty":1},{"qty":2}]`)), expect{422, nil, vErr("body.items[1].sku", "is required")}},
		{"missing nested struct: only is required", post("/orders/1", `{"email":"a@b","name":"ada"}`), expect{422, nil, vErr("body.home", "is required")}},
		{"empty object", post("/orders/1", `{}`), expect{422, nil, vErr("body.email", "is required", "body.name", "is required", "body.home", "is required")}},
		{"null body", post("/orders/1", `null`), expect{422, nil, vErr("body.email", "is required", "body.name", "is required", "body.home", "is required")}},
		{"no body", call{method: "POST", target: "/orders/1", headers: [][2]string{tok}}, expect{422, nil, vErr("body.email", "is required", "body.name", "is required", "body.home", "is required")}},
		{"values skipped by the scan", post("/orders/1", with(`"x":{"a":[1,{"b":"}]\"{"}],"c":-1.5e3,"d":true},"y":"\\","note":"\"}"`)), expect{200, nil, `"ok ada"`}},
		{"form body: what a form cannot send is not required", post("/orders/1", "name=ada&email=a%40b", [2]string{"Content-Type", "application/x-www-form-urlencoded"}, tok), expect{200, nil, `"ok ada"`}},
		{"form missing", post("/orders/1", "name=ada", [2]string{"Content-Type", "application/x-www-form-urlencoded"}, tok), expect{422, nil, vErr("body.email", "is required")}},
		{"Validate runs after the tags", post("/orders/1", strings.Replace(okOrder, `"ada"`, `"admin"`, 1)), expect{422, nil, `{"message":"that name is taken"}`}},
		{"conversion stays 400", post("/orders/1?page=x", okOrder), expect{400, nil, `{"message":"invalid query parameter \"page\": \"x\" is not an integer","errors":[{"location":"query.page","message":"\"x\" is not an integer"}]}`}},
		{"JSON type error in an element", post("/orders/1", with(`"items":[{"sku":"abc","qty":1},{"sku":"abc","qty":"x"}]`)), expect{400, nil, `{"message":"invalid JSON body: field \"items.1.qty\" cannot hold a JSON string","errors":[{"location":"body.items[1].qty","message":"cannot hold a JSON string"}]}`}},
		{"JSON type error", post("/orders/1", with(`"age":"old"`)), expect{400, nil, `{"message":"invalid JSON body: field \"age\" cannot hold a JSON string","errors":[{"location":"body.age","message":"cannot hold a JSON string"}]}`}},
	}.run(t, s)
}

// TestValidationForm: a form body is checked as a JSON one; a field a form
// cannot fill (a struct, a field tagged form:"-") is not required of it.
func TestValidationForm(t *testing.T) {
	r := newApp()
	type signupForm struct {
		Email string `json:"email" form:"e-mail" pattern:"@"`
		Age   int    `json:"age" minimum:"18"`
		Bio   string `json:"bio,omitempty"`
		Terms bool   `json:"terms"`
	}
	kaito.Post(r, "/signup", func(_ appCtx, in signupForm) (signupForm, error) { return in, nil })
	type jsonOnly struct {
		Name string `json:"name"`
		Ref  string `json:"ref" form:"-"` // required of JSON; a form cannot send it
	}
	kaito.Post(r, "/ref", func(_ appCtx, in jsonOnly) (string, error) { return in.Name + in.Ref, nil })
	form := [2]string{"Content-Type", "application/x-www-form-urlencoded"}
	table{
		{"form:\"-\" not required of a form", call{method: "POST", target: "/ref", headers: [][2]string{form}, body: "name=x&ref=y"}, expect{200, nil, `"x"`}},
		{"form:\"-\" required of JSON", call{method: "POST", target: "/ref", headers: [][2]string{{"Content-Type", "application/json"}}, body: `{"name":"x"}`}, expect{422, nil, vErr("body.ref", "is required")}},
		{"valid", call{method: "POST", target: "/signup", headers: [][2]string{form}, body: "e-mail=a%40b&age=20&terms=true"}, expect{200, nil, `{"email":"a@b","age":20,"terms":true}`}},
		{"constraint", call{method: "POST", target: "/signup", headers: [][2]string{form}, body: "e-mail=ab&age=17&terms=1"}, expect{422, nil, vErr("body.email", "must match the pattern @", "body.age", "must be >= 18")}},
		{"missing", call{method: "POST", target: "/signup", headers: [][2]string{form}, body: "bio=x"}, expect{422, nil, vErr("body.email", "is required", "body.age", "is required", "body.terms", "is required")}},
		{"multipart", call{method: "POST", target: "/signup", headers: [][2]string{{"Content-Type", "multipart/form-data; boundary=b"}},
			body: "--b\r\nContent-Disposition: form-data; name=\"age\"\r\n\r\n30\r\n--b\r\nContent-Disposition: form-data; name=\"terms\"\r\n\r\ntrue\r\n--b--\r\n"}, expect{422, nil, vErr("body.email", "is required")}},
	}.run(t, serve(r))
}

// TestValidationOptionalQuery: query, header and cookie fields are
// optional unless required:"true"; an absent one is not checked.
func TestValidationOptionalQuery(t *testing.T) {
	r := newApp()
	type search struct {
		Q     string `query:"q" required:"true" minLength:"2"`
		Limit *int   `query:"limit" maximum:"50"`
		Lang  string `header:"Accept-Language" enum:"en,fr"`
		Sid   string `cookie:"sid" required:"true"`
	}
	kaito.Get(r, "/search", func(_ appCtx, in search) (string, error) { return in.Q, nil })
	cookie := [2]string{"Cookie", "sid=1"}
	table{
		{"only required", call{target: "/search?q=go", headers: [][2]string{cookie}}, expect{200, nil, `"go"`}},
		{"query required", call{target: "/search", headers: [][2]string{cookie}}, expect{422, nil, vErr("query.q", "is required")}},
		{"query empty", call{target: "/search?q=", headers: [][2]string{cookie}}, expect{422, nil, vErr("query.q", "is required")}},
		{"cookie required", call{target: "/search?q=go"}, expect{422, nil, vErr("cookie.sid", "is required")}},
		{"pointer checked when sent", call{target: "/search?q=go&limit=51", headers: [][2]string{cookie}}, expect{422, nil, vErr("query.limit", "must be <= 50")}},
		{"header enum", call{target: "/search?q=go", headers: [][2]string{cookie, {"Accept-Language", "de"}}}, expect{422, nil, vErr("header.Accept-Language", "must be one of: en, fr")}},
	}.run(t, serve(r))
}

// TestValidationProblemDetails: the 422 as an RFC 9457 problem.
func TestValidationProblemDetails(t *testing.T) {
	s := serve(orderRouter(kaito.WithProblemDetails()))
	table{
		{"422", call{method: "POST", target: "/orders/0", headers: [][2]string{{"Content-Type", "application/json"}, {"X-Token", "abcd"}}, body: okOrder},
			expect{422, map[string]string{"Content-Type": "application/problem+json"},
				`{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"validation failed","errors":[{"location":"path.id","message":"must be >= 1"}]}`}},
		{"400 conversion", call{method: "POST", target: "/orders/x", headers: [][2]string{{"Content-Type", "application/json"}}, body: okOrder},
			expect{400, map[string]string{"Content-Type": "application/problem+json"},
				`{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid path parameter \"id\": \"x\" is not an integer","errors":[{"location":"path.id","message":"\"x\" is not an integer"}]}`}},
	}.run(t, s)
}

// TestValidateFieldErrors: a Validate method can return field errors.
func TestValidateFieldErrors(t *testing.T) {
	r := newApp()
	kaito.Post(r, "/pair", func(_ appCtx, in pair) (string, error) { return "ok", nil })
	table{
		{"field errors", call{method: "POST", target: "/pair", headers: [][2]string{{"Content-Type", "application/json"}}, body: `{"a":2,"b":1}`},
			expect{422, nil, `{"message":"a must not exceed b","errors":[{"location":"body.a","message":"must be <= b"}]}`}},
	}.run(t, serve(r))
}

type pair struct {
	A int `json:"a"`
	B int `json:"b"`
}

func (p *pair) Validate() error {
	if p.A > p.B {
		return &kaito.Error{Status: http.StatusUnprocessableEntity, Message: "a must not exceed b",
			Errors: []kaito.FieldError{{Location: "body.a", Message: "must be <= b"}}}
	}
	return nil
}

// TestMalformedTagPanics: a malformed tag stops registration, naming the
// route, the field and the tag.
func TestMalformedTagPanics(t *testing.T) {
	cases := []struct {
		name     string
		register func(r *kaito.Router[appCtx])
		want     []string
	}{
		{"bad number", func(r *kaito.Router[appCtx]) {
			kaito.Get(r, "/a", func(_ appCtx, in struct {
				N int `query:"n" minimum:"one"`
			}) (int, error) {
				return 0, nil
			})
		}, []string{"GET /a", "field N", `minimum:"one"`, "not a number"}},
		{"bad regexp", func(r *kaito.Router[appCtx]) {
			kaito.Post(r, "/b", func(_ appCtx, in struct {
				S string `json:"s" pattern:"(["`
			}) (int, error) {
				return 0, nil
			})
		}, []string{"POST /b", "field S", "not a regular expression"}},
		{"kind mismatch", func(r *kaito.Router[appCtx]) {
			kaito.Post(r, "/c", func(_ appCtx, in struct {
				N int `json:"n" minLength:"1"`
			}) (int, error) {
				return 0, nil
			})
		}, []string{"POST /c", "field N", "a string constraint on a field of type int"}},
		{"nested", func(r *kaito.Router[appCtx]) {
			kaito.Post(r, "/d", func(_ appCtx, in struct {
				Inner struct {
					S string `json:"s" minimum:"1"`
				} `json:"inner"`
			}) (int, error) {
				return 0, nil
			})
		}, []string{"POST /d", "field S", "a number constraint on a field of type string"}},
		{"enum kind", func(r *kaito.Router[appCtx]) {
			kaito.Get(r, "/e/:id", func(_ appCtx, in struct {
				ID int `path:"id" enum:"1,x"`
			}) (int, error) {
				return 0, nil
			})
		}, []string{"GET /e/:id", "field ID", `value "x"`}},
		{"required", func(r *kaito.Router[appCtx]) {
			kaito.Get(r, "/f", func(_ appCtx, in struct {
				Q string `query:"q" required:"yes"`
			}) (int, error) {
				return 0, nil
			})
		}, []string{"GET /f", "field In.Q", `required:"yes"`}},
		{"documentation tag", func(r *kaito.Router[appCtx]) {
			kaito.Post(r, "/g", func(_ appCtx, in struct {
				S string `json:"s" nullable:"sure"`
			}) (int, error) {
				return 0, nil
			})
		}, []string{"POST /g", "field In.S", `nullable:"sure"`}},
		{"element of a non-struct In", func(r *kaito.Router[appCtx]) {
			kaito.Post(r, "/list", func(_ appCtx, in []struct {
				N int `json:"n" minLength:"1"`
			}) (int, error) {
				return 0, nil
			})
		}, []string{"POST /list", "field N", "a string constraint on a field of type int"}},
		{"same source twice", func(r *kaito.Router[appCtx]) {
			kaito.Get(r, "/h", func(_ appCtx, in struct {
				A string `query:"q"`
				B int    `query:"q"`
			}) (int, error) {
				return 0, nil
			})
		}, []string{"GET /h", "fields In.A and In.B are both bound from query \"q\""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				p := recover()
				msg, _ := p.(string)
				for _, w := range c.want {
					if !strings.Contains(msg, w) {
						t.Errorf("panic %q does not say %q", p, w)
					}
				}
			}()
			c.register(newApp())
			t.Error("registration did not panic")
		})
	}
}

// TestValidationAllocations: a route without constraint tags pays nothing
// for validation, and a tagged one that passes allocates no more than the
// untagged one.
func TestValidationAllocations(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts (sync.Pool, which regexp uses, drops values under the race detector)")
	}
	untagged, tagged := postAllocs(t, kaitoPost()), postAllocs(t, kaitoPostTagged())
	if tagged > untagged {
		t.Errorf("a POST with constraint tags allocates %v per request, the same POST without %v", tagged, untagged)
	}
	t.Logf("allocs/op: untagged %v, tagged %v", untagged, tagged)
}

func postAllocs(t *testing.T, h http.Handler) float64 {
	t.Helper()
	body := strings.NewReader(newUserBody)
	req := newPost(body)
	w := newSink()
	n := testing.AllocsPerRun(200, func() {
		body.Reset(newUserBody)
		req.Body = readCloser{body}
		w.reset()
		h.ServeHTTP(w, req)
	})
	if w.status != http.StatusCreated {
		t.Fatalf("status %d", w.status)
	}
	return n
}

// TestValidationAllocBudget: GET /users/:id with a constraint on its
// parameter allocates no more than the same route without it.
func TestValidationAllocBudget(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts, checked without -short and -race")
	}
	r := kaito.New(func(*kaito.Request) (benchCtx, error) { return benchCtx{}, nil })
	kaito.Get(r, "/users/:id", func(_ benchCtx, in struct {
		ID int `path:"id" minimum:"1" maximum:"1000000"`
	}) (user, error) {
		return user{ID: in.ID, Name: "gopher"}, nil
	})
	tagged := nethttp.Handler(r)
	req := httptest.NewRequest(http.MethodGet, "/users/42", nil)
	count := func(h http.Handler) float64 {
		w := newSink()
		n := testing.AllocsPerRun(200, func() { w.reset(); h.ServeHTTP(w, req) })
		if w.status != 0 && w.status != http.StatusOK {
			t.Fatalf("status %d", w.status)
		}
		return n
	}
	untaggedN, taggedN := count(kaitoUsers()), count(tagged)
	if taggedN > untaggedN {
		t.Errorf("GET /users/:id with constraint tags allocates %v per request, without them %v", taggedN, untaggedN)
	}
	t.Logf("allocs/op: untagged %v, tagged %v", untaggedN, taggedN)
}

// TestValidationScalarInput: an input of tagged scalars alone (bound
// without reflection) is checked as any other.
func TestValidationScalarInput(t *testing.T) {
	r := newApp()
	type page struct {
		ID    uint8   `path:"id" minimum:"1" multipleOf:"2"`
		Q     string  `query:"q" required:"true" maxLength:"3"`
		Sort  string  `query:"sort" enum:"asc,desc"`
		Ratio float32 `query:"ratio" exclusiveMaximum:"1"`
		Debug bool    `header:"X-Debug" enum:"false"`
		Sid   int64   `cookie:"sid" maximum:"9"`
	}
	kaito.Get(r, "/p/:id", func(_ appCtx, in page) (page, error) { return in, nil })
	table{
		{"valid", call{target: "/p/2?q=go&sort=asc&ratio=0.5", headers: [][2]string{{"X-Debug", "false"}, {"Cookie", "sid=9"}}},
			expect{200, nil, `{"ID":2,"Q":"go","Sort":"asc","Ratio":0.5,"Debug":false,"Sid":9}`}},
		{"each failing", call{target: "/p/3?sort=up&ratio=1", headers: [][2]string{{"X-Debug", "true"}, {"Cookie", "sid=10"}}},
			expect{422, nil, vErr("path.id", "must be a multiple of 2", "query.q", "is required", "query.sort", "must be one of: asc, desc",
				"query.ratio", "must be < 1", "header.X-Debug", "must be one of: false", "cookie.sid", "must be <= 9")}},
		{"minimum and maxLength", call{target: "/p/0?q=long"}, expect{422, nil, vErr("path.id", "must be >= 1", "query.q", "must be at most 3 characters long")}},
	}.run(t, serve(r))
}

// TestValidationRequired: DESIGN's rule for body fields, on an input with
// no nested structs (the scan's one-loop path) and without any constraint.
func TestValidationRequired(t *testing.T) {
	r := newApp()
	type flat struct {
		A string         `json:"a"`
		B int            `json:"b"`
		C []any          `json:"c"`
		D *string        `json:"d"`
		E map[string]int `json:"e"`
		F string         `json:"f,omitempty"`
		G string         `json:"g" required:"false"`
		H *int           `json:"h" required:"true"`
	}
	kaito.Post(r, "/flat", func(_ appCtx, in flat) (string, error) { return "ok", nil })
	post := func(body string) call {
		return call{method: "POST", target: "/flat", headers: [][2]string{{"Content-Type", "application/json"}}, body: body}
	}
	table{
		{"all required present", post(`{"a":"","b":0,"c":[],"e":{},"h":1}`), expect{200, nil, `"ok"`}},
		// Every required field decoded to a value: no scan of the keys is needed.
		{"all required set", post(`{"a":"x","b":1,"c":[1],"e":{"k":1},"h":1}`), expect{200, nil, `"ok"`}},
		{"all set but one missing", post(`{"a":"x","b":1,"c":[1],"h":1}`), expect{422, nil, vErr("body.e", "is required")}},
		{"whitespace and nesting", post(" {\n\t\"a\" : \"x\\\\\" , \"b\":-12,\"c\":[[1],{\"k\":\"]}\"}],\"e\":{\"x\":1},\"z\":null,\"h\":0 } "), expect{200, nil, `"ok"`}},
		{"each missing", post(`{"d":"x","f":"y"}`), expect{422, nil, vErr("body.a", "is required", "body.b", "is required", "body.c", "is required", "body.e", "is required", "body.h", "is required")}},
		{"null is missing", post(`{"a":null,"b":1,"c":null,"e":{},"h":null}`), expect{422, nil, vErr("body.a", "is required", "body.c", "is required", "body.h", "is required")}},
		{"keys match as the decoder does", post(`{"A":"","B":0,"C":[],"E":{},"H":1}`), expect{200, nil, `"ok"`}},
		{"escaped key", post(`{"\u0061":"","b":0,"c":[],"e":{},"h":1}`), expect{200, nil, `"ok"`}},
		{"escaped key missing one", post(`{"\u0061":"","c":[],"e":{},"h":1}`), expect{422, nil, vErr("body.b", "is required")}},
		{"no body", call{method: "POST", target: "/flat"}, expect{422, nil, vErr("body.a", "is required", "body.b", "is required", "body.c", "is required", "body.e", "is required", "body.h", "is required")}},
	}.run(t, serve(r))
}

// reqInner and ReqOuter are embedded in reqKinds, by value and by
// pointer (exported, for the decoder to allocate it).
type reqInner struct {
	In string `json:"in"`
}

// ReqOuter is embedded in reqKinds by pointer.
type ReqOuter struct {
	Out int `json:"out"`
}

// reqKinds has a required body field of each kind whether it holds its
// zero value is read for, in place or through reflect.
type reqKinds struct {
	reqInner
	*ReqOuter
	S  string         `json:"s"`
	I8 int8           `json:"i8"`
	U  uint16         `json:"u"`
	F  float32        `json:"f"`
	D  float64        `json:"d"`
	B  bool           `json:"b"`
	L  []string       `json:"l"`
	M  map[string]int `json:"m"`
	A  any            `json:"a"`
	R  [2]int         `json:"r"`
	T  struct {
		X int `json:"x,omitempty"` // optional: the scan need not look into T
	} `json:"t"`
}

// TestValidationRequiredEachKind: a required field of every kind that is
// absent from a body whose other fields hold values is missing, and one
// sent with its zero value is not.
func TestValidationRequiredEachKind(t *testing.T) {
	r := newApp()
	kaito.Post(r, "/kinds", func(_ appCtx, in reqKinds) (string, error) { return "ok", nil })
	set := map[string]string{"in": `"x"`, "out": `1`, "s": `"x"`, "i8": `-1`, "u": `1`, "f": `0.5`, "d": `-2.5`, "b": `true`,
		"l": `["x"]`, "m": `{"k":1}`, "a": `{}`, "r": `[1,2]`, "t": `{"x":1}`}
	zero := map[string]string{"in": `""`, "out": `0`, "s": `""`, "i8": `0`, "u": `0`, "f": `0`, "d": `-0`, "b": `false`,
		"l": `[]`, "m": `{}`, "a": `0`, "r": `[0,0]`, "t": `{}`}
	keys := []string{"in", "out", "s", "i8", "u", "f", "d", "b", "l", "m", "a", "r", "t"}
	body := func(values map[string]string, skip, zeroed string) string {
		var b strings.Builder
		for _, k := range keys {
			if k == skip {
				continue
			}
			v := values[k]
			if k == zeroed {
				v = zero[k]
			}
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + k + `":` + v)
		}
		return "{" + b.String() + "}"
	}
	post := func(body string) call {
		return call{method: "POST", target: "/kinds", headers: [][2]string{{"Content-Type", "application/json"}}, body: body}
	}
	tt := table{{"all set", post(body(set, "", "")), expect{200, nil, `"ok"`}}}
	for _, k := range keys {
		if k == "out" {
			// In a struct embedded by pointer: without it the pointer
			// stays nil, and a field behind a nil pointer is not checked.
			continue
		}
		tt = append(tt,
			struct {
				name string
				call call
				want expect
			}{k + " absent", post(body(set, k, "")), expect{422, nil, vErr("body."+k, "is required")}},
			struct {
				name string
				call call
				want expect
			}{k + " zero", post(body(set, "", k)), expect{200, nil, `"ok"`}})
	}
	tt = append(tt, struct {
		name string
		call call
		want expect
	}{"out zero", post(body(set, "", "out")), expect{200, nil, `"ok"`}})
	tt.run(t, serve(r))
}

// TestValidationFiles: uploads are required of a multipart body only: a
// JSON body cannot send them.
func TestValidationFiles(t *testing.T) {
	r := newApp()
	type upload struct {
		Title  string                 `json:"title"`
		Photos []*kaito.MultipartFile `json:"photos"`
	}
	kaito.Post(r, "/up", func(_ appCtx, in upload) (int, error) { return len(in.Photos), nil })
	mp := [2]string{"Content-Type", "multipart/form-data; boundary=b"}
	title := "--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nt\r\n"
	photo := "--b\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n"
	table{
		{"JSON", call{method: "POST", target: "/up", headers: [][2]string{{"Content-Type", "application/json"}}, body: `{"title":"t"}`}, expect{200, nil, `0`}},
		{"multipart with a file", call{method: "POST", target: "/up", headers: [][2]string{mp}, body: title + photo + "--b--\r\n"}, expect{200, nil, `1`}},
		{"multipart without", call{method: "POST", target: "/up", headers: [][2]string{mp}, body: title + "--b--\r\n"}, expect{422, nil, vErr("body.photos", "is required")}},
	}.run(t, serve(r))
}

type selfEmbedding struct {
	*selfEmbedding
	Name string `json:"name" minLength:"2"`
}

// TestValidationSelfEmbedding: a type that embeds a pointer to itself
// registers (the walk of promoted fields ends) and is checked.
func TestValidationSelfEmbedding(t *testing.T) {
	r := newApp()
	kaito.Post(r, "/self", func(_ appCtx, in selfEmbedding) (string, error) {
		if in.selfEmbedding != nil {
			return "", errors.New("the embedded pointer was set")
		}
		return in.Name, nil
	})
	ct := [2]string{"Content-Type", "application/json"}
	table{
		{"valid", call{method: "POST", target: "/self", headers: [][2]string{ct}, body: `{"name":"ada"}`}, expect{200, nil, `"ada"`}},
		{"invalid", call{method: "POST", target: "/self", headers: [][2]string{ct}, body: `{"name":"a"}`}, expect{422, nil, vErr("body.name", "must be at least 2 characters long")}},
	}.run(t, serve(r))
}

type vTagged struct {
	Other string `json:"Label" minLength:"2"`
}

type vUntagged struct {
	Label string
}

// vNames has fields that encoding/json names otherwise than their tags
// say: of two promoted fields named Label, the json-tagged one wins; a
// json name with a character encoding/json refuses gives way to the Go name.
type vNames struct {
	vTagged
	vUntagged
	//lint:ignore SA5008 a json name encoding/json refuses, on purpose
	Odd string `json:"o\\dd" maxLength:"3"`
}

// TestValidationFollowsEncodingJSONNames: validation checks the fields the
// JSON decoder fills, under the names the OpenAPI document gives them.
func TestValidationFollowsEncodingJSONNames(t *testing.T) {
	r := newApp()
	kaito.Post(r, "/names", func(_ appCtx, in vNames) (string, error) { return in.Other + " " + in.Odd, nil })
	post := func(body string) call {
		return call{method: "POST", target: "/names", headers: [][2]string{{"Content-Type", "application/json"}}, body: body}
	}
	table{
		{"valid", post(`{"Label":"ab","Odd":"abc"}`), expect{200, nil, `"ab abc"`}},
		{"constraints", post(`{"Label":"a","Odd":"abcd"}`), expect{422, nil, vErr("body.Label", "must be at least 2 characters long", "body.Odd", "must be at most 3 characters long")}},
		{"missing", post(`{"o\\\\dd":"abc"}`), expect{422, nil, vErr("body.Label", "is required", "body.Odd", "is required")}},
	}.run(t, serve(r))
}

// wItem is an element of an In that is not a struct.
type wItem struct {
	Name string `json:"name" minLength:"2"`
	Qty  int    `json:"qty,omitempty" minimum:"1"`
}

// wPlain is an element without constraints or required fields.
type wPlain struct {
	Name string `json:"name,omitempty"`
	Qty  int    `json:"qty,omitempty"`
}

func wholeBodyRouter() *kaito.Router[appCtx] {
	r := newApp()
	kaito.Post(r, "/list", func(_ appCtx, in []wItem) (int, error) { return len(in), nil })
	kaito.Post(r, "/pointers", func(_ appCtx, in []*wItem) (int, error) { return len(in), nil })
	kaito.Post(r, "/array", func(_ appCtx, in [2]wItem) (int, error) { return len(in), nil })
	kaito.Post(r, "/map", func(_ appCtx, in map[string]wItem) (int, error) { return len(in), nil })
	kaito.Post(r, "/plain", func(_ appCtx, in []wPlain) (int, error) { return len(in), nil })
	kaito.Post(r, "/lists", func(_ appCtx, in [][]wItem) (int, error) { return len(in), nil })
	kaito.Post(r, "/map-of-lists", func(_ appCtx, in map[string][]*wItem) (int, error) { return len(in), nil })
	kaito.Post(r, "/field", func(_ appCtx, in struct {
		Groups [][2]wItem         `json:"groups,omitempty"`
		ByKey  map[string][]wItem `json:"byKey,omitempty"`
	}) (int, error) {
		return len(in.Groups) + len(in.ByKey), nil
	})
	return r
}

// TestValidationWholeBody: the elements of an In that is not a struct are
// checked as those of a body field (TestValidationTags' "slice of
// structs"): constraints and required fields, with locations under body.
func TestValidationWholeBody(t *testing.T) {
	post := func(target, body string) call {
		return call{method: "POST", target: target, headers: [][2]string{{"Content-Type", "application/json"}}, body: body}
	}
	table{
		{"list valid", post("/list", `[{"name":"ab","qty":1},{"name":"cd"}]`), expect{200, nil, `2`}},
		{"list empty", post("/list", `[]`), expect{200, nil, `0`}},
		{"list null", post("/list", `null`), expect{200, nil, `0`}},
		{"no body", call{method: "POST", target: "/list"}, expect{200, nil, `0`}},
		{"list minLength", post("/list", `[{"name":"ab"},{"name":"c"}]`), expect{422, nil, vErr("body[1].name", "must be at least 2 characters long")}},
		{"list minimum", post("/list", `[{"name":"ab","qty":0},{"name":"cd","qty":-1}]`), expect{422, nil, vErr("body[1].qty", "must be >= 1")}},
		{"list required", post("/list", `[{"name":"ab"},{"qty":2}]`), expect{422, nil, vErr("body[1].name", "is required")}},
		{"list required, null", post("/list", `[{"name":null}]`), expect{422, nil, vErr("body[0].name", "is required")}},
		{"list all failures", post("/list", ` [ {"qty":2}, {"name":"x","qty":-3} ] `),
			expect{422, nil, vErr("body[0].name", "is required", "body[1].name", "must be at least 2 characters long", "body[1].qty", "must be >= 1")}},
		{"pointers, null skipped", post("/pointers", `[null,{"name":"x"}]`), expect{422, nil, vErr("body[1].name", "must be at least 2 characters long")}},
		// null decodes into a struct element as nothing: its required
		// fields were not sent, as in {} (null passed them unchecked).
		{"list, null element", post("/list", `[{"name":"ab"},null]`), expect{422, nil, vErr("body[1].name", "is required")}},
		{"map, null value", post("/map", `{"a":null}`), expect{422, nil, vErr("body.a.name", "is required")}},
		{"lists, null element", post("/lists", `[[null]]`), expect{422, nil, vErr("body[0][0].name", "is required")}},
		{"lists, null list", post("/lists", `[null]`), expect{200, nil, `1`}},
		{"map of pointers, null skipped", post("/map-of-lists", `{"k":[null]}`), expect{200, nil, `1`}},
		{"field, null element", post("/field", `{"byKey":{"k":[null]}}`), expect{422, nil, vErr("body.byKey.k[0].name", "is required")}},
		{"pointers valid", post("/pointers", `[null,{"name":"xy"}]`), expect{200, nil, `2`}},
		{"array", post("/array", `[{"name":"ab"},{"name":"c"}]`), expect{422, nil, vErr("body[1].name", "must be at least 2 characters long")}},
		// A decoder leaves the elements past a shorter JSON array as
		// they are (nothing sent), and drops those of a longer one.
		{"array, shorter", post("/array", `[{"name":"ab"}]`), expect{422, nil, vErr("body[1].name", "is required")}},
		{"array, empty", post("/array", `[]`), expect{422, nil, vErr("body[0].name", "is required", "body[1].name", "is required")}},
		{"array, longer", post("/array", `[{"name":"ab"},{"name":"cd"},{}]`), expect{200, nil, `2`}},
		{"array of arrays, null", post("/field", `{"groups":[null,[{"name":"ab"},{"name":"cd"}]]}`), expect{422, nil, vErr("body.groups[0][0].name", "is required", "body.groups[0][1].name", "is required")}},
		{"map valid", post("/map", `{"a":{"name":"ab"}}`), expect{200, nil, `1`}},
		{"map minLength", post("/map", `{"a":{"name":"x"}}`), expect{422, nil, vErr("body.a.name", "must be at least 2 characters long")}},
		{"map required", post("/map", `{"a":{"qty":1}}`), expect{422, nil, vErr("body.a.name", "is required")}},
		{"plain elements are not checked", post("/plain", `[{},{"name":""}]`), expect{200, nil, `2`}},
		{"conversion error keeps 400", post("/list", `[{"name":"ab"},{"name":1}]`), expect{400, nil, anyBody}},
		// Containers of containers of structs are followed to the structs
		// (they were not checked at all).
		{"lists valid", post("/lists", `[[{"name":"ab"}],null,[]]`), expect{200, nil, `3`}},
		{"lists", post("/lists", `[[{"name":"ab"},{"name":"x"}],null,[{"qty":1}]]`),
			expect{422, nil, vErr("body[2][0].name", "is required", "body[0][1].name", "must be at least 2 characters long")}},
		{"map of lists", post("/map-of-lists", `{"k":[null,{"name":"x"},{}]}`),
			expect{422, nil, vErr("body.k[2].name", "is required", "body.k[1].name", "must be at least 2 characters long")}},
		{"field of lists", post("/field", `{"groups":[[{"name":"ab"},{"name":"x"}]],"byKey":{"k":[{"name":"cd","qty":-1}]}}`),
			expect{422, nil, vErr("body.groups[0][1].name", "must be at least 2 characters long", "body.byKey.k[0].qty", "must be >= 1")}},
		{"field of lists, required", post("/field", `{"groups":[[{"name":"ab"},{}]]}`),
			expect{422, nil, vErr("body.groups[0][1].name", "is required")}},
	}.run(t, serve(wholeBodyRouter()))
}

// TestValidationWholeBodyAllocations: checking the elements of a valid
// whole body allocates nothing beyond what the same body costs unchecked.
func TestValidationWholeBodyAllocations(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts, checked without -short and -race")
	}
	h := nethttp.Handler(wholeBodyRouter())
	const body = `[{"name":"ab","qty":1},{"name":"cd","qty":2}]`
	count := func(target string) float64 {
		rd := strings.NewReader(body)
		req := httptest.NewRequest(http.MethodPost, target, rd)
		req.Header.Set("Content-Type", "application/json")
		w := newSink()
		n := testing.AllocsPerRun(200, func() {
			rd.Reset(body)
			req.Body = readCloser{rd}
			w.reset()
			h.ServeHTTP(w, req)
		})
		if w.status != 0 && w.status != http.StatusOK {
			t.Fatalf("%s: status %d", target, w.status)
		}
		return n
	}
	plain, checked := count("/plain"), count("/list")
	if checked > plain {
		t.Errorf("a whole body with checked elements allocates %v per request, unchecked %v", checked, plain)
	}
	t.Logf("allocs/op: unchecked %v, checked %v", plain, checked)
}

// TestValidationFailuresAreCapped: a body of many failing elements is
// answered with the first 100 failures and a message that says so. All of
// them made the answer tens of times the body's size (a 900 KB [{},{},...]
// gave 33 MB), and dropping the constraint failures under missing fields
// took time quadratic in their number (40,000 elements: 36 s).
func TestValidationFailuresAreCapped(t *testing.T) {
	post := func(target, body string) call {
		return call{method: "POST", target: target, headers: [][2]string{{"Content-Type", "application/json"}}, body: body}
	}
	many := func(n int, elem string) string {
		return "[" + strings.TrimSuffix(strings.Repeat(elem+",", n), ",") + "]"
	}
	capped := func(loc func(i int) string, msg string) string {
		var errs []string
		for i := range 100 {
			errs = append(errs, loc(i), msg)
		}
		return strings.Replace(vErr(errs...), `"validation failed"`, `"validation failed: only the first 100 failures are listed"`, 1)
	}
	table{
		{"missing", post("/list", many(1000, `{}`)),
			expect{422, nil, capped(func(i int) string { return fmt.Sprintf("body[%d].name", i) }, "is required")}},
		{"constraints", post("/list", many(1000, `{"name":"x"}`)),
			expect{422, nil, capped(func(i int) string { return fmt.Sprintf("body[%d].name", i) }, "must be at least 2 characters long")}},
		{"in a body field", post("/field", `{"byKey":{"k":`+many(1000, `{"name":"x"}`)+`}}`),
			expect{422, nil, capped(func(i int) string { return fmt.Sprintf("body.byKey.k[%d].name", i) }, "must be at least 2 characters long")}},
		{"100 are all listed", post("/list", many(100, `{}`)),
			expect{422, nil, strings.Replace(capped(func(i int) string { return fmt.Sprintf("body[%d].name", i) }, "is required"), `: only the first 100 failures are listed`, ``, 1)}},
	}.run(t, serve(wholeBodyRouter()))
}
