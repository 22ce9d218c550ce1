//go:build !race

package parse_test

// raceDetector: see race_on_test.go.
const raceDetector = false
