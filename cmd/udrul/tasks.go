package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// TasksCommand lists the current tasks with their plans.
type TasksCommand struct {
	Stdout, Stderr io.Writer
}

const tasksSynopsis = `[--config FILE] [--format table|csv|json] [--municipality M] [--solution S] [--wave N] [--status LIST] [--removed]

Lists the tasks in the store with their plan. The first column is the task's
number, which 'udrul history' takes.`

// Run runs the command.
func (c *TasksCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("tasks", tasksSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	format := fs.String("format", "table", "output `format`: table, csv or json")
	var f store.TaskFilter
	fs.StringVar(&f.Municipality, "municipality", "", "only this `municipality`")
	fs.StringVar(&f.Solution, "solution", "", "only this `solution`")
	fs.StringVar(&f.Wave, "wave", "", "only this `wave`")
	statuses := fs.String("status", "", "only these `statuses`, comma-separated (not_started, in_progress, done, cancelled, on_hold, unknown)")
	fs.BoolVar(&f.WithRemoved, "removed", false, "include tasks removed from their sheets")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := listOf("status", "status", *statuses, "not_started", "in_progress", "done", "cancelled", "on_hold", "unknown"); err != nil {
		return badUsage(fs, "%v", err)
	}
	if *statuses != "" {
		for _, s := range strings.Split(*statuses, ",") {
			st, err := model.ParseStatus(strings.ToLower(strings.TrimSpace(s)))
			if err != nil {
				return badUsage(fs, "--status: %v", err)
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	if fs.NArg() > 0 {
		return badUsage(fs, "unexpected argument %q: this command takes only flags", fs.Arg(0))
	}
	if err := oneOf("format", *format, "table", "csv", "json"); err != nil {
		return badUsage(fs, "%v", err)
	}
	e, err := app.OpenTelling(ctx, *cfgPath, c.Stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	if f.Municipality, err = e.Municipality(f.Municipality); err != nil {
		return err
	}
	if f.Solution, err = e.Solution(ctx, f.Solution); err != nil {
		return err
	}
	if f.Wave, err = e.Wave(ctx, f.Wave); err != nil {
		return err
	}
	tasks, err := e.DB.ListTasks(ctx, f)
	if err != nil {
		return err
	}
	header := []string{"task", "municipality", "solution", "wave", "step", "id", "title", "responsible", "performer", "start", "end", "status", "raw_status", "baseline_end", "sheet", "row", "removed",
		"start_as_written", "end_as_written", "health"}
	row := func(t store.PlanTask) []string {
		removed := ""
		if t.Removed() {
			removed = t.RemovedAt.In(e.Cfg.Location()).Format("2006-01-02")
		}
		return []string{fmt.Sprint(t.ID), t.Plan.Municipality, t.Plan.Solution, t.Plan.Wave, t.Step, t.Task.Task.ID, t.Title, t.Responsible, t.Performer,
			t.Start.String(), t.End.String(), string(t.Status), t.RawStatus, t.BaselineEnd.String(), t.Pos.Sheet, fmt.Sprint(t.Pos.Row), removed,
			t.StartAs.Text, t.EndAs.Text, t.Health}
	}
	switch *format {
	case "csv":
		// Cells a spreadsheet would run as formulas get a leading '
		// (numbers and dates stay as they are).
		w := csv.NewWriter(c.Stdout)
		w.Write(header)
		for _, t := range tasks {
			w.Write(safeout.CSVRow(row(t)))
		}
		w.Flush()
		return w.Error()
	case "json":
		out := []taskRowJSON{}
		for _, t := range tasks {
			out = append(out, taskRowJSON{t.ID, t.Plan.Municipality, t.Plan.Solution, t.Plan.Wave, t.Step, t.Task.Task.ID, t.Title, t.Responsible,
				t.Performer, jsonDate(t.Start), jsonDate(t.End), string(t.Status), t.RawStatus, jsonDate(t.BaselineEnd), t.Pos.Sheet, t.Pos.Row,
				jsonTime(t.RemovedAt, e.Cfg.Location()), t.StartAs.Text, t.EndAs.Text, t.Health})
		}
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, e.L("NR\tPLAN\tTRIN\tID\tOPGAVE\tANSVARLIG\tUDFØRER\tSTART\tSLUT\tSTATUS", "TASK\tPLAN\tSTEP\tID\tTITLE\tRESPONSIBLE\tPERFORMER\tSTART\tEND\tSTATUS"))
	for _, t := range tasks {
		title := t.Title
		if len([]rune(title)) > 50 {
			title = string([]rune(title)[:49]) + "…"
		}
		if t.Removed() {
			title += e.L(" (fjernet)", " (removed)")
		}
		tableRow(tw, t.ID, t.Plan.Key(), t.Step, t.Task.Task.ID, title, t.Responsible, t.Performer, model.AsWritten(t.Start, t.StartAs), model.AsWritten(t.End, t.EndAs),
			model.StatusLabel(t.Status, e.English()))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, e.L("%d opgaver\n", "%d tasks\n"), len(tasks))
	return nil
}

// The JSON shape of `udrul tasks --format json`: numbers as numbers, dates
// as YYYY-MM-DD and times as RFC 3339, null when absent.
type taskRowJSON struct {
	Task         int64       `json:"task"`
	Municipality string      `json:"municipality"`
	Solution     string      `json:"solution"`
	Wave         string      `json:"wave"`
	Step         string      `json:"step"`
	ID           string      `json:"id"`
	Title        string      `json:"title"`
	Responsible  string      `json:"responsible"`
	Performer    string      `json:"performer"`
	Start        *model.Date `json:"start"`
	End          *model.Date `json:"end"`
	Status       string      `json:"status"`
	RawStatus    string      `json:"raw_status"`
	BaselineEnd  *model.Date `json:"baseline_end"`
	Sheet        string      `json:"sheet"`
	Row          int         `json:"row"`
	Removed      *string     `json:"removed"`
	// How a date was written when it was not an exact day ("uge 34").
	StartAsWritten string `json:"start_as_written"`
	EndAsWritten   string `json:"end_as_written"`
	Health         string `json:"health"` // the owner's traffic light
}
