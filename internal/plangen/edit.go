package plangen

import "github.com/udrul/udrul/model"

// Add inserts a new task after task i, as a planner adds a row: a copy of
// task i with another title and no ID.
func (p *Plan) Add(after int, title string) {
	t := p.Tasks[after]
	t.ID, t.Title = "", title
	r := p.raw[after]
	r.title = title
	p.Tasks = append(p.Tasks[:after+1:after+1], append([]model.Task{t}, p.Tasks[after+1:]...)...)
	p.raw = append(p.raw[:after+1:after+1], append([]rawTask{r}, p.raw[after+1:]...)...)
	for _, idx := range []*int{&p.noTitleAfter, &p.badDate, &p.dupID} {
		if *idx > after {
			*idx++
		}
	}
}

// SetStatus sets task i's status, written as raw.
func (p *Plan) SetStatus(i int, st model.Status, raw string) {
	p.Tasks[i].Status, p.Tasks[i].RawStatus = st, raw
	p.raw[i].status, p.raw[i].numeric = raw, false
}
