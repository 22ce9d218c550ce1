package reports

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// findingLists are the rows of the findings' sheets (overdue, slipped,
// the rules' data problems) of a report written with Begin, made as each
// group is added and kept in a temporary file rather than in memory: what
// is held of each row is its place in the file and its sort key, so the
// report's memory does not grow with the findings' tasks.
type findingLists struct {
	w    *writer
	f    *os.File
	bw   *bufio.Writer
	off  int64
	enc  []byte
	read []byte
	vals []any
	lvls []string
	// The rows of each sheet, in the order they were added (Sort puts
	// them in the sheets' order).
	overdue, slipped, quality []spilled
	// removed says the file was unlinked when it was made.
	removed bool
}

// spilled is a row in the file.
type spilled struct {
	off  int64
	n    int32
	days int32
	week bool // a slip this week (listed first)
}

func newFindingLists(w *writer) (*findingLists, error) {
	f, err := os.CreateTemp("", "udrul-report-rows-")
	if err != nil {
		return nil, fmt.Errorf("a temporary file for the report's rows: %w", err)
	}
	// Unlinked at once where the system allows it (the open file is still
	// read and written): a report killed on the way leaves nothing in the
	// temporary folder, which nothing else clears. Elsewhere close
	// removes it.
	removed := os.Remove(f.Name()) == nil
	return &findingLists{w: w, f: f, bw: bufio.NewWriterSize(f, 1<<16), removed: removed}, nil
}

// close removes the file.
func (l *findingLists) close() {
	l.f.Close()
	if !l.removed {
		os.Remove(l.f.Name())
	}
}

// add makes the rows of a group's findings, whose tasks are among tasks
// and plans among plans.
func (l *findingLists) add(plans []store.Plan, tasks []store.PlanTask, findings []model.Finding) error {
	want := map[int64]*store.PlanTask{}
	for i := range findings {
		if f := &findings[i]; f.TaskID != 0 {
			want[f.TaskID] = nil
		}
	}
	for i := range tasks {
		if _, ok := want[tasks[i].ID]; ok {
			want[tasks[i].ID] = &tasks[i]
		}
	}
	loc := map[int64]string{}
	for _, p := range plans {
		loc[p.ID] = p.Location
	}
	w := l.w
	vals, levels := make([]any, qualityCols+overdueCols), make([]string, qualityCols+overdueCols)
	for i := range findings {
		f := &findings[i]
		t := want[f.TaskID]
		var list *[]spilled
		var rw row
		switch {
		case f.Kind == "overdue":
			list, rw = &l.overdue, w.overdueRow(f, orEmpty(t), vals[:overdueCols], clear0(levels[:overdueCols]))
		case f.Kind == "slipped" || f.Kind == "slipped_week":
			list, rw = &l.slipped, w.slippedRow(f, orEmpty(t), vals[:slippedCols], clear0(levels[:slippedCols]))
		case qualityKind(f.Kind):
			list, rw = &l.quality, w.qualityRow(f, t, loc[f.PlanID], vals[:qualityCols], clear0(levels[:qualityCols]))
		default:
			continue
		}
		off, n, err := l.put(rw)
		if err != nil {
			return err
		}
		*list = append(*list, spilled{off: off, n: int32(n), days: int32(f.Days), week: f.Kind == "slipped_week"})
	}
	return nil
}

func orEmpty(t *store.PlanTask) *store.PlanTask {
	if t == nil {
		return &store.PlanTask{Plan: &store.Plan{}}
	}
	return t
}

func clear0(s []string) []string { clear(s); return s }

// sort puts the rows in the sheets' order: the most overdue first; slips
// of this week first, then the largest; the data problems as found.
func (l *findingLists) sort() error {
	slices.SortStableFunc(l.overdue, func(a, b spilled) int { return cmp.Compare(b.days, a.days) })
	slices.SortStableFunc(l.slipped, func(a, b spilled) int {
		if a.week != b.week {
			if a.week {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.days, a.days)
	})
	return l.bw.Flush()
}

// Value tags in the file.
const (
	tagNil = iota
	tagString
	tagInt
	tagTime
)

// put writes rw's values and levels, and returns where.
func (l *findingLists) put(rw row) (int64, int, error) {
	b := binary.AppendUvarint(l.enc[:0], uint64(len(rw.values)))
	for _, v := range rw.values {
		switch v := v.(type) {
		case nil:
			b = append(b, tagNil)
		case string:
			b = append(b, tagString)
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		case int:
			b = append(b, tagInt)
			b = binary.AppendVarint(b, int64(v))
		case time.Time:
			b = append(b, tagTime)
			b = binary.AppendVarint(b, v.Unix())
		default:
			return 0, 0, fmt.Errorf("a report row's value %T cannot be kept", v)
		}
	}
	for _, s := range rw.levels {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	l.enc = b
	off := l.off
	if _, err := l.bw.Write(b); err != nil {
		return 0, 0, fmt.Errorf("keep the report's rows: %w", err)
	}
	l.off += int64(len(b))
	return off, len(b), nil
}

// rows returns the rows of list (of cols columns), read back one at a time
// (each valid until the next); a row that cannot be read stops the report.
func (l *findingLists) rows(list []spilled, cols int) func(i int) row {
	if len(l.vals) < cols {
		l.vals, l.lvls = make([]any, cols), make([]string, cols)
	}
	return func(i int) row {
		s := list[i]
		if cap(l.read) < int(s.n) {
			l.read = make([]byte, s.n)
		}
		b := l.read[:s.n]
		if _, err := l.f.ReadAt(b, s.off); err != nil && err != io.EOF {
			l.w.must(fmt.Errorf("read the report's rows: %w", err))
			return row{}
		}
		return l.decode(b, cols)
	}
}

// decode reads a row written by put.
func (l *findingLists) decode(b []byte, cols int) row {
	vals, lvls := l.vals[:cols], l.lvls[:cols]
	n, k := binary.Uvarint(b)
	b = b[k:]
	str := func() string {
		m, k := binary.Uvarint(b)
		s := string(b[k : k+int(m)])
		b = b[k+int(m):]
		return s
	}
	for i := 0; i < int(n); i++ {
		tag := b[0]
		b = b[1:]
		switch tag {
		case tagNil:
			vals[i] = nil
		case tagString:
			vals[i] = str()
		case tagInt:
			v, k := binary.Varint(b)
			b = b[k:]
			vals[i] = int(v)
		case tagTime:
			v, k := binary.Varint(b)
			b = b[k:]
			vals[i] = time.Unix(v, 0).UTC()
		}
	}
	for i := range lvls {
		lvls[i] = str()
	}
	return row{values: vals, levels: lvls}
}
