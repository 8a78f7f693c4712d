package bench

import (
	"net/http"

	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
	kfast "github.com/kaito-go/kaito/adapters/fasthttp"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/ip"
)

// kaito, as its README shows: the application's context built per request,
// typed inputs and outputs, one router served on either adapter.

// App is the context kaito's handlers receive.
type App struct {
	Req *kaito.Request
}

func kaitoRouter() *kaito.Router[App] {
	res, err := ip.New(ip.TrustProxies(TrustedProxies...), ip.FromXForwardedFor())
	if err != nil {
		panic(err)
	}
	r := kaito.New(func(req *kaito.Request) (App, error) { return App{Req: req}, nil }, kaito.WithResolver(res))

	kaito.Get(r, "/users/:id", func(_ App, in struct {
		ID int `path:"id"`
	}) (UserOut, error) {
		return UserOut{ID: in.ID, Name: "gopher"}, nil
	})
	kaito.Post(r, "/users", func(_ App, in NewUser) (NewUser, error) {
		return in, nil
	}, kaito.Status(http.StatusCreated))
	kaito.Post(r, "/users/plain", func(_ App, in NewUserPlain) (NewUserPlain, error) {
		return in, nil
	}, kaito.Status(http.StatusCreated))
	kaito.Post(r, "/users/tagged", func(_ App, in NewUserTagged) (NewUserTagged, error) {
		return in, nil
	}, kaito.Status(http.StatusCreated))
	kaito.Get(r, "/ip", func(c App, _ struct{}) (IPOut, error) {
		return IPOut{IP: c.Req.IP()}, nil
	})
	kaito.Get(r, "/accepts", func(c App, _ struct{}) (AcceptsOut, error) {
		return AcceptsOut{Type: c.Req.Accepts("json", "html")}, nil
	})
	return r
}

func kaitoGitHubRouter(routes []Route) *kaito.Router[App] {
	r := kaito.New(func(req *kaito.Request) (App, error) { return App{Req: req}, nil })
	h := func(App, struct{}) (kaito.NoContent, error) { return kaito.NoContent{}, nil }
	for _, rt := range routes {
		kaito.Handle(r, rt.Method, rt.Pattern, h)
	}
	return r
}

func kaitoNetHTTP() http.Handler             { return nethttp.Handler(kaitoRouter()) }
func kaitoFastHTTP() fasthttp.RequestHandler { return kfast.Handler(kaitoRouter()) }
func kaitoNetHTTPGitHub(routes []Route) http.Handler {
	return nethttp.Handler(kaitoGitHubRouter(routes))
}
func kaitoFastHTTPGitHub(routes []Route) fasthttp.RequestHandler {
	return kfast.Handler(kaitoGitHubRouter(routes))
}
