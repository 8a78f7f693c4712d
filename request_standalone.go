package kaito

import (
	"sort"

	"github.com/julienschmidt/httprouter"
)

// NewRequest returns a Request for x that belongs to no router, to test a
// context factory or a handler on its own; package kaitotest builds x from an
// *http.Request. params are the route parameters that Param and Params
// report, and Method is x's method (a test that wants another builds x with
// it: there is no method spoofing). opts configure the Request as they would
// configure the requests of a router made by New (a resolver, body limits,
// request ids...); an invalid option makes NewRequest panic, as it makes New
// panic.
//
// Unlike the Request a router hands out, this one is not reused: it stays
// valid until release is called, which removes what it left behind (the
// temporary files of multipart uploads). Call release once, when the test ends.
func NewRequest(x Exchange, params map[string]string, opts ...Option) (req *Request, release func()) {
	c := newCore(opts)
	req = new(Request)
	req.reset(c, x, x.Method())
	req.method = x.Method()
	if c.requestID {
		req.setRequestID()
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		req.params = append(req.params, httprouter.Param{Key: k, Value: params[k]})
	}
	return req, req.cleanup
}

// Exchange returns the runtime's view of the request and its response, or
// nil for the zero Request. The adapters give typed access to what is behind
// it: nethttp.Raw returns the http.ResponseWriter and *http.Request, and
// fasthttp.RequestCtx the *fasthttp.RequestCtx.
func (req *Request) Exchange() Exchange { return req.x }
