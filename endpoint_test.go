package kaito_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/kaitotest"
)

type epUser struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type epGetUser struct {
	ID int `path:"id"`
}

var (
	epGet    = kaito.NewEndpoint[epGetUser, epUser](http.MethodGet, "/users/:id", kaito.Status(http.StatusOK))
	epCreate = kaito.NewEndpoint[epUser, epUser](http.MethodPost, "/users", kaito.Status(http.StatusCreated))
	epTicks  = kaito.NewEndpoint[struct{}, kaito.EventStream[epUser]](http.MethodGet, "/ticks")
)

func TestImplement(t *testing.T) {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil })
	v1 := r.Group("/v1")
	get := kaito.Implement(v1, epGet, func(_ *kaito.Request, in epGetUser) (epUser, error) {
		return epUser{ID: in.ID, Name: "ada"}, nil
	})
	kaito.Implement(v1, epCreate, func(_ *kaito.Request, in epUser) (epUser, error) { return in, nil })
	kaito.Implement(v1, epTicks, func(_ *kaito.Request, _ struct{}) (kaito.EventStream[epUser], error) {
		return kaito.EventStream[epUser]{Source: func(send func(kaito.TypedEvent[epUser]) error) error {
			for i := 1; i <= 3; i++ {
				if err := send(kaito.TypedEvent[epUser]{ID: string(rune('0' + i)), Data: epUser{ID: i, Name: "tick\nline"}}); err != nil {
					return err
				}
			}
			return nil
		}}, nil
	})
	if get.Pattern() != "/v1/users/:id" || get.Method() != http.MethodGet || epGet.Pattern() != "/users/:id" || epGet.Method() != http.MethodGet {
		t.Errorf("route %s %s, endpoint %s %s", get.Method(), get.Pattern(), epGet.Method(), epGet.Pattern())
	}
	for _, a := range kaitotest.Adapters {
		t.Run(a.String(), func(t *testing.T) {
			c := kaitotest.New(t, r, a)
			if res := c.Get("/v1/users/7"); res.StatusCode != 200 || kaitotest.Body(t, res) != `{"id":7,"name":"ada"}` {
				t.Errorf("get: %d", res.StatusCode)
			}
			if res := c.Post("/v1/users", "application/json", `{"id":2,"name":"bob"}`); res.StatusCode != 201 {
				t.Errorf("create: %d, want the endpoint's 201", res.StatusCode)
			}
			res := c.Get("/v1/ticks")
			want := "id: 1\ndata: {\"id\":1,\"name\":\"tick\\nline\"}\n\nid: 2\ndata: {\"id\":2,\"name\":\"tick\\nline\"}\n\nid: 3\ndata: {\"id\":3,\"name\":\"tick\\nline\"}\n\n"
			if body := kaitotest.Body(t, res); body != want || res.Header.Get("Content-Type") != "text/event-stream" {
				t.Errorf("event stream %q (%s), want %q", body, res.Header.Get("Content-Type"), want)
			}
		})
	}
}

func TestNewEndpointRefusesBadDeclarations(t *testing.T) {
	for _, tt := range []struct{ method, pattern, want string }{
		{"get", "/x", "invalid method"},
		{"GET", "x", "begins with '/'"},
		{"GET", "", "begins with '/'"},
	} {
		func() {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(p.(string), tt.want) {
					t.Errorf("NewEndpoint(%q, %q): panic %v, want %q", tt.method, tt.pattern, p, tt.want)
				}
			}()
			kaito.NewEndpoint[struct{}, struct{}](tt.method, tt.pattern)
		}()
	}
}

// A handler whose types differ from the endpoint's does not compile.
func TestImplementMismatchDoesNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the compiler")
	}
	root, _ := filepath.Abs(".")
	src, err := os.ReadFile(filepath.Join("testdata", "implement_mismatch", "main.go.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, _ := os.ReadFile("go.sum")
	files := map[string]string{
		"go.mod":  "module mismatch\n\ngo 1.25.0\n\nrequire github.com/kaito-go/kaito v0.0.0\n\nreplace github.com/kaito-go/kaito => " + root + "\n",
		"go.sum":  string(sum),
		"main.go": string(src),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "build", "-o", os.DevNull, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("a handler returning string implemented an endpoint of User: it compiled")
	}
	if !strings.Contains(string(out), "main.go:19") || !strings.Contains(string(out), "string") {
		t.Errorf("the build failed, but not at the mismatched handler:\n%s", out)
	}
}
