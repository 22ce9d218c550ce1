package plangen

import "github.com/udrul/udrul/model"

// Move moves task i to position j (in the order after the move), as a
// planner drags a row to another place.
func (p *Plan) Move(i, j int) {
	perm := make([]int, 0, len(p.Tasks)) // new position → old index
	for k := range p.Tasks {
		if k != i {
			perm = append(perm, k)
		}
	}
	perm = append(perm[:j:j], append([]int{i}, perm[j:]...)...)
	tasks := make([]model.Task, len(perm))
	raw := make([]rawTask, len(perm))
	for n, o := range perm {
		tasks[n], raw[n] = p.Tasks[o], p.raw[o]
	}
	p.Tasks, p.raw = tasks, raw
	for _, idx := range []*int{&p.noTitleAfter, &p.badDate, &p.dupID} {
		if *idx < 0 {
			continue
		}
		for n, o := range perm {
			if o == *idx {
				*idx = n
				break
			}
		}
	}
}
