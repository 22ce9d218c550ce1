package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/sync/check"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// CheckCommand reads plan files and reports what is wrong in them.
type CheckCommand struct {
	Stdout, Stderr io.Writer
}

const checkSynopsis = `[--format text|json] [--lang da|en] [--max-size MiB] FILE|FOLDER...

Reads each plan (.xlsx, .xlsm, .csv, .txt; a folder means the plans in it)
and lists its tasks' problems with their cell references. Exit code 0 when
every file was read and no problem is an error, 1 otherwise, 2 on wrong usage.`

// Run runs the command.
func (c *CheckCommand) Run(ctx context.Context, args []string) error {
	fset := newFlagSet("check", checkSynopsis, c.Stderr)
	format := fset.String("format", "text", "output `format`: text (for a person) or json")
	langFlag := fset.String("lang", "", "`language` of the messages: da or en (default: the configuration's language:, else da)")
	maxSize := fset.Int64("max-size", grid.DefaultMaxSize>>20, "refuse files that inflate beyond this many `MiB`")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if *langFlag == "" {
		// As the help: UDRUL_LANGUAGE, else the language: of the
		// configuration a command would read, else Danish.
		*langFlag = say(flagsEnglish(fset), "da", "en")
	}
	lang, err := parse.ParseLang(*langFlag)
	switch {
	case err != nil:
		return badUsage(fset, "unknown language %q: use da or en", *langFlag)
	case *format != "text" && *format != "json":
		return badUsage(fset, "unknown format %q: use text or json", *format)
	case *maxSize <= 0:
		return badUsage(fset, "--max-size must be positive")
	case fset.NArg() == 0:
		return badUsage(fset, "name one or more plan files or folders")
	}
	paths, unread, err := expandPaths(fset.Args())
	if err != nil {
		fmt.Fprintf(c.Stderr, "udrul check: %v\n", err)
		return errUsage
	}
	for _, p := range unread {
		if lang == parse.English {
			fmt.Fprintf(c.Stderr, "%s: skipped: a format udrul does not read (%s); save it as an Excel Workbook (.xlsx), or name the file to be told what it is\n", p, filepath.Ext(p))
		} else {
			fmt.Fprintf(c.Stderr, "%s: sprunget over: et format, udrul ikke læser (%s); gem den som Excel-projektmappe (.xlsx), eller angiv filen for at få at vide, hvad den er\n", p, filepath.Ext(p))
		}
	}
	paths = skipOwnWorkbooks(paths, fset.Args(), c.Stderr, lang)
	parser := parse.New(parse.Options{Lang: lang})
	opts := grid.Options{MaxSize: *maxSize << 20, Lang: string(lang)}
	failed := false
	var write func(check.Result) error
	var end func() error
	if *format == "json" {
		jw := check.NewJSONWriter(c.Stdout, lang)
		write, end = jw.Write, jw.Close
	} else {
		tw := &checkText{w: c.Stdout, lang: lang}
		write, end = tw.write, tw.close
	}
	err = check.Files(ctx, paths, parser, opts, func(r check.Result) error {
		failed = failed || r.Err != nil || r.Plan.Errors() > 0
		return write(r)
	})
	if err != nil {
		return err
	}
	if err := end(); err != nil {
		return err
	}
	if failed {
		return errReported
	}
	return nil
}

// planExts are the file types a folder argument is searched for.
var planExts = map[string]bool{".xlsx": true, ".xlsm": true, ".csv": true, ".txt": true}

