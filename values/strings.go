package values

// Strings returns the strings that a parsed value holds, for binding a
// []string (or, through its first element, a scalar) field: a string is one
// string; a []any whose elements are all strings or nil is those strings, nil
// as ""; anything else (a map, an array holding maps or arrays, nil, or a
// value of another type) is nil. The binder reads query and form fields
// through Strings, so a `query:"tags"` []string field holds exactly what
// Strings(qs["tags"]) returns for the map ParseQuery gave.
//
// A key repeated more than ArrayLimit times parses as a map keyed "0", "1",
// ... (as qs does), for which Strings returns nil.
func Strings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			switch s := e.(type) {
			case string:
				out[i] = s
			case nil:
			default:
				return nil
			}
		}
		return out
	}
	return nil
}
