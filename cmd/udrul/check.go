package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/model"
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
	langFlag := fset.String("lang", "da", "`language` of the messages: da or en")
	maxSize := fset.Int64("max-size", grid.DefaultMaxSize>>20, "refuse files that inflate beyond this many `MiB`")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	lang, err := parse.ParseLang(*langFlag)
	if err != nil || (*format != "text" && *format != "json") || *maxSize <= 0 || fset.NArg() == 0 {
		switch {
		case err != nil:
			fmt.Fprintf(c.Stderr, "udrul check: %v\n", err)
		case *format != "text" && *format != "json":
			fmt.Fprintf(c.Stderr, "udrul check: unknown format %q (want text or json)\n", *format)
		case *maxSize <= 0:
			fmt.Fprintln(c.Stderr, "udrul check: --max-size must be positive")
		default:
			fmt.Fprintln(c.Stderr, "udrul check: no files given")
		}
		fset.Usage()
		return errUsage
	}
	paths, err := expandPaths(fset.Args())
	if err != nil {
		fmt.Fprintf(c.Stderr, "udrul check: %v\n", err)
		return errUsage
	}
	paths = skipOwnWorkbooks(paths, fset.Args(), c.Stderr, lang)
	parser := parse.New(parse.Options{Lang: lang})
	results := checkFiles(ctx, paths, parser, grid.Options{MaxSize: *maxSize << 20, Lang: string(lang)})
	if err := ctx.Err(); err != nil {
		return err
	}
	if *format == "json" {
		err = writeCheckJSON(c.Stdout, results, lang)
	} else {
		err = writeCheckText(c.Stdout, results, lang)
	}
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.err != nil || r.plan.Errors() > 0 {
			return errReported
		}
	}
	return nil
}

// planExts are the file types a folder argument is searched for.
var planExts = map[string]bool{".xlsx": true, ".xlsm": true, ".csv": true, ".txt": true}

