package kaito

import (
	"bytes"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	gojson "github.com/goccy/go-json"
	"github.com/kaito-go/kaito/internal/typemodel"
)

// Validation from tags. The constraint tags (huma's names: minimum,
// maxLength, pattern, enum, ...; see typemodel.Constraints) of every bound
// field, nested structs and slices included, and the required-ness of
// fields, are compiled at registration into a validation that the binding
// plan runs after conversion and before Validate. Every failure is
// collected, and they are answered together:
//
//	422 {"message": "validation failed", "errors": [{"location": "body.email", "message": "..."}]}
//
// up to 100 of them (maxFailures): past that many, a body of many failing
// elements would be answered with many times its size, so the first 100
// are listed and the message says "validation failed: only the first 100
// failures are listed". What is under a missing field is not reported.
//
// A body field is required unless it is a pointer, its json tag says
// omitempty or omitzero, or it is tagged required:"false"; a required field
// is missing when its key is absent from the JSON object (or is null), or
// from the form. Query, header and cookie fields are required only with
// required:"true", and are missing when absent or empty. Constraints check
// what was sent: an absent query, header or cookie value, a nil pointer and
// an optional body field holding its zero value are not checked. An In with no such
// tags and no required body field gets no validation and pays nothing.
//
// An In that is not a struct (a slice, an array or a map: the whole JSON
// body) is checked as a body field of its type would be: the constraint
// tags and required fields of the structs it holds, at locations body[0].name
// for a list and body.key.name for a map. Structs in containers of
// containers are followed too, in In and in body fields: body[0][1].name.

// validation is what is checked of one In type after binding.
type validation struct {
	fields []checkField // In's fields, embedded structs' promoted ones included
	// body is the presence shape of the body: In's body fields, for the
	// scan of a JSON body's keys; nil when no body field is required.
	body *checkStruct
	// formRequired are the required body fields a form can fill.
	formRequired []*checkField
	bodyFields   bool // some field of fields is a body field
	// whole, for an In that is not a struct, checks the structs it holds
	// (the body's elements); fields and body are then empty.
	whole *checkField
}

// checkStruct is what is checked inside one struct type.
type checkStruct struct {
	fields   []checkField
	required bool // some field, here or nested, is required
	deep     bool // some field holds structs with required fields
	// For In's body (validation.body), how requiredAreSet tells whether
	// each required field holds a value: zeros for those reached through
	// no pointer (In's own fields, and those of structs embedded by value)
	// and of a kind whose zero value is told by some bytes (zeroBytes);
	// byReflect, indexes in fields, for the others.
	zeros     []zeroCheck
	byReflect []int
}

// zeroCheck locates in In the width bytes that are all zero exactly when
// a field holds its zero value.
type zeroCheck struct{ at, width uintptr }

type checkField struct {
	index    []int  // in its struct, through embedded structs
	source   string // path, query, header, cookie, or body
	name     string // in its source: the tag's name, or the JSON name
	formName string // for a top-level body field, the name a form gives it
	rules    *typemodel.Rules
	required bool
	// nested is the checks of the field's struct, or of the structs in
	// its slices, arrays and maps (through pointers); nil if none.
	nested *checkStruct
	// in are the containers between the field's value and those structs,
	// outermost first: a list, then a map, for a []map[string]Item.
	in []container
	// formFillable: a form body can set this top-level body field.
	formFillable bool
	// basic, for a field of In itself holding a number, a string or a
	// bool (not through a pointer), is its kind: it is checked in place at
	// offset, without reflection. Invalid otherwise.
	basic  reflect.Kind
	offset uintptr
	// strs: the field, of In itself, is a slice of strings, checked in
	// place at offset too.
	strs bool
	// files: uploads, which only a multipart body sends (never required
	// of a JSON one).
	files bool
}

// container is a slice, an array or a map that holds structs to check,
// or further containers.
type container struct {
	isMap bool
	// n is an array's length, -1 for a slice or a map: a decoder leaves
	// the elements past a shorter JSON array as they are, and drops those
	// of a longer one.
	n int
	// byPointer: the elements are pointers, so that null is none; else
	// null leaves an element as it is, a value of which nothing was sent.
	byPointer bool
}

// maxFailures is how many failures a 422 lists at most: a body of many
// failing elements would otherwise be answered with many times its size,
// and more is only collected to tell that there is more.
const maxFailures = 100

// maxCheckDepth bounds the nesting of structs that validation follows in a
// value or a body (a recursive type), as a JSON decoder bounds what it reads.
const maxCheckDepth = 1000

