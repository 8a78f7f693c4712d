package kaito_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/internal/typemodel"
	"github.com/kaito-go/kaito/openapi"
)

// Inputs whose fields the binder, the type model and the OpenAPI document
// must read alike: embedded structs, names hidden at different depths,
// names encoding/json drops, json:"-", renames and form tags.

type modelFlat struct {
	ID      string `path:"id"`
	Q       string `query:"q"`
	H       string `header:"X-H"`
	C       string `cookie:"c"`
	Name    string `json:"name"`
	Renamed string `json:"renamed" form:"re"`
	Skipped string `json:"-" form:"skipped"`
	NoForm  string `json:"noform" form:"-" required:"false"`
	Plain   string
	//lint:ignore SA5008 encoding/json uses the Go name for an invalid json name
	Odd string `json:"a\\b"`
}

type modelAuth struct {
	User  string `header:"X-User"`
	Token string `json:"token"`
}

type modelPaging struct {
	Page string `query:"page"`
	Size string `json:"size" form:"per_page"`
}

// ModelExtra is embedded by pointer.
type ModelExtra struct {
	Extra string `json:"extra"`
}

type modelEmbedded struct {
	ID string `path:"id"`
	modelAuth
	modelPaging
	*ModelExtra
}

type modelHidden struct {
	Page string `json:"page"`
}

type modelDeepName struct {
	modelHidden
	Name string `json:"name"`
}

type modelShadowed struct {
	ID   string `path:"id"`
	Page string `query:"page" json:"page"` // hides modelHidden.Page from JSON
	modelHidden
	Name string `json:"name"` // hides modelDeepName.Name
	modelDeepName
}

type modelNoteA struct {
	Note string
}

type modelNoteB struct {
	Note string
}

// ModelTwiceA and ModelTwiceB both have a field X at one depth; B's json
// tag names it, so B's is the one.
type ModelTwiceA struct{ X string }

// ModelTwiceB names its X with a json tag.
type ModelTwiceB struct {
	X string `json:"X"`
}

type modelDuplicated struct {
	ID string `path:"id"`
	modelNoteA
	modelNoteB // encoding/json drops both notes
	ModelTwiceA
	ModelTwiceB
}

type modelWrap struct {
	modelAuth
}

type modelRevisited struct {
	ID string `path:"id"`
	modelAuth
	modelWrap // its modelAuth is read once, at the shallower depth
}

type modelCase struct {
	name     string
	typ      reflect.Type
	register func(r *kaito.Router[*kaito.Request], pattern string)
}

// bindModelCase registers a POST that answers with the fields its In was
// bound with (dumpFields).
func bindModelCase[In any](name string) modelCase {
	return modelCase{name: name, typ: reflect.TypeFor[In](), register: func(r *kaito.Router[*kaito.Request], pattern string) {
		kaito.Post(r, pattern, func(_ *kaito.Request, in In) (map[string]string, error) {
			out := map[string]string{}
			dumpFields(reflect.ValueOf(in), "", out)
			return out, nil
		})
	}}
}

// dumpFields records the non-empty string fields of struct v, and of the
// structs it embeds (by value or by a non-nil pointer), by their Go paths.
func dumpFields(v reflect.Value, prefix string, out map[string]string) {
	for i := 0; i < v.NumField(); i++ {
		f, fv := v.Type().Field(i), v.Field(i)
		if fv.Kind() == reflect.Pointer && f.Anonymous {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		switch {
		case fv.Kind() == reflect.String && fv.String() != "":
			out[prefix+f.Name] = fv.String()
		case fv.Kind() == reflect.Struct && f.Anonymous:
			dumpFields(fv, prefix+f.Name+".", out)
		}
	}
}

// candidateKeys lists every name a request could use for a field of t or
// of the structs it embeds: Go names and the names of every tag.
func candidateKeys(t reflect.Type, out map[string]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		out[f.Name] = true
		for _, tag := range []string{"json", "form", "path", "query", "header", "cookie"} {
			if name, _, _ := strings.Cut(f.Tag.Get(tag), ","); name != "" && name != "-" {
				out[name] = true
			}
		}
		if f.Anonymous {
			candidateKeys(f.Type, out)
		}
	}
}

var tokenName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// The binder fills exactly the fields the type model says, from the
// sources and names it says, and the OpenAPI document lists exactly the
// parameters and body properties that filled something: a request sends
// every name a field could be known by (each with a value that says where
// it came from), on both adapters, as JSON (decoded by either codec) and as
// a urlencoded form.
func TestBinderReadsTheTypeModel(t *testing.T) {
	for _, codec := range []kaito.Codec{kaito.GoJSON, kaito.StdJSON} {
		t.Run(fmt.Sprintf("%T", codec), func(t *testing.T) { testBinderReadsTheTypeModel(t, codec) })
	}
}

