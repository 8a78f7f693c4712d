package kaito

import "fmt"

// Endpoint declares one route once, its method, pattern, In and Out, in a
// package that the server and its clients both import. The server implements
// it with Implement, and package client calls it with Do: a handler or a
// call whose types do not match the endpoint's does not compile.
type Endpoint[In, Out any] struct {
	method, pattern string
	opts            []RouteOption
}

// NewEndpoint declares an endpoint. pattern uses httprouter's syntax
// (/users/:id) and is relative to the router the endpoint is implemented
// on; a client's base URL carries that router's prefix. opts are applied to
// the route Implement registers, before Implement's own. NewEndpoint panics
// if the method is not an upper-case token or the pattern does not begin
// with '/'.
func NewEndpoint[In, Out any](method, pattern string, opts ...RouteOption) Endpoint[In, Out] {
	if !validMethod(method) {
		panic(fmt.Sprintf("kaito: NewEndpoint: invalid method %q", method))
	}
	if pattern == "" || pattern[0] != '/' {
		panic(fmt.Sprintf("kaito: NewEndpoint(%s %q): a pattern begins with '/'", method, pattern))
	}
	return Endpoint[In, Out]{method: method, pattern: pattern, opts: opts}
}

// Method returns the endpoint's method, e.g. "GET".
func (e Endpoint[In, Out]) Method() string { return e.method }

// Pattern returns the endpoint's pattern, relative to the router that
// implements it, e.g. "/users/:id".
func (e Endpoint[In, Out]) Pattern() string { return e.pattern }

// Options returns the route options the endpoint was declared with.
func (e Endpoint[In, Out]) Options() []RouteOption { return e.opts }

// Implement registers h as the endpoint e on r, as Handle registers a route:
// e's options first, then opts. It panics as Handle does, and if e is the
// zero Endpoint.
func Implement[C, In, Out any](r *Router[C], e Endpoint[In, Out], h func(ctx C, in In) (Out, error), opts ...RouteOption) *Route {
	if e.method == "" {
		panic("kaito: Implement: the zero Endpoint; declare it with NewEndpoint")
	}
	all := append(append([]RouteOption(nil), e.opts...), opts...)
	return Handle(r, e.method, e.pattern, h, all...)
}
