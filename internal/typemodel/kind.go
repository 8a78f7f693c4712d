package typemodel

import (
	"encoding"
	"encoding/json"
	"reflect"
	"time"
)

// Kind classifies a type by how encoding/json writes it.
type Kind uint8

// The kinds, in the order encoding/json looks at a type: a pointer first,
// then time.Time, a json.Marshaler, an encoding.TextMarshaler, then the
// type's reflect.Kind.
const (
	Unsupported Kind = iota // channels, functions, complex numbers: encoding/json refuses them
	Pointer                 // a pointer: its element, or null
	Time                    // time.Time: an RFC 3339 string
	Marshaler               // a json.Marshaler other than time.Time: JSON of unknown shape
	Text                    // an encoding.TextMarshaler: a string
	Bool                    // bool
	Int                     // int, int8 ... int64
	Uint                    // uint, uint8 ... uint64, uintptr
	Float                   // float32, float64
	String                  // string
	Bytes                   // []byte: a base64 string
	Slice                   // a slice or an array: a JSON array
	Map                     // a map with string, integer or TextMarshaler keys: a JSON object
	Struct                  // a struct: a JSON object of its fields (see Of)
	Interface               // an interface: any JSON
)

var kindNames = [...]string{"unsupported", "pointer", "time", "marshaler", "text", "bool", "int", "uint",
	"float", "string", "bytes", "slice", "map", "struct", "interface"}

// String returns the kind's name in lower case, e.g. "time".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// implements reports whether a value of t, or an addressable one, has the
// methods of iface.
func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || (t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(iface))
}

// KindOf returns how encoding/json writes a value of type t.
func KindOf(t reflect.Type) Kind {
	switch {
	case t.Kind() == reflect.Pointer:
		return Pointer
	case t == timeType:
		return Time
	case implements(t, marshalerType):
		return Marshaler
	case implements(t, textMarshalerType):
		return Text
	}
	switch t.Kind() {
	case reflect.Bool:
		return Bool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Int
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return Uint
	case reflect.Float32, reflect.Float64:
		return Float
	case reflect.String:
		return String
	case reflect.Slice:
		e := t.Elem()
		if e.Kind() == reflect.Uint8 && !implements(e, marshalerType) && !implements(e, textMarshalerType) {
			return Bytes
		}
		return Slice
	case reflect.Array:
		return Slice
	case reflect.Map:
		k := t.Key()
		switch {
		case k.Kind() == reflect.String, implements(k, textMarshalerType):
			return Map
		}
		switch KindOf(k) {
		case Int, Uint:
			return Map
		}
		return Unsupported
	case reflect.Struct:
		return Struct
	case reflect.Interface:
		return Interface
	}
	return Unsupported
}

// Deref returns t with its pointers removed, and whether it had any.
func Deref(t reflect.Type) (elem reflect.Type, pointer bool) {
	for t.Kind() == reflect.Pointer {
		t, pointer = t.Elem(), true
	}
	return t, pointer
}