func testBinderReadsTheTypeModel(t *testing.T, codec kaito.Codec) {
	cases := []modelCase{
		bindModelCase[modelFlat]("flat"),
		bindModelCase[modelEmbedded]("embedded"),
		bindModelCase[modelShadowed]("shadowed"),
		bindModelCase[modelDuplicated]("duplicated"),
		bindModelCase[modelRevisited]("revisited"),
	}
	r, _ := reqApp(t, kaito.WithCodec(codec))
	for _, c := range cases {
		c.register(r, "/"+c.name+"/:id")
	}
	doc, err := openapi.Build(r.Routes(), openapi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name string `json:"name"`
				In   string `json:"in"`
			} `json:"parameters"`
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Properties map[string]json.RawMessage `json:"properties"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(doc, &spec); err != nil {
		t.Fatal(err)
	}
	s := serve(r)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := typemodel.Input(c.typ)
			if err != nil {
				t.Fatal(err)
			}
			all := map[string]bool{}
			candidateKeys(c.typ, all)
			keys := slices.Sorted(maps.Keys(all))

			// What the model says the binder fills, and with what.
			tagged := map[string]string{}
			for _, f := range m.Tagged() {
				name := f.SourceName
				if f.Source == typemodel.Header {
					name = strings.ToLower(name)
				}
				tagged[f.Path] = f.Source.String() + "-" + name
			}
			wantJSON, wantForm := maps.Clone(tagged), maps.Clone(tagged)
			var bodyNames, formNames []string
			for _, f := range m.BodyFields() {
				wantJSON[f.Path] = "body-" + f.SourceName
				bodyNames = append(bodyNames, f.SourceName)
				if f.FormName != "" {
					wantForm[f.Path] = "form-" + f.FormName
					formNames = append(formNames, f.FormName)
				}
			}

			// A request with every name in every source. A body key that
			// differs only in case from a field's name is left out: which
			// of the two a decoder takes is the order of the keys.
			query := url.Values{}
			var headers [][2]string
			var cookies []string
			sentHeader := map[string]bool{}
			for _, k := range keys {
				query.Set(k, "query-"+k)
				if tokenName.MatchString(k) {
					if lk := strings.ToLower(k); !sentHeader[lk] {
						sentHeader[lk] = true
						headers = append(headers, [2]string{k, "header-" + lk})
					}
					cookies = append(cookies, k+"=cookie-"+k)
				}
			}
			headers = append(headers, [2]string{"Cookie", strings.Join(cookies, "; ")})
			clash := func(k string, names []string) bool {
				return slices.ContainsFunc(names, func(n string) bool { return n != k && strings.EqualFold(n, k) })
			}
			jsonBody, form := map[string]string{}, url.Values{}
			for _, k := range keys {
				if !clash(k, bodyNames) {
					jsonBody[k] = "body-" + k
				}
				if !clash(k, formNames) {
					form.Set(k, "form-"+k)
				}
			}
			body, err := json.Marshal(jsonBody)
			if err != nil {
				t.Fatal(err)
			}
			target := "/" + c.name + "/path-id?" + query.Encode()
			jsonCall := call{method: "POST", target: target, body: string(body),
				headers: append([][2]string{{"Content-Type", "application/json"}}, headers...)}
			formCall := call{method: "POST", target: target, body: form.Encode(),
				headers: append([][2]string{{"Content-Type", "application/x-www-form-urlencoded"}}, headers...)}

			op := spec.Paths["/"+c.name+"/{id}"]["post"]
			var params []string
			for _, p := range op.Parameters {
				name := p.Name
				if p.In == "header" {
					name = strings.ToLower(name)
				}
				params = append(params, p.In+"-"+name)
			}
			slices.Sort(params)
			props := func(ct, prefix string) []string {
				var out []string
				for name := range op.RequestBody.Content[ct].Schema.Properties {
					out = append(out, prefix+name)
				}
				slices.Sort(out)
				return out
			}

			for _, tc := range []struct {
				name      string
				call      call
				want      map[string]string
				bodyProps []string // the document's names for the body
			}{
				{"json", jsonCall, wantJSON, props("application/json", "body-")},
				{"form", formCall, wantForm, props("application/x-www-form-urlencoded", "form-")},
			} {
				t.Run(tc.name, func(t *testing.T) {
					onEvery(t, s, tc.call, func(t *testing.T, res result) {
						var got map[string]string
						if res.status != 200 || json.Unmarshal([]byte(res.body), &got) != nil {
							t.Fatalf("%d %s", res.status, res.body)
						}
						if !maps.Equal(got, tc.want) {
							t.Errorf("bound fields:\n got %v\nwant %v (the type model's)", got, tc.want)
						}
						// The names that filled something are the document's.
						var gotParams, gotBody []string
						for _, v := range got {
							if strings.HasPrefix(v, "body-") || strings.HasPrefix(v, "form-") {
								gotBody = append(gotBody, v)
							} else {
								gotParams = append(gotParams, v)
							}
						}
						slices.Sort(gotParams)
						slices.Sort(gotBody)
						if !slices.Equal(gotParams, params) {
							t.Errorf("parameters that filled a field: %v; the document lists %v", gotParams, params)
						}
						if !slices.Equal(gotBody, tc.bodyProps) {
							t.Errorf("body names that filled a field: %v; the document lists %v", gotBody, tc.bodyProps)
						}
					})
				})
			}
		})
	}
}
