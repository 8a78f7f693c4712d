package kaito_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/kaito-go/kaito"
)

type docIn struct {
	ID int `path:"id"`
}

type docOut struct {
	Name string `json:"name"`
}

func TestRouteDoc(t *testing.T) {
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	get := kaito.Get(r, "/items/:id", func(struct{}, docIn) (docOut, error) { return docOut{}, nil },
		kaito.Summary("Get an item"), kaito.Description("Long text."), kaito.OperationID("getItem"),
		kaito.Tags("items", "read", "items"), kaito.Errors(404, 404, 401), kaito.Deprecated(), kaito.Security("bearer"))
	if got, want := get.Input(), reflect.TypeFor[docIn](); got != want {
		t.Errorf("Input() = %v, want %v", got, want)
	}
	if got, want := get.Output(), reflect.TypeFor[docOut](); got != want {
		t.Errorf("Output() = %v, want %v", got, want)
	}
	want := kaito.RouteDoc{Summary: "Get an item", Description: "Long text.", OperationID: "getItem",
		Tags: []string{"items", "read"}, Security: []string{"bearer"}, Errors: []int{401, 404}, Deprecated: true}
	if got := get.Doc(); !reflect.DeepEqual(got, want) {
		t.Errorf("Doc() = %+v, want %+v", got, want)
	}
	d := get.Doc()
	d.Tags[0] = "changed"
	if get.Doc().Tags[0] != "items" {
		t.Error("Doc() shares its Tags with the route")
	}
	if got := get.SuccessStatus(); got != http.StatusOK {
		t.Errorf("SuccessStatus() = %d, want 200", got)
	}
	post := kaito.Post(r, "/items", func(struct{}, struct{}) (kaito.NoContent, error) { return kaito.NoContent{}, nil },
		kaito.Status(http.StatusCreated), kaito.Hidden())
	if got := post.SuccessStatus(); got != http.StatusCreated {
		t.Errorf("SuccessStatus() = %d, want 201", got)
	}
	if !post.Doc().Hidden {
		t.Error("Hidden() did not hide the route")
	}
	if d := post.Doc(); d.Tags != nil || d.Errors != nil || d.Security != nil {
		t.Errorf("a route without options has documentation %+v", d)
	}
}

// Group and Through pass their options to every route under them, after
// their parent's and before the route's own, and a sibling router does not
// see them.
func TestRouteDocInherited(t *testing.T) {
	type authed struct{}
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	v1 := r.Group("/v1", kaito.Tags("v1"), kaito.Errors(503))
	admin := kaito.Through(v1, func(struct{}) (authed, error) { return authed{}, nil },
		kaito.Security("bearer"), kaito.Errors(401), kaito.Tags("admin"))
	users := admin.Group("/users", kaito.Tags("users"))
	other := v1.Group("/other")

	h := func(authed, struct{}) (struct{}, error) { return struct{}{}, nil }
	rt := kaito.Get(users, "/:id", h, kaito.Errors(404), kaito.Security("apiKey"), kaito.Tags("v1"))
	want := kaito.RouteDoc{Tags: []string{"v1", "admin", "users"}, Security: []string{"bearer", "apiKey"}, Errors: []int{401, 404, 503}}
	if got := rt.Doc(); !reflect.DeepEqual(got, want) {
		t.Errorf("Doc() = %+v, want %+v", got, want)
	}
	if got := rt.Pattern(); got != "/v1/users/:id" {
		t.Errorf("Pattern() = %q", got)
	}
	sib := kaito.Get(other, "/x", func(struct{}, struct{}) (struct{}, error) { return struct{}{}, nil })
	want = kaito.RouteDoc{Tags: []string{"v1"}, Errors: []int{503}}
	if got := sib.Doc(); !reflect.DeepEqual(got, want) {
		t.Errorf("sibling Doc() = %+v, want %+v", got, want)
	}
	top := kaito.Get(r, "/top", func(struct{}, struct{}) (struct{}, error) { return struct{}{}, nil })
	if got := top.Doc(); !reflect.DeepEqual(got, kaito.RouteDoc{}) {
		t.Errorf("the root router's route has documentation %+v", got)
	}

	// A mounted router's routes keep their documentation.
	child := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	kaito.Get(child.Group("", kaito.Tags("child")), "/c", func(struct{}, struct{}) (struct{}, error) { return struct{}{}, nil })
	kaito.Mount(r, "/m", child)
	for _, rt := range r.Routes() {
		if rt.Pattern() == "/m/c" {
			if got := rt.Doc().Tags; !reflect.DeepEqual(got, []string{"child"}) {
				t.Errorf("mounted route Tags = %v", got)
			}
			return
		}
	}
	t.Error("the mounted route is missing")
}

func TestRouteOptionPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"Errors(200)":    func() { kaito.Errors(404, 200) },
		"Errors(600)":    func() { kaito.Errors(600) },
		"Security(\"\")": func() { kaito.Security("") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestJSONTypes(t *testing.T) {
	factory := func(*kaito.Request) (struct{}, error) { return struct{}{}, nil }
	if got := kaito.New(factory).JSONTypes(); got != nil {
		t.Errorf("JSONTypes() with the default list = %q, want nil", got)
	}
	r := kaito.New(factory, kaito.WithJSONTypes("application/json", "application/x-amz-json-1.1"))
	got := r.JSONTypes()
	if want := []string{"application/json", "application/x-amz-json-1.1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("JSONTypes() = %q, want %q", got, want)
	}
	got[0] = "changed"
	if r.Group("/g").JSONTypes()[0] != "application/json" {
		t.Error("JSONTypes() shares the router's list")
	}
}