// validationFor compiles the validation of the struct type t; nil when
// there is nothing to check. It panics, naming the field, on a malformed tag.
func validationFor(t reflect.Type) *validation {
	if t.Kind() != reflect.Struct {
		return wholeValidationFor(t)
	}
	b := &checkBuilder{memo: map[reflect.Type]*checkStruct{}}
	top := b.fields(t, true, t.String())
	v := &validation{}
	body := &checkStruct{}
	for i := range top {
		f := &top[i]
		ft := t.FieldByIndex(f.index).Type
		f.formFillable = f.source == "body" && f.formName != "" && formFillable(ft)
		f.files = ft == multipartFileType || (ft.Kind() == reflect.Slice && ft.Elem() == multipartFileType)
		// A required body field is the presence scan's; the walk is for
		// constraints, and for required query, header and cookie values.
		if f.rules != nil || f.nested != nil || (f.required && f.source != "body") {
			v.fields = append(v.fields, *f)
		}
		if f.source == "body" {
			body.fields = append(body.fields, *f)
			bf := &body.fields[len(body.fields)-1]
			if f.files {
				bf.required = false // not of JSON
			}
			if bf.required {
				off, ok := inlineOffset(t, f.index)
				if at, width := zeroBytes(ft); ok && width > 0 {
					body.zeros = append(body.zeros, zeroCheck{at: off + at, width: width})
				} else {
					body.byReflect = append(body.byReflect, len(body.fields)-1)
				}
			}
			if f.required || (f.nested != nil && f.nested.required) {
				body.required = true
			}
			body.deep = body.deep || (f.nested != nil && f.nested.required)
		}
	}
	for i := range v.fields {
		f := &v.fields[i]
		v.bodyFields = v.bodyFields || f.source == "body"
		if sf := t.FieldByIndex(f.index); len(f.index) == 1 && f.rules != nil && f.nested == nil {
			switch k := sf.Type.Kind(); {
			case isBasic(k):
				f.basic, f.offset = k, sf.Offset
			case k == reflect.Slice && sf.Type.Elem().Kind() == reflect.String:
				f.strs, f.offset = true, sf.Offset
			}
		}
	}
	if body.required {
		v.body = body
		for i := range top {
			if f := &top[i]; f.source == "body" && f.required && f.formFillable {
				v.formRequired = append(v.formRequired, f)
			}
		}
	}
	if len(v.fields) == 0 && v.body == nil {
		return nil
	}
	return v
}

// wholeValidationFor compiles the validation of an In of type t that is
// not a struct, the whole body: the checks of the structs it holds, as
// those of a body field of type t; nil when there is nothing to check.
func wholeValidationFor(t reflect.Type) *validation {
	b := &checkBuilder{memo: map[reflect.Type]*checkStruct{}}
	nested, in := b.nestedOf(t, t.String())
	if nested == nil {
		return nil
	}
	return &validation{whole: &checkField{source: "body", nested: nested, in: in}}
}

// inlineOffset returns the offset in struct t of the field at index, if it is
// reached through no pointer (an embedded struct by value).
func inlineOffset(t reflect.Type, index []int) (uintptr, bool) {
	var off uintptr
	for _, i := range index {
		if t.Kind() != reflect.Struct {
			return 0, false // a struct embedded by pointer
		}
		f := t.Field(i)
		off += f.Offset
		t = f.Type
	}
	return off, true
}

// formFillable reports whether the form binder can set a field of type t.
func formFillable(t reflect.Type) bool {
	if t == multipartFileType || (t.Kind() == reflect.Slice && t.Elem() == multipartFileType) {
		return true
	}
	_, err := setterFor(t)
	return err == nil
}

type checkBuilder struct {
	memo map[reflect.Type]*checkStruct
}

// fields lists the fields of struct t to check, as the type model reads
// them (typemodel.Of: sources, names, required-ness, embedded structs
// promoted by encoding/json's rules), so that validation enforces what the
// OpenAPI document and the clients say. top is true for In itself, whose
// tagged fields come from their sources; a nested struct is read from the
// body only (the binder refuses tags in one). what is the location's root
// for messages.
func (b *checkBuilder) fields(t reflect.Type, top bool, what string) []checkField {
	m, err := typemodel.Of(t)
	if err != nil {
		panic(fmt.Sprintf("kaito: %s: %s", what, modelError(t, err)))
	}
	out := make([]checkField, 0, len(m.Fields))
	for i := range m.Fields {
		f := &m.Fields[i]
		if f.Source != typemodel.Body && !top {
			continue
		}
		cons, err := typemodel.ParseConstraints(f.StructField)
		if err != nil {
			panic(fmt.Sprintf("kaito: %s: %v", what, err))
		}
		cf := checkField{index: f.Index, source: f.Source.String(), name: f.SourceName,
			rules: cons.Compile(f.Type), required: f.Required, formName: f.FormName}
		switch f.Source {
		case typemodel.Path:
			cf.required = false // matching guarantees it
		case typemodel.Body:
			cf.nested, cf.in = b.nestedOf(f.Type, what)
		}
		out = append(out, cf)
	}
	return out
}

// modelError is the type model's error about t without the prefix and the
// type's name, which the message names already: "field Q: ...".
func modelError(t reflect.Type, err error) string {
	msg := strings.TrimPrefix(err.Error(), "typemodel: ")
	return strings.ReplaceAll(msg, "field "+t.String()+".", "field ")
}

// nestedOf returns the checks of the structs a field of type t holds, and
// the containers (slices, arrays, maps) they are in.
func (b *checkBuilder) nestedOf(t reflect.Type, what string) (*checkStruct, []container) {
	var in []container
	for {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		c := container{n: -1}
		switch t.Kind() {
		case reflect.Array:
			c.n = t.Len()
		case reflect.Slice:
		case reflect.Map:
			c.isMap = true
		default:
			if t.Kind() != reflect.Struct || t.PkgPath() == "time" || reflect.PointerTo(t).Implements(textUnmarshalerType) {
				return nil, nil
			}
			cs := b.structOf(t, what)
			if cs == nil {
				return nil, nil
			}
			return cs, in
		}
		t = t.Elem()
		c.byPointer = t.Kind() == reflect.Pointer
		in = append(in, c)
	}
}

