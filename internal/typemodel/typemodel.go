package typemodel

import (
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Source is where the binder takes a field from.
type Source uint8

// The sources. A field tagged path, query, header or cookie comes from
// there; any other field that encoding/json would decode comes from the body.
const (
	Body Source = iota
	Path
	Query
	Header
	Cookie
)

var sourceNames = [...]string{"body", "path", "query", "header", "cookie"}

// String returns the source's name, which is also its tag: "path", "query",
// "header", "cookie", or "body".
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "unknown"
}

// Field is one field of a struct as the binder, encoding/json and the
// documentation see it.
type Field struct {
	// Name is the Go field name.
	Name string
	// Index is the index sequence for reflect.Value.FieldByIndex: longer
	// than one for a field promoted from an embedded struct.
	Index []int
	// Path names the fields Index goes through by their Go names, joined
	// by dots: "Paging.Page" for a field Page of an embedded Paging; Name
	// alone for a field of the struct itself. Messages name fields by it.
	Path string
	// Type is the field's type, and Kind how encoding/json writes it.
	Type reflect.Type
	Kind Kind
	// StructField is the field's reflect description, for reading further
	// tags (ParseConstraints takes it).
	StructField reflect.StructField

	// JSONName is the field's key in JSON: its json tag's name, else its
	// Go name. It is "" when encoding/json leaves the field out (json:"-",
	// or a name that another field of the same depth also claims).
	JSONName string
	// OmitEmpty and OmitZero are the json tag's options; Quoted is its
	// ",string" option, which writes a number or bool as a JSON string.
	OmitEmpty, OmitZero, Quoted bool

	// Source is where the binder reads the field from, and SourceName the
	// name there: the tag's value for path, query, header and cookie, the
	// JSON name for the body.
	Source     Source
	SourceName string
	// FormName is the body field's name in urlencoded and multipart
	// bodies: its form tag, else its JSON name; "" when form:"-" or when
	// the field is not from the body.
	FormName string
	// Required reports whether a request must carry the field: a body
	// field unless it is a pointer, has omitempty or omitzero, or
	// required:"false"; a query, header or cookie field only with
	// required:"true"; a path field always.
	Required bool

	// The documentation tags, as written: doc, example, format, default,
	// and enum split at its commas.
	Doc, Example, Format, Default string
	Enum                          []string
	// The boolean documentation tags: nullable, readOnly, writeOnly,
	// deprecated, hidden ("true" or "false", as strconv.ParseBool reads them).
	Nullable, ReadOnly, WriteOnly, Deprecated, Hidden bool
}

// Model describes a struct type.
type Model struct {
	// Type is the struct type.
	Type reflect.Type
	// Fields are the fields encoding/json encodes and those with a source
	// tag, in the order of their index sequences (declaration order, an
	// embedded struct's fields where it is embedded).
	Fields []Field

	// inputErr is why the type cannot be a handler's input (see Input).
	inputErr error
}

// JSONFields returns the fields encoding/json writes, in order.
func (s *Model) JSONFields() []*Field {
	var out []*Field
	for i := range s.Fields {
		if s.Fields[i].JSONName != "" {
			out = append(out, &s.Fields[i])
		}
	}
	return out
}

// BodyFields returns the fields the binder reads from the body, in order.
func (s *Model) BodyFields() []*Field {
	var out []*Field
	for i := range s.Fields {
		if s.Fields[i].Source == Body {
			out = append(out, &s.Fields[i])
		}
	}
	return out
}

// Tagged returns the fields with a path, query, header or cookie tag, in order.
func (s *Model) Tagged() []*Field {
	var out []*Field
	for i := range s.Fields {
		if s.Fields[i].Source != Body {
			out = append(out, &s.Fields[i])
		}
	}
	return out
}

// Input describes the struct type t, as Of does, as a handler's input,
// whose tagged fields the binder reads from their sources: it also fails
// when the binder would not read a tag of t, naming the tagged field and
// the field that hides it: a tagged field inside a body field's type (a
// struct, or the elements of a slice, array or map), inside a struct
// embedded by pointer, or inside an embedded struct that a json tag
// renames (encoding/json then reads it from the body as a whole).
func Input(t reflect.Type) (*Model, error) {
	m, err := Of(t)
	if err != nil {
		return nil, err
	}
	if m.inputErr != nil {
		return nil, m.inputErr
	}
	return m, nil
}

