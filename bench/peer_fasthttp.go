package bench

import (
	"bytes"
	"net/netip"
	"strconv"
	"unsafe"

	"github.com/fasthttp/router"
	gojson "github.com/goccy/go-json"
	"github.com/valyala/fasthttp"
)

// The fasthttp baseline: a hand-written fasthttp.RequestHandler with
// go-json and no router (the four paths are told apart by hand). It is the
// limit for the fasthttp peers. fasthttp/router is the same handlers on
// that router.

func fastJSON(ctx *fasthttp.RequestCtx, status int, v any) {
	b, err := gojson.Marshal(v)
	if err != nil {
		ctx.Error("encoding", fasthttp.StatusInternalServerError)
		return
	}
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(b)
}

// b2s views b as a string without copying, as fasthttp does internally: the
// string must not outlive the handler.
func b2s(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func fastUser(ctx *fasthttp.RequestCtx, id string) {
	n, err := strconv.Atoi(id)
	if err != nil {
		ctx.Error("bad id", fasthttp.StatusBadRequest)
		return
	}
	fastJSON(ctx, fasthttp.StatusOK, UserOut{ID: n, Name: "gopher"})
}

func fastCreate(ctx *fasthttp.RequestCtx) {
	var u NewUser
	if err := gojson.Unmarshal(ctx.PostBody(), &u); err != nil {
		ctx.Error("malformed JSON", fasthttp.StatusBadRequest)
		return
	}
	if err := u.Validate(); err != nil {
		ctx.Error(err.Error(), fasthttp.StatusUnprocessableEntity)
		return
	}
	fastJSON(ctx, fasthttp.StatusCreated, u)
}

func fastCreatePlain(ctx *fasthttp.RequestCtx) {
	var u NewUserPlain
	if err := gojson.Unmarshal(ctx.PostBody(), &u); err != nil {
		ctx.Error("malformed JSON", fasthttp.StatusBadRequest)
		return
	}
	if err := u.Validate(); err != nil {
		ctx.Error(err.Error(), fasthttp.StatusUnprocessableEntity)
		return
	}
	fastJSON(ctx, fasthttp.StatusCreated, u)
}

func fastCreateTagged(ctx *fasthttp.RequestCtx) {
	var u NewUserTagged
	body := ctx.PostBody()
	if err := gojson.Unmarshal(body, &u); err != nil {
		ctx.Error("malformed JSON", fasthttp.StatusBadRequest)
		return
	}
	if err := u.ValidateTagged(body); err != nil {
		ctx.Error(err.Error(), fasthttp.StatusUnprocessableEntity)
		return
	}
	fastJSON(ctx, fasthttp.StatusCreated, u)
}

func fastIP(ctx *fasthttp.RequestCtx) {
	peer, _ := netip.AddrFromSlice(ctx.RemoteIP())
	var buf [4]string
	lines := buf[:0]
	for _, v := range ctx.Request.Header.PeekAll("X-Forwarded-For") {
		lines = append(lines, b2s(v))
	}
	fastJSON(ctx, fasthttp.StatusOK, IPOut{IP: handClientIP(peer, lines).String()})
}

func fastAccepts(ctx *fasthttp.RequestCtx) {
	fastJSON(ctx, fasthttp.StatusOK, AcceptsOut{Type: handAccepts(b2s(ctx.Request.Header.Peek("Accept")))})
}

func fasthttpAPI() fasthttp.RequestHandler {
	users := []byte("/users/")
	return func(ctx *fasthttp.RequestCtx) {
		path := ctx.Path()
		switch {
		case ctx.IsGet() && bytes.HasPrefix(path, users) && bytes.IndexByte(path[len(users):], '/') < 0:
			fastUser(ctx, b2s(path[len(users):]))
		case ctx.IsPost() && string(path) == "/users":
			fastCreate(ctx)
		case ctx.IsPost() && string(path) == "/users/tagged":
			fastCreateTagged(ctx)
		case ctx.IsPost() && string(path) == "/users/plain":
			fastCreatePlain(ctx)
		case ctx.IsGet() && string(path) == "/ip":
			fastIP(ctx)
		case ctx.IsGet() && string(path) == "/accepts":
			fastAccepts(ctx)
		default:
			ctx.Error("not found", fasthttp.StatusNotFound)
		}
	}
}

func fasthttpRouterAPI() fasthttp.RequestHandler {
	r := router.New()
	r.GET("/users/{id}", func(ctx *fasthttp.RequestCtx) { fastUser(ctx, ctx.UserValue("id").(string)) })
	r.POST("/users", fastCreate)
	return r.Handler
}

func fasthttpRouterGitHub(routes []Route) fasthttp.RequestHandler {
	r := router.New()
	h := func(ctx *fasthttp.RequestCtx) { ctx.SetStatusCode(fasthttp.StatusNoContent) }
	for _, rt := range routes {
		r.Handle(rt.Method, rt.Braces(), h)
	}
	return r.Handler
}
