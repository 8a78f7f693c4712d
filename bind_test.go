package kaito_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
)

type upload struct {
	Name    string                 `json:"name" form:"name" required:"false"`
	Avatar  *kaito.MultipartFile   `json:"avatar" form:"avatar" required:"false"`
	Docs    []*kaito.MultipartFile `json:"docs" form:"docs" required:"false"`
	Profile struct {
		Photo *kaito.MultipartFile `json:"photo" required:"false"`
	} `json:"profile" required:"false"`
}

func (u upload) String() string {
	s := u.Name
	if u.Docs != nil {
		s += fmt.Sprintf(" docs=%d", len(u.Docs))
	}
	for _, f := range append([]*kaito.MultipartFile{u.Avatar, u.Profile.Photo}, u.Docs...) {
		if f != nil {
			s += fmt.Sprintf(" file %s/%s/%d", f.FieldName, f.FileName, f.Size)
		}
	}
	return s
}

// An upload field is filled only from a part of a multipart body: a JSON
// body that describes a file (its name with directories, a made-up size)
// is refused, wherever the file sits in the input, with either codec, and
// a urlencoded body cannot fill it either.
func TestUploadsOnlyFromMultipart(t *testing.T) {
	const refused = `{"message":"invalid JSON body: a file is uploaded as a multipart/form-data part, not sent in JSON"}`
	ctJSON := [2]string{"Content-Type", "application/json"}
	form := [2]string{"Content-Type", "application/x-www-form-urlencoded"}
	mpFile, mpFileType := multipartBody(t, [][2]string{{"name", "ann"}}, [][3]string{{"avatar", "../../me.png", "PNG"}})
	mpText, mpTextType := multipartBody(t, [][2]string{{"name", "ann"}, {"avatar", "../../../etc/cron.d/evil"}}, nil)
	for _, codec := range []kaito.Codec{kaito.GoJSON, kaito.StdJSON} {
		t.Run(fmt.Sprintf("%T", codec), func(t *testing.T) {
			r, _ := reqApp(t, kaito.WithCodec(codec))
			kaito.Post(r, "/up", func(_ *kaito.Request, in upload) (string, error) { return in.String(), nil })
			kaito.Post(r, "/many", func(_ *kaito.Request, in []kaito.MultipartFile) (int, error) { return len(in), nil })
			table{
				{"forged file", call{method: "POST", target: "/up", headers: [][2]string{ctJSON},
					body: `{"name":"ann","avatar":{"FileName":"../../../etc/cron.d/evil","Size":123456}}`}, expect{400, nil, refused}},
				{"forged file in a list", call{method: "POST", target: "/up", headers: [][2]string{ctJSON}, body: `{"docs":[{"FileName":"x"}]}`}, expect{400, nil, refused}},
				{"forged nested file", call{method: "POST", target: "/up", headers: [][2]string{ctJSON}, body: `{"profile":{"photo":{"Size":1}}}`}, expect{400, nil, refused}},
				{"forged file as a string", call{method: "POST", target: "/up", headers: [][2]string{ctJSON}, body: `{"avatar":"evil"}`}, expect{400, nil, refused}},
				{"forged whole body", call{method: "POST", target: "/many", headers: [][2]string{ctJSON}, body: `[{"FileName":"x","Size":1}]`}, expect{400, nil, refused}},
				{"a list of nulls is no file", call{method: "POST", target: "/up", headers: [][2]string{ctJSON}, body: `{"name":"ann","docs":[null,null]}`}, expect{200, nil, `"ann"`}},
				{"null is no file", call{method: "POST", target: "/up", headers: [][2]string{ctJSON}, body: `{"name":"ann","avatar":null,"docs":null}`}, expect{200, nil, `"ann"`}},
				{"urlencoded", call{method: "POST", target: "/up", headers: [][2]string{form},
					body: `name=ann&avatar=../../evil&avatar[FileName]=evil&docs[0][Size]=1`}, expect{200, nil, `"ann"`}},
				{"multipart text field", call{method: "POST", target: "/up", headers: [][2]string{{"Content-Type", mpTextType}}, body: mpText}, expect{200, nil, `"ann"`}},
				{"multipart file", call{method: "POST", target: "/up", headers: [][2]string{{"Content-Type", mpFileType}}, body: mpFile}, expect{200, nil, `"ann file avatar/me.png/3"`}},
			}.run(t, serve(r))
		})
	}
}

