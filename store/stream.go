package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/udrul/udrul/model"
)

// Reader reads what an evaluation needs: from the store as committed
// (DB.Reader, no lock), or inside a findings write transaction (the store
// as it is while the lock is held; see Lifecycle.Apply).
type Reader struct{ q preparer }

// preparer is what the readers need of a database or a transaction.
type preparer interface {
	rowQuerier
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Reader reads from the store as committed, without taking any lock.
func (s *DB) Reader() Reader { return Reader{s.db} }

// Plans lists a municipality's plans as ListPlans lists them.
func (r Reader) Plans(ctx context.Context, municipality string) ([]Plan, error) {
	return listPlans(ctx, r.q, `WHERE p.municipality = ?`, municipality)
}

// ChangesSince is DB.ChangesSince.
func (r Reader) ChangesSince(ctx context.Context, t time.Time) (map[int64][]Change, error) {
	return changesSince(ctx, r.q, t)
}

// PlansTasks returns the current tasks of plans (a municipality's, say),
// plan after plan, in one slice: as ListTasks would list them.
func (s *DB) PlansTasks(ctx context.Context, plans []Plan) ([]PlanTask, error) {
	return s.Reader().PlansTasks(ctx, plans)
}

// PlansTasks is DB.PlansTasks.
func (r Reader) PlansTasks(ctx context.Context, plans []Plan) ([]PlanTask, error) {
	tr, err := r.TaskReader(ctx)
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	return tr.PlansTasks(ctx, plans)
}

// TaskReader reads plans' tasks as Reader.PlansTasks does, with its
// statements prepared once: a worker of a streamed evaluation reads a
// hundred municipalities' tasks. Close it when done; not for concurrent
// use.
type TaskReader struct {
	stmt, one *sql.Stmt
	// packed reads a plan's packed tasks; nil when the database does not
	// keep them (packTrusted).
	packed *sql.Stmt
}

// TaskReader prepares a TaskReader.
func (r Reader) TaskReader(ctx context.Context) (*TaskReader, error) {
	tr, err := r.rowReader(ctx)
	if err != nil {
		return nil, err
	}
	ok, err := packTrusted(ctx, r.q)
	if err == nil && ok {
		tr.packed, err = r.q.PrepareContext(ctx, packedStmt)
	}
	if err != nil {
		tr.Close()
		return nil, err
	}
	return tr, nil
}

// rowReader is a TaskReader that reads the rows only.
func (r Reader) rowReader(ctx context.Context) (*TaskReader, error) {
	// Sorted here, not by SQLite: its sorter, for each plan, cost a third
	// of the reading.
	stmt, err := r.q.PrepareContext(ctx, `SELECT `+taskRow+` FROM tasks t WHERE t.plan_id = ? AND t.removed_at IS NULL`)
	if err != nil {
		return nil, err
	}
	one, err := r.q.PrepareContext(ctx, `SELECT `+taskColumns+` FROM tasks t WHERE t.id = ?`)
	if err != nil {
		stmt.Close()
		return nil, err
	}
	return &TaskReader{stmt: stmt, one: one}, nil
}

// Close closes the statements.
func (tr *TaskReader) Close() {
	tr.stmt.Close()
	tr.one.Close()
	if tr.packed != nil {
		tr.packed.Close()
	}
}

// PlansTasks is Reader.PlansTasks.
func (tr *TaskReader) PlansTasks(ctx context.Context, plans []Plan) ([]PlanTask, error) {
	n := 0
	for _, p := range plans {
		n += p.Tasks
	}
	out := make([]PlanTask, 0, n)
	var err error
	for i := range plans {
		if tr.packed != nil {
			var ok bool
			if out, ok, err = readPacked(ctx, tr.packed, &plans[i], out); err != nil {
				return nil, err
			}
			if ok {
				continue
			}
		}
		if out, err = readPlanTasks(ctx, tr.stmt, tr.one, &plans[i], out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// taskRow is taskColumns (but removed_at: the tasks read are current) as
// one text, the columns joined by the unit separator (U+001F): a row is
// one value for the driver to fetch and box, not 26 (that work, a string
// and an interface per column, was most of the reading). The fields are
// cut out of it without copying. concat_ws builds the text at once: 25
// `||` made 25 ever longer intermediate texts, 1 CPU-s of the 1.4 an
// evaluation of 120,000 tasks spent reading them. (concat_ws skips a
// NULL: a row would then have too few fields and be read by its ID; the
// columns are NOT NULL.)
var taskRow = `concat_ws(char(31), ` + strings.Join([]string{`t.id`, `t.plan_id`, `t.ext_id`, `t.step`, `t.title`, `t.responsible`, `t.performer`, `t.start`, `t.end`,
	`t.status`, `t.raw_status`, `t.notes`, `t.sheet`, `t.row`, `t.baseline_start`, `t.baseline_end`, `t.created_run_id`, `t.updated_run_id`,
	`t.start_text`, `t.start_precision`, `t.start_year_assumed`, `t.end_text`, `t.end_precision`, `t.end_year_assumed`, `t.health`,
	`t.depends_on`}, `, `) + `)`

const taskRowFields = 26

// scanTaskRow reads a taskRow; ok is false when the row does not have
// its fields (a text holding the separator itself): it is then read by
// its ID (the first field, a number) the ordinary way.
func scanTaskRow(s string) (t Task, id int64, ok bool) {
	var f [taskRowFields]string
	for i := 0; i < taskRowFields-1; i++ {
		j := strings.IndexByte(s, 0x1f)
		if j < 0 {
			return t, 0, false
		}
		f[i], s = s[:j], s[j+1:]
	}
	f[taskRowFields-1] = s
	id, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return t, 0, false
	}
	if strings.IndexByte(s, 0x1f) >= 0 {
		return t, id, false
	}
	var errs [5]error
	t.ID = id
	t.PlanID, errs[0] = strconv.ParseInt(f[1], 10, 64)
	t.Task.ID, t.Step, t.Title, t.Responsible, t.Performer = f[2], f[3], f[4], f[5], f[6]
	t.Status, t.RawStatus, t.Notes, t.Pos.Sheet = model.Status(f[9]), f[10], f[11], f[12]
	t.Pos.Row, errs[1] = strconv.Atoi(f[13])
	t.CreatedRun, errs[2] = strconv.ParseInt(f[16], 10, 64)
	t.UpdatedRun, errs[3] = strconv.ParseInt(f[17], 10, 64)
	t.StartAs.Text, t.StartAs.Precision, t.StartAs.YearAssumed = f[18], model.Precision(f[19]), f[20] != "0"
	t.EndAs.Text, t.EndAs.Precision, t.EndAs.YearAssumed = f[21], model.Precision(f[22]), f[23] != "0"
	t.Health = f[24]
	if f[25] != "" {
		t.After = model.SplitAfter(f[25])
	}
	for i, d := range []*model.Date{&t.Start, &t.End, &t.BaselineStart, &t.BaselineEnd} {
		*d, errs[4] = model.ParseISODate(f[[]int{7, 8, 14, 15}[i]])
		if errs[4] != nil {
			return t, id, false
		}
	}
	for _, err := range errs[:4] {
		if err != nil {
			return t, id, false
		}
	}
	return t, id, true
}

// readPlanTasks appends p's current tasks to out (one reads a task by ID).
func readPlanTasks(ctx context.Context, stmt, one *sql.Stmt, p *Plan, out []PlanTask) ([]PlanTask, error) {
	rows, err := stmt.QueryContext(ctx, p.ID)
	if err != nil {
		return nil, fmt.Errorf("tasks of %s: %w", p.Key(), err)
	}
	defer rows.Close()
	from := len(out)
	var odd []int64 // rows not cut: read again by ID
	for rows.Next() {
		var row string
		if err := rows.Scan(&row); err != nil {
			return nil, fmt.Errorf("tasks of %s: %w", p.Key(), err)
		}
		t, id, ok := scanTaskRow(row)
		if !ok {
			if id == 0 {
				return nil, fmt.Errorf("tasks of %s: a row without its ID", p.Key())
			}
			odd = append(odd, id)
			continue
		}
		out = append(out, PlanTask{Task: t, Plan: p})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tasks of %s: %w", p.Key(), err)
	}
	rows.Close()
	for _, id := range odd {
		t, err := scanTask(one.QueryRowContext(ctx, id))
		if err != nil {
			return nil, fmt.Errorf("tasks of %s: task %d: %w", p.Key(), id, err)
		}
		out = append(out, PlanTask{Task: t, Plan: p})
	}
	mine := out[from:]
	sort.Slice(mine, func(i, j int) bool { return taskBefore(&mine[i].Task, &mine[j].Task) })
	return out, nil
}
