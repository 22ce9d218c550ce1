package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/udrul/udrul/model"
)

// A plan's current tasks are also kept packed, as one value
// (plan_tasks_packed, migration 0023): an evaluation reads a plan as one
// value rather than a row a task (reading the rows was a quarter of
// evaluating the country's findings). The rows stay the record; the
// packed value is only ever a copy of them:
//
//   - the sync that changes a plan's tasks packs them in the same
//     transaction, from what it wrote and what it read under the plan's
//     revision, checked against the rows (Tx.PackPlan);
//   - any other change to a task deletes its plan's value, in the same
//     transaction, by the triggers of migrations 0023 and 0026 (an insert
//     too: a REPLACE deletes the row it replaces without the delete
//     trigger); a reader also checks the value against the plan's count
//     of current tasks (readPacked): a value used is the plan's tasks as
//     committed;
//   - a database whose triggers are not exactly udrul's (restored from a
//     backup someone edited, say) is not trusted: its values are neither
//     read nor written (packTrusted);
//   - a value that does not unpack is not used: the rows are read.

// packVersion starts every packed value; a value of another version is
// not read (the rows are).
const packVersion = 4

// packVersionText is packVersion in SQL.
const packVersionText = "4"

// packTriggers are migration 0023's triggers (the one on inserts dropped
// by 0025 and made again by 0026), as SQLite keeps them: a
// database is trusted to keep its packed values current only when it has
// exactly these (TestPackTriggers checks them against the migration).
var packTriggers = map[string]string{
	"plan_tasks_packed_insert": "CREATE TRIGGER plan_tasks_packed_insert AFTER INSERT ON tasks\nBEGIN\n\tDELETE FROM plan_tasks_packed WHERE plan_id = NEW.plan_id;\nEND",
	"plan_tasks_packed_update": "CREATE TRIGGER plan_tasks_packed_update AFTER UPDATE ON tasks\nBEGIN\n\tDELETE FROM plan_tasks_packed WHERE plan_id IN (OLD.plan_id, NEW.plan_id);\nEND",
	"plan_tasks_packed_delete": "CREATE TRIGGER plan_tasks_packed_delete AFTER DELETE ON tasks\nBEGIN\n\tDELETE FROM plan_tasks_packed WHERE plan_id = OLD.plan_id;\nEND",
}

// packTriggersNow is, in SQL, the triggers on the tasks and the packed
// values as the database has them: their names and definitions, by name.
const packTriggersNow = `(SELECT group_concat(name || char(10) || sql, char(10) || char(10)) FROM
	(SELECT name, COALESCE(sql, '') AS sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('tasks', 'plan_tasks_packed') ORDER BY name))`

// packTriggersWant is packTriggersNow of a database with udrul's triggers.
var packTriggersWant = func() string {
	names := make([]string, 0, len(packTriggers))
	for name := range packTriggers {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		names[i] = name + "\n" + packTriggers[name]
	}
	return strings.Join(names, "\n\n")
}()

// packTrusted reports whether q's database keeps its packed values
// current: it has the table and udrul's triggers, unchanged, and no other
// trigger on the tasks (which could change a task without the values
// knowing). A database of an older schema has neither, and is read by its
// rows.
func packTrusted(ctx context.Context, q rowQuerier) (bool, error) {
	var triggers sql.NullString
	var table bool
	err := q.QueryRowContext(ctx, `SELECT `+packTriggersNow+`,
		EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plan_tasks_packed')`).Scan(&triggers, &table)
	if err != nil {
		return false, err
	}
	return table && triggers.String == packTriggersWant, nil
}

// asStored returns t as reading its row back gives it: the fields the
// store does not keep are zero, and each value is as its column gives it
// back (a date too far out to store reads as no date, the dependencies as
// split again). ok is false for a removed task.
func asStored(t Task) (Task, bool) {
	if t.Removed() {
		return t, false
	}
	t.Pos.Cell = ""
	for _, d := range []*model.Date{&t.Start, &t.End, &t.BaselineStart, &t.BaselineEnd} {
		if d.IsZero() || d.Year >= 1000 && d.Year <= 9999 && d.Month >= 1 && d.Month <= 12 && d.Day >= 1 && d.Day <= 28 {
			continue // written and read back as it is (most dates: said without the round trip)
		}
		var err error
		if *d, err = model.ParseISODate(isoDate(*d)); err != nil {
			*d = model.Date{} // as scanTask reads a date it cannot parse
		}
	}
	t.After = model.SplitAfter(model.JoinAfter(t.After))
	return t, true
}

