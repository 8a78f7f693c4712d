package values

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The fixed limits of ParseQuery and ParseForm. They are AdonisJS's query-string
// options, which are also the defaults of the qs library.
const (
	// Depth is the number of bracket groups after the first name that nest:
	// a[b][c][d][e][f] is five levels; anything after the fifth group is kept
	// as one literal key ("[g][h]" in a[b][c][d][e][f][g][h]).
	Depth = 5

	// ArrayLimit bounds arrays: an index of ArrayLimit or more (a[20]) is an
	// ordinary map key, and an array that would grow past ArrayLimit
	// elements (a 21st a[] or repeated key) becomes a map keyed "0", "1", ...
	// No []any in a parsed result is ever longer than ArrayLimit.
	ArrayLimit = 20

	// ParameterLimit is the largest number of non-empty "&"-separated
	// parameters accepted; more is ErrTooManyParameters.
	ParameterLimit = 1000
)

// ErrTooManyParameters is returned by ParseQuery and ParseForm when the input
// holds more than ParameterLimit parameters. Test for it with errors.Is: the
// router answers it with 400 Bad Request for a query string and with
// 413 Content Too Large for a form body.
var ErrTooManyParameters = errors.New("too many parameters (the limit is " + strconv.Itoa(ParameterLimit) + ")")

// ParseQuery parses a URL query string (without its leading "?") into nested
// values the way AdonisJS's request.qs() does, except that commas are never
// split: a[b]=c makes a map, a[]=1 and a[0]=1 make arrays, repeated keys make
// an array, nesting stops at Depth. Each value in the result is a string, a
// []any, or a map[string]any. Malformed percent-escapes never fail: the text
// they are in is kept as it was (with "+" still decoded as a space). The only
// error is ErrTooManyParameters.
func ParseQuery(raw string) (map[string]any, error) {
	return parse(raw, false, false)
}

// ParseForm parses an application/x-www-form-urlencoded body like ParseQuery
// and also accepts dotted keys: a.b=c is a[b]=c, user[0].name=x is
// user[0][name]=x. With emptyAsNil, an empty value (a=) is nil instead of "",
// as AdonisJS's convertEmptyStringsToNull does; a bare key with no "=" (a)
// stays "" either way. The only error is ErrTooManyParameters.
func ParseForm(raw string, emptyAsNil bool) (map[string]any, error) {
	return parse(raw, true, emptyAsNil)
}

// leaf is one decoded value: a string or, for a=/emptyAsNil, null.
type leaf struct {
	s    string
	null bool
}

func (l leaf) value() any {
	if l.null {
		return nil
	}
	return l.s
}

// entry is one distinct decoded key and its values in order (qs's first pass,
// which combines repeated keys before any nesting is built).
type entry struct {
	key  string
	one  leaf
	many []leaf // all values, one included, once the key repeats
}

func (e *entry) add(l leaf) {
	if e.many == nil {
		e.many = make([]leaf, 1, 4)
		e.many[0] = e.one
	}
	e.many = append(e.many, l)
}

// final is the entry's value in the result when its key has no nesting.
func (e *entry) final() any {
	switch n := len(e.many); {
	case n == 0:
		return e.one.value()
	case n <= ArrayLimit:
		a := make([]any, n)
		for i, l := range e.many {
			a[i] = l.value()
		}
		return a
	default:
		m := make(map[string]any, n)
		for i, l := range e.many {
			m[strconv.Itoa(i)] = l.value()
		}
		return m
	}
}

// node is the entry's value as a leaf of the nesting builder.
func (e *entry) node() any {
	switch n := len(e.many); {
	case n == 0:
		return e.one.value()
	case n <= ArrayLimit:
		a := make([]any, n)
		for i, l := range e.many {
			a[i] = l.value()
		}
		return &jsArr{a: a}
	default:
		o := &jsObj{m: make(map[string]any, n), over: true, max: int64(n - 1)}
		for i, l := range e.many {
			o.m[strconv.Itoa(i)] = l.value()
		}
		return o
	}
}

// linearKeys is how many distinct keys are looked up by a linear scan before
// an index map is built.
const linearKeys = 8

