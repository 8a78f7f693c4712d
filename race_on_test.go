//go:build race

package kaito_test

// raceEnabled is set under the race detector, where sync.Pool drops a
// share of what is put back (to shake out reuse bugs), so that allocation
// counts of pooled code are not the program's.
const raceEnabled = true
