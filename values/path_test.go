package values

import (
	"reflect"
	"testing"
)

func pathData(t *testing.T) map[string]any {
	t.Helper()
	return jsonValue(t, `{
		"user": {"name": "virk", "email": null, "bio": "", "tags": ["a", "b"], "profile": {"city": "Paris"}},
		"users": ["virk", "nikk"],
		"a.b": "flat",
		"a": {"b": "nested", "c.d": "dotted", "e]": "bracket", "": "empty"},
		"list": [{"id": 1}, {"id": 2}],
		"grid": [["x0", "x1"], ["y0"]],
		"f": false,
		"": "root-empty",
		"q\"x": "quote"
	}`).(map[string]any)
}

func TestGet(t *testing.T) {
	data := pathData(t)
	for _, c := range []struct {
		path  string
		want  any
		found bool
	}{
		{"user.name", "virk", true},
		{"user.profile.city", "Paris", true},
		{"user.tags.1", "b", true},
		{"user.tags[1]", "b", true},
		{"users[0]", "virk", true},
		{"list[1].id", 2.0, true},
		{"list.0.id", 1.0, true},
		{"grid[1][0]", "y0", true},
		{"grid.0.1", "x1", true},
		{`user["name"]`, "virk", true},
		{`user['name']`, "virk", true},
		{"user[name]", "virk", true},
		{`a["c.d"]`, "dotted", true},
		{`a["e]"]`, "bracket", true},
		{`a['c\.d']`, "dotted", true},
		{"a.b", "flat", true}, // the literal key wins
		{"a[b]", "nested", true},
		{"a..", nil, false},
		{"user.email", nil, true},
		{"user.email.x", nil, false},
		{"user.bio", "", true},
		{"f", false, true},
		{"", "root-empty", true},
		{"user.missing", nil, false},
		{"users.5", nil, false},
		{"users.-1", nil, false},
		{"users.01", nil, false},
		{"users.length", nil, false},
		{"user.name.0", nil, false},
		{"missing.deep", nil, false},
		{"[]", "root-empty", true}, // lodash: "[]" is the path [""]
		{"user[", nil, false},
		{`q"x`, "quote", true},
	} {
		got, found := Get(data, c.path)
		if found != c.found || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Get(%q) = %v, %v; want %v, %v", c.path, got, found, c.want, c.found)
		}
	}
	if v, ok := Get(nil, "a.b"); v != nil || ok {
		t.Errorf("Get(nil) = %v, %v", v, ok)
	}
}

func TestPathKeys(t *testing.T) {
	for _, c := range []struct {
		path string
		want []string
	}{
		{"a.b.c", []string{"a", "b", "c"}},
		{"a[0].b", []string{"a", "0", "b"}},
		{"a[-1]", []string{"a", "-1"}},
		{"a[1.5]", []string{"a", "1.5"}},
		{`a["b.c"][d]`, []string{"a", "b.c", "d"}},
		{`a['it\'s']`, []string{"a", "it's"}},
		{`a["x\\y"]`, []string{"a", `x\y`}},
		{"a..b", []string{"a", "", "b"}},
		{"a.", []string{"a", ""}},
		{".a", []string{"", "a"}},
		{"a[].b", []string{"a", "", "b"}},
		{"[[]]", nil},
		{"a b.c", []string{"a b", "c"}},
		{"a[b", []string{"a[b"}}, // no bracket group: one key
		{"a]b", []string{"a]b"}},
	} {
		got := splitPath(map[string]any{}, c.path)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitPath(%q) = %q, want %q", c.path, got, c.want)
		}
	}
}

func TestPick(t *testing.T) {
	data := pathData(t)
	for _, c := range []struct {
		paths []string
		want  string
	}{
		{[]string{"users"}, `{"users":["virk","nikk"]}`},
		{[]string{"user.name", "f"}, `{"user":{"name":"virk"},"f":false}`},
		{[]string{"user.name", "user.profile.city"}, `{"user":{"name":"virk","profile":{"city":"Paris"}}}`},
		{[]string{"users.1"}, `{"users":[null,"nikk"]}`},
		{[]string{"users.1", "users.0"}, `{"users":["virk","nikk"]}`},
		{[]string{"list[1].id"}, `{"list":[null,{"id":2}]}`},
		{[]string{"grid.1.0"}, `{"grid":[null,["y0"]]}`},
		{[]string{"a.b"}, `{"a.b":"flat"}`},
		{[]string{"a[b]"}, `{"a":{"b":"nested"}}`},
		{[]string{`a["c.d"]`}, `{"a":{"c.d":"dotted"}}`},
		{[]string{"user.email"}, `{"user":{"email":null}}`},
		{[]string{"missing", "users.7", "user.name.x", "[[]]"}, `{}`},
		{nil, `{}`},
	} {
		got := Pick(data, c.paths...)
		if want := jsonValue(t, c.want); !reflect.DeepEqual(any(got), want) {
			t.Errorf("Pick(%q) = %s, want %s", c.paths, show(got), c.want)
		}
	}
	if got := Pick(nil, "a"); got == nil || len(got) != 0 {
		t.Errorf("Pick(nil) = %v", got)
	}
}

func TestOmit(t *testing.T) {
	data := jsonValue(t, `{"user":{"name":"virk","age":22},"users":["virk","nikk"],"a.b":1,"a":{"b":2,"c":3},"age":"22"}`).(map[string]any)
	for _, c := range []struct {
		paths []string
		want  string
	}{
		{[]string{"age"}, `{"user":{"name":"virk","age":22},"users":["virk","nikk"],"a.b":1,"a":{"b":2,"c":3}}`},
		{[]string{"user.age", "users"}, `{"user":{"name":"virk"},"a.b":1,"a":{"b":2,"c":3},"age":"22"}`},
		{[]string{"users.0"}, `{"user":{"name":"virk","age":22},"users":[null,"nikk"],"a.b":1,"a":{"b":2,"c":3},"age":"22"}`},
		{[]string{"a.b"}, `{"user":{"name":"virk","age":22},"users":["virk","nikk"],"a":{"b":2,"c":3},"age":"22"}`},
		{[]string{"a[b]", "a.c"}, `{"user":{"name":"virk","age":22},"users":["virk","nikk"],"a.b":1,"a":{},"age":"22"}`},
		{[]string{"missing", "user.name.x", "users.9", "users.x"}, `{"user":{"name":"virk","age":22},"users":["virk","nikk"],"a.b":1,"a":{"b":2,"c":3},"age":"22"}`},
	} {
		got := Omit(data, c.paths...)
		if want := jsonValue(t, c.want); !reflect.DeepEqual(any(got), want) {
			t.Errorf("Omit(%q) = %s, want %s", c.paths, show(got), c.want)
		}
	}
	if got := Omit(nil, "a"); got == nil || len(got) != 0 {
		t.Errorf("Omit(nil) = %v", got)
	}
}

func TestPickOmitDoNotAlias(t *testing.T) {
	data := pathData(t)
	before := show(data)

	p := Pick(data, "user", "users", "user.name")
	p["user"].(map[string]any)["name"] = "changed"
	p["user"].(map[string]any)["tags"].([]any)[0] = "changed"
	p["users"].([]any)[0] = "changed"

	o := Omit(data, "user.name", "users.0")
	o["user"].(map[string]any)["bio"] = "changed"
	o["list"].([]any)[0].(map[string]any)["id"] = "changed"
	o["a"].(map[string]any)["b"] = "changed"

	if after := show(data); after != before {
		t.Errorf("the input changed:\n%s\n%s", before, after)
	}
}
