package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/model"
)

// defaultConfig is the configuration file used when --config is not given:
// $UDRUL_CONFIG, else udrul.yaml in the current folder.
func defaultConfig() string {
	if p := os.Getenv("UDRUL_CONFIG"); p != "" {
		return p
	}
	return "udrul.yaml"
}

func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", defaultConfig(), "configuration `file` ($UDRUL_CONFIG when set)")
}

// isTerminal reports whether w is a terminal (for progress bars).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// asOf reads a command's --as-of flag; a bad date is a usage error,
// reported on stderr.
func asOf(e *app.Env, cmd, flag string, stderr io.Writer) (model.Date, error) {
	d, err := e.ParseAsOf(flag)
	if err != nil {
		fmt.Fprintf(stderr, "udrul %s: %v\n", cmd, err)
		return d, errUsage
	}
	return d, nil
}

// openFor parses a command's flags and opens its configuration and store.
// Positional arguments are refused, and so are flag values that ok (when
// given) rejects: both are usage errors.
func openFor(ctx context.Context, fs *flag.FlagSet, args []string, cfgPath *string, ok func() bool) (*app.Env, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 || (ok != nil && !ok()) {
		fs.Usage()
		return nil, errUsage
	}
	return app.Open(ctx, *cfgPath)
}
