package kaito

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	gojson "github.com/goccy/go-json"
	"github.com/kaito-go/kaito/internal/typemodel"
	"github.com/kaito-go/kaito/values"
)

// Binding fills a handler's In from the request, by a plan made once per
// route, at registration, from In's type; a request only runs the plan.
// Handle's documentation states the rules; bind_fast.go has the plan for
// the commonest inputs.

type fieldPlan struct {
	index  []int   // the field's path from In: more than one step in an embedded struct
	offset uintptr // the field's offset in In
	name   string  // the name in its source
	source string  // path, query, header, cookie, or form
	set    *setter
	files  bool // a *MultipartFile or []*MultipartFile form field
}

type bindPlan struct {
	tagged    []fieldPlan
	form      map[string]fieldPlan // body fields by lower-cased form name
	hasBody   bool
	wholeBody bool
	validate  bool
	check     *validation // the constraint and required checks (validate.go)
	// shadow, when In has tagged fields, is a struct of In's body fields
	// alone (embedded structs with tagged fields are shadowed in turn):
	// the JSON body is decoded into it, so that a JSON key named like a
	// tagged field is ignored rather than decoded (and perhaps refused)
	// into it. nil when reflect cannot build it: the body is then decoded
	// into In and the tagged fields reset.
	shadow *shadowPlan
	// uploads are the *MultipartFile and []*MultipartFile fields.
	uploads [][]int
}

type validator interface{ Validate() error }

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	validatorType       = reflect.TypeFor[validator]()
	multipartFileType   = reflect.TypeFor[*MultipartFile]()
)

// binderFor returns the binding of In by plan; nil when plan is nil, as
// In needs nothing from the request (struct{} costs nothing).
func binderFor[In any](plan *bindPlan) func(req *Request, in *In) error {
	if plan == nil {
		return nil
	}
	return func(req *Request, in *In) error {
		return plan.bind(req, reflect.ValueOf(in).Elem(), in, unsafe.Pointer(in))
	}
}

// planFor plans the binding of a route's In, of type t, and panics, naming
// the route and the field, if t cannot be bound as the route is declared.
// nil means t needs nothing from the request. In's fields, their sources
// and names, are read by the type model (typemodel.Input), as the OpenAPI
// document and the clients read them.
func planFor(t reflect.Type, rt *Route) *bindPlan {
	route := "kaito: route " + rt.method + " " + rt.pattern + ": "
	if t.Kind() == reflect.Pointer {
		panic(fmt.Sprintf("%sthe input %s is a pointer: declare the input as %s", route, t, t.Elem()))
	}
	if m, ok := reflect.PointerTo(t).MethodByName("Validate"); ok && !reflect.PointerTo(t).Implements(validatorType) {
		panic(fmt.Sprintf("%s(*%s).%s is not Validate() error: it would never run", route, t, signature(m)))
	}
	p := &bindPlan{validate: reflect.PointerTo(t).Implements(validatorType)}
	if t.Kind() != reflect.Struct {
		if t.Kind() == reflect.Interface && t.NumMethod() > 0 {
			panic(fmt.Sprintf("%scannot bind a request into %s: an interface with methods", route, t))
		}
		p.hasBody, p.wholeBody = true, true
		p.check = validationFor(t)
		return p
	}
	where := t.String()
	if t.Name() == "" {
		where = "In" // an anonymous struct, too long to quote
	}
	m, err := typemodel.Input(t)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "typemodel: ")
		panic(route + strings.ReplaceAll(msg, t.String(), where))
	}
	params := patternParams(rt.pattern)
	for _, f := range m.Tagged() {
		name := where + "." + f.Path
		set, err := setterFor(f.Type)
		if err != nil {
			panic(fmt.Sprintf("%sfield %s (%s:%q): %v", route, name, f.Source, f.SourceName, err))
		}
		if f.Source == typemodel.Path && params != nil && !slices.Contains(params, f.SourceName) {
			panic(fmt.Sprintf("%sfield %s has path:%q, but the pattern has no parameter %q", route, name, f.SourceName, f.SourceName))
		}
		p.tagged = append(p.tagged, fieldPlan{index: f.Index, offset: offsetOf(t, f.Index), name: f.SourceName, source: f.Source.String(), set: set})
	}
	depth := map[string]int{}
	for _, f := range m.BodyFields() {
		p.hasBody = true
		files := f.Type == multipartFileType || (f.Type.Kind() == reflect.Slice && f.Type.Elem() == multipartFileType)
		if files {
			p.uploads = append(p.uploads, f.Index)
		}
		if f.FormName == "" {
			continue // form:"-"
		}
		fp := fieldPlan{index: f.Index, name: f.FormName, source: "form", files: files}
		if set, err := setterFor(f.Type); err == nil && !files {
			fp.set = set
		}
		// Form names match without regard to case; as in Go and in
		// encoding/json, a field nearer to In hides a field of the same
		// name deeper in an embedded struct (and of two at one depth, the
		// first is read).
		key := strings.ToLower(f.FormName)
		if d, seen := depth[key]; seen && d <= len(f.Index) {
			continue
		}
		if p.form == nil {
			p.form = make(map[string]fieldPlan)
		}
		p.form[key], depth[key] = fp, len(f.Index)
	}
	if !p.hasBody && len(p.tagged) == 0 && !p.validate {
		return nil
	}
	if p.hasBody && len(p.tagged) > 0 {
		p.shadow = shadowFor(t, m)
	}
	p.check = validationFor(t)
	return p
}

