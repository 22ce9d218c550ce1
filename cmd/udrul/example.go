package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/udrul/udrul/internal/plangen"
)

//go:generate go run . example --out ../../examples

// ExampleCommand writes example plans in every layout udrul reads.
type ExampleCommand struct {
	Stdout, Stderr io.Writer
}

const exampleSynopsis = `[--seed N] --out FOLDER

Writes one example plan per layout that municipalities use (blocks per step,
a tab per step, section rows, text dates, a step column with formulas,
English headers, Danish CSV, UTF-8 CSV, Unicode text), with the usual
mistakes in them, and truth.json: what a correct reading finds. In
FOLDER/waves it writes an example criteria sheet (kriterier-KSD.xlsx) and the
configuration to propose KSD waves from it with 'udrul waves propose'.`

// Run runs the command.
func (c *ExampleCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("example", exampleSynopsis, c.Stderr)
	out := fs.String("out", "", "`folder` to write the plans into (created if missing)")
	seed := fs.Uint64("seed", 1, "random `seed`: the same seed gives the same plans")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(c.Stderr, "udrul example: "+usageText(fs, "--out is required and takes no other arguments"))
		fs.Usage()
		return errUsage
	}
	// Into a new or empty folder, or one example wrote (its truth.json):
	// example plans written into a real plans share would be read by the
	// next sync, and could write over a real plan of the same name.
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(*out, "truth.json")); err != nil {
			fmt.Fprintln(c.Stderr, "udrul example: "+say(flagsEnglish(fs),
				fmt.Sprintf("%s findes og har filer, som eksempelplanerne ville blande sig med (en synkronisering læser dem) eller skrive oven i: intet er skrevet; vælg en ny eller tom mappe", *out),
				fmt.Sprintf("%s exists and holds files the example plans would mix with (a sync reads them) or write over: nothing was written; choose a new or empty folder", *out)))
			return errReported
		}
	}
	paths, err := plangen.WriteExamples(*out, *seed)
	if err != nil {
		return err
	}
	waves, err := plangen.WriteCriteriaExample(filepath.Join(*out, "waves"))
	if err != nil {
		return err
	}
	for _, p := range append(paths, waves...) {
		fmt.Fprintln(c.Stdout, p)
	}
	return nil
}
