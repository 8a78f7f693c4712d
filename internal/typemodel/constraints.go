package typemodel

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Constraints are the validation tags of one struct field, by huma's names:
// minimum, exclusiveMinimum, maximum, exclusiveMaximum and multipleOf for
// numbers; minLength, maxLength (in characters, that is code points) and
// pattern (an RE2 expression, unanchored, as JSON Schema's) for strings;
// minItems, maxItems and uniqueItems for slices and arrays; enum, a
// comma-separated list, for strings, numbers and bools.
//
// On a slice or an array the number, string and enum constraints apply to
// each element, the item constraints to the slice itself. Pointers are
// looked through: a nil pointer is an absent value, which no constraint
// refuses (see required for presence).
type Constraints struct {
	Minimum, ExclusiveMinimum, Maximum, ExclusiveMaximum, MultipleOf *float64
	MinLength, MaxLength, MinItems, MaxItems                         *int
	Pattern                                                          string
	UniqueItems                                                      bool
	Enum                                                             []string
}

// IsZero reports whether c constrains nothing.
func (c Constraints) IsZero() bool {
	return c.Minimum == nil && c.ExclusiveMinimum == nil && c.Maximum == nil && c.ExclusiveMaximum == nil &&
		c.MultipleOf == nil && c.MinLength == nil && c.MaxLength == nil && c.MinItems == nil &&
		c.MaxItems == nil && c.Pattern == "" && !c.UniqueItems && c.Enum == nil
}

// The classes of values constraints apply to.
type valueClass int

const (
	classOther valueClass = iota
	classInt
	classUint
	classFloat
	classString
	classBool
	classList // a slice or an array, not []byte
)

func classOf(t reflect.Type) valueClass {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return classInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return classUint
	case reflect.Float32, reflect.Float64:
		return classFloat
	case reflect.String:
		return classString
	case reflect.Bool:
		return classBool
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return classOther // []byte is a base64 string in JSON
		}
		return classList
	}
	return classOther
}

// elemType is the type the scalar constraints of a field apply to: the
// field's, or its elements' for a list.
func elemType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if classOf(t) == classList {
		t = t.Elem()
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
	}
	return t
}

// ParseConstraints reads the constraint tags of f. The error names the
// field and the tag when a value does not parse (a number, a length, a
// regular expression, a bool) or a constraint does not fit the field's
// kind: minLength on an int, minimum on a string, an enum value that is
// not of the field's kind.
func ParseConstraints(f reflect.StructField) (Constraints, error) {
	var c Constraints
	fail := func(tag, value, why string) (Constraints, error) {
		return Constraints{}, fmt.Errorf("field %s: tag %s:%q: %s", f.Name, tag, value, why)
	}
	elem := elemType(f.Type)
	ec := classOf(elem)
	numeric := ec == classInt || ec == classUint || ec == classFloat
	for _, tag := range [...]string{"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf"} {
		v, ok := f.Tag.Lookup(tag)
		if !ok {
			continue
		}
		if !numeric {
			return fail(tag, v, "a number constraint on a field of type "+f.Type.String())
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return fail(tag, v, "not a number")
		}
		switch tag {
		case "minimum":
			c.Minimum = &n
		case "exclusiveMinimum":
			c.ExclusiveMinimum = &n
		case "maximum":
			c.Maximum = &n
		case "exclusiveMaximum":
			c.ExclusiveMaximum = &n
		case "multipleOf":
			if n <= 0 {
				return fail(tag, v, "must be above zero")
			}
			c.MultipleOf = &n
		}
	}
	for _, tag := range [...]string{"minLength", "maxLength", "minItems", "maxItems"} {
		v, ok := f.Tag.Lookup(tag)
		if !ok {
			continue
		}
		if strings.HasSuffix(tag, "Length") && ec != classString {
			return fail(tag, v, "a string constraint on a field of type "+f.Type.String())
		}
		if strings.HasSuffix(tag, "Items") && classOf(f.Type) != classList {
			return fail(tag, v, "a slice constraint on a field of type "+f.Type.String())
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return fail(tag, v, "not a non-negative integer")
		}
		switch tag {
		case "minLength":
			c.MinLength = &n
		case "maxLength":
			c.MaxLength = &n
		case "minItems":
			c.MinItems = &n
		case "maxItems":
			c.MaxItems = &n
		}
	}
	if v, ok := f.Tag.Lookup("pattern"); ok {
		if ec != classString {
			return fail("pattern", v, "a string constraint on a field of type "+f.Type.String())
		}
		if v == "" {
			return fail("pattern", v, "empty pattern")
		}
		if _, err := regexp.Compile(v); err != nil {
			return fail("pattern", v, "not a regular expression: "+err.Error())
		}
		c.Pattern = v
	}
	if v, ok := f.Tag.Lookup("uniqueItems"); ok {
		if classOf(f.Type) != classList {
			return fail("uniqueItems", v, "a slice constraint on a field of type "+f.Type.String())
		}
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fail("uniqueItems", v, "not true or false")
		}
		c.UniqueItems = b
	}
	if v, ok := f.Tag.Lookup("enum"); ok {
		if !numeric && ec != classString && ec != classBool {
			return fail("enum", v, "an enum on a field of type "+f.Type.String())
		}
		for _, s := range strings.Split(v, ",") {
			s = strings.TrimSpace(s)
			if err := fitsKind(s, elem); err != nil {
				return fail("enum", v, fmt.Sprintf("value %q: %v", s, err))
			}
			c.Enum = append(c.Enum, s)
		}
	}
	switch {
	case c.Minimum != nil && c.Maximum != nil && *c.Minimum > *c.Maximum:
		return fail("minimum", f.Tag.Get("minimum"), "above maximum")
	case c.MinLength != nil && c.MaxLength != nil && *c.MinLength > *c.MaxLength:
		return fail("minLength", f.Tag.Get("minLength"), "above maxLength")
	case c.MinItems != nil && c.MaxItems != nil && *c.MinItems > *c.MaxItems:
		return fail("minItems", f.Tag.Get("minItems"), "above maxItems")
	}
	return c, nil
}

