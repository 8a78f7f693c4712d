package kaito

import "strconv"

// parseInt is strconv.ParseInt(s, 10, bits) with a short way for the
// common case, a path or query value of a few digits: strconv's general
// parser costs several times more. Anything the short way does not take
// (more than 18 digits, a value out of range, a stray byte) goes to
// strconv, so results and errors are strconv's.
func parseInt(s string, bits int) (int64, error) {
	if n, ok := smallDecimal(s, true); ok && fitsInt(n, bits) {
		return n, nil
	}
	return strconv.ParseInt(s, 10, bits)
}

// parseUint is strconv.ParseUint(s, 10, bits), as parseInt is ParseInt.
func parseUint(s string, bits int) (uint64, error) {
	if n, ok := smallDecimal(s, false); ok && n>>(bits-1)>>1 == 0 {
		return uint64(n), nil
	}
	return strconv.ParseUint(s, 10, bits)
}

// smallDecimal reads 1 to 18 decimal digits, with a sign if signed, which
// always fit an int64. It reports false for anything else.
func smallDecimal(s string, signed bool) (int64, bool) {
	neg := false
	if signed && len(s) > 1 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int64(d)
	}
	if neg {
		n = -n
	}
	return n, true
}

// fitsInt reports whether n fits a signed integer of the given bits.
func fitsInt(n int64, bits int) bool {
	shift := 64 - uint(bits)
	return n<<shift>>shift == n
}
