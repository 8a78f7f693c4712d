package values

import "strconv"

// The nesting builder works on JavaScript-like values, as qs does, and
// finalize turns them into the result's Go values:
//
//	string, nil  a value (nil: an empty form value with emptyAsNil)
//	*jsArr       an array; may have holes until finalize drops them
//	*jsObj       an object; "over" marks qs's overflow objects (arrays that
//	             outgrew ArrayLimit), whose next pushed value goes at max+1
//	hole         a missing array element
type (
	hole  struct{}
	jsArr struct{ a []any }
	jsObj struct {
		m    map[string]any
		over bool
		max  int64
	}
)

func isContainer(v any) bool {
	switch v.(type) {
	case *jsArr, *jsObj:
		return true
	}
	return false
}

// falsy is JavaScript's !v for the values the builder holds.
func falsy(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	}
	return false
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// toObject is qs's arrayToObject: the array's elements under "0", "1", ...,
// holes left out.
func toObject(a []any) *jsObj {
	o := &jsObj{m: make(map[string]any, len(a))}
	for i, v := range a {
		if _, ok := v.(hole); !ok {
			o.m[itoa(int64(i))] = v
		}
	}
	return o
}

// overflow turns a (too long) element list into an overflow object.
func overflow(a []any) *jsObj {
	o := toObject(a)
	o.over = true
	o.max = int64(len(a) - 1)
	return o
}

// concat is JavaScript's [first].concat(v) (or [].concat(v) with first
// omitted): arrays are spread, holes kept, and a result longer than
// ArrayLimit becomes an overflow object.
func concat(first []any, v any) any {
	var a []any
	if src, ok := v.(*jsArr); ok {
		a = make([]any, 0, len(first)+len(src.a))
		a = append(a, first...)
		a = append(a, src.a...)
	} else {
		a = make([]any, 0, len(first)+1)
		a = append(a, first...)
		a = append(a, v)
	}
	if len(a) > ArrayLimit {
		return overflow(a)
	}
	return &jsArr{a: a}
}

// merge is qs's utils.merge with strictMerge (the 6.15 default): it merges
// source into target, changing target in place where it can, and returns the
// merged value. One difference, so that no array outgrows ArrayLimit: where
// qs pushes onto an array without looking at its length, merge turns the
// array into an overflow object once it would pass ArrayLimit elements.
func merge(target, source any) any {
	if falsy(source) {
		return target // qs: if (!source) return target
	}
	if s, ok := source.(string); ok {
		switch t := target.(type) {
		case *jsArr:
			if len(t.a) >= ArrayLimit {
				return overflow(append(t.a, s))
			}
			t.a = append(t.a, s)
			return t
		case *jsObj:
			if t.over {
				t.max++
				t.m[itoa(t.max)] = s
				return t
			}
			return &jsArr{a: []any{t, s}} // strictMerge: object and value side by side
		default:
			return &jsArr{a: []any{target, s}}
		}
	}

	// source is an array or an object.
	switch t := target.(type) {
	case *jsArr:
		if s, ok := source.(*jsArr); ok {
			return mergeArrays(t, s)
		}
		return mergeInto(toObject(t.a), source)
	case *jsObj:
		return mergeInto(t, source)
	}

	// target is a value (or "" or nil).
	if s, ok := source.(*jsObj); ok && s.over {
		o := &jsObj{m: make(map[string]any, len(s.m)+1), over: true, max: s.max + 1}
		o.m["0"] = target
		for k, v := range s.m {
			if n, ok := jsIndex(k); ok {
				k = itoa(n + 1)
			}
			o.m[k] = v
		}
		return o
	}
	return concat([]any{target}, source)
}

// mergeArrays merges array s into array t element by element: a hole or
// missing element of t takes s's, two containers merge, and otherwise s's
// element is pushed.
func mergeArrays(t, s *jsArr) any {
	var o *jsObj // t, once it has outgrown ArrayLimit
	for i, item := range s.a {
		if _, ok := item.(hole); ok {
			continue
		}
		if o != nil {
			k := itoa(int64(i))
			if cur, ok := o.m[k]; ok {
				if isContainer(cur) && isContainer(item) {
					o.m[k] = merge(cur, item)
				} else {
					o.max++
					o.m[itoa(o.max)] = item
				}
			} else {
				o.m[k] = item
				if int64(i) > o.max {
					o.max = int64(i)
				}
			}
			continue
		}
		if i < len(t.a) {
			cur := t.a[i]
			if _, ok := cur.(hole); ok {
				t.a[i] = item
				continue
			}
			if isContainer(cur) && isContainer(item) {
				t.a[i] = merge(cur, item)
				continue
			}
			if len(t.a) >= ArrayLimit {
				o = overflow(append(t.a, item))
				continue
			}
			t.a = append(t.a, item)
			continue
		}
		for len(t.a) < i {
			t.a = append(t.a, hole{})
		}
		t.a = append(t.a, item)
	}
	if o != nil {
		return o
	}
	return t
}

// mergeInto merges an object or array source into object acc, key by key.
func mergeInto(acc *jsObj, source any) *jsObj {
	put := func(k string, v any) {
		if cur, ok := acc.m[k]; ok {
			acc.m[k] = merge(cur, v)
		} else {
			acc.m[k] = v
		}
	}
	switch s := source.(type) {
	case *jsObj:
		for k, v := range s.m {
			put(k, v)
		}
		if len(s.m) == 0 {
			return acc
		}
		if s.over && !acc.over {
			acc.over, acc.max = true, s.max
		}
		if acc.over {
			for k := range s.m {
				if n, ok := jsIndex(k); ok && n > acc.max {
					acc.max = n
				}
			}
		}
	case *jsArr:
		for i, v := range s.a {
			if _, ok := v.(hole); ok {
				continue
			}
			put(itoa(int64(i)), v)
			if acc.over && int64(i) > acc.max {
				acc.max = int64(i)
			}
		}
	}
	return acc
}

// finalize turns builder values into result values: objects become their
// maps, arrays drop their holes (qs's compact).
func finalize(v any) any {
	switch x := v.(type) {
	case *jsObj:
		for k, e := range x.m {
			if isContainer(e) {
				x.m[k] = finalize(e)
			}
		}
		return x.m
	case *jsArr:
		out := make([]any, 0, len(x.a))
		for _, e := range x.a {
			if _, ok := e.(hole); ok {
				continue
			}
			out = append(out, finalize(e))
		}
		return out
	}
	return v
}
