package config

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// unknownKeys returns every key of the file the configuration does not
// know, each naming its key path and line and, when a known key is one or
// two letters off, the key it most likely meant: all of them in one run,
// where the strict decoder stops at the first. A file that does not parse
// as YAML has none (its syntax error is reported instead).
func unknownKeys(name string, data []byte, en bool) []*FieldError {
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey()) // duplicateKeys reports those
	if err != nil {
		return nil
	}
	var out []*FieldError
	var walk func(n ast.Node, t reflect.Type, path string)
	walk = func(n ast.Node, t reflect.Type, path string) {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if n == nil || t == nil {
			return
		}
		switch n := n.(type) {
		case *ast.DocumentNode:
			walk(n.Body, t, path)
		case *ast.TagNode:
			walk(n.Value, t, path)
		case *ast.AnchorNode:
			walk(n.Value, t, path)
		case *ast.MappingNode:
			for _, mv := range n.Values {
				walk(mv, t, path)
			}
		case *ast.MappingValueNode:
			if n.Key == nil || n.Key.GetToken() == nil {
				return
			}
			key := n.Key.GetToken().Value
			if key == "<<" { // a merge key: its values are checked where they are written
				return
			}
			kp := key
			if path != "" {
				kp = path + "." + key
			}
			switch t.Kind() {
			case reflect.Struct:
				field, ok := fieldByKey(t, key)
				if !ok {
					msg := tr(en, "ukendt nøgle %q", "unknown key %q", key)
					if s := closest(key, yamlKeys(t)); s != "" {
						msg += tr(en, ": mente du %s?", ": did you mean %s?", s)
					} else if where := keyPlaces(key, en); len(where) > 0 {
						msg += tr(en, ": den hører til under %s", ": it belongs under %s", strings.Join(where, tr(en, " eller ", " or ")))
					}
					out = append(out, &FieldError{File: name, Line: n.Key.GetToken().Position.Line, Key: kp, Msg: msg})
					return
				}
				walk(n.Value, field.Type, kp)
			case reflect.Map:
				walk(n.Value, t.Elem(), kp)
			}
		case *ast.SequenceNode:
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return
			}
			for i, v := range n.Values {
				walk(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	for _, d := range f.Docs {
		walk(d, reflect.TypeOf(Config{}), "")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// keyPlaces returns where else in the configuration a key of this name
// belongs, as the parent key paths ("alerts", "sources[]",
// "waves.<name>"), at most three;
// none for a name known at several places more than that.
func keyPlaces(key string, en bool) []string {
	var out []string
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, path string, depth int)
	walk = func(t reflect.Type, path string, depth int) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
				path += "[]"
			} else if t.Kind() == reflect.Map {
				path += tr(en, ".<navn>", ".<name>")
			}
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || depth > 6 || seen[t] {
			return
		}
		seen[t] = true
		defer delete(seen, t)
		for _, k := range yamlKeys(t) {
			f, _ := fieldByKey(t, k)
			if k == key && path != "" {
				out = append(out, path)
			}
			kp := k
			if path != "" {
				kp = path + "." + k
			}
			walk(f.Type, kp, depth+1)
		}
	}
	walk(reflect.TypeOf(Config{}), "", 0)
	if len(out) > 3 {
		return nil
	}
	return out
}

// joinFieldErrors joins problems into one error that lists them, one a line.
func joinFieldErrors(fes []*FieldError) error {
	errs := make([]error, len(fes))
	for i, fe := range fes {
		errs[i] = fe
	}
	return errors.Join(errs...)
}
