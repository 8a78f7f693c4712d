package values

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// qsVector is one entry of testdata/qs_vectors.json, copied from
// ../shared/conformance (see its README for the format).
type qsVector struct {
	ID             string          `json:"id"`
	Kind           string          `json:"kind"`
	Source         string          `json:"source"`
	Input          *string         `json:"input"`
	InputGenerator string          `json:"input_generator"`
	Options        map[string]any  `json:"options"`
	Expect         json.RawMessage `json:"expect"`
	Data           map[string]any  `json:"data"`
	Key            string          `json:"key"`
	Keys           []string        `json:"keys"`
	Default        json.RawMessage `json:"default"`
	Body           map[string]any  `json:"body"`
	Query          string          `json:"query"`
}

// Why vectors are skipped, one line each.
const (
	whyComma       = "comma splitting: AdonisJS's query config and qs {comma: true} split a=b,c; this project never splits commas"
	whyProto       = "prototype-named keys (__proto__, hasOwnProperty, toString ...) are ordinary keys here (DESIGN); qs drops them"
	whyParamLimit  = "parameter limit: qs drops the parameters past 1000; ParseQuery and ParseForm return ErrTooManyParameters (TestParameterLimit)"
	whyStrictNull  = "option strictNullHandling has no counterpart: a bare key is always \"\""
	whyDotInKeys   = "option decodeDotInKeys has no counterpart: ParseForm splits at dots after decoding, %2E included"
	whyEmptyArrays = "option allowEmptyArrays has no counterpart: a bare foo[] is [\"\"]"
	whyDepth       = "option depth has no counterpart: ParseQuery uses AdonisJS's fixed options (depth 5)"
	whyArrayLimit  = "option arrayLimit has no counterpart: ParseQuery uses AdonisJS's fixed options (arrayLimit 20)"
	whyParamOpt    = "option parameterLimit has no counterpart: the limit is fixed at 1000, and more is an error"
	whySparse      = "option allowSparse has no counterpart: arrays are always compacted"
	whyParseArrays = "option parseArrays has no counterpart: a[0] and a[] always make arrays"
	whyPrefix      = "option ignoreQueryPrefix has no counterpart: the router passes the query without its \"?\""
	whyStrictMerge = "option strictMerge: false has no counterpart: an object and a value always merge into an array (qs 6.15's default)"
	whyDuplicates  = "option duplicates has no counterpart: repeated keys always combine into an array"
)

// skipped lists, by id, every vector that does not apply, with the reason.
var skipped = func() map[string]string {
	m := map[string]string{}
	add := func(why string, ids ...string) {
		for _, id := range ids {
			m[id] = why
		}
	}
	add(whyComma, "qs.parse-021", "qs.parse-022", "qs.parse-023", "qs.parse-024", "qs.parse-148", "qs.parse-149",
		"qs.parse-151", "qs.parse-152", "qs.parse-158", "qs.parse-159", "qs.parse-160", "qs.parse-161", "qs.parse-162",
		"qs.parse-163", "qs.parse-164", "qs.parse-165", "qs.parse-166", "qs.parse-167", "qs.parse-168", "qs.parse-169",
		"qs.parse-207", "qs.parse-208", "qs.parse-211", "qs.parse-212", "query-008", "query-010", "query-029")
	add(whyProto, "qs.parse-093", "qs.parse-095", "qs.parse-172", "qs.parse-191", "qs.parse-192", "qs.parse-193",
		"query-034", "form-034", "query-035", "form-035", "form-045")
	add(whyParamLimit, "query-043", "form-043")
	add(whyStrictNull, "qs.parse-014", "qs.parse-108", "qs.parse-115", "qs.parse-130")
	add(whyDotInKeys, "qs.parse-030", "qs.parse-033")
	add(whyEmptyArrays, "qs.parse-036", "qs.parse-038")
	add(whyDepth, "qs.parse-042", "qs.parse-043", "qs.parse-069", "qs.parse-044", "qs.parse-050", "qs.parse-051",
		"qs.parse-052", "qs.parse-260")
	add(whyArrayLimit, "qs.parse-074", "qs.parse-116", "qs.parse-138", "qs.parse-140", "qs.parse-142", "qs.parse-254",
		"qs.parse-141", "qs.parse-204")
	add(whyParamOpt, "qs.parse-197", "qs.parse-198", "qs.parse-199", "qs.parse-201")
	add(whySparse, "qs.parse-127")
	add(whyParseArrays, "qs.parse-143", "qs.parse-144")
	add(whyPrefix, "qs.parse-146")
	add(whyStrictMerge, "qs.parse-184", "qs.parse-186")
	add(whyDuplicates, "qs.parse-241", "qs.parse-242", "qs.parse-243", "qs.parse-244", "qs.parse-245")
	return m
}()

