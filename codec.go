package kaito

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	gojson "github.com/goccy/go-json"
)

// Codec encodes responses and decodes request bodies as JSON. The default
// is go-json; WithCodec(StdJSON) swaps in encoding/json, for comparison or
// for types whose encoding differs between the two.
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

// StdJSON is the codec of the standard library's encoding/json.
var StdJSON Codec = stdJSON{}

type goJSON struct{}

func (goJSON) Encode(w io.Writer, v any) error {
	enc := gojson.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
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

func (w *jsonWriter) encode(codec Codec, status int, v any) error {
	w.status = status
	if codec == nil {
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
	if status == http.StatusNoContent {
		req.WriteHeader(status)
		return
	}
	req.WriteHeader(status)
	n, _ := req.x.Write(p)
	req.written += int64(n)
}