// sortTasks orders tasks as a plan's tasks are read: by sheet, row and ID.
func sortTasks(ts []Task) {
	sort.Slice(ts, func(i, j int) bool { return taskBefore(&ts[i], &ts[j]) })
}

// taskBefore orders a plan's tasks: by sheet, row and ID.
func taskBefore(a, b *Task) bool {
	if a.Pos.Sheet != b.Pos.Sheet {
		return a.Pos.Sheet < b.Pos.Sheet
	}
	if a.Pos.Row != b.Pos.Row {
		return a.Pos.Row < b.Pos.Row
	}
	return a.ID < b.ID
}

// packTasks packs a plan's current tasks, in the order they are read:
// the version; the plan's ID (a value copied onto another plan by hand
// is not read as that plan's); the texts a plan's tasks share (the step, the parties, the
// status, the sheet, ...), each once; then each task: its numbers and
// dates, its shared texts as their places in the list, and its own texts
// (ID, title, notes, dates as written, dependencies).
func packTasks(planID int64, ts []Task) []byte { return appendPacked(nil, planID, ts) }

// packBufs are the buffers a sync packs its plans' tasks in, one plan
// after another: the value is built in one (its texts and tasks apart
// first, in another) and bound, which copies it; 44 MB a first sync of
// 120,000 tasks allocated and cleared them anew.
var packBufs = sync.Pool{New: func() any { return new([]byte) }}

// appendPacked appends the packed value of a plan's tasks to b.
func appendPacked(b []byte, planID int64, ts []Task) []byte {
	index := map[string]uint64{}
	var texts []string
	bodyBuf := packBufs.Get().(*[]byte)
	defer packBufs.Put(bodyBuf)
	body := (*bodyBuf)[:0]
	defer func() { *bodyBuf = body[:0] }()
	for i := range ts {
		t := &ts[i]
		body = binary.AppendVarint(body, t.ID)
		body = binary.AppendVarint(body, int64(t.Pos.Row))
		body = binary.AppendVarint(body, t.CreatedRun)
		body = binary.AppendVarint(body, t.UpdatedRun)
		for _, d := range []model.Date{t.Start, t.End, t.BaselineStart, t.BaselineEnd} {
			body = binary.AppendUvarint(body, packDate(d))
		}
		var flags byte
		if t.StartAs.YearAssumed {
			flags |= 1
		}
		if t.EndAs.YearAssumed {
			flags |= 2
		}
		body = append(body, flags)
		for _, s := range []string{t.Step, t.Responsible, t.Performer, string(t.Status), t.RawStatus, t.Pos.Sheet,
			string(t.StartAs.Precision), string(t.EndAs.Precision), t.Health} {
			k, ok := index[s]
			if !ok {
				k = uint64(len(texts))
				index[s] = k
				texts = append(texts, s)
			}
			body = binary.AppendUvarint(body, k)
		}
		for _, s := range []string{t.Task.ID, t.Title, t.Notes, t.StartAs.Text, t.EndAs.Text, model.JoinAfter(t.After)} {
			body = binary.AppendUvarint(body, uint64(len(s)))
			body = append(body, s...)
		}
	}
	n := 16 + len(body)
	for _, s := range texts {
		n += len(s) + 2
	}
	b = slices.Grow(b, n)
	b = append(b, packVersion)
	b = binary.AppendVarint(b, planID)
	b = binary.AppendUvarint(b, uint64(len(texts)))
	for _, s := range texts {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(ts)))
	return append(b, body...)
}

// packDate is a stored date as a number: 0 for none.
func packDate(d model.Date) uint64 {
	if d.IsZero() {
		return 0
	}
	return uint64(d.Year)<<9 | uint64(d.Month)<<5 | uint64(d.Day)
}

