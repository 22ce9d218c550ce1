package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Copy is a backup file in a backup folder.
type Copy struct {
	Path  string
	Taken time.Time // from the file name, in the folder's time zone
	Size  int64
}

// List returns the backups in dir (files named by FileName), newest first;
// times are read in loc. Other files are ignored.
func List(dir string, loc *time.Location) ([]Copy, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var out []Copy
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		t, ok := parseName(e.Name(), loc)
		if !ok {
			continue
		}
		c := Copy{Path: filepath.Join(dir, e.Name()), Taken: t}
		if fi, err := e.Info(); err == nil {
			c.Size = fi.Size()
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Taken.After(out[j].Taken) })
	return out, nil
}

// Latest is the newest backup in dir taken by now, if any (names read in
// now's time zone). A backup dated after now — written while the clock was
// wrong — is not the last one: counted, it would keep the backups looking
// fresh for years while none is taken.
func Latest(dir string, now time.Time) (Copy, bool, error) {
	all, err := List(dir, now.Location())
	if err != nil {
		return Copy{}, false, err
	}
	for _, c := range all {
		if !c.Taken.After(now) {
			return c, true, nil
		}
	}
	return Copy{}, false, nil
}

// Keep chooses the backups to keep: the newest backup of each of the
// keepDaily newest days that have one, and the newest of each of the
// keepWeekly newest ISO weeks that have one (days and weeks in now's time
// zone). Backups dated after now (a clock set back) are kept and not
// counted. copies must be newest first, as List returns them.
func Keep(copies []Copy, keepDaily, keepWeekly int, now time.Time) map[string]bool {
	keep := map[string]bool{}
	days, weeks := map[string]bool{}, map[string]bool{}
	loc := now.Location()
	for _, c := range copies {
		t := c.Taken.In(loc)
		if t.After(now) {
			keep[c.Path] = true
			continue
		}
		day := t.Format("2006-01-02")
		y, w := t.ISOWeek()
		week := fmt.Sprintf("%d-W%02d", y, w)
		if !days[day] && len(days) < keepDaily {
			days[day] = true
			keep[c.Path] = true
		}
		if !weeks[week] && len(weeks) < keepWeekly {
			weeks[week] = true
			keep[c.Path] = true
		}
	}
	return keep
}

// Prune removes the backups in dir that Keep does not keep and returns the
// removed paths. Files not named as backups are never touched.
func Prune(dir string, keepDaily, keepWeekly int, now time.Time) ([]string, error) {
	copies, err := List(dir, now.Location())
	if err != nil {
		return nil, err
	}
	keep := Keep(copies, keepDaily, keepWeekly, now)
	var removed []string
	var errs []error
	for _, c := range copies {
		if keep[c.Path] {
			continue
		}
		if err := os.Remove(c.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, c.Path)
	}
	return removed, errors.Join(errs...)
}
