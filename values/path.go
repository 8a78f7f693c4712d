package values

import "strings"

// Get returns the value at path in v and whether it is there, like lodash's
// get (which AdonisJS's request.input uses). A path is a key of v itself when
// v has that key ("a.b" when v holds the literal key "a.b"); otherwise it is
// split into keys at dots and brackets: "a.b.0", "a[0].b", "a[b]", `a["b.c"]`
// and `a['b']` (quoted keys may hold dots and brackets, with \ escaping).
// Keys walk maps (map[string]any) and arrays ([]any, by index "0", "1", ...);
// anything else, nil included, ends the walk and the path is missing. A
// present nil, "" or false is found: only a missing path reports false.
func Get(v map[string]any, path string) (any, bool) {
	if x, ok := v[path]; ok {
		return x, true
	}
	if !isDeepPath(path) {
		return nil, false
	}
	var cur any = v
	it := pathIter{p: path}
	n := 0
	for {
		key, ok := it.next()
		if !ok {
			break
		}
		n++
		if cur, ok = child(cur, key); !ok {
			return nil, false
		}
	}
	if n == 0 {
		return nil, false
	}
	return cur, true
}

// Pick returns a new map with only the given paths of v, like lodash's pick
// (AdonisJS's request.only): each path that Get finds is copied to the same
// place in the result, building the maps and arrays on the way, so
// Pick(v, "user.name") is {"user": {"name": ...}}. An array on the way stays
// an array, its other elements nil ("users.1" gives {"users": [nil, "b"]});
// a map stays a map even where lodash would build an array because the next
// key is a number.
// Missing paths are left out. The result shares no map or slice with v.
func Pick(v map[string]any, paths ...string) map[string]any {
	out := make(map[string]any, len(paths))
	for _, p := range paths {
		keys := splitPath(v, p)
		if len(keys) == 0 {
			continue
		}
		val, ok := getKeys(v, keys)
		if !ok {
			continue
		}
		k := keys[0]
		out[k] = setKeys(out[k], v[k], keys[1:], clone(val))
	}
	return out
}

// Omit returns a copy of v without the given paths, like lodash's omit
// (AdonisJS's request.except): a path names a map key, which is deleted, or
// an array element, which becomes nil so that the other elements keep their
// indexes. Paths are read as Get reads them; missing ones change nothing. The
// result shares no map or slice with v.
func Omit(v map[string]any, paths ...string) map[string]any {
	out := clone(v).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	for i := len(paths) - 1; i >= 0; i-- {
		keys := splitPath(v, paths[i])
		if len(keys) == 0 {
			continue
		}
		parent, ok := getKeys(out, keys[:len(keys)-1])
		if !ok {
			continue
		}
		last := keys[len(keys)-1]
		switch p := parent.(type) {
		case map[string]any:
			delete(p, last)
		case []any:
			if n, ok := sliceIndex(last, len(p)); ok {
				p[n] = nil
			}
		}
	}
	return out
}

// child is one step of a path walk.
func child(v any, key string) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		c, ok := x[key]
		return c, ok
	case []any:
		if n, ok := sliceIndex(key, len(x)); ok {
			return x[n], true
		}
	}
	return nil, false
}

// sliceIndex is key as an index of a slice of length n: written as
// JavaScript writes it (no sign, no leading zero) and in range.
func sliceIndex(key string, n int) (int, bool) {
	i, ok := jsIndex(key)
	if !ok || i >= int64(n) {
		return 0, false
	}
	return int(i), true
}

func getKeys(v any, keys []string) (any, bool) {
	if len(keys) == 0 {
		if m, ok := v.(map[string]any); ok {
			return m, true
		}
		return nil, false
	}
	cur := v
	for _, k := range keys {
		var ok bool
		if cur, ok = child(cur, k); !ok {
			return nil, false
		}
	}
	return cur, true
}

// setKeys puts val at keys below dst, whose counterpart in the source is src
// (a map or an array, which the new containers copy the kind of), and returns
// the new dst.
func setKeys(dst, src any, keys []string, val any) any {
	if len(keys) == 0 {
		return val
	}
	k := keys[0]
	switch s := src.(type) {
	case map[string]any:
		d, ok := dst.(map[string]any)
		if !ok {
			d = make(map[string]any, 1)
		}
		d[k] = setKeys(d[k], s[k], keys[1:], val)
		return d
	case []any:
		n, _ := sliceIndex(k, len(s)) // the path was found: k is an index of s
		d, _ := dst.([]any)
		for len(d) <= n {
			d = append(d, nil)
		}
		d[n] = setKeys(d[n], s[n], keys[1:], val)
		return d
	}
	return val
}

// clone copies maps and slices all the way down.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if x == nil {
			return x
		}
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = clone(e)
		}
		return m
	case []any:
		if x == nil {
			return x
		}
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = clone(e)
		}
		return a
	}
	return v
}

