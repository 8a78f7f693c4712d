// Package values parses query strings and urlencoded form bodies into nested
// values, and looks values up by path: the parsing behind AdonisJS's
// request.qs() and body parser, and the look-ups behind request.input(),
// only() and except().
//
// ParseQuery and ParseForm follow the qs library (version 6.15.3) with the
// options AdonisJS uses: depth 5, arrayLimit 20, parameterLimit 1000, and,
// for forms, dotted keys. Unlike AdonisJS's query-string config, commas are
// never split. A parsed value is a string, a []any, a map[string]any, or nil
// (an empty form value with emptyAsNil):
//
//	input                      ParseQuery                        ParseForm(input, true)
//	a=1                        {"a": "1"}                        {"a": "1"}
//	a                          {"a": ""}                         {"a": ""}
//	a=                         {"a": ""}                         {"a": nil}
//	a=b+c%21                   {"a": "b c!"}                     {"a": "b c!"}
//	a=%ZZ                      {"a": "%ZZ"} (bad escape kept)    {"a": "%ZZ"}
//	a=1,2                      {"a": "1,2"}                      {"a": "1,2"}
//	a=1&a=2                    {"a": ["1", "2"]}                 {"a": ["1", "2"]}
//	a[]=1&a[]=2                {"a": ["1", "2"]}                 {"a": ["1", "2"]}
//	a[1]=y&a[0]=x              {"a": ["x", "y"]}                 {"a": ["x", "y"]}
//	a[0]=x&a[5]=y              {"a": ["x", "y"]} (compacted)     {"a": ["x", "y"]}
//	a[20]=x                    {"a": {"20": "x"}}                {"a": {"20": "x"}}
//	a[b]=c                     {"a": {"b": "c"}}                 {"a": {"b": "c"}}
//	a%5Bb%5D=c                 {"a": {"b": "c"}}                 {"a": {"b": "c"}}
//	a.b=c                      {"a.b": "c"}                      {"a": {"b": "c"}}
//	user[0].name=x             {"user": ["x"]} (*)               {"user": [{"name": "x"}]}
//	a[]=1&a[x]=2               {"a": {"0": "1", "x": "2"}}       {"a": {"0": "1", "x": "2"}}
//	a=1&a[b]=2                 {"a": ["1", {"b": "2"}]}          {"a": ["1", {"b": "2"}]}
//	a[b][c][d][e][f][g]=x      {"a": {"b": {"c": {"d": {"e": {"f": {"[g]": "x"}}}}}}} (both)
//	__proto__[x]=1             {"__proto__": {"x": "1"}}         {"__proto__": {"x": "1"}}
//
// (*) Text after the last bracket group is dropped, as qs does (a[b]c=1 is
// {"a": {"b": "1"}}); only ParseForm reads the dots.
//
// The limits are fixed (Depth, ArrayLimit, ParameterLimit). Bracket groups
// past the fifth are kept as one literal key. An index of 20 or more is a map
// key, and an array that would grow past 20 elements (a 21st a[] or repeated
// key) becomes a map keyed "0", "1", ..., so no []any in a result is longer
// than 20. Keys named like JavaScript prototype properties (__proto__,
// constructor, hasOwnProperty ...) are ordinary keys: Go maps have no
// prototype.
//
// More than 1000 parameters is ErrTooManyParameters. The router answers it
// with 400 Bad Request for a query string and with 413 Content Too Large for
// a form body, as it does for any other body over its limits.
//
// Get, Pick and Omit read paths the way lodash's get, pick and omit do:
// "a.b.0", "a[0].b", `a["b.c"]`, with a key of the map that equals the whole
// path ("a.b") taking precedence. Strings turns a parsed value into the
// strings that the router's binder puts in a []string field.
package values
