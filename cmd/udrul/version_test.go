package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersionText: the commit, its time and "(modified)" come from the
// build information; a binary without them says so and how to build one
// with them; a version Go made up from the commit is not repeated.
func TestVersionText(t *testing.T) {
	stamped := func(version string, modified string) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: version}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "3fc449dbcd69859f48593c1695e6ae5b0dc86fc3"},
			{Key: "vcs.time", Value: "2026-11-26T08:36:21Z"},
			{Key: "vcs.modified", Value: modified},
		}}
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		en   bool
		want string
	}{
		{"a clean clone", stamped("v0.0.0-20261126083621-3fc449dbcd69", "false"), true,
			"udrul development build\ncommit 3fc449dbcd69859f48593c1695e6ae5b0dc86fc3, 2026-11-26 08:36:21 UTC\nbuilt with go1.26.8\n"},
		{"uncommitted changes", stamped("v0.0.0-20261126083621-3fc449dbcd69+dirty", "true"), true,
			"udrul development build\ncommit 3fc449dbcd69859f48593c1695e6ae5b0dc86fc3 (modified), 2026-11-26 08:36:21 UTC\nbuilt with go1.26.8\n"},
		{"uncommitted changes in Danish", stamped("(devel)", "true"), false,
			"udrul udviklingsbygning\ncommit 3fc449dbcd69859f48593c1695e6ae5b0dc86fc3 (ændret), 2026-11-26 08:36:21 UTC\nbygget med go1.26.8\n"},
		{"a tagged release", stamped("v1.2.0", "false"), true,
			"udrul v1.2.0\ncommit 3fc449dbcd69859f48593c1695e6ae5b0dc86fc3, 2026-11-26 08:36:21 UTC\nbuilt with go1.26.8\n"},
		{"no version control information", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, true,
			"udrul development build\ncommit unknown (built without version control information: -buildvcs=false, go run or a git worktree); build in a git clone with 'go build -buildvcs=true ./cmd/udrul'\nbuilt with go1.26.8\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionText(tt.bi, true, tt.en); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	t.Run("set by -ldflags", func(t *testing.T) {
		version, commit = "v1.3.0", "abc123"
		defer func() { version, commit = "", "" }()
		if got, want := versionText(&debug.BuildInfo{GoVersion: "go1.26.8"}, true, true), "udrul v1.3.0\ncommit abc123\nbuilt with go1.26.8\n"; got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
}

// TestVersion_plainBuildInAClone builds udrul with a plain 'go build
// ./cmd/udrul' (VCS stamping on, as Go's default is in a clone) from a git
// repository of this tree, then again with a change not committed: the
// first names the commit, the second says "(modified)".
func TestVersion_plainBuildInAClone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds udrul twice")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	// The module's files, tracked and new (not its .git, which in a
	// worktree is a file Go does not read), into a repository of their own.
	ls := exec.Command(git, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = root
	list, err := ls.Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	for _, rel := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		if _, err := os.Stat(filepath.Join(root, rel)); err != nil {
			continue // deleted, not yet committed
		}
		copyFile(t, filepath.Join(root, rel), filepath.Join(src, rel))
	}
	sh := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=auto", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@x", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@x")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	sh(git, "init", "-q")
	sh(git, "add", "-A")
	sh(git, "commit", "-q", "-m", "t")
	head := strings.TrimSpace(sh(git, "rev-parse", "HEAD"))
	bin := filepath.Join(dir, "udrul")
	sh("go", "build", "-o", bin, "./cmd/udrul")
	out := sh(bin, "version")
	if !strings.Contains(out, "commit "+head+",") || strings.Contains(out, "modified") || strings.Contains(out, "ændret") {
		t.Errorf("clean: got\n%s\nwant the commit %s without (modified)", out, head)
	}
	f, err := os.OpenFile(filepath.Join(src, "cmd", "udrul", "main.go"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n// a change not committed\n")
	f.Close()
	sh("go", "build", "-o", bin, "./cmd/udrul")
	cmd := exec.Command(bin, "version")
	cmd.Env = append(os.Environ(), "UDRUL_LANGUAGE=en")
	b, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if out := string(b); !strings.Contains(out, "commit "+head+" (modified),") {
		t.Errorf("modified: got\n%s\nwant the commit %s (modified)", out, head)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
