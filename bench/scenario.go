package bench

import (
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// Scenario is one of the measured workloads.
type Scenario int

const (
	User         Scenario = iota // 1: GET /users/:id
	Create                       // 2: POST /users, bound, validated, 201
	GitHub                       // 3: the 203 GitHub API routes, each once
	ClientIP                     // 4: the client behind a trusted 3-hop X-Forwarded-For
	Accepts                      // 5: Accepts("json", "html") for Chrome's Accept
	CreateTagged                 // 6: POST /users, bound, validated by constraint tags, 201
	CreatePlain                  // 7: POST /users, bound, validated by Validate alone, 201
)

// Scenarios lists every scenario in order.
var Scenarios = []Scenario{User, Create, GitHub, ClientIP, Accepts, CreateTagged, CreatePlain}

// Name is the scenario's benchmark name: BenchmarkUser, BenchmarkCreate ...
func (s Scenario) Name() string {
	return [...]string{"User", "Create", "GitHub", "ClientIP", "Accepts", "CreateTagged", "CreatePlain"}[s]
}

// Title describes the scenario in tables and the chart.
func (s Scenario) Title() string {
	return [...]string{
		"1. GET /users/:id",
		"2. POST /users (bind + validate, 201)",
		"3. GitHub API, 203 routes per op",
		"4. client IP, trusted 3-hop X-Forwarded-For",
		"5. Accepts(json, html), Chrome's Accept",
		"6. POST /users (bind + constraint tags, 201)",
		"7. POST /users (bind + Validate, no tags, 201)",
	}[s]
}

// UserOut is scenario 1's response.
type UserOut struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// NewUser is scenario 2's body and response. The tags carry the same rules
// for every peer's validator: gin's binding, go-playground's validate (echo,
// Fiber), huma's JSON Schema keywords; kaito, the hand-written handlers, chi
// and ServeMux call Validate.
type NewUser struct {
	Name       string   `json:"name" binding:"required" validate:"required" minLength:"1"`
	Email      string   `json:"email" binding:"required,contains=@" validate:"required,contains=@" pattern:"@"`
	Age        int      `json:"age" binding:"gte=0,lte=150" validate:"gte=0,lte=150" minimum:"0" maximum:"150"`
	City       string   `json:"city"`
	Bio        string   `json:"bio"`
	Tags       []string `json:"tags"`
	Newsletter bool     `json:"newsletter"`
}

// Validate applies scenario 2's rules: a name, an email with an @, an age
// of 0 to 150.
func (u *NewUser) Validate() error {
	switch {
	case u.Name == "":
		return errors.New("name is required")
	case !strings.Contains(u.Email, "@"):
		return errors.New("email must contain @")
	case u.Age < 0 || u.Age > 150:
		return errors.New("age must be 0 to 150")
	}
	return nil
}

// NewUserPlain is scenario 7's body and response: NewUser's fields with
// their json tags only, validated by its Validate method alone. It is the
// typed POST without constraint tags, which DESIGN holds to 1.15× the
// hand-written handlers (scenario 2's NewUser carries huma's tags, which
// kaito checks too).
type NewUserPlain struct {
	Name       string   `json:"name"`
	Email      string   `json:"email"`
	Age        int      `json:"age"`
	City       string   `json:"city"`
	Bio        string   `json:"bio"`
	Tags       []string `json:"tags"`
	Newsletter bool     `json:"newsletter"`
}

// Validate applies scenario 2's rules, as NewUser.Validate does.
func (u *NewUserPlain) Validate() error { return (*NewUser)(u).Validate() }

// NewUserTagged is scenario 6's body and response: NewUser's fields, with
// constraint tags in place of a Validate method. kaito checks the tags, and
// the presence of every field (a plain body field is required); the
// hand-written handlers make the same checks by hand (ValidateTagged).
type NewUserTagged struct {
	Name       string   `json:"name" minLength:"1" maxLength:"100"`
	Email      string   `json:"email" pattern:"@"`
	Age        int      `json:"age" minimum:"0" maximum:"150"`
	City       string   `json:"city" minLength:"2"`
	Bio        string   `json:"bio" maxLength:"500"`
	Tags       []string `json:"tags" maxItems:"10" uniqueItems:"true"`
	Newsletter bool     `json:"newsletter"`
}

// ValidateTagged makes by hand the checks kaito makes of a NewUserTagged
// decoded from body: the constraint tags, and, when a field holds its zero
// value, that its key was sent (not absent or null).
func (u *NewUserTagged) ValidateTagged(body []byte) error {
	if u.Name == "" || u.Email == "" || u.Age == 0 || u.City == "" || u.Bio == "" || u.Tags == nil || !u.Newsletter {
		var keys map[string]gojson.RawMessage
		if err := gojson.Unmarshal(body, &keys); err != nil {
			return err
		}
		for _, k := range []string{"name", "email", "age", "city", "bio", "tags", "newsletter"} {
			if v, ok := keys[k]; !ok || string(v) == "null" {
				return errors.New(k + " is required")
			}
		}
	}
	switch n := utf8.RuneCountInString(u.Name); {
	case n < 1 || n > 100:
		return errors.New("name must be 1 to 100 characters long")
	case !strings.Contains(u.Email, "@"):
		return errors.New("email must contain @")
	case u.Age < 0 || u.Age > 150:
		return errors.New("age must be 0 to 150")
	case utf8.RuneCountInString(u.City) < 2:
		return errors.New("city must be at least 2 characters long")
	case utf8.RuneCountInString(u.Bio) > 500:
		return errors.New("bio must be at most 500 characters long")
	case len(u.Tags) > 10:
		return errors.New("tags must have at most 10 items")
	}
	for i, t := range u.Tags {
		if slices.Contains(u.Tags[i+1:], t) {
			return errors.New("tags must not contain duplicate items")
		}
	}
	return nil
}

// IPOut is scenario 4's response.
type IPOut struct {
	IP string `json:"ip"`
}

// AcceptsOut is scenario 5's response.
type AcceptsOut struct {
	Type string `json:"type"`
}

// The fixed inputs of the scenarios.
const (
	// CreateBody is scenario 2's 200-byte body, compact and in field order,
	// so that the echoed response is the same bytes.
	CreateBody = `{"name":"Gopher McGopherface","email":"gopher@example.com","age":13,"city":"Mountain View","bio":"Writes routers, reads RFCs, benchmarks twice.","tags":["go","http","json","router"],"newsletter":true}`
	// BadCreateBody breaks the email rule: every peer must refuse it.
	BadCreateBody = `{"name":"Gopher","email":"not-an-email","age":13,"city":"","bio":"","tags":[],"newsletter":false}`

	// BadCreateTaggedBody repeats a tag: every peer of scenario 6 must
	// refuse it.
	BadCreateTaggedBody = `{"name":"Gopher","email":"gopher@example.com","age":13,"city":"Mountain View","bio":"x","tags":["go","go"],"newsletter":true}`

	// PeerIP is the socket peer of every request: a trusted proxy.
	PeerIP   = "10.0.0.1"
	PeerPort = 41234
	// XFF is a 3-hop X-Forwarded-For: the client, then two trusted proxies.
	XFF = "203.0.113.195, 192.168.1.20, 10.1.2.3"
	// Client is the address every peer must find behind XFF.
	Client = "203.0.113.195"

	// ChromeAccept is the Accept header Chrome sends for a page.
	ChromeAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)

// TrustedProxies are the ranges every peer trusts in scenario 4.
var TrustedProxies = []string{"10.0.0.0/8", "192.168.0.0/16"}

// Case is one request and the answer every peer must give.
type Case struct {
	Method, Path string
	Header       [][2]string
	Body         string
	Status       int
	Want         string // the body, compared without a trailing newline
}

// Cases holds the request of each scenario but GitHub, whose requests are
// GitHubCases.
var Cases = map[Scenario]Case{
	User:   {Method: "GET", Path: "/users/42", Status: 200, Want: `{"id":42,"name":"gopher"}`},
	Create: {Method: "POST", Path: "/users", Header: [][2]string{{"Content-Type", "application/json"}}, Body: CreateBody, Status: 201, Want: CreateBody},
	ClientIP: {Method: "GET", Path: "/ip", Header: [][2]string{{"X-Forwarded-For", XFF}}, Status: 200,
		Want: `{"ip":"` + Client + `"}`},
	Accepts: {Method: "GET", Path: "/accepts", Header: [][2]string{{"Accept", ChromeAccept}}, Status: 200, Want: `{"type":"html"}`},
	// Scenario 2's body, which keeps every rule of NewUserTagged.
	CreateTagged: {Method: "POST", Path: "/users/tagged", Header: [][2]string{{"Content-Type", "application/json"}}, Body: CreateBody, Status: 201, Want: CreateBody},
	CreatePlain:  {Method: "POST", Path: "/users/plain", Header: [][2]string{{"Content-Type", "application/json"}}, Body: CreateBody, Status: 201, Want: CreateBody},
}

// BadCreate must be refused with a 4xx by every peer: it proves that
// validation runs.
var BadCreate = Case{Method: "POST", Path: "/users", Header: [][2]string{{"Content-Type", "application/json"}}, Body: BadCreateBody}

// BadCreatePlain breaks the email rule: every peer of scenario 7 must
// refuse it.
var BadCreatePlain = Case{Method: "POST", Path: "/users/plain", Header: [][2]string{{"Content-Type", "application/json"}}, Body: BadCreateBody}

// BadCreateTagged must be refused with a 4xx by every peer of scenario 6.
var BadCreateTagged = Case{Method: "POST", Path: "/users/tagged", Header: [][2]string{{"Content-Type", "application/json"}}, Body: BadCreateTaggedBody}

// BadCreateTaggedMissing leaves out a field whose value would be zero:
// every peer of scenario 6 must refuse it.
var BadCreateTaggedMissing = Case{Method: "POST", Path: "/users/tagged", Header: [][2]string{{"Content-Type", "application/json"}},
	Body: `{"name":"Gopher","email":"gopher@example.com","age":13,"city":"Mountain View","bio":"x","tags":["go"]}`}
