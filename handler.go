package kaito

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"unsafe"

	"github.com/kaito-go/kaito/internal/typemodel"
)

// Route is a registered route. Name it with As; read it back from a request
// with Request.Route.
type Route struct {
	method    string
	pattern   string
	name      string
	status    int
	bodyLimit int64
	serve     func(req *Request)

	in, out    reflect.Type // the handler's In and Out, for documentation
	doc        RouteDoc
	middleware []Middleware

	shape string
	ranks []int
}

// Method returns the route's method, e.g. "GET".
func (rt *Route) Method() string { return rt.method }

// Pattern returns the route's full pattern, prefixes included, e.g. "/v1/users/:id".
func (rt *Route) Pattern() string { return rt.pattern }

// Name returns the name given with As, or "".
func (rt *Route) Name() string { return rt.name }

// As names the route, for Request.MatchesRoute, and returns it.
func (rt *Route) As(name string) *Route {
	rt.name = name
	return rt
}

// RouteOption configures one route.
type RouteOption func(*Route)

// Status sets the status of the route's successful responses, e.g. 201:
// of Out's JSON encoding, and of a result that writes itself without a
// status of its own (Text; Blob and Stream whose Status is zero; SSE;
// EventStream; a Responder that writes without calling WriteHeader). A
// result's own non-zero Status wins over it, and NoContent (204), Redirect
// (3xx) and File keep their statuses (see Responder). Package openapi
// documents the same. It panics unless code is 200 to 299.
func Status(code int) RouteOption {
	if code < 200 || code > 299 {
		panic(fmt.Sprintf("kaito: Status(%d): a success status is 200 to 299", code))
	}
	return func(rt *Route) { rt.status = code }
}

// BodyLimit sets the route's largest accepted body in bytes, in place of the
// router's WithBodyLimit (and of the multipart limit). It panics unless n is positive.
func BodyLimit(n int64) RouteOption {
	if n <= 0 {
		panic(fmt.Sprintf("kaito: BodyLimit(%d): the limit must be positive", n))
	}
	return func(rt *Route) { rt.bodyLimit = n }
}

// Get registers h for GET requests to path. HEAD requests to path are
// answered by h too, without a body, unless a HEAD route matches them.
func Get[C, In, Out any](r *Router[C], path string, h func(ctx C, in In) (Out, error), opts ...RouteOption) *Route {
	return Handle(r, http.MethodGet, path, h, opts...)
}

// Post registers h for POST requests to path.
func Post[C, In, Out any](r *Router[C], path string, h func(ctx C, in In) (Out, error), opts ...RouteOption) *Route {
	return Handle(r, http.MethodPost, path, h, opts...)
}

// Put registers h for PUT requests to path.
func Put[C, In, Out any](r *Router[C], path string, h func(ctx C, in In) (Out, error), opts ...RouteOption) *Route {
	return Handle(r, http.MethodPut, path, h, opts...)
}

// Patch registers h for PATCH requests to path.
func Patch[C, In, Out any](r *Router[C], path string, h func(ctx C, in In) (Out, error), opts ...RouteOption) *Route {
	return Handle(r, http.MethodPatch, path, h, opts...)
}

// Delete registers h for DELETE requests to path.
func Delete[C, In, Out any](r *Router[C], path string, h func(ctx C, in In) (Out, error), opts ...RouteOption) *Route {
	return Handle(r, http.MethodDelete, path, h, opts...)
}

// Head registers h for HEAD requests to path. The response has no body.
func Head[C, In, Out any](r *Router[C], path string, h func(ctx C, in In) (Out, error), opts ...RouteOption) *Route {
	return Handle(r, http.MethodHead, path, h, opts...)
}

// Options registers h for OPTIONS requests to path. Without one, OPTIONS is
// answered 204 with an Allow header listing the path's methods.
func Options[C, In, Out any](r *Router[C], path string, h func(ctx C, in In) (Out, error), opts ...RouteOption) *Route {
	return Handle(r, http.MethodOptions, path, h, opts...)
}

