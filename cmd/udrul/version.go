package main

import (
	"regexp"
	"runtime/debug"
	"strings"
	"time"
)

// version and commit are set by a build that knows them:
// -ldflags "-X main.version=v1.2.3 -X main.commit=$(git rev-parse HEAD)".
// Without them, the build information Go records is used: the module
// version, and the commit, its time and whether the tree was modified
// (vcs.revision, vcs.time, vcs.modified).
var (
	version = ""
	commit  = ""
)

// pseudoVersion is a version Go makes up from a commit when no tag is
// behind it (v0.0.0-20261126083621-3fc449dbcd69): the commit line says it.
var pseudoVersion = regexp.MustCompile(`^v0\.0\.0-\d{14}-[0-9a-f]{12}(\+dirty)?$`)

// versionText is what 'udrul version' prints: the version, the commit the
// binary was built from (with "(modified)" when the tree had uncommitted
// changes) and the Go version; for a binary that does not know its commit,
// why and how to build one that does.
func versionText(bi *debug.BuildInfo, ok bool, en bool) string {
	v, rev, when, dirty, goVersion := version, commit, "", false, ""
	if ok && bi != nil {
		goVersion = bi.GoVersion
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if rev == "" {
					rev = s.Value
				}
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" || v == "(devel)" || pseudoVersion.MatchString(v) {
		v = say(en, "udviklingsbygning", "development build")
	}
	out := "udrul " + v + "\n"
	if rev != "" {
		out += "commit " + rev
		if dirty {
			out += say(en, " (ændret)", " (modified)")
		}
		if t, err := time.Parse(time.RFC3339, when); err == nil {
			out += ", " + t.UTC().Format("2006-01-02 15:04:05 UTC")
		}
		out += "\n"
	} else {
		out += say(en, "commit ukendt (bygget uden versionsstyring: -buildvcs=false, go run eller en git worktree); byg i en git-klon med 'go build -buildvcs=true ./cmd/udrul'",
			"commit unknown (built without version control information: -buildvcs=false, go run or a git worktree); build in a git clone with 'go build -buildvcs=true ./cmd/udrul'") + "\n"
	}
	if goVersion == "" {
		goVersion = "?"
	}
	return out + say(en, "bygget med ", "built with ") + strings.TrimSpace(goVersion) + "\n"
}