type cached struct {
	s   *Model
	err error
}

var cache sync.Map // reflect.Type -> cached

// Of describes the struct type t (a pointer to a struct is looked
// through). The description is built once per type and shared: do not
// modify it. The error names the field and its tag when a tag is
// malformed: a source tag without a name, two fields bound from the same
// source and name, or a boolean tag that is neither true nor false.
func Of(t reflect.Type) (*Model, error) {
	t, _ = Deref(t)
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("typemodel: %s is not a struct", t)
	}
	if c, ok := cache.Load(t); ok {
		return c.(cached).s, c.(cached).err
	}
	s, err := describe(t)
	c, _ := cache.LoadOrStore(t, cached{s, err})
	return c.(cached).s, c.(cached).err
}

// candidate is a field found while walking a struct and the structs it
// embeds, before encoding/json's rules pick among same-named ones.
type candidate struct {
	f        reflect.StructField
	index    []int
	jsonName string // "" when json:"-"
	tagged   bool   // the json tag names the field
	source   Source
	srcName  string
}

var sourceTags = [...]string{Path: "path", Query: "query", Header: "header", Cookie: "cookie"}

func describe(t reflect.Type) (*Model, error) {
	cands, inputErr, err := walk(t)
	if err != nil {
		return nil, err
	}
	// encoding/json's rule among fields of one JSON name: the shallowest
	// wins; among several at that depth, the one whose json tag names it;
	// otherwise none of them.
	byName := map[string][]*candidate{}
	for i := range cands {
		if c := &cands[i]; c.jsonName != "" {
			byName[c.jsonName] = append(byName[c.jsonName], c)
		}
	}
	for _, group := range byName {
		if len(group) == 1 {
			continue
		}
		depth := len(group[0].index)
		for _, c := range group {
			depth = min(depth, len(c.index))
		}
		var top []*candidate
		for _, c := range group {
			if len(c.index) == depth {
				top = append(top, c)
			} else {
				c.jsonName = ""
			}
		}
		if len(top) > 1 {
			var named []*candidate
			for _, c := range top {
				if c.tagged {
					named = append(named, c)
				}
			}
			for _, c := range top {
				if len(named) != 1 || c != named[0] {
					c.jsonName = ""
				}
			}
		}
	}

	s := &Model{Type: t, inputErr: inputErr}
	seen := map[[2]string]string{}
	for _, c := range cands {
		if c.jsonName == "" && c.source == Body {
			continue
		}
		f, err := fieldOf(t, c)
		if err != nil {
			return nil, err
		}
		if c.source != Body {
			key := [2]string{c.source.String(), c.srcName}
			if c.source == Header {
				key[1] = strings.ToLower(key[1])
			}
			name := pathOf(t, c.index)
			if other, dup := seen[key]; dup {
				return nil, fmt.Errorf("typemodel: fields %s.%s and %s.%s are both bound from %s %q", t, other, t, name, c.source, c.srcName)
			}
			seen[key] = name
		}
		s.Fields = append(s.Fields, f)
	}
	slices.SortFunc(s.Fields, func(a, b Field) int { return slices.Compare(a.Index, b.Index) })
	return s, nil
}

