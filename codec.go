package kaito

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strconv"
	"sync"

	gojson "github.com/goccy/go-json"
	"github.com/goccy/go-json/jsontext"
	gojsonv2 "github.com/goccy/go-json/v2"

	"github.com/kaito-go/kaito/internal/typemodel"
)

// Codec encodes responses and decodes request bodies as JSON. The default
// is go-json; WithCodec(StdJSON) swaps in encoding/json, for comparison or
// for types whose encoding differs between the two.
//
// The default codec writes a nil slice as [] and a nil map as {} (a nil
// []byte as ""), which is what package openapi and the clients describe: an
// array, an object, a string, never null. It otherwise writes what
// encoding/json writes. Another codec writes what it writes: encoding/json
// (StdJSON) writes null for them, which the document does not allow.
type Codec interface {
	// Encode writes the JSON encoding of v to w.
	Encode(w io.Writer, v any) error
	// Decode parses data into v, a non-nil pointer. data may be a buffer
	// the server reuses after the request: the values decoded into v must
	// not refer to it (go-json and encoding/json copy what they keep).
	Decode(data []byte, v any) error
}

// GoJSON is the default codec, github.com/goccy/go-json.
var GoJSON Codec = goJSON{}

// StdJSON is the codec of the standard library's encoding/json. It writes
// a nil slice or map as null, where the default codec writes [] or {} as
// package openapi and the clients describe them.
var StdJSON Codec = stdJSON{}

type goJSON struct{}

func (goJSON) Encode(w io.Writer, v any) error {
	t := reflect.TypeOf(v)
	emptyNil, ok := emptyNilTypes.Load(t)
	if !ok {
		emptyNil = t == nil || mayHoldNil(t)
		emptyNilTypes.Store(t, emptyNil)
	}
	if !emptyNil.(bool) {
		enc := gojson.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	if err := gojsonv2.MarshalWrite(w, v, emptyNilOptions); err != nil {
		return err
	}
	_, err := w.Write(newline)
	return err
}

var newline = []byte{'\n'}

// emptyNilOptions make go-json's encoding/json-compatible encoder write a
// nil slice as [] and a nil map as {} (a nil []byte as ""), and leave "<",
// ">" and "&" as they are: the JSON of a response, never HTML.
var emptyNilOptions = gojsonv2.JoinOptions(gojson.DefaultOptionsV1(),
	gojsonv2.FormatNilSliceAsNull(false), gojsonv2.FormatNilMapAsNull(false), jsontext.EscapeForHTML(false))

// mayHoldNil reports whether the JSON of a value of type t may hold a nil
// slice or map, which encoding/json writes as null: then the default codec
// writes it with emptyNilOptions, otherwise with go-json's faster encoder
// (decided once per Out type, at registration). An interface may hold
// anything. It is false for a type that holds one encoding/json cannot
// encode (a map with float keys, a channel, a function), which go-json's
// v2 encoder would write in part: its v1 encoder refuses the whole type,
// as encoding/json does, whatever the fields beside it.
func mayHoldNil(t reflect.Type) bool {
	holds, unsupported := nilHolding(t, map[reflect.Type]bool{})
	return holds && !unsupported
}

// nilHolding reports whether the JSON of a value of type t may hold a nil
// slice or map (holds), and whether t holds a type that encoding/json
// cannot encode (unsupported). seen are the struct types walked already.
func nilHolding(t reflect.Type, seen map[reflect.Type]bool) (holds, unsupported bool) {
	switch typemodel.KindOf(t) {
	case typemodel.Unsupported:
		return false, true
	case typemodel.Pointer:
		return nilHolding(t.Elem(), seen)
	case typemodel.Interface, typemodel.Bytes:
		return true, false
	case typemodel.Map:
		_, unsupported = nilHolding(t.Elem(), seen)
		return true, unsupported
	case typemodel.Slice:
		holds, unsupported = nilHolding(t.Elem(), seen)
		return holds || t.Kind() == reflect.Slice, unsupported
	case typemodel.Struct:
		if seen[t] {
			return false, false
		}
		seen[t] = true
		m, err := typemodel.Of(t)
		if err != nil {
			return true, false // the encoder reports what is wrong
		}
		for _, f := range m.JSONFields() {
			h, u := nilHolding(f.Type, seen)
			if u {
				return false, true
			}
			holds = holds || (h && !f.Quoted)
		}
		return holds, false
	}
	return false, false
}

// emptyNilTypes caches mayHoldNil for the values GoJSON.Encode is given.
var emptyNilTypes sync.Map // reflect.Type -> bool

func (goJSON) Decode(data []byte, v any) error { return gojson.Unmarshal(data, v) }

type stdJSON struct{}

func (stdJSON) Encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
func (stdJSON) Decode(data []byte, v any) error { return json.Unmarshal(data, v) }

// WithCodec sets the JSON codec for responses and request bodies.
func WithCodec(c Codec) Option {
	return func(cfg *config) error {
		if c == GoJSON {
			c = nil // the built-in fast path
		}
		cfg.codec = c
		return nil
	}
}

// decodeJSON parses data into v with the router's codec.
func (c *core) decodeJSON(data []byte, v any) error {
	if c.codec == nil {
		return gojson.Unmarshal(data, v)
	}
	return c.codec.Decode(data, v)
}

// jsonWriter sends one JSON response. With the default codec, go-json
// encodes into its own pooled buffer and hands the result to Write in one
// call, which sends it: no copy and no allocation of ours. Encoders end the
// value with a newline, which is dropped.
type jsonWriter struct {
	req    *Request
	status int
	enc    *gojson.Encoder
	buf    bytes.Buffer
}

func (w *jsonWriter) encode(codec Codec, status int, v any, emptyNil bool) error {
	w.status = status
	if codec == nil {
		if emptyNil {
			// One call to Write with the whole value, as Encode makes.
			return gojsonv2.MarshalWrite(w, v, emptyNilOptions)
		}
		if w.enc == nil {
			w.enc = gojson.NewEncoder(w)
			// Responses are application/json, never HTML: "<" stays "<".
			w.enc.SetEscapeHTML(false)
		}
		return w.enc.Encode(v)
	}
	w.buf.Reset()
	if err := codec.Encode(&w.buf, v); err != nil {
		return err
	}
	_, err := w.Write(w.buf.Bytes())
	if w.buf.Cap() > 64<<10 {
		w.buf = bytes.Buffer{}
	}
	return err
}

// Write sends p, the whole encoded value.
func (w *jsonWriter) Write(p []byte) (int, error) {
	n := len(p)
	if n > 0 && p[n-1] == '\n' {
		p = p[:n-1]
	}
	w.send(w.status, p)
	return n, nil
}

func (w *jsonWriter) send(status int, p []byte) {
	req := w.req
	if req.headOnly {
		req.x.Header().Set("Content-Length", strconv.Itoa(len(p)))
		req.WriteHeader(status)
		return
	}
	if !bodyAllowed(status) {
		req.WriteHeader(status)
		return
	}
	req.WriteHeader(status)
	n, _ := req.x.Write(p)
	req.written += int64(n)
}