// errPacked is a packed value that does not unpack: the rows are read.
var errPacked = errors.New("packed tasks do not unpack")

// unpacker reads a packed value; its strings share the value's text.
type unpacker struct {
	s   string
	err error
}

func (u *unpacker) uvarint() uint64 {
	if u.err != nil {
		return 0
	}
	var v uint64
	var shift uint
	for i := 0; i < len(u.s) && i < binary.MaxVarintLen64; i++ {
		c := u.s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				break
			}
			u.s = u.s[i+1:]
			return v | uint64(c)<<shift
		}
		v |= uint64(c&0x7f) << shift
		shift += 7
	}
	u.err = errPacked
	return 0
}

func (u *unpacker) varint() int64 {
	x := u.uvarint()
	v := int64(x >> 1)
	if x&1 != 0 {
		v = ^v
	}
	return v
}

func (u *unpacker) str() string {
	n := u.uvarint()
	if u.err != nil || n > uint64(len(u.s)) {
		u.err = errPacked
		return ""
	}
	s := u.s[:n]
	u.s = u.s[n:]
	return s
}

// text is the text a task refers to by its place in the plan's list.
func (u *unpacker) text(texts []string) string {
	k := u.uvarint()
	if u.err != nil || k >= uint64(len(texts)) {
		u.err = errPacked
		return ""
	}
	return texts[k]
}

func (u *unpacker) date() model.Date {
	x := u.uvarint()
	if x == 0 {
		return model.Date{}
	}
	d := model.Date{Year: int(x >> 9), Month: time.Month(x >> 5 & 15), Day: int(x & 31)}
	if d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		u.err = errPacked
	}
	return d
}

// unpackTasks appends the tasks packed in data to out, each of plan p.
func unpackTasks(data string, p *Plan, out []PlanTask) ([]PlanTask, error) {
	if len(data) == 0 || data[0] != packVersion {
		return out, errPacked
	}
	u := unpacker{s: data[1:]}
	if u.varint() != p.ID || u.err != nil {
		return out, errPacked // another plan's value
	}
	// Each text takes a byte at least, each task 24: a count beyond that
	// is damage, not a reason to allocate.
	nt := u.uvarint()
	if u.err != nil || nt > uint64(len(u.s)) {
		return out, errPacked
	}
	texts := make([]string, nt)
	for i := range texts {
		texts[i] = u.str()
	}
	n := u.uvarint()
	if u.err != nil || n > uint64(len(u.s)/24) {
		return out, errPacked
	}
	from := len(out)
	for i := uint64(0); i < n; i++ {
		var t Task
		t.PlanID = p.ID
		t.ID = u.varint()
		t.Pos.Row = int(u.varint())
		t.CreatedRun = u.varint()
		t.UpdatedRun = u.varint()
		t.Start, t.End, t.BaselineStart, t.BaselineEnd = u.date(), u.date(), u.date(), u.date()
		var flags byte
		if u.err == nil && len(u.s) > 0 {
			flags, u.s = u.s[0], u.s[1:]
		} else {
			u.err = errPacked
		}
		if flags > 3 {
			u.err = errPacked
		}
		t.StartAs.YearAssumed, t.EndAs.YearAssumed = flags&1 != 0, flags&2 != 0
		t.Step, t.Responsible, t.Performer, t.Status, t.RawStatus = u.text(texts), u.text(texts), u.text(texts), model.Status(u.text(texts)), u.text(texts)
		t.Pos.Sheet, t.StartAs.Precision, t.EndAs.Precision, t.Health = u.text(texts), model.Precision(u.text(texts)), model.Precision(u.text(texts)), u.text(texts)
		t.Task.ID, t.Title, t.Notes, t.StartAs.Text, t.EndAs.Text = u.str(), u.str(), u.str(), u.str(), u.str()
		if after := u.str(); after != "" {
			t.After = model.SplitAfter(after)
		}
		if u.err != nil {
			return out[:from], errPacked
		}
		out = append(out, PlanTask{Task: t, Plan: p})
	}
	if len(u.s) != 0 {
		return out[:from], errPacked
	}
	return out, nil
}

