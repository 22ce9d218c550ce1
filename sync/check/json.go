package check

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// The JSON shape of `udrul check --format json`: {"files": [File...]}.
type (
	// Report is the whole output.
	Report struct {
		Files []FileJSON `json:"files"`
	}
	// FileJSON is one file's plan.
	FileJSON struct {
		File     string       `json:"file"`
		Error    string       `json:"error,omitempty"`
		Metadata MetadataJSON `json:"metadata"`
		Tasks    []TaskJSON   `json:"tasks"`
		Issues   []IssueJSON  `json:"issues"`
	}
	// MetadataJSON is what the plan was recognised as.
	MetadataJSON struct {
		Municipality string    `json:"municipality"`
		Solution     string    `json:"solution"`
		Wave         string    `json:"wave"`
		Found        FoundJSON `json:"found"`
	}
	// FoundJSON says where the municipality and solution were found.
	FoundJSON struct {
		Municipality *OriginJSON `json:"municipality,omitempty"`
		Solution     *OriginJSON `json:"solution,omitempty"`
	}
	// OriginJSON is where one was found.
	OriginJSON struct {
		In    string `json:"in"` // line, title or file
		Sheet string `json:"sheet,omitempty"`
		Cell  string `json:"cell,omitempty"`
		Text  string `json:"text"` // as written
	}
	// TaskJSON is one task.
	TaskJSON struct {
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
	// IssueJSON is one problem.
	IssueJSON struct {
		Sheet    string `json:"sheet"`
		Cell     string `json:"cell"`
		Severity string `json:"severity"`
		Code     string `json:"code"`
		Message  string `json:"message"`
	}
)

// Found returns where md's municipality and solution were found.
func Found(md model.Metadata) FoundJSON {
	one := func(o model.Origin) *OriginJSON {
		if o.Kind == "" {
			return nil
		}
		return &OriginJSON{In: o.Kind, Sheet: o.Pos.Sheet, Cell: o.Pos.Cell, Text: o.Text}
	}
	return FoundJSON{Municipality: one(md.MunicipalityFrom), Solution: one(md.SolutionFrom)}
}

// IssueCell is the cell of an issue, or the row's first cell when the issue
// concerns a whole row.
func IssueCell(p model.Pos) string {
	if p.Cell != "" || p.Row == 0 {
		return p.Cell
	}
	return grid.Ref(p.Row, 1)
}

// Task returns a task's JSON form.
func Task(t model.Task) TaskJSON {
	return TaskJSON{
		Sheet: t.Pos.Sheet, Row: t.Pos.Row, Step: t.Step, ID: t.ID, Title: t.Title,
		Responsible: t.Responsible, Performer: t.Performer,
		Start: t.Start.String(), End: t.End.String(),
		Status: string(t.Status), RawStatus: t.RawStatus,
		StartAs: t.StartAs.Text, EndAs: t.EndAs.Text, Health: t.Health,
	}
}

// Issue returns an issue's JSON form.
func Issue(is model.Issue) IssueJSON {
	return IssueJSON{Sheet: is.Pos.Sheet, Cell: IssueCell(is.Pos), Severity: string(is.Severity), Code: is.Code, Message: is.Message}
}

// JSONWriter writes a Report a file at a time, and each file a task at a
// time: the same bytes as encoding/json indenting the whole Report by two
// spaces, without holding it.
type JSONWriter struct {
	w    *bufio.Writer
	lang parse.Lang
	n    int
	err  error
	buf  bytes.Buffer
	encs map[string]*json.Encoder // into buf, by prefix
}

// NewJSONWriter returns a writer of a Report to w, its errors in lang.
func NewJSONWriter(w io.Writer, lang parse.Lang) *JSONWriter {
	return &JSONWriter{w: bufio.NewWriterSize(w, 64<<10), lang: lang, encs: map[string]*json.Encoder{}}
}

// Write writes one file's result.
func (j *JSONWriter) Write(r Result) error {
	if j.n == 0 {
		j.str("{\n  \"files\": [\n    {\n")
	} else {
		j.str(",\n    {\n")
	}
	j.n++
	j.field("file", r.Path, false)
	if r.Err != nil {
		j.field("error", grid.Message(r.Err, string(j.lang)), false)
	}
	md := r.Plan.Metadata
	j.field("metadata", MetadataJSON{Municipality: md.Municipality, Solution: md.Solution, Wave: md.Wave, Found: Found(md)}, false)
	j.array("tasks", len(r.Plan.Tasks), func(i int) any { return Task(r.Plan.Tasks[i]) }, false)
	j.array("issues", len(r.Plan.Issues), func(i int) any { return Issue(r.Plan.Issues[i]) }, true)
	j.str("    }")
	if j.err == nil {
		j.err = j.w.Flush()
	}
	return j.err
}

// Close ends the Report.
func (j *JSONWriter) Close() error {
	if j.n == 0 {
		j.str("{\n  \"files\": []\n}\n")
	} else {
		j.str("\n  ]\n}\n")
	}
	if j.err == nil {
		j.err = j.w.Flush()
	}
	return j.err
}

const fieldIndent = "      "

func (j *JSONWriter) str(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

func (j *JSONWriter) value(v any, prefix string) {
	if j.err != nil {
		return
	}
	enc := j.encs[prefix]
	if enc == nil {
		enc = json.NewEncoder(&j.buf)
		enc.SetIndent(prefix, "  ")
		j.encs[prefix] = enc
	}
	j.buf.Reset()
	if j.err = enc.Encode(v); j.err != nil {
		return
	}
	_, j.err = j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
}

func (j *JSONWriter) key(k string) {
	j.str(fieldIndent + `"` + k + `": `)
}

func (j *JSONWriter) field(k string, v any, last bool) {
	j.key(k)
	j.value(v, fieldIndent)
	j.end(last)
}

func (j *JSONWriter) end(last bool) {
	if last {
		j.str("\n")
	} else {
		j.str(",\n")
	}
}

func (j *JSONWriter) array(k string, n int, item func(i int) any, last bool) {
	j.key(k)
	if n == 0 {
		j.str("[]")
		j.end(last)
		return
	}
	j.str("[\n")
	for i := range n {
		j.str(fieldIndent + "  ")
		j.value(item(i), fieldIndent+"  ")
		if i < n-1 {
			j.str(",\n")
		} else {
			j.str("\n")
		}
	}
	j.str(fieldIndent + "]")
	j.end(last)
}
