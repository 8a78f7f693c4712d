package kaito_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
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

// Values the default codec writes as encoding/json does, byte for byte:
// its go-json v1 encoder for an Out that holds no slice or map, its v2
// encoder (emptyNilOptions) for one that may.

type stdCompact struct{}

// MarshalJSON returns JSON with spaces, which encoders compact.
func (stdCompact) MarshalJSON() ([]byte, error) { return []byte(` { "a" : [1, 2] } `), nil }

type stdText struct{ A int }

// MarshalText writes characters HTML escaping would change.
func (stdText) MarshalText() ([]byte, error) { return []byte("t<&>"), nil }

type stdPtrText struct{ A int }

// MarshalText has a pointer receiver: a value in a map key or a slice
// element that is not addressable is written without it.
func (p *stdPtrText) MarshalText() ([]byte, error) { return []byte("p"), nil }

// StdEmbedded is embedded by pointer.
type StdEmbedded struct{ E int }

type stdOmit struct {
	A []int          `json:"a,omitempty"`
	B map[string]int `json:"b,omitempty"`
	C time.Time      `json:"c,omitzero"`
	D *int           `json:"d,omitempty"`
	E struct{}       `json:"e,omitempty"`
	F string         `json:",omitempty"`
	G int            `json:"g,omitzero"`
	*StdEmbedded
	L []int `json:"l"`
}

type stdQuoted struct {
	A int     `json:"a,string"`
	B bool    `json:"b,string"`
	C string  `json:"c,string"`
	D *int    `json:"d,string"`
	E float64 `json:"e,string"`
	L []int   `json:"l"`
}

type stdFloats struct {
	F []float64 `json:"f"`
	G []float32 `json:"g"`
}

// stdWith is a struct with a slice beside the value V, so that the
// default codec writes it with its v2 encoder.
type stdWith[T any] struct {
	V T     `json:"v"`
	L []int `json:"l"`
}

// stdRow registers a route that returns v and the call of it.
type stdRow struct {
	name     string
	register func(r *kaito.Router[*kaito.Request], path string) (want string, ok bool)
}

func stdCase[T any](name string, v T) stdRow {
	return stdRow{name: name, register: func(r *kaito.Router[*kaito.Request], path string) (string, bool) {
		kaito.Get(r, path, func(*kaito.Request, struct{}) (T, error) { return v, nil })
		var b bytes.Buffer
		if err := kaito.StdJSON.Encode(&b, v); err != nil {
			return "", false
		}
		return strings.TrimSuffix(b.String(), "\n"), true
	}}
}

// TestDefaultCodecWritesWhatStdWrites: with either of go-json's encoders,
// the default codec writes what encoding/json writes (HTML characters as
// they are, invalid UTF-8 replaced, marshalers compacted, omitempty and
// omitzero, nil embedded pointers, map keys sorted, floats, time, raw
// messages, the string option) and refuses what it refuses (NaN, a map with
// float keys), answered 500: a float-keyed map beside a slice was written
// by the v2 encoder.
func TestDefaultCodecWritesWhatStdWrites(t *testing.T) {
	one := 1
	keys := map[string]int{}
	for _, k := range []string{"b", "a", "aa", "A", "é", "z", "\U0001F600", "\uff01", "a\x00", "_", "10", "9"} {
		keys[k] = len(keys)
	}
	rows := []stdRow{
		stdCase("HTML characters", "<a&b> \u2028"),
		stdCase("HTML characters, v2", stdWith[string]{V: "<a&b> \u2028", L: []int{}}),
		stdCase("invalid UTF-8", "bad\xff\xed\xa0\x80"),
		stdCase("invalid UTF-8, v2", stdWith[map[string]string]{V: map[string]string{"k\xff": "v\xff"}, L: []int{}}),
		stdCase("marshalers", [2]any{stdCompact{}, stdText{}}),
		stdCase("marshalers, v2", stdWith[[]any]{V: []any{stdCompact{}, stdText{}, stdPtrText{}, &stdPtrText{}}, L: []int{}}),
		stdCase("text map keys, v2", map[stdText]int{{}: 1}),
		stdCase("pointer-receiver text keys, v2", map[stdPtrText]int{{1}: 1}),
		stdCase("omitempty, omitzero, nil embedded pointer", stdOmit{L: []int{}}),
		stdCase("omitempty, omitzero, set", stdOmit{A: []int{1}, B: map[string]int{"x": 1}, C: time.Unix(0, 0).UTC(), D: &one, F: "f", G: 1, StdEmbedded: &StdEmbedded{E: 2}, L: []int{}}),
		stdCase("map keys sorted", keys),
		stdCase("integer map keys sorted", map[int]string{10: "a", 2: "b", -1: "c", 0: "d"}),
		stdCase("floats", stdFloats{F: []float64{1e21, 1e20, math.Copysign(0, -1), 1e-7, 0.000001, 123456789, 5e-324, math.MaxFloat64}, G: []float32{1e21, 3.4e38, 1e-7, 0.1}}),
		stdCase("float", 1e21),
		stdCase("time", time.Date(2020, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600))),
		stdCase("time, v2", stdWith[time.Time]{V: time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC), L: []int{}}),
		stdCase("raw message, v2", stdWith[json.RawMessage]{V: json.RawMessage(` { "a" : [1, 2] } `), L: []int{}}),
		stdCase("string option", stdQuoted{C: `a"b`, D: &one, E: 1.5, L: []int{}}),
		stdCase("NaN", math.NaN()),
		stdCase("NaN, v2", stdWith[float64]{V: math.NaN()}),
		stdCase("infinity, v2", stdWith[float32]{V: float32(math.Inf(-1))}),
		stdCase("invalid raw message, v2", stdWith[json.RawMessage]{V: json.RawMessage(`{bad`)}),
		stdCase("float map keys", map[float64]int{1.5: 1}),
		stdCase("float map keys, v2", stdWith[map[float64]int]{V: map[float64]int{1.5: 1}}),
		stdCase("float map keys in a map, v2", map[string]map[float64]int{"a": {1.5: 1}}),
		stdCase("a channel, v2", stdWith[chan int]{}),
	}
	r, _ := reqApp(t)
	type check struct {
		name string
		c    call
		want expect
	}
	var checks []check
	for i, row := range rows {
		path := fmt.Sprintf("/%d", i)
		want, ok := row.register(r, path)
		e := expect{200, map[string]string{"Content-Type": jsonCT}, want}
		if !ok {
			e = expect{500, nil, `{"message":"Internal Server Error"}`}
		}
		checks = append(checks, check{row.name, call{target: path}, e})
	}
	// encoding/json and go-json's v1 encoder write the replacement of
	// invalid UTF-8 as \ufffd, go-json's v2 encoder as the character
	// itself: the same string to any JSON decoder.
	replacement := strings.NewReplacer(`\ufffd`, "\ufffd")
	s := serve(r)
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			onEvery(t, s, c.c, func(t *testing.T, res result) {
				res.body = replacement.Replace(res.body)
				c.want.body = replacement.Replace(c.want.body)
				c.want.check(t, res)
			})
		})
	}
}

