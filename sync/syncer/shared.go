package syncer

import (
	"os"
	"slices"
	"sort"
	"strings"
)

// sameFile is one file and the claims of the sources that read it.
type sameFile struct{ claims []*claim }

// loc is where a person finds the file, with the sources reading it when
// more than one does.
func (f sameFile) loc() string {
	if len(f.claims) == 1 {
		return f.claims[0].loc
	}
	return f.claims[0].loc + " (" + strings.Join(f.sources(), ", ") + ")"
}

// sources are the names of the sources reading the file, in order.
func (f sameFile) sources() []string {
	var out []string
	for _, c := range f.claims {
		out = append(out, c.src)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// sameFiles groups the claims on a plan by the file they read: two sources
// whose paths or globs overlap list one file twice (the same key, or the
// same file on disk reached by two paths).
func sameFiles(claims []*claim) []sameFile {
	var out []sameFile
	stat := map[string]os.FileInfo{}
	info := func(key string) os.FileInfo {
		fi, ok := stat[key]
		if !ok {
			fi, _ = os.Stat(key)
			stat[key] = fi
		}
		return fi
	}
	same := func(a, b *claim) bool {
		if a.src == b.src {
			return false // one source's copies
		}
		if a.doc.Key == b.doc.Key {
			return true
		}
		fa, fb := info(a.doc.Key), info(b.doc.Key)
		return fa != nil && fb != nil && fa.Mode().IsRegular() && os.SameFile(fa, fb)
	}
next:
	for _, c := range claims {
		for i := range out {
			if same(out[i].claims[0], c) && !slices.ContainsFunc(out[i].claims, func(o *claim) bool { return o.src == c.src }) {
				out[i].claims = append(out[i].claims, c)
				continue next
			}
		}
		out = append(out, sameFile{claims: []*claim{c}})
	}
	return out
}