// Handle registers h for method and path. path uses httprouter's syntax
// (/users/:id, /files/*path) under the router's prefix.
//
// The input In is bound from the request by a plan made here, once:
//
//   - A field tagged path:"id", query:"page", header:"X-Token" or
//     cookie:"sid" is set from there. Strings, bools, every int, uint and
//     float kind, encoding.TextUnmarshaler, pointers to those (nil when the
//     value is absent) and slices of them (every value) are supported. An
//     empty value leaves a number, bool or pointer field as it is.
//   - The other exported fields come from the body: JSON (application/json
//     and the types of WithJSONTypes, and any +json type) decoded with the
//     router's codec; urlencoded and multipart fields by form tag, else json
//     tag, else field name, in any case (a key of the exact name wins over
//     the others, then the least of them); *MultipartFile and []*MultipartFile fields
//     receive uploads, only ever from multipart parts (a JSON body that
//     holds a file is answered 400). A tagged field is never set from the
//     body. Another Content-Type is answered 415; no body leaves the fields
//     as they are.
//   - The fields of a struct embedded by value are read as In's own: tagged
//     ones from their tags, the others from the body. Body fields follow
//     encoding/json's rules, as the OpenAPI document does: a field nearer
//     to In, tagged or not, hides a deeper one of the same JSON name; of
//     two at one depth neither is read unless a json tag names one; the
//     fields of a struct embedded by pointer are read too.
//   - An In that is not a struct (a slice, a map) is the whole JSON body.
//     The structs it holds are checked as those of a body field: their
//     constraint tags and required fields, at locations body[0].name for
//     a slice or an array, body.key.name for a map.
//   - Constraint tags (huma's names: minimum, exclusiveMinimum, maximum,
//     exclusiveMaximum, multipleOf, minLength, maxLength, pattern, enum,
//     minItems, maxItems, uniqueItems) are checked on every bound field,
//     nested structs and slices included, and required fields must be
//     sent: a body field unless it is a pointer, omitempty, omitzero or
//     required:"false"; a path, query, header or cookie value with
//     required:"true". All failures are answered together: 422
//     {"message": "validation failed", "errors": [{"location":
//     "body.email", "message": "..."}]}, the first 100 of them when there
//     are more (the message then says so). A route with neither pays nothing.
//   - If *In has a method Validate() error, it runs last: its error is
//     answered 422 with its text (an *Error keeps its own status and
//     its Errors).
//
// A value that does not convert is answered 400 naming the field and its
// source, with the field in "errors". A malformed constraint tag panics
// here, naming the route, the field and the tag. Handle panics, naming the
// route and the field, if In cannot be bound: a field of an unsupported
// type, a path tag that names no parameter of the pattern, an In that is a
// pointer, a Validate method of another signature than Validate() error, a
// tagged field in a body field's struct (or a slice of them), in a struct
// embedded by pointer or in an embedded struct renamed by a json tag. It
// also panics if the pattern is malformed
// (*PatternError), or if another route of the same method matches exactly
// the same paths (*ConflictError).
func Handle[C, In, Out any](r *Router[C], method, path string, h func(ctx C, in In) (Out, error), opts ...RouteOption) *Route {
	if h == nil {
		panic("kaito: nil handler for " + method + " " + path)
	}
	if !validMethod(method) {
		panic(fmt.Sprintf("kaito: invalid method %q", method))
	}
	rt := &Route{method: method, pattern: r.prefix + path, status: http.StatusOK,
		in: reflect.TypeFor[In](), out: reflect.TypeFor[Out]()}
	if path == "/" && r.prefix != "" {
		rt.pattern = r.prefix
	}
	defer nameRoute(method, rt.pattern)
	for _, opt := range r.opts {
		opt(rt)
	}
	for _, opt := range opts {
		opt(rt)
	}
	write := writerFor[Out]()
	factory := r.context
	plan := planFor(reflect.TypeFor[In](), rt)
	if chain := r.core.chain(rt); chain != nil {
		bind := binderFor[In](plan)
		rt.serve = func(req *Request) {
			var out Out
			err := chain(req, func() error {
				ctx, err := factory(req)
				if err != nil {
					return err
				}
				var in In
				if bind != nil {
					if err := bind(req, &in); err != nil {
						return err
					}
				}
				out, err = h(ctx, in)
				return err
			})
			if err != nil {
				req.fail(err)
				return
			}
			write(req, out)
		}
	} else if fast := fastPlanFor(reflect.TypeFor[In](), plan); fast != nil {
		// A separate closure: the general plan's reflection would make in
		// escape to the heap here too.
		rt.serve = func(req *Request) {
			ctx, err := factory(req)
			if err != nil {
				req.fail(err)
				return
			}
			var in In
			if err := fast.bind(req, unsafe.Pointer(&in)); err != nil {
				req.fail(err)
				return
			}
			out, err := h(ctx, in)
			if err != nil {
				req.fail(err)
				return
			}
			write(req, out)
		}
	} else {
		bind := binderFor[In](plan)
		rt.serve = func(req *Request) {
			ctx, err := factory(req)
			if err != nil {
				req.fail(err)
				return
			}
			var in In
			if bind != nil {
				if err := bind(req, &in); err != nil {
					req.fail(err)
					return
				}
			}
			out, err := h(ctx, in)
			if err != nil {
				req.fail(err)
				return
			}
			write(req, out)
		}
	}
	r.core.matcher.add(rt)
	return rt
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// writerFor returns how a handler's Out is sent, decided once from its type.
func writerFor[Out any]() func(req *Request, out Out) {
	t := reflect.TypeFor[Out]()
	responder := reflect.TypeFor[Responder]()
	emptyNil := mayHoldNil(t)
	switch {
	case t == reflect.TypeFor[NoContent]():
		// What NoContent.Respond does, without the interface calls.
		return func(req *Request, _ Out) { req.WriteHeader(http.StatusNoContent) }
	case t.Implements(responder):
		return func(req *Request, out Out) { req.respondWith(any(out).(Responder)) }
	case t.Kind() == reflect.Interface:
		// The dynamic value decides: a Responder writes itself.
		return func(req *Request, out Out) {
			if rs, ok := any(out).(Responder); ok {
				req.respondWith(rs)
				return
			}
			req.writeJSON(req.route.status, out, emptyNil)
		}
	case reflect.PointerTo(t).Implements(responder):
		return func(req *Request, out Out) { req.respondWith(any(&out).(Responder)) }
	}
	if !boxingAllocates(t) || pointerOnlyMarshaler(t, map[reflect.Type]bool{}) {
		return func(req *Request, out Out) { req.writeJSON(req.route.status, out, emptyNil) }
	}
	// Out in an interface would be copied to the heap on every request:
	// the default encoder gets a pointer to a pooled copy instead, which
	// it encodes alike (pointerOnlyMarshaler rules out the one difference)
	// and keeps nothing of. A codec given with WithCodec gets the value
	// itself, as Codec.Encode says: it may switch on its type, or keep it.
	pool := &sync.Pool{New: func() any { return new(Out) }}
	var nilFree func(unsafe.Pointer) bool
	if emptyNil {
		nilFree = nilFreeCheck(t)
	}
	return func(req *Request, out Out) {
		if req.core.codec != nil {
			req.writeJSON(req.route.status, out, emptyNil)
			return
		}
		p := pool.Get().(*Out)
		*p = out
		en := emptyNil
		if nilFree != nil && nilFree(unsafe.Pointer(p)) {
			en = false // no nil slice or map to write as [] or {}: the faster encoder
		}
		req.writeJSON(req.route.status, p, en)
		var zero Out
		*p = zero // keep nothing of the response alive
		pool.Put(p)
	}
}

// nilFreeCheck returns a check that a value of struct type t, at the
// address it is given, holds no nil slice or map that the default codec
// writes as [] or {} (see mayHoldNil): then go-json's faster encoder writes
// the same JSON. It looks at the slices and maps that are fields of t (or
// of the structs t holds by value) and whose elements cannot hold nil ones
// themselves; it returns nil, no check, when t holds one it cannot see at
// a fixed place (in an interface, behind a pointer, inside another slice).
func nilFreeCheck(t reflect.Type) func(unsafe.Pointer) bool {
	var offsets []uintptr
	if t.Kind() != reflect.Struct || !nilFields(t, 0, &offsets, map[reflect.Type]bool{}) {
		return nil
	}
	return func(p unsafe.Pointer) bool {
		for _, off := range offsets {
			// A slice is nil exactly when its data pointer is; a map is a pointer.
			if *(*unsafe.Pointer)(unsafe.Add(p, off)) == nil {
				return false
			}
		}
		return true
	}
}

// nilFields adds to offsets, at base, the offsets of the slice and map
// fields that struct t encodes, and reports false if t may hold a nil slice
// or map elsewhere.
func nilFields(t reflect.Type, base uintptr, offsets *[]uintptr, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false // a recursive type: not worth the trouble
	}
	seen[t] = true
	defer delete(seen, t)
	m, err := typemodel.Of(t)
	if err != nil {
		return false
	}
	for _, f := range m.JSONFields() {
		if f.Quoted || !mayHoldNil(f.Type) {
			continue
		}
		off, ok := inlineOffset(t, f.Index)
		if !ok {
			return false // behind an embedded pointer
		}
		switch f.Type.Kind() {
		case reflect.Slice:
			if mayHoldNil(f.Type.Elem()) {
				return false
			}
			*offsets = append(*offsets, base+off)
		case reflect.Map:
			if mayHoldNil(f.Type.Elem()) || mayHoldNil(f.Type.Key()) {
				return false
			}
			*offsets = append(*offsets, base+off)
		case reflect.Struct:
			if !nilFields(f.Type, base+off, offsets, seen) {
				return false
			}
		default: // an interface, a pointer, an array of slices
			return false
		}
	}
	return true
}

// boxingAllocates reports whether putting a value of type t in an
// interface copies it to the heap: not for pointer-shaped types and
// zero-sized ones.
func boxingAllocates(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer, reflect.Interface:
		return false
	}
	return t.Size() > 0
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// pointerOnlyMarshaler reports whether t, or a type it holds by value,
// has a MarshalJSON or MarshalText method on its pointer receiver only.
// encoding/json calls such a method on an addressable value, as the fields
// reached through a pointer are, but not on a copy held in an interface: t
// is then encoded as a boxed copy, never through a pointer.
func pointerOnlyMarshaler(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	p := reflect.PointerTo(t)
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface &&
		((p.Implements(jsonMarshaler) && !t.Implements(jsonMarshaler)) ||
			(p.Implements(textMarshaler) && !t.Implements(textMarshaler))) {
		return true
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if pointerOnlyMarshaler(t.Field(i).Type, seen) {
				return true
			}
		}
	case reflect.Array, reflect.Slice, reflect.Pointer:
		return pointerOnlyMarshaler(t.Elem(), seen)
	case reflect.Map:
		return pointerOnlyMarshaler(t.Key(), seen) || pointerOnlyMarshaler(t.Elem(), seen)
	}
	return false
}
