package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/config"
)

// ConfigCommand validates a configuration file.
type ConfigCommand struct {
	Stdout, Stderr io.Writer
}

// Run runs the command.
func (c *ConfigCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("config", "check [--config FILE]\n\nValidates a configuration file: unknown keys, bad values and impossible\ncombinations are reported with their key and line.", c.Stderr)
	cfgPath := configFlag(fs)
	args = subcommandFirst(args, "check")
	if len(args) == 0 || args[0] != "check" {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		return noSubcommand(fs, "name the subcommand: check", "check")
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	path := *cfgPath
	if fs.NArg() == 1 {
		path = fs.Arg(0)
	} else if fs.NArg() > 1 {
		fs.Usage()
		return errUsage
	}
	cfg, err := config.Load(path)
	if err != nil {
		var joined interface{ Unwrap() []error }
		if errors.As(err, &joined) {
			for _, e := range joined.Unwrap() {
				fmt.Fprintln(c.Stderr, e)
			}
		} else {
			fmt.Fprintln(c.Stderr, err)
		}
		return errReported
	}
	en := cfg.ProblemsEnglish()
	// The database is looked at read-only: checking a configuration never
	// creates or migrates it (an older udrul may be running against it).
	db := app.CheckDatabase(ctx, cfg)
	warnings := app.ConfigWarnings(cfg, db.Plans, db.PlansErr)
	for _, w := range warnings {
		fmt.Fprintf(c.Stderr, "%s: %v\n", say(en, "advarsel", "warning"), w)
	}
	n := len(warnings)
	if db.Problem != "" {
		fmt.Fprintf(c.Stderr, "%s: %s\n", say(en, "advarsel", "warning"), db.Problem)
		n++
	}
	for _, w := range db.Warnings {
		fmt.Fprintf(c.Stderr, "%s: %s\n", say(en, "advarsel", "warning"), w)
		n++
	}
	fmt.Fprint(c.Stdout, say(en, fmt.Sprintf("%s er gyldig: %d kilde(r), databasen %s", path, len(cfg.Sources), cfg.DatabasePath()),
		fmt.Sprintf("%s is valid: %d source(s), database %s", path, len(cfg.Sources), cfg.DatabasePath())))
	if n > 0 {
		fmt.Fprint(c.Stdout, say(en, fmt.Sprintf("; %d advarsel(er)", n), fmt.Sprintf("; %d warning(s)", n)))
	}
	fmt.Fprintln(c.Stdout)
	if db.Note != "" {
		fmt.Fprintln(c.Stdout, db.Note)
	}
	return nil
}
