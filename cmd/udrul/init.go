package main

import (
	"context"
	"fmt"
	"io"
	"os"

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
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	// 0600: the configuration may come to hold a password.
	f, err := os.OpenFile(*out, flags, 0o600)
	if err != nil {
		if os.IsExist(err) {
			return fmt.Errorf("%s exists; use --force to overwrite it", *out)
		}
		return err
	}
	if err := f.Chmod(0o600); err != nil { // --force over a file readable by others
		f.Close()
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
