// Package templates holds the standard implementation plans, as data
// embedded in the binary: per solution, the steps and their tasks with
// responsible, performer and timing relative to the wave's go-live.
package templates

import (
	"embed"
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
// before them, so a plan in dir wins for its solutions.
func Load(dir string) (*Set, error) {
	s := &Set{}
	if dir != "" {
		if err := s.load(os.DirFS(dir), ".", dir); err != nil {
			return nil, err
		}
	}
	if err := s.load(builtin, "plans", "built-in"); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Set) load(fsys fs.FS, root, where string) error {
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
		var p Plan
		if err := yaml.UnmarshalWithOptions(b, &p, yaml.Strict()); err != nil {
			return fmt.Errorf("standard plan %s/%s: %w", where, filepath.Base(n), err)
		}
		if len(p.Steps) == 0 {
			return fmt.Errorf("standard plan %s/%s: no steps", where, filepath.Base(n))
		}
		if err := p.checkOrder(); err != nil {
			return fmt.Errorf("standard plan %s/%s: %w", where, filepath.Base(n), err)
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
func (p *Plan) checkOrder() error {
	after := map[string][]string{}
	for _, st := range p.Steps {
		for _, t := range st.Tasks {
			if _, dup := after[t.Title]; dup {
				return fmt.Errorf("task %q appears twice", t.Title)
			}
			after[t.Title] = t.After
		}
	}
	for title, prev := range after {
		for _, a := range prev {
			if _, ok := after[a]; !ok {
				return fmt.Errorf("task %q follows %q, which is not in the plan", title, a)
			}
		}
	}
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(title string, path []string) error
	visit = func(title string, path []string) error {
		switch state[title] {
		case 1:
			return fmt.Errorf("the tasks' order is a cycle: %s", strings.Join(append(path, title), " → "))
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
