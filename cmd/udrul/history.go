package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// HistoryCommand shows one task's changes over time.
type HistoryCommand struct {
	Stdout, Stderr io.Writer
}

// Run runs the command.
func (c *HistoryCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("history", "[--config FILE] TASK\n\nShows a task's changes over time; TASK is the number 'udrul tasks' shows.", c.Stderr)
	cfgPath := configFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badUsage(fs, "name one task by its number in 'udrul tasks'")
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return badUsage(fs, "%q is not a task number (see 'udrul tasks')", fs.Arg(0))
	}
	e, err := app.OpenTelling(ctx, *cfgPath, c.Stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	t, err := e.DB.TaskByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf(e.L("der er ingen opgave %d (se 'udrul tasks')", "there is no task %d (see 'udrul tasks')"), id)
	}
	if err != nil {
		return err
	}
	changes, err := e.DB.History(ctx, id)
	if err != nil {
		return err
	}
	loc := e.Cfg.Location()
	en := e.English()
	fmt.Fprintf(c.Stdout, e.L("Opgave %d: %q\nPlan %s, %s, række %d i arket %q\nNu: %s – %s, %s", "Task %d: %q\nPlan %s, %s, row %d of sheet %q\nNow: %s – %s, %s"),
		t.ID, t.Title, safeout.Terminal(t.Plan.Key()), safeout.Terminal(t.Step), t.Pos.Row, t.Pos.Sheet, t.Start, t.End, model.StatusLabel(t.Status, en))
	if t.Removed() {
		fmt.Fprintf(c.Stdout, e.L(", fjernet fra arket %s", ", removed from the sheet %s"), stamp(t.RemovedAt, loc))
	}
	fmt.Fprintf(c.Stdout, "\nBaseline: %s – %s\n\n", t.BaselineStart, t.BaselineEnd)
	if len(changes) == 0 {
		fmt.Fprintln(c.Stdout, e.L("Ingen ændringer siden den blev læst første gang.", "No changes since it was first read."))
		return nil
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, e.L("HVORNÅR\tKØRSEL\tFELT\tFRA\tTIL", "WHEN\tRUN\tFIELD\tFROM\tTO"))
	for _, ch := range changes {
		tableRow(tw, stamp(ch.At, loc), ch.RunID, model.FieldLabel(ch.Field, en), changeValue(ch.Field, ch.Old, en), changeValue(ch.Field, ch.New, en))
	}
	return tw.Flush()
}

// changeValue is a changed value as the commands print it: a status as its
// word, dates as YYYY-MM-DD like every date the commands print.
func changeValue(field, v string, english bool) string {
	if field == "status" && v != "" {
		return model.StatusLabel(model.Status(v), english)
	}
	return v
}
