package openapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/openapi"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The types of the router that uses every mapping rule.

type App struct{}

type Authed struct{ App }

// Audit is embedded: its fields are the embedding struct's.
type Audit struct {
	Created time.Time  `json:"created" readOnly:"true"`
	Updated *time.Time `json:"updated,omitempty"`
}

// User has the name of openapi.User.
type User struct {
	Audit
	ID       int64             `json:"id" doc:"The user's number." example:"42"`
	Name     string            `json:"name" minLength:"1" maxLength:"64" pattern:"^[^<>]*$"`
	Email    string            `json:"email,omitempty" format:"email"`
	Role     string            `json:"role" enum:"admin,member" default:"member"`
	Nick     *string           `json:"nick" minLength:"2"`
	Avatar   []byte            `json:"avatar,omitempty"`
	Labels   map[string]string `json:"labels,omitempty"`
	IP       netip.Addr        `json:"ip,omitzero"`
	Score    float32           `json:"score,string"`
	Level    uint8             `json:"level" maximum:"10" multipleOf:"2"`
	Extra    json.RawMessage   `json:"extra,omitempty"`
	Any      any               `json:"any,omitempty"`
	Pair     [2]int            `json:"pair" exclusiveMinimum:"0"`
	Password string            `json:"password,omitempty" writeOnly:"true"`
	Old      string            `json:"old,omitempty" deprecated:"true"`
	Secret   string            `json:"secret,omitempty" hidden:"true"`
	Manager  *User             `json:"manager,omitempty"`
	Friends  []User            `json:"friends,omitempty"`
	Theirs   *openapi.User     `json:"theirs,omitempty" nullable:"true"`
	Tags     []string          `json:"tags" enum:"a,b" minItems:"1" maxItems:"2" uniqueItems:"true"`
	Skipped  string            `json:"-"`
	internal string            //lint:ignore U1000 an unexported field is left out of the schema
}

