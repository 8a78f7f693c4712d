package nethttp

import (
	"net/http"

	"github.com/kaito-go/kaito"
)

// Raw returns the http.ResponseWriter and *http.Request behind req, for what
// the router does not do itself: upgrading to a websocket, http.ServeContent,
// net/http/pprof, handing the request to an http.Handler. ok is false when
// req is not served by this adapter (on fasthttp, say).
//
// A handler that answers through w returns kaito.Handled{}, so that the
// router does not write a second answer.
func Raw(req *kaito.Request) (w http.ResponseWriter, r *http.Request, ok bool) {
	x, ok := req.Exchange().(*exchange)
	if !ok {
		return nil, nil, false
	}
	return x.w, x.r, true
}

// NewExchange returns a kaito.Exchange over w and r that is not pooled, for
// kaito.NewRequest in tests (package kaitotest uses it).
func NewExchange(w http.ResponseWriter, r *http.Request) kaito.Exchange {
	return &exchange{w: w, r: r}
}
