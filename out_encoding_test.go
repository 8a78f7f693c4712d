package kaito_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/kaito-go/kaito"
)

type plainOut struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// ptrMarshaled has MarshalJSON on its pointer receiver only: encoding/json
// calls it on an addressable value, not on a copy in an interface.
type ptrMarshaled struct{ V int }

func (p *ptrMarshaled) MarshalJSON() ([]byte, error) { return []byte(`"pointer method"`), nil }

type valueMarshaled struct{ V int }

func (v valueMarshaled) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf(`"value %d"`, v.V)), nil
}

type ptrText struct{ S string }

func (p *ptrText) MarshalText() ([]byte, error) { return []byte("pointer text"), nil }

type holdsPtrMarshaled struct {
	Inner ptrMarshaled `json:"inner"`
	N     int          `json:"n"`
}

type holdsPtrTextKeys struct {
	M map[string]ptrText `json:"m"`
}

// directNils has its slices and maps where a check can see them: the
// faster encoder writes it when none is nil.
type directNils struct {
	Tags  []string       `json:"tags"`
	Raw   []byte         `json:"raw"`
	Count map[string]int `json:"count"`
	Inner struct {
		IDs []int `json:"ids"`
	} `json:"inner"`
	embeddedNils
	Quoted int `json:"quoted,string"`
}

type embeddedNils struct {
	More []bool `json:"more"`
}

type mixedOut struct {
	Tags  []string         `json:"tags"`
	Value valueMarshaled   `json:"value"`
	Nums  [3]float64       `json:"nums"`
	Sub   *plainOut        `json:"sub"`
	Any   any              `json:"any"`
	ByKey map[string][]int `json:"byKey"`
}

// routeOut registers GET path returning v, and returns the body the
// default codec makes of v itself: what the route must answer.
func routeOut[T any](t *testing.T, r *kaito.Router[appCtx], path string, v T) string {
	t.Helper()
	kaito.Get(r, path, func(appCtx, struct{}) (T, error) { return v, nil })
	var b bytes.Buffer
	if err := kaito.GoJSON.Encode(&b, v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// TestOutEncodedAsItsValue: whatever way a route's Out reaches the
// encoder (boxed, or as a pooled copy through a pointer), the body is the
// encoding of the value the handler returned, pointer-receiver marshalers
// included, on both adapters.
func TestOutEncodedAsItsValue(t *testing.T) {
	r := newApp()
	json := map[string]string{"Content-Type": jsonCT}
	const allNil = `{"tags":[],"raw":"","count":{},"inner":{"ids":[]},"more":[],"quoted":"0"}`
	if got := routeOut(t, r, "/all-nil", directNils{}); got != allNil {
		t.Fatalf("the default codec writes %s, want %s", got, allNil)
	}
	table{
		{"plain struct", call{target: "/plain"}, expect{200, json, routeOut(t, r, "/plain", plainOut{ID: 42, Name: "gopher"})}},
		{"pointer-only MarshalJSON", call{target: "/ptr"}, expect{200, json, routeOut(t, r, "/ptr", ptrMarshaled{V: 1})}},
		{"field with pointer-only MarshalJSON", call{target: "/holds"}, expect{200, json, routeOut(t, r, "/holds", holdsPtrMarshaled{N: 2})}},
		{"pointer-only MarshalText", call{target: "/text"}, expect{200, json, routeOut(t, r, "/text", ptrText{S: "s"})}},
		{"map of pointer-only MarshalText", call{target: "/textmap"}, expect{200, json, routeOut(t, r, "/textmap", holdsPtrTextKeys{M: map[string]ptrText{"k": {}}})}},
		{"value MarshalJSON", call{target: "/value"}, expect{200, json, routeOut(t, r, "/value", valueMarshaled{V: 3})}},
		{"mixed", call{target: "/mixed"}, expect{200, json, routeOut(t, r, "/mixed", mixedOut{Value: valueMarshaled{V: 4}, Nums: [3]float64{1.5, -0, 1e21}, Sub: &plainOut{ID: 1}, Any: "<&>"})}},
		{"no nil slice", call{target: "/nonil"}, expect{200, json, routeOut(t, r, "/nonil", fullNils())}},
		{"a nil slice", call{target: "/nil-tags"}, expect{200, json, routeOut(t, r, "/nil-tags", withNil(func(d *directNils) { d.Tags = nil }))}},
		{"a nil []byte", call{target: "/nil-raw"}, expect{200, json, routeOut(t, r, "/nil-raw", withNil(func(d *directNils) { d.Raw = nil }))}},
		{"a nil map", call{target: "/nil-map"}, expect{200, json, routeOut(t, r, "/nil-map", withNil(func(d *directNils) { d.Count = nil }))}},
		{"a nil slice in a field's struct", call{target: "/nil-inner"}, expect{200, json, routeOut(t, r, "/nil-inner", withNil(func(d *directNils) { d.Inner.IDs = nil }))}},
		{"a nil slice in an embedded struct", call{target: "/nil-more"}, expect{200, json, routeOut(t, r, "/nil-more", withNil(func(d *directNils) { d.More = nil }))}},
		{"all nil", call{target: "/all-nil"}, expect{200, json, allNil}},
		{"array", call{target: "/array"}, expect{200, json, routeOut(t, r, "/array", [2]string{"a", "b"})}},
		{"number", call{target: "/number"}, expect{200, json, routeOut(t, r, "/number", 12.5)}},
		{"string", call{target: "/string"}, expect{200, json, routeOut(t, r, "/string", "<tag>")}},
	}.run(t, serve(r))
}

func fullNils() directNils {
	d := directNils{Tags: []string{"a"}, Raw: []byte("r"), Count: map[string]int{"c": 1}, Quoted: 7}
	d.Inner.IDs = []int{}
	d.More = []bool{true}
	return d
}

func withNil(f func(*directNils)) directNils {
	d := fullNils()
	f(&d)
	return d
}

// TestOutCopiesAreNotShared serves many requests at once, each answered
// with its own value: a pooled copy of one response must never show in
// another (go test -race watches the copies too).
func TestOutCopiesAreNotShared(t *testing.T) {
	r := newApp()
	kaito.Get(r, "/echo/:id", func(_ appCtx, in struct {
		ID int `path:"id"`
	}) (plainOut, error) {
		return plainOut{ID: in.ID, Name: strings.Repeat("x", in.ID%7)}, nil
	})
	s := serve(r)
	for _, a := range adapters {
		t.Run(a.name, func(t *testing.T) {
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 50 {
						id := g*1000 + i
						res := a.do(t, s, call{target: fmt.Sprintf("/echo/%d", id)})
						want := fmt.Sprintf(`{"id":%d,"name":%q}`, id, strings.Repeat("x", id%7))
						if res.status != 200 || res.body != want {
							t.Errorf("GET /echo/%d: %d %s, want %s", id, res.status, res.body, want)
							return
						}
					}
				}()
			}
			wg.Wait()
		})
	}
}