// offsetOf returns the offset in struct t of the field at index, which
// goes through structs embedded by value only (typemodel.Input refuses a
// tagged field in a struct embedded by pointer).
func offsetOf(t reflect.Type, index []int) uintptr {
	var off uintptr
	for _, i := range index {
		f := t.Field(i)
		off += f.Offset
		t = f.Type
	}
	return off
}

// signature writes a method's name and signature, without its receiver.
func signature(m reflect.Method) string {
	var b strings.Builder
	b.WriteString(m.Name + "(")
	for i := 1; i < m.Type.NumIn(); i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		b.WriteString(m.Type.In(i).String())
	}
	b.WriteString(")")
	switch n := m.Type.NumOut(); {
	case n == 1:
		b.WriteString(" " + m.Type.Out(0).String())
	case n > 1:
		b.WriteString(" (")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(m.Type.Out(i).String())
		}
		b.WriteString(")")
	}
	return b.String()
}

// patternParams returns the names of a pattern's parameters (:id, *path),
// or nil if the pattern is malformed (registration then fails on that).
func patternParams(pattern string) []string {
	if checkPattern(pattern) != nil {
		return nil
	}
	params := []string{}
	for _, seg := range strings.Split(pattern, "/") {
		if w := strings.IndexAny(seg, ":*"); w >= 0 {
			params = append(params, seg[w+1:])
		}
	}
	return params
}

// shadowPlan is a struct type made of another's body fields, and how to
// copy its fields back.
type shadowPlan struct {
	typ    reflect.Type
	fields []shadowField
}

type shadowField struct {
	from int         // the field in the shadow
	to   int         // the field in the original struct
	sub  *shadowPlan // the shadow of an embedded struct
	ptr  bool        // sub is embedded by pointer
}

// ignored takes any JSON value and keeps none. A tagged field has this
// type in a shadow.
type ignored struct{}

// UnmarshalJSON ignores data.
func (*ignored) UnmarshalJSON([]byte) error { return nil }

var ignoredType = reflect.TypeFor[ignored]()

// shadowFor builds the shadow of t, whose model is m, or nil if reflect
// cannot (a field X_auth beside an unexported embedded auth, say): the
// body is then decoded into t itself, and its tagged fields cleared.
func shadowFor(t reflect.Type, m *typemodel.Model) (sp *shadowPlan) {
	defer func() {
		if recover() != nil {
			sp = nil
		}
	}()
	var tagged [][]int
	for _, f := range m.Tagged() {
		tagged = append(tagged, f.Index)
	}
	return shadowOf(t, nil, tagged, map[reflect.Type]bool{t: true})
}

