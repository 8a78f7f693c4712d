package values

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// maxDepth bounds how deeply a parsed result nests (a string is depth 0, a
// map of strings depth 1). One key makes at most Depth+2 levels: its name,
// Depth bracket groups and the literal remainder. Merging keys can add an
// array where a value meets a map (a=1&a[b]=2 is {"a": ["1", {"b": "2"}]})
// or where a key repeats, at most one per level.
const maxDepth = 2 * (Depth + 2)

func depth(v any) int {
	d := 0
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			d = max(d, depth(e))
		}
		return d + 1
	case []any:
		for _, e := range x {
			d = max(d, depth(e))
		}
		return d + 1
	}
	return 0
}

// longestArray is the length of the longest []any in v.
func longestArray(v any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			n = max(n, longestArray(e))
		}
	case []any:
		n = len(x)
		for _, e := range x {
			n = max(n, longestArray(e))
		}
	}
	return n
}

func nonEmptyParts(raw string) []string {
	var parts []string
	for _, p := range strings.Split(raw, "&") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

// checkParsed holds for every result of ParseQuery and ParseForm.
func checkParsed(t *testing.T, raw string, parse func(string) (map[string]any, error)) {
	t.Helper()
	m, err := parse(raw)
	parts := nonEmptyParts(raw)
	if err != nil {
		if !errors.Is(err, ErrTooManyParameters) || len(parts) <= ParameterLimit || m != nil {
			t.Fatalf("%q: %d parameters, map %v, error %v", raw, len(parts), m != nil, err)
		}
		return
	}
	if len(parts) > ParameterLimit {
		t.Fatalf("%q: %d parameters accepted", raw, len(parts))
	}
	if m == nil {
		t.Fatalf("%q: nil map", raw)
	}
	if err := checkTypes(m); err != nil {
		t.Fatalf("%q: %v", raw, err)
	}
	if _, ok := m[""]; ok {
		t.Fatalf("%q: empty top-level key", raw)
	}
	if d := depth(m); d > maxDepth {
		t.Fatalf("%q: depth %d > %d: %s", raw, d, maxDepth, show(m))
	}
	if n := longestArray(m); n > ArrayLimit {
		t.Fatalf("%q: array of %d > %d", raw, n, ArrayLimit)
	}
	again, _ := parse(raw)
	if !reflect.DeepEqual(m, again) {
		t.Fatalf("%q: not deterministic:\n%s\n%s", raw, show(m), show(again))
	}
	// One parameter alone never nests deeper than Depth+2.
	for i, p := range parts {
		if i == 20 {
			break
		}
		one, err := parse(p)
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		if d := depth(one); d > Depth+2 {
			t.Fatalf("%q: one parameter nests %d deep: %s", p, d, show(one))
		}
	}
}

func addSeeds(f *testing.F) {
	for _, s := range []string{
		"", "a=1", "page=2&sort=name", "a[b][c]=d&a[b][e]=f", "a[]=1&a[]=2&a[0]=3", "a=b&a[b]=c&a[1][b]=d",
		"a[b][c][d][e][f][g][h]=i", "a.b.c=d&a[b][e]=f", "a[20]=x&a=y", "%ZZ=%E2%9C&a=%C0%80", "a+b=c+d%20e",
		"[]=a&[0]=b&0=c", "a[b[c[]]]=d", "a[=]=1&a]=2", "__proto__[x]=1", "a=&a[b]=&a.b=c",
		strings.Repeat("a[]=x&", 25), strings.Repeat("k=v&", 1001),
	} {
		f.Add(s)
	}
	vs, err := readVectors()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range vs {
		if v.Input != nil {
			f.Add(*v.Input)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, raw string) {
		checkParsed(t, raw, ParseQuery)
	})
}

func FuzzParseForm(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, raw string) {
		checkParsed(t, raw, func(s string) (map[string]any, error) { return ParseForm(s, true) })
		checkParsed(t, raw, func(s string) (map[string]any, error) { return ParseForm(s, false) })
	})
}

func FuzzGet(f *testing.F) {
	for _, s := range [][2]string{
		{"a[b]=1", "a.b"}, {"a[]=1&a[]=2", "a[1]"}, {"a.b=1&a[b]=2", "a.b"}, {"a[0][b]=1", "a.0.b"},
		{`a[b.c]=1`, `a["b.c"]`}, {"a[b]=1", "a..b"}, {"a=1", ""}, {"x[y][z]=1", `x['y'][z]`},
		{"a[0]=1", "[]"}, {"a=1", `a["\`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, raw, path string) {
		m, err := ParseQuery(raw)
		if err != nil {
			return
		}
		before := clone(m)
		v, ok := Get(m, path)
		v2, ok2 := Get(m, path)
		if ok != ok2 || !reflect.DeepEqual(v, v2) {
			t.Fatalf("Get(%q) not deterministic", path)
		}
		if !ok && v != nil {
			t.Fatalf("Get(%q) = %v but not found", path, v)
		}

		p := Pick(m, path)
		pv, pok := Get(p, path)
		if pok != ok || !reflect.DeepEqual(pv, v) {
			t.Fatalf("Get(Pick(m, %q)) = %v, %v; Get(m) = %v, %v", path, pv, pok, v, ok)
		}
		if !ok && len(p) != 0 {
			t.Fatalf("Pick(m, %q) = %v for a missing path", path, p)
		}

		o := Omit(m, path)
		if _, literal := m[path]; !literal {
			if ov, ook := Get(o, path); ook && ov != nil {
				t.Fatalf("Get(Omit(m, %q)) = %v", path, ov)
			}
		}
		if !reflect.DeepEqual(m, before) {
			t.Fatalf("Get, Pick or Omit changed the input")
		}
	})
}
