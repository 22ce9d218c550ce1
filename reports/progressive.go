package reports

import (
	"errors"
	"fmt"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/xuri/excelize/v2"
)

// Report is a report written while its data is still being gathered: the
// task list first, a group of tasks at a time as the caller evaluates them
// (Add), on a goroutine of its own so that the caller's next group is
// evaluated meanwhile, and the rows of the findings' sheets made from the
// same groups (kept in a temporary file until they are sorted); the other
// sheets when Finish has the rest of the data. The tasks are listed from
// the very groups that are counted, so the list cannot disagree with the
// other sheets and is never read twice, and neither the tasks nor the
// findings are held beyond their group.
type Report struct {
	tf    *tempFile
	w     *writer
	lists *findingLists
	list  *taskList
	rows  int // tasks listed
	queue chan taskGroup
	done  chan struct{}
	err   error // the writing goroutine's, read after done
	ended bool
}

// taskGroup is a group of tasks with their plans and findings.
type taskGroup struct {
	plans    []store.Plan
	tasks    []store.PlanTask
	findings []model.Finding
}

// Begin starts the report name in dir (as WriteFile: a temporary file
// renamed into place by Finish). base gives the report's date, language,
// calendar, time zone and municipality; its other fields are Finish's.
func Begin(dir, name string, base *Data) (*Report, error) {
	tf, err := createTemp(dir, name)
	if err != nil {
		return nil, err
	}
	d := *base
	w := &writer{f: excelize.NewFile(), d: &d, en: d.English}
	w.styles()
	// The sheets before the task list are made now, empty, so that it
	// takes its place among them; they are written by Finish.
	w.must(w.f.SetSheetName("Sheet1", w.sheet("overview")))
	for _, k := range []string{"matrix", "waves", "forecast", "overdue", "slipped", "quality", "changes"} {
		_, err := w.f.NewSheet(w.sheet(k))
		w.must(err)
	}
	r := &Report{tf: tf, w: w, queue: make(chan taskGroup, 1), done: make(chan struct{})}
	if w.err == nil {
		r.lists, w.err = newFindingLists(w)
	}
	if w.err == nil {
		// The rows to come are not known yet: the print titles are set by
		// Finish, in their place among the other sheets' names.
		r.list = w.newTaskList(-1)
	}
	if w.err != nil {
		err := w.err
		if r.lists != nil {
			r.lists.close()
		}
		w.close()
		tf.abort()
		return nil, fmt.Errorf("write %s: %w", tf.path, err)
	}
	go r.write()
	return r, nil
}

// write lists the tasks of each group added, until the queue is closed or
// a row cannot be written.
func (r *Report) write() {
	defer close(r.done)
	for g := range r.queue {
		// A group's tasks are of its own plans and findings only.
		clear(r.list.plans)
		clear(r.list.overdue)
		r.list.of(g.plans, g.findings)
		for i := range g.tasks {
			if err := r.list.add(&g.tasks[i]); err != nil {
				r.err = fmt.Errorf("list the tasks: %w", err)
				return
			}
		}
		r.rows += len(g.tasks)
		if err := r.lists.add(g.plans, g.tasks, g.findings); err != nil {
			r.err = err
			return
		}
	}
}

// Add lists tasks (in the task list's order: by municipality, solution,
// sheet and row, following the tasks added before) with their plans and
// the findings of their group (every finding of the report is added once,
// with its task's group). The slices are read while the next group is
// gathered, and must not change.
func (r *Report) Add(plans []store.Plan, tasks []store.PlanTask, findings []model.Finding) error {
	select {
	case r.queue <- taskGroup{plans, tasks, findings}:
		return nil
	case <-r.done:
		return r.err
	}
}

// end waits for the task list to be written.
func (r *Report) end() error {
	if !r.ended {
		r.ended = true
		close(r.queue)
	}
	<-r.done
	return r.err
}

// Abort stops the report and removes its temporary file.
func (r *Report) Abort() {
	r.end()
	r.lists.close()
	r.w.close()
	r.tf.abort()
}

// Finish writes the other sheets from d, which holds what the report shows
// besides the task list and the findings' rows (the plans, and the figures
// of the tasks and findings added: Counts and FindingSums, or Findings, as
// a Summarizer sets them), and renames the workbook into place. It returns
// the report's path.
func (r *Report) Finish(d *Data) (string, error) {
	if err := r.end(); err != nil {
		r.Abort()
		return "", fmt.Errorf("write %s: %w", r.tf.path, err)
	}
	if err := r.finish(d); err != nil {
		r.Abort()
		return "", fmt.Errorf("write %s: %w", r.tf.path, err)
	}
	r.lists.close()
	r.w.close()
	return r.tf.commit()
}

func (r *Report) finish(d *Data) error {
	if d.Counts == nil {
		return errors.New("the report's task figures are missing")
	}
	n := 0
	for _, c := range d.Counts {
		n += c.Tasks
	}
	w := r.w
	if n != r.rows {
		// The figures are of other tasks than those listed.
		return errors.New(w.l(fmt.Sprintf("rapportens opgaveliste har %d opgaver, dens tal %d: skriv rapporten igen", r.rows, n),
			fmt.Sprintf("the report's task list has %d tasks, its figures %d: write the report again", r.rows, n)))
	}
	w.d = d
	w.en = d.English
	if err := r.lists.sort(); err != nil {
		return err
	}
	w.lists = r.lists
	if err := w.sheets(func() {
		if r.rows > 0 {
			w.printTitles(w.sheet("tasks"))
		}
		r.list.t.close()
	}); err != nil {
		return err
	}
	return w.save(r.tf.f)
}