// PackPlan packs a plan's current tasks, as the sync has just written
// them (tasks: every current task of the plan, with its stored ID), in
// the transaction that wrote them (the rows are counted against them).
// A task that is not the plan's, or one ID given twice, packs nothing:
// the plan is then read by its rows.
//
// The tasks are rewritten as they are stored and reordered in place (a
// sync packs 120,000 tasks: a copy of them was 52 MB of its allocations).
func (tx *Tx) PackPlan(planID int64, tasks []Task) error {
	if err := tx.ctx.Err(); err != nil {
		return err
	}
	cur := tasks[:0] // written at or before the task read
	seen := make(map[int64]bool, len(tasks))
	// noDate counts the dates that are none, as the rows are counted.
	var noDate [4]int64
	for _, t := range tasks {
		if t.PlanID != planID || t.ID <= 0 || seen[t.ID] {
			packMismatch(planID)
			return nil
		}
		seen[t.ID] = true
		st, ok := asStored(t)
		if !ok {
			continue
		}
		// A date too far out to store is read back as none, while its
		// row holds a text: what a later sync does with that row's
		// baseline is the database's to say, not this copy's.
		if st.Start != t.Start || st.End != t.End || st.BaselineStart != t.BaselineStart || st.BaselineEnd != t.BaselineEnd {
			return nil
		}
		for i, d := range []model.Date{st.Start, st.End, st.BaselineStart, st.BaselineEnd} {
			if d.IsZero() {
				noDate[i]++
			}
		}
		cur = append(cur, st)
	}
	// What the rows hold, counted: a task missed or one too many, a
	// wrong ID, an update the sync did not tell of, or a date it took for
	// none or none for a date (a row's text that reads as no date: a
	// later sync keeps it as a baseline where the sync's account would
	// fill it) packs nothing. The dates' values are not summed (that
	// doubled the check's cost): they are the sync's own, what it wrote or
	// read under the plan's revision; TestPacked_asTheRows checks them.
	var n int
	var ids, runs int64
	var rowsNoDate [4]int64
	var triggers sql.NullString
	if tx.created[planID] {
		// Made by this transaction: every row of it is one this
		// transaction inserted, with what it was given and the ID SQLite
		// gave back; which rows, counted from the plan's index (no row
		// read: this check was a tenth of a first sync's writing), is
		// enough.
		if err := tx.queryRow(`SELECT COUNT(*), COALESCE(SUM(id), 0), `+packTriggersNow+`
			FROM tasks INDEXED BY tasks_plan WHERE plan_id = ? AND removed_at IS NULL`, planID).Scan(&n, &ids, &triggers); err != nil {
			return fmt.Errorf("pack the tasks of plan %d: %w", planID, err)
		}
		for _, t := range cur {
			runs += t.UpdatedRun
		}
		rowsNoDate = noDate
	} else if err := tx.queryRow(`SELECT COUNT(*), COALESCE(SUM(id), 0), COALESCE(SUM(updated_run_id), 0),
		COALESCE(SUM(start = ''), 0), COALESCE(SUM(end = ''), 0), COALESCE(SUM(baseline_start = ''), 0), COALESCE(SUM(baseline_end = ''), 0),
		`+packTriggersNow+` FROM tasks WHERE plan_id = ? AND removed_at IS NULL`, planID).Scan(&n, &ids, &runs,
		&rowsNoDate[0], &rowsNoDate[1], &rowsNoDate[2], &rowsNoDate[3], &triggers); err != nil {
		return fmt.Errorf("pack the tasks of plan %d: %w", planID, err)
	}
	if triggers.String != packTriggersWant {
		return nil // not trusted to keep the value current (packTrusted)
	}
	for _, t := range cur {
		ids -= t.ID
		runs -= t.UpdatedRun
	}
	if n != len(cur) || ids != 0 || runs != 0 || noDate != rowsNoDate {
		packMismatch(planID)
		return nil
	}
	sortTasks(cur)
	buf := packBufs.Get().(*[]byte)
	defer packBufs.Put(buf)
	*buf = appendPacked((*buf)[:0], planID, cur)
	if _, err := tx.exec(`INSERT INTO plan_tasks_packed (plan_id, version, data) VALUES (?, ?, ?)
		ON CONFLICT (plan_id) DO UPDATE SET version = excluded.version, data = excluded.data`, planID, packVersion, *buf); err != nil {
		return fmt.Errorf("pack the tasks of plan %d: %w", planID, err)
	}
	return nil
}

