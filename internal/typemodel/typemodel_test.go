package typemodel

import (
	"encoding/json"
	"net"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

type base struct {
	ID      int    `json:"id"`
	Created string `json:"created"`
	Shared  string
}

type Other struct {
	Shared string
	Note   string `json:"note"`
	Deep   string
}

type deeper struct {
	Deep string `json:"deep"`
}

type Twice struct {
	X string
}

type A struct{ Twice }
type B struct{ Twice }

type sample struct {
	base
	*Other
	Named deeper `json:"named"`
	A
	B
	Name  string    `json:"name"`
	Email string    `json:"email,omitempty"`
	Nick  *string   `json:"nick"`
	Zero  time.Time `json:"zero,omitzero"`
	Count int64     `json:"count,string"`
	Skip  string    `json:"-"`
	//lint:ignore SA5008 encoding/json names this field "-"
	Dash string `json:"-,"`
	//lint:ignore SA5008 encoding/json uses the Go name for an invalid json name
	Bad      string            `json:"a\\b"`
	Tags     map[string]string `json:"tags"`
	unexport string
}

// The JSON fields are those encoding/json writes, under the same names.
func TestJSONFieldsMatchEncodingJSON(t *testing.T) {
	v := sample{base: base{ID: 1}, Other: &Other{Note: "n"}, A: A{Twice{"a"}}, B: B{Twice{"b"}}, Email: "e", Zero: time.Unix(1, 0), unexport: "u"}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var want []string
	for k := range m {
		want = append(want, k)
	}
	slices.Sort(want)
	s, err := Of(reflect.TypeFor[sample]())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range s.JSONFields() {
		got = append(got, f.JSONName)
		if fv := reflect.ValueOf(v).FieldByIndex(f.Index); fv.Type() != f.Type {
			t.Errorf("field %s: Index %v reaches a %s, not a %s", f.Name, f.Index, fv.Type(), f.Type)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("JSON names = %v, encoding/json writes %v (%s)", got, want, data)
	}
}

type bound struct {
	ID      int      `path:"id"`
	Page    int      `query:"page"`
	Sort    []string `query:"sort" required:"true"`
	Token   string   `header:"X-Token"`
	Session string   `cookie:"sid" required:"false"`
	Name    string   `json:"name"`
	Email   string   `json:"email,omitempty"`
	Age     *int     `json:"age"`
	Alias   *string  `json:"alias" required:"true"`
	Zero    int      `json:"zero,omitzero"`
	Opt     string   `json:"opt" required:"false"`
	Form    string   `json:"form_json" form:"form_name"`
	NoForm  string   `form:"-"`
	Hidden  string   `json:"-" query:"hidden"`
	Embed
}

type Embed struct {
	Tenant string `header:"X-Tenant"`
	Inner  string `json:"inner"`
}

func TestSourcesAndRequired(t *testing.T) {
	s, err := Of(reflect.TypeFor[bound]())
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		source   Source
		name     string
		form     string
		required bool
		index    []int
	}
	want := map[string]row{
		"ID":      {Path, "id", "", true, []int{0}},
		"Page":    {Query, "page", "", false, []int{1}},
		"Sort":    {Query, "sort", "", true, []int{2}},
		"Token":   {Header, "X-Token", "", false, []int{3}},
		"Session": {Cookie, "sid", "", false, []int{4}},
		"Name":    {Body, "name", "name", true, []int{5}},
		"Email":   {Body, "email", "email", false, []int{6}},
		"Age":     {Body, "age", "age", false, []int{7}},
		"Alias":   {Body, "alias", "alias", true, []int{8}},
		"Zero":    {Body, "zero", "zero", false, []int{9}},
		"Opt":     {Body, "opt", "opt", false, []int{10}},
		"Form":    {Body, "form_json", "form_name", true, []int{11}},
		"NoForm":  {Body, "NoForm", "", true, []int{12}},
		"Hidden":  {Query, "hidden", "", false, []int{13}},
		"Tenant":  {Header, "X-Tenant", "", false, []int{14, 0}},
		"Inner":   {Body, "inner", "inner", true, []int{14, 1}},
	}
	if len(s.Fields) != len(want) {
		t.Errorf("%d fields, want %d", len(s.Fields), len(want))
	}
	for _, f := range s.Fields {
		w, ok := want[f.Name]
		if !ok {
			t.Errorf("unexpected field %s", f.Name)
			continue
		}
		got := row{f.Source, f.SourceName, f.FormName, f.Required, f.Index}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("field %s = %+v, want %+v", f.Name, got, w)
		}
	}
	if n := len(s.Tagged()); n != 7 {
		t.Errorf("Tagged() has %d fields, want 7", n)
	}
	if n := len(s.BodyFields()); n != 9 {
		t.Errorf("BodyFields() has %d fields, want 9", n)
	}
	if f := s.Fields[13]; f.JSONName != "" {
		t.Errorf("a json:\"-\" field has JSON name %q", f.JSONName)
	}
}

