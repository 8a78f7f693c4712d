package kaito_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
)

// nilHolder has every kind of field encoding/json writes as null when nil.
type nilHolder struct {
	Tags   []string          `json:"tags"`
	Counts map[string]int    `json:"counts"`
	Raw    []byte            `json:"raw"`
	Items  []nilItem         `json:"items"`
	ByName map[string][]int  `json:"byName"`
	Opt    []string          `json:"opt,omitempty"`
	Ptr    *[]string         `json:"ptr"`
	Any    any               `json:"any"`
	Fixed  [2]int            `json:"fixed"`
	Text   string            `json:"text"`
	At     time.Time         `json:"at"`
	Nested struct{ X []int } `json:"nested"`
}

type nilItem struct {
	Sub []int `json:"sub"`
}

// TestEmptyNil: the default codec writes a nil slice as [] and a nil map
// as {} (a nil []byte as ""), at any depth, as the OpenAPI document and
// the clients describe them (type array, object, string: never null); a
// nil pointer or interface stays null. encoding/json (StdJSON) writes null.
func TestEmptyNil(t *testing.T) {
	r := newApp()
	kaito.Get(r, "/struct", func(appCtx, struct{}) (nilHolder, error) {
		return nilHolder{Items: []nilItem{{}}, ByName: map[string][]int{"a": nil}, Text: "<a&b>"}, nil
	})
	kaito.Get(r, "/pointer", func(appCtx, struct{}) (*nilHolder, error) { return &nilHolder{}, nil })
	kaito.Get(r, "/nil-pointer", func(appCtx, struct{}) (*nilHolder, error) { return nil, nil })
	kaito.Get(r, "/slice", func(appCtx, struct{}) ([]int, error) { return nil, nil })
	kaito.Get(r, "/map", func(appCtx, struct{}) (map[string]string, error) { return nil, nil })
	kaito.Get(r, "/any", func(appCtx, struct{}) (any, error) { return []string(nil), nil })
	kaito.Get(r, "/any-nil", func(appCtx, struct{}) (any, error) { return nil, nil })
	kaito.Get(r, "/events", func(appCtx, struct{}) (kaito.EventStream[nilItem], error) {
		return kaito.EventStream[nilItem]{Source: func(send func(kaito.TypedEvent[nilItem]) error) error {
			return send(kaito.TypedEvent[nilItem]{Data: nilItem{}})
		}}, nil
	})
	const empty = `{"tags":[],"counts":{},"raw":"","items":[],"byName":{},"ptr":null,"any":null,"fixed":[0,0],"text":"","at":"0001-01-01T00:00:00Z","nested":{"X":[]}}`
	json := map[string]string{"Content-Type": jsonCT}
	table{
		{"struct", call{target: "/struct"}, expect{200, json, `{"tags":[],"counts":{},"raw":"","items":[{"sub":[]}],"byName":{"a":[]},"ptr":null,"any":null,"fixed":[0,0],"text":"<a&b>","at":"0001-01-01T00:00:00Z","nested":{"X":[]}}`}},
		{"pointer to struct", call{target: "/pointer"}, expect{200, json, empty}},
		{"nil pointer", call{target: "/nil-pointer"}, expect{200, json, `null`}},
		{"slice", call{target: "/slice"}, expect{200, json, `[]`}},
		{"map", call{target: "/map"}, expect{200, json, `{}`}},
		{"interface holding a nil slice", call{target: "/any"}, expect{200, json, `[]`}},
		{"nil interface", call{target: "/any-nil"}, expect{200, json, `null`}},
		{"HEAD", call{method: http.MethodHead, target: "/slice"}, expect{200, map[string]string{"Content-Length": "2"}, ``}},
		{"event data", call{target: "/events"}, expect{200, nil, "data: {\"sub\":[]}\n\n"}},
	}.run(t, serve(r))

	std := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil }, kaito.WithCodec(kaito.StdJSON))
	kaito.Get(std, "/slice", func(struct{}, struct{}) ([]int, error) { return nil, nil })
	table{
		{"StdJSON writes null", call{target: "/slice"}, expect{200, json, `null`}},
	}.run(t, serve(std))
}