// shadowOf builds the shadow of struct t, at index in In, whose tagged
// fields are at the index paths tagged. The shadow keeps t's structure
// (names, json tags, embedding), so that a decoder reads into it the
// fields it would read into t, by the rules typemodel models; only the
// tagged fields take the type ignored, keeping their names, so that they
// still hide the fields that they hide in t.
//
// The structs that t embeds, by value or by pointer, are shadowed in turn
// (so is one whose fields encoding/json reads but which cannot be set as
// a whole, an unexported one): reflect.StructOf cannot embed a type with
// methods after another field, and the model reads their fields, not their
// methods. Other embedded fields (renamed by a json tag, or not structs)
// are named fields in the shadow, as encoding/json reads them. onPath are
// the structs being shadowed, for a type that embeds itself by pointer.
func shadowOf(t reflect.Type, index []int, tagged [][]int, onPath map[reflect.Type]bool) *shadowPlan {
	sp := &shadowPlan{}
	var fields []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		idx := append(slices.Clip(index), i)
		name := f.Name
		if !f.IsExported() {
			name = "X_" + name // an embedded field's name means nothing to JSON
		}
		if slices.ContainsFunc(tagged, func(x []int) bool { return slices.Equal(x, idx) }) {
			fields = append(fields, reflect.StructField{Name: name, Type: ignoredType, Tag: f.Tag})
			continue
		}
		if typemodel.Flattened(f) {
			et, ptr := typemodel.Deref(f.Type)
			if ptr && (!f.IsExported() || onPath[et]) {
				// encoding/json cannot set an unexported pointer, and the
				// fields of a struct met again are hidden by its own.
				continue
			}
			onPath[et] = true
			sub := shadowOf(et, idx, tagged, onPath)
			delete(onPath, et)
			typ := sub.typ
			if ptr {
				typ = reflect.PointerTo(typ)
			}
			fields = append(fields, reflect.StructField{Name: name, Type: typ, Tag: f.Tag, Anonymous: true})
			sp.fields = append(sp.fields, shadowField{from: len(fields) - 1, to: i, sub: sub, ptr: ptr})
			continue
		}
		if !f.IsExported() {
			continue
		}
		fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
		sp.fields = append(sp.fields, shadowField{from: len(fields) - 1, to: i})
	}
	sp.typ = reflect.StructOf(fields)
	return sp
}

// copyTo sets the fields of dst, a struct of the type sp shadows, from
// src, a value of the shadow; a struct embedded by pointer is allocated
// when the shadow's is, as the decoder allocates it when the body has one
// of its fields.
func (sp *shadowPlan) copyTo(dst, src reflect.Value) {
	for _, f := range sp.fields {
		s, d := src.Field(f.from), dst.Field(f.to)
		switch {
		case f.sub == nil:
			d.Set(s)
		case f.ptr:
			if s.IsNil() {
				continue
			}
			if d.IsNil() {
				d.Set(reflect.New(d.Type().Elem()))
			}
			f.sub.copyTo(d.Elem(), s.Elem())
		default:
			f.sub.copyTo(d, s)
		}
	}
}

// bind fills In, which is v, in (a pointer to it) and base (its address).
func (p *bindPlan) bind(req *Request, v reflect.Value, in any, base unsafe.Pointer) error {
	if p.hasBody {
		if err := p.bindBody(req, v, in); err != nil {
			return err
		}
	}
	for i := range p.tagged {
		f := &p.tagged[i]
		fv := v.FieldByIndex(f.index)
		if p.hasBody {
			fv.SetZero() // a JSON body must not set a header field
		}
		if err := req.bindTagged(f, fv); err != nil {
			return err
		}
	}
	if p.check != nil {
		if err := p.check.run(req, v, base); err != nil {
			return err
		}
	}
	if p.validate {
		if err := in.(validator).Validate(); err != nil {
			var ke *Error
			if errors.As(err, &ke) {
				return err
			}
			return &Error{Status: http.StatusUnprocessableEntity, Message: err.Error()}
		}
	}
	return nil
}

func conversionError(f *fieldPlan, err error) error {
	where := map[string]string{"path": "path parameter", "query": "query parameter", "header": "header", "cookie": "cookie", "form": "form field"}[f.source]
	return &Error{Status: http.StatusBadRequest, Message: fmt.Sprintf("invalid %s %q: %v", where, f.name, err), Errors: fieldErrors(f.location(), err.Error())}
}

