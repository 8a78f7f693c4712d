package openapi_test

import (
	"encoding/json"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/openapi"
)

// Widths holds integers narrower than their OpenAPI format.
type Widths struct {
	I8     int8   `json:"i8"`
	I16    int16  `json:"i16"`
	I32    int32  `json:"i32"`
	I64    int64  `json:"i64"`
	U8     uint8  `json:"u8"`
	U16    uint16 `json:"u16"`
	U32    uint32 `json:"u32"`
	U64    uint64 `json:"u64"`
	Tagged uint8  `json:"tagged" maximum:"10"`
	Lower  int8   `json:"lower" minimum:"-5"`
	Query  uint16 `json:"-" query:"q"`
}

// An integer's schema states the range of its Go type when its format
// does not (int8, int16, uint8, uint16, uint32): the binder refuses a value
// out of that range with 400, so the document refuses it too. A constraint
// tag replaces the bound it sets, and keeps the other.
func TestIntegerRanges(t *testing.T) {
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	kaito.Put(r, "/widths", func(_ struct{}, in Widths) (Widths, error) { return in, nil })
	m := doc(t, r.Routes(), openapi.Config{})
	props := []string{"components", "schemas", "Widths", "properties"}
	cases := []struct {
		path []string
		want string
	}{
		{append(props, "i8"), `{"format":"int32","maximum":127,"minimum":-128,"type":"integer"}`},
		{append(props, "i16"), `{"format":"int32","maximum":32767,"minimum":-32768,"type":"integer"}`},
		{append(props, "i32"), `{"format":"int32","type":"integer"}`},
		{append(props, "i64"), `{"format":"int64","type":"integer"}`},
		{append(props, "u8"), `{"format":"int32","maximum":255,"minimum":0,"type":"integer"}`},
		{append(props, "u16"), `{"format":"int32","maximum":65535,"minimum":0,"type":"integer"}`},
		{append(props, "u32"), `{"format":"int64","maximum":4294967295,"minimum":0,"type":"integer"}`},
		{append(props, "u64"), `{"minimum":0,"type":"integer"}`},
		{append(props, "tagged"), `{"format":"int32","maximum":10,"minimum":0,"type":"integer"}`},
		{append(props, "lower"), `{"format":"int32","maximum":127,"minimum":-5,"type":"integer"}`},
		{[]string{"paths", "/widths", "put", "parameters", "0", "schema"}, `{"format":"int32","maximum":65535,"minimum":0,"type":"integer"}`},
	}
	for _, c := range cases {
		got, err := json.Marshal(at(m, c.path...))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("%v = %s, want %s", c.path, got, c.want)
		}
	}
}
