//go:build race

package kaito_test

// raceEnabled reports whether the race detector is on: it changes what
// allocates (sync.Pool drops items on purpose), so allocation counts are
// checked without it.
const raceEnabled = true