// structOf compiles the checks of struct type t, once per type: a
// recursive type refers to itself.
func (b *checkBuilder) structOf(t reflect.Type, what string) *checkStruct {
	if cs, ok := b.memo[t]; ok {
		return cs
	}
	cs := &checkStruct{}
	b.memo[t] = cs
	for _, f := range b.fields(t, false, what) {
		if f.rules == nil && !f.required && f.nested == nil {
			continue
		}
		cs.fields = append(cs.fields, f)
		if f.required || (f.nested != nil && f.nested.required) {
			cs.required = true
		}
	}
	if len(cs.fields) == 0 {
		b.memo[t] = nil
		return nil
	}
	return cs
}

// seg is one step of a location: a field's name, an element [index], or
// a map entry .key.
type seg struct {
	name  string
	index int           // >= 0: an element
	key   reflect.Value // valid: a map entry, written out only for a failure
}

// path is the location being walked, kept in place (no allocation unless
// the nesting is deep) and written out only for a failure: body.a.b[0].
type path struct {
	fixed [8]seg
	extra []seg
	n     int
}

func (p *path) push(s seg) {
	if p.n < len(p.fixed) {
		p.fixed[p.n] = s
	} else {
		p.extra = append(p.extra[:p.n-len(p.fixed)], s)
	}
	p.n++
}

func (p *path) pop() { p.n-- }

func (p *path) seg(i int) *seg {
	if i < len(p.fixed) {
		return &p.fixed[i]
	}
	return &p.extra[i-len(p.fixed)]
}

// String writes the location out, with leaf, when not "", as a last name.
func (p *path) String(leaf string) string {
	var b strings.Builder
	for i := range p.n {
		s := p.seg(i)
		switch {
		case s.index >= 0:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		case i > 0:
			b.WriteByte('.')
		}
		if s.key.IsValid() {
			fmt.Fprint(&b, s.key.Interface())
		} else {
			b.WriteString(s.name)
		}
	}
	if leaf != "" {
		b.WriteByte('.')
		b.WriteString(leaf)
	}
	return b.String()
}

// walker checks a bound value, collecting the failures.
type walker struct {
	path  path
	depth int
	walkerErrs
}

// walkerErrs are the failures found so far.
type walkerErrs struct {
	errs []FieldError
	// missing are the locations of the required fields the body lacks:
	// what is under them is not reported.
	missing map[string]bool
}

// setMissing starts the failures with the required fields the body lacks,
// at the locations missing.
func (w *walkerErrs) setMissing(missing []string) {
	w.errs = requiredErrors(missing)
	w.missing = missingSet(missing)
}

// full reports whether there is one failure more than a 422 lists: the
// checks stop there.
func (w *walkerErrs) full() bool { return len(w.errs) > maxFailures }

// fail records a failure at loc, unless loc is, or is under, a missing
// field's location (a value that was not sent, which the decoder left as
// it was), or there are enough failures already.
func (w *walkerErrs) fail(loc, msg string) {
	if w.full() {
		return
	}
	if w.missing != nil {
		for i := len(loc); i > 0; i-- {
			if (i == len(loc) || loc[i] == '.' || loc[i] == '[') && w.missing[loc[:i]] {
				return
			}
		}
	}
	w.errs = append(w.errs, FieldError{Location: loc, Message: msg})
}

// run checks the bound value v of the request, at base; it returns the 422.
func (val *validation) run(req *Request, v reflect.Value, base unsafe.Pointer) error {
	if val.whole != nil {
		return val.runWhole(req, v)
	}
	var missing []string
	if val.body != nil {
		if missing = val.missingBody(req, v, base); len(val.fields) == 0 {
			if missing == nil {
				return nil
			}
			return failed(requiredErrors(missing))
		}
	}
	errs := requiredErrors(missing)
	missed := missingSet(missing)
	form := false
	if val.bodyFields {
		kind, _ := req.bodyKind()
		form = kind == bodyForm || kind == bodyMultipart
	}
	for i := range val.fields {
		f := &val.fields[i]
		if form && f.source == "body" && !f.formFillable {
			continue // a form cannot send it
		}
		if f.source != "body" && f.source != "path" && !req.present(f.source, f.name) {
			if f.required {
				errs = append(errs, FieldError{Location: f.source + "." + f.name, Message: "is required"})
			}
			continue // absent: nothing to check
		}
		if f.basic != reflect.Invalid {
			// A number, string or bool of In itself: read in place.
			p := unsafe.Add(base, f.offset)
			if !f.required && f.source == "body" && isZeroBasic(p, f.basic) {
				continue // an optional field left empty: not sent
			}
			if msg := checkBasic(f.rules, p, f.basic); msg != "" {
				errs = addFailure(errs, missed, f.source+"."+f.name, msg)
			}
			continue
		}
		if f.strs {
			// A []string of In itself: read in place too.
			ss := *(*[]string)(unsafe.Add(base, f.offset))
			if !f.required && f.source == "body" && ss == nil {
				continue // an optional field left empty: not sent
			}
			var vs [2]typemodel.Violation
			for _, vi := range f.rules.CheckStrings(ss, vs[:0]) {
				l := f.source + "." + f.name
				if vi.Index >= 0 {
					l += "[" + strconv.Itoa(vi.Index) + "]"
				}
				errs = addFailure(errs, missed, l, vi.Message)
			}
			continue
		}
		fv, err := v.FieldByIndexErr(f.index)
		if err != nil {
			continue // in a nil embedded pointer: absent
		}
		errs = walk(errs, missed, f, fv)
	}
	if len(errs) == 0 {
		return nil
	}
	return failed(errs)
}

