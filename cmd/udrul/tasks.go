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
	statuses := fs.String("status", "", "only these `statuses`, comma-separated (not_started, in_progress, done, cancelled, unknown)")
	fs.BoolVar(&f.WithRemoved, "removed", false, "include tasks removed from their sheets")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *statuses != "" {
		for _, s := range strings.Split(*statuses, ",") {
			st, err := model.ParseStatus(s)
			if err != nil {
				fmt.Fprintf(c.Stderr, "udrul tasks: --status: %v\n", err)
				return errUsage
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	if fs.NArg() > 0 || (*format != "table" && *format != "csv" && *format != "json") {
		fs.Usage()
		return errUsage
	}
	e, err := app.Open(ctx, *cfgPath)
	if err != nil {
		return err
	}
	defer e.Close()
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
		out := []map[string]string{}
		for _, t := range tasks {
			m := map[string]string{}
			for i, v := range row(t) {
				m[header[i]] = v
			}
			out = append(out, m)
		}
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TASK\tPLAN\tSTEP\tID\tTITLE\tRESPONSIBLE\tPERFORMER\tSTART\tEND\tSTATUS")
	for _, t := range tasks {
		title := t.Title
		if len([]rune(title)) > 50 {
			title = string([]rune(title)[:49]) + "…"
		}
		if t.Removed() {
			title += " (removed)"
		}
		tableRow(tw, t.ID, t.Plan.Key(), t.Step, t.Task.Task.ID, title, t.Responsible, t.Performer, model.AsWritten(t.Start, t.StartAs), model.AsWritten(t.End, t.EndAs), t.Status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "%d tasks\n", len(tasks))
	return nil
}