func parse(raw string, dots, emptyAsNil bool) (map[string]any, error) {
	if raw == "" {
		return map[string]any{}, nil
	}
	// qs turns %5B and %5D into brackets in the whole string before anything
	// else, so that a%5Bb%5D=c nests and a%5D=b splits at "]=".
	if hasEncodedBracket(raw) {
		raw = replaceEncodedBrackets(raw)
	}

	var buf [16]entry
	entries := buf[:0]
	var index map[string]int
	simple := true
	count := 0
	for rest := raw; ; {
		part := rest
		amp := strings.IndexByte(rest, '&')
		if amp >= 0 {
			part = rest[:amp]
			rest = rest[amp+1:]
		}
		if part != "" {
			count++
			if count > ParameterLimit {
				return nil, ErrTooManyParameters
			}
			// The key ends at the first "]=" if there is one (so that a
			// bracketed key may hold "="), else at the first "=".
			pos := strings.Index(part, "]=")
			if pos >= 0 {
				pos++
			} else {
				pos = strings.IndexByte(part, '=')
			}
			var key string
			var l leaf
			if pos < 0 {
				key = decode(part) // a bare key is "" even with emptyAsNil
			} else {
				key = decode(part[:pos])
				l.s = decode(part[pos+1:])
				l.null = emptyAsNil && l.s == ""
			}
			if key != "" {
				at := -1
				if index != nil {
					if i, ok := index[key]; ok {
						at = i
					}
				} else {
					for i := range entries {
						if entries[i].key == key {
							at = i
							break
						}
					}
				}
				if at >= 0 {
					entries[at].add(l)
				} else {
					if simple && (strings.IndexByte(key, '[') >= 0 || dots && strings.IndexByte(key, '.') >= 0) {
						simple = false
					}
					entries = append(entries, entry{key: key, one: l})
					if index != nil {
						index[key] = len(entries) - 1
					} else if len(entries) > linearKeys {
						index = make(map[string]int, 2*len(entries))
						for i := range entries {
							index[entries[i].key] = i
						}
					}
				}
			}
		}
		if amp < 0 {
			break
		}
	}

	if simple {
		// No key nests, and each key is distinct: nothing to merge.
		out := make(map[string]any, len(entries))
		for i := range entries {
			out[entries[i].key] = entries[i].final()
		}
		return out, nil
	}
	return build(entries, dots), nil
}

// build nests and merges the entries as qs does in its second pass.
func build(entries []entry, dots bool) map[string]any {
	// qs walks its first-pass object with Object.keys: keys that are array
	// indexes ("0", "7") come first in numeric order, then the others in the
	// order they first appeared. The order decides how arrays fill up.
	order := make([]int, 0, len(entries))
	for i := range entries {
		if _, ok := arrayIndexKey(entries[i].key); ok {
			order = append(order, i)
		}
	}
	if len(order) > 1 {
		sort.SliceStable(order, func(a, b int) bool {
			x, _ := arrayIndexKey(entries[order[a]].key)
			y, _ := arrayIndexKey(entries[order[b]].key)
			return x < y
		})
	}
	for i := range entries {
		if _, ok := arrayIndexKey(entries[i].key); !ok {
			order = append(order, i)
		}
	}

	root := &jsObj{m: make(map[string]any, len(entries))}
	var segBuf [Depth + 2]segment
	for _, i := range order {
		key := entries[i].key
		if dots {
			key = dotsToBrackets(key)
		}
		segs := splitKey(key, segBuf[:0])
		merge(root, chain(segs, entries[i].node()))
	}
	return finalize(root).(map[string]any)
}

// segment is one step of a key: the parent name, a bracket group, or the
// remainder past Depth.
type segment struct {
	name      string // without the brackets
	bracketed bool   // written in brackets: only then can it be an index
	push      bool   // exactly "[]"
}

// splitKey splits a key into segments as qs 6.15 does: the text before the
// first "[", then up to Depth balanced bracket groups (a[b[]] has the one
// group "b[]"), then the rest as one literal name. Text between or after
// groups is dropped (a[b]c is a[b]); an unterminated group makes the rest of
// the key one name, its "[" included (a[b is a, "[b").
func splitKey(key string, segs []segment) []segment {
	first := strings.IndexByte(key, '[')
	if first < 0 {
		return append(segs, segment{name: key})
	}
	if first > 0 {
		segs = append(segs, segment{name: key[:first]})
	}
	open := first
	for collected := 0; open >= 0 && collected < Depth; collected++ {
		level, end := 1, -1
		for i := open + 1; i < len(key) && end < 0; i++ {
			switch key[i] {
			case '[':
				level++
			case ']':
				level--
				if level == 0 {
					end = i
				}
			}
		}
		if end < 0 {
			return append(segs, segment{name: key[open:], bracketed: true})
		}
		name := key[open+1 : end]
		segs = append(segs, segment{name: name, bracketed: true, push: name == ""})
		next := strings.IndexByte(key[end+1:], '[')
		if next < 0 {
			open = -1
		} else {
			open = end + 1 + next
		}
	}
	if open >= 0 {
		segs = append(segs, segment{name: key[open:], bracketed: true})
	}
	return segs
}

