package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/config"
)

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
	path := app.OutputPath(*out, ".", "udrul.yaml")
	if _, err := os.Stat(path); err == nil && !*force {
		return fmt.Errorf("%s exists; use --force to overwrite it", path)
	}
	// 0600: the configuration may come to hold a password.
	if err := app.WriteFilePerm(path, 0o600, func(w io.Writer) error { _, err := w.Write(config.Starter()); return err }); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "wrote %s: edit its sources, then run 'udrul config check --config %s' and 'udrul sync --config %s'\n", path, path, path)
	return nil
}
