package syncer

import (
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Copies: shares fill up with copies of plans ("… - Kopi.xlsx", "… (1).xlsx",
// "backup/…"). Files matching an ignore pattern are never read; when several
// files still claim one plan, a prefer pattern may pick the one read.

// MatchPattern reports whether pattern matches s: * is any run of
// characters (slashes too), ? one character, letters in any case.
func MatchPattern(pattern, s string) bool {
	return globMatch(strings.ToLower(pattern), strings.ToLower(s))
}

func globMatch(p, s string) bool {
	// Iterative matching with one backtrack point: linear in practice.
	var starP, starS = -1, 0
	i, j := 0, 0
	for j < len(s) {
		switch {
		case i < len(p) && p[i] == '*':
			starP, starS = i, j
			i++
		case i < len(p) && p[i] == '?':
			_, n := utf8.DecodeRuneInString(s[j:])
			i, j = i+1, j+n
		case i < len(p) && p[i] == s[j]:
			i, j = i+1, j+1
		case starP >= 0:
			_, n := utf8.DecodeRuneInString(s[starS:])
			starS += n
			i, j = starP+1, starS
		default:
			return false
		}
	}
	for i < len(p) && p[i] == '*' {
		i++
	}
	return i == len(p)
}

// matchesAny returns the first pattern matching the name or the path.
func matchesAny(patterns []string, name, path string) (string, bool) {
	for _, p := range patterns {
		if MatchPattern(p, name) || (path != "" && MatchPattern(p, path)) {
			return p, true
		}
	}
	return "", false
}

// relPath is a document's path within its source's location, so that a
// pattern such as *backup* looks at the folders below the source, not at the
// share's own name. Documents that are not below it (a glob, a Google
// source) have only their name.
func relPath(location, key string) string {
	if location == "" || !strings.HasPrefix(key, location) {
		return ""
	}
	rel := strings.TrimLeft(key[len(location):], `/\`)
	return filepath.ToSlash(rel)
}