// Page is generic: Page[User] is the component PageUser.
type Page[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

// GetUser binds parameters from every source.
type GetUser struct {
	ID      int64      `path:"id" doc:"The user's number."`
	Fields  []string   `query:"fields" enum:"id,name"`
	Expand  *bool      `query:"expand"`
	Version int        `query:"v" required:"true" minimum:"1" exclusiveMaximum:"100"`
	Since   netip.Addr `query:"since"`
	Token   string     `header:"X-Token" deprecated:"true"`
	Session string     `cookie:"sid"`
}

// NewUser is a JSON body with Validate.
type NewUser struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

func (*NewUser) Validate() error { return nil }

// UpdateUser mixes a path parameter and body fields.
type UpdateUser struct {
	ID   int64   `path:"id"`
	Name *string `json:"name"`
	Role string  `json:"role" required:"false"`
}

// Upload is a form with files.
type Upload struct {
	Title string                 `form:"title" json:"title"`
	Count int                    `json:"count,omitempty"`
	File  *kaito.MultipartFile   `form:"file"`
	More  []*kaito.MultipartFile `form:"more"`
	Meta  map[string]string      `json:"meta,omitempty"`
}

// Node refers to itself.
type Node struct {
	Name     string `json:"name"`
	Children []Node `json:"children,omitempty"`
}

// Custom writes its own response.
type Custom struct{}

func (Custom) Respond(w kaito.ResponseWriter) error { return nil }

func everyRule() *kaito.Router[App] {
	r := kaito.New(func(*kaito.Request) (App, error) { return App{}, nil })
	ok := func(App, struct{}) (map[string]string, error) { return nil, nil }
	kaito.Get(r, "/", ok, kaito.Summary("The root"))
	kaito.Get(r, "/health", ok, kaito.OperationID("health"), kaito.Tags("meta"))
	kaito.Get(r, "/internal", ok, kaito.Hidden())

	v1 := r.Group("/v1", kaito.Tags("v1"))
	kaito.Get(v1, "/users", func(App, struct {
		Cursor string `query:"cursor"`
	}) (Page[User], error) {
		return Page[User]{}, nil
	}).As("listUsers")
	kaito.Get(v1, "/users/:id", func(App, GetUser) (User, error) { return User{}, nil },
		kaito.Summary("Get a user"), kaito.Description("Returns one user."), kaito.Errors(404))
	kaito.Post(v1, "/users", func(App, NewUser) (User, error) { return User{}, nil }, kaito.Status(201))
	kaito.Post(v1, "/users/batch", func(App, []NewUser) ([]User, error) { return nil, nil })
	kaito.Post(v1, "/uploads", func(App, Upload) (kaito.NoContent, error) { return kaito.NoContent{}, nil })
	kaito.Get(v1, "/tree", func(App, struct{}) (Node, error) { return Node{}, nil })
	kaito.Get(v1, "/theirs", func(App, struct{}) (openapi.User, error) { return openapi.User{}, nil })

	admin := kaito.Through(v1, func(App) (Authed, error) { return Authed{}, nil },
		kaito.Security("bearer", "key"), kaito.Errors(401), kaito.Tags("admin"))
	kaito.Patch(admin, "/users/:id", func(Authed, UpdateUser) (User, error) { return User{}, nil }, kaito.Errors(409))
	kaito.Delete(admin, "/users/:id", func(Authed, struct {
		ID int64 `path:"id"`
	}) (kaito.NoContent, error) {
		return kaito.NoContent{}, nil
	}, kaito.Deprecated())

	kaito.Get(r, "/text", func(App, struct{}) (kaito.Text, error) { return "", nil })
	kaito.Get(r, "/blob", func(App, struct{}) (kaito.Blob, error) { return kaito.Blob{}, nil })
	kaito.Get(r, "/files/*path", func(App, struct{}) (kaito.File, error) { return kaito.File{}, nil })
	kaito.Get(r, "/raw/*path", func(App, struct {
		Path string `path:"path"`
	}) (kaito.Stream, error) {
		return kaito.Stream{}, nil
	})
	kaito.Get(r, "/go", func(App, struct{}) (kaito.Redirect, error) { return kaito.Redirect{}, nil })
	kaito.Get(r, "/events", func(App, struct{}) (kaito.SSE, error) { return kaito.SSE{}, nil })
	kaito.Get(r, "/ticks", func(App, struct{}) (kaito.EventStream[Node], error) { return kaito.EventStream[Node]{}, nil })
	kaito.Get(r, "/custom", func(App, struct{}) (Custom, error) { return Custom{}, nil })
	kaito.Get(r, "/anything", func(App, struct{}) (any, error) { return nil, nil })
	kaito.Head(r, "/ping", func(App, struct{}) (struct{}, error) { return struct{}{}, nil })
	kaito.Put(r, "/v:version/info", func(App, struct{}) (string, error) { return "", nil })
	return r
}

var everyRuleConfig = openapi.Config{
	Title: "Every rule", Version: "1.2.3", Description: "A router that uses every mapping rule.",
	Servers: []string{"https://api.example.com"},
	SecuritySchemes: map[string]openapi.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", BearerFormat: "JWT"},
		"key":    {Type: "apiKey", In: "header", Name: "X-Api-Key", Description: "An API key."},
	},
}

// TestGolden pins the document of a router that uses every mapping rule.
// Run with -update to rewrite testdata/every_rule.golden.json.
func TestGolden(t *testing.T) {
	got, err := openapi.Build(everyRule().Routes(), everyRuleConfig)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "every_rule", got)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the document differs from %s (run go test -update and review the diff):\n%s", path, firstDiff(got, want))
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got  " + g[i] + "\n want " + w[i]
		}
	}
	return "lengths differ"
}

// TestBuildDeterministic: the same routes in another order give the same bytes.
func TestBuildDeterministic(t *testing.T) {
	routes := everyRule().Routes()
	a, err := openapi.Build(routes, everyRuleConfig)
	if err != nil {
		t.Fatal(err)
	}
	rev := make([]*kaito.Route, len(routes))
	for i, rt := range routes {
		rev[len(routes)-1-i] = rt
	}
	for range 3 {
		b, err := openapi.Build(rev, everyRuleConfig)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("Build gave different bytes for the same routes:\n%s", firstDiff(b, a))
		}
	}
}

