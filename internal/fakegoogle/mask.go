package fakegoogle

import (
	"fmt"
	"strings"
)

// mask is a parsed partial-response field mask, as Google's APIs take it in
// the fields parameter: "a,b/c,d(e,f/g)" (developers.google.com/drive/api/
// guides/fields-parameter; sheets/api/guides/field-masks). A nil mask
// keeps everything below it.
type mask map[string]mask

// parseMask parses a field mask.
func parseMask(s string) (mask, error) {
	p := &maskParser{s: strings.ReplaceAll(s, " ", "")}
	m := mask{}
	if err := p.list(m); err != nil {
		return nil, err
	}
	if p.i != len(p.s) {
		return nil, fmt.Errorf("invalid field mask %q at %d", s, p.i)
	}
	return m, nil
}

type maskParser struct {
	s string
	i int
}

// list parses "item(,item)*" into m.
func (p *maskParser) list(m mask) error {
	for {
		if err := p.item(m); err != nil {
			return err
		}
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		return nil
	}
}

// item parses "name", "name/item" or "name(list)" into m.
func (p *maskParser) item(m mask) error {
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(",/()", rune(p.s[p.i])) {
		p.i++
	}
	name := p.s[start:p.i]
	if name == "" {
		return fmt.Errorf("invalid field mask %q: empty name at %d", p.s, start)
	}
	if p.i == len(p.s) || p.s[p.i] == ',' || p.s[p.i] == ')' {
		m[name] = nil // the whole field
		return nil
	}
	sub, ok := m[name]
	whole := ok && sub == nil // already selected whole: a narrower selection changes nothing
	if !ok || whole {
		sub = mask{}
	}
	if !whole {
		m[name] = sub
	}
	switch p.s[p.i] {
	case '/':
		p.i++
		return p.item(sub)
	case '(':
		p.i++
		if err := p.list(sub); err != nil {
			return err
		}
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			return fmt.Errorf("invalid field mask %q: missing ) at %d", p.s, p.i)
		}
		p.i++
		return nil
	}
	return fmt.Errorf("invalid field mask %q at %d", p.s, p.i)
}

// apply keeps only the masked fields of a decoded JSON value; arrays apply
// the mask to each element.
func (m mask) apply(v any) any {
	if m == nil {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		if sub, ok := m["*"]; ok {
			for k, val := range x {
				out[k] = sub.apply(val)
			}
			return out
		}
		for k, sub := range m {
			if val, ok := x[k]; ok {
				out[k] = sub.apply(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = m.apply(e)
		}
		return out
	}
	return v
}
