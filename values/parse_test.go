package values

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// jsonValue decodes a test's expected value.
func jsonValue(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad expectation %s: %v", s, err)
	}
	return v
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

type parseCase struct {
	name string
	in   string
	want string // JSON
}

func runParse(t *testing.T, parse func(string) (map[string]any, error), cases []parseCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parse(c.in)
			if err != nil {
				t.Fatalf("parse(%q): %v", c.in, err)
			}
			if err := checkTypes(got); err != nil {
				t.Fatal(err)
			}
			if want := jsonValue(t, c.want); !reflect.DeepEqual(any(got), want) {
				t.Errorf("parse(%q)\n got %s\nwant %s", c.in, show(got), c.want)
			}
		})
	}
}

// checkTypes reports a value that a parsed result must not hold.
func checkTypes(v any) error {
	switch x := v.(type) {
	case nil, string:
		return nil
	case map[string]any:
		if x == nil {
			return errors.New("nil map in result")
		}
		for _, e := range x {
			if err := checkTypes(e); err != nil {
				return err
			}
		}
		return nil
	case []any:
		for _, e := range x {
			if err := checkTypes(e); err != nil {
				return err
			}
		}
		return nil
	}
	return errors.New("unexpected type in result: " + reflect.TypeOf(v).String())
}

func TestParseQueryBasics(t *testing.T) {
	runParse(t, ParseQuery, []parseCase{
		{"empty", "", `{}`},
		{"only ampersands", "&&&", `{}`},
		{"empty keys", "=&=a&&=", `{}`},
		{"simple", "page=2&sort=name", `{"page":"2","sort":"name"}`},
		{"bare key", "a", `{"a":""}`},
		{"empty value", "a=", `{"a":""}`},
		{"value with =", "a=b=c", `{"a":"b=c"}`},
		{"plus is space", "a=b+c&d+e=f", `{"a":"b c","d e":"f"}`},
		{"encoded plus", "a=1%2B1", `{"a":"1+1"}`},
		{"utf8", "q=%E2%9C%93&%C3%A9=1", `{"q":"✓","é":"1"}`},
		{"commas kept", "q=a,b&r[]=c,d", `{"q":"a,b","r":["c,d"]}`},
		{"leading question mark is a key", "?a=1", `{"?a":"1"}`},
		{"repeated", "a=1&a=2&a=3", `{"a":["1","2","3"]}`},
		{"repeated empty", "a=&a=", `{"a":["",""]}`},
		{"push", "a[]=1&a[]=2", `{"a":["1","2"]}`},
		{"indexes", "a[1]=y&a[0]=x", `{"a":["x","y"]}`},
		{"sparse compacted", "a[0]=x&a[5]=y", `{"a":["x","y"]}`},
		{"object", "a[b]=c&a[d]=e", `{"a":{"b":"c","d":"e"}}`},
		{"encoded brackets", "a%5Bb%5D=c&a%5bd%5d=e", `{"a":{"b":"c","d":"e"}}`},
		{"dots are literal", "a.b=c", `{"a.b":"c"}`},
		{"array and object", "a[]=1&a[x]=2", `{"a":{"0":"1","x":"2"}}`},
		{"object then value", "a[b]=1&a=2", `{"a":[{"b":"1"},"2"]}`},
		{"value then object", "a=1&a[b]=2", `{"a":["1",{"b":"2"}]}`},
		{"value then push", "a=1&a[]=2", `{"a":["1","2"]}`},
		{"array of objects", "a[0][b]=1&a[0][c]=2&a[1][b]=3", `{"a":[{"b":"1","c":"2"},{"b":"3"}]}`},
		{"nested push", "a[][]=x", `{"a":["x"]}`},
		{"push of index", "a[0][]=x", `{"a":[["x"]]}`},
		{"repeated nested key", "a[b]=1&a[b]=2", `{"a":{"b":["1","2"]}}`},
		{"repeated index", "a[0]=1&a[0]=2", `{"a":[["1","2"]]}`},
		{"text after brackets dropped", "a[b]c=1", `{"a":{"b":"1"}}`},
		{"unterminated bracket", "a[b=1", `{"a":{"[b":"1"}}`},
		{"nested brackets in a group", "a[b[]]=c", `{"a":{"b[]":"c"}}`},
		{"closing bracket first", "]=x&]]=y", `{"]":"x","]]":"y"}`},
		{"no parent", "[a]=1&[]=2", `{"a":"1","0":"2"}`},
		{"bracket equals splits", "a[=]=1", `{"a":{"=":"1"}}`},
		{"spaces kept", "a[ b ]=c", `{"a":{" b ":"c"}}`},
		{"negative index is a key", "a[-1]=x", `{"a":{"-1":"x"}}`},
		{"leading zero is a key", "a[01]=x", `{"a":{"01":"x"}}`},
		{"array index keys first", "[0]=a&0=b", `{"0":["b","a"]}`},
		{"empty string dropped when merged", "a[b]=1&a=", `{"a":{"b":"1"}}`},
		{"empty string first", "a=&a[b]=1", `{"a":["",{"b":"1"}]}`},
	})
}

