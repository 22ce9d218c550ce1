package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/sync/parse"
)

// InitCommand writes a commented starter configuration.
type InitCommand struct {
	Stdout, Stderr io.Writer
}

const initSynopsis = `[--out FILE] [--force] [--lang da|en]

Writes a commented starter configuration, its comments in the language it
sets (language:): Danish, or English with --lang en.`

// Run runs the command.
func (c *InitCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("init", initSynopsis, c.Stderr)
	out := fs.String("out", "udrul.yaml", "`file` to write")
	force := fs.Bool("force", false, "overwrite an existing file")
	langFlag := fs.String("lang", "", "`language` of the file (its comments and language:) and of the messages: da or en (default: $UDRUL_LANGUAGE, else da)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	path := app.OutputPath(*out, ".", "udrul.yaml")
	en := flagsEnglish(fs)
	if *langFlag != "" {
		l, err := parse.ParseLang(*langFlag)
		if err != nil {
			return badUsage(fs, "unknown language %q: use da or en", *langFlag)
		}
		en = l == parse.English
	}
	if _, err := os.Stat(path); err == nil && !*force {
		// Said in the language of the file it would replace, unless one
		// was asked for.
		if cfg, err := config.Load(path); err == nil && *langFlag == "" {
			en = cfg.English()
		}
		return fmt.Errorf(say(en, "%s findes allerede; brug --force for at overskrive den", "%s exists; use --force to overwrite it"), path)
	}
	// 0600: the configuration may come to hold a password.
	if err := app.WriteFilePerm(path, 0o600, func(w io.Writer) error { _, err := w.Write(config.StarterIn(en)); return err }); err != nil {
		return app.PlainAt(err, path, en)
	}
	fmt.Fprintf(c.Stdout, say(en, "skrev %[1]s: ret dens kilder (sources), og kør så 'udrul config check --config %[1]s' og 'udrul sync --config %[1]s'\n",
		"wrote %[1]s: edit its sources, then run 'udrul config check --config %[1]s' and 'udrul sync --config %[1]s'\n"), path)
	return nil
}
