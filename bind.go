package kaito

import (
	"encoding"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"
	"github.com/kaito-go/kaito/values"
)

// Binding fills a handler's In from the request, by a plan made once per
// route, at registration, from In's type; a request only runs the plan.
// Handle's documentation states the rules; bind_fast.go has the plan for
// the commonest inputs.

type fieldPlan struct {
	index  int
	name   string // the name in its source
	source string // path, query, header, cookie, or form
	field  string // the Go field name, for messages
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
	// alone: the JSON body is decoded into it, so that a JSON key named
	// like a tagged field is ignored rather than decoded (and perhaps
	// refused) into it. shadowIndex[i] is In's field for shadow's field i.
	shadow      reflect.Type
	shadowIndex []int
}

type validator interface{ Validate() error }

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	validatorType       = reflect.TypeFor[validator]()
	multipartFileType   = reflect.TypeFor[*MultipartFile]()
)

// binderFor plans the binding of In; nil means In needs nothing from the
// request (struct{} costs nothing).
func binderFor[In any](c *core) func(req *Request, in *In) error {
	t := reflect.TypeFor[In]()
	plan := planFor(t)
	if plan == nil {
		return nil
	}
	return func(req *Request, in *In) error { return plan.bind(req, reflect.ValueOf(in).Elem(), in) }
}

func planFor(t reflect.Type) *bindPlan {
	p := &bindPlan{validate: reflect.PointerTo(t).Implements(validatorType)}
	if t.Kind() != reflect.Struct {
		if t.Kind() == reflect.Interface && t.NumMethod() > 0 {
			panic(fmt.Sprintf("kaito: cannot bind a request into %s: an interface with methods", t))
		}
		p.hasBody, p.wholeBody = true, true
		return p
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		source, name := "", ""
		for _, s := range [...]string{"path", "query", "header", "cookie"} {
			if v, ok := f.Tag.Lookup(s); ok {
				if source != "" {
					panic(fmt.Sprintf("kaito: field %s.%s has both %s and %s tags", t, f.Name, source, s))
				}
				source, name = s, v
			}
		}
		if source != "" {
			if name == "" || name == "-" {
				panic(fmt.Sprintf("kaito: field %s.%s: the %s tag needs a name", t, f.Name, source))
			}
			set, err := setterFor(f.Type)
			if err != nil {
				panic(fmt.Sprintf("kaito: field %s.%s (%s:%q): %v", t, f.Name, source, name, err))
			}
			p.tagged = append(p.tagged, fieldPlan{index: i, name: name, source: source, field: f.Name, set: set})
			continue
		}
		jsonName, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if jsonName == "-" {
			continue
		}
		p.hasBody = true
		formName := f.Tag.Get("form")
		if formName == "" {
			formName = jsonName
		}
		if formName == "" {
			formName = f.Name
		}
		if formName == "-" {
			continue
		}
		fp := fieldPlan{index: i, name: formName, source: "form", field: f.Name}
		if f.Type == multipartFileType || (f.Type.Kind() == reflect.Slice && f.Type.Elem() == multipartFileType) {
			fp.files = true
		} else if set, err := setterFor(f.Type); err == nil {
			fp.set = set
		}
		if p.form == nil {
			p.form = make(map[string]fieldPlan)
		}
		p.form[strings.ToLower(formName)] = fp
	}
	if !p.hasBody && len(p.tagged) == 0 && !p.validate {
		return nil
	}
	if p.hasBody && len(p.tagged) > 0 {
		p.shadow, p.shadowIndex = shadowOf(t)
	}
	p.check = validationFor(t)
	return p
}

// shadowOf builds the struct of t's body fields, or nil if reflect cannot
// (an embedded field with methods, say); the body is then decoded into t
// and the tagged fields reset afterwards.
func shadowOf(t reflect.Type) (shadow reflect.Type, index []int) {
	defer func() {
		if recover() != nil {
			shadow, index = nil, nil
		}
	}()
	var fields []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || isTagged(f) {
			continue
		}
		fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag, Anonymous: f.Anonymous})
		index = append(index, i)
	}
	return reflect.StructOf(fields), index
}

func isTagged(f reflect.StructField) bool {
	for _, s := range [...]string{"path", "query", "header", "cookie"} {
		if _, ok := f.Tag.Lookup(s); ok {
			return true
		}
	}
	return false
}

func (p *bindPlan) bind(req *Request, v reflect.Value, in any) error {
	if p.hasBody {
		if err := p.bindBody(req, v, in); err != nil {
			return err
		}
	}
	for i := range p.tagged {
		f := &p.tagged[i]
		fv := v.Field(f.index)
		if p.hasBody {
			fv.SetZero() // a JSON body must not set a header field
		}
		if err := req.bindTagged(f, fv); err != nil {
			return err
		}
	}
	if p.check != nil {
		if err := p.check.run(req, v); err != nil {
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
				return jsonError(err)
			}
			return nil
		}
		sv := reflect.New(p.shadow)
		if err := req.core.decodeJSON(data, sv.Interface()); err != nil {
			return jsonError(err)
		}
		for i, idx := range p.shadowIndex {
			v.Field(idx).Set(sv.Elem().Field(i))
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
		for key, val := range form {
			f, ok := p.form[strings.ToLower(key)]
			if !ok || f.set == nil {
				continue
			}
			vals := values.Strings(val)
			if len(vals) == 0 {
				continue
			}
			if err := f.set.setAll(v.Field(f.index), vals); err != nil {
				return conversionError(&f, err)
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
			fv := v.Field(f.index)
			if fv.Kind() == reflect.Slice {
				fv.Set(reflect.ValueOf(files))
			} else {
				fv.Set(reflect.ValueOf(files[0]))
			}
		}
		return nil
	}
	return &Error{Status: http.StatusUnsupportedMediaType, Message: "unsupported Content-Type " + strconv.Quote(req.x.RequestHeader("Content-Type")) + ": this route reads JSON, urlencoded or multipart bodies"}
}

// jsonError turns a decoding error into a 400 that says what was wrong
// without naming Go types.
func jsonError(err error) error {
	var te *gojson.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return &Error{Status: http.StatusBadRequest, Message: fmt.Sprintf("invalid JSON body: field %q cannot hold a JSON %s", te.Field, te.Value),
				Errors: fieldErrors(jsonLocation(te.Field), "cannot hold a JSON "+te.Value)}
		}
		return &Error{Status: http.StatusBadRequest, Message: fmt.Sprintf("invalid JSON body: cannot hold a JSON %s", te.Value)}
	}
	var ae *Error
	if errors.As(err, &ae) {
		return err
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return &Error{Status: http.StatusBadRequest, Message: "malformed JSON body: " + msg}
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
			return v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
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
			n, err := strconv.ParseInt(s, 10, bits)
			if err != nil {
				return numError(s, "an integer", err)
			}
			v.SetInt(n)
			return nil
		}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		bits := t.Bits()
		return func(v reflect.Value, s string) error {
			n, err := strconv.ParseUint(s, 10, bits)
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

func errNotBool(s string) error { return fmt.Errorf("%q is not a boolean", s) }

func numError(s, what string, err error) error {
	if errors.Is(err, strconv.ErrRange) {
		return fmt.Errorf("%q is out of range", s)
	}
	return fmt.Errorf("%q is not %s", s, what)
}