func TestPrototypeKeysAreOrdinary(t *testing.T) {
	runParse(t, ParseQuery, []parseCase{
		{"__proto__", "__proto__[x]=1&y=2", `{"__proto__":{"x":"1"},"y":"2"}`},
		{"nested __proto__", "a[__proto__]=1", `{"a":{"__proto__":"1"}}`},
		{"hasOwnProperty", "a[hasOwnProperty]=1&hasOwnProperty=2", `{"a":{"hasOwnProperty":"1"},"hasOwnProperty":"2"}`},
		{"constructor", "constructor[prototype][x]=1", `{"constructor":{"prototype":{"x":"1"}}}`},
		{"toString", "toString", `{"toString":""}`},
	})
	runParse(t, func(s string) (map[string]any, error) { return ParseForm(s, true) }, []parseCase{
		{"form __proto__", "__proto__.admin=true", `{"__proto__":{"admin":"true"}}`},
	})
}

func TestParseForm(t *testing.T) {
	form := func(s string) (map[string]any, error) { return ParseForm(s, true) }
	runParse(t, form, []parseCase{
		{"dots", "a.b=c&a.d=e", `{"a":{"b":"c","d":"e"}}`},
		{"brackets then dot", "user[0].name=virk", `{"user":[{"name":"virk"}]}`},
		{"dot then bracket", "a.b[c]=d", `{"a":{"b":{"c":"d"}}}`},
		{"double dot", "a..b=c", `{"a.":{"b":"c"}}`},
		{"trailing dot", "a.=c", `{"a.":"c"}`},
		{"leading dot", ".a=c", `{"a":"c"}`},
		{"empty is nil", "a=&b=1", `{"a":null,"b":"1"}`},
		{"bare key is empty string", "a&b=", `{"a":"","b":null}`},
		{"nil in arrays", "a[]=&a[]=x", `{"a":[null,"x"]}`},
		{"nil dropped when merged", "a.b=x&a[b]=", `{"a":{"b":"x"}}`},
		{"nil first", "a[b]=&a.b=x", `{"a":{"b":[null,"x"]}}`},
		{"commas kept", "a=1,2", `{"a":"1,2"}`},
		{"dotted depth", "a.b.c.d.e.f.g.h=x", `{"a":{"b":{"c":{"d":{"e":{"f":{"[g][h]":"x"}}}}}}}`},
	})
	keep := func(s string) (map[string]any, error) { return ParseForm(s, false) }
	runParse(t, keep, []parseCase{
		{"empty kept", "a=&b[]=", `{"a":"","b":[""]}`},
	})
}

