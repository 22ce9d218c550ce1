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
	// The starter speaks Danish, the default; a file it would replace
	// may say otherwise.
	en := false
	if _, err := os.Stat(path); err == nil && !*force {
		if cfg, err := config.Load(path); err == nil {
			en = cfg.English()
		}
		return fmt.Errorf(say(en, "%s findes allerede; brug --force for at overskrive den", "%s exists; use --force to overwrite it"), path)
	}
	// 0600: the configuration may come to hold a password.
	if err := app.WriteFilePerm(path, 0o600, func(w io.Writer) error { _, err := w.Write(config.Starter()); return err }); err != nil {
		return app.PlainAt(err, path, false)
	}
	fmt.Fprintf(c.Stdout, "skrev %[1]s: ret dens kilder (sources), og kør så 'udrul config check --config %[1]s' og 'udrul sync --config %[1]s'\n", path)
	return nil
}
