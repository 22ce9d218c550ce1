package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/udrul/udrul/internal/suggest"
)

// subcommandFirst moves a command group's subcommand to the front when
// only --config FILE comes before it ("udrul config --config x.yaml
// check"), as flags may come before the command itself.
func subcommandFirst(args []string, subs ...string) []string {
	i := 0
	for i < len(args) {
		a := args[i]
		switch {
		case a == "--config" || a == "-config":
			i += 2
			continue
		case strings.HasPrefix(a, "--config=") || strings.HasPrefix(a, "-config="):
			i++
			continue
		}
		break
	}
	if i == 0 || i >= len(args) || !slices.Contains(subs, args[i]) {
		return args
	}
	out := append([]string{args[i]}, args[:i]...)
	return append(out, args[i+1:]...)
}

// noSubcommand says that a command group was given no subcommand it has:
// a mistyped one with the one it most likely meant. fs has parsed the
// arguments; defaultMsg is the message when none was given.
func noSubcommand(fs *flag.FlagSet, defaultMsg string, subs ...string) error {
	got := fs.Arg(0)
	if got == "" {
		fmt.Fprintln(fs.Output(), fs.Name()+": "+usageText(fs, defaultMsg))
		fs.Usage()
		return errUsage
	}
	if s := suggest.Closest(got, subs); s != "" {
		return badUsage(fs, "unknown subcommand %q; did you mean %q?", got, s)
	}
	return badUsage(fs, "unknown subcommand %q: use %s", got, strings.Join(subs, ", "))
}