// bindTagged sets one tagged field from its source. A single value (a path
// parameter, a cookie) is converted without building a slice.
func (req *Request) bindTagged(f *fieldPlan, fv reflect.Value) error {
	var (
		one  string
		vals []string
		ok   bool
	)
	switch f.source {
	case "path":
		for _, p := range req.params {
			if p.Key == f.name {
				// Parsed into a number it needs no copy; kept as text it does.
				one, ok = p.Value, true
				if f.set.keepsText {
					one = req.keep(one)
				}
				break
			}
		}
	case "cookie":
		one, ok = req.x.Cookie(f.name)
	case "query":
		var err error
		if one, vals, ok, err = req.queryValue(f.name); err != nil {
			return err
		}
		ok = ok && vals == nil
	case "header":
		vals = req.x.RequestHeaderValues(f.name)
	}
	if f.set.emptyAbsent && ((ok && one == "") || (!ok && len(vals) == 1 && vals[0] == "")) {
		return nil // ?page= is no page, not a malformed one
	}
	var err error
	switch {
	case ok && f.set.slice:
		err = f.set.many(fv, []string{one})
	case ok:
		err = f.set.one(fv, one)
	case len(vals) == 0:
		return nil
	case f.set.slice:
		err = f.set.many(fv, vals)
	default:
		err = f.set.one(fv, vals[0])
	}
	if err != nil {
		return conversionError(f, err)
	}
	return nil
}

// queryValue returns a query parameter: one string, or a list. A
// parameter that parsed as an object (a[b]=c, or a key repeated more than
// values.ArrayLimit times) cannot fill a field and is a 400.
func (req *Request) queryValue(name string) (one string, many []string, ok bool, err error) {
	qs, err := req.query()
	if err != nil {
		return "", nil, false, err
	}
	v, present := qs[name]
	if !present {
		return "", nil, false, nil
	}
	if s, isString := v.(string); isString {
		return s, nil, true, nil
	}
	if many = values.Strings(v); many != nil {
		return "", many, true, nil
	}
	return "", nil, false, &Error{Status: http.StatusBadRequest, Message: fmt.Sprintf(
		"invalid query parameter %q: expected a value or a list of at most %d values", name, values.ArrayLimit),
		Errors: fieldErrors("query."+name, fmt.Sprintf("expected a value or a list of at most %d values", values.ArrayLimit))}
}

func (p *bindPlan) bindBody(req *Request, v reflect.Value, in any) error {
	kind, err := req.bodyKind()
	if err != nil || kind == bodyNone {
		return err
	}
	switch kind {
	case bodyJSON:
		data, err := req.readBody(req.limit(false))
		if err != nil {
			return err
		}
		if len(data) == 0 {
			return nil
		}
		if p.shadow == nil {
			if err := req.core.decodeJSON(data, in); err != nil {
				return jsonErrorIn(err, v.Type())
			}
		} else {
			sv := reflect.New(p.shadow.typ)
			if err := req.core.decodeJSON(data, sv.Interface()); err != nil {
				return jsonErrorIn(err, p.shadow.typ)
			}
			p.shadow.copyTo(v, sv.Elem())
		}
		// MultipartFile refuses any JSON value but null, which still makes
		// a list of nil files: uploads are left as no JSON had been sent.
		for _, idx := range p.uploads {
			if fv, err := v.FieldByIndexErr(idx); err == nil {
				fv.SetZero() // else in a struct embedded by a nil pointer
			}
		}
		return nil
	case bodyForm, bodyMultipart:
		if p.wholeBody {
			return &Error{Status: http.StatusUnsupportedMediaType, Message: "unsupported Content-Type: this route reads a JSON body"}
		}
		form, err := req.parsedBody()
		if err != nil {
			return err
		}
		// A key in another case than the field's name is read only when
		// the form has no key of the exact name, and of several such keys
		// the least: the form is a map, whose order changes from one
		// request to the next.
		var variants map[string]string // lower-case name -> key
		for key, val := range form {
			lk := strings.ToLower(key)
			f, ok := p.form[lk]
			if !ok || f.set == nil {
				continue
			}
			if key != f.name {
				if _, exact := form[f.name]; exact {
					continue
				}
				if least, seen := variants[lk]; !seen || key < least {
					if variants == nil {
						variants = make(map[string]string)
					}
					variants[lk] = key
				}
				continue
			}
			if err := setFormField(v, &f, val); err != nil {
				return err
			}
		}
		for lk, key := range variants {
			f := p.form[lk]
			if err := setFormField(v, &f, form[key]); err != nil {
				return err
			}
		}
		for _, f := range p.form {
			if !f.files {
				continue
			}
			files := req.lazy.files[f.name]
			if len(files) == 0 {
				continue
			}
			fv, ok := fieldAt(v, f.index)
			if !ok {
				continue
			}
			if fv.Kind() == reflect.Slice {
				fv.Set(reflect.ValueOf(files))
			} else {
				fv.Set(reflect.ValueOf(files[0]))
			}
		}
		return nil
	}
	return &Error{Status: http.StatusUnsupportedMediaType, Message: "unsupported Content-Type " + quoteInput(req.x.RequestHeader("Content-Type")) + ": this route reads JSON, urlencoded or multipart bodies"}
}