// AuthHeaders is a struct of tagged fields that inputs embed.
type AuthHeaders struct {
	UserID string `header:"X-User-Id"`
	Admin  bool   `header:"X-Admin"`
}

type paging struct {
	Page int `query:"page"`
}

// common mixes a tagged field and a body field.
type common struct {
	Token string `header:"X-Token"`
	Note  string `json:"note" form:"note" required:"false"`
}

type nestedAuth struct {
	AuthHeaders
}

// WithMethod has a method: reflect.StructOf cannot embed it after another
// field, so an input that embeds it there has no shadow.
type WithMethod struct {
	Extra string `json:"extra" required:"false"`
}

// Describe is a method.
func (WithMethod) Describe() string { return "a method" }

type extras struct {
	Extra string `json:"extra" required:"false"`
}

type embeddedIn struct {
	AuthHeaders
	paging
	common
	Name string `json:"name" form:"name" required:"false"`
}

type deepIn struct {
	nestedAuth
	extras
	Name string `json:"name" required:"false"`
}

type methodIn struct {
	AuthHeaders
	WithMethod
	Name string `json:"name" required:"false"`
}

// methodPtrIn embeds by pointer, and renames, structs with methods.
type methodPtrIn struct {
	AuthHeaders
	*WithMethod
	Renamed WithMethod `json:"renamed" required:"false"`
	Name    string     `json:"name" required:"false"`
}

// Tagged fields of an embedded struct are read from their tags, on every
// path (JSON, urlencoded, no body, the fast plan), and never from the body.
func TestEmbeddedTaggedFields(t *testing.T) {
	for _, codec := range []kaito.Codec{kaito.GoJSON, kaito.StdJSON} {
		t.Run(fmt.Sprintf("%T", codec), func(t *testing.T) { testEmbeddedTaggedFields(t, codec) })
	}
}

func testEmbeddedTaggedFields(t *testing.T, codec kaito.Codec) {
	r, _ := reqApp(t, kaito.WithCodec(codec))
	kaito.Post(r, "/e", func(_ *kaito.Request, in embeddedIn) (string, error) {
		return fmt.Sprintf("user=%s admin=%v page=%d token=%s note=%s name=%s", in.UserID, in.Admin, in.Page, in.Token, in.Note, in.Name), nil
	})
	kaito.Post(r, "/deep", func(_ *kaito.Request, in deepIn) (string, error) {
		return fmt.Sprintf("user=%s extra=%s name=%s", in.UserID, in.Extra, in.Name), nil
	})
	kaito.Post(r, "/method", func(_ *kaito.Request, in methodIn) (string, error) {
		return fmt.Sprintf("user=%s extra=%s name=%s", in.UserID, in.Extra, in.Name), nil
	})
	kaito.Post(r, "/method-ptr", func(_ *kaito.Request, in methodPtrIn) (string, error) {
		extra := "<nil>"
		if in.WithMethod != nil {
			extra = in.Extra
		}
		return fmt.Sprintf("user=%s admin=%v extra=%s renamed=%s name=%s", in.UserID, in.Admin, extra, in.Renamed.Extra, in.Name), nil
	})
	type fastIn struct {
		AuthHeaders
		paging
		ID int `path:"id"`
	}
	kaito.Get(r, "/u/:id", func(_ *kaito.Request, in fastIn) (string, error) {
		return fmt.Sprintf("user=%s admin=%v page=%d id=%d", in.UserID, in.Admin, in.Page, in.ID), nil
	})
	ctJSON := [2]string{"Content-Type", "application/json"}
	form := [2]string{"Content-Type", "application/x-www-form-urlencoded"}
	forged := `{"UserID":"admin","Admin":true,"Page":9,"Token":"forged","note":"n","name":"ann"}`
	table{
		{"json, from the headers", call{method: "POST", target: "/e?page=2", headers: [][2]string{ctJSON, {"X-User-Id", "u1"}, {"X-Token", "t1"}}, body: forged},
			expect{200, nil, `"user=u1 admin=false page=2 token=t1 note=n name=ann"`}},
		{"json, no headers", call{method: "POST", target: "/e", headers: [][2]string{ctJSON}, body: forged},
			expect{200, nil, `"user= admin=false page=0 token= note=n name=ann"`}},
		{"urlencoded", call{method: "POST", target: "/e", headers: [][2]string{form, {"X-Admin", "true"}}, body: `UserID=admin&Page=9&Token=forged&note=n&name=ann`},
			expect{200, nil, `"user= admin=true page=0 token= note=n name=ann"`}},
		{"no body", call{method: "POST", target: "/e?page=3", headers: [][2]string{{"X-User-Id", "u2"}}},
			expect{200, nil, `"user=u2 admin=false page=3 token= note= name="`}},
		{"bad header value", call{method: "POST", target: "/e", headers: [][2]string{{"X-Admin", "maybe"}}},
			expect{400, nil, `{"message":"invalid header \"X-Admin\": \"maybe\" is not a boolean","errors":[{"location":"header.X-Admin","message":"\"maybe\" is not a boolean"}]}`}},
		{"embedded twice", call{method: "POST", target: "/deep", headers: [][2]string{ctJSON, {"X-User-Id", "u3"}}, body: `{"UserID":"admin","extra":"x","name":"ann"}`},
			expect{200, nil, `"user=u3 extra=x name=ann"`}},
		{"beside a struct with methods", call{method: "POST", target: "/method", headers: [][2]string{ctJSON}, body: `{"UserID":"admin","extra":"x","name":"ann"}`},
			expect{200, nil, `"user= extra=x name=ann"`}},
		// A body key named like a tagged field is ignored whatever its
		// value: it was decoded into the field (then cleared) when In
		// embedded a struct with methods, and a value of another type
		// was answered 400.
		{"beside a struct with methods, a tagged field's key of another type", call{method: "POST", target: "/method", headers: [][2]string{ctJSON, {"X-User-Id", "u5"}}, body: `{"UserID":1,"Admin":"yes","extra":"x","name":"ann"}`},
			expect{200, nil, `"user=u5 extra=x name=ann"`}},
		{"beside structs with methods embedded by pointer and renamed", call{method: "POST", target: "/method-ptr", headers: [][2]string{ctJSON, {"X-Admin", "true"}}, body: `{"UserID":1,"Admin":"yes","extra":"x","renamed":{"extra":"r"},"name":"ann"}`},
			expect{200, nil, `"user= admin=true extra=x renamed=r name=ann"`}},
		{"a struct embedded by pointer stays nil without its keys", call{method: "POST", target: "/method-ptr", headers: [][2]string{ctJSON}, body: `{"Admin":[],"name":"ann"}`},
			expect{200, nil, `"user= admin=false extra=<nil> renamed= name=ann"`}},
		{"fast plan", call{target: "/u/7?page=4", headers: [][2]string{{"X-User-Id", "u4"}, {"X-Admin", "1"}}},
			expect{200, nil, `"user=u4 admin=true page=4 id=7"`}},
	}.run(t, serve(r))
}

