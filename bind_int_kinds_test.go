package kaito_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"testing"

	"github.com/kaito-go/kaito"
)

// intIn is a fast-plan input of one integer field of kind T, from the path
// and from the query.
type intIn[T any] struct {
	P T `path:"v"`
	Q T `query:"q"`
}

func routeInt[T any](r *kaito.Router[appCtx], name string) {
	kaito.Get(r, "/"+name+"/:v", func(_ appCtx, in intIn[T]) ([2]T, error) { return [2]T{in.P, in.Q}, nil })
}

// intInputs are values at and around the edges of every integer size, and
// what strconv refuses: signs, a prefix, an underscore, spaces, 19 and 20
// digits.
var intInputs = []string{
	"0", "-0", "+7", "-7", "007", "127", "128", "-128", "-129", "255", "256", "65535", "65536", "-32769",
	"2147483647", "2147483648", "4294967295", "4294967296", "999999999999999999", "-999999999999999999",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
	"18446744073709551615", "18446744073709551616", "0x10", "1_0", "1e3", "--1", "+-1", "1-", "%201", "1%20",
	"1.0", "-", "+",
}

// TestIntFieldsAgreeWithStrconv: an integer field of every kind, from the
// path and from the query, takes what strconv takes at the kind's size
// (int and uint at the platform's) and answers 400 with
// strconv's verdict otherwise, on both adapters.
func TestIntFieldsAgreeWithStrconv(t *testing.T) {
	r := newApp()
	kinds := []struct {
		name string
		typ  reflect.Type
	}{
		{"int", reflect.TypeFor[int]()}, {"int8", reflect.TypeFor[int8]()}, {"int16", reflect.TypeFor[int16]()},
		{"int32", reflect.TypeFor[int32]()}, {"int64", reflect.TypeFor[int64]()}, {"uint", reflect.TypeFor[uint]()},
		{"uint8", reflect.TypeFor[uint8]()}, {"uint16", reflect.TypeFor[uint16]()}, {"uint32", reflect.TypeFor[uint32]()},
		{"uint64", reflect.TypeFor[uint64]()},
	}
	routeInt[int](r, "int")
	routeInt[int8](r, "int8")
	routeInt[int16](r, "int16")
	routeInt[int32](r, "int32")
	routeInt[int64](r, "int64")
	routeInt[uint](r, "uint")
	routeInt[uint8](r, "uint8")
	routeInt[uint16](r, "uint16")
	routeInt[uint32](r, "uint32")
	routeInt[uint64](r, "uint64")
	var tt table
	for _, k := range kinds {
		bits := int(k.typ.Size()) * 8
		signed := k.typ.Kind() >= reflect.Int && k.typ.Kind() <= reflect.Int64
		what := "an integer"
		if !signed {
			what = "a non-negative integer"
		}
		for _, raw := range intInputs {
			s, err := url.PathUnescape(raw)
			if err != nil {
				t.Fatal(err)
			}
			var text string
			if signed {
				var n int64
				n, err = strconv.ParseInt(s, 10, bits)
				text = strconv.FormatInt(n, 10)
			} else {
				var n uint64
				n, err = strconv.ParseUint(s, 10, bits)
				text = strconv.FormatUint(n, 10)
			}
			path := call{target: "/" + k.name + "/" + raw}
			query := call{target: "/" + k.name + "/1?q=" + url.QueryEscape(s)}
			if err == nil {
				tt = append(tt,
					struct {
						name string
						call call
						want expect
					}{k.name + " path " + raw, path, expect{200, nil, "[" + text + ",0]"}},
					struct {
						name string
						call call
						want expect
					}{k.name + " query " + raw, query, expect{200, nil, "[1," + text + "]"}})
				continue
			}
			verdict := fmt.Sprintf("%q is not %s", s, what)
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				verdict = fmt.Sprintf("%q is out of range", s)
			}
			tt = append(tt,
				struct {
					name string
					call call
					want expect
				}{k.name + " path " + raw, path, expect{400, nil, badInput("path parameter", "path", "v", verdict)}},
				struct {
					name string
					call call
					want expect
				}{k.name + " query " + raw, query, expect{400, nil, badInput("query parameter", "query", "q", verdict)}})
		}
	}
	tt.run(t, serve(r))
}

// badInput is the 400 answer for one invalid input.
func badInput(what, location, name, verdict string) string {
	msg, _ := json.Marshal(fmt.Sprintf("invalid %s %q: %s", what, name, verdict))
	v, _ := json.Marshal(verdict)
	return fmt.Sprintf(`{"message":%s,"errors":[{"location":"%s.%s","message":%s}]}`, msg, location, name, v)
}
