package kaito

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

type fuzzFlat struct {
	Name  string         `json:"name"`
	Age   int            `json:"age"`
	Tags  []string       `json:"tags"`
	Meta  map[string]int `json:"meta"`
	Note  *string        `json:"note"`
	Extra string         `json:"extra,omitempty"`
}

// FuzzPresenceScan: on any input the scans of a body's keys never panic,
// and on a JSON object they find the required keys encoding/json finds
// (matched without regard to case, null counting as absent).
func FuzzPresenceScan(f *testing.F) {
	for _, s := range []string{
		`{"name":"a","age":1,"tags":[],"meta":{}}`,
		`{"NAME":"a","age":null,"tags":["}"],"meta":{"x":1},"z":{"a":[1,{"b":"\"}"}]}}`,
		`{"na\u006de":"x","age":-1.5e3}`,
		` { "name" : "a\\" , "age" : 0 } `,
		`{"age":1,"age":null,"name":"","tags":null,"tags":[],"meta":{}}`,
		`{"name":"a"`, `{"name"}`, `{`, `{"a":"\`, `{"\\":1}`, `{"a":[}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	val := validationFor(reflect.TypeFor[fuzzFlat]())
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || data[0] != '{' {
			return
		}
		seen, flatOK := flatScan(data, val.body)
		s := presenceScan{data: data}
		s.path.push(seg{name: "body", index: -1})
		s.object(val.body)
		if !json.Valid(data) {
			return
		}
		// The keys of the object with a value other than null, as a
		// decoder into the struct sets them (a repeated key counts once set).
		var keys []string
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.Token() // {
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return
			}
			var raw json.RawMessage
			if dec.Decode(&raw) != nil {
				return
			}
			if string(raw) != "null" {
				keys = append(keys, k.(string))
			}
		}
		var want []string
		for _, f := range val.body.fields {
			if f.required && !slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, f.name) }) {
				want = append(want, "body."+f.name)
			}
		}
		if !s.bad && !slices.Equal(s.missing, want) {
			t.Errorf("presenceScan(%q) missing %q, want %q", data, s.missing, want)
		}
		if flatOK {
			if got := val.body.missingOf(seen); !slices.Equal(got, want) {
				t.Errorf("flatScan(%q) missing %q, want %q", data, got, want)
			}
		}
	})
}

type fuzzNestedItem struct {
	Name string          `json:"name"`
	Sub  *fuzzNestedItem `json:"sub,omitempty"`
}

// FuzzPresenceScanNested: on any input the scan of a whole body whose
// structs are in containers of containers ends without a panic, and finds
// a missing name at the location of its element.
func FuzzPresenceScanNested(f *testing.F) {
	for _, s := range []string{
		`[{"k":[{"name":"a"},{}]}]`, `[{"k":[null,{"sub":{}}]},null,{}]`, `[[[`, `[{"k":[{"name":"a"`,
		`[{"k":{}}]`, `[{"\\"":[{}]}]`, `[1,"x",{"k":1}]`,
	} {
		f.Add([]byte(s))
	}
	val := validationFor(reflect.TypeFor[[]map[string][]fuzzNestedItem]())
	f.Fuzz(func(t *testing.T, data []byte) {
		s := presenceScan{data: data}
		s.path.push(seg{name: "body", index: -1})
		s.contents(val.whole)
		if string(data) == `[{"k":[{"name":"a"},{}]}]` && !slices.Equal(s.missing, []string{"body[0].k[1].name"}) {
			t.Errorf("missing %q", s.missing)
		}
	})
}