// fuzzFlat holds no slice or map: GoJSON writes it with go-json's v1
// encoder; fuzzNested may hold nil ones, written with its v2 encoder.
type fuzzFlat struct {
	S string  `json:"s"`
	F float64 `json:"f"`
	N int64   `json:"n,string"`
	P *string `json:"p,omitempty"`
	T stdText `json:"t"`
}

type fuzzNested struct {
	fuzzFlat
	M map[string]any `json:"m"`
	L []any          `json:"l"`
	K map[int64]bool `json:"k"`
}

// FuzzDefaultCodecMatchesStd: for any strings (valid UTF-8 or not), float,
// integer and any JSON document, GoJSON writes what StdJSON writes, with
// either of go-json's encoders (the one for types that may hold nil slices
// and maps, the other for those that cannot), and fails where it fails.
func FuzzDefaultCodecMatchesStd(f *testing.F) {
	f.Add("<a&b>", "k", 1e21, int64(-1), []byte(`{"a":[1,"x",null,{"b":true}],"é":1e-7}`))
	f.Add("bad\xff", "\xed\xa0\x80", math.Copysign(0, -1), int64(1)<<62, []byte(`[]`))
	f.Add("\u2028\u2029\x00", "", 5e-324, int64(0), []byte(`"\ud800"`))
	replacement := strings.NewReplacer(`\ufffd`, "\ufffd")
	f.Fuzz(func(t *testing.T, s, k string, fl float64, n int64, doc []byte) {
		var decoded any
		if json.Unmarshal(doc, &decoded) != nil {
			decoded = nil
		}
		flat := fuzzFlat{S: s, F: fl, N: n, P: &k, T: stdText{A: int(n)}}
		values := []any{
			flat,
			decoded,
			fuzzNested{fuzzFlat: flat, M: map[string]any{k: s, s: decoded}, L: []any{k, decoded, fl}, K: map[int64]bool{n: true, -n: false}},
		}
		for _, v := range values {
			var got, want bytes.Buffer
			gotErr, wantErr := kaito.GoJSON.Encode(&got, v), kaito.StdJSON.Encode(&want, v)
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("%#v: GoJSON error %v, StdJSON error %v", v, gotErr, wantErr)
			}
			if gotErr == nil && replacement.Replace(got.String()) != replacement.Replace(want.String()) {
				t.Fatalf("%#v:\nGoJSON  %q\nStdJSON %q", v, got.String(), want.String())
			}
		}
	})
}

// TestDefaultCodecConcurrent: requests served at once, on both adapters,
// each encoding with go-json's v1 or v2 encoder (whose options are shared),
// each get their own value; run with -race.
func TestDefaultCodecConcurrent(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Get(r, "/v1/:n", func(req *kaito.Request, _ struct{}) (fuzzFlat, error) {
		return fuzzFlat{S: req.Param("n")}, nil
	})
	kaito.Get(r, "/v2/:n", func(req *kaito.Request, _ struct{}) (fuzzNested, error) {
		return fuzzNested{fuzzFlat: fuzzFlat{S: req.Param("n")}, M: map[string]any{req.Param("n"): []int(nil)}}, nil
	})
	s := serve(r)
	do := []func(*testing.T, served, call) result{doNetHTTP, doFastHTTPDirect}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				n := fmt.Sprint(g*1000 + i)
				for _, path := range []string{"/v1/", "/v2/"} {
					res := do[i%2](t, s, call{target: path + n})
					want := `{"s":"` + n + `","f":0,"n":"0","t":"t<&>"`
					if path == "/v2/" {
						want += `,"m":{"` + n + `":[]},"l":[],"k":{}`
					}
					if want += "}"; res.status != 200 || res.body != want {
						t.Errorf("%s%s: %d %s, want %s", path, n, res.status, res.body, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
