package typemodel

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// field returns the only field of a struct type built with the given type and tag.
func structField(t reflect.Type, tag string) reflect.StructField {
	return reflect.StructOf([]reflect.StructField{{Name: "F", Type: t, Tag: reflect.StructTag(tag)}}).Field(0)
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

func ptr[T any](v T) *T { return &v }

// TestCheck runs each tag on values that pass and values that fail.
func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		typ  reflect.Type
		tag  string
		val  any    // a value of typ
		want string // the message of the failure, "" for a pass
	}{
		{"minimum pass", typeOf[int](), `minimum:"1"`, 1, ""},
		{"minimum fail", typeOf[int](), `minimum:"1"`, 0, "must be >= 1"},
		{"minimum float", typeOf[float64](), `minimum:"0.5"`, 0.25, "must be >= 0.5"},
		{"minimum uint", typeOf[uint8](), `minimum:"3"`, uint8(2), "must be >= 3"},
		{"exclusiveMinimum pass", typeOf[int](), `exclusiveMinimum:"0"`, 1, ""},
		{"exclusiveMinimum fail", typeOf[int](), `exclusiveMinimum:"0"`, 0, "must be > 0"},
		{"maximum pass", typeOf[int64](), `maximum:"10"`, int64(10), ""},
		{"maximum fail", typeOf[int64](), `maximum:"10"`, int64(11), "must be <= 10"},
		{"exclusiveMaximum fail", typeOf[float32](), `exclusiveMaximum:"1.5"`, float32(1.5), "must be < 1.5"},
		{"NaN fails a bound", typeOf[float64](), `maximum:"1"`, math.NaN(), "must be <= 1"},
		{"multipleOf int pass", typeOf[int](), `multipleOf:"5"`, -15, ""},
		{"multipleOf int fail", typeOf[int](), `multipleOf:"5"`, 12, "must be a multiple of 5"},
		{"multipleOf float pass", typeOf[float64](), `multipleOf:"0.1"`, 0.3, ""},
		{"multipleOf float fail", typeOf[float64](), `multipleOf:"0.25"`, 0.3, "must be a multiple of 0.25"},
		{"minLength counts characters", typeOf[string](), `minLength:"3"`, "héé", ""},
		{"minLength fail", typeOf[string](), `minLength:"3"`, "ab", "must be at least 3 characters long"},
		{"maxLength fail", typeOf[string](), `maxLength:"2"`, "abc", "must be at most 2 characters long"},
		{"pattern pass", typeOf[string](), `pattern:"^[a-z]+$"`, "abc", ""},
		{"pattern unanchored", typeOf[string](), `pattern:"b"`, "abc", ""},
		{"pattern fail", typeOf[string](), `pattern:"^[a-z]+$"`, "ab1", "must match the pattern ^[a-z]+$"},
		{"literal pattern pass", typeOf[string](), `pattern:"@"`, "a@b", ""},
		{"literal pattern fail", typeOf[string](), `pattern:"@"`, "ab", "must match the pattern @"},
		{"anchored literal", typeOf[string](), `pattern:"^ab"`, "cab", "must match the pattern ^ab"},
		{"uniqueItems long strings", typeOf[[]string](), `uniqueItems:"true"`, append(strs(40), "s7"), "must not contain duplicate items"},
		{"uniqueItems long unique strings", typeOf[[]string](), `uniqueItems:"true"`, strs(40), ""},
		{"uniqueItems named strings", typeOf[[]time.Weekday](), `uniqueItems:"true"`, []time.Weekday{1, 1}, "must not contain duplicate items"},
		{"enum string pass", typeOf[string](), `enum:"asc, desc"`, "desc", ""},
		{"enum string fail", typeOf[string](), `enum:"asc,desc"`, "up", "must be one of: asc, desc"},
		{"enum int pass", typeOf[int](), `enum:"1,2,3"`, 2, ""},
		{"enum int fail", typeOf[int](), `enum:"1,2,3"`, 4, "must be one of: 1, 2, 3"},
		{"enum float", typeOf[float64](), `enum:"0.5,1"`, 0.5, ""},
		{"enum bool fail", typeOf[bool](), `enum:"true"`, false, "must be one of: true"},
		{"named string type", typeOf[time.Month](), `minimum:"1" maximum:"12"`, time.Month(13), "must be <= 12"},
		{"pointer looked through", typeOf[*int](), `minimum:"1"`, ptr(0), "must be >= 1"},
		{"nil pointer is absent", typeOf[*int](), `minimum:"1"`, (*int)(nil), ""},
		{"minItems pass", typeOf[[]int](), `minItems:"1"`, []int{1}, ""},
		{"minItems fail", typeOf[[]int](), `minItems:"1"`, []int{}, "must have at least 1 items"},
		{"minItems nil", typeOf[[]int](), `minItems:"1"`, []int(nil), "must have at least 1 items"},
		{"maxItems fail", typeOf[[]string](), `maxItems:"1"`, []string{"a", "b"}, "must have at most 1 items"},
		{"maxItems array", typeOf[[3]int](), `maxItems:"2"`, [3]int{}, "must have at most 2 items"},
		{"uniqueItems pass", typeOf[[]string](), `uniqueItems:"true"`, []string{"a", "b"}, ""},
		{"uniqueItems fail", typeOf[[]string](), `uniqueItems:"true"`, []string{"a", "b", "a"}, "must not contain duplicate items"},
		{"uniqueItems false", typeOf[[]string](), `uniqueItems:"false"`, []string{"a", "a"}, ""},
		{"uniqueItems long list", typeOf[[]int](), `uniqueItems:"true"`, append(seq(100), 7), "must not contain duplicate items"},
		{"uniqueItems long unique", typeOf[[]int](), `uniqueItems:"true"`, seq(100), ""},
		{"uniqueItems structs", typeOf[[]struct{ A []int }](), `uniqueItems:"true"`, []struct{ A []int }{{[]int{1}}, {[]int{1}}}, "must not contain duplicate items"},
		{"uniqueItems pointers", typeOf[[]*int](), `uniqueItems:"true"`, []*int{ptr(1), ptr(1)}, "must not contain duplicate items"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := structField(c.typ, c.tag)
			cons, err := ParseConstraints(f)
			if err != nil {
				t.Fatalf("ParseConstraints: %v", err)
			}
			v := reflect.New(c.typ).Elem()
			v.Set(reflect.ValueOf(c.val))
			got := cons.Compile(c.typ).Check(v, nil)
			switch {
			case c.want == "" && len(got) > 0:
				t.Errorf("Check(%v) = %v, want a pass", c.val, got)
			case c.want != "" && (len(got) != 1 || got[0].Message != c.want || got[0].Index != -1):
				t.Errorf("Check(%v) = %v, want [{-1 %s}]", c.val, got, c.want)
			}
		})
	}
}