// doc builds the document of r and decodes it.
func doc(t *testing.T, routes []*kaito.Route, cfg openapi.Config) map[string]any {
	t.Helper()
	b, err := openapi.Build(routes, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// at looks up a dotted path ("paths./users/{id}.get.parameters.0.name"),
// where a segment in braces or with slashes is one key.
func at(v any, path ...string) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestMappingRules(t *testing.T) {
	m := doc(t, everyRule().Routes(), everyRuleConfig)
	op := func(path, method string) []string { return []string{"paths", path, method} }
	cases := []struct {
		name string
		path []string
		want string
	}{
		{"path template", op("/v1/users/{id}", "get")[:2], ``},
		{"catch-all documented", append(op("/files/{path}", "get"), "parameters", "0"), `{"description":"The rest of the path, from its '/' on.","in":"path","name":"path","required":true,"schema":{"type":"string"}}`},
		{"mixed segment", append(op("/v{version}/info", "put"), "parameters", "0", "name"), `"version"`},
		{"path parameter", append(op("/v1/users/{id}", "get"), "parameters", "0"), `{"description":"The user's number.","in":"path","name":"id","required":true,"schema":{"format":"int64","type":"integer"}}`},
		{"query slice with enum", append(op("/v1/users/{id}", "get"), "parameters", "1"), `{"in":"query","name":"fields","schema":{"items":{"enum":["id","name"],"type":"string"},"type":"array"}}`},
		{"optional pointer query", append(op("/v1/users/{id}", "get"), "parameters", "2"), `{"in":"query","name":"expand","schema":{"type":"boolean"}}`},
		{"required query with constraints", append(op("/v1/users/{id}", "get"), "parameters", "3"), `{"in":"query","name":"v","required":true,"schema":{"exclusiveMaximum":100,"format":"int64","minimum":1,"type":"integer"}}`},
		{"TextUnmarshaler parameter", append(op("/v1/users/{id}", "get"), "parameters", "4", "schema"), `{"type":"string"}`},
		{"header", append(op("/v1/users/{id}", "get"), "parameters", "5"), `{"deprecated":true,"in":"header","name":"X-Token","schema":{"type":"string"}}`},
		{"cookie", append(op("/v1/users/{id}", "get"), "parameters", "6"), `{"in":"cookie","name":"sid","schema":{"type":"string"}}`},
		{"422 from a constraint tag on a parameter", append(op("/v1/users/{id}", "get"), "responses", "422", "description"), `"Unprocessable Entity"`},
		{"Errors", append(op("/v1/users/{id}", "get"), "responses", "404", "content", "application/json", "schema"), `{"$ref":"#/components/schemas/Error"}`},
		{"no body: no 413", append(op("/v1/users/{id}", "get"), "responses", "413"), `null`},
		{"JSON body by reference", append(op("/v1/users", "post"), "requestBody", "content", "application/json", "schema"), `{"$ref":"#/components/schemas/NewUser"}`},
		{"Status", append(op("/v1/users", "post"), "responses", "201", "content", "application/json", "schema"), `{"$ref":"#/components/schemas/OpenapiTestUser"}`},
		{"Validate: 422", append(op("/v1/users", "post"), "responses", "422", "description"), `"Unprocessable Entity"`},
		{"body: 413", append(op("/v1/users", "post"), "responses", "413", "description"), `"Request Entity Too Large"`},
		{"body: 415", append(op("/v1/users", "post"), "responses", "415", "description"), `"Unsupported Media Type"`},
		{"non-struct In", append(op("/v1/users/batch", "post"), "requestBody", "content"), `{"application/json":{"schema":{"items":{"$ref":"#/components/schemas/NewUser"},"type":"array"}}}`},
		{"body beside a path parameter", append(op("/v1/users/{id}", "patch"), "requestBody", "content", "application/json", "schema"), `{"properties":{"name":{"type":["string","null"]},"role":{"type":"string"}},"type":"object"}`},
		{"multipart files", append(op("/v1/uploads", "post"), "requestBody", "content", "multipart/form-data", "schema"), `{"properties":{"count":{"format":"int64","type":"integer"},"file":{"format":"binary","type":"string"},"more":{"items":{"format":"binary","type":"string"},"type":"array"},"title":{"type":"string"}},"required":["title","more"],"type":"object"}`},
		{"urlencoded", append(op("/v1/uploads", "post"), "requestBody", "content", "application/x-www-form-urlencoded", "schema"), `{"properties":{"count":{"format":"int64","type":"integer"},"title":{"type":"string"}},"required":["title"],"type":"object"}`},
		{"JSON without files", append(op("/v1/uploads", "post"), "requestBody", "content", "application/json", "schema", "properties"), `{"count":{"format":"int64","type":"integer"},"meta":{"additionalProperties":{"type":"string"},"type":"object"},"title":{"type":"string"}}`},
		{"NoContent", append(op("/v1/uploads", "post"), "responses", "204"), `{"description":"No Content"}`},
		{"generic name", append(op("/v1/users", "get"), "responses", "200", "content", "application/json", "schema"), `{"$ref":"#/components/schemas/PageUser"}`},
		{"route name as operationId", append(op("/v1/users", "get"), "operationId"), `"listUsers"`},
		{"OperationID", append(op("/health", "get"), "operationId"), `"health"`},
		{"derived operationId", append(op("/v1/users/{id}", "get"), "operationId"), `"getV1UsersById"`},
		{"root operationId", append(op("/", "get"), "operationId"), `"getRoot"`},
		{"Hidden", []string{"paths", "/internal"}, `null`},
		{"Through's options", append(op("/v1/users/{id}", "delete"), "tags"), `["v1","admin"]`},
		{"Security", append(op("/v1/users/{id}", "delete"), "security"), `[{"bearer":[]},{"key":[]}]`},
		{"Through's Errors", append(op("/v1/users/{id}", "delete"), "responses", "401", "description"), `"Unauthorized"`},
		{"Deprecated", append(op("/v1/users/{id}", "delete"), "deprecated"), `true`},
		{"Text", append(op("/text", "get"), "responses", "200", "content"), `{"text/plain":{"schema":{"type":"string"}}}`},
		{"Blob", append(op("/blob", "get"), "responses", "200", "content"), `{"*/*":{"schema":{"format":"binary","type":"string"}}}`},
		{"File: 404", append(op("/files/{path}", "get"), "responses", "404", "description"), `"Not Found"`},
		{"Stream", append(op("/raw/{path}", "get"), "responses", "200", "content"), `{"*/*":{"schema":{"format":"binary","type":"string"}}}`},
		{"Redirect", append(op("/go", "get"), "responses", "3XX", "headers", "Location", "required"), `true`},
		{"SSE", append(op("/events", "get"), "responses", "200", "content"), `{"text/event-stream":{"schema":{"type":"string"}}}`},
		{"EventStream", append(op("/ticks", "get"), "responses", "200", "content"), `{"text/event-stream":{"schema":{"description":"Each event's data is JSON of the schema x-event-data.","type":"string"},"x-event-data":{"$ref":"#/components/schemas/Node"}}}`},
		{"custom Responder", append(op("/custom", "get"), "responses", "200"), `{"description":"Written by openapi_test.Custom's Respond method"}`},
		{"interface Out", append(op("/anything", "get"), "responses", "200", "content", "application/json", "schema"), `{}`},
		{"HEAD", append(op("/ping", "head"), "responses", "200"), `{"description":"OK"}`},
		{"default response", append(op("/ping", "head"), "responses", "default", "content", "application/json", "schema"), `{"$ref":"#/components/schemas/Error"}`},
		{"nothing bound: no 400", append(op("/ping", "head"), "responses", "400"), `null`},
		{"error body", []string{"components", "schemas", "Error"}, `{"properties":{"errors":{"description":"The fields at fault, when the error is about the input.","items":{"$ref":"#/components/schemas/FieldError"},"type":"array"},"message":{"description":"What went wrong.","type":"string"}},"required":["message"],"type":"object"}`},
		{"same name, other package", []string{"components", "schemas", "OpenapiUser", "properties"}, `{"login":{"type":"string"}}`},
		{"recursive type", []string{"components", "schemas", "Node", "properties", "children", "items"}, `{"$ref":"#/components/schemas/Node"}`},
		{"security scheme", []string{"components", "securitySchemes"}, `{"bearer":{"bearerFormat":"JWT","scheme":"bearer","type":"http"},"key":{"description":"An API key.","in":"header","name":"X-Api-Key","type":"apiKey"}}`},
		{"tags", []string{"tags"}, `[{"name":"admin"},{"name":"meta"},{"name":"v1"}]`},
		{"servers", []string{"servers"}, `[{"url":"https://api.example.com"}]`},
	}
	for _, c := range cases {
		if got := js(at(m, c.path...)); c.want != "" && got != c.want {
			t.Errorf("%s: %s = %s, want %s", c.name, strings.Join(c.path, " > "), got, c.want)
		}
	}

	user := at(m, "components", "schemas", "OpenapiTestUser").(map[string]any)
	props := user["properties"].(map[string]any)
	fields := []struct{ name, want string }{
		{"created", `{"format":"date-time","readOnly":true,"type":"string"}`},
		{"updated", `{"format":"date-time","type":["string","null"]}`},
		{"id", `{"description":"The user's number.","examples":[42],"format":"int64","type":"integer"}`},
		{"name", `{"maxLength":64,"minLength":1,"pattern":"^[^\u003c\u003e]*$","type":"string"}`},
		{"email", `{"format":"email","type":"string"}`},
		{"role", `{"default":"member","enum":["admin","member"],"type":"string"}`},
		{"nick", `{"minLength":2,"type":["string","null"]}`},
		{"avatar", `{"contentEncoding":"base64","type":"string"}`},
		{"labels", `{"additionalProperties":{"type":"string"},"type":"object"}`},
		{"ip", `{"type":"string"}`},
		{"score", `{"type":"string"}`},
		{"level", `{"format":"int32","maximum":10,"minimum":0,"multipleOf":2,"type":"integer"}`},
		{"extra", `{}`},
		{"any", `{}`},
		{"pair", `{"items":{"exclusiveMinimum":0,"format":"int64","type":"integer"},"maxItems":2,"minItems":2,"type":"array"}`},
		{"password", `{"type":"string","writeOnly":true}`},
		{"old", `{"deprecated":true,"type":"string"}`},
		{"secret", `null`},
		{"manager", `{"anyOf":[{"$ref":"#/components/schemas/OpenapiTestUser"},{"type":"null"}]}`},
		{"friends", `{"items":{"$ref":"#/components/schemas/OpenapiTestUser"},"type":"array"}`},
		{"theirs", `{"anyOf":[{"$ref":"#/components/schemas/OpenapiUser"},{"type":"null"}]}`},
		{"tags", `{"items":{"enum":["a","b"],"type":"string"},"maxItems":2,"minItems":1,"type":"array","uniqueItems":true}`},
		{"Skipped", `null`},
		{"internal", `null`},
	}
	for _, f := range fields {
		if got := js(props[f.name]); got != f.want {
			t.Errorf("User.%s = %s, want %s", f.name, got, f.want)
		}
	}
	if got := js(user["required"]); got != `["created","id","name","role","score","level","pair","tags"]` {
		t.Errorf("User required = %s", got)
	}
}

// Under ProblemDetails every error response is an RFC 9457 problem, and a
// user type named like the package's own schemas is told apart from them.
func TestProblemDetails(t *testing.T) {
	type Problem struct {
		X int `json:"x"`
	}
	r := kaito.New(func(*kaito.Request) (App, error) { return App{}, nil })
	kaito.Post(r, "/a/:id", func(App, GetUser) (Problem, error) { return Problem{}, nil }, kaito.Errors(409))
	m := doc(t, r.Routes(), openapi.Config{ProblemDetails: true})
	responses := at(m, "paths", "/a/{id}", "post", "responses").(map[string]any)
	for _, status := range []string{"400", "409", "422", "default"} {
		if got := js(at(responses, status, "content")); got != `{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}}` {
			t.Errorf("%s: content = %s", status, got)
		}
	}
	if got := js(at(m, "components", "schemas", "Problem", "required")); got != `["type","title","status"]` {
		t.Errorf("Problem required = %s", got)
	}
	if got := js(at(m, "components", "schemas", "Error")); got != `null` {
		t.Errorf("the {message} error schema is there too: %s", got)
	}
	if got := js(at(responses, "200", "content", "application/json", "schema")); got != `{"$ref":"#/components/schemas/OpenapiTestProblem"}` {
		t.Errorf("the user's Problem type is %s", got)
	}
	b, err := openapi.Build(r.Routes(), openapi.Config{ProblemDetails: true})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "problem_details", b)
}

func TestBuildErrors(t *testing.T) {
	newRouter := func() *kaito.Router[App] {
		return kaito.New(func(*kaito.Request) (App, error) { return App{}, nil })
	}
	ok := func(App, struct{}) (struct{}, error) { return struct{}{}, nil }
	cases := []struct {
		name   string
		routes func() []*kaito.Route
		cfg    openapi.Config
		want   string
	}{
		{"duplicate operationId", func() []*kaito.Route {
			r := newRouter()
			kaito.Get(r, "/b", ok, kaito.OperationID("same"))
			kaito.Post(r, "/a", ok, kaito.OperationID("same"))
			return r.Routes()
		}, openapi.Config{}, `openapi: routes GET /b and POST /a have the same operationId "same"`},
		{"derived operationId clashes with a name", func() []*kaito.Route {
			r := newRouter()
			kaito.Get(r, "/users", ok)
			kaito.Get(r, "/people", ok).As("getUsers")
			return r.Routes()
		}, openapi.Config{}, `routes GET /people and GET /users have the same operationId "getUsers"`},
		{"paths that differ only in parameter names", func() []*kaito.Route {
			r := newRouter()
			kaito.Get(r, "/a/:x", ok)
			kaito.Delete(r, "/a/:y", ok)
			return r.Routes()
		}, openapi.Config{}, `openapi: routes DELETE /a/:y and GET /a/:x have paths that differ only in their parameters' names (/a/{y} and /a/{x}), which OpenAPI 3.1 holds identical: name the parameters alike`},
		{"paths that differ only in parameter names, listed the other way", func() []*kaito.Route {
			r := newRouter()
			kaito.Get(r, "/a/:x", ok)
			kaito.Delete(r, "/a/:y", ok)
			routes := r.Routes()
			slices.Reverse(routes)
			return routes
		}, openapi.Config{}, `openapi: routes DELETE /a/:y and GET /a/:x have paths that differ only in their parameters' names (/a/{y} and /a/{x})`},
		{"a catch-all and a parameter of other names", func() []*kaito.Route {
			r := newRouter()
			kaito.Put(r, "/v:version/files/*path", ok)
			kaito.Get(r, "/v:v/files/:name", ok)
			return r.Routes()
		}, openapi.Config{}, `routes GET /v:v/files/:name and PUT /v:version/files/*path have paths that differ only in their parameters' names (/v{v}/files/{name} and /v{version}/files/{path})`},
		{"one operation from two routers", func() []*kaito.Route {
			a, b := newRouter(), newRouter()
			kaito.Get(a, "/a/:x", ok, kaito.OperationID("one"))
			kaito.Get(b, "/a/:x", ok, kaito.OperationID("two"))
			return append(a.Routes(), b.Routes()...)
		}, openapi.Config{}, `openapi: routes GET /a/:x and GET /a/:x are one operation, GET /a/{x}`},
		{"unknown security scheme", func() []*kaito.Route {
			r := newRouter()
			kaito.Get(r, "/a", ok, kaito.Security("oauth"))
			return r.Routes()
		}, openapi.Config{}, `route GET /a: security scheme "oauth" is not in Config.SecuritySchemes`},
		{"incomplete http scheme", nil, openapi.Config{SecuritySchemes: map[string]openapi.SecurityScheme{"b": {Type: "http"}}},
			`security scheme "b": an "http" scheme needs Scheme`},
		{"incomplete apiKey scheme", nil, openapi.Config{SecuritySchemes: map[string]openapi.SecurityScheme{"k": {Type: "apiKey", Name: "k", In: "body"}}},
			`security scheme "k": an "apiKey" scheme needs a Name and In`},
		{"unknown scheme type", nil, openapi.Config{SecuritySchemes: map[string]openapi.SecurityScheme{"o": {Type: "oauth2"}}},
			`security scheme "o": type "oauth2" is not`},
		{"enum that does not convert", func() []*kaito.Route {
			r := newRouter()
			kaito.Get(r, "/a", func(App, struct{}) (struct {
				N int `json:"n" enum:"1,two"`
			}, error) {
				return struct {
					N int `json:"n" enum:"1,two"`
				}{}, nil
			})
			return r.Routes()
		}, openapi.Config{}, `.N: tag enum: "two" is not an integer of int`},
		{"default that does not convert", func() []*kaito.Route {
			r := newRouter()
			kaito.Get(r, "/a", func(App, struct {
				B bool `query:"b" default:"yes"`
			}) (struct{}, error) {
				return struct{}{}, nil
			})
			return r.Routes()
		}, openapi.Config{}, `tag default: "yes" is not a boolean`},
		{"a type JSON cannot write", func() []*kaito.Route {
			r := newRouter()
			kaito.Get(r, "/a", func(App, struct{}) (chan int, error) { return nil, nil })
			return r.Routes()
		}, openapi.Config{}, `route GET /a: output chan int: type chan int cannot be written as JSON`},
		{"a malformed constraint tag", func() []*kaito.Route {
			r := newRouter()
			kaito.Get(r, "/a", func(App, struct{}) (struct {
				N int `json:"n" minLength:"1"`
			}, error) {
				return struct {
					N int `json:"n" minLength:"1"`
				}{}, nil
			})
			return r.Routes()
		}, openapi.Config{}, `route GET /a: output struct { N int "json:\"n\" minLength:\"1\"" }: struct { N int "json:\"n\" minLength:\"1\"" }: field N: tag minLength:"1"`},
		{"a malformed documentation tag", func() []*kaito.Route {
			r := newRouter()
			kaito.Get(r, "/a", func(App, struct{}) (struct {
				N int `json:"n" readOnly:"sure"`
			}, error) {
				return struct {
					N int `json:"n" readOnly:"sure"`
				}{}, nil
			})
			return r.Routes()
		}, openapi.Config{}, `readOnly:"sure" is neither true nor false`},
	}
	for _, c := range cases {
		var routes []*kaito.Route
		if c.routes != nil {
			routes = c.routes()
		}
		_, err := openapi.Build(routes, c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Build error = %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestTemplatePath(t *testing.T) {
	for in, want := range map[string]string{
		"/":                 "/",
		"/users/:id":        "/users/{id}",
		"/a/:x/b/:y":        "/a/{x}/b/{y}",
		"/files/*path":      "/files/{path}",
		"/v:version/info":   "/v{version}/info",
		"/static/file.json": "/static/file.json",
	} {
		if got := openapi.TemplatePath(in); got != want {
			t.Errorf("templatePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOperationID(t *testing.T) {
	for _, c := range []struct{ method, pattern, want string }{
		{"GET", "/", "getRoot"},
		{"GET", "/v1/users/:id", "getV1UsersById"},
		{"DELETE", "/user-groups/:group_id/members", "deleteUserGroupsByGroupIdMembers"},
		{"GET", "/files/*path", "getFilesByPath"},
	} {
		if got := openapi.OperationIDOf(c.method, c.pattern); got != c.want {
			t.Errorf("operationID(%s %s) = %q, want %q", c.method, c.pattern, got, c.want)
		}
	}
}

func TestReadableNames(t *testing.T) {
	for in, want := range map[string]string{
		"User":                                   "User",
		"Page[github.com/x/api.User]":            "PageUser",
		"Page[[]github.com/x/api.User]":          "PageUserList",
		"Pair[string,int]":                       "PairStringInt",
		"Map[string,example.com/v2.Item]":        "MapStringItem",
		"Wrap[map[string]github.com/a/b-c.Item]": "WrapMapStringItem",
	} {
		if got := openapi.Readable(in); got != want {
			t.Errorf("readable(%q) = %q, want %q", in, got, want)
		}
	}
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}

func compactJSON(b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

// 422 is documented exactly where the router may answer it: a Validate
// method, a constraint tag or a required field, also in a nested struct of
// the body or in the elements of an In that is not a struct, and a
// required query, header or cookie value.
func TestUnprocessableDocumented(t *testing.T) {
	type inner struct {
		X int `json:"x,omitempty" maximum:"3"`
	}
	type loose struct {
		X *int `json:"x"`
	}
	type requiredInner struct {
		X int `json:"x"`
	}
	r := kaito.New(func(*kaito.Request) (App, error) { return App{}, nil })
	ok := func(App, struct{}) (struct{}, error) { return struct{}{}, nil }
	kaito.Post(r, "/nested-constraint", func(App, struct {
		Items []inner `json:"items,omitempty"`
	}) (struct{}, error) {
		return struct{}{}, nil
	})
	kaito.Post(r, "/nested-required", func(App, struct {
		Item *requiredInner `json:"item"`
	}) (struct{}, error) {
		return struct{}{}, nil
	})
	kaito.Post(r, "/nothing", func(App, struct {
		Item *loose `json:"item"`
	}) (struct{}, error) {
		return struct{}{}, nil
	})
	kaito.Get(r, "/required-header", func(App, struct {
		Token string `header:"X-Token" required:"true"`
	}) (struct{}, error) {
		return struct{}{}, nil
	})
	kaito.Get(r, "/optional-query", func(App, struct {
		Page int `query:"page"`
	}) (struct{}, error) {
		return struct{}{}, nil
	})
	kaito.Get(r, "/none", ok)
	kaito.Post(r, "/list-constraint", func(App, []inner) (struct{}, error) { return struct{}{}, nil })
	kaito.Post(r, "/map-required", func(App, map[string]*requiredInner) (struct{}, error) { return struct{}{}, nil })
	kaito.Post(r, "/list-nothing", func(App, []loose) (struct{}, error) { return struct{}{}, nil })
	m := doc(t, r.Routes(), openapi.Config{})
	for path, want := range map[string]bool{"/nested-constraint": true, "/nested-required": true, "/nothing": false,
		"/required-header": true, "/optional-query": false, "/none": false,
		"/list-constraint": true, "/map-required": true, "/list-nothing": false} {
		method := "post"
		if at(m, "paths", path, "get") != nil {
			method = "get"
		}
		if got := at(m, "paths", path, method, "responses", "422") != nil; got != want {
			t.Errorf("%s: 422 documented = %v, want %v", path, got, want)
		}
	}
}

// TestSuccessStatus: the document states the status the router sends
// (kaito's TestResultStatus): under kaito.Status(202), Out's JSON and every
// result without a status of its own answer 202; NoContent, Redirect and
// File keep theirs.
func TestSuccessStatus(t *testing.T) {
	r := kaito.New(func(*kaito.Request) (App, error) { return App{}, nil })
	accepted := r.Group("", kaito.Status(202))
	kaito.Post(accepted, "/json", func(App, struct{}) (User, error) { return User{}, nil })
	kaito.Post(accepted, "/text", func(App, struct{}) (kaito.Text, error) { return "", nil })
	kaito.Post(accepted, "/blob", func(App, struct{}) (kaito.Blob, error) { return kaito.Blob{}, nil })
	kaito.Post(accepted, "/stream", func(App, struct{}) (kaito.Stream, error) { return kaito.Stream{}, nil })
	kaito.Post(accepted, "/sse", func(App, struct{}) (kaito.SSE, error) { return kaito.SSE{}, nil })
	kaito.Post(accepted, "/ticks", func(App, struct{}) (kaito.EventStream[Node], error) { return kaito.EventStream[Node]{}, nil })
	kaito.Post(accepted, "/custom", func(App, struct{}) (Custom, error) { return Custom{}, nil })
	kaito.Post(accepted, "/nocontent", func(App, struct{}) (kaito.NoContent, error) { return kaito.NoContent{}, nil })
	kaito.Post(accepted, "/redirect", func(App, struct{}) (kaito.Redirect, error) { return kaito.Redirect{}, nil })
	kaito.Post(accepted, "/file", func(App, struct{}) (kaito.File, error) { return kaito.File{}, nil })
	kaito.Post(r, "/plain-text", func(App, struct{}) (kaito.Text, error) { return "", nil })
	m := doc(t, r.Routes(), openapi.Config{})
	cases := []struct {
		path string
		want []string // the success statuses documented
	}{
		{"/json", []string{"202"}},
		{"/text", []string{"202"}},
		{"/blob", []string{"202"}},
		{"/stream", []string{"202"}},
		{"/sse", []string{"202"}},
		{"/ticks", []string{"202"}},
		{"/custom", []string{"202"}},
		{"/nocontent", []string{"204"}},
		{"/redirect", []string{"3XX"}},
		{"/file", []string{"200", "206", "304"}},
		{"/plain-text", []string{"200"}},
	}
	for _, c := range cases {
		responses, _ := at(m, "paths", c.path, "post", "responses").(map[string]any)
		var got []string
		for status := range responses {
			if status != "default" && status[0] < '4' {
				got = append(got, status)
			}
		}
		if !slices.Equal(sorted(got), c.want) {
			t.Errorf("%s: success statuses %v, want %v", c.path, got, c.want)
		}
	}
}

// TestNoContentStatus: under Status(204) or Status(205) the router sends
// no body, whatever Out is (JSON, Text, Blob, a stream): the document's
// response has no content.
func TestNoContentStatus(t *testing.T) {
	r := kaito.New(func(*kaito.Request) (App, error) { return App{}, nil })
	g := r.Group("", kaito.Status(http.StatusNoContent))
	kaito.Post(g, "/json", func(App, struct{}) (User, error) { return User{}, nil })
	kaito.Post(g, "/text", func(App, struct{}) (kaito.Text, error) { return "", nil })
	kaito.Post(g, "/blob", func(App, struct{}) (kaito.Blob, error) { return kaito.Blob{}, nil })
	kaito.Post(g, "/sse", func(App, struct{}) (kaito.SSE, error) { return kaito.SSE{}, nil })
	kaito.Post(g, "/ticks", func(App, struct{}) (kaito.EventStream[Node], error) { return kaito.EventStream[Node]{}, nil })
	reset := r.Group("/reset", kaito.Status(http.StatusResetContent))
	kaito.Post(reset, "/json", func(App, struct{}) (User, error) { return User{}, nil })
	m := doc(t, r.Routes(), openapi.Config{})
	for _, c := range []struct{ path, status string }{
		{"/json", "204"}, {"/text", "204"}, {"/blob", "204"}, {"/sse", "204"}, {"/ticks", "204"}, {"/reset/json", "205"},
	} {
		res, ok := at(m, "paths", c.path, "post", "responses", c.status).(map[string]any)
		if !ok {
			t.Errorf("%s: no %s response", c.path, c.status)
			continue
		}
		if content, has := res["content"]; has {
			t.Errorf("%s: the %s response has content %v", c.path, c.status, content)
		}
	}
}
