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