// runWhole checks v, an In that is not a struct (val.whole): the required
// fields the body's structs lack, then their constraints.
func (val *validation) runWhole(req *Request, v reflect.Value) error {
	var missing []string
	if val.whole.nested.required {
		missing = val.missingWhole(req)
	}
	var w walker
	w.setMissing(missing)
	w.path.fixed[0], w.path.n = seg{name: "body", index: -1}, 1
	w.nested(val.whole, v)
	if len(w.errs) == 0 {
		return nil
	}
	return failed(w.errs)
}

// failed is the 422 of errs, listing at most maxFailures of them: the
// walk and the scan stop past that many, and record one more to tell.
func failed(errs []FieldError) error {
	msg := "validation failed"
	if len(errs) > maxFailures {
		errs = errs[:maxFailures]
		msg = fmt.Sprintf("validation failed: only the first %d failures are listed", maxFailures)
	}
	return &Error{Status: http.StatusUnprocessableEntity, Message: msg, Errors: errs}
}

// requiredErrors are the errors of the missing fields.
func requiredErrors(missing []string) []FieldError {
	if len(missing) == 0 {
		return nil
	}
	errs := make([]FieldError, len(missing))
	for i, m := range missing {
		errs[i] = FieldError{Location: m, Message: "is required"}
	}
	return errs
}

// jsonLocation is the location of a field a JSON decoder names with dots
// (a.b.0.c): body.a.b[0].c.
func jsonLocation(field string) string {
	var b strings.Builder
	b.WriteString("body")
	for part := range strings.SplitSeq(field, ".") {
		if _, err := strconv.Atoi(part); err == nil {
			b.WriteString("[" + part + "]")
			continue
		}
		b.WriteString("." + part)
	}
	return b.String()
}

// missingSet is the set of the locations missing, for addFailure; nil
// when there are none.
func missingSet(missing []string) map[string]bool {
	if len(missing) == 0 {
		return nil
	}
	set := make(map[string]bool, len(missing))
	for _, m := range missing {
		set[m] = true
	}
	return set
}

// addFailure adds the failure msg at loc to errs, as walker.fail does:
// not under a missing field (its zero value would break its constraints
// too), and not past maxFailures.
func addFailure(errs []FieldError, missing map[string]bool, loc, msg string) []FieldError {
	w := walkerErrs{errs: errs, missing: missing}
	w.fail(loc, msg)
	return w.errs
}

// walk checks field f of In, whose value is fv, adding its failures to
// errs. The walker, whose path is large to clear, is made only for the
// fields that are not read in place.
func walk(errs []FieldError, missing map[string]bool, f *checkField, fv reflect.Value) []FieldError {
	w := walker{walkerErrs: walkerErrs{errs: errs, missing: missing}}
	w.path.fixed[0], w.path.n = seg{name: f.source, index: -1}, 1
	w.value(f, fv)
	return w.errs
}

// value checks field f, whose value is fv, under the current path.
func (w *walker) value(f *checkField, fv reflect.Value) {
	if !f.required && f.source == "body" && fv.IsZero() {
		return // an optional field left empty: not sent
	}
	if f.rules != nil {
		var vs [2]typemodel.Violation
		for _, vi := range f.rules.Check(fv, vs[:0]) {
			if w.full() {
				return
			}
			l := w.path.String(f.name)
			if vi.Index >= 0 {
				l += "[" + strconv.Itoa(vi.Index) + "]"
			}
			w.fail(l, vi.Message)
		}
	}
	if f.nested == nil {
		return
	}
	w.path.push(seg{name: f.name, index: -1})
	w.nested(f, fv)
	w.path.pop()
}

// nested checks the structs that fv, the value of f, holds (f.nested),
// under the current path.
func (w *walker) nested(f *checkField, fv reflect.Value) {
	w.contents(f.nested, f.in, fv)
}

// contents checks the structs of cs in fv, a value in the containers in.
func (w *walker) contents(cs *checkStruct, in []container, fv reflect.Value) {
	if w.depth >= maxCheckDepth || w.full() {
		return
	}
	for fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Interface {
		if fv.IsNil() {
			return
		}
		fv = fv.Elem()
	}
	w.depth++
	switch {
	case len(in) == 0:
		w.structure(cs, fv)
	case !in[0].isMap:
		for i := range fv.Len() {
			w.path.push(seg{index: i})
			w.contents(cs, in[1:], fv.Index(i))
			w.path.pop()
		}
	default:
		iter := fv.MapRange()
		for iter.Next() {
			w.path.push(seg{key: iter.Key(), index: -1})
			w.contents(cs, in[1:], iter.Value())
			w.path.pop()
		}
	}
	w.depth--
}

