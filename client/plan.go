package client

import (
	"bytes"
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/internal/typemodel"
)

// A plan says how a value of one In type becomes a request: built once per
// type from the type model the server's binder and documentation share,
// and cached.
type plan struct {
	err    error
	whole  bool    // In is not a struct: its JSON is the body
	path   []param // by pattern parameter name, see pathParam
	params []param // query, header and cookie fields
	body   bool    // In has body fields
	strip  []string
}

// param is one tagged field of In.
type param struct {
	source   typemodel.Source
	name     string
	field    string // the Go field name, for messages
	index    []int
	required bool
	slice    bool
	enc      func(v reflect.Value) (string, error)
}

var (
	plans      sync.Map     // reflect.Type -> *plan
	planBuilds atomic.Int64 // how many plans were built, for a test
)

func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p, _ := plans.LoadOrStore(t, buildPlan(t))
	return p.(*plan)
}

var (
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	multipartType     = reflect.TypeFor[*kaito.MultipartFile]()
)

func buildPlan(t reflect.Type) *plan {
	planBuilds.Add(1)
	if t.Kind() != reflect.Struct {
		if t.Kind() == reflect.Pointer {
			return &plan{err: fmt.Errorf("input %s is a pointer, which a route cannot bind", t)}
		}
		return &plan{whole: true}
	}
	m, err := typemodel.Input(t)
	if err != nil {
		return &plan{err: err}
	}
	p := &plan{}
	for i := range m.Fields {
		f := &m.Fields[i]
		if f.Source == typemodel.Body {
			et, _ := typemodel.Deref(f.Type)
			if f.Type == multipartType || (et.Kind() == reflect.Slice && et.Elem() == multipartType) {
				return &plan{err: fmt.Errorf("field %s.%s is a file upload, which the client does not send", t, f.Name)}
			}
			p.body = true
			continue
		}
		if f.JSONName != "" {
			p.strip = append(p.strip, f.JSONName)
		}
		et := f.Type
		slice := false
		if et.Kind() == reflect.Slice && !et.Implements(textMarshalerType) {
			et, slice = et.Elem(), true
		}
		enc, err := encoderFor(et)
		if err != nil {
			return &plan{err: fmt.Errorf("field %s.%s (%s:%q): %w", t, f.Name, f.Source, f.SourceName, err)}
		}
		if slice && (f.Source == typemodel.Path || f.Source == typemodel.Cookie) {
			return &plan{err: fmt.Errorf("field %s.%s (%s:%q): a %s holds one value, not a slice", t, f.Name, f.Source, f.SourceName, f.Source)}
		}
		prm := param{source: f.Source, name: f.SourceName, field: f.Name, index: f.Index, required: f.Required, slice: slice, enc: enc}
		if f.Source == typemodel.Path {
			p.path = append(p.path, prm)
		} else {
			p.params = append(p.params, prm)
		}
	}
	return p
}

// encoderFor returns how a value of t is written as text: as the server's
// binder reads it back (strconv's formats, or MarshalText).
func encoderFor(t reflect.Type) (func(reflect.Value) (string, error), error) {
	if t.Kind() == reflect.Pointer {
		enc, err := encoderFor(t.Elem())
		if err != nil {
			return nil, err
		}
		return func(v reflect.Value) (string, error) { return enc(v.Elem()) }, nil
	}
	if t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
		return func(v reflect.Value) (string, error) {
			if !v.Type().Implements(textMarshalerType) {
				c := reflect.New(v.Type())
				c.Elem().Set(v)
				v = c
			}
			b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
			return string(b), err
		}, nil
	}
	switch t.Kind() {
	case reflect.String:
		return func(v reflect.Value) (string, error) { return v.String(), nil }, nil
	case reflect.Bool:
		return func(v reflect.Value) (string, error) { return strconv.FormatBool(v.Bool()), nil }, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value) (string, error) { return strconv.FormatInt(v.Int(), 10), nil }, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(v reflect.Value) (string, error) { return strconv.FormatUint(v.Uint(), 10), nil }, nil
	case reflect.Float32, reflect.Float64:
		bits := t.Bits()
		return func(v reflect.Value) (string, error) { return strconv.FormatFloat(v.Float(), 'g', -1, bits), nil }, nil
	}
	return nil, fmt.Errorf("cannot write a %s as text", t)
}

// values returns the texts of a tagged field; none when an optional field
// is nil or zero (the server reads an absent value as the zero value).
func (p *param) values(in reflect.Value) ([]string, error) {
	v, err := in.FieldByIndexErr(p.index)
	if err != nil || (!p.required && v.IsZero()) {
		return nil, nil // a nil embedded pointer: nothing to send
	}
	if p.slice {
		out := make([]string, 0, v.Len())
		for i := range v.Len() {
			e := v.Index(i)
			if e.Kind() == reflect.Pointer && e.IsNil() {
				continue
			}
			s, err := p.enc(e)
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", p.field, err)
			}
			out = append(out, s)
		}
		return out, nil
	}
	if v.Kind() == reflect.Pointer && v.IsNil() {
		if p.source == typemodel.Path {
			return nil, fmt.Errorf("path parameter %q: field %s is nil", p.name, p.field)
		}
		return nil, nil
	}
	s, err := p.enc(v)
	if err != nil {
		return nil, fmt.Errorf("field %s: %w", p.field, err)
	}
	return []string{s}, nil
}

