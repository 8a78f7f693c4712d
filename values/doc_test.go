package values

import (
	"reflect"
	"testing"
)

// TestDocTable checks the table in the package documentation.
func TestDocTable(t *testing.T) {
	for _, c := range []struct{ in, query, form string }{
		{"a=1", `{"a": "1"}`, `{"a": "1"}`},
		{"a", `{"a": ""}`, `{"a": ""}`},
		{"a=", `{"a": ""}`, `{"a": null}`},
		{"a=b+c%21", `{"a": "b c!"}`, `{"a": "b c!"}`},
		{"a=%ZZ", `{"a": "%ZZ"}`, `{"a": "%ZZ"}`},
		{"a=1,2", `{"a": "1,2"}`, `{"a": "1,2"}`},
		{"a=1&a=2", `{"a": ["1", "2"]}`, `{"a": ["1", "2"]}`},
		{"a[]=1&a[]=2", `{"a": ["1", "2"]}`, `{"a": ["1", "2"]}`},
		{"a[1]=y&a[0]=x", `{"a": ["x", "y"]}`, `{"a": ["x", "y"]}`},
		{"a[0]=x&a[5]=y", `{"a": ["x", "y"]}`, `{"a": ["x", "y"]}`},
		{"a[20]=x", `{"a": {"20": "x"}}`, `{"a": {"20": "x"}}`},
		{"a[b]=c", `{"a": {"b": "c"}}`, `{"a": {"b": "c"}}`},
		{"a%5Bb%5D=c", `{"a": {"b": "c"}}`, `{"a": {"b": "c"}}`},
		{"a.b=c", `{"a.b": "c"}`, `{"a": {"b": "c"}}`},
		{"user[0].name=x", `{"user": ["x"]}`, `{"user": [{"name": "x"}]}`},
		{"a[b]c=1", `{"a": {"b": "1"}}`, `{"a": {"b": "1"}}`},
		{"a[]=1&a[x]=2", `{"a": {"0": "1", "x": "2"}}`, `{"a": {"0": "1", "x": "2"}}`},
		{"a=1&a[b]=2", `{"a": ["1", {"b": "2"}]}`, `{"a": ["1", {"b": "2"}]}`},
		{"a[b][c][d][e][f][g]=x", `{"a": {"b": {"c": {"d": {"e": {"f": {"[g]": "x"}}}}}}}`, `{"a": {"b": {"c": {"d": {"e": {"f": {"[g]": "x"}}}}}}}`},
		{"__proto__[x]=1", `{"__proto__": {"x": "1"}}`, `{"__proto__": {"x": "1"}}`},
	} {
		q, _ := ParseQuery(c.in)
		if want := jsonValue(t, c.query); !reflect.DeepEqual(any(q), want) {
			t.Errorf("ParseQuery(%q) = %s, want %s", c.in, show(q), c.query)
		}
		f, _ := ParseForm(c.in, true)
		if want := jsonValue(t, c.form); !reflect.DeepEqual(any(f), want) {
			t.Errorf("ParseForm(%q, true) = %s, want %s", c.in, show(f), c.form)
		}
	}
}
