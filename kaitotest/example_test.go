package kaitotest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/kaitotest"
)

// A router is exercised on both adapters from one test, without a socket.
func ExampleNew() {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil })
	kaito.Get(r, "/hello/:name", func(_ *kaito.Request, in struct {
		Name string `path:"name"`
	}) (map[string]string, error) {
		return map[string]string{"hello": in.Name}, nil
	})

	t := &testing.T{} // in a real test, the *testing.T the test receives
	for _, a := range kaitotest.Adapters {
		res := kaitotest.New(t, r, a).Get("/hello/gopher")
		fmt.Println(a, res.StatusCode, kaitotest.Body(t, res))
	}
	// Output:
	// nethttp 200 {"hello":"gopher"}
	// fasthttp 200 {"hello":"gopher"}
}

// A context factory is tested on its own, with a Request built from an
// *http.Request.
func ExampleNewRequest() {
	type user struct{ Name string }
	factory := func(req *kaito.Request) (user, error) {
		if req.Header("Authorization") != "Bearer ada" {
			return user{}, kaito.NewError(http.StatusUnauthorized, "sign in")
		}
		return user{Name: "ada"}, nil
	}

	t := &testing.T{} // in a real test, the *testing.T the test receives
	r := httptest.NewRequest(http.MethodGet, "/me", nil)
	r.Header.Set("Authorization", "Bearer ada")
	u, err := factory(kaitotest.NewRequest(t, r, nil))
	fmt.Println(u.Name, err)
	// Output: ada <nil>
}