// qsParser maps a qs.parse vector's options onto this package: the options
// of ParseQuery (qs's defaults, which are AdonisJS's query options without
// comma splitting) or, with allowDots, those of ParseForm without
// emptyAsNil. Any other option is an error: such a vector must be in
// skipped.
func qsParser(opts map[string]any) (func(string) (map[string]any, error), error) {
	ours := map[string]any{
		"depth": 5.0, "arrayLimit": 20.0, "parameterLimit": 1000.0, "comma": false, "decodeDotInKeys": false,
		"strictNullHandling": false, "allowEmptyArrays": false, "allowSparse": false, "parseArrays": true,
		"duplicates": "combine", "strictMerge": true, "ignoreQueryPrefix": false, "throwOnLimitExceeded": false,
		// Go maps have no prototype: every object is a plain object, and
		// prototype-named keys are skipped by content (whyProto).
		"plainObjects": true,
	}
	dots := false
	for _, name := range slices.Sorted(maps.Keys(opts)) {
		val := opts[name]
		switch name {
		case "allowDots":
			dots = val == true
			continue
		case "allowPrototypes":
			continue
		case "plainObjects":
			continue // true or false: the same for keys that are not prototype names
		case "delimiter":
			if _, ok := val.(string); !ok {
				continue // qs ignores a delimiter that is neither a string nor a RegExp
			}
		}
		if want, ok := ours[name]; !ok || want != val {
			return nil, fmt.Errorf("option %s: %v has no counterpart", name, val)
		}
	}
	if dots {
		return func(s string) (map[string]any, error) { return ParseForm(s, false) }, nil
	}
	return ParseQuery, nil
}

func readVectors() ([]qsVector, error) {
	data, err := os.ReadFile("testdata/qs_vectors.json")
	if err != nil {
		return nil, err
	}
	var vs []qsVector
	err = json.Unmarshal(data, &vs)
	return vs, err
}

func loadVectors(t *testing.T) []qsVector {
	t.Helper()
	vs, err := readVectors()
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func decodeJSON(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("bad JSON %s: %v", raw, err)
	}
	return v
}

// normalize makes a result comparable with a value decoded from JSON: maps
// and slices of any are walked, numbers become float64. It also reports any
// type a parsed result must not hold.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, float64:
		return v, nil
	case int:
		return float64(x), nil
	case json.Number:
		return x.Float64()
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			m[k] = n
		}
		return m, nil
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			a[i] = n
		}
		return a, nil
	}
	return nil, fmt.Errorf("unexpected %T in result", v)
}

func TestConformance(t *testing.T) {
	vs := loadVectors(t)
	var passed, failed int
	byReason := map[string][]string{}
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v.ID] {
			t.Fatalf("duplicate vector id %s", v.ID)
		}
		seen[v.ID] = true
		if why, ok := skipped[v.ID]; ok {
			byReason[why] = append(byReason[why], v.ID)
			t.Run(v.ID, func(t *testing.T) { t.Skip(why) })
			continue
		}
		if t.Run(v.ID, func(t *testing.T) { runVector(t, v) }) {
			passed++
		} else {
			failed++
		}
	}
	for id := range skipped {
		if !seen[id] {
			t.Errorf("skip table names %s, which is not a vector", id)
		}
	}
	nskipped := 0
	reasons := slices.Collect(maps.Keys(byReason))
	sort.Strings(reasons)
	var b strings.Builder
	for _, why := range reasons {
		ids := byReason[why]
		nskipped += len(ids)
		fmt.Fprintf(&b, "\n  skipped %d: %s\n    %s", len(ids), why, strings.Join(ids, " "))
	}
	t.Logf("qs_vectors.json: %d vectors, %d passed, %d skipped, %d failed%s", len(vs), passed, nskipped, failed, b.String())
}

func runVector(t *testing.T, v qsVector) {
	var got any
	switch v.Kind {
	case "qs.parse", "query", "form":
		if v.Input == nil {
			t.Fatalf("no input (generator %q): list the vector in skipped", v.InputGenerator)
		}
		parse := ParseQuery
		switch v.Kind {
		case "qs.parse":
			p, err := qsParser(v.Options)
			if err != nil {
				t.Fatalf("%v: list the vector in skipped", err)
			}
			parse = p
		case "form":
			parse = func(s string) (map[string]any, error) { return ParseForm(s, true) }
		}
		m, err := parse(*v.Input)
		if err != nil {
			t.Fatalf("parse %q: %v", *v.Input, err)
		}
		got = m
	case "input", "param":
		val, ok := Get(v.Data, v.Key)
		if !ok && v.Default != nil {
			val = decodeJSON(t, v.Default)
		}
		got = val
	case "only":
		got = Pick(v.Data, v.Keys...)
	case "except":
		got = Omit(v.Data, v.Keys...)
	case "all":
		// Request.All: the body merged with the query string, the query
		// winning, one level deep.
		q, err := ParseQuery(v.Query)
		if err != nil {
			t.Fatal(err)
		}
		all := maps.Clone(v.Body)
		maps.Copy(all, q)
		got = all
	default:
		t.Fatalf("unknown kind %q", v.Kind)
	}
	norm, err := normalize(got)
	if err != nil {
		t.Fatal(err)
	}
	want := decodeJSON(t, v.Expect)
	if !reflect.DeepEqual(norm, want) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		in := ""
		if v.Input != nil {
			in = *v.Input
		}
		t.Errorf("%s (%s)\ninput: %q key: %q keys: %q\n got: %s\nwant: %s", v.ID, v.Source, in, v.Key, v.Keys, gj, wj)
	}
}
