package reconcile

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// levenshtein is the plain edit distance, to check withinEdits against.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// TestWithinEdits: the banded distance answers as the plain one for every
// bound, on random words from a small alphabet (many near misses).
func TestWithinEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() []rune {
		r := make([]rune, rng.IntN(12))
		for i := range r {
			r[i] = []rune("abcæø")[rng.IntN(5)]
		}
		return r
	}
	for range 20000 {
		a, b := word(), word()
		d := levenshtein(a, b)
		for k := 0; k <= 6; k++ {
			if got, want := withinEdits(a, b, k), d <= k; got != want {
				t.Fatalf("withinEdits(%q, %q, %d) = %v, want %v (distance %d)", string(a), string(b), k, got, want, d)
			}
		}
	}
}

// TestFoldedWords_bounded: a paragraph-long title is compared by its first
// words only, so that a hostile sheet of such titles cannot make the guard
// quadratic in their length (BenchmarkSimilarTitle_long measures it).
func TestFoldedWords_bounded(t *testing.T) {
	got := foldedWords(foldTitle(longTitle("ord", 6000)))
	if len(got) != maxTitleWords || got[0] != "ord" {
		t.Errorf("foldedWords of a 6,000-word title: %d words from %q, want the first %d", len(got), got[0], maxTitleWords)
	}
	if got := titleWords(longTitle("ord", 6000)); len(got) != maxTitleWords {
		t.Errorf("titleWords of a 6,000-word title: %d words, want the first %d", len(got), maxTitleWords)
	}
	if got := foldedWords("kick off og test i kommunen"); strings.Join(got, " ") != "kick off test kommunen" {
		t.Errorf("foldedWords = %q, want the small words left out", got)
	}
}

func longTitle(word string, n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(word)
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(" ")
	}
	return b.String()
}

// BenchmarkSimilarTitle_long compares two unrelated 6,000-word titles.
func BenchmarkSimilarTitle_long(b *testing.B) {
	x, y := longTitle("ord", 6000), longTitle("tekst", 6000)
	for range b.N {
		if SimilarTitle(x, y) {
			b.Fatal("unrelated titles similar")
		}
	}
}

// BenchmarkSameTitle_long is Match's renamed-in-place test on two
// unrelated 6,000-word titles (a description pasted into the title column).
func BenchmarkSameTitle_long(b *testing.B) {
	x, y := longTitle("ord", 6000), longTitle("tekst", 6000)
	for range b.N {
		if SameTitle(x, y) {
			b.Fatal("unrelated titles the same")
		}
	}
}