// structure checks the fields of the struct sv.
func (w *walker) structure(cs *checkStruct, sv reflect.Value) {
	for sv.Kind() == reflect.Pointer {
		if sv.IsNil() {
			return
		}
		sv = sv.Elem()
	}
	for i := range cs.fields {
		f := &cs.fields[i]
		fv, err := sv.FieldByIndexErr(f.index)
		if err != nil {
			continue
		}
		w.value(f, fv)
	}
}

// scalarOnly reports whether the validation checks only In's own tagged
// fields, each holding one value: the fast plan can then run it (runFast)
// with no reflection, so that In stays on the stack.
func (val *validation) scalarOnly() bool {
	if val.body != nil || val.bodyFields || val.whole != nil {
		return false
	}
	for i := range val.fields {
		if len(val.fields[i].index) != 1 || val.fields[i].nested != nil {
			return false
		}
	}
	return true
}

// runFast is run for a fast plan's struct at base, whose fields are those
// of the plan (of the kinds setBasic sets).
func (val *validation) runFast(req *Request, base unsafe.Pointer, fields []fastField) error {
	var errs []FieldError
	for i := range val.fields {
		f := &val.fields[i]
		if f.source != "path" && !req.present(f.source, f.name) {
			if f.required {
				errs = append(errs, FieldError{Location: f.source + "." + f.name, Message: "is required"})
			}
			continue
		}
		if f.rules == nil {
			continue
		}
		var ff *fastField
		for j := range fields {
			if slices.Equal(fields[j].plan.index, f.index) {
				ff = &fields[j]
			}
		}
		if ff == nil {
			continue
		}
		if msg := checkBasic(f.rules, unsafe.Add(base, ff.off), ff.kind); msg != "" {
			errs = append(errs, FieldError{Location: f.source + "." + f.name, Message: msg})
		}
	}
	if errs == nil {
		return nil
	}
	return &Error{Status: http.StatusUnprocessableEntity, Message: "validation failed", Errors: errs}
}