// splitPath is lodash's castPath: the path itself when v has it as a key or
// when it has no dot and no bracket group, else its keys.
func splitPath(v map[string]any, path string) []string {
	if _, ok := v[path]; ok || !isDeepPath(path) {
		return []string{path}
	}
	var keys []string
	it := pathIter{p: path}
	for {
		k, ok := it.next()
		if !ok {
			return keys
		}
		keys = append(keys, k)
	}
}

// isDeepPath reports whether lodash splits path (its reIsDeepProp): a dot,
// or a bracket group: "[" ... "]" with no bracket inside, or a quoted string
// in brackets.
func isDeepPath(p string) bool {
	if strings.IndexByte(p, '.') >= 0 {
		return true
	}
	for i := 0; i < len(p); i++ {
		if p[i] != '[' {
			continue
		}
		j := i + 1
		for j < len(p) && p[j] != '[' && p[j] != ']' {
			j++
		}
		if j < len(p) && p[j] == ']' {
			return true
		}
		if _, _, ok := quoted(p, i+1); ok {
			return true
		}
	}
	return false
}

// quoted matches a quoted key starting at p[i] and ending in "]": it returns
// the text between the quotes (escapes still in) and the index after "]".
// As in lodash's regular expression, the text may not hold its unescaped
// quote, and a backslash escapes any character but a line break.
func quoted(p string, i int) (string, int, bool) {
	if i >= len(p) || (p[i] != '"' && p[i] != '\'') {
		return "", 0, false
	}
	q := p[i]
	for j := i + 1; j < len(p); j++ {
		switch p[j] {
		case q:
			if j+1 < len(p) && p[j+1] == ']' {
				return p[i+1 : j], j + 2, true
			}
			return "", 0, false
		case '\\':
			if j+1 >= len(p) || lineBreakAt(p, j+1) {
				return "", 0, false
			}
			if p[j+1] >= 0x80 {
				j += utf8Len(p[j+1]) - 1
			}
			j++
		}
	}
	return "", 0, false
}

// lineBreakAt reports a JavaScript line terminator at p[i]: \n, \r, U+2028
// or U+2029 (what "." in a regular expression does not match).
func lineBreakAt(p string, i int) bool {
	switch p[i] {
	case '\n', '\r':
		return true
	case 0xE2:
		return i+2 < len(p) && p[i+1] == 0x80 && (p[i+2] == 0xA8 || p[i+2] == 0xA9)
	}
	return false
}

func utf8Len(b byte) int {
	switch {
	case b >= 0xF0:
		return 4
	case b >= 0xE0:
		return 3
	case b >= 0xC0:
		return 2
	}
	return 1
}

// unescape removes the backslashes of a quoted key: \\ is a backslash, \x
// is x.
func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			if i+1 < len(s) && s[i+1] == '\\' {
				b.WriteByte('\\')
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// pathIter yields the keys of a path as lodash's stringToPath does: runs of
// characters other than ".", "[" and "]"; a bracketed number ([0], [-1],
// [1.5]) or quoted string (["a.b"]); and an empty key where a "." or "[]"
// is followed by another, or ends the path ("a..b" is a, "", b). A leading
// "." adds an empty first key. Other brackets and dots are skipped.
type pathIter struct {
	p       string
	i       int
	started bool
}

func (it *pathIter) next() (string, bool) {
	p := it.p
	if !it.started {
		it.started = true
		if p != "" && p[0] == '.' {
			return "", true
		}
	}
	for it.i < len(p) {
		i := it.i
		c := p[i]
		if c != '.' && c != '[' && c != ']' {
			j := i + 1
			for j < len(p) && p[j] != '.' && p[j] != '[' && p[j] != ']' {
				j++
			}
			it.i = j
			return p[i:j], true
		}
		if c == '[' {
			if end := number(p, i+1); end > 0 {
				it.i = end + 1
				return p[i+1 : end], true
			}
			if s, end, ok := quoted(p, i+1); ok {
				it.i = end
				return unescape(s), true
			}
		}
		// An empty key where (\.|\[\]) is followed by (\.|\[\]|$).
		after := -1
		if c == '.' {
			after = i + 1
		} else if c == '[' && i+1 < len(p) && p[i+1] == ']' {
			after = i + 2
		}
		it.i = i + 1
		if after >= 0 && (after == len(p) || p[after] == '.' || (p[after] == '[' && after+1 < len(p) && p[after+1] == ']')) {
			return "", true
		}
	}
	return "", false
}

// number matches -?\d+(\.\d+)? at p[i] followed by "]" and returns the index
// of the "]", or -1.
func number(p string, i int) int {
	if i < len(p) && p[i] == '-' {
		i++
	}
	start := i
	for i < len(p) && p[i] >= '0' && p[i] <= '9' {
		i++
	}
	if i == start {
		return -1
	}
	if i < len(p) && p[i] == '.' {
		j := i + 1
		for j < len(p) && p[j] >= '0' && p[j] <= '9' {
			j++
		}
		if j > i+1 {
			i = j
		}
	}
	if i < len(p) && p[i] == ']' {
		return i
	}
	return -1
}
