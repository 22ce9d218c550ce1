package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

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
// Positional arguments are refused, and so are flag values that check (when
// given) rejects: both are usage errors, said in one line before the usage.
func openFor(ctx context.Context, fs *flag.FlagSet, args []string, cfgPath *string, check func() error) (*app.Env, error) {
	return openTelling(ctx, fs, args, cfgPath, check, fs.Output())
}

// openTelling is openFor printing what opening the database found of its
// triggers on w (nil: not printed, the daemon logs it).
func openTelling(ctx context.Context, fs *flag.FlagSet, args []string, cfgPath *string, check func() error, w io.Writer) (*app.Env, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, badUsage(fs, "unexpected argument %q: this command takes only flags", fs.Arg(0))
	}
	if check != nil {
		if err := check(); err != nil {
			return nil, badUsage(fs, "%v", err)
		}
	}
	return app.OpenTelling(ctx, *cfgPath, w)
}

// badUsage says what is wrong in one line, then prints the usage, and
// returns errUsage; both in the help's language.
func badUsage(fs *flag.FlagSet, format string, args ...any) error {
	if !flagsEnglish(fs) {
		for i, a := range args {
			if ue, ok := a.(*usageError); ok {
				args[i] = ue.da
			}
		}
	}
	fmt.Fprintf(fs.Output(), "%s: %s\n\n", fs.Name(), fmt.Sprintf(usageText(fs, format), args...))
	fs.Usage()
	return errUsage
}

// oneOf checks a flag's value against the allowed ones.
func oneOf(what, value string, allowed ...string) error {
	if slices.Contains(allowed, value) {
		return nil
	}
	return &usageError{en: fmt.Sprintf("unknown %s %s: use %s", what, value, orList(allowed)),
		da: fmt.Sprintf("ukendt %s %s: brug %s", usageWords[what], value, orListDa(allowed))}
}

// listOf checks a comma-separated flag value: each item must be allowed
// (compared ignoring case).
func listOf(flagName, what, value string, allowed ...string) error {
	if value == "" {
		return nil
	}
	for _, v := range strings.Split(value, ",") {
		v = strings.TrimSpace(v)
		if !slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, v) }) {
			return &usageError{en: fmt.Sprintf("--%s: unknown %s %q: use %s", flagName, what, v, orList(allowed)),
				da: fmt.Sprintf("--%s: ukendt %s %q: brug %s", flagName, usageWords[what], v, orListDa(allowed))}
		}
	}
	return nil
}

// orListDa joins values as "a, b eller c".
func orListDa(vs []string) string {
	if len(vs) < 2 {
		return strings.Join(vs, "")
	}
	return strings.Join(vs[:len(vs)-1], ", ") + " eller " + vs[len(vs)-1]
}

// orList joins values as "a, b or c".
func orList(vs []string) string {
	if len(vs) < 2 {
		return strings.Join(vs, "")
	}
	return strings.Join(vs[:len(vs)-1], ", ") + " or " + vs[len(vs)-1]
}

// jsonTime is a time for JSON output: RFC 3339 in the configured zone, or
// null for no time.
func jsonTime(t time.Time, loc *time.Location) *string {
	if t.IsZero() {
		return nil
	}
	s := t.In(loc).Format(time.RFC3339)
	return &s
}

// jsonDate is a date for JSON output: YYYY-MM-DD, or null for no date.
func jsonDate(d model.Date) *model.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}
