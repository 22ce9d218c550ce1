//go:build race

package parse_test

// raceDetector says the tests run under the race detector, where reading
// the largest hostile files takes minutes (the other run reads them).
const raceDetector = true