type documented struct {
	Status string  `json:"status" doc:"The state." example:"open" format:"word" enum:"open,closed" default:"open"`
	Flags  float64 `json:"flags" nullable:"true" readOnly:"true" writeOnly:"false" deprecated:"true" hidden:"true"`
}

func TestDocumentationTags(t *testing.T) {
	s, err := Of(reflect.TypeFor[documented]())
	if err != nil {
		t.Fatal(err)
	}
	f := s.Fields[0]
	if f.Doc != "The state." || f.Example != "open" || f.Format != "word" || f.Default != "open" || !slices.Equal(f.Enum, []string{"open", "closed"}) {
		t.Errorf("string tags = %+v", f)
	}
	g := s.Fields[1]
	if !g.Nullable || !g.ReadOnly || g.WriteOnly || !g.Deprecated || !g.Hidden {
		t.Errorf("boolean tags = %+v", g)
	}
}

func TestMalformedTags(t *testing.T) {
	cases := []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[struct {
			X string `json:"x" nullable:"yes"`
		}](), `field struct { X string "json:\"x\" nullable:\"yes\"" }.X: nullable:"yes"`},
		{reflect.TypeFor[struct {
			X string `required:"maybe"`
		}](), `.X: required:"maybe" is neither`},
		{reflect.TypeFor[struct {
			X string `path:""`
		}](), `.X: the path tag needs a name`},
		{reflect.TypeFor[struct {
			X string `path:"x" query:"x"`
		}](), `.X has both path and query tags`},
		{reflect.TypeFor[struct {
			X string `path:"x" required:"false"`
		}](), `a path parameter is always required`},
		{reflect.TypeFor[struct {
			X string `header:"X-A"`
			Y string `header:"x-a"`
		}](), `.X and `},
	}
	for _, c := range cases {
		_, err := Of(c.typ)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Of(%s) = %v, want an error with %q", c.typ, err, c.want)
		}
		// The error is cached with the type.
		if _, again := Of(c.typ); again == nil || again.Error() != err.Error() {
			t.Errorf("Of(%s) again = %v", c.typ, again)
		}
	}
	if _, err := Of(reflect.TypeFor[int]()); err == nil {
		t.Error("Of(int) did not fail")
	}
}

func TestOfIsCached(t *testing.T) {
	a, _ := Of(reflect.TypeFor[bound]())
	b, _ := Of(reflect.TypeFor[*bound]())
	if a != b {
		t.Error("Of built a second description of one type")
	}
}

type marshals struct{}

func (marshals) MarshalJSON() ([]byte, error) { return []byte("1"), nil }

type texty struct{}

func (*texty) MarshalText() ([]byte, error) { return nil, nil }

func TestKindOf(t *testing.T) {
	cases := []struct {
		typ  reflect.Type
		want Kind
	}{
		{reflect.TypeFor[string](), String},
		{reflect.TypeFor[bool](), Bool},
		{reflect.TypeFor[int8](), Int},
		{reflect.TypeFor[uint64](), Uint},
		{reflect.TypeFor[float32](), Float},
		{reflect.TypeFor[[]byte](), Bytes},
		{reflect.TypeFor[[]int](), Slice},
		{reflect.TypeFor[[3]int](), Slice},
		{reflect.TypeFor[map[string]int](), Map},
		{reflect.TypeFor[map[int]int](), Map},
		{reflect.TypeFor[map[texty]int](), Map},
		{reflect.TypeFor[map[float64]int](), Unsupported},
		{reflect.TypeFor[struct{}](), Struct},
		{reflect.TypeFor[time.Time](), Time},
		{reflect.TypeFor[net.IP](), Text},
		{reflect.TypeFor[texty](), Text},
		{reflect.TypeFor[marshals](), Marshaler},
		{reflect.TypeFor[json.RawMessage](), Marshaler},
		{reflect.TypeFor[*int](), Pointer},
		{reflect.TypeFor[any](), Interface},
		{reflect.TypeFor[chan int](), Unsupported},
		{reflect.TypeFor[func()](), Unsupported},
	}
	for _, c := range cases {
		if got := KindOf(c.typ); got != c.want {
			t.Errorf("KindOf(%s) = %s, want %s", c.typ, got, c.want)
		}
	}
}