// keepingCodec is a codec of the application's own: it writes the dynamic
// type of the value it is given with the value, and keeps the value to
// look at once the response is sent (an audit log, a cache).
type keepingCodec struct {
	mu   sync.Mutex
	kept []any
}

func (c *keepingCodec) Encode(w io.Writer, v any) error {
	c.mu.Lock()
	c.kept = append(c.kept, v)
	c.mu.Unlock()
	_, err := fmt.Fprintf(w, `{"type":%q,"value":%s}`, fmt.Sprintf("%T", v), mustJSON(v))
	return err
}

func (c *keepingCodec) Decode(data []byte, v any) error { return kaito.StdJSON.Decode(data, v) }

func mustJSON(v any) string {
	var b bytes.Buffer
	if err := kaito.StdJSON.Encode(&b, v); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// TestOutReachesACodecAsItsValue: a codec given with WithCodec receives
// the value the handler returned, of the route's Out type, as Codec.Encode
// says, not a pointer to a copy the router reuses: the codec may switch on
// the type, and what it keeps of the value stays that value after the
// response, on both adapters.
func TestOutReachesACodecAsItsValue(t *testing.T) {
	codec := &keepingCodec{}
	r := newApp(kaito.WithCodec(codec))
	kaito.Get(r, "/plain", func(appCtx, struct{}) (plainOut, error) { return plainOut{ID: 7, Name: "gopher"}, nil })
	kaito.Get(r, "/nils", func(appCtx, struct{}) (directNils, error) { return fullNils(), nil })
	json := map[string]string{"Content-Type": jsonCT}
	table{
		{"struct", call{target: "/plain"}, expect{200, json, `{"type":"kaito_test.plainOut","value":{"id":7,"name":"gopher"}}`}},
		{"struct with slices", call{target: "/nils"}, expect{200, json, `{"type":"kaito_test.directNils","value":` + mustJSON(fullNils()) + `}`}},
	}.run(t, serve(r))
	codec.mu.Lock()
	defer codec.mu.Unlock()
	for i, v := range codec.kept {
		switch v := v.(type) {
		case plainOut:
			if v != (plainOut{ID: 7, Name: "gopher"}) {
				t.Errorf("kept value %d is %+v after the response", i, v)
			}
		case directNils:
		default:
			t.Errorf("kept value %d is a %T", i, v)
		}
	}
}

type embeddedPtrOut struct {
	*plainOut
	Extra []string `json:"extra"`
}

type recursiveOut struct {
	Name     string         `json:"name"`
	Children []recursiveOut `json:"children"`
	Next     *recursiveOut  `json:"next,omitempty"`
}

type textKey struct{ A, B int }

func (k textKey) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf("%d-%d", k.A, k.B)), nil }

