package kaito

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/kaito-go/kaito/internal/typemodel"
)

// Types for TestValidationAgreesWithTypeModel.

type amBase struct {
	ID      string `json:"id" minLength:"3"`
	Created *int   `json:"created"`
}

type amAudit struct {
	By   string `json:"by"`
	Note string `json:"note,omitempty" maxLength:"10"`
}

type amTrace struct {
	Span string `query:"span" required:"true" minLength:"2"`
	Hop  int    `header:"X-Hop" maximum:"9"`
}

type amNamed struct {
	Other string `json:"Label" minLength:"2"` // tagged: wins the name Label
}

type amPlain struct {
	Label string // untagged: loses the name Label to amNamed's
}

type amLeaf struct {
	Code string `json:"code" pattern:"^[A-Z]+$"`
	Opt  string `json:"opt,omitzero"`
}

type amNode struct {
	Leaf     amLeaf            `json:"leaf"`
	Leaves   []amLeaf          `json:"leaves,omitempty" maxItems:"4"`
	ByName   map[string]amLeaf `json:"byName,omitempty"`
	Maybe    *amLeaf           `json:"maybe"`
	Children []*amNode         `json:"children,omitempty"`
}

// amInput has a field of every source, embedded structs (by value and by
// pointer), promoted and shadowed fields, omitempty, omitzero, pointers,
// required tags, nested structs, and a json name encoding/json ignores.
type amInput struct {
	amBase
	*amAudit
	amTrace
	amNamed
	amPlain
	ID      int    `path:"id" minimum:"1"`
	Page    int    `query:"page" minimum:"1"`
	Token   string `header:"X-Token" required:"true"`
	Session string `cookie:"sid" required:"false" pattern:"^s"`
	Email   string `json:"email" pattern:"@"`
	//lint:ignore SA5008 a json name encoding/json refuses, on purpose
	Odd   string   `json:"o\\dd" maxLength:"3"` // an invalid name: encoding/json uses Odd
	Age   *int     `json:"age" required:"true" minimum:"0"`
	Nick  string   `json:"nick" required:"false" minLength:"2"`
	Score float64  `json:"score,omitempty" multipleOf:"0.5"`
	Tags  []string `json:"tags,omitzero" uniqueItems:"true"`
	Skip  string   `json:"-" minLength:"1"`
	Node  amNode   `json:"node"`
}

// TestValidationAgreesWithTypeModel: the fields validation requires are
// exactly those the type model (and so the OpenAPI document and the
// clients) marks required, and the constraints it checks are those the
// type model's fields carry, at every level of nesting.
func TestValidationAgreesWithTypeModel(t *testing.T) {
	for _, c := range []struct {
		typ reflect.Type
		// some locations the type model must list, so that the
		// comparison is not of two empty lists
		some []string
	}{
		{reflect.TypeFor[amInput](), []string{"path.id", "query.span", "header.X-Token", "cookie.sid",
			"body.id", "body.by", "body.note", "body.Label", "body.Odd", "body.age", "body.node.leaf.code",
			"body.node.byName.code"}},
		{reflect.TypeFor[amNode](), []string{"body.leaf", "body.leaves.code", "body.children.leaf"}},
		{reflect.TypeFor[vOrderInternal](), []string{"path.id", "header.X-Token", "body.email", "body.tags"}},
		{reflect.TypeFor[selfEmbeddingInternal](), []string{"body.name"}},
	} {
		typ := c.typ
		t.Run(typ.Name(), func(t *testing.T) {
			want := map[string]string{}
			modelRules(t, typ, "", true, want, map[reflect.Type]bool{})
			for _, loc := range c.some {
				if want[loc] == "" {
					t.Errorf("the type model lists nothing at %s", loc)
				}
			}
			got := map[string]string{}
			if v := validationFor(typ); v != nil {
				for i := range v.fields {
					validationRules(&v.fields[i], v.fields[i].source+".", got, map[*checkStruct]bool{})
				}
				if v.body != nil {
					for i := range v.body.fields {
						validationRules(&v.body.fields[i], "body.", got, map[*checkStruct]bool{})
					}
				}
			}
			for _, loc := range sortedKeys(want, got) {
				if want[loc] != got[loc] {
					t.Errorf("%s: the type model says %q, validation %q", loc, want[loc], got[loc])
				}
			}
		})
	}
}