func TestValue(t *testing.T) {
	cases := []struct {
		typ  reflect.Type
		in   string
		want any
		bad  bool
	}{
		{reflect.TypeFor[string](), "x,y", "x,y", false},
		{reflect.TypeFor[*int](), "42", int64(42), false},
		{reflect.TypeFor[int8](), "300", nil, true},
		{reflect.TypeFor[uint](), "-1", nil, true},
		{reflect.TypeFor[float64](), "1.5", 1.5, false},
		{reflect.TypeFor[bool](), "true", true, false},
		{reflect.TypeFor[bool](), "yes", nil, true},
		{reflect.TypeFor[[]string](), `["a","b"]`, []any{"a", "b"}, false},
		{reflect.TypeFor[[]string](), `a,b`, nil, true},
		{reflect.TypeFor[time.Time](), "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", false},
	}
	for _, c := range cases {
		got, err := Value(c.typ, c.in)
		if c.bad != (err != nil) || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Value(%s, %q) = %v, %v; want %v (error: %v)", c.typ, c.in, got, err, c.want, c.bad)
		}
	}
}

type Paging struct {
	Page int `query:"page"`
}

type wrapsPaging struct {
	Paging Paging `json:"paging"`
}

// Input refuses, naming the tagged field and the field that hides it, the
// tags the binder would not read; Of describes the same types, which are
// fine as outputs.
func TestInputRefusesHiddenTags(t *testing.T) {
	cases := []struct {
		typ  reflect.Type
		want string // "" when accepted
	}{
		{reflect.TypeFor[struct {
			Paging
			Name string `json:"name"`
		}](), ""},
		{reflect.TypeFor[struct {
			Outer struct{ Paging }
		}](), `.Outer.Paging.Page is tagged, but struct { Outer struct { typemodel.Paging } }.Outer is a body field: the binder reads tags only`},
		{reflect.TypeFor[struct {
			Items []wrapsPaging `json:"items"`
		}](), `.Items.Paging.Page is tagged, but struct { Items []typemodel.wrapsPaging "json:\"items\"" }.Items is a body field`},
		{reflect.TypeFor[struct {
			ByName map[string]*Paging
		}](), `.ByName.Page is tagged, but`},
		{reflect.TypeFor[struct {
			*Paging
		}](), `.Paging.Page is tagged, but struct { *typemodel.Paging }.Paging is embedded by pointer: embed it by value`},
		{reflect.TypeFor[struct {
			Paging `json:"paging"`
		}](), `.Paging.Page is tagged, but struct { typemodel.Paging "json:\"paging\"" }.Paging is embedded renamed by its json tag`},
		{reflect.TypeFor[struct {
			Skipped Paging `json:"-"`
		}](), ""},
		{reflect.TypeFor[struct{ A struct{ wrapsPaging } }](), `.A.wrapsPaging.Paging.Page is tagged, but`},
	}
	for _, c := range cases {
		if _, err := Of(c.typ); err != nil {
			t.Errorf("Of(%s) = %v", c.typ, err)
		}
		_, err := Input(c.typ)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("Input(%s) = %v", c.typ, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("Input(%s) = %v, want an error with %q", c.typ, err, c.want)
		}
	}
}

// Path names a promoted field through the structs that embed it, and so do
// the errors about it.
func TestPath(t *testing.T) {
	m, err := Of(reflect.TypeFor[bound]())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Fields {
		want := f.Name
		if f.Name == "Tenant" || f.Name == "Inner" {
			want = "Embed." + f.Name
		}
		if f.Path != want {
			t.Errorf("field %s: Path = %q, want %q", f.Name, f.Path, want)
		}
	}
	type both struct {
		Embed
		Paging
		Other int `header:"x-tenant"`
	}
	if _, err := Of(reflect.TypeFor[both]()); err == nil || !strings.Contains(err.Error(), "fields typemodel.both.Other and typemodel.both.Embed.Tenant are both bound from header") {
		t.Errorf("Of(both) = %v", err)
	}
}

func TestInnermost(t *testing.T) {
	type item struct{ N int }
	for _, tt := range []struct {
		t, want reflect.Type
	}{
		{reflect.TypeFor[item](), reflect.TypeFor[item]()},
		{reflect.TypeFor[[]*item](), reflect.TypeFor[item]()},
		{reflect.TypeFor[map[string][]item](), reflect.TypeFor[item]()},
		{reflect.TypeFor[*[2]map[int]*item](), reflect.TypeFor[item]()},
		{reflect.TypeFor[string](), reflect.TypeFor[string]()},
		{reflect.TypeFor[chan int](), reflect.TypeFor[chan int]()},
	} {
		if got := Innermost(tt.t); got != tt.want {
			t.Errorf("Innermost(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}
