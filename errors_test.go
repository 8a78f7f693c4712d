package kaito

import (
	"strings"
	"testing"
)

func TestQuoteInput(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", `""`},
		{"abc", `"abc"`},
		{strings.Repeat("a", 256), `"` + strings.Repeat("a", 256) + `"`},
		{strings.Repeat("a", 257), `"` + strings.Repeat("a", 256) + `"…`},
		{strings.Repeat("\x00", 64), `"` + strings.Repeat(`\x00`, 64) + `"`},
		{strings.Repeat("\x00", 65), `"` + strings.Repeat(`\x00`, 64) + `"…`},
		// Cut at a character, never inside one or inside an escape.
		{strings.Repeat("a", 255) + "é", `"` + strings.Repeat("a", 255) + `"…`},
		{strings.Repeat("a", 254) + "éx", `"` + strings.Repeat("a", 254) + `é"…`},
		{strings.Repeat("a", 254) + "\xff", `"` + strings.Repeat("a", 254) + `"…`},
	}
	for _, tc := range cases {
		if got := quoteInput(tc.in); got != tc.want {
			t.Errorf("quoteInput(%.40q...) = %.300s, want %.300s", tc.in, got, tc.want)
		}
	}
}

func TestCutInput(t *testing.T) {
	cases := []struct{ in, want string }{
		{"abc", "abc"},
		{strings.Repeat("a", 256), strings.Repeat("a", 256)},
		{strings.Repeat("a", 257), strings.Repeat("a", 256) + "…"},
		{strings.Repeat("a", 255) + "éé", strings.Repeat("a", 255) + "…"},
	}
	for _, tc := range cases {
		if got := cutInput(tc.in); got != tc.want {
			t.Errorf("cutInput(%.40q...) = %.300q, want %.300q", tc.in, got, tc.want)
		}
	}
}
