package config

import (
	"fmt"
	"sort"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// duplicateKeys returns every key written twice in one mapping (report:
// twice at the top, a source's path: twice), each naming its key path and
// both lines: the YAML library stops at the first with a message that
// says nothing of it, and which of the two was meant cannot be guessed.
// A file that does not parse for another reason has none (its syntax
// error is reported instead).
func duplicateKeys(name string, data []byte, en bool) []*FieldError {
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil
	}
	var out []*FieldError
	var walk func(n ast.Node, path string)
	mapping := func(values []*ast.MappingValueNode, path string) {
		first := map[string]int{}
		for _, mv := range values {
			if mv.Key == nil || mv.Key.GetToken() == nil {
				continue
			}
			key, line := mv.Key.GetToken().Value, mv.Key.GetToken().Position.Line
			kp := key
			if path != "" {
				kp = path + "." + key
			}
			if prev, dup := first[key]; dup && key != "<<" {
				lines := tr(en, fmt.Sprintf("linje %d og %d", prev, line), fmt.Sprintf("lines %d and %d", prev, line))
				if prev == line {
					lines = tr(en, fmt.Sprintf("begge på linje %d", line), fmt.Sprintf("both on line %d", line))
				}
				out = append(out, &FieldError{File: name, Line: line, Key: kp,
					Msg: tr(en, "nøglen %q står to gange (%s), og udrul gætter ikke, hvilken der menes: behold den ene (og saml det, der står under dem, under den)",
						"the key %q is written twice (%s), and udrul does not guess which is meant: keep one (and gather what is below them under it)", key, lines)})
				continue
			}
			first[key] = line
			walk(mv.Value, kp)
		}
	}
	walk = func(n ast.Node, path string) {
		switch n := n.(type) {
		case *ast.DocumentNode:
			walk(n.Body, path)
		case *ast.TagNode:
			walk(n.Value, path)
		case *ast.AnchorNode:
			walk(n.Value, path)
		case *ast.MappingNode:
			mapping(n.Values, path)
		case *ast.MappingValueNode: // a mapping of one key
			mapping([]*ast.MappingValueNode{n}, path)
		case *ast.SequenceNode:
			for i, v := range n.Values {
				walk(v, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	for _, d := range f.Docs {
		walk(d, "")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}
