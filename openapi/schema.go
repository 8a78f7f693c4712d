package openapi

import (
	"cmp"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/kaito-go/kaito/internal/typemodel"
)

// schema is a JSON Schema (2020-12, as OpenAPI 3.1 uses it). A schema
// with ref set is a reference to a component schema, whose name is known
// only when the whole document has been walked.
type schema struct {
	ref *component

	Ref                  string             `json:"$ref,omitempty"`
	Type                 any                `json:"type,omitempty"` // a string, or a list with "null"
	Format               string             `json:"format,omitempty"`
	ContentEncoding      string             `json:"contentEncoding,omitempty"`
	Title                string             `json:"title,omitempty"`
	Description          string             `json:"description,omitempty"`
	Properties           map[string]*schema `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	AdditionalProperties *schema            `json:"additionalProperties,omitempty"`
	Items                *schema            `json:"items,omitempty"`
	AnyOf                []*schema          `json:"anyOf,omitempty"`
	Enum                 []any              `json:"enum,omitempty"`
	Default              any                `json:"default,omitempty"`
	Examples             []any              `json:"examples,omitempty"`
	Minimum              *float64           `json:"minimum,omitempty"`
	ExclusiveMinimum     *float64           `json:"exclusiveMinimum,omitempty"`
	Maximum              *float64           `json:"maximum,omitempty"`
	ExclusiveMaximum     *float64           `json:"exclusiveMaximum,omitempty"`
	MultipleOf           *float64           `json:"multipleOf,omitempty"`
	MinLength            *int               `json:"minLength,omitempty"`
	MaxLength            *int               `json:"maxLength,omitempty"`
	Pattern              string             `json:"pattern,omitempty"`
	MinItems             *int               `json:"minItems,omitempty"`
	MaxItems             *int               `json:"maxItems,omitempty"`
	UniqueItems          bool               `json:"uniqueItems,omitempty"`
	ReadOnly             bool               `json:"readOnly,omitempty"`
	WriteOnly            bool               `json:"writeOnly,omitempty"`
	Deprecated           bool               `json:"deprecated,omitempty"`
}

// MarshalJSON writes the schema, a reference by its component's name.
func (s *schema) MarshalJSON() ([]byte, error) {
	type plain schema
	p := plain(*s)
	if s.ref != nil {
		p.Ref = "#/components/schemas/" + s.ref.name
	}
	return json.Marshal(&p)
}

// component is a named schema of components/schemas.
type component struct {
	typ    reflect.Type // nil for the package's own schemas (Error ...)
	name   string
	schema *schema
}

// generator turns Go types into schemas, collecting the named ones as
// components.
type generator struct {
	comps     map[reflect.Type]*component
	fixed     []*component // the package's own, with reserved names
	jsonTypes []string     // the media types of JSON request bodies
}

func newGenerator() *generator {
	return &generator{comps: map[reflect.Type]*component{}}
}

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

// schemaOf returns the schema of a JSON value of type t, by encoding/json's rules.
func (g *generator) schemaOf(t reflect.Type) (*schema, error) {
	switch typemodel.KindOf(t) {
	case typemodel.Pointer:
		s, err := g.schemaOf(t.Elem())
		if err != nil {
			return nil, err
		}
		return nullable(s), nil
	case typemodel.Time:
		return &schema{Type: "string", Format: "date-time"}, nil
	case typemodel.Marshaler, typemodel.Interface:
		return &schema{}, nil
	case typemodel.Text:
		return &schema{Type: "string"}, nil
	case typemodel.Bool:
		return &schema{Type: "boolean"}, nil
	case typemodel.Int:
		s := &schema{Type: "integer", Format: intFormat(t)}
		if t.Bits() < 32 {
			// int8 and int16 are narrower than their format: state
			// their range, which the binder enforces.
			lo, hi := -math.Ldexp(1, t.Bits()-1), math.Ldexp(1, t.Bits()-1)-1
			s.Minimum, s.Maximum = &lo, &hi
		}
		return s, nil
	case typemodel.Uint:
		zero := 0.0
		s := &schema{Type: "integer", Minimum: &zero}
		if t.Bits() <= 32 {
			// uint8, uint16 and uint32 are narrower than their format.
			hi := math.Ldexp(1, t.Bits()) - 1
			s.Maximum = &hi
		}
		if t.Bits() < 32 {
			s.Format = "int32"
		} else if t.Bits() == 32 {
			s.Format = "int64"
		}
		return s, nil
	case typemodel.Float:
		if t.Bits() == 32 {
			return &schema{Type: "number", Format: "float"}, nil
		}
		return &schema{Type: "number", Format: "double"}, nil
	case typemodel.String:
		return &schema{Type: "string"}, nil
	case typemodel.Bytes:
		return &schema{Type: "string", ContentEncoding: "base64"}, nil
	case typemodel.Slice:
		items, err := g.schemaOf(t.Elem())
		if err != nil {
			return nil, err
		}
		s := &schema{Type: "array", Items: items}
		if t.Kind() == reflect.Array {
			n := t.Len()
			s.MinItems, s.MaxItems = &n, &n
		}
		return s, nil
	case typemodel.Map:
		v, err := g.schemaOf(t.Elem())
		if err != nil {
			return nil, err
		}
		return &schema{Type: "object", AdditionalProperties: v}, nil
	case typemodel.Struct:
		if t.Name() == "" {
			return g.object(t, false)
		}
		if c, ok := g.comps[t]; ok {
			return &schema{ref: c}, nil
		}
		c := &component{typ: t}
		g.comps[t] = c // before the fields: a type may refer to itself
		s, err := g.object(t, false)
		if err != nil {
			delete(g.comps, t)
			return nil, err
		}
		c.schema = s
		return &schema{ref: c}, nil
	}
	return nil, fmt.Errorf("type %s cannot be written as JSON", t)
}

func intFormat(t reflect.Type) string {
	if t.Bits() <= 32 {
		return "int32"
	}
	return "int64"
}

// object is the schema of struct t's JSON fields, or with body set, of its
// body fields alone (those the binder decodes from a JSON body).
func (g *generator) object(t reflect.Type, body bool) (*schema, error) {
	m, err := typemodel.Of(t)
	if err != nil {
		return nil, err
	}
	s := &schema{Type: "object", Properties: map[string]*schema{}}
	fields := m.JSONFields()
	if body {
		fields = m.BodyFields()
	}
	for _, f := range fields {
		if f.Hidden || (body && isFile(f.Type)) {
			continue
		}
		var ps *schema
		if f.Quoted {
			ps = &schema{Type: "string"}
			if f.Kind == typemodel.Pointer {
				ps = nullable(ps)
			}
		} else if ps, err = g.schemaOf(f.Type); err != nil {
			return nil, fmt.Errorf("field %s.%s: %w", t, f.Name, err)
		}
		if ps, err = g.annotate(t, f, ps); err != nil {
			return nil, err
		}
		s.Properties[f.JSONName] = ps
		if f.Required {
			s.Required = append(s.Required, f.JSONName)
		}
	}
	return s, nil
}

// annotate applies a field's documentation and constraint tags to its schema.
func (g *generator) annotate(t reflect.Type, f *typemodel.Field, s *schema) (*schema, error) {
	fail := func(tag string, err error) error {
		return fmt.Errorf("field %s.%s: tag %s: %w", t, f.Name, tag, err)
	}
	if f.Nullable {
		s = nullable(s)
	}
	target := s // the schema a type-specific tag applies to: the non-null branch
	if len(s.AnyOf) == 2 {
		target = s.AnyOf[0]
	}
	if target.ref != nil && (f.Format != "" || len(f.Enum) > 0) {
		return nil, fail("format or enum", fmt.Errorf("does not apply to the component %s", target.ref.typ))
	}
	s.Description = f.Doc
	s.ReadOnly, s.WriteOnly, s.Deprecated = f.ReadOnly, f.WriteOnly, f.Deprecated
	if f.Format != "" {
		target.Format = f.Format
	}
	elem, _ := typemodel.Deref(f.Type)
	if len(f.Enum) > 0 {
		et, on := elem, target
		if typemodel.KindOf(elem) == typemodel.Slice {
			et, _ = typemodel.Deref(elem.Elem())
			on = target.Items
			if len(on.AnyOf) == 2 {
				on = on.AnyOf[0]
			}
		}
		for _, e := range f.Enum {
			v, err := typemodel.Value(et, e)
			if err != nil {
				return nil, fail("enum", err)
			}
			on.Enum = append(on.Enum, v)
		}
	}
	if f.Default != "" {
		v, err := typemodel.Value(elem, f.Default)
		if err != nil {
			return nil, fail("default", err)
		}
		s.Default = v
	}
	if f.Example != "" {
		v, err := typemodel.Value(elem, f.Example)
		if err != nil {
			return nil, fail("example", err)
		}
		s.Examples = []any{v}
	}
	if err := constrain(f, s); err != nil {
		return nil, fmt.Errorf("%s: %w", t, err)
	}
	return s, nil
}

// nullable returns s accepting null as well.
func nullable(s *schema) *schema {
	switch typ := s.Type.(type) {
	case string:
		s.Type = []string{typ, "null"}
		return s
	case []string:
		return s
	}
	if len(s.AnyOf) == 2 && s.AnyOf[1].Type == "null" {
		return s
	}
	if s.ref == nil && s.AnyOf == nil {
		return s // no type: null is already allowed
	}
	return &schema{AnyOf: []*schema{s, {Type: "null"}}}
}

var (
	packagePath = regexp.MustCompile(`(?:[\w.~-]+/)*[\w.~-]*?\.`)
	word        = regexp.MustCompile(`[A-Za-z0-9]+`)
)

// readable turns a Go type's name into a component name: Page[User] is
// PageUser, Map[string,[]User] MapStringUserList.
func readable(name string) string {
	name = strings.ReplaceAll(name, "[]", " List ")
	name = packagePath.ReplaceAllString(name, "")
	var b strings.Builder
	words := word.FindAllString(name, -1)
	// "List" read before its element ("[]User") is written after it.
	for i := 0; i < len(words); i++ {
		if words[i] == "List" && i+1 < len(words) {
			words[i], words[i+1] = words[i+1], words[i]
			i++
		}
	}
	for _, w := range words {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// name gives every component a unique name: the readable name of its type,
// qualified by its package's name where two packages have types of one
// name, and numbered where that is not enough. The order of the types does
// not matter.
func (g *generator) name() {
	reserved := map[string]bool{}
	for _, c := range g.fixed {
		reserved[c.name] = true
	}
	byName := map[string][]*component{}
	for _, c := range g.comps {
		n := readable(c.typ.Name())
		byName[n] = append(byName[n], c)
	}
	var all []*component
	for n, cs := range byName {
		for _, c := range cs {
			c.name = n
			if len(cs) > 1 || reserved[n] {
				pkg := c.typ.PkgPath()
				pkg = pkg[strings.LastIndexByte(pkg, '/')+1:]
				c.name = readable(pkg) + n
			}
			all = append(all, c)
		}
	}
	slices.SortFunc(all, func(a, b *component) int {
		return strings.Compare(a.typ.PkgPath()+"."+a.typ.Name(), b.typ.PkgPath()+"."+b.typ.Name())
	})
	taken := map[string]bool{}
	for n := range reserved {
		taken[n] = true
	}
	for _, c := range all {
		base := c.name
		for i := 2; taken[c.name]; i++ {
			c.name = fmt.Sprintf("%s%d", base, i)
		}
		taken[c.name] = true
	}
}

// schemas returns the components/schemas map.
func (g *generator) schemas() map[string]*schema {
	out := map[string]*schema{}
	for _, c := range g.comps {
		out[c.name] = c.schema
	}
	for _, c := range g.fixed {
		out[c.name] = c.schema
	}
	return out
}

// paramSchema is the schema of a parameter's value: a pointer is an
// optional parameter, not a null one, and a TextUnmarshaler is a string.
func (g *generator) paramSchema(t reflect.Type) (*schema, error) {
	t, _ = typemodel.Deref(t)
	if reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return &schema{Type: "string"}, nil
	}
	if k := typemodel.KindOf(t); k == typemodel.Slice {
		items, err := g.paramSchema(t.Elem())
		if err != nil {
			return nil, err
		}
		return &schema{Type: "array", Items: items}, nil
	} else if k == typemodel.Bytes {
		return &schema{Type: "string"}, nil // the binder takes the bytes as they are
	}
	return g.schemaOf(t)
}

// constrain applies a field's constraint tags to its schema as the
// validator applies them: on a slice or an array, the number, string and
// enum constraints to its items and the item constraints to the list.
func constrain(f *typemodel.Field, s *schema) error {
	c, err := typemodel.ParseConstraints(f.StructField)
	if err != nil || c.IsZero() {
		return err
	}
	target := nonNull(s)
	if isType(target, "array") && target.Items != nil {
		target.MinItems = cmp.Or(c.MinItems, target.MinItems)
		target.MaxItems = cmp.Or(c.MaxItems, target.MaxItems)
		target.UniqueItems = c.UniqueItems
		target = nonNull(target.Items)
	}
	target.Minimum = cmp.Or(c.Minimum, target.Minimum)
	target.Maximum = cmp.Or(c.Maximum, target.Maximum)
	target.ExclusiveMinimum, target.ExclusiveMaximum, target.MultipleOf = c.ExclusiveMinimum, c.ExclusiveMaximum, c.MultipleOf
	target.MinLength, target.MaxLength, target.Pattern = c.MinLength, c.MaxLength, c.Pattern
	return nil
}

// nonNull returns the schema a nullable s stands for besides null.
func nonNull(s *schema) *schema {
	if len(s.AnyOf) == 2 {
		return s.AnyOf[0]
	}
	return s
}

// isType reports whether s has type typ, alone or with null.
func isType(s *schema, typ string) bool {
	switch t := s.Type.(type) {
	case string:
		return t == typ
	case []string:
		return len(t) > 0 && t[0] == typ
	}
	return false
}
