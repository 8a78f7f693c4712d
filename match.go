package kaito

import (
	"net/http"
	"strings"

	"github.com/julienschmidt/httprouter"
)

// Matching is httprouter's, in layers. httprouter v1.3.0 refuses a static
// segment beside a parameter at the same position (/users/new beside
// /users/:id) and a parameter that is named differently from its sibling
// (/a/:x/b beside /a/:y/c). Such a route goes into the next layer, a second
// httprouter, where it does not conflict. A request is looked up in every
// layer, and when several match, the most specific route wins: segment by
// segment from the left, a static segment beats a segment that mixes text
// and a parameter, which beats a parameter, which beats a catch-all.
//
// Two routes of one method that match exactly the same requests (they differ
// only in parameter names, or not at all) are ambiguous; registering the
// second panics with a *ConflictError naming both.
//
// Most applications need a single layer, and then a look-up costs what a
// plain httprouter look-up costs.

type matcher struct {
	layers  []*layer
	routes  map[string][]*Route // by method
	methods []string            // registered methods, in registration order
}

type layer struct {
	tree   *httprouter.Router
	routes []*Route
}

// matchSlot receives the route from the httprouter handle that a look-up
// returns: httprouter hands back only a function, so each route's function
// writes the route into the slot it is called with.
type matchSlot struct{ route *Route }

func (*matchSlot) Header() http.Header         { return nil }
func (*matchSlot) Write(p []byte) (int, error) { return len(p), nil }
func (*matchSlot) WriteHeader(int)             {}

func (m *matcher) add(rt *Route) {
	if err := checkPattern(rt.pattern); err != nil {
		panic(err)
	}
	rt.shape, rt.ranks = shapeOf(rt.pattern)
	for _, other := range m.routes[rt.method] {
		if other.shape == rt.shape {
			panic(&ConflictError{Method: rt.method, Pattern: rt.pattern, Existing: other.pattern, Example: examplePath(rt.pattern)})
		}
	}
	if m.routes == nil {
		m.routes = make(map[string][]*Route)
	}
	if _, seen := m.routes[rt.method]; !seen {
		m.methods = append(m.methods, rt.method)
	}
	m.routes[rt.method] = append(m.routes[rt.method], rt)
	for _, l := range m.layers {
		if l.insert(rt) {
			return
		}
	}
	l := &layer{tree: httprouter.New()}
	if !l.insert(rt) {
		// checkPattern accepts only what httprouter accepts on an empty tree.
		panic(&PatternError{Pattern: rt.pattern, Reason: "not accepted by the matching engine"})
	}
	m.layers = append(m.layers, l)
}

// insert adds rt to the layer, or reports false if httprouter refuses it
// there. httprouter may have split tree nodes before it refused, so the
// layer's tree is rebuilt from its routes then.
func (l *layer) insert(rt *Route) (ok bool) {
	if tryHandle(l.tree, rt) {
		l.routes = append(l.routes, rt)
		return true
	}
	tree := httprouter.New()
	for _, r := range l.routes {
		tryHandle(tree, r)
	}
	l.tree = tree
	return false
}

func tryHandle(tree *httprouter.Router, rt *Route) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	tree.Handle(rt.method, rt.pattern, func(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
		w.(*matchSlot).route = rt
	})
	return true
}

// match finds the most specific route for method and path. tsr reports that
// no route matched but one would with a trailing slash added or removed.
func (m *matcher) match(method, path string, slot *matchSlot) (best *Route, ps httprouter.Params, tsr bool) {
	if len(m.layers) == 1 { // most routers: one look-up, nothing to compare
		h, p, t := m.layers[0].tree.Lookup(method, path)
		if h == nil {
			return nil, nil, t
		}
		h(slot, nil, nil)
		return slot.route, p, false
	}
	for _, l := range m.layers {
		h, p, t := l.tree.Lookup(method, path)
		if h == nil {
			tsr = tsr || t
			continue
		}
		h(slot, nil, nil)
		if best == nil || slot.route.moreSpecific(best) {
			best, ps = slot.route, p
		}
	}
	if best != nil {
		tsr = false
	}
	return best, ps, tsr
}

// allowed lists the methods with a route matching path, in registration order.
func (m *matcher) allowed(path string, slot *matchSlot) []string {
	var allow []string
	for _, method := range m.methods {
		for _, l := range m.layers {
			if h, _, _ := l.tree.Lookup(method, path); h != nil {
				allow = append(allow, method)
				break
			}
		}
	}
	return allow
}

// Segment ranks: a static segment beats one that mixes text and a
// parameter, which beats a parameter, which beats a catch-all. Between two
// mixed segments the longer text before the parameter wins (/a/bc:x beats
// /a/b:x for /a/bcd), so that registration order never decides.
const (
	rankCatchAll = 0
	rankParam    = 1
	rankMixed    = 2 // plus the length of the text before the parameter
	rankStatic   = 1 << 30
)

// shapeOf returns the pattern with parameter names removed, which two routes
// share exactly when they match the same paths, and the rank of each segment.
func shapeOf(pattern string) (string, []int) {
	var b strings.Builder
	var ranks []int
	for seg := range strings.SplitSeq(pattern[1:], "/") {
		b.WriteByte('/')
		rank := rankStatic
		if i := strings.IndexAny(seg, ":*"); i >= 0 {
			b.WriteString(seg[:i])
			b.WriteByte(seg[i])
			switch {
			case seg[i] == '*':
				rank = rankCatchAll
			case i > 0:
				rank = rankMixed + i
			default:
				rank = rankParam
			}
		} else {
			b.WriteString(seg)
		}
		ranks = append(ranks, rank)
	}
	return b.String(), ranks
}

func (rt *Route) moreSpecific(other *Route) bool {
	for i := 0; i < len(rt.ranks) && i < len(other.ranks); i++ {
		if rt.ranks[i] != other.ranks[i] {
			return rt.ranks[i] > other.ranks[i]
		}
	}
	return len(rt.ranks) > len(other.ranks)
}

// checkPattern accepts httprouter's syntax: a leading slash; a parameter
// (:name) or a catch-all (*name) runs to the end of its segment, has a name,
// and is the only one in its segment; a catch-all comes last.
func checkPattern(p string) error {
	if p == "" || p[0] != '/' {
		return &PatternError{Pattern: p, Reason: "must begin with '/'"}
	}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		w := strings.IndexAny(seg, ":*")
		if w < 0 {
			continue
		}
		name := seg[w+1:]
		if name == "" {
			return &PatternError{Pattern: p, Reason: "wildcard in segment " + seg + " has no name"}
		}
		if strings.ContainsAny(name, ":*") {
			return &PatternError{Pattern: p, Reason: "only one wildcard per segment is allowed, in " + seg}
		}
		if seg[w] == '*' {
			if i != len(segs)-1 {
				return &PatternError{Pattern: p, Reason: "catch-all " + seg + " must be the last segment"}
			}
			if w != 0 {
				return &PatternError{Pattern: p, Reason: "catch-all " + seg + " must be a whole segment"}
			}
		}
	}
	return nil
}

// examplePath is a path that the pattern matches, for error messages.
func examplePath(p string) string {
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if w := strings.IndexAny(seg, ":*"); w >= 0 {
			segs[i] = seg[:w] + "x"
		}
	}
	return strings.Join(segs, "/")
}
