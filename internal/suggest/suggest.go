// Package suggest finds the word a person most likely meant among the
// words a program knows: a command, a configuration key.
package suggest

import "strings"

// Closest returns the known word nearest to word when it is a likely typo
// (at most two edits, a swap of two neighbouring letters counting as one,
// and at most a third of the word), or "". Case is ignored.
func Closest(word string, known []string) string {
	w := strings.ToLower(word)
	best, bestD := "", 3
	for _, k := range known {
		if d := Distance(w, strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	if bestD*3 > len([]rune(w))+1 {
		return ""
	}
	return best
}

// Distance is the number of edits (a letter inserted, deleted or changed,
// or two neighbouring letters swapped) that turn a into b: the optimal
// string alignment distance.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between ra[:i] and rb[:j]; three rows kept.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
