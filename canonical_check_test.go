package kaito

import (
	"strings"
	"testing"
)

// canonicalReference is the definition canonicalPath implements, written
// plainly: a leading '/', and no "//", "/./", "/../" or trailing "/." or "/..".
func canonicalReference(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	return !strings.Contains(p, "//") && !strings.Contains(p, "/./") && !strings.Contains(p, "/../") &&
		!strings.HasSuffix(p, "/.") && !strings.HasSuffix(p, "/..")
}

// TestCanonicalPathWordAtATime puts each kind of bad pair at every offset of
// paths of every length around the eight-byte steps, so that each lane of
// the word-at-a-time scan and the tail after it are tried.
func TestCanonicalPathWordAtATime(t *testing.T) {
	bad := []string{"//", "/./", "/../", "/.", "/.."}
	good := []string{"/.a", "/..a", "/...", "/a.", "/a..", ".", "..", "/x/", "/"}
	for n := 1; n <= 40; n++ {
		base := "/" + strings.Repeat("a", n-1)
		if !canonicalPath(base) {
			t.Fatalf("%q: not canonical", base)
		}
		for at := 0; at <= len(base); at++ {
			for _, ins := range append(bad, good...) {
				p := base[:at] + ins + base[at:]
				if got, want := canonicalPath(p), canonicalReference(p); got != want {
					t.Errorf("canonicalPath(%q) = %v, want %v", p, got, want)
				}
			}
		}
	}
}

// FuzzCanonicalPathCheck compares canonicalPath with its plain definition.
func FuzzCanonicalPathCheck(f *testing.F) {
	for _, p := range []string{"/", "/users/42", "/a/b/c/d/e/f/g/h//", "/.well-known/acme/x", "/aaaaaaa/.", "/aaaaaaaa/..", "/\xaf/\xae"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if got, want := canonicalPath(p), canonicalReference(p); got != want {
			t.Fatalf("canonicalPath(%q) = %v, want %v", p, got, want)
		}
	})
}