// segment is a piece of a route pattern: literal text, or a parameter.
type segment struct {
	lit      string
	param    string
	catchAll bool
}

var patterns sync.Map // string -> []segment

// segmentsOf splits an httprouter pattern into literals and parameters
// (":name" up to the next '/', "*name" to the end).
func segmentsOf(pattern string) []segment {
	if s, ok := patterns.Load(pattern); ok {
		return s.([]segment)
	}
	var out []segment
	rest := pattern
	for rest != "" {
		i := strings.IndexAny(rest, ":*")
		if i < 0 {
			out = append(out, segment{lit: rest})
			break
		}
		if i > 0 {
			out = append(out, segment{lit: rest[:i]})
		}
		catchAll := rest[i] == '*'
		rest = rest[i+1:]
		end := strings.IndexByte(rest, '/')
		if end < 0 || catchAll {
			end = len(rest)
		}
		out = append(out, segment{param: rest[:end], catchAll: catchAll})
		rest = rest[end:]
	}
	s, _ := patterns.LoadOrStore(pattern, out)
	return s.([]segment)
}

// checkSegment refuses a path parameter's value that the server could not
// read back as that parameter: the router matches the path with its %XX
// escapes decoded, so a '/' would begin a new segment (another route, or
// none), and "." or ".." would be cleaned away (a redirect to another path).
func checkSegment(name, field, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("path parameter %q (field %s) is empty", name, field)
	case strings.Contains(v, "/"):
		return fmt.Errorf("path parameter %q (field %s): %q has a '/', which the server reads as a new path segment", name, field, v)
	case v == "." || v == "..":
		return fmt.Errorf("path parameter %q (field %s): %q is a dot segment, which the server cleans away", name, field, v)
	}
	return nil
}

// escapePath writes a path parameter's value: every '/', '?', '#', '%'
// and space escaped, so that the server sees the value it was given. A
// catch-all value keeps its slashes.
func escapePath(b *strings.Builder, v string, catchAll bool) {
	if !catchAll {
		b.WriteString(url.PathEscape(v))
		return
	}
	for i, s := range strings.Split(v, "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(url.PathEscape(s))
	}
}

// request builds the request for in.
func (p *plan) request(ctx context.Context, c *Client, method, pattern string, in reflect.Value) (*http.Request, error) {
	// The path: the base URL's, then the pattern with its parameters.
	var path strings.Builder
	path.WriteString(c.base.EscapedPath())
	for _, s := range segmentsOf(pattern) {
		if s.param == "" {
			path.WriteString(s.lit)
			continue
		}
		var prm *param
		for i := range p.path {
			if p.path[i].name == s.param {
				prm = &p.path[i]
			}
		}
		if prm == nil {
			return nil, fmt.Errorf("no field of %s is tagged path:%q", in.Type(), s.param)
		}
		vals, err := prm.values(in)
		if err != nil {
			return nil, err
		}
		v := ""
		if len(vals) > 0 {
			v = vals[0]
		}
		if s.catchAll {
			// httprouter's catch-all value begins with the '/' before it.
			v = strings.TrimPrefix(v, "/")
		} else if err := checkSegment(s.param, prm.field, v); err != nil {
			return nil, err
		}
		escapePath(&path, v, s.catchAll)
	}
	u := *c.base
	u.RawPath = path.String()
	unescaped, err := url.PathUnescape(u.RawPath)
	if err != nil {
		return nil, err
	}
	u.Path = unescaped

	header := c.header.Clone()
	var query url.Values
	var cookies []string
	for i := range p.params {
		prm := &p.params[i]
		vals, err := prm.values(in)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			switch prm.source {
			case typemodel.Query:
				if query == nil {
					query = url.Values{}
				}
				query.Add(prm.name, v)
			case typemodel.Header:
				header.Add(prm.name, v)
			case typemodel.Cookie:
				if !validCookieValue(v) {
					return nil, fmt.Errorf("cookie %q (field %s): the value has a byte a cookie cannot carry (a space, '\"', ',', ';', '\\' or a control)", prm.name, prm.field)
				}
				cookies = append(cookies, prm.name+"="+v)
			}
		}
	}
	if query != nil {
		u.RawQuery = query.Encode()
	}
	if len(cookies) > 0 {
		if old := header.Get("Cookie"); old != "" {
			cookies = append([]string{old}, cookies...)
		}
		header.Set("Cookie", strings.Join(cookies, "; "))
	}

	var body []byte
	switch {
	case p.whole:
		if body, err = json.Marshal(in.Interface()); err != nil {
			return nil, fmt.Errorf("encoding the body: %w", err)
		}
	case p.body:
		if body, err = json.Marshal(in.Interface()); err != nil {
			return nil, fmt.Errorf("encoding the body: %w", err)
		}
		if len(p.strip) > 0 {
			if body, err = stripKeys(body, p.strip); err != nil {
				return nil, fmt.Errorf("encoding the body: %w", err)
			}
		}
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// stripKeys removes the keys of tagged fields from a JSON object: they are
// sent in the path, query, headers or cookies, and the server ignores them
// in the body.
func stripKeys(body []byte, keys []string) ([]byte, error) {
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return body, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, errors.New("the input's JSON is not an object")
	}
	for _, k := range keys {
		delete(m, k)
	}
	return json.Marshal(m)
}

// validCookieValue reports whether v is a cookie-value of RFC 6265 without
// quotes, which every server reads back unchanged.
func validCookieValue(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\' {
			return false
		}
	}
	return true
}