// vOrderInternal and selfEmbeddingInternal are validate_test.go's types,
// which live in package kaito_test.
type vOrderInternal struct {
	ID    int      `path:"id" minimum:"1"`
	Page  int      `query:"page" minimum:"1" maximum:"100"`
	Token string   `header:"X-Token" required:"true" minLength:"4"`
	Email string   `json:"email" pattern:"@"`
	Age   *int     `json:"age" minimum:"0" exclusiveMaximum:"150"`
	Tags  []string `json:"tags,omitempty" minItems:"1" uniqueItems:"true" enum:"a,b,c"`
}

type selfEmbeddingInternal struct {
	//lint:ignore U1000 embedded for the walk of promoted fields, which must end
	*selfEmbeddingInternal
	Name string `json:"name" minLength:"2"`
}

// describe writes what is checked of a field: whether it is required and
// its constraints; "" when nothing is.
func describeCheck(required bool, c typemodel.Constraints) string {
	if !required && c.IsZero() {
		return ""
	}
	return fmt.Sprintf("required=%v %s", required, constraintText(c))
}

func constraintText(c typemodel.Constraints) string {
	s := ""
	add := func(name string, f *float64) {
		if f != nil {
			s += fmt.Sprintf("%s=%v ", name, *f)
		}
	}
	addI := func(name string, n *int) {
		if n != nil {
			s += fmt.Sprintf("%s=%d ", name, *n)
		}
	}
	add("minimum", c.Minimum)
	add("exclusiveMinimum", c.ExclusiveMinimum)
	add("maximum", c.Maximum)
	add("exclusiveMaximum", c.ExclusiveMaximum)
	add("multipleOf", c.MultipleOf)
	addI("minLength", c.MinLength)
	addI("maxLength", c.MaxLength)
	addI("minItems", c.MinItems)
	addI("maxItems", c.MaxItems)
	return s + fmt.Sprintf("pattern=%q uniqueItems=%v enum=%q", c.Pattern, c.UniqueItems, c.Enum)
}

// modelRules lists, by location, what the type model says of the fields
// of typ and of the structs its body fields hold.
func modelRules(t *testing.T, typ reflect.Type, prefix string, top bool, out map[string]string, seen map[reflect.Type]bool) {
	t.Helper()
	if !top {
		if seen[typ] {
			return
		}
		seen[typ] = true // on the way down: a recursive type stops
		defer delete(seen, typ)
	}
	m, err := typemodel.Of(typ)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Fields {
		if !top && f.Source != typemodel.Body {
			continue
		}
		c, err := typemodel.ParseConstraints(f.StructField)
		if err != nil {
			t.Fatal(err)
		}
		loc := prefix + f.SourceName
		if top {
			loc = f.Source.String() + "." + f.SourceName
		}
		if d := describeCheck(f.Required, c); d != "" {
			out[loc] = d
		}
		if f.Source != typemodel.Body {
			continue
		}
		et, _ := typemodel.Deref(f.Type)
		switch et.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			et, _ = typemodel.Deref(et.Elem())
		}
		if et.Kind() == reflect.Struct && typemodel.KindOf(et) == typemodel.Struct {
			modelRules(t, et, loc+".", false, out, seen)
		}
	}
}

// validationRules lists, by location, what validation checks of field f
// and of the structs it holds. A path field is always required: matching
// the route guarantees it, so validation does not check it.
func validationRules(f *checkField, prefix string, out map[string]string, seen map[*checkStruct]bool) {
	loc := prefix + f.name
	required := f.required || f.source == "path"
	if d := describeCheck(required, f.rules.Constraints()); d != "" {
		if prev, dup := out[loc]; dup && prev != d {
			out[loc] = prev + " | " + d // two checks of one field that disagree
		} else {
			out[loc] = d
		}
	}
	if f.nested == nil || seen[f.nested] {
		return
	}
	seen[f.nested] = true // on the way down: a recursive type stops
	defer delete(seen, f.nested)
	for i := range f.nested.fields {
		validationRules(&f.nested.fields[i], loc+".", out, seen)
	}
}

func sortedKeys(maps ...map[string]string) []string {
	var keys []string
	for _, m := range maps {
		for k := range m {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}
