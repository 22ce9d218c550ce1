package model

import (
	"fmt"
	"regexp"
	"strings"
)

// SharedFileReason is why a plan is not changed when one file of it is
// read by more than one source (their paths or globs overlap), in English
// as the store keeps a conflict's reason: no copy to move, but a
// configuration to correct.
func SharedFileReason(file string, sources []string) string {
	return fmt.Sprintf("the file %s is read by more than one source (%s): the plan is not changed until only one of them reads it (narrow the others' path or glob so that they leave it out)",
		file, strings.Join(sources, ", "))
}

var sharedFileRe = regexp.MustCompile(`^the file (.+) is read by more than one source \((.+)\): the plan is not changed until only one of them reads it \(narrow the others' path or glob so that they leave it out\)$`)

// SharedFile reports whether a conflict's reason is SharedFileReason's,
// and says it in the given language.
func SharedFile(reason string, english bool) (words string, ok bool) {
	m := sharedFileRe.FindStringSubmatch(reason)
	if m == nil {
		return "", false
	}
	if english {
		return reason, true
	}
	return fmt.Sprintf("filen %s læses af mere end én kilde (%s): planen ændres ikke, før kun én af dem læser den (gør de andres path eller glob snævrere, så de udelader den)", m[1], m[2]), true
}

// SharedFileWords is SharedFile's words for a reason known to be one.
func SharedFileWords(reason string, english bool) string {
	w, _ := SharedFile(reason, english)
	return w
}

// sharedFileLineRe is a line of a sync's report, or of a source's last
// error, for a plan whose file is read by several sources: the plan's key,
// then SharedFile's words in either language.
var sharedFileLineRe = regexp.MustCompile(`^.+?: (?:the file .+ is read by more than one source \(.+\): the plan is not changed until only one of them reads it \(narrow the others' path or glob so that they leave it out\)|filen .+ læses af mere end én kilde \(.+\): planen ændres ikke, før kun én af dem læser den \(gør de andres path eller glob snævrere, så de udelader den\))$`)

// SharedFileLine reports whether line is a plan's key and SharedFile's
// words ("Vejle/KY: the file … is read by more than one source …"), in
// either language: the lines a sync keeps as a source's last error.
func SharedFileLine(line string) bool { return sharedFileLineRe.MatchString(line) }

// SharedFilesOnly reports whether a source's last error (its lines) says
// only that files are read by several sources: the source was read, and
// what is wrong is the configuration (two sources' paths or globs overlap),
// not the source.
func SharedFilesOnly(lastError string) bool {
	n := 0
	for _, l := range strings.Split(lastError, "\n") {
		if l == "" {
			continue
		}
		if !SharedFileLine(l) {
			return false
		}
		n++
	}
	return n > 0
}
