package tsclient

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/internal/typemodel"
)

// placeholder marks a named type's reference in the text until every name
// is known: \x00id\x00.
const placeholder = 0

// named is a named Go struct type, written as an exported interface.
type named struct {
	id   int
	t    reflect.Type
	body string
	doc  string
}

// generator turns Go types into TypeScript types with the shared type model.
type generator struct {
	byType map[reflect.Type]*named
	list   []*named
}

func ref(n *named) string {
	return string(rune(placeholder)) + strconv.Itoa(n.id) + string(rune(placeholder))
}

// reserved are the names the module declares, and the global names its
// code or its types use: a Go type of one of these names is numbered.
var reserved = map[string]bool{}

func init() {
	for name := range strings.FieldsSeq(`Routes Client KaitoHTTPError Kind Args Call Scalar CallArgs
		Array AsyncGenerator AsyncIterable Blob Boolean Date Error Function Headers Iterable JSON Map
		Number Object Partial Promise Readonly ReadableStream Record Request RequestInit Response Set
		String Symbol TextDecoder TypeError URL URLSearchParams Uint8Array`) {
		reserved[name] = true
	}
}

// assignNames names the struct types: their Go names made identifiers, a
// type of another package with the same name numbered after it (in the
// order of package paths), never a name of the module's own.
func (g *generator) assignNames() map[int]string {
	order := slices.Clone(g.list)
	key := func(n *named) string { return n.t.PkgPath() + "." + n.t.Name() }
	slices.SortFunc(order, func(a, b *named) int {
		return cmp.Or(cmp.Compare(identifier(a.t), identifier(b.t)), cmp.Compare(key(a), key(b)))
	})
	names := map[int]string{}
	taken := map[string]bool{}
	for _, n := range order {
		base := identifier(n.t)
		name := base
		for i := 2; taken[name] || reserved[name]; i++ {
			name = base + strconv.Itoa(i)
		}
		taken[name] = true
		names[n.id] = name
	}
	return names
}

// identifier makes a TypeScript identifier of a Go type's name: a generic
// instance Page[example.com/api.User] becomes PageUser.
func identifier(t reflect.Type) string {
	var b strings.Builder
	name := t.Name()
	for part := range strings.FieldsFuncSeq(name, func(r rune) bool { return r == '[' || r == ']' || r == ',' || r == ' ' || r == '*' }) {
		if i := strings.LastIndexAny(part, "./"); i >= 0 {
			part = part[i+1:]
		}
		for i, r := range part {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
				if i == 0 && b.Len() > 0 {
					r = unicode.ToUpper(r)
				}
				b.WriteRune(r)
			}
		}
	}
	s := b.String()
	if s == "" || unicode.IsDigit(rune(s[0])) {
		s = "T" + s
	}
	return s
}

// typeOf returns the TypeScript type of a JSON value of type t.
func (g *generator) typeOf(t reflect.Type) (string, error) {
	switch typemodel.KindOf(t) {
	case typemodel.Pointer:
		s, err := g.typeOf(t.Elem())
		return nullable(s), err
	case typemodel.Time, typemodel.Text, typemodel.String, typemodel.Bytes:
		return "string", nil
	case typemodel.Marshaler, typemodel.Interface:
		return "unknown", nil
	case typemodel.Bool:
		return "boolean", nil
	case typemodel.Int, typemodel.Uint, typemodel.Float:
		return "number", nil
	case typemodel.Slice:
		s, err := g.typeOf(t.Elem())
		return arrayOf(s), err
	case typemodel.Map:
		s, err := g.typeOf(t.Elem())
		return "Record<string, " + s + ">", err
	case typemodel.Struct:
		if t.Name() == "" {
			return g.object(t, false, false)
		}
		if n, ok := g.byType[t]; ok {
			return ref(n), nil
		}
		n := &named{id: len(g.list), t: t}
		g.byType[t] = n // before the fields: a type may refer to itself
		g.list = append(g.list, n)
		body, err := g.object(t, false, true)
		if err != nil {
			return "", err
		}
		n.body = body
		return ref(n), nil
	}
	return "", fmt.Errorf("%s cannot be written as JSON", t)
}

func nullable(s string) string {
	if strings.HasSuffix(s, " | null") {
		return s
	}
	return s + " | null"
}

func arrayOf(s string) string {
	if strings.Contains(s, " | ") {
		return "(" + s + ")[]"
	}
	return s + "[]"
}

