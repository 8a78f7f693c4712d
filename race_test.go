//go:build race

package kaito_test

// raceEnabled: under the race detector sync.Pool drops what it holds at
// random, so that pooled values (regexp's matchers) are allocated again.
const raceEnabled = true
