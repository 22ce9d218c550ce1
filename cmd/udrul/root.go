package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/internal/suggest"
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
		{"forecast", "will each plan be ready for its go-live? the forecast and the tasks that drive it", func(o, e io.Writer) runner { return &ForecastCommand{o, e} }},
		{"alerts", "send the deadline digests (or show them with --dry-run)", func(o, e io.Writer) runner { return &AlertsCommand{o, e} }},
		{"outbox", "list undelivered messages with their errors; retry or drop one", func(o, e io.Writer) runner { return &OutboxCommand{o, e} }},
		{"run", "run the daemon: scheduled syncs, alerts and reports; health and metrics", func(o, e io.Writer) runner { return &RunCommand{o, e} }},
		{"sessions", "end the web view's logins now (sessions revoke [--user EMAIL])", func(o, e io.Writer) runner { return &SessionsCommand{o, e} }},
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
// Help (-h, --help, 'udrul help CMD') goes to stdout and exits 0.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		m.usage(m.Stderr, args)
		return exitUsage
	}
	args, named := commandFirst(args)
	if !named {
		// Only flags: help or the version when asked for, else a
		// usage mistake.
		switch {
		case wantsHelp(args):
			m.usage(m.Stdout, args)
			return exitOK
		case slices.Contains(args, "--version") || slices.Contains(args, "-version"):
			bi, ok := debug.ReadBuildInfo()
			io.WriteString(m.Stdout, versionText(bi, ok, helpEnglish(configArg(args))))
			return exitOK
		}
		en := helpEnglish(configArg(args))
		fmt.Fprintln(m.Stderr, say(en, "udrul: angiv en kommando først, fx udrul sync ", "udrul: name a command first, such as udrul sync ")+strings.Join(args, " ")+"\n")
		m.usage(m.Stderr, args)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		m.usage(m.Stdout, args[1:])
		return exitOK
	case "help":
		if len(args) == 1 || strings.HasPrefix(args[1], "-") {
			m.usage(m.Stdout, args[1:]) // "udrul help --config x.yaml": udrul's help in its language
			return exitOK
		}
		args = append([]string{args[1], "-h"}, args[2:]...)
		if !slices.Contains(commandNames(), args[0]) {
			m.unknownCommand(args[0], "help ", args[2:])
			return exitUsage
		}
	case "version", "-version", "--version":
		bi, ok := debug.ReadBuildInfo()
		io.WriteString(m.Stdout, versionText(bi, ok, helpEnglish(configArg(args[1:]))))
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		stderr := m.Stderr
		if wantsHelp(args[1:]) {
			stderr = m.Stdout // asked-for help is output, not an error
		}
		err := c.make(m.Stdout, stderr).Run(ctx, args[1:])
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
		fmt.Fprintf(m.Stderr, "udrul %s: %v\n", c.name, app.Explain(err, englishConfig(args[1:])))
		return exitFailure
	}
	m.unknownCommand(args[0], "", args[1:])
	return exitUsage
}

// unknownCommand says that name is no command, with the command it most
// likely meant (written as the whole command line to type: prefix, the
// command, rest) or, for a plan file, the check command; then the usage.
func (m *Main) unknownCommand(name, prefix string, rest []string) {
	en := helpEnglish(configArg(rest))
	msg := fmt.Sprintf(say(en, "udrul: ukendt kommando %q", "udrul: unknown command %q"), name)
	if s := suggest.Closest(name, commandNames()); s != "" {
		line := []string{"udrul", prefix + s}
		for _, a := range rest {
			line = append(line, safeout.ShellArg(a))
		}
		msg += fmt.Sprintf(say(en, "; mente du %q?", "; did you mean %q?"), strings.Join(line, " "))
	} else if looksLikePlan(name) {
		msg += fmt.Sprintf(say(en, "; en plan kontrolleres med %q", "; to check a plan: %q"), "udrul check "+safeout.ShellArg(name))
	}
	fmt.Fprintln(m.Stderr, msg+"\n")
	m.usage(m.Stderr, rest)
}

// commandNames are the names udrul takes as its first argument.
func commandNames() []string {
	names := []string{"help", "version"}
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// looksLikePlan reports whether arg names a spreadsheet file.
func looksLikePlan(arg string) bool {
	switch strings.ToLower(filepath.Ext(arg)) {
	case ".xlsx", ".xlsm", ".xls", ".csv", ".txt":
		return true
	}
	return false
}

// commandFirst moves flags written before the command ("udrul --config
// x.yaml sync", a common habit) to after it, where each command parses
// them: before any "--" that ends its flags, after its positional
// arguments and subcommand. A flag without "=" takes the next argument as
// its value unless that is a command or another flag. named is false when
// args hold flags and no command.
func commandFirst(args []string) (out []string, named bool) {
	isCommand := func(a string) bool { return slices.Contains(commandNames(), a) }
	var flags []string
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-" || !strings.HasPrefix(a, "-") {
			break
		}
		flags = append(flags, a)
		switch {
		case strings.Contains(a, "="), wantsHelp([]string{a}), a == "--version", a == "-version":
			continue
		case i+1 < len(args) && !isCommand(args[i+1]) && !strings.HasPrefix(args[i+1], "-"):
			i++
			flags = append(flags, args[i])
		}
	}
	if len(flags) == 0 {
		return args, true
	}
	if i == len(args) || args[i] == "--" || args[i] == "-" {
		return args, false
	}
	// Help and the version asked for before a command: "udrul -h sync" is
	// udrul's help, as it always was.
	if len(flags) == 1 && (wantsHelp(flags) || flags[0] == "--version" || flags[0] == "-version") {
		return args, true
	}
	rest := args[i+1:]
	cut := slices.Index(rest, "--")
	if cut < 0 {
		cut = len(rest)
	}
	out = append([]string{args[i]}, rest[:cut]...)
	out = append(out, flags...)
	return append(out, rest[cut:]...), true
}

// usage prints udrul's usage in the language of the configuration args
// name (or $UDRUL_LANGUAGE).
func (m *Main) usage(w io.Writer, args []string) {
	printMainUsage(w, helpEnglish(configArg(args)))
}

// newFlagSet returns a flag set that reports errors to stderr and returns
// them, with a usage text headed by synopsis, said in the configured
// language (see flagsEnglish).
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("udrul "+name, flag.ContinueOnError)
	fs.SetOutput(&flagOutput{fs: fs, w: stderr})
	fs.Usage = func() { printUsage(stderr, fs, name, synopsis, flagsEnglish(fs)) }
	return fs
}

// wantsHelp reports whether args ask for help before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// parseFlags parses args, turning a flag error into errUsage. Flags may
// also follow the positional arguments ("history 95 --config x.yaml"),
// unless a "--" ends the flags.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		consumed := args[:len(args)-len(rest)]
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	if len(positional) > 0 {
		// Parse sets the remaining arguments; "--" makes them all positional.
		if err := fs.Parse(append([]string{"--"}, positional...)); err != nil {
			return errUsage
		}
	}
	return nil
}

// englishConfig reports whether the configuration a command's arguments
// name (--config, else the default) asks for English, so that an error
// the command did not word itself is said in that language. A file that
// cannot be read or is invalid is Danish, the default.
func englishConfig(args []string) bool {
	cfg, err := config.Load(configArg(args))
	return err == nil && cfg.English()
}