// object is the TypeScript object type of struct t's JSON fields, or with
// body set, of its body fields alone: over several lines, with the fields'
// documentation, for a named interface; on one line otherwise.
func (g *generator) object(t reflect.Type, body, multiline bool) (string, error) {
	m, err := typemodel.Of(t)
	if err != nil {
		return "", err
	}
	fields := m.JSONFields()
	if body {
		fields = m.BodyFields()
	}
	var props []string
	for _, f := range fields {
		if f.Hidden || (body && isFile(f.Type)) {
			continue
		}
		ft, err := g.fieldType(f)
		if err != nil {
			return "", fmt.Errorf("field %s.%s: %w", t, f.Name, err)
		}
		p := ""
		if multiline && (f.Doc != "" || f.Deprecated) {
			d := f.Doc
			if f.Deprecated {
				d = strings.TrimSpace(d + " @deprecated")
			}
			p = "/** " + strings.ReplaceAll(oneLine(d), "*/", "*\\/") + " */\n  "
		}
		p += propName(f.JSONName)
		if !f.Required {
			p += "?"
		}
		props = append(props, p+": "+ft+";")
	}
	switch {
	case len(props) == 0:
		return "Record<string, never>", nil
	case multiline:
		return "{\n  " + strings.Join(props, "\n  ") + "\n}", nil
	}
	return "{ " + strings.TrimSuffix(strings.Join(props, " "), ";") + " }", nil
}

// fieldType is the type of a field's JSON value, its tags applied.
func (g *generator) fieldType(f *typemodel.Field) (string, error) {
	var (
		s   string
		err error
	)
	switch {
	case f.Quoted:
		s = "string"
		if f.Kind == typemodel.Pointer {
			s = nullable(s)
		}
	case len(f.Enum) > 0:
		s, err = enumType(f.Type, f.Enum, g.typeOf)
	default:
		s, err = g.typeOf(f.Type)
	}
	if err != nil {
		return "", err
	}
	if f.Nullable {
		s = nullable(s)
	}
	return s, nil
}

// enumType is a union of the enum tag's values, of the type's elements for
// a slice; a pointer's stays | null.
func enumType(t reflect.Type, enum []string, other func(reflect.Type) (string, error)) (string, error) {
	elem, ptr := typemodel.Deref(t)
	slice := typemodel.KindOf(elem) == typemodel.Slice
	et := elem
	if slice {
		et, _ = typemodel.Deref(elem.Elem())
	}
	var lits []string
	for _, e := range enum {
		v, err := typemodel.Value(et, e)
		if err != nil {
			return "", fmt.Errorf("tag enum: %w", err)
		}
		switch v := v.(type) {
		case string:
			lits = append(lits, strconv.Quote(v))
		case bool:
			lits = append(lits, strconv.FormatBool(v))
		case int64:
			lits = append(lits, strconv.FormatInt(v, 10))
		case uint64:
			lits = append(lits, strconv.FormatUint(v, 10))
		case float64:
			lits = append(lits, strconv.FormatFloat(v, 'g', -1, 64))
		default:
			// An enum of objects or arrays: the type itself.
			return other(t)
		}
	}
	s := strings.Join(lits, " | ")
	if slice {
		s = arrayOf(s)
	}
	if ptr {
		s = nullable(s)
	}
	return s, nil
}

var multipartType = reflect.TypeFor[*kaito.MultipartFile]()

func isFile(t reflect.Type) bool {
	return t == multipartType || (t.Kind() == reflect.Slice && t.Elem() == multipartType)
}