func TestBadEscapes(t *testing.T) {
	runParse(t, ParseQuery, []parseCase{
		{"not hex", "a=%ZZ", `{"a":"%ZZ"}`},
		{"lone percent", "a=%", `{"a":"%"}`},
		{"short escape", "a=%4", `{"a":"%4"}`},
		{"one bad escape keeps the whole value", "a=%41%ZZ%42", `{"a":"%41%ZZ%42"}`},
		{"plus still a space", "a=b+%ZZ", `{"a":"b %ZZ"}`},
		{"truncated utf8", "a=%E2%9C", `{"a":"%E2%9C"}`},
		{"utf8 split by a raw byte", "a=%E2%9Cx%93", `{"a":"%E2%9Cx%93"}`},
		{"overlong", "a=%C0%80", `{"a":"%C0%80"}`},
		{"surrogate", "a=%ED%A0%80", `{"a":"%ED%A0%80"}`},
		{"continuation byte alone", "a=%80", `{"a":"%80"}`},
		{"bad key", "%ZZ=1&{%:%}=2", `{"%ZZ":"1","{%:%}":"2"}`},
		{"bad key with brackets", "a[%ZZ]=1", `{"a":{"%ZZ":"1"}}`},
		{"percent before an encoded bracket", "a=%%5B", `{"a":"%["}`},
		{"nul", "a=%00", `{"a":"\u0000"}`},
	})
}

func TestDepth(t *testing.T) {
	runParse(t, ParseQuery, []parseCase{
		{"five levels", "a[b][c][d][e][f]=x", `{"a":{"b":{"c":{"d":{"e":{"f":"x"}}}}}}`},
		{"six levels", "a[b][c][d][e][f][g]=x", `{"a":{"b":{"c":{"d":{"e":{"f":{"[g]":"x"}}}}}}}`},
		{"many levels", "a" + strings.Repeat("[b]", 100) + "=x",
			`{"a":{"b":{"b":{"b":{"b":{"b":{"` + strings.Repeat("[b]", 95) + `":"x"}}}}}}}`},
		{"indexes count", "a[0][0][0][0][0][0]=x", `{"a":[[[[[{"[0]":"x"}]]]]]}`},
	})
}

func TestArrayLimit(t *testing.T) {
	seq := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, "&")
	}
	arr := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = strconv.Quote(strconv.Itoa(i))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	obj := func(n int, extra string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = strconv.Quote(strconv.Itoa(i)) + ":" + strconv.Quote(strconv.Itoa(i))
		}
		if extra != "" {
			parts = append(parts, extra)
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	runParse(t, ParseQuery, []parseCase{
		{"index 19", "a[19]=x", `{"a":["x"]}`},
		{"index 20 is a key", "a[20]=x", `{"a":{"20":"x"}}`},
		{"huge index is a key", "a[99999999999]=x", `{"a":{"99999999999":"x"}}`},
		{"20 pushes", seq(20, func(i int) string { return "a[]=" + strconv.Itoa(i) }), `{"a":` + arr(20) + `}`},
		{"21 pushes", seq(21, func(i int) string { return "a[]=" + strconv.Itoa(i) }), `{"a":` + obj(21, "") + `}`},
		{"20 repeats", seq(20, func(i int) string { return "a=" + strconv.Itoa(i) }), `{"a":` + arr(20) + `}`},
		{"21 repeats", seq(21, func(i int) string { return "a=" + strconv.Itoa(i) }), `{"a":` + obj(21, "") + `}`},
		{"20 indexes", seq(20, func(i int) string { return "a[" + strconv.Itoa(i) + "]=" + strconv.Itoa(i) }), `{"a":` + arr(20) + `}`},
		// qs would push a 21st element here; this package never lets an
		// array pass ArrayLimit.
		{"20 indexes and a value", seq(20, func(i int) string { return "a[" + strconv.Itoa(i) + "]=" + strconv.Itoa(i) }) + "&a=20",
			`{"a":` + obj(21, "") + `}`},
		{"overflow keeps counting", seq(21, func(i int) string { return "a[]=" + strconv.Itoa(i) }) + "&a=21",
			`{"a":` + obj(22, "") + `}`},
		{"value after a big index", "a[25]=x&a=y", `{"a":{"25":"x","26":"y"}}`},
		{"value before a big index", "a=y&a[25]=x", `{"a":{"0":"y","26":"x"}}`},
		{"sparse combination overflows", "a=x&a[19]=y", `{"a":{"0":"x","20":"y"}}`},
	})

	// Twenty indexes merged with twenty pushes would make a 40-element
	// array in qs.
	in := seq(20, func(i int) string { return "a[" + strconv.Itoa(i) + "]=i" }) + "&" + seq(20, func(i int) string { return "a[]=p" })
	got, err := ParseQuery(in)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := got["a"].(map[string]any)
	if !ok || len(m) != 40 || m["0"] != "i" || m["39"] != "p" {
		t.Errorf("20 indexes and 20 pushes: got %s", show(got))
	}
}

