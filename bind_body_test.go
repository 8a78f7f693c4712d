package kaito_test

import (
	"fmt"
	"testing"

	"github.com/kaito-go/kaito"
)

func TestBodyKeyNamedLikeATaggedField(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Post(r, "/u/:id", func(_ *kaito.Request, in struct {
		ID   int    `path:"id"`
		Name string `json:"name"`
	}) (string, error) {
		return fmt.Sprint(in.ID, in.Name), nil
	})
	onEvery(t, serve(r), call{method: "POST", target: "/u/7", headers: [][2]string{{"Content-Type", "application/json"}}, body: `{"id":"x","ID":"y","name":"ann"}`},
		expect{200, nil, `"7ann"`}.check)
}

func TestEmptyValuesAreAbsent(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Get(r, "/p", func(_ *kaito.Request, in struct {
		Page *int   `query:"page"`
		N    int    `query:"n"`
		S    string `query:"s"`
	}) (string, error) {
		return fmt.Sprint(in.Page == nil, in.N, "["+in.S+"]"), nil
	})
	onEvery(t, serve(r), call{target: "/p?page=&n=&s="}, expect{200, nil, `"true 0[]"`}.check)
}

// A form field's name matches keys of any case; of several keys for one
// field the one of its exact name wins, else the least (in byte order), the
// same on every request: a form is a map, and the key its iteration met
// last used to win (a different one from request to request).
func TestFormKeysOfOneFieldInSeveralCases(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Post(r, "/f", func(_ *kaito.Request, in struct {
		Role string `json:"role" required:"false"`
	}) (string, error) {
		return in.Role, nil
	})
	s := serve(r)
	form := [2]string{"Content-Type", "application/x-www-form-urlencoded"}
	mpBody, mp := multipartBody(t, [][2]string{{"Role", "a"}, {"rOLE", "d"}, {"ROLE", "c"}}, nil)
	for _, tc := range []struct {
		name string
		c    call
		want string
	}{
		{"exact name", call{method: "POST", target: "/f", headers: [][2]string{form}, body: "Role=a&role=b&ROLE=c&rOLE=d"}, `"b"`},
		{"least key", call{method: "POST", target: "/f", headers: [][2]string{form}, body: "Role=a&rOLE=d&ROLE=c"}, `"c"`},
		{"one key", call{method: "POST", target: "/f", headers: [][2]string{form}, body: "rOLE=d"}, `"d"`},
		{"multipart, least key", call{method: "POST", target: "/f", headers: [][2]string{{"Content-Type", mp}}, body: mpBody}, `"c"`},
	} {
		for _, a := range adapters {
			t.Run(tc.name+"/"+a.name, func(t *testing.T) {
				// The map's order changes from one request to the next.
				for range 20 {
					want := expect{200, nil, tc.want}
					if want.check(t, a.do(t, s, tc.c)); t.Failed() {
						return
					}
				}
			})
		}
	}
}
