package kaito

import (
	"reflect"
	"strconv"
	"unsafe"
)

// The fast binding plan covers the most common input: a struct whose
// fields are all tagged path, query, header or cookie and hold a string, a
// bool or a number, with no body and no Validate method. It stores the
// converted values through field offsets, with no reflection and no
// function values per field, so that the input stays on the handler's stack
// and costs no allocation. Every other input takes the general plan in
// bind.go; both give the same results and the same errors.

type fastField struct {
	off  uintptr
	kind reflect.Kind
	plan fieldPlan
}

type fastPlan struct {
	fields []fastField
	check  *validation // scalar checks only (validate.go)
}

// fastPlanFor returns the fast plan for t, whose general plan is p, or nil
// if t needs the general one.
func fastPlanFor(t reflect.Type, p *bindPlan) *fastPlan {
	if t.Kind() != reflect.Struct || p == nil || p.hasBody || p.validate || (p.check != nil && !p.check.scalarOnly()) {
		return nil
	}
	fp := &fastPlan{check: p.check}
	for _, f := range p.tagged {
		sf := t.FieldByIndex(f.index)
		if reflect.PointerTo(sf.Type).Implements(textUnmarshalerType) {
			return nil
		}
		switch sf.Type.Kind() {
		case reflect.String, reflect.Bool,
			reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64:
		default:
			return nil
		}
		fp.fields = append(fp.fields, fastField{off: f.offset, kind: sf.Type.Kind(), plan: f})
	}
	return fp
}

// bind fills the struct at base. base must point to a value of the type
// the plan was made for.
func (p *fastPlan) bind(req *Request, base unsafe.Pointer) error {
	for i := range p.fields {
		f := &p.fields[i]
		s, ok, err := req.firstValue(f.plan.source, f.plan.name)
		if err != nil {
			return err
		}
		if !ok || (s == "" && f.kind != reflect.String) {
			continue // ?page= is no page, not a malformed one
		}
		if f.kind == reflect.String && f.plan.source == "path" {
			s = req.keep(s)
		}
		if f.kind == reflect.Int {
			// The most common field, read without setBasic's dispatch.
			if n, ok := smallDecimal(s, true); ok && fitsInt(n, strconv.IntSize) {
				*(*int)(unsafe.Add(base, f.off)) = int(n)
				continue
			}
		}
		if err := setBasic(unsafe.Add(base, f.off), f.kind, s); err != nil {
			return conversionError(&f.plan, err)
		}
	}
	if p.check != nil {
		return p.check.runFast(req, base, p.fields)
	}
	return nil
}

// firstValue returns the first value of a named input.
func (req *Request) firstValue(source, name string) (string, bool, error) {
	switch source {
	case "path":
		for _, p := range req.params {
			if p.Key == name {
				return p.Value, true, nil
			}
		}
	case "cookie":
		v, ok := req.x.Cookie(name)
		return v, ok, nil
	case "query":
		one, many, ok, err := req.queryValue(name)
		if len(many) > 0 {
			return many[0], true, err
		}
		return one, ok && many == nil, err
	case "header":
		if vals := req.x.RequestHeaderValues(name); len(vals) > 0 {
			return vals[0], true, nil
		}
	}
	return "", false, nil
}

func setBasic(p unsafe.Pointer, k reflect.Kind, s string) error {
	switch k {
	case reflect.String:
		*(*string)(p) = s
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return errNotBool(s)
		}
		*(*bool)(p) = b
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := parseInt(s, kindBits(k))
		if err != nil {
			return numError(s, "an integer", err)
		}
		switch k {
		case reflect.Int:
			*(*int)(p) = int(n)
		case reflect.Int8:
			*(*int8)(p) = int8(n)
		case reflect.Int16:
			*(*int16)(p) = int16(n)
		case reflect.Int32:
			*(*int32)(p) = int32(n)
		default:
			*(*int64)(p) = n
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := parseUint(s, kindBits(k))
		if err != nil {
			return numError(s, "a non-negative integer", err)
		}
		switch k {
		case reflect.Uint:
			*(*uint)(p) = uint(n)
		case reflect.Uint8:
			*(*uint8)(p) = uint8(n)
		case reflect.Uint16:
			*(*uint16)(p) = uint16(n)
		case reflect.Uint32:
			*(*uint32)(p) = uint32(n)
		case reflect.Uintptr:
			*(*uintptr)(p) = uintptr(n)
		default:
			*(*uint64)(p) = n
		}
	case reflect.Float32:
		n, err := strconv.ParseFloat(s, 32)
		if err != nil {
			return numError(s, "a number", err)
		}
		*(*float32)(p) = float32(n)
	case reflect.Float64:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return numError(s, "a number", err)
		}
		*(*float64)(p) = n
	}
	return nil
}

func kindBits(k reflect.Kind) int {
	switch k {
	case reflect.Int8, reflect.Uint8:
		return 8
	case reflect.Int16, reflect.Uint16:
		return 16
	case reflect.Int32, reflect.Uint32, reflect.Float32:
		return 32
	case reflect.Int, reflect.Uint, reflect.Uintptr:
		return strconv.IntSize
	}
	return 64
}