// fitsKind reports whether s is a value of t's kind.
func fitsKind(s string, t reflect.Type) error {
	var err error
	switch classOf(t) {
	case classString:
		return nil
	case classBool:
		_, err = strconv.ParseBool(s)
	case classInt:
		_, err = strconv.ParseInt(s, 10, t.Bits())
	case classUint:
		_, err = strconv.ParseUint(s, 10, t.Bits())
	case classFloat:
		var n float64
		n, err = strconv.ParseFloat(s, t.Bits())
		if err == nil && (math.IsNaN(n) || math.IsInf(n, 0)) {
			err = errors.New("not finite")
		}
	}
	if err != nil {
		return fmt.Errorf("not a value of type %s", t)
	}
	return nil
}

// Rules are Constraints compiled for one field type, ready to check values.
type Rules struct {
	c       Constraints
	class   valueClass // of the values the scalar rules check
	list    bool       // the field is a slice or an array
	scalar  bool       // there are scalar rules
	pattern *regexp.Regexp
	literal string // the pattern when it is a plain string to look for
	isLit   bool
	enumS   []string
	enumF   []float64
	enumB   [2]bool // false, true allowed
	enumMsg string
}

// Violation is one value that breaks a rule: the field itself (Index -1)
// or its element Index.
type Violation struct {
	Index   int
	Message string
}

// Compile prepares c to check values of the field type t; nil when c
// constrains nothing. c must come from ParseConstraints for a field of type t.
func (c Constraints) Compile(t reflect.Type) *Rules {
	if c.IsZero() {
		return nil
	}
	r := &Rules{c: c, list: classOf(t) == classList}
	elem := elemType(t)
	r.class = classOf(elem)
	r.scalar = c.Minimum != nil || c.ExclusiveMinimum != nil || c.Maximum != nil || c.ExclusiveMaximum != nil ||
		c.MultipleOf != nil || c.MinLength != nil || c.MaxLength != nil || c.Pattern != "" || c.Enum != nil
	if c.Pattern != "" {
		r.pattern = regexp.MustCompile(c.Pattern)
		// A pattern with no operator matches where its text occurs.
		r.literal, r.isLit = r.pattern.LiteralPrefix()
	}
	if c.Enum != nil {
		r.enumMsg = "must be one of: " + strings.Join(c.Enum, ", ")
		for _, s := range c.Enum {
			switch r.class {
			case classString:
				r.enumS = append(r.enumS, s)
			case classBool:
				b, _ := strconv.ParseBool(s)
				if b {
					r.enumB[1] = true
				} else {
					r.enumB[0] = true
				}
			default:
				n, _ := strconv.ParseFloat(s, 64)
				r.enumF = append(r.enumF, n)
			}
		}
	}
	return r
}