// expandPaths keeps files as given and replaces a folder by the plan files
// in it and its subfolders, in name order. Lock files Office leaves beside
// an open workbook (~$name.xlsx) are skipped. A path that does not exist is
// kept: reading it reports it as that file's error, and the others are
// still checked. unread are a folder's spreadsheets in a format udrul does
// not read (.xls, .xlsb, .ods), which are not checked.
func expandPaths(args []string) (out, unread []string, err error) {
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil || !fi.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if path != a && strings.HasPrefix(name, ".") {
					return filepath.SkipDir
				}
				return nil
			}
			ext := strings.ToLower(filepath.Ext(name))
			switch {
			case strings.HasPrefix(name, "~$") || strings.HasPrefix(name, "."):
			case planExts[ext]:
				found = append(found, path)
			case config.UnreadExts[ext]:
				unread = append(unread, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, unread, nil
}

// The JSON shape of `udrul check --format json` (check.Report).
type (
	checkJSON     = check.Report
	checkFileJSON = check.FileJSON
	taskJSON      = check.TaskJSON
)

var checkWords = map[parse.Lang]map[string]string{
	parse.Danish: {
		"error": "fejl", "warning": "advarsel", "tasks": "opgaver", "errors": "fejl", "warnings": "advarsler",
		"task": "opgave", "file": "fil",
		"sheet": "Ark", "wave": "bølge", "unreadable": "kan ikke læses", "total": "I alt",
		"files": "filer", "failed": "kunne ikke læses", "ok": "ingen problemer",
	},
	parse.English: {
		"error": "error", "warning": "warning", "tasks": "tasks", "errors": "errors", "warnings": "warnings",
		"task": "task", "file": "file",
		"sheet": "Sheet", "wave": "wave", "unreadable": "cannot be read", "total": "Total",
		"files": "files", "failed": "could not be read", "ok": "no problems",
	},
}

// count writes "1 opgave", "2 opgaver": the singular word under its key,
// the plural under key+"s".
func count(n int, words map[string]string, key string) string {
	if n == 1 {
		return "1 " + words[key]
	}
	return fmt.Sprintf("%d %s", n, words[key+"s"])
}

// checkText prints each file's problems as it is read, and the totals at
// the end.
type checkText struct {
	w                            io.Writer
	lang                         parse.Lang
	nFiles                       int
	nTasks, nErr, nWarn, nFailed int
}

func (c *checkText) write(r check.Result) error {
	words := checkWords[c.lang]
	var b strings.Builder
	c.nFiles++
	if r.Err != nil {
		c.nFailed++
		fmt.Fprintf(&b, "%s: %s: %s\n", r.Path, words["unreadable"], grid.Message(r.Err, string(c.lang)))
		_, err := io.WriteString(c.w, b.String())
		return err
	}
	p := r.Plan
	errs := p.Errors()
	warns := len(p.Issues) - errs
	c.nTasks += len(p.Tasks)
	c.nErr += errs
	c.nWarn += warns
	var about []string
	for _, s := range []string{p.Metadata.Municipality, p.Metadata.Solution} {
		if s != "" {
			about = append(about, s)
		}
	}
	if p.Metadata.Wave != "" {
		about = append(about, words["wave"]+" "+p.Metadata.Wave)
	}
	head := r.Path
	if len(about) > 0 {
		head += " (" + strings.Join(about, ", ") + ")"
	}
	fmt.Fprintf(&b, "%s: %s, %s, %s\n", head, count(len(p.Tasks), words, "task"), count(errs, words, "error"), count(warns, words, "warning"))
	writeFound(&b, p.Metadata, c.lang)
	sheet := "\x00"
	for _, is := range p.Issues {
		if is.Pos.Sheet != sheet {
			sheet = is.Pos.Sheet
			fmt.Fprintf(&b, "  %s %q\n", words["sheet"], sheet)
		}
		fmt.Fprintf(&b, "    %-6s %-9s %s (%s)\n", check.IssueCell(is.Pos), words[string(is.Severity)], is.Message, is.Code)
	}
	_, err := io.WriteString(c.w, b.String())
	return err
}

func (c *checkText) close() error {
	words := checkWords[c.lang]
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s: %s, %s, %s, %s", words["total"], count(c.nFiles, words, "file"), count(c.nTasks, words, "task"),
		count(c.nErr, words, "error"), count(c.nWarn, words, "warning"))
	if c.nFailed > 0 {
		fmt.Fprintf(&b, "; %s %s", count(c.nFailed, words, "file"), words["failed"])
	}
	b.WriteString("\n")
	_, err := io.WriteString(c.w, b.String())
	return err
}

// skipOwnWorkbooks leaves out the workbooks udrul wrote itself (reports,
// proposals, criteria sheets) that were found in a folder, as sync does,
// and says so on stderr; a file named on the command line is checked.
func skipOwnWorkbooks(paths, args []string, stderr io.Writer, lang parse.Lang) []string {
	named := map[string]bool{}
	for _, a := range args {
		named[a] = true
	}
	out := paths[:0:0]
	for _, p := range paths {
		ext := strings.ToLower(filepath.Ext(p))
		if !named[p] && (ext == ".xlsx" || ext == ".xlsm") {
			if data, err := grid.Load(p, grid.DefaultMaxSize); err == nil {
				if kind, ok := provenance.Written(data); ok {
					if lang == parse.English {
						fmt.Fprintf(stderr, "%s: skipped: a workbook udrul wrote itself (%s), not a plan\n", p, kind)
					} else {
						fmt.Fprintf(stderr, "%s: sprunget over: et arbejdsark udrul selv har skrevet (%s), ikke en plan\n", p, kind)
					}
					continue
				}
			}
		}
		out = append(out, p)
	}
	return out
}