// setFormField sets f, a form field of struct v, from val, the value of
// its key in a parsed form.
func setFormField(v reflect.Value, f *fieldPlan, val any) error {
	vals := values.Strings(val)
	if len(vals) == 0 {
		return nil
	}
	fv, ok := fieldAt(v, f.index)
	if !ok {
		return nil
	}
	if err := f.set.setAll(fv, vals); err != nil {
		return conversionError(f, err)
	}
	return nil
}

// fieldAt returns the field of struct v at index, allocating the structs
// embedded by pointer on the way, as encoding/json does; false when one of
// them is nil and unexported, which cannot be set (encoding/json refuses
// it too).
func fieldAt(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// jsonError turns a decoding error into a 400 that says what was wrong
// without naming Go types, the same with either codec. Client input it
// quotes (a number's literal, a map key in a field's path) is cut short.
func jsonError(err error) error { return jsonErrorIn(err, nil) }

// jsonErrorIn is jsonError for a body decoded into a value of type t.
func jsonErrorIn(err error, t reflect.Type) error {
	field, value, isType := "", "", false
	var te *gojson.UnmarshalTypeError
	var se *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		field, value, isType = te.Field, te.Value, true
	case errors.As(err, &se):
		field, value, isType = jsonPath(t, se.Field), se.Value, true
	}
	if isType {
		if field != "" {
			return &Error{Status: http.StatusBadRequest, Message: fmt.Sprintf("invalid JSON body: field %s cannot hold a JSON %s", quoteInput(field), cutInput(value)),
				Errors: fieldErrors(jsonLocation(cutInput(field)), "cannot hold a JSON "+cutInput(value))}
		}
		return &Error{Status: http.StatusBadRequest, Message: fmt.Sprintf("invalid JSON body: cannot hold a JSON %s", cutInput(value))}
	}
	var ae *Error
	if errors.As(err, &ae) {
		return err
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return &Error{Status: http.StatusBadRequest, Message: "malformed JSON body: " + cutInput(msg)}
}

// jsonPath rewrites encoding/json's path of a field in a value of type t,
// which names the embedded structs it goes through by their Go names
// ("Inner.e"), as the JSON keys alone ("e"), as go-json writes it. A path
// it cannot follow is returned as it is.
func jsonPath(t reflect.Type, path string) string {
	if t == nil || path == "" {
		return path
	}
	var out []string
	for _, key := range strings.Split(path, ".") {
		for {
			switch t.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Array:
				t = t.Elem() // encoding/json names no element
				continue
			}
			break
		}
		if t.Kind() != reflect.Struct {
			return path // a map: encoding/json stops at it
		}
		ft, embedded, ok := jsonField(t, key)
		if !ok {
			return path
		}
		if !embedded {
			out = append(out, key)
		}
		t = ft
	}
	return strings.Join(out, ".")
}

// jsonField finds the field of struct t that encoding/json names key in a
// path: an embedded struct it flattens by its Go name, another field by its
// JSON name (the type model's, which follows encoding/json).
func jsonField(t reflect.Type, key string) (f reflect.Type, embedded, ok bool) {
	m, err := typemodel.Of(t)
	if err != nil {
		return nil, false, false
	}
	if sf, ok := t.FieldByName(key); ok && sf.Anonymous && len(sf.Index) == 1 &&
		!slices.ContainsFunc(m.Fields, func(f typemodel.Field) bool { return slices.Equal(f.Index, sf.Index) }) {
		return sf.Type, true, true // flattened: no field of the model
	}
	for i := range m.Fields {
		if m.Fields[i].JSONName == key {
			return m.Fields[i].Type, false, true
		}
	}
	return nil, false, false
}