type shapesOut struct {
	Grid    [2][]int           `json:"grid"`
	ByKey   map[textKey]string `json:"byKey"`
	Omitted []string           `json:"omitted,omitempty"`
	Dash    []string           `json:"-"`
	private []string
	Ptr     *[]int `json:"ptr"`
}

// cf types hold slices whose JSON names clash across embedded structs, as
// encoding/json resolves them (the tagged field, the shallower one, or
// neither), next to omitempty, omitzero and a renamed embedded struct.
type cfA struct{ X []int }
type cfB struct {
	X []int `json:"X"`
}
type cfC struct{ Y []int }
type cfD struct{ Y []int }
type cfDeep struct{ cfC }

type cfOut struct {
	cfA
	cfB
	cfDeep
	cfD
	Z []int `json:"z,omitempty"`
	W []int `json:",omitempty"`
	V []int `json:"v,omitzero"`
}

type cfOut2 struct {
	Tags []string `json:"tags"`
	unexportedHolder
}

type unexportedHolder struct {
	Hidden []int `json:"hidden"`
}

type lowerEmbedded struct{ S []int }
type cfOut3 struct {
	lowerEmbedded `json:"named"`
	Tags          []string `json:"tags"`
}

type panicky struct{ V int }

func (panicky) MarshalJSON() ([]byte, error) { panic("marshal failed") }

type holdsPanicky struct {
	P    panicky  `json:"p"`
	Tags []string `json:"tags"`
}

// TestOutShapesEncodedAsTheirValue: Out types whose slices and maps the
// router cannot all see at fixed places (behind an embedded pointer, in a
// recursive type, in an array, as map keys that marshal themselves, left
// out by omitempty or "-") are written as the default codec writes the
// value, nil or not, on both adapters; a MarshalJSON that panics answers
// 500 and the next request is answered in full.
func TestOutShapesEncodedAsTheirValue(t *testing.T) {
	r := newApp()
	json := map[string]string{"Content-Type": jsonCT}
	ids := []int{1}
	table{
		{"embedded pointer", call{target: "/embedded"}, expect{200, json, routeOut(t, r, "/embedded", embeddedPtrOut{plainOut: &plainOut{ID: 1}, Extra: []string{"x"}})}},
		{"embedded nil pointer", call{target: "/embedded-nil"}, expect{200, json, routeOut(t, r, "/embedded-nil", embeddedPtrOut{})}},
		{"recursive", call{target: "/recursive"}, expect{200, json, routeOut(t, r, "/recursive", recursiveOut{Name: "a", Children: []recursiveOut{{Name: "b"}}, Next: &recursiveOut{Name: "c", Children: []recursiveOut{}}})}},
		{"shapes", call{target: "/shapes"}, expect{200, json, routeOut(t, r, "/shapes", shapesOut{Grid: [2][]int{{1}, {}}, ByKey: map[textKey]string{{2, 1}: "x", {1, 2}: "y"}, Omitted: []string{"o"}, Dash: []string{"d"}, private: []string{"p"}, Ptr: &ids})}},
		{"shapes, nil", call{target: "/shapes-nil"}, expect{200, json, routeOut(t, r, "/shapes-nil", shapesOut{})}},
		{"clashing names, one set", call{target: "/clash-a"}, expect{200, json, routeOut(t, r, "/clash-a", cfOut{cfA: cfA{X: []int{1}}})}},
		{"clashing names, the tagged set", call{target: "/clash-b"}, expect{200, json, routeOut(t, r, "/clash-b", cfOut{cfB: cfB{X: []int{1}}, cfDeep: cfDeep{cfC{Y: []int{}}}})}},
		{"clashing names, all set", call{target: "/clash-c"}, expect{200, json, routeOut(t, r, "/clash-c", cfOut{cfA: cfA{X: []int{}}, cfB: cfB{X: []int{}}, cfD: cfD{Y: []int{}}, cfDeep: cfDeep{cfC{Y: []int{1}}}, Z: []int{}, W: []int{}, V: []int{}})}},
		{"embedded unexported type", call{target: "/embedded-unexported"}, expect{200, json, routeOut(t, r, "/embedded-unexported", cfOut2{Tags: []string{}})}},
		{"renamed embedded struct", call{target: "/renamed-embedded"}, expect{200, json, routeOut(t, r, "/renamed-embedded", cfOut3{Tags: []string{}})}},
	}.run(t, serve(r))

	kaito.Get(r, "/panic", func(appCtx, struct{}) (holdsPanicky, error) { return holdsPanicky{Tags: []string{"a"}}, nil })
	table{
		{"MarshalJSON panics", call{target: "/panic"}, expect{500, json, `{"message":"Internal Server Error"}`}},
		{"then an answer", call{target: "/shapes"}, expect{200, json, routeOut(t, newApp(), "/x", shapesOut{Grid: [2][]int{{1}, {}}, ByKey: map[textKey]string{{2, 1}: "x", {1, 2}: "y"}, Omitted: []string{"o"}, Ptr: &ids})}},
	}.run(t, serve(r))
}