// expandPaths keeps files as given and replaces a folder by the plan files
// in it and its subfolders, in name order. Lock files Office leaves beside
// an open workbook (~$name.xlsx) are skipped. A path that does not exist is
// kept: reading it reports it as that file's error, and the others are
// still checked.
func expandPaths(args []string) ([]string, error) {
	var out []string
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
			if planExts[strings.ToLower(filepath.Ext(name))] && !strings.HasPrefix(name, "~$") && !strings.HasPrefix(name, ".") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

type checkResult struct {
	path string
	plan *model.Plan
	err  error
}

// checkFiles reads and parses the files on all cores, keeping their order.
func checkFiles(ctx context.Context, paths []string, parser *parse.Parser, opts grid.Options) []checkResult {
	results := make([]checkResult, len(paths))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = checkFile(paths[i], parser, opts)
			}
		}()
	}
	for i := range paths {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

func checkFile(path string, parser *parse.Parser, opts grid.Options) checkResult {
	r := checkResult{path: path}
	g, err := grid.ReadFile(path, opts)
	if err == nil {
		g.File = path
		r.plan, err = parser.Parse(g)
	}
	if err != nil {
		r.err = err
		r.plan = &model.Plan{File: path}
	}
	return r
}

// The JSON shape of `udrul check --format json`.
type (
	checkJSON struct {
		Files []checkFileJSON `json:"files"`
	}
	checkFileJSON struct {
		File     string           `json:"file"`
		Error    string           `json:"error,omitempty"`
		Metadata metadataJSON     `json:"metadata"`
		Tasks    []taskJSON       `json:"tasks"`
		Issues   []checkIssueJSON `json:"issues"`
	}
	metadataJSON struct {
		Municipality string    `json:"municipality"`
		Solution     string    `json:"solution"`
		Wave         string    `json:"wave"`
		Found        foundJSON `json:"found"`
	}
	taskJSON struct {
		Sheet       string `json:"sheet"`
		Row         int    `json:"row"`
		Step        string `json:"step"`
		ID          string `json:"id"`
		Title       string `json:"title"`
		Responsible string `json:"responsible"`
		Performer   string `json:"performer"`
		Start       string `json:"start"`
		End         string `json:"end"`
		Status      string `json:"status"`
		RawStatus   string `json:"raw_status"`
		StartAs     string `json:"start_as_written,omitempty"` // "uge 34", "primo okt." when not an exact day
		EndAs       string `json:"end_as_written,omitempty"`
		Health      string `json:"health,omitempty"` // the owner's traffic light: green, amber, red
	}
	checkIssueJSON struct {
		Sheet    string `json:"sheet"`
		Cell     string `json:"cell"`
		Severity string `json:"severity"`
		Code     string `json:"code"`
		Message  string `json:"message"`
	}
)

func writeCheckJSON(w io.Writer, results []checkResult, lang parse.Lang) error {
	out := checkJSON{Files: make([]checkFileJSON, 0, len(results))}
	for _, r := range results {
		f := checkFileJSON{
			File:   r.path,
			Tasks:  make([]taskJSON, 0, len(r.plan.Tasks)),
			Issues: make([]checkIssueJSON, 0, len(r.plan.Issues)),
			Metadata: metadataJSON{
				Municipality: r.plan.Metadata.Municipality,
				Solution:     r.plan.Metadata.Solution,
				Wave:         r.plan.Metadata.Wave,
				Found:        foundOf(r.plan.Metadata),
			},
		}
		if r.err != nil {
			f.Error = grid.Message(r.err, string(lang))
		}
		for _, t := range r.plan.Tasks {
			f.Tasks = append(f.Tasks, taskJSON{
				Sheet: t.Pos.Sheet, Row: t.Pos.Row, Step: t.Step, ID: t.ID, Title: t.Title,
				Responsible: t.Responsible, Performer: t.Performer,
				Start: t.Start.String(), End: t.End.String(),
				Status: string(t.Status), RawStatus: t.RawStatus,
				StartAs: t.StartAs.Text, EndAs: t.EndAs.Text, Health: t.Health,
			})
		}
		for _, is := range r.plan.Issues {
			f.Issues = append(f.Issues, checkIssueJSON{
				Sheet: is.Pos.Sheet, Cell: issueCell(is.Pos), Severity: string(is.Severity),
				Code: is.Code, Message: is.Message,
			})
		}
		out.Files = append(out.Files, f)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// issueCell is the cell of an issue, or the row's first cell when the issue
// concerns a whole row.
func issueCell(p model.Pos) string {
	if p.Cell != "" || p.Row == 0 {
		return p.Cell
	}
	return grid.Ref(p.Row, 1)
}

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

func writeCheckText(w io.Writer, results []checkResult, lang parse.Lang) error {
	words := checkWords[lang]
	var b strings.Builder
	var nTasks, nErr, nWarn, nFailed int
	for _, r := range results {
		if r.err != nil {
			nFailed++
			fmt.Fprintf(&b, "%s: %s: %s\n", r.path, words["unreadable"], grid.Message(r.err, string(lang)))
			continue
		}
		p := r.plan
		errs := p.Errors()
		warns := len(p.Issues) - errs
		nTasks += len(p.Tasks)
		nErr += errs
		nWarn += warns
		var about []string
		for _, s := range []string{p.Metadata.Municipality, p.Metadata.Solution} {
			if s != "" {
				about = append(about, s)
			}
		}
		if p.Metadata.Wave != "" {
			about = append(about, words["wave"]+" "+p.Metadata.Wave)
		}
		head := r.path
		if len(about) > 0 {
			head += " (" + strings.Join(about, ", ") + ")"
		}
		fmt.Fprintf(&b, "%s: %s, %s, %s\n", head, count(len(p.Tasks), words, "task"), count(errs, words, "error"), count(warns, words, "warning"))
		writeFound(&b, p.Metadata, lang)
		sheet := "\x00"
		for _, is := range p.Issues {
			if is.Pos.Sheet != sheet {
				sheet = is.Pos.Sheet
				fmt.Fprintf(&b, "  %s %q\n", words["sheet"], sheet)
			}
			fmt.Fprintf(&b, "    %-6s %-9s %s (%s)\n", issueCell(is.Pos), words[string(is.Severity)], is.Message, is.Code)
		}
	}
	fmt.Fprintf(&b, "\n%s: %s, %s, %s, %s", words["total"], count(len(results), words, "file"), count(nTasks, words, "task"),
		count(nErr, words, "error"), count(nWarn, words, "warning"))
	if nFailed > 0 {
		fmt.Fprintf(&b, "; %s %s", count(nFailed, words, "file"), words["failed"])
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
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