// HasPacked reports whether the plan has a packed value of this version,
// as this transaction sees it. A sync asks before it writes: a plan whose
// value is gone may have had its tasks changed by something else (a hand
// edit deletes the value and moves no revision), so the tasks the sync
// read before it took the lock may not be the rows: it reads them again.
func (tx *Tx) HasPacked(planID int64) (bool, error) {
	var ok bool
	err := tx.queryRow(`SELECT EXISTS (SELECT 1 FROM plan_tasks_packed WHERE plan_id = ? AND version = `+packVersionText+`)`, planID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("packed tasks of plan %d: %w", planID, err)
	}
	return ok, nil
}

// packMismatch is told of a plan whose tasks as the sync gave them are
// not its rows (tests make it fail).
var packMismatch = func(planID int64) {}

// PackMissing packs the tasks of the plans that have no packed value of
// this version (a database from before migration 0023, a plan changed by
// something other than a sync), from their rows, a plan a transaction. It returns how
// many it packed.
func (s *DB) PackMissing(ctx context.Context) (int, error) {
	if ok, err := packTrusted(ctx, s.db); err != nil || !ok {
		return 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT p.id FROM plans p LEFT JOIN plan_tasks_packed k ON k.plan_id = p.id
		WHERE k.plan_id IS NULL OR k.version != ? ORDER BY p.id`, packVersion)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		err := s.Update(ctx, func(tx *Tx) error {
			// Read as an evaluation reads the rows (one text a row).
			tr, err := Reader{tx.tx}.rowReader(tx.run)
			if err != nil {
				return err
			}
			defer tr.Close()
			pts, err := readPlanTasks(tx.run, tr.stmt, tr.one, &Plan{ID: id}, nil)
			if err != nil {
				return err
			}
			ts := make([]Task, len(pts))
			for i := range pts {
				ts[i] = pts[i].Task
			}
			// The plan's revision moves: a sync that read its tasks
			// before a hand edit (which deleted the value) and finds the
			// value again under the lock reads them again.
			if err := tx.revise(id); err != nil {
				return err
			}
			return tx.PackPlan(id, ts)
		})
		if err != nil {
			return n, fmt.Errorf("pack the tasks of plan %d: %w", id, err)
		}
		n++
	}
	return n, nil
}

// packedStmt reads a plan's packed value, as a text: the driver makes a
// text a Go string at once, where a blob is copied to bytes and then
// again (its bytes are kept as they are: the database's encoding is
// UTF-8, in which SQLite reads a blob as a text unchanged).
const packedStmt = `SELECT CAST(data AS TEXT) FROM plan_tasks_packed WHERE plan_id = ? AND version = ` + packVersionText

// readPacked appends p's packed tasks to out; ok is false when p has no
// packed value that unpacks to p.Tasks tasks, the plan's current rows as
// counted with it (its rows are then read).
func readPacked(ctx context.Context, stmt *sql.Stmt, p *Plan, out []PlanTask) ([]PlanTask, bool, error) {
	rows, err := stmt.QueryContext(ctx, p.ID)
	if err != nil {
		return out, false, fmt.Errorf("tasks of %s: %w", p.Key(), err)
	}
	defer rows.Close()
	if !rows.Next() {
		return out, false, rows.Err()
	}
	var data string
	if err := rows.Scan(&data); err != nil {
		return out, false, fmt.Errorf("tasks of %s: %w", p.Key(), err)
	}
	from := len(out)
	out, err = unpackTasks(data, p, out)
	if err != nil {
		return out, false, nil
	}
	// As many tasks as the plan's rows, counted with the plan (ListPlans):
	// a task inserted since, not by a sync, is read from the rows.
	if len(out)-from != p.Tasks {
		return out[:from], false, nil
	}
	return out, true, rows.Close()
}
