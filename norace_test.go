//go:build !race

package kaito_test

const raceEnabled = false
