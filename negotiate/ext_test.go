package negotiate

import "testing"

// TestExtTypeFastPath checks that the shorthands extType answers without
// the table answer what the table says, in every spelling it accepts.
func TestExtTypeFastPath(t *testing.T) {
	for _, name := range []string{"json", "html", "text", "txt", "xml"} {
		want := extTypes[name]
		if want == "" {
			t.Fatalf("%q is not in extTypes", name)
		}
		for _, spelling := range []string{name, "." + name, "file." + name, "FILE." + name} {
			if got := extType(spelling); got != want {
				t.Errorf("extType(%q) = %q, want %q", spelling, got, want)
			}
		}
	}
}

// TestParseOfferFastPath checks that the shorthands parseOffer answers
// without extType parse as the media types extType gives them.
func TestParseOfferFastPath(t *testing.T) {
	for _, name := range []string{"json", "html", "text", "txt", "xml"} {
		want, ok := parseMediaRange(extType(name))
		if !ok {
			t.Fatalf("%q: extType gives %q, which does not parse", name, extType(name))
		}
		if got, ok := parseOffer(name); !ok || got != want {
			t.Errorf("parseOffer(%q) = %+v, %v; want %+v", name, got, ok, want)
		}
	}
}
