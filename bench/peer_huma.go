package bench

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// huma v2, as its tutorial shows: typed operations registered with
// huma.Register on the standard library's ServeMux (adapters/humago), input
// validated by the JSON Schema built from the struct tags, encoding/json
// (huma's default format). One change from huma.DefaultConfig: its create
// hook that adds a "$schema" field and a Link header to every response is
// removed, so that huma sends the same body as every other peer.

func humaConfig() huma.Config {
	config := huma.DefaultConfig("bench", "1.0.0")
	config.CreateHooks = nil
	return config
}

type humaUserIn struct {
	ID int `path:"id"`
}

type humaUserOut struct {
	Body UserOut
}

type humaCreateIn struct {
	Body NewUser
}

type humaCreateOut struct {
	Body NewUser
}

func humaAPI() http.Handler {
	mux := http.NewServeMux()
	api := humago.New(mux, humaConfig())
	huma.Register(api, huma.Operation{OperationID: "get-user", Method: http.MethodGet, Path: "/users/{id}"},
		func(_ context.Context, in *humaUserIn) (*humaUserOut, error) {
			return &humaUserOut{Body: UserOut{ID: in.ID, Name: "gopher"}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/users", DefaultStatus: http.StatusCreated},
		func(_ context.Context, in *humaCreateIn) (*humaCreateOut, error) {
			return &humaCreateOut{Body: in.Body}, nil
		})
	return mux
}

func humaGitHub(routes []Route) http.Handler {
	mux := http.NewServeMux()
	api := humago.New(mux, humaConfig())
	h := func(context.Context, *struct{}) (*struct{}, error) { return nil, nil }
	for _, rt := range routes {
		huma.Register(api, huma.Operation{
			OperationID: strings.ToLower(rt.Method) + strings.NewReplacer("/", "-", "{", "", "}", "").Replace(rt.Pattern),
			Method:      rt.Method, Path: rt.Braces(), DefaultStatus: http.StatusNoContent,
		}, h)
	}
	return mux
}
