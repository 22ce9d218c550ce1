package plangen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/udrul/udrul/model"
)

// exampleSet pairs each layout with a municipality, a solution and a wave.
var exampleSet = []Spec{
	{Layout: Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1, Defects: true},
	{Layout: TabPerStep, Municipality: "Odense", Solution: "KSD", Wave: 2},
	{Layout: SectionRows, Municipality: "Esbjerg", Solution: "SAPA", Wave: 3},
	{Layout: TextDates, Municipality: "Randers", Solution: "KP", Wave: 4, Defects: true},
	{Layout: StepColumn, Municipality: "Gladsaxe", Solution: "KY", Wave: 1},
	{Layout: English, Municipality: "Lyngby-Taarbæk", Solution: "SAPA", Wave: 2},
	{Layout: CSVDanish, Municipality: "Fredensborg", Solution: "KSD", Wave: 2},
	{Layout: CSVUTF8, Municipality: "Høje-Taastrup", Solution: "KP", Wave: 3, Defects: true},
	{Layout: UnicodeText, Municipality: "Vejle", Solution: "KY", Wave: 2},
	{Layout: WeekDates, Municipality: "Aalborg", Solution: "KSD", Wave: 4, Defects: true, Start: model.NewDate(2026, 9, 7)},
	{Layout: GanttMarks, Municipality: "Holbæk", Solution: "SAPA", Wave: 4, Start: model.NewDate(2026, 10, 5)},
}

// Examples returns the example plans, one per layout.
func Examples(seed uint64) []*Plan {
	out := make([]*Plan, 0, len(exampleSet))
	for i, s := range exampleSet {
		s.Seed = seed + uint64(i)
		out = append(out, Generate(s))
	}
	return out
}

// TruthFile is the JSON form of a set of plans' truth, as in truth.json.
type TruthFile struct {
	File         string          `json:"file"`
	Layout       Layout          `json:"layout"`
	Municipality string          `json:"municipality"`
	Solution     string          `json:"solution"`
	Wave         int             `json:"wave"`
	Tasks        []TruthTask     `json:"tasks"`
	Issues       []ExpectedIssue `json:"issues"`
}

// TruthTask is one task of a truth file.
type TruthTask struct {
	Sheet       string     `json:"sheet"`
	Row         int        `json:"row"`
	Step        string     `json:"step"`
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Responsible string     `json:"responsible"`
	Performer   string     `json:"performer"`
	Start       model.Date `json:"start"`
	End         model.Date `json:"end"`
	Status      string     `json:"status"`
	// How the dates are written when not as exact days, and the owner's
	// traffic light.
	StartAsWritten string `json:"start_as_written,omitempty"`
	EndAsWritten   string `json:"end_as_written,omitempty"`
	Health         string `json:"health,omitempty"`
}

// Truth returns the plan's truth in its JSON form.
func (p *Plan) Truth() TruthFile {
	tf := TruthFile{File: p.FileName(), Layout: p.Layout, Municipality: p.Municipality, Solution: p.Solution, Wave: p.Wave, Issues: p.Issues}
	for _, t := range p.Tasks {
		tf.Tasks = append(tf.Tasks, TruthTask{
			Sheet: t.Pos.Sheet, Row: t.Pos.Row, Step: t.Step, ID: t.ID, Title: t.Title,
			Responsible: t.Responsible, Performer: t.Performer, Start: t.Start, End: t.End, Status: string(t.Status),
			StartAsWritten: t.StartAs.Text, EndAsWritten: t.EndAs.Text, Health: t.Health,
		})
	}
	return tf
}

// WriteExamples writes the example plans and their truth.json into dir.
func WriteExamples(dir string, seed uint64) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	var truth []TruthFile
	for _, p := range Examples(seed) {
		path, err := p.Write(dir)
		if err != nil {
			return nil, err
		}
		paths = append(paths, path)
		truth = append(truth, p.Truth())
	}
	b, err := json.MarshalIndent(truth, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "truth.json"), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("write truth: %w", err)
	}
	return paths, nil
}