// chain builds the value of one key from the innermost segment outwards
// (qs's parseObject).
func chain(segs []segment, leaf any) any {
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if s.push {
			if o, ok := leaf.(*jsObj); ok && o.over {
				continue // already an overflow map: kept as it is
			}
			leaf = concat(nil, leaf)
			continue
		}
		if s.bracketed {
			if n, ok := jsIndex(s.name); ok {
				if n < ArrayLimit {
					a := make([]any, n+1)
					for j := range a[:n] {
						a[j] = hole{}
					}
					a[n] = leaf
					leaf = &jsArr{a: a}
				} else {
					leaf = &jsObj{m: map[string]any{s.name: leaf}, over: true, max: n}
				}
				continue
			}
		}
		leaf = &jsObj{m: map[string]any{s.name: leaf}}
	}
	return leaf
}

// dotsToBrackets rewrites dotted names as brackets, like qs's allowDots:
// every "." followed by characters other than "." and "[" becomes a bracket
// group around those characters (a.b.c is a[b][c], a.b[c] is a[b][c]; a..b
// is a.[b]).
func dotsToBrackets(k string) string {
	if strings.IndexByte(k, '.') < 0 {
		return k
	}
	var b strings.Builder
	b.Grow(len(k) + 8)
	for i := 0; i < len(k); {
		if k[i] == '.' {
			j := i + 1
			for j < len(k) && k[j] != '.' && k[j] != '[' {
				j++
			}
			if j > i+1 {
				b.WriteByte('[')
				b.WriteString(k[i+1 : j])
				b.WriteByte(']')
				i = j
				continue
			}
		}
		b.WriteByte(k[i])
		i++
	}
	return b.String()
}

// jsIndex reports whether s is how JavaScript writes a non-negative integer
// (no sign, no leading zero) and returns it. Numbers above 2^53 are not
// treated as indexes.
func jsIndex(s string) (int64, bool) {
	if s == "" || len(s) > 16 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if n > 1<<53 {
		return 0, false
	}
	return n, true
}

// arrayIndexKey reports whether s is an array-index property name in
// JavaScript (0 to 2^32-2), the keys that Object.keys lists first.
func arrayIndexKey(s string) (int64, bool) {
	n, ok := jsIndex(s)
	return n, ok && n <= 1<<32-2
}

func hasEncodedBracket(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0 && i+2 < len(s); {
		if s[i+1] == '5' {
			switch s[i+2] {
			case 'b', 'B', 'd', 'D':
				return true
			}
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

func replaceEncodedBrackets(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && s[i+1] == '5' {
			switch s[i+2] {
			case 'b', 'B':
				b = append(b, '[')
				i += 2
				continue
			case 'd', 'D':
				b = append(b, ']')
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

// decode turns "+" into a space and decodes percent-escapes, like qs's
// decoder (decodeURIComponent). When any escape is malformed (not two hex
// digits) or a run of escapes is not valid UTF-8, decodeURIComponent throws
// and qs keeps the text: so does decode, with only "+" replaced.
func decode(s string) string {
	i := 0
	for i < len(s) && s[i] != '%' && s[i] != '+' {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
			i++
		case '%':
			start := len(b)
			for i < len(s) && s[i] == '%' {
				if i+2 >= len(s) {
					return plusToSpace(s)
				}
				hi, ok1 := unhex(s[i+1])
				lo, ok2 := unhex(s[i+2])
				if !ok1 || !ok2 {
					return plusToSpace(s)
				}
				b = append(b, hi<<4|lo)
				i += 3
			}
			if !utf8.Valid(b[start:]) {
				return plusToSpace(s)
			}
		default:
			b = append(b, c)
			i++
		}
	}
	return string(b)
}

func plusToSpace(s string) string {
	return strings.ReplaceAll(s, "+", " ")
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
