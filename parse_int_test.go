package kaito

import (
	"strconv"
	"testing"
)

// checkParseInts compares parseInt and parseUint with strconv for s at
// every size, values and errors alike.
func checkParseInts(t *testing.T, s string) {
	t.Helper()
	for _, bits := range []int{8, 16, 32, 64} {
		n, err := parseInt(s, bits)
		wn, werr := strconv.ParseInt(s, 10, bits)
		if n != wn || (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
			t.Errorf("parseInt(%q, %d) = %d, %v; strconv says %d, %v", s, bits, n, err, wn, werr)
		}
		u, err := parseUint(s, bits)
		wu, werr := strconv.ParseUint(s, 10, bits)
		if u != wu || (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
			t.Errorf("parseUint(%q, %d) = %d, %v; strconv says %d, %v", s, bits, u, err, wu, werr)
		}
	}
}

func TestParseIntsAgreeWithStrconv(t *testing.T) {
	for _, s := range []string{
		"", "0", "-0", "+0", "7", "-7", "+7", "42", "127", "128", "-128", "-129", "255", "256",
		"32767", "32768", "-32769", "65535", "65536", "2147483647", "2147483648", "-2147483649",
		"4294967295", "4294967296", "999999999999999999", "-999999999999999999",
		"1000000000000000000", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "18446744073709551615", "18446744073709551616", "00000000000000000000042",
		"-", "+", "--1", "+-1", "1-", "1 ", " 1", "0x10", "1_000", "1e3", "1.0", "٣", "\x00", "9\xff",
	} {
		checkParseInts(t, s)
	}
}

func FuzzParseInts(f *testing.F) {
	for _, s := range []string{"42", "-128", "18446744073709551615", "+1", "1_0"} {
		f.Add(s)
	}
	f.Fuzz(checkParseInts)
}