// Check appends to out what v, a value of the type Rules were compiled
// for, breaks. It allocates only for what it appends (and, for
// uniqueItems on long slices, a set of the values). Nil Rules pass everything.
func (r *Rules) Check(v reflect.Value, out []Violation) []Violation {
	if r == nil {
		return out
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return out
		}
		v = v.Elem()
	}
	if !r.list {
		if msg := r.checkScalar(v); msg != "" {
			out = append(out, Violation{Index: -1, Message: msg})
		}
		return out
	}
	if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String {
		// The commonest list, []string, read in place.
		// (A nil slice's data pointer is nil, and so is ss.)
		return r.CheckStrings(unsafe.Slice((*string)(v.UnsafePointer()), v.Len()), out)
	}
	if v.Kind() == reflect.Slice && v.IsNil() && r.c.MinItems == nil {
		return out
	}
	n := v.Len()
	out = r.checkItems(n, out)
	if r.c.UniqueItems && hasDuplicates(v) {
		out = append(out, Violation{Index: -1, Message: "must not contain duplicate items"})
	}
	if r.scalar {
		for i := range n {
			e := v.Index(i)
			for e.Kind() == reflect.Pointer && !e.IsNil() {
				e = e.Elem()
			}
			if e.Kind() == reflect.Pointer {
				continue
			}
			if msg := r.checkScalar(e); msg != "" {
				out = append(out, Violation{Index: i, Message: msg})
			}
		}
	}
	return out
}

// CheckStrings is Check for a field that is a slice of strings, ss, for
// binders that hold the slice itself rather than a reflect.Value. The
// Rules must be of such a field.
func (r *Rules) CheckStrings(ss []string, out []Violation) []Violation {
	if r == nil || ss == nil && r.c.MinItems == nil {
		return out
	}
	out = r.checkItems(len(ss), out)
	if r.c.UniqueItems && stringsRepeat(ss) {
		out = append(out, Violation{Index: -1, Message: "must not contain duplicate items"})
	}
	if r.scalar {
		for i, s := range ss {
			if msg := r.CheckString(s); msg != "" {
				out = append(out, Violation{Index: i, Message: msg})
			}
		}
	}
	return out
}

// checkItems appends what a list of n items breaks of minItems and maxItems.
func (r *Rules) checkItems(n int, out []Violation) []Violation {
	if r.c.MinItems != nil && n < *r.c.MinItems {
		out = append(out, Violation{Index: -1, Message: "must have at least " + strconv.Itoa(*r.c.MinItems) + " items"})
	}
	if r.c.MaxItems != nil && n > *r.c.MaxItems {
		out = append(out, Violation{Index: -1, Message: "must have at most " + strconv.Itoa(*r.c.MaxItems) + " items"})
	}
	return out
}

// checkScalar returns the first rule v breaks, or "".
func (r *Rules) checkScalar(v reflect.Value) string {
	switch r.class {
	case classString:
		return r.CheckString(v.String())
	case classBool:
		return r.CheckBool(v.Bool())
	case classInt:
		return r.CheckInt(v.Int())
	case classUint:
		return r.CheckUint(v.Uint())
	case classFloat:
		return r.CheckFloat(v.Float())
	}
	return ""
}

// CheckString returns the first rule a string value breaks, or "". It
// and the other typed checks serve binders that hold the value itself
// rather than a reflect.Value; the Rules must be of a field of that kind.
func (r *Rules) CheckString(s string) string {
	c := &r.c
	// A character is one to four bytes (a byte that is not UTF-8 counts
	// as one): the length in bytes settles most checks without counting.
	if c.MinLength != nil && len(s) < 4**c.MinLength && (len(s) < *c.MinLength || utf8.RuneCountInString(s) < *c.MinLength) {
		return "must be at least " + strconv.Itoa(*c.MinLength) + " characters long"
	}
	if c.MaxLength != nil && len(s) > *c.MaxLength && utf8.RuneCountInString(s) > *c.MaxLength {
		return "must be at most " + strconv.Itoa(*c.MaxLength) + " characters long"
	}
	if r.pattern != nil && !(r.isLit && strings.Contains(s, r.literal) || !r.isLit && r.pattern.MatchString(s)) {
		return "must match the pattern " + c.Pattern
	}
	if r.enumS != nil {
		for _, e := range r.enumS {
			if s == e {
				return ""
			}
		}
		return r.enumMsg
	}
	return ""
}

// CheckBool returns the rule a bool value breaks (its enum), or "".
func (r *Rules) CheckBool(b bool) string {
	if r.c.Enum != nil && !r.enumB[b2i(b)] {
		return r.enumMsg
	}
	return ""
}

// CheckInt returns the first rule a signed integer breaks, or "".
func (r *Rules) CheckInt(n int64) string {
	if msg := r.checkNumber(float64(n), false); msg != "" {
		return msg
	}
	if m := r.c.MultipleOf; m != nil && *m == math.Trunc(*m) && *m < 1<<53 && n%int64(*m) != 0 {
		return "must be a multiple of " + formatNumber(*m)
	}
	return ""
}