func strs(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = "s" + strconv.Itoa(i)
	}
	return s
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// TestCheckElements: on a slice, scalar constraints apply to each element
// and name its index; item constraints to the slice.
func TestCheckElements(t *testing.T) {
	typ := typeOf[[]string]()
	cons, err := ParseConstraints(structField(typ, `maxItems:"2" minLength:"2" enum:"ab,cd,e"`))
	if err != nil {
		t.Fatal(err)
	}
	got := cons.Compile(typ).Check(reflect.ValueOf([]string{"ab", "e", "zz"}), nil)
	want := []Violation{
		{-1, "must have at most 2 items"},
		{1, "must be at least 2 characters long"},
		{2, "must be one of: ab, cd, e"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check = %v, want %v", got, want)
	}
}

// TestCheckStrings: CheckStrings, handed the slice itself, finds what
// Check finds in a reflect.Value of it: nil and empty slices told apart.
func TestCheckStrings(t *testing.T) {
	typ := typeOf[[]string]()
	tests := []struct {
		tags string
		ss   []string
		want []Violation
	}{
		{`maxItems:"2" minLength:"2" enum:"ab,cd,e"`, []string{"ab", "e", "zz"},
			[]Violation{{-1, "must have at most 2 items"}, {1, "must be at least 2 characters long"}, {2, "must be one of: ab, cd, e"}}},
		{`uniqueItems:"true"`, []string{"a", "b", "a"}, []Violation{{-1, "must not contain duplicate items"}}},
		{`uniqueItems:"true"`, []string{"a", "b"}, nil},
		{`minItems:"1"`, nil, []Violation{{-1, "must have at least 1 items"}}},
		{`minItems:"1"`, []string{}, []Violation{{-1, "must have at least 1 items"}}},
		{`maxItems:"0" minLength:"1"`, nil, nil},
		{`maxItems:"0"`, []string{}, nil},
		{`pattern:"^x"`, []string{"xa", "ya"}, []Violation{{1, "must match the pattern ^x"}}},
	}
	for _, tt := range tests {
		cons, err := ParseConstraints(structField(typ, tt.tags))
		if err != nil {
			t.Fatal(err)
		}
		r := cons.Compile(typ)
		got := r.CheckStrings(tt.ss, nil)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: CheckStrings(%#v) = %v, want %v", tt.tags, tt.ss, got, tt.want)
		}
		if viaReflect := r.Check(reflect.ValueOf(tt.ss), nil); !reflect.DeepEqual(viaReflect, got) {
			t.Errorf("%s: Check(%#v) = %v, CheckStrings %v", tt.tags, tt.ss, viaReflect, got)
		}
	}
}

// TestCompileNothing: a field without constraint tags compiles to nil.
func TestCompileNothing(t *testing.T) {
	cons, err := ParseConstraints(structField(typeOf[string](), `json:"a" doc:"x"`))
	if err != nil || !cons.IsZero() || cons.Compile(typeOf[string]()) != nil {
		t.Errorf("ParseConstraints of a field with no constraint = %+v, %v", cons, err)
	}
}

// TestParseConstraints reads every tag into its field.
func TestParseConstraints(t *testing.T) {
	cons, err := ParseConstraints(structField(typeOf[[]*float64](),
		`minimum:"1" exclusiveMinimum:"0" maximum:"9" exclusiveMaximum:"10" multipleOf:"0.5" minItems:"1" maxItems:"4" uniqueItems:"true" enum:"1,2.5"`))
	if err != nil {
		t.Fatal(err)
	}
	if *cons.Minimum != 1 || *cons.ExclusiveMinimum != 0 || *cons.Maximum != 9 || *cons.ExclusiveMaximum != 10 ||
		*cons.MultipleOf != 0.5 || *cons.MinItems != 1 || *cons.MaxItems != 4 || !cons.UniqueItems ||
		!reflect.DeepEqual(cons.Enum, []string{"1", "2.5"}) {
		t.Errorf("ParseConstraints = %+v", cons)
	}
	cons, err = ParseConstraints(structField(typeOf[string](), `minLength:"1" maxLength:"3" pattern:"^a"`))
	if err != nil || *cons.MinLength != 1 || *cons.MaxLength != 3 || cons.Pattern != "^a" {
		t.Errorf("ParseConstraints = %+v, %v", cons, err)
	}
}

// TestParseConstraintsErrors: malformed tags fail, naming the field and the tag.
func TestParseConstraintsErrors(t *testing.T) {
	cases := []struct {
		typ  reflect.Type
		tag  string
		want string
	}{
		{typeOf[int](), `minimum:"one"`, `tag minimum:"one": not a number`},
		{typeOf[int](), `maximum:"NaN"`, `tag maximum:"NaN": not a number`},
		{typeOf[int](), `multipleOf:"0"`, `must be above zero`},
		{typeOf[string](), `minimum:"1"`, `tag minimum:"1": a number constraint on a field of type string`},
		{typeOf[int](), `minLength:"1"`, `tag minLength:"1": a string constraint on a field of type int`},
		{typeOf[int](), `pattern:"a"`, `a string constraint`},
		{typeOf[string](), `minLength:"-1"`, `not a non-negative integer`},
		{typeOf[string](), `maxLength:"x"`, `not a non-negative integer`},
		{typeOf[string](), `pattern:"(a"`, `tag pattern:"(a": not a regular expression`},
		{typeOf[string](), `pattern:""`, `empty pattern`},
		{typeOf[string](), `minItems:"1"`, `a slice constraint on a field of type string`},
		{typeOf[[]byte](), `maxItems:"1"`, `a slice constraint`},
		{typeOf[int](), `uniqueItems:"true"`, `a slice constraint`},
		{typeOf[[]int](), `uniqueItems:"yes"`, `not true or false`},
		{typeOf[int](), `enum:"1,two"`, `value "two": not a value of type int`},
		{typeOf[uint8](), `enum:"300"`, `value "300": not a value of type uint8`},
		{typeOf[bool](), `enum:"true,maybe"`, `value "maybe"`},
		{typeOf[[]int](), `enum:"a"`, `value "a": not a value of type int`},
		{typeOf[time.Time](), `enum:"a"`, `an enum on a field of type time.Time`},
		{typeOf[time.Time](), `minLength:"1"`, `a string constraint on a field of type time.Time`},
		{typeOf[int](), `minimum:"5" maximum:"1"`, `above maximum`},
		{typeOf[string](), `minLength:"5" maxLength:"1"`, `above maxLength`},
		{typeOf[[]int](), `minItems:"5" maxItems:"1"`, `above maxItems`},
	}
	for _, c := range cases {
		_, err := ParseConstraints(structField(c.typ, c.tag))
		if err == nil {
			t.Errorf("%s `%s`: no error", c.typ, c.tag)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "field F: ") {
			t.Errorf("%s `%s`: %q, want it to name field F and say %q", c.typ, c.tag, err, c.want)
		}
	}
}

// TestCheckAllocations: a value that passes costs no allocation.
func TestCheckAllocations(t *testing.T) {
	typ := typeOf[[]string]()
	cons, _ := ParseConstraints(structField(typ, `minItems:"1" uniqueItems:"true" pattern:"^[a-z]+$" maxLength:"9"`))
	r := cons.Compile(typ)
	v := reflect.ValueOf([]string{"alpha", "beta", "gamma"})
	if n := testing.AllocsPerRun(100, func() { r.Check(v, nil) }); n != 0 {
		t.Errorf("Check allocates %v times for a passing value, want 0", n)
	}
}
