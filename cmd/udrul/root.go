package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and found a problem, or failed
	exitUsage   = 2 // wrong usage
)

var (
	// errUsage marks a usage error; the command has printed what is wrong.
	errUsage = errors.New("usage")
	// errReported marks a failure the command has already reported.
	errReported = errors.New("failed")
)

// Main is the udrul program: its subcommands and where they write.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// NewMain returns a Main that reads and writes the given streams.
func NewMain(stdin io.Reader, stdout, stderr io.Writer) *Main {
	return &Main{Stdin: stdin, Stdout: stdout, Stderr: stderr}
}

// runner is a subcommand: each parses its own flags.
type runner interface {
	Run(ctx context.Context, args []string) error
}

type command struct {
	name    string
	summary string
	make    func(stdout, stderr io.Writer) runner
}

func commands() []command {
	return []command{
		{"demo", "sync example plans, change them, sync again and show what udrul found", func(o, e io.Writer) runner { return &DemoCommand{o, e} }},
		{"check", "read plan files and list what is wrong in them", func(o, e io.Writer) runner { return &CheckCommand{o, e} }},
		{"sync", "read every source once and reconcile the plans into the store", func(o, e io.Writer) runner { return &SyncCommand{o, e} }},
		{"sources", "list the sources and their plans with how each was last read", func(o, e io.Writer) runner { return &SourcesCommand{o, e} }},
		{"plans", "list the plans with their state and counts", func(o, e io.Writer) runner { return &PlansCommand{o, e} }},
		{"tasks", "list the current tasks with their plans", func(o, e io.Writer) runner { return &TasksCommand{o, e} }},
		{"findings", "evaluate the rules and list the open findings", func(o, e io.Writer) runner { return &FindingsCommand{o, e} }},
		{"report", "write the consolidated Excel report", func(o, e io.Writer) runner { return &ReportCommand{o, e} }},
		{"alerts", "send the deadline digests (or show them with --dry-run)", func(o, e io.Writer) runner { return &AlertsCommand{o, e} }},
		{"run", "run the daemon: scheduled syncs, alerts and reports; health and metrics", func(o, e io.Writer) runner { return &RunCommand{o, e} }},
		{"backup", "write a checked, compressed copy of the database (also while udrul run works)", func(o, e io.Writer) runner { return &BackupCommand{o, e} }},
		{"restore", "put a backup in place of the database (udrul run stopped)", func(o, e io.Writer) runner { return &RestoreCommand{o, e} }},
		{"history", "show one task's changes over time", func(o, e io.Writer) runner { return &HistoryCommand{o, e} }},
		{"baseline", "reset a plan's baseline (baseline reset --plan P --label L)", func(o, e io.Writer) runner { return &BaselineCommand{o, e} }},
		{"config", "validate a configuration file (config check)", func(o, e io.Writer) runner { return &ConfigCommand{o, e} }},
		{"init", "write a commented starter configuration", func(o, e io.Writer) runner { return &InitCommand{o, e} }},
		{"template", "write a ready-to-fill standard plan dated for a wave (or --rebase)", func(o, e io.Writer) runner { return &TemplateCommand{o, e} }},
		{"waves", "propose, revise (hearing) and decide wave plans (waves propose|responses|decide)", func(o, e io.Writer) runner { return &WavesCommand{o, e} }},
		{"example", "write example plans in every layout udrul reads", func(o, e io.Writer) runner { return &ExampleCommand{o, e} }},
	}
}

// Run runs the subcommand named by args[0] and returns the exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		m.usage(m.Stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.make(m.Stdout, m.Stderr).Run(ctx, args[1:])
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.Is(err, errUsage):
			return exitUsage
		case errors.Is(err, errReported):
			return exitFailure
		}
		fmt.Fprintf(m.Stderr, "udrul %s: %v\n", c.name, err)
		return exitFailure
	}
	fmt.Fprintf(m.Stderr, "udrul: unknown command %q\n\n", args[0])
	m.usage(m.Stderr)
	return exitUsage
}

func (m *Main) usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("udrul turns municipalities' implementation plan spreadsheets into one picture of a rollout.\n\nUsage:\n  udrul <command> [arguments]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'udrul <command> -h' for a command's flags.\n")
	io.WriteString(w, b.String())
}

// newFlagSet returns a flag set that reports errors to stderr and returns
// them, with a usage text headed by synopsis.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("udrul "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: udrul %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning a flag error into errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
