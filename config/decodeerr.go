package config

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/udrul/udrul/internal/suggest"
)

// yamlError turns a decoding error into "file:line: key.path: message" in
// plain words and in the file's language: an unknown key with the key it
// most likely meant, a value of the wrong type with what is expected there.
func yamlError(name string, data []byte, err error) error {
	en := problemsEnglish(data)
	var yerr yaml.Error
	if !errors.As(err, &yerr) || yerr.GetToken() == nil {
		return &FieldError{File: name, Msg: tr(en, "filen kan ikke læses som YAML: tjek indrykning, kolon og anførselstegn",
			"the file cannot be read as YAML: check indentation, colons and quotes"), cause: err}
	}
	pos := yerr.GetToken().Position
	path, isKey, value := locate(data, pos.Line, pos.Column)
	var msg string
	switch {
	case path == "" && strings.Contains(yerr.GetMessage(), "unknown field"):
		msg = tr(en, "ukendt nøgle %s", "unknown key %s", strings.TrimSpace(yerr.GetToken().Value))
	case path == "":
		msg = tr(en, "linjen kan ikke læses som YAML (kolonne %d): tjek indrykning, kolon og anførselstegn",
			"the line cannot be read as YAML (column %d): check indentation, colons and quotes", pos.Column)
	case isKey:
		parent, key := splitPath(path)
		msg = tr(en, "ukendt nøgle %q", "unknown key %q", key)
		if t, ok := typeAt(reflect.TypeOf(Config{}), parent); ok {
			if s := closest(key, yamlKeys(t)); s != "" {
				msg += tr(en, ": mente du %s?", ": did you mean %s?", s)
			}
		}
	default:
		if t, ok := typeAt(reflect.TypeOf(Config{}), path); ok {
			msg = tr(en, "%q er ikke %s", "%q is not %s", value, expected(path, t, en))
		} else {
			msg = tr(en, "%q kan ikke bruges her", "%q cannot be used here", value)
		}
	}
	return &FieldError{File: name, Line: pos.Line, Key: path, Msg: msg, cause: err}
}

// locate finds the key path of the node at line and column: the key itself
// (isKey) or its value, with the value's text.
func locate(data []byte, line, col int) (path string, isKey bool, value string) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return "", false, ""
	}
	at := func(n ast.Node) bool {
		if n == nil || n.GetToken() == nil {
			return false
		}
		p := n.GetToken().Position
		return p.Line == line && p.Column == col
	}
	var walk func(n ast.Node, path string) bool
	walk = func(n ast.Node, p string) bool {
		switch n := n.(type) {
		case *ast.DocumentNode:
			return walk(n.Body, p)
		case *ast.MappingNode:
			for _, mv := range n.Values {
				if walk(mv, p) {
					return true
				}
			}
		case *ast.MappingValueNode:
			key := n.Key.GetToken().Value
			kp := key
			if p != "" {
				kp = p + "." + key
			}
			if at(n.Key) {
				path, isKey = kp, true
				return true
			}
			if at(n.Value) {
				path, value = kp, n.Value.String()
				return true
			}
			return walk(n.Value, kp)
		case *ast.SequenceNode:
			for i, v := range n.Values {
				ip := fmt.Sprintf("%s[%d]", p, i)
				if at(v) {
					path, value = ip, v.String()
					return true
				}
				if walk(v, ip) {
					return true
				}
			}
		}
		return false
	}
	for _, d := range f.Docs {
		if walk(d, "") {
			return path, isKey, strings.TrimSpace(value)
		}
	}
	return "", false, ""
}

// splitPath splits "sources[0].pathh" into "sources[0]" and "pathh".
func splitPath(p string) (parent, key string) {
	i := strings.LastIndex(p, ".")
	if i < 0 {
		return "", p
	}
	return p[:i], p[i+1:]
}

// typeAt follows a key path through the configuration's Go types.
func typeAt(t reflect.Type, path string) (reflect.Type, bool) {
	if path == "" {
		return t, true
	}
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			f, ok := fieldByKey(t, name)
			if !ok {
				return nil, false
			}
			t = f.Type
		case reflect.Map:
			t = t.Elem()
		default:
			return nil, false
		}
		for ; rest != ""; _, rest, _ = strings.Cut(rest, "[") {
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return nil, false
			}
			t = t.Elem()
		}
	}
	return t, true
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func yamlKeys(t reflect.Type) []string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// closest returns the known key nearest to key when it is a likely typo
// (one or two letters off), or "".
func closest(key string, known []string) string { return suggest.Closest(key, known) }

// shares are the keys whose number is a share of a whole.
var shares = map[string]bool{"shrink_guard.max_loss": true, "shrink_guard.max_retitled": true, "shrink_guard.max_tail_loss": true}

// expected says in words what a key of type t takes.
func expected(path string, t reflect.Type, en bool) string {
	if shares[path] {
		return tr(en, "en andel mellem 0 og 1, for eksempel 0.5", "a share between 0 and 1, such as 0.5")
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return tr(en, "et tal, for eksempel 2.5", "a number, such as 2.5")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return tr(en, "et helt tal, for eksempel 5", "a whole number, such as 5")
	case reflect.Bool:
		return tr(en, "true eller false", "true or false")
	case reflect.String:
		return tr(en, "tekst (sæt den i anførselstegn)", "text (put it in quotes)")
	case reflect.Slice, reflect.Array:
		return tr(en, "en liste, for eksempel [a, b] eller linjer, der begynder med -", "a list, such as [a, b] or lines starting with -")
	case reflect.Map, reflect.Struct:
		return tr(en, "en række nøgler med værdier (linjer med nøgle: værdi, indrykket under den)", "a mapping of keys to values (key: value lines indented below it)")
	}
	return tr(en, "en værdi af typen %s", "a value of type %s", strconv.Quote(t.String()))
}
