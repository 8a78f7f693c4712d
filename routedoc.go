package kaito

import (
	"fmt"
	"reflect"
	"slices"
)

// Route documentation: what package openapi (and the clients) read about a
// route besides its method and pattern. It is recorded at registration and
// never read while serving.

// RouteDoc is the documentation of a route, set with the route options
// Summary, Description, Tags, OperationID, Deprecated, Hidden, Errors and
// Security, on the route or on the Group or Through router it is
// registered on.
type RouteDoc struct {
	// Summary is a one-line summary of what the route does.
	Summary string
	// Description is a longer description; OpenAPI renders it as CommonMark.
	Description string
	// OperationID names the operation; when empty, openapi uses the route's
	// name (As), else one derived from the method and the pattern.
	OperationID string
	// Tags group the route's operation in documentation, in order, without duplicates.
	Tags []string
	// Security names the security schemes the route accepts, any one of
	// them sufficing, in order, without duplicates.
	Security []string
	// Errors lists error statuses the route may answer besides those the
	// router knows it produces (400, 413, 415, 422), sorted, without duplicates.
	Errors []int
	// Deprecated marks the route as deprecated.
	Deprecated bool
	// Hidden leaves the route out of documentation. It is served as usual.
	Hidden bool
}

// Input returns the type of the route's handler input In.
func (rt *Route) Input() reflect.Type { return rt.in }

// Output returns the type of the route's handler output Out.
func (rt *Route) Output() reflect.Type { return rt.out }

// SuccessStatus returns the status of the route's successful answers: 200,
// or the one set with Status. It is the status of Out's JSON encoding and
// of a result that writes itself without a status of its own; see Status
// and Responder for the results that keep theirs.
func (rt *Route) SuccessStatus() int { return rt.status }

// Doc returns the route's documentation. Its slices are copies.
func (rt *Route) Doc() RouteDoc {
	d := rt.doc
	d.Tags = slices.Clone(d.Tags)
	d.Security = slices.Clone(d.Security)
	d.Errors = slices.Clone(d.Errors)
	return d
}

// Summary sets the route's one-line summary.
func Summary(s string) RouteOption { return func(rt *Route) { rt.doc.Summary = s } }

// Description sets the route's longer description.
func Description(s string) RouteOption { return func(rt *Route) { rt.doc.Description = s } }

// OperationID sets the route's OpenAPI operationId, which must be unique
// among the documented routes.
func OperationID(id string) RouteOption { return func(rt *Route) { rt.doc.OperationID = id } }

// Tags adds tags to the route, after those it already has (from its Group
// or Through router, say).
func Tags(t ...string) RouteOption {
	t = slices.Clone(t)
	return func(rt *Route) { rt.doc.Tags = appendNew(rt.doc.Tags, t) }
}

// Deprecated marks the route as deprecated in its documentation.
func Deprecated() RouteOption { return func(rt *Route) { rt.doc.Deprecated = true } }

// Hidden leaves the route out of generated documentation and clients; the
// route is served as usual.
func Hidden() RouteOption { return func(rt *Route) { rt.doc.Hidden = true } }

// Errors documents error statuses the route may answer, e.g. Errors(401,
// 404), besides those the router knows it produces. It panics unless every
// status is 400 to 599.
func Errors(statuses ...int) RouteOption {
	for _, s := range statuses {
		if !validErrorStatus(s) {
			panic(fmt.Sprintf("kaito: Errors(%d): an error status is 400 to 599", s))
		}
	}
	statuses = slices.Clone(statuses)
	return func(rt *Route) {
		rt.doc.Errors = appendNew(rt.doc.Errors, statuses)
		slices.Sort(rt.doc.Errors)
	}
}

// Security names the security schemes (keys of openapi.Config's
// SecuritySchemes) any one of which the route accepts. It only documents:
// authentication itself is the context factory's or a Through refinement's.
func Security(schemes ...string) RouteOption {
	for _, s := range schemes {
		if s == "" {
			panic("kaito: Security: an empty scheme name")
		}
	}
	schemes = slices.Clone(schemes)
	return func(rt *Route) { rt.doc.Security = appendNew(rt.doc.Security, schemes) }
}

// appendNew appends the elements of add that dst does not hold yet.
func appendNew[T comparable](dst, add []T) []T {
	for _, v := range add {
		if !slices.Contains(dst, v) {
			dst = append(dst, v)
		}
	}
	return dst
}

// joinOptions returns the options of a derived router: its parent's, then
// its own, in a new slice that neither shares.
func joinOptions(parent, own []RouteOption) []RouteOption {
	if len(own) == 0 {
		return parent
	}
	return append(slices.Clip(parent), own...)
}

// JSONTypes returns the media types set with WithJSONTypes, whose bodies
// the router decodes as JSON (as it does any +json type), or nil when the
// router uses the default list. Package openapi documents JSON request
// bodies under these types, and under application/json when nil.
func (r *Router[C]) JSONTypes() []string {
	if slices.Equal(r.core.jsonTypes, defaultJSONTypes) {
		return nil
	}
	return slices.Clone(r.core.jsonTypes)
}