func TestParameterLimit(t *testing.T) {
	params := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = "k" + strconv.Itoa(i) + "=" + strconv.Itoa(i)
		}
		return strings.Join(parts, "&")
	}
	for _, parse := range []struct {
		name string
		f    func(string) (map[string]any, error)
	}{
		{"query", ParseQuery},
		{"form", func(s string) (map[string]any, error) { return ParseForm(s, true) }},
	} {
		t.Run(parse.name, func(t *testing.T) {
			m, err := parse.f(params(ParameterLimit))
			if err != nil || len(m) != ParameterLimit || m["k999"] != "999" {
				t.Errorf("1000 parameters: %d keys, %v", len(m), err)
			}
			// Empty parameters do not count.
			m, err = parse.f(params(ParameterLimit) + strings.Repeat("&", 5000))
			if err != nil || len(m) != ParameterLimit {
				t.Errorf("1000 parameters and empty ones: %d keys, %v", len(m), err)
			}
			// Repeated keys count, each one.
			m, err = parse.f(strings.Repeat("a=1&", ParameterLimit+1))
			if !errors.Is(err, ErrTooManyParameters) || m != nil {
				t.Errorf("1001 repeated parameters: %v, %v", m, err)
			}
			m, err = parse.f(params(ParameterLimit + 1))
			if !errors.Is(err, ErrTooManyParameters) || m != nil {
				t.Errorf("1001 parameters: %v, %v", m, err)
			}
		})
	}
}

func TestStrings(t *testing.T) {
	for _, c := range []struct {
		in   any
		want []string
	}{
		{"a", []string{"a"}},
		{"", []string{""}},
		{[]any{"a", "b"}, []string{"a", "b"}},
		{[]any{nil, "x"}, []string{"", "x"}},
		{[]any{"a", map[string]any{"b": "c"}}, nil},
		{[]any{"a", []any{"b"}}, nil},
		{map[string]any{"0": "a"}, nil},
		{nil, nil},
		{42, nil},
	} {
		if got := Strings(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Strings(%#v) = %#v, want %#v", c.in, got, c.want)
		}
	}

	// The binder reads a query field through Strings: it sees what Qs has.
	qs, err := ParseQuery("tags=a&tags=b&one=x&tags2[]=c&obj[k]=v")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string][]string{"tags": {"a", "b"}, "one": {"x"}, "tags2": {"c"}, "obj": nil, "missing": nil} {
		if got := Strings(qs[key]); !reflect.DeepEqual(got, want) {
			t.Errorf("Strings(qs[%q]) = %q, want %q", key, got, want)
		}
	}
}

func TestResultIsFresh(t *testing.T) {
	// Parsing the same input twice gives maps that share nothing.
	a, _ := ParseQuery("a[b][]=1&c=2&c=3")
	b, _ := ParseQuery("a[b][]=1&c=2&c=3")
	a["a"].(map[string]any)["b"].([]any)[0] = "changed"
	a["c"].([]any)[0] = "changed"
	if show(b) != `{"a":{"b":["1"]},"c":["2","3"]}` {
		t.Errorf("second parse changed: %s", show(b))
	}
}

func TestParseQueryAllocs(t *testing.T) {
	n := testing.AllocsPerRun(200, func() {
		if _, err := ParseQuery("page=2&sort=name"); err != nil {
			t.Fatal(err)
		}
	})
	// The map (and its table) plus one interface per value.
	if n > 4 {
		t.Errorf("ParseQuery(page=2&sort=name): %v allocations, want at most 4", n)
	}
}