// CheckUint returns the first rule an unsigned integer breaks, or "".
func (r *Rules) CheckUint(n uint64) string {
	if msg := r.checkNumber(float64(n), false); msg != "" {
		return msg
	}
	if m := r.c.MultipleOf; m != nil && *m == math.Trunc(*m) && *m < 1<<53 && n%uint64(*m) != 0 {
		return "must be a multiple of " + formatNumber(*m)
	}
	return ""
}

// CheckFloat returns the first rule a float breaks, or "". NaN breaks
// every number rule.
func (r *Rules) CheckFloat(x float64) string { return r.checkNumber(x, true) }

// checkNumber checks x; multipleOf only when float (integers are checked
// exactly by the caller when MultipleOf is integral).
func (r *Rules) checkNumber(x float64, float bool) string {
	c := &r.c
	// Written so that NaN fails each of them.
	if c.Minimum != nil && !(x >= *c.Minimum) {
		return "must be >= " + formatNumber(*c.Minimum)
	}
	if c.ExclusiveMinimum != nil && !(x > *c.ExclusiveMinimum) {
		return "must be > " + formatNumber(*c.ExclusiveMinimum)
	}
	if c.Maximum != nil && !(x <= *c.Maximum) {
		return "must be <= " + formatNumber(*c.Maximum)
	}
	if c.ExclusiveMaximum != nil && !(x < *c.ExclusiveMaximum) {
		return "must be < " + formatNumber(*c.ExclusiveMaximum)
	}
	if m := c.MultipleOf; m != nil && (float || *m != math.Trunc(*m) || *m >= 1<<53) && !multipleOf(x, *m) {
		return "must be a multiple of " + formatNumber(*m)
	}
	if r.enumF != nil {
		for _, e := range r.enumF {
			if x == e {
				return ""
			}
		}
		return r.enumMsg
	}
	return ""
}

// multipleOf reports whether x is a multiple of m within rounding.
func multipleOf(x, m float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return false
	}
	q := x / m
	return math.Abs(q-math.Round(q)) <= 1e-9*math.Max(1, math.Abs(q))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// formatNumber writes a bound as a person would: 10, 0.5, 1e+30.
func formatNumber(n float64) string {
	if n == math.Trunc(n) && math.Abs(n) < 1e15 {
		return strconv.FormatInt(int64(n), 10)
	}
	return strconv.FormatFloat(n, 'g', -1, 64)
}

// stringsRepeat reports whether a string occurs twice in ss, as
// hasDuplicates does for other lists.
func stringsRepeat(ss []string) bool {
	if len(ss) <= 16 {
		for i := range ss {
			for j := i + 1; j < len(ss); j++ {
				if ss[i] == ss[j] {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]struct{}, len(ss))
	for _, s := range ss {
		if _, dup := seen[s]; dup {
			return true
		}
		seen[s] = struct{}{}
	}
	return false
}

// hasDuplicates reports whether two elements of the list v are equal. Short
// lists are compared pairwise; longer ones through a set, so that a long
// list in a hostile body costs linear time.
func hasDuplicates(v reflect.Value) bool {
	n := v.Len()
	if n < 2 {
		return false
	}
	if n <= 16 {
		for i := range n {
			for j := i + 1; j < n; j++ {
				if equalValues(v.Index(i), v.Index(j)) {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[any]struct{}, n)
	for i := range n {
		k := setKey(v.Index(i))
		if _, dup := seen[k]; dup {
			return true
		}
		seen[k] = struct{}{}
	}
	return false
}

// setKey is a comparable key equal for equal elements.
func setKey(e reflect.Value) any {
	for e.Kind() == reflect.Pointer {
		if e.IsNil() {
			return nil
		}
		e = e.Elem()
	}
	switch classOf(e.Type()) {
	case classString:
		return e.String()
	case classInt:
		return e.Int()
	case classUint:
		return e.Uint()
	case classFloat:
		return e.Float()
	case classBool:
		return e.Bool()
	}
	if e.Comparable() {
		return e.Interface()
	}
	return fmt.Sprintf("%#v", e.Interface())
}

func equalValues(a, b reflect.Value) bool {
	for a.Kind() == reflect.Pointer && b.Kind() == reflect.Pointer {
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		a, b = a.Elem(), b.Elem()
	}
	switch classOf(a.Type()) {
	case classString:
		return a.String() == b.String()
	case classInt:
		return a.Int() == b.Int()
	case classUint:
		return a.Uint() == b.Uint()
	case classFloat:
		return a.Float() == b.Float()
	case classBool:
		return a.Bool() == b.Bool()
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