type validateBool struct{ N int }

func (*validateBool) Validate() bool { return true }

type validateCtx struct{ N int }

func (validateCtx) Validate(ctx string) error { return nil }

type validateTwo struct{ N int }

func (*validateTwo) Validate() (bool, error) { return true, nil }

type byID struct {
	ID int `path:"uid"`
}

type authInBody struct {
	Auth AuthHeaders `json:"auth" required:"false"`
}

type itemsInBody struct {
	Items []struct {
		ID int `query:"id"`
	} `json:"items" required:"false"`
}

type embeddedPointer struct {
	*AuthHeaders
	Name string
}

type embeddedRenamed struct {
	AuthHeaders `json:"auth" required:"false"`
}

type bothTags struct {
	ID int `path:"id" query:"id"`
}

// Registration refuses, naming the route and the field, an input the
// binder could not bind as declared.
func TestRegistrationChecks(t *testing.T) {
	cases := []struct {
		name     string
		register func(r *kaito.Router[*kaito.Request])
		want     string
	}{
		{"path tag names no parameter", func(r *kaito.Router[*kaito.Request]) {
			kaito.Get(r, "/users/:id", func(*kaito.Request, byID) (int, error) { return 0, nil })
		}, `kaito: route GET /users/:id: field kaito_test.byID.ID has path:"uid", but the pattern has no parameter "uid"`},
		{"path tag in a group", func(r *kaito.Router[*kaito.Request]) {
			kaito.Get(r.Group("/orgs/:org"), "/users", func(*kaito.Request, byID) (int, error) { return 0, nil })
		}, `kaito: route GET /orgs/:org/users: field kaito_test.byID.ID has path:"uid", but the pattern has no parameter "uid"`},
		{"pointer input", func(r *kaito.Router[*kaito.Request]) {
			kaito.Post(r, "/u", func(*kaito.Request, *user) (int, error) { return 0, nil })
		}, `kaito: route POST /u: the input *kaito_test.user is a pointer: declare the input as kaito_test.user`},
		{"Validate returns bool", func(r *kaito.Router[*kaito.Request]) {
			kaito.Post(r, "/v", func(*kaito.Request, validateBool) (int, error) { return 0, nil })
		}, `kaito: route POST /v: (*kaito_test.validateBool).Validate() bool is not Validate() error: it would never run`},
		{"Validate takes an argument", func(r *kaito.Router[*kaito.Request]) {
			kaito.Post(r, "/v", func(*kaito.Request, validateCtx) (int, error) { return 0, nil })
		}, `kaito: route POST /v: (*kaito_test.validateCtx).Validate(string) error is not Validate() error: it would never run`},
		{"Validate returns two values", func(r *kaito.Router[*kaito.Request]) {
			kaito.Post(r, "/v", func(*kaito.Request, validateTwo) (int, error) { return 0, nil })
		}, `kaito: route POST /v: (*kaito_test.validateTwo).Validate() (bool, error) is not Validate() error: it would never run`},
		{"tagged field in a nested struct", func(r *kaito.Router[*kaito.Request]) {
			kaito.Post(r, "/n", func(*kaito.Request, authInBody) (int, error) { return 0, nil })
		}, `kaito: route POST /n: field kaito_test.authInBody.Auth.UserID is tagged, but kaito_test.authInBody.Auth is a body field: the binder reads tags only on the input's own fields and on structs embedded in it`},
		{"tagged field in a slice of structs", func(r *kaito.Router[*kaito.Request]) {
			kaito.Post(r, "/n", func(*kaito.Request, itemsInBody) (int, error) { return 0, nil })
		}, `kaito: route POST /n: field kaito_test.itemsInBody.Items.ID is tagged, but kaito_test.itemsInBody.Items is a body field`},
		{"tagged field embedded by pointer", func(r *kaito.Router[*kaito.Request]) {
			kaito.Post(r, "/n", func(*kaito.Request, embeddedPointer) (int, error) { return 0, nil })
		}, `kaito: route POST /n: field kaito_test.embeddedPointer.AuthHeaders.UserID is tagged, but kaito_test.embeddedPointer.AuthHeaders is embedded by pointer: embed it by value`},
		{"tagged field embedded under a json name", func(r *kaito.Router[*kaito.Request]) {
			kaito.Post(r, "/n", func(*kaito.Request, embeddedRenamed) (int, error) { return 0, nil })
		}, `kaito: route POST /n: field kaito_test.embeddedRenamed.AuthHeaders.UserID is tagged, but kaito_test.embeddedRenamed.AuthHeaders is embedded renamed by its json tag, so the binder reads it from the body`},
		{"anonymous input", func(r *kaito.Router[*kaito.Request]) {
			kaito.Get(r, "/a/:id", func(*kaito.Request, struct {
				Auth AuthHeaders `json:"auth" required:"false"`
			}) (int, error) {
				return 0, nil
			})
		}, `kaito: route GET /a/:id: field In.Auth.UserID is tagged, but In.Auth is a body field`},
		{"two tags", func(r *kaito.Router[*kaito.Request]) {
			kaito.Get(r, "/b/:id", func(*kaito.Request, bothTags) (int, error) { return 0, nil })
		}, `kaito: route GET /b/:id: field kaito_test.bothTags.ID has both path and query tags`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := reqApp(t)
			defer func() {
				p := recover()
				if p == nil {
					t.Fatal("no panic")
				}
				if msg := fmt.Sprint(p); !strings.HasPrefix(msg, tc.want) {
					t.Fatalf("panic:\n%s\nwant it to begin with:\n%s", msg, tc.want)
				}
			}()
			tc.register(r)
		})
	}

	t.Run("accepted", func(t *testing.T) {
		r, _ := reqApp(t)
		type catchAll struct {
			Path string `path:"path"`
		}
		type mixed struct {
			Org string `path:"org"`
			ID  int    `path:"id"`
		}
		kaito.Get(r, "/files/*path", func(*kaito.Request, catchAll) (int, error) { return 0, nil })
		kaito.Get(r.Group("/orgs/:org"), "/users/:id", func(*kaito.Request, mixed) (int, error) { return 0, nil })
		kaito.Get(r, "/v-:id", func(*kaito.Request, userID) (int, error) { return 0, nil })
	})
}