// setter converts strings into a field's type.
type setter struct {
	one   func(v reflect.Value, s string) error // a field that holds one value
	slice bool                                  // a slice: many builds it
	elem  func(v reflect.Value, s string) error // for a slice, one element
	typ   reflect.Type
	// keepsText: the field may hold on to the string it is set from.
	keepsText bool
	// emptyAbsent: an empty value leaves the field alone (numbers, bools,
	// pointers to them), as an absent one does.
	emptyAbsent bool
}

func (s *setter) many(v reflect.Value, vals []string) error {
	sl := reflect.MakeSlice(s.typ, len(vals), len(vals))
	for i, val := range vals {
		if err := s.elem(sl.Index(i), val); err != nil {
			return err
		}
	}
	v.Set(sl)
	return nil
}

func (s *setter) setAll(v reflect.Value, vals []string) error {
	if s.slice {
		return s.many(v, vals)
	}
	return s.one(v, vals[0])
}

// setterFor plans the conversion of strings into a value of type t.
func setterFor(t reflect.Type) (*setter, error) {
	if t.Kind() == reflect.Slice && !(t.Elem().Kind() == reflect.Uint8) && !reflect.PointerTo(t).Implements(textUnmarshalerType) {
		elem, err := scalarSetter(t.Elem())
		if err != nil {
			return nil, err
		}
		return &setter{slice: true, elem: elem, typ: t, keepsText: keepsText(t.Elem())}, nil
	}
	one, err := scalarSetter(t)
	if err != nil {
		return nil, err
	}
	return &setter{one: one, typ: t, keepsText: keepsText(t), emptyAbsent: !keepsText(t)}, nil
}

// scalarSetter returns a function that sets a value of type t from a string.
func scalarSetter(t reflect.Type) (func(v reflect.Value, s string) error, error) {
	if reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return func(v reflect.Value, s string) error {
			if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
				// Its text may quote all of s (time.Time's does): cut it.
				return errors.New(cutInput(err.Error()))
			}
			return nil
		}, nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem, err := scalarSetter(t.Elem())
		if err != nil {
			return nil, err
		}
		return func(v reflect.Value, s string) error {
			nv := reflect.New(t.Elem())
			if err := elem(nv.Elem(), s); err != nil {
				return err
			}
			v.Set(nv)
			return nil
		}, nil
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			break
		}
		return func(v reflect.Value, s string) error { v.SetBytes([]byte(s)); return nil }, nil
	case reflect.String:
		return func(v reflect.Value, s string) error { v.SetString(s); return nil }, nil
	case reflect.Bool:
		return func(v reflect.Value, s string) error {
			b, err := strconv.ParseBool(s)
			if err != nil {
				return errNotBool(s)
			}
			v.SetBool(b)
			return nil
		}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		return func(v reflect.Value, s string) error {
			n, err := parseInt(s, bits)
			if err != nil {
				return numError(s, "an integer", err)
			}
			v.SetInt(n)
			return nil
		}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		bits := t.Bits()
		return func(v reflect.Value, s string) error {
			n, err := parseUint(s, bits)
			if err != nil {
				return numError(s, "a non-negative integer", err)
			}
			v.SetUint(n)
			return nil
		}, nil
	case reflect.Float32, reflect.Float64:
		bits := t.Bits()
		return func(v reflect.Value, s string) error {
			n, err := strconv.ParseFloat(s, bits)
			if err != nil {
				return numError(s, "a number", err)
			}
			v.SetFloat(n)
			return nil
		}, nil
	}
	return nil, fmt.Errorf("type %s is not supported", t)
}

// keepsText reports whether a value of type t set from a string may keep
// a reference to it: strings do, and a TextUnmarshaler might.
func keepsText(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.String || reflect.PointerTo(t).Implements(textUnmarshalerType)
}

func errNotBool(s string) error { return fmt.Errorf("%s is not a boolean", quoteInput(s)) }

func numError(s, what string, err error) error {
	if errors.Is(err, strconv.ErrRange) {
		return fmt.Errorf("%s is out of range", quoteInput(s))
	}
	return fmt.Errorf("%s is not %s", quoteInput(s), what)
}