// walk lists the fields of t and of the structs it embeds, breadth first
// as encoding/json does: an embedded struct without a json name is
// flattened into its parent; one with a json name, or of a type already
// walked at a shallower depth, is not. inputErr is the first tag that the
// binder would not read (see Input).
func walk(t reflect.Type) (out []candidate, inputErr error, err error) {
	type level struct {
		t     reflect.Type
		index []int
	}
	next := []level{{t: t}}
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current := next
		next = nil
		count := map[reflect.Type]int{}
		for _, l := range current {
			count[l.t]++
		}
		for _, l := range current {
			if visited[l.t] {
				continue
			}
			visited[l.t] = true
			// The same struct embedded twice at one depth makes each of its
			// fields ambiguous: a second copy makes the rule below drop it,
			// as encoding/json does.
			twice := count[l.t] > 1
			for i := 0; i < l.t.NumField(); i++ {
				sf := l.t.Field(i)
				if sf.Anonymous {
					et, _ := Deref(sf.Type)
					if !sf.IsExported() && et.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				index := append(slices.Clip(l.index), i)
				c := candidate{f: sf, index: index}
				for src := Path; src <= Cookie; src++ {
					if v, ok := sf.Tag.Lookup(sourceTags[src]); ok {
						if c.source != Body {
							return nil, nil, fmt.Errorf("typemodel: field %s.%s has both %s and %s tags", t, pathOf(t, index), c.source, src)
						}
						if v == "" || v == "-" {
							return nil, nil, fmt.Errorf("typemodel: field %s.%s: the %s tag needs a name", t, pathOf(t, index), src)
						}
						c.source, c.srcName = src, v
					}
				}
				tag := sf.Tag.Get("json")
				name, _, _ := strings.Cut(tag, ",")
				if tag == "-" {
					if c.source != Body {
						out = append(out, c)
					}
					continue
				}
				if !validJSONName(name) {
					name = ""
				}
				et, pointer := Deref(sf.Type)
				if c.source == Body && inputErr == nil {
					inputErr = hiddenTag(t, index, sf, name != "", pointer)
				}
				if c.source == Body && Flattened(sf) {
					next = append(next, level{t: et, index: index})
					continue
				}
				c.tagged = name != ""
				c.jsonName = cmp.Or(name, sf.Name)
				out = append(out, c)
				if twice {
					c.source, c.srcName = Body, ""
					out = append(out, c)
				}
			}
		}
	}
	return out, inputErr, nil
}

// hiddenTag returns the error of Input when the binder would not read a
// tagged field inside sf, an untagged field of t at index (renamed: by its
// json tag; pointer: of a pointer type), or nil.
func hiddenTag(t reflect.Type, index []int, sf reflect.StructField, renamed, pointer bool) error {
	inner := taggedIn(sf.Type, map[reflect.Type]bool{})
	if inner == "" {
		return nil
	}
	where := t.String() + "." + pathOf(t, index)
	why := "is a body field: the binder reads tags only on the input's own fields and on structs embedded in it"
	if et, _ := Deref(sf.Type); sf.Anonymous && et.Kind() == reflect.Struct {
		switch {
		case renamed:
			why = "is embedded renamed by its json tag, so the binder reads it from the body"
		case pointer:
			why = "is embedded by pointer: embed it by value"
		default:
			return nil // flattened: its fields are read as the input's own
		}
	}
	return fmt.Errorf("typemodel: field %s.%s is tagged, but %s %s", where, inner, where, why)
}

// Innermost returns the type of the values that t holds through pointers,
// slices, arrays and maps (a map's values, not its keys): Item for
// []*Item or map[string][]Item, and t itself for any other type.
func Innermost(t reflect.Type) reflect.Type {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		default:
			return t
		}
	}
}

// taggedIn returns the path of a field tagged path, query, header or
// cookie in the values of type t (in structs, through pointers, slices,
// arrays and maps), or "" if there is none.
func taggedIn(t reflect.Type, seen map[reflect.Type]bool) string {
	t = Innermost(t)
	if t.Kind() != reflect.Struct || seen[t] {
		return ""
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		for _, tag := range sourceTags[Path:] {
			if _, ok := f.Tag.Lookup(tag); ok {
				return f.Name
			}
		}
		if inner := taggedIn(f.Type, seen); inner != "" {
			return f.Name + "." + inner
		}
	}
	return ""
}

// pathOf names the field of struct t at index by the Go names of the
// fields it goes through: "Paging.Page" for a field of an embedded struct.
func pathOf(t reflect.Type, index []int) string {
	var b strings.Builder
	for i, x := range index {
		t, _ = Deref(t)
		f := t.Field(x)
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(f.Name)
		t = f.Type
	}
	return b.String()
}

