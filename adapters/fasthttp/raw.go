package fasthttp

import (
	"github.com/valyala/fasthttp"

	"github.com/kaito-go/kaito"
)

// RequestCtx returns the *fasthttp.RequestCtx behind req, for what the router
// does not do itself (a websocket upgrade with a fasthttp websocket library,
// say). ok is false when req is not served by this adapter. The RequestCtx
// belongs to fasthttp and is reused after the handler returns: do not keep it.
func RequestCtx(req *kaito.Request) (ctx *fasthttp.RequestCtx, ok bool) {
	x, ok := req.Exchange().(*exchange)
	if !ok || x.ctx == nil {
		return nil, false
	}
	return x.ctx, true
}