// propName writes a property name, quoted unless it is an identifier.
func propName(s string) string {
	if isIdentifier(s) {
		return s
	}
	return strconv.Quote(s)
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r == '$' || (r < 128 && unicode.IsLetter(r)) || (i > 0 && r < 128 && unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// paramType is the TypeScript type of a path, query or header field.
func paramType(f *typemodel.Field) (string, error) {
	t, _ := typemodel.Deref(f.Type)
	slice := false
	if typemodel.KindOf(t) == typemodel.Slice {
		t, _ = typemodel.Deref(t.Elem())
		slice = true
	}
	var s string
	if len(f.Enum) > 0 {
		var err error
		if s, err = enumType(t, f.Enum, func(reflect.Type) (string, error) { return "string", nil }); err != nil {
			return "", err
		}
	} else {
		switch typemodel.KindOf(t) {
		case typemodel.Bool:
			s = "boolean"
		case typemodel.Int, typemodel.Uint, typemodel.Float:
			s = "number"
		default:
			s = "string"
		}
	}
	if slice {
		s = arrayOf(s)
	}
	return s, nil
}

// patternParams returns the parameter names of an httprouter pattern.
func patternParams(pattern string) []string {
	var out []string
	for seg := range strings.SplitSeq(pattern, "/") {
		if len(seg) > 1 && (seg[0] == ':' || seg[0] == '*') {
			out = append(out, seg[1:])
		}
	}
	return out
}

// args is the type of a route's second argument.
func (g *generator) args(rt *kaito.Route) (string, error) {
	in := rt.Input()
	var m *typemodel.Model
	if in.Kind() == reflect.Struct {
		var err error
		if m, err = typemodel.Of(in); err != nil {
			return "", err
		}
	}
	var sections []string
	// params: every parameter of the pattern, typed from its field.
	if names := patternParams(rt.Pattern()); len(names) > 0 {
		var props []string
		for _, name := range names {
			typ := "string"
			if m != nil {
				for _, f := range m.Tagged() {
					if f.Source == typemodel.Path && f.SourceName == name {
						var err error
						if typ, err = paramType(f); err != nil {
							return "", fmt.Errorf("field %s: %w", f.Name, err)
						}
					}
				}
			}
			props = append(props, propName(name)+": "+typ)
		}
		sections = append(sections, "params: { "+strings.Join(props, "; ")+" }")
	}
	if m == nil {
		s, err := g.typeOf(in)
		if err != nil {
			return "", err
		}
		sections = append(sections, "body: "+s)
		return "{ " + strings.Join(sections, "; ") + " }", nil
	}
	for _, src := range []typemodel.Source{typemodel.Query, typemodel.Header} {
		var props []string
		required := false
		for _, f := range m.Tagged() {
			if f.Source != src || f.Hidden {
				continue
			}
			typ, err := paramType(f)
			if err != nil {
				return "", fmt.Errorf("field %s: %w", f.Name, err)
			}
			opt := "?"
			if f.Required {
				opt, required = "", true
			}
			props = append(props, propName(f.SourceName)+opt+": "+typ)
		}
		if len(props) > 0 {
			name := map[typemodel.Source]string{typemodel.Query: "query", typemodel.Header: "headers"}[src]
			if !required {
				name += "?"
			}
			sections = append(sections, name+": { "+strings.Join(props, "; ")+" }")
		}
	}
	var body []*typemodel.Field
	for _, f := range m.BodyFields() {
		if !f.Hidden && !isFile(f.Type) {
			body = append(body, f)
		}
	}
	if len(body) > 0 {
		var s string
		var err error
		if len(m.Tagged()) == 0 && in.Name() != "" {
			s, err = g.typeOf(in)
		} else {
			s, err = g.object(in, true, false)
		}
		if err != nil {
			return "", err
		}
		name := "body?"
		for _, f := range body {
			if f.Required {
				name = "body"
			}
		}
		sections = append(sections, name+": "+s)
	}
	if len(sections) == 0 {
		return "Record<string, never>", nil
	}
	return "{ " + strings.Join(sections, "; ") + " }", nil
}

var (
	noContentType = reflect.TypeFor[kaito.NoContent]()
	textType      = reflect.TypeFor[kaito.Text]()
	blobType      = reflect.TypeFor[kaito.Blob]()
	fileType      = reflect.TypeFor[kaito.File]()
	streamType    = reflect.TypeFor[kaito.Stream]()
	sseType       = reflect.TypeFor[kaito.SSE]()
	responderType = reflect.TypeFor[kaito.Responder]()
	kaitoPkg      = noContentType.PkgPath()
)

// event is the type of one event of a stream whose data is of type data.
func event(data string) string {
	return "AsyncIterable<{ id?: string; event?: string; data: " + data + "; retry?: number }>"
}

// result is the type a route's call resolves to, and how the runtime reads
// the answer.
func (g *generator) result(out reflect.Type) (typ, kind string, err error) {
	switch {
	case out == noContentType:
		return "void", "void", nil
	case out == textType:
		return "string", "text", nil
	case out == blobType || out == fileType || out == streamType:
		return "Blob", "blob", nil
	case out == sseType:
		return event("string"), "sse", nil
	case isEventStream(out):
		data, err := g.typeOf(eventData(out))
		return event(data), "events", err
	case out.Implements(responderType) || reflect.PointerTo(out).Implements(responderType):
		return "Response", "response", nil
	}
	typ, err = g.typeOf(out)
	return typ, "json", err
}

// isEventStream reports whether t is kaito.EventStream[T]. reflect cannot
// name a generic type without its argument: it is known by its name, and
// its method that returns T's type is the Source field's.
func isEventStream(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.PkgPath() == kaitoPkg && strings.HasPrefix(t.Name(), "EventStream[")
}

// eventData returns the T of an EventStream[T].
func eventData(t reflect.Type) reflect.Type {
	src, _ := t.FieldByName("Source")
	data, _ := src.Type.In(0).In(0).FieldByName("Data")
	return data.Type
}