// Flattened reports whether encoding/json reads the fields of sf as those
// of the struct that holds it (when sf has no source tag): sf embeds a
// struct, or a pointer to one, and no json tag names it or leaves it out.
func Flattened(sf reflect.StructField) bool {
	tag := sf.Tag.Get("json")
	if !sf.Anonymous || tag == "-" {
		return false
	}
	name, _, _ := strings.Cut(tag, ",")
	et, _ := Deref(sf.Type)
	return et.Kind() == reflect.Struct && !validJSONName(name)
}

// validJSONName reports whether encoding/json accepts name as a json tag's
// name (it uses the Go name otherwise).
func validJSONName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c > 127:
		default:
			return false
		}
	}
	return true
}

// fieldOf builds the description of one chosen candidate.
func fieldOf(t reflect.Type, c candidate) (Field, error) {
	sf := c.f
	name := pathOf(t, c.index)
	f := Field{Name: sf.Name, Index: c.index, Path: name, Type: sf.Type, Kind: KindOf(sf.Type), StructField: sf,
		JSONName: c.jsonName, Source: c.source, SourceName: c.srcName}
	if f.JSONName != "" {
		_, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		for o := range strings.SplitSeq(opts, ",") {
			switch o {
			case "omitempty":
				f.OmitEmpty = true
			case "omitzero":
				f.OmitZero = true
			case "string":
				switch KindOf(sf.Type) {
				case Bool, Int, Uint, Float, String:
					f.Quoted = true
				}
			}
		}
	}
	tag := sf.Tag
	f.Doc, f.Example, f.Format, f.Default = tag.Get("doc"), tag.Get("example"), tag.Get("format"), tag.Get("default")
	if e, ok := tag.Lookup("enum"); ok {
		f.Enum = strings.Split(e, ",")
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"nullable", &f.Nullable}, {"readOnly", &f.ReadOnly}, {"writeOnly", &f.WriteOnly}, {"deprecated", &f.Deprecated}, {"hidden", &f.Hidden}} {
		if v, ok := tag.Lookup(b.name); ok {
			x, err := strconv.ParseBool(v)
			if err != nil {
				return Field{}, fmt.Errorf("typemodel: field %s.%s: %s:%q is neither true nor false", t, name, b.name, v)
			}
			*b.dst = x
		}
	}
	required, hasRequired := true, false
	if v, ok := tag.Lookup("required"); ok {
		x, err := strconv.ParseBool(v)
		if err != nil {
			return Field{}, fmt.Errorf("typemodel: field %s.%s: required:%q is neither true nor false", t, name, v)
		}
		required, hasRequired = x, true
	}
	switch f.Source {
	case Body:
		f.SourceName = f.JSONName
		f.FormName = cmp.Or(tag.Get("form"), f.JSONName)
		if f.FormName == "-" {
			f.FormName = ""
		}
		if hasRequired {
			f.Required = required
		} else {
			f.Required = f.Kind != Pointer && !f.OmitEmpty && !f.OmitZero
		}
	case Path:
		if hasRequired && !required {
			return Field{}, fmt.Errorf("typemodel: field %s.%s: a path parameter is always required", t, name)
		}
		f.Required = true
	default:
		f.Required = hasRequired && required
	}
	return f, nil
}

// Value converts the text of a documentation tag (example, default, an
// enum value) into the JSON value it stands for in a field of type t:
// a number, a bool or a string for those kinds, and JSON for the others
// (an array or object tag value is written as JSON). A pointer's element
// type decides.
func Value(t reflect.Type, s string) (any, error) {
	t, _ = Deref(t)
	switch KindOf(t) {
	case String, Text, Time, Bytes:
		return s, nil
	case Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not a boolean", s)
		}
		return b, nil
	case Int:
		n, err := strconv.ParseInt(s, 10, t.Bits())
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer of %s", s, t)
		}
		return n, nil
	case Uint:
		n, err := strconv.ParseUint(s, 10, t.Bits())
		if err != nil {
			return nil, fmt.Errorf("%q is not a non-negative integer of %s", s, t)
		}
		return n, nil
	case Float:
		n, err := strconv.ParseFloat(s, t.Bits())
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		return n, nil
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("%q is not JSON for %s", s, t)
	}
	return v, nil
}
