package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/udrul/udrul/config"
)

// ConfigCommand validates a configuration file.
type ConfigCommand struct {
	Stdout, Stderr io.Writer
}

// Run runs the command.
func (c *ConfigCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("config", "check [--config FILE]\n\nValidates a configuration file: unknown keys, bad values and impossible\ncombinations are reported with their key and line.", c.Stderr)
	if len(args) == 0 || args[0] != "check" {
		fs.Usage()
		return errUsage
	}
	cfgPath := configFlag(fs)
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
	fmt.Fprintf(c.Stdout, "%s is valid: %d sources, database %s\n", path, len(cfg.Sources), cfg.DatabasePath())
	return nil
}

// InitCommand writes a commented starter configuration.
type InitCommand struct {
	Stdout, Stderr io.Writer
}

// Run runs the command.
func (c *InitCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("init", "[--out FILE] [--force]\n\nWrites a commented starter configuration.", c.Stderr)
	out := fs.String("out", "udrul.yaml", "`file` to write")
	force := fs.Bool("force", false, "overwrite an existing file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(*out, flags, 0o644)
	if err != nil {
		if os.IsExist(err) {
			return fmt.Errorf("%s exists; use --force to overwrite it", *out)
		}
		return err
	}
	if _, err := f.Write(config.Starter()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "wrote %s: edit its sources, then run 'udrul config check --config %s' and 'udrul sync --config %s'\n", *out, *out, *out)
	return nil
}
