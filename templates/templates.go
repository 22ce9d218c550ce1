// Package templates holds the standard implementation plans, as data
// embedded in the binary: per solution, the steps and their tasks with
// responsible, performer and timing relative to the wave's go-live.
package templates

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

//go:embed plans/*.yaml
var builtin embed.FS

// Plan is a standard plan.
type Plan struct {
	Name      string   `yaml:"name"`
	Solutions []string `yaml:"solutions"` // solution codes, or "*" for any
	Steps     []Step   `yaml:"steps"`
	file      string
}

// Step is a step of a standard plan.
type Step struct {
	Label        string `yaml:"label"`
	Name         string `yaml:"name"`
	BeforeGoLive bool   `yaml:"before_go_live"`
	Tasks        []Task `yaml:"tasks"`
}

// Task is a standard task. Offset is in working days from the wave's
// go-live (negative: before); Duration in working days.
type Task struct {
	Title       string `yaml:"title"`
	Responsible string `yaml:"responsible"`
	Performer   string `yaml:"performer"`
	Offset      int    `yaml:"offset"`
	Duration    int    `yaml:"duration"`
	// After names the tasks (by title, in any step) this one follows: the
	// chain the go-live forecast walks.
	After []string `yaml:"after"`
}

// Set is the standard plans in use: the built-in ones, overridden by those
// in a folder.
type Set struct {
	plans []*Plan
}

// Load returns the built-in standard plans, and those in dir (if not "")
// before them, so a plan in dir wins for its solutions. A plan that cannot
// be used is an error naming its file, in Danish; LoadIn chooses.
func Load(dir string) (*Set, error) { return LoadIn(dir, false) }

// LoadIn is Load with errors in English when english is set, else Danish.
func LoadIn(dir string, english bool) (*Set, error) {
	s := &Set{}
	if dir != "" {
		if err := s.load(os.DirFS(dir), ".", dir, english); err != nil {
			return nil, err
		}
	}
	if err := s.load(builtin, "plans", "built-in", english); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Set) load(fsys fs.FS, root, where string, english bool) error {
	l := func(da, en string) string {
		if english {
			return en
		}
		return da
	}
	names, err := fs.Glob(fsys, filepath.Join(root, "*.yaml"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return err
		}
		file := fmt.Sprintf("%s %s/%s", l("standardplanen", "standard plan"), where, filepath.Base(n))
		var p Plan
		if err := yaml.UnmarshalWithOptions(b, &p, yaml.Strict()); err != nil {
			return &planError{msg: file + ": " + yamlProblem(err, english), cause: err}
		}
		if len(p.Steps) == 0 {
			return fmt.Errorf("%s: %s", file, l("har ingen trin (steps)", "no steps"))
		}
		if err := p.checkOrder(english); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		p.file = filepath.Base(n)
		s.plans = append(s.plans, &p)
	}
	return nil
}

// For returns the standard plan of a solution: the first plan naming it,
// else the first for any solution ("*").
func (s *Set) For(solution string) (*Plan, bool) {
	for _, p := range s.plans {
		for _, sol := range p.Solutions {
			if strings.EqualFold(sol, solution) {
				return p, true
			}
		}
	}
	for _, p := range s.plans {
		for _, sol := range p.Solutions {
			if sol == "*" {
				return p, true
			}
		}
	}
	return nil, false
}

// checkOrder checks that every "after" names a task of the plan and that
// the order has no cycle.
func (p *Plan) checkOrder(english bool) error {
	l := func(da, en string) string {
		if english {
			return en
		}
		return da
	}
	after := map[string][]string{}
	for _, st := range p.Steps {
		for _, t := range st.Tasks {
			if _, dup := after[t.Title]; dup {
				return fmt.Errorf(l("opgaven %q står der to gange", "task %q appears twice"), t.Title)
			}
			after[t.Title] = t.After
		}
	}
	for title, prev := range after {
		for _, a := range prev {
			if _, ok := after[a]; !ok {
				return fmt.Errorf(l("opgaven %q kommer efter %q, som ikke er i planen", "task %q follows %q, which is not in the plan"), title, a)
			}
		}
	}
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(title string, path []string) error
	visit = func(title string, path []string) error {
		switch state[title] {
		case 1:
			return fmt.Errorf(l("opgavernes rækkefølge går i ring: %s", "the tasks' order is a cycle: %s"), strings.Join(append(path, title), " → "))
		case 2:
			return nil
		}
		state[title] = 1
		for _, a := range after[title] {
			if err := visit(a, append(path, title)); err != nil {
				return err
			}
		}
		state[title] = 2
		return nil
	}
	for _, st := range p.Steps {
		for _, t := range st.Tasks {
			if err := visit(t.Title, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// planError is a standard plan that cannot be read, in words; the YAML
// library's error is kept for errors.As and logs.
type planError struct {
	msg   string
	cause error
}

func (e *planError) Error() string { return e.msg }
func (e *planError) Unwrap() error { return e.cause }

// yamlProblem says where a standard plan's YAML went wrong, in words.
func yamlProblem(err error, english bool) string {
	var yerr yaml.Error
	if !errors.As(err, &yerr) || yerr.GetToken() == nil {
		if english {
			return "it cannot be read as YAML: check indentation, colons and quotes"
		}
		return "den kan ikke læses som YAML: tjek indrykning, kolon og anførselstegn"
	}
	line := yerr.GetToken().Position.Line
	if strings.Contains(yerr.GetMessage(), "unknown field") {
		key := strings.TrimSpace(yerr.GetToken().Value)
		if english {
			return fmt.Sprintf("line %d: unknown key %q", line, key)
		}
		return fmt.Sprintf("linje %d: ukendt nøgle %q", line, key)
	}
	if english {
		return fmt.Sprintf("line %d cannot be read: check the value's type, indentation, colons and quotes", line)
	}
	return fmt.Sprintf("linje %d kan ikke læses: tjek værdiens type, indrykning, kolon og anførselstegn", line)
}