func isBasic(k reflect.Kind) bool {
	switch k {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// isZeroBasic reports whether the value of kind k at p is its zero value.
func isZeroBasic(p unsafe.Pointer, k reflect.Kind) bool {
	switch k {
	case reflect.String:
		return *(*string)(p) == ""
	case reflect.Bool, reflect.Int8, reflect.Uint8:
		return *(*uint8)(p) == 0
	case reflect.Int16, reflect.Uint16:
		return *(*uint16)(p) == 0
	case reflect.Int32, reflect.Uint32:
		return *(*uint32)(p) == 0
	case reflect.Float32:
		return *(*float32)(p) == 0
	case reflect.Float64:
		return *(*float64)(p) == 0
	case reflect.Int:
		return *(*int)(p) == 0
	case reflect.Uint:
		return *(*uint)(p) == 0
	case reflect.Uintptr:
		return *(*uintptr)(p) == 0
	}
	return *(*uint64)(p) == 0 // int64, uint64
}

// zeroBytes returns where, in a value of type t, the bytes are that are
// all zero exactly when the value is its zero value as reflect.Value.IsZero
// tells it, and how many: a number's or a bool's own bytes (a float is zero
// when its bits are: -0 is not), a string's length, the first word of a
// slice (its data), map, pointer, channel, function or interface (its
// type). width is 0 for the kinds left to reflect: structs, arrays,
// complex numbers.
func zeroBytes(t reflect.Type) (at, width uintptr) {
	const word = unsafe.Sizeof(uintptr(0))
	switch k := t.Kind(); {
	case k == reflect.String:
		return word, word
	case k == reflect.Slice, k == reflect.Map, k == reflect.Pointer, k == reflect.Chan,
		k == reflect.Func, k == reflect.UnsafePointer, k == reflect.Interface:
		return 0, word
	case isBasic(k):
		return 0, t.Size()
	}
	return 0, 0
}

// isZeroBytes reports whether the width bytes at p (1, 2, 4 or 8) are all zero.
func isZeroBytes(p unsafe.Pointer, width uintptr) bool {
	switch width {
	case 1:
		return *(*uint8)(p) == 0
	case 2:
		return *(*uint16)(p) == 0
	case 4:
		return *(*uint32)(p) == 0
	}
	return *(*uint64)(p) == 0
}

// checkBasic checks the value of kind k at p, as setBasic stored it.
func checkBasic(r *typemodel.Rules, p unsafe.Pointer, k reflect.Kind) string {
	switch k {
	case reflect.String:
		return r.CheckString(*(*string)(p))
	case reflect.Bool:
		return r.CheckBool(*(*bool)(p))
	case reflect.Int:
		return r.CheckInt(int64(*(*int)(p)))
	case reflect.Int8:
		return r.CheckInt(int64(*(*int8)(p)))
	case reflect.Int16:
		return r.CheckInt(int64(*(*int16)(p)))
	case reflect.Int32:
		return r.CheckInt(int64(*(*int32)(p)))
	case reflect.Int64:
		return r.CheckInt(*(*int64)(p))
	case reflect.Uint:
		return r.CheckUint(uint64(*(*uint)(p)))
	case reflect.Uint8:
		return r.CheckUint(uint64(*(*uint8)(p)))
	case reflect.Uint16:
		return r.CheckUint(uint64(*(*uint16)(p)))
	case reflect.Uint32:
		return r.CheckUint(uint64(*(*uint32)(p)))
	case reflect.Uint64:
		return r.CheckUint(*(*uint64)(p))
	case reflect.Uintptr:
		return r.CheckUint(uint64(*(*uintptr)(p)))
	case reflect.Float32:
		return r.CheckFloat(float64(*(*float32)(p)))
	case reflect.Float64:
		return r.CheckFloat(*(*float64)(p))
	}
	return ""
}

// present reports whether a query parameter, header or cookie was sent
// with a value.
func (req *Request) present(source, name string) bool {
	switch source {
	case "query":
		qs, _ := req.query()
		v, ok := qs[name]
		s, isString := v.(string)
		return ok && (!isString || s != "")
	case "header":
		return req.x.RequestHeader(name) != ""
	case "cookie":
		v, ok := req.x.Cookie(name)
		return ok && v != ""
	}
	return true
}

// missingBody lists the locations of the required body fields the request
// does not send; v is In as bound.
func (val *validation) missingBody(req *Request, v reflect.Value, base unsafe.Pointer) []string {
	kind, err := req.bodyKind()
	if err != nil {
		return nil
	}
	switch kind {
	case bodyJSON:
		data, err := req.readBody(req.limit(false))
		if err != nil {
			return nil
		}
		start := 0
		for start < len(data) && (data[start] == ' ' || data[start] == '\n' || data[start] == '\t' || data[start] == '\r') {
			start++
		}
		if start == len(data) || data[start] != '{' {
			return val.allRequired() // no object (null): no field
		}
		if !val.body.deep && requiredAreSet(v, base, val.body) {
			// A required field that holds a value after decoding was
			// sent: only a zero one needs the scan, to tell a key sent
			// with its zero value from a key not sent.
			return nil
		}
		if !val.body.deep && len(val.body.fields) <= 64 {
			if seen, ok := flatScan(data[start:], val.body); ok {
				return val.body.missingOf(seen)
			}
		}
		s := presenceScan{data: data, pos: start}
		s.path.push(seg{name: "body", index: -1})
		s.object(val.body)
		return s.missing
	case bodyForm, bodyMultipart:
		form, err := req.parsedBody()
		if err != nil {
			return nil
		}
		var missing []string
		for _, f := range val.formRequired {
			if len(req.lazy.files[f.formName]) > 0 {
				continue
			}
			found := false
			for k, v := range form {
				if strings.EqualFold(k, f.formName) && v != nil {
					found = true
					break
				}
			}
			if !found {
				missing = append(missing, "body."+f.name)
			}
		}
		return missing
	case bodyNone:
		return val.allRequired()
	}
	return nil
}

// missingWhole lists the locations of the required fields that the
// structs of a JSON body lack, for an In that is not a struct (val.whole).
func (val *validation) missingWhole(req *Request) []string {
	if kind, err := req.bodyKind(); err != nil || kind != bodyJSON {
		return nil
	}
	data, err := req.readBody(req.limit(false))
	if err != nil {
		return nil
	}
	s := presenceScan{data: data}
	s.path.push(seg{name: "body", index: -1})
	s.contents(val.whole)
	return s.missing
}

// requiredAreSet reports whether every required field of In's body, cs,
// holds a value other than its zero value in v, In, at base.
func requiredAreSet(v reflect.Value, base unsafe.Pointer, cs *checkStruct) bool {
	for _, z := range cs.zeros {
		if isZeroBytes(unsafe.Add(base, z.at), z.width) {
			return false
		}
	}
	for _, i := range cs.byReflect {
		fv, err := v.FieldByIndexErr(cs.fields[i].index)
		if err != nil || fv.IsZero() {
			return false
		}
	}
	return true
}

// allRequired lists the required top-level body fields: all are missing
// when there is no body.
func (val *validation) allRequired() []string {
	var missing []string
	for _, f := range val.body.fields {
		if f.required {
			missing = append(missing, "body."+f.name)
		}
	}
	return missing
}

// presenceScan walks a JSON body that has decoded without error, guided by
// the checks of the struct it was decoded into, and notes the required
// keys each object lacks. It reads keys and skips values without building
// anything, so that a body with every field costs no allocation. Input it
// does not understand stops it, with what it found so far.
type presenceScan struct {
	data    []byte
	pos     int
	bad     bool
	depth   int
	path    path
	missing []string
}

func (s *presenceScan) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

func (s *presenceScan) peek() byte {
	s.space()
	if s.pos >= len(s.data) {
		s.bad = true
		return 0
	}
	return s.data[s.pos]
}

// str reads a string at pos; escaped tells that raw holds escapes.
func (s *presenceScan) str() (raw []byte, escaped bool) {
	if s.peek() != '"' {
		s.bad = true
		return nil, false
	}
	start := s.pos + 1
	for i := start; ; {
		q := bytes.IndexByte(s.data[i:], '"')
		if q < 0 {
			s.bad = true
			return nil, false
		}
		i += q
		// The quote ends the string unless an odd run of backslashes
		// escapes it.
		n := 0
		for j := i - 1; j >= start && s.data[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			s.pos = i + 1
			raw = s.data[start:i]
			return raw, bytes.IndexByte(raw, '\\') >= 0
		}
		i++
	}
}

// skip passes over one value.
func (s *presenceScan) skip() {
	switch s.peek() {
	case '"':
		s.str()
	case '{', '[':
		depth := 0
		for s.pos < len(s.data) && !s.bad {
			switch s.data[s.pos] {
			case '"':
				s.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			s.pos++
			if depth == 0 {
				return
			}
		}
		s.bad = true
	default:
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return
			}
			s.pos++
		}
	}
}

// isNull reports whether the value at pos is null, and passes it if so.
func (s *presenceScan) isNull() bool {
	if s.peek() == 'n' && len(s.data)-s.pos >= 4 && string(s.data[s.pos:s.pos+4]) == "null" {
		s.pos += 4
		return true
	}
	return false
}

// object reads the object at pos with the fields of cs.
func (s *presenceScan) object(cs *checkStruct) {
	if s.peek() != '{' || s.depth >= maxCheckDepth {
		s.skip()
		return
	}
	s.pos++
	var seenBits uint64
	var seenMany []bool
	if len(cs.fields) > 64 {
		seenMany = make([]bool, len(cs.fields))
	}
	if s.peek() == '}' {
		s.pos++
	} else {
		for !s.bad {
			s.peek()
			keyStart := s.pos
			raw, escaped := s.str()
			keyEnd := s.pos
			if s.peek() != ':' {
				s.bad = true
				break
			}
			s.pos++
			key := unsafeString(raw) // only compared
			if escaped {
				key = unescapeKey(s.data[keyStart:keyEnd])
			}
			i := cs.find(key)
			switch {
			case i < 0:
				s.skip()
			case s.isNull():
				// null leaves the field as it is: not sent.
			default:
				if i < 64 {
					seenBits |= 1 << i
				} else {
					seenMany[i] = true
				}
				s.field(&cs.fields[i])
			}
			switch s.peek() {
			case ',':
				s.pos++
				continue
			case '}':
				s.pos++
			default:
				s.bad = true
			}
			break
		}
	}
	if s.bad {
		return
	}
	for i := range cs.fields {
		f := &cs.fields[i]
		seen := i < 64 && seenBits&(1<<i) != 0 || i >= 64 && seenMany[i]
		if f.required && !seen {
			s.miss(f.name)
		}
	}
}

// miss records the field name under the current path as missing, up to
// one more than a 422 lists.
func (s *presenceScan) miss(name string) {
	if len(s.missing) <= maxFailures {
		s.missing = append(s.missing, s.path.String(name))
	}
}

// unsent records as missing, under the current path, the required fields
// of the structs of f.nested in a value of the containers in of which
// nothing was sent: a struct, or an array's elements that are not
// pointers (a slice or a map holds none).
func (s *presenceScan) unsent(f *checkField, in []container) {
	switch {
	case len(in) == 0:
		for i := range f.nested.fields {
			if ff := &f.nested.fields[i]; ff.required {
				s.miss(ff.name)
			}
		}
	case in[0].n > 0 && !in[0].byPointer && s.depth < maxCheckDepth:
		s.depth++
		for i := range in[0].n {
			s.path.push(seg{index: i})
			s.unsent(f, in[1:])
			s.path.pop()
		}
		s.depth--
	}
}

// field reads the value of f, looking into the structs it holds.
func (s *presenceScan) field(f *checkField) {
	if f.nested == nil || !f.nested.required {
		s.skip()
		return
	}
	s.path.push(seg{name: f.name, index: -1})
	s.contents(f)
	s.path.pop()
}

// contents reads a value of f's type, looking into the structs it holds
// (f.nested), under the current path.
func (s *presenceScan) contents(f *checkField) {
	s.value(f, f.in, true)
}

// value reads a value in the containers in (the last of f.in), looking
// into the structs of f.nested they hold, under the current path. byPointer:
// the value is a pointer, which null leaves nil; else null leaves it as it
// is, a value of which nothing was sent.
func (s *presenceScan) value(f *checkField, in []container, byPointer bool) {
	s.depth++
	defer func() { s.depth-- }()
	if !byPointer && s.isNull() {
		s.unsent(f, in)
		return
	}
	switch {
	case len(in) == 0:
		s.object(f.nested)
	case s.depth >= maxCheckDepth:
		s.skip()
	case !in[0].isMap:
		if s.peek() != '[' {
			s.skip()
			return
		}
		s.pos++
		n := 0
		if s.peek() == ']' {
			s.pos++
		} else {
			for ; !s.bad; n++ {
				if in[0].n >= 0 && n >= in[0].n {
					s.skip() // past the array's end: dropped
				} else {
					s.path.push(seg{index: n})
					s.value(f, in[1:], in[0].byPointer)
					s.path.pop()
				}
				switch s.peek() {
				case ',':
					s.pos++
					continue
				case ']':
					s.pos++
				default:
					s.bad = true
				}
				break
			}
			n++
		}
		if !s.bad && !in[0].byPointer {
			for ; n < in[0].n; n++ {
				s.path.push(seg{index: n})
				s.unsent(f, in[1:])
				s.path.pop()
			}
		}
	default:
		if s.peek() != '{' {
			s.skip()
			return
		}
		s.pos++
		if s.peek() == '}' {
			s.pos++
			return
		}
		for !s.bad {
			raw, _ := s.str()
			if s.peek() != ':' {
				s.bad = true
				return
			}
			s.pos++
			s.path.push(seg{name: unsafeString(raw), index: -1}) // copied if written out
			s.value(f, in[1:], in[0].byPointer)
			s.path.pop()
			switch s.peek() {
			case ',':
				s.pos++
				continue
			case '}':
				s.pos++
			default:
				s.bad = true
			}
			return
		}
	}
}

// unescapeKey decodes a JSON string with escapes; "" if it does not decode.
func unescapeKey(quoted []byte) string {
	var key string
	if gojson.Unmarshal(quoted, &key) != nil {
		return ""
	}
	return key
}

// flatScan is presenceScan for an object whose fields hold no structs to
// look into, in one tight loop: it returns the bit set of the fields
// present (not null). ok is false if the object has what the loop leaves
// to presenceScan (escaped keys) or is not well-formed.
func flatScan(data []byte, cs *checkStruct) (seen uint64, ok bool) {
	// Outside strings a byte up to ' ' can only be white space in JSON
	// that decoded.
	n := len(data)
	i := 1 // after '{'
	hint := 0
	for {
		for i < n && data[i] <= ' ' {
			i++
		}
		if i >= n {
			return 0, false
		}
		if data[i] == '}' {
			return seen, true
		}
		if data[i] != '"' {
			return 0, false
		}
		i++
		q := bytes.IndexByte(data[i:], '"')
		if q < 0 {
			return 0, false
		}
		key := data[i : i+q]
		i += q + 1
		for i < n && data[i] != ':' {
			i++
		}
		i++
		for i < n && data[i] <= ' ' {
			i++
		}
		if i >= n {
			return 0, false
		}
		switch c := data[i]; c {
		case '"':
			i++
			for {
				q := bytes.IndexByte(data[i:], '"')
				if q < 0 {
					return 0, false
				}
				i += q
				b := 0
				for j := i - 1; data[j] == '\\'; j-- {
					b++
				}
				i++
				if b%2 == 0 {
					break
				}
			}
		case '{', '[':
			depth := 0
		value:
			for ; i < n; i++ {
				switch data[i] {
				case '"':
					for i++; i < n && data[i] != '"'; i++ {
						if data[i] == '\\' {
							i++
						}
					}
				case '{', '[':
					depth++
				case '}', ']':
					depth--
					if depth == 0 {
						i++
						break value
					}
				}
			}
		default:
			if c == 'n' && i+4 <= n && string(data[i:i+4]) == "null" {
				i += 4
				goto next // null leaves the field as it is: not sent
			}
			for i < n && data[i] > ' ' && data[i] != ',' && data[i] != '}' {
				i++
			}
		}
		// Keys mostly come in the order of the fields: try the next one first.
		if hint < len(cs.fields) && cs.fields[hint].name == unsafeString(key) {
			seen |= 1 << hint
			hint++
		} else if bytes.IndexByte(key, '\\') >= 0 {
			return 0, false // an escaped key: presenceScan decodes it
		} else if f := cs.find(unsafeString(key)); f >= 0 {
			seen |= 1 << f
			hint = f + 1
		}
	next:
		for i < n && data[i] <= ' ' {
			i++
		}
		if i >= n {
			return 0, false
		}
		switch data[i] {
		case ',':
			i++
		case '}':
			return seen, true
		default:
			return 0, false
		}
	}
}

// missingOf lists the locations of the required fields of the body's
// top-level checkStruct that are not in seen.
func (cs *checkStruct) missingOf(seen uint64) []string {
	var missing []string
	for i := range cs.fields {
		if cs.fields[i].required && seen&(1<<i) == 0 {
			missing = append(missing, "body."+cs.fields[i].name)
		}
	}
	return missing
}

// find returns the index of the field named key, matched as encoding/json
// matches: exactly, else without regard to case.
func (cs *checkStruct) find(key string) int {
	for i := range cs.fields {
		if cs.fields[i].name == key {
			return i
		}
	}
	for i := range cs.fields {
		if strings.EqualFold(cs.fields[i].name, key) {
			return i
		}
	}
	return -1
}

// location names a bound field in a FieldError: query.page, body.name.
func (f *fieldPlan) location() string {
	if f.source == "form" {
		return "body." + f.name
	}
	return f.source + "." + f.name
}

// fieldErrors is the one FieldError of a value that does not convert.
func fieldErrors(location, message string) []FieldError {
	return []FieldError{{Location: location, Message: message}}
}

// unsafeString is b as a string without a copy, for b that is not
// changed while the string is used.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// nameRoute adds the route to a registration panic that names a field,
// so that the message says where to look: deferred by Handle.
func nameRoute(method, pattern string) {
	if p := recover(); p != nil {
		if msg, ok := p.(string); ok && strings.HasPrefix(msg, "kaito: ") && !strings.HasPrefix(msg, "kaito: route ") {
			panic("kaito: route " + method + " " + pattern + ": " + strings.TrimPrefix(msg, "kaito: "))
		}
		panic(p)
	}
}
