package fasthttp

import (
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

// TestNormalized checks the test that lets a header name skip fasthttp's
// normalization against that normalization: a name passes exactly when
// fasthttp stores it unchanged.
func TestNormalized(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"X-Forwarded-For", true},
		{"Accept", true},
		{"Accept-Language", true},
		{"X-Real-Ip", true},
		{"Cf-Connecting-Ip", true},
		{"X_real_ip", true},
		{"X-1a", true},
		{"-A", true},
		{"A--B", true},
		{"x-forwarded-for", false},
		{"X-Real-IP", false},
		{"X-FORWARDED-FOR", false},
		{"Accept-language", false},
		{"accept", false},
		{"X-1A", false},
		{"X-Forwarded-For ", false},
		{"X Forwarded", false},
		{"X-Forwarded\r\n", false},
		{"X-Forwarded\x00", false},
	}
	for _, tt := range tests {
		if got := normalized(tt.name); got != tt.want {
			t.Errorf("normalized(%q) = %v, want %v", tt.name, got, tt.want)
		}
		if strings.ContainsAny(tt.name, " \r\n\x00") {
			continue // fasthttp does not normalize a name it finds invalid
		}
		var h fasthttp.RequestHeader
		h.Set(tt.name, "v")
		if keys := h.PeekKeys(); len(keys) != 1 || (string(keys[0]) == tt.name) != tt.want {
			t.Errorf("fasthttp stores %q as %q", tt.name, keys)
		}
	}
}
