package fasthttp

import "io"

// StreamBody has fasthttp send size bytes of r as the response body after
// the handler returns, without reading them into memory, and close r then
// (kaito.BodyStreamer; kaito.File uses it).
func (x *exchange) StreamBody(r io.ReadCloser, size int64) {
	x.ctx.Response.SetBodyStream(r, int(size))
}
