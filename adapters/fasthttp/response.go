package fasthttp

import (
	"io"
	"strings"
)

// StreamBody has fasthttp send size bytes of r as the response body after
// the handler returns, without reading them into memory, and close r then
// (kaito.BodyStreamer; kaito.File uses it).
func (x *exchange) StreamBody(r io.ReadCloser, size int64) {
	x.ctx.Response.SetBodyStream(r, int(size))
}

// KeepOnly deletes every response header that keep refuses, for an error
// answer that replaces what the handler meant to send.
func (r *responseHeader) KeepOnly(keep func(name string) bool) {
	var drop []string
	for k := range r.h.All() {
		if name := string(k); !keep(name) && !strings.EqualFold(name, "Server") {
			drop = append(drop, name)
		}
	}
	for _, name := range drop {
		r.h.Del(name)
	}
}
