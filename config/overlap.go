package config

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// OverlapWarnings warns of files sources that read the same files: a
// source's folder that is another's, or lies inside another's that reads
// its subfolders, and paths or globs that match one existing plan file
// (also through a link). A file read by two sources is applied from
// neither (the sync says so each time): the warning names both sources,
// the other's line, and what to change. It is at the later source's path.
// Google and Microsoft 365 sources naming the same spreadsheet, file or
// folder are warned of alike (remoteOverlapWarnings).
func (c *Config) OverlapWarnings(planExts map[string]bool) []*FieldError {
	var out []*FieldError
	add := c.fieldAdder(&out)
	type files struct {
		i    int
		dir  string // the folder, resolved (links followed); "" for a glob or a file
		read []fileAt
	}
	var srcs []files
	for i, s := range c.Sources {
		if s.Kind != KindFiles || s.Path == "" {
			continue
		}
		f := files{i: i}
		path := c.SourcePath(s)
		if !strings.ContainsAny(s.Path, "*?[") {
			if fi, err := os.Stat(path); err == nil && fi.IsDir() {
				f.dir = resolved(path)
			}
		}
		f.read = sourceFiles(path, strings.ContainsAny(s.Path, "*?["), s.Recursive, planExts)
		srcs = append(srcs, f)
	}
	for j := 1; j < len(srcs); j++ {
		b := srcs[j]
		for _, a := range srcs[:j] {
			sa, sb := c.Sources[a.i], c.Sources[b.i]
			key := fmt.Sprintf("sources[%d].path", b.i)
			line := c.lines.line(fmt.Sprintf("$.sources[%d].path", a.i))
			switch {
			case a.dir != "" && a.dir == b.dir:
				add(key, "kilden %q læser samme mappe som kilden %q (linje %d), %s: en fil, som to kilder læser, opdateres ikke fra nogen af dem; fjern den ene kilde",
					"the source %q reads the same folder as the source %q (line %d), %s: a file read by two sources is applied from neither; remove one of them",
					sb.Name, sa.Name, line, b.dir)
			case a.dir != "" && b.dir != "" && sa.Recursive && readsInto(a.dir, b.dir):
				add(key, "mappen %[2]s (kilden %[1]q) ligger i mappen %[4]s (kilden %[3]q, linje %[5]d), som også læser sine undermapper: begge læser de samme filer, og en fil, som to kilder læser, opdateres ikke fra nogen af dem; fjern den ene kilde, eller ret stierne, så ingen mappe læses af begge",
					"the folder %[2]s (source %[1]q) lies in the folder %[4]s (source %[3]q, line %[5]d), which reads its subfolders too: both read the same files, and a file read by two sources is applied from neither; remove one of the sources, or change their paths so that no folder is read by both",
					sb.Name, b.dir, sa.Name, a.dir, line)
			case a.dir != "" && b.dir != "" && sb.Recursive && readsInto(b.dir, a.dir):
				add(key, "mappen %[2]s (kilden %[1]q), som også læser sine undermapper, rummer mappen %[4]s (kilden %[3]q, linje %[5]d): begge læser de samme filer, og en fil, som to kilder læser, opdateres ikke fra nogen af dem; fjern den ene kilde, eller ret stierne, så ingen mappe læses af begge",
					"the folder %[2]s (source %[1]q), which reads its subfolders too, holds the folder %[4]s (source %[3]q, line %[5]d): both read the same files, and a file read by two sources is applied from neither; remove one of the sources, or change their paths so that no folder is read by both",
					sb.Name, b.dir, sa.Name, a.dir, line)
			default:
				if n, example := sharedFiles(a.read, b.read); n > 0 {
					add(key, "kilden %q læser %d af de samme filer som kilden %q (linje %d), fx %s: en fil, som to kilder læser, opdateres ikke fra nogen af dem; gør den enes path eller glob snævrere, så den udelader dem",
						"the source %q reads %d of the files the source %q (line %d) reads, such as %s: a file read by two sources is applied from neither; narrow one's path or glob so that it leaves them out",
						sb.Name, n, sa.Name, line, example)
				}
			}
		}
	}
	c.remoteOverlapWarnings(add)
	return out
}

// resolved is path absolute and with its links followed (as it is when a
// link cannot be followed).
func resolved(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	return filepath.Clean(path)
}

// readsInto reports whether a recursive walk of dir reaches path: it lies
// below dir, in no hidden folder (a walk skips those).
func readsInto(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

// fileAt is a plan file a source reads, and what the file system says of it.
type fileAt struct {
	path string
	fi   fs.FileInfo
}

// sourceFiles are the plan files a files source reads now: those a glob
// matches, those in a folder (and its subfolders, when recursive; hidden
// ones not), or the file itself. Lock files (~$) are none.
func sourceFiles(path string, glob, recursive bool, planExts map[string]bool) []fileAt {
	var out []fileAt
	keep := func(p string) {
		name := filepath.Base(p)
		if !planExts[strings.ToLower(filepath.Ext(p))] || strings.HasPrefix(name, "~$") || strings.HasPrefix(name, ".") {
			return
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			out = append(out, fileAt{p, fi})
		}
	}
	if glob {
		matches, _ := filepath.Glob(path)
		for _, m := range matches {
			keep(m)
		}
		return out
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	if !fi.IsDir() {
		keep(path)
		return out
	}
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != path && (!recursive || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		keep(p)
		return nil
	})
	return out
}

// sharedFiles counts the files of a that are files of b too (the same file
// on disk, whatever the path), and names the first in path order.
func sharedFiles(a, b []fileAt) (n int, example string) {
	type sig struct {
		size int64
		mod  time.Time
	}
	bySig := map[sig][]fs.FileInfo{}
	for _, f := range b {
		k := sig{f.fi.Size(), f.fi.ModTime()}
		bySig[k] = append(bySig[k], f.fi)
	}
	var shared []string
	for _, f := range a {
		for _, g := range bySig[sig{f.fi.Size(), f.fi.ModTime()}] {
			if os.SameFile(f.fi, g) {
				shared = append(shared, f.path)
				break
			}
		}
	}
	if len(shared) == 0 {
		return 0, ""
	}
	sort.Strings(shared)
	return len(shared), shared[0]
}
