package parse

import (
	"strings"
	"testing"
	"unicode"

	"github.com/udrul/udrul/model"
)

// TestStatusMapper_Text_doubt: a status whose question mark, cross or
// remark doubts or denies its word is not read as that word ("Færdig?" was
// done, "-10%" in progress), while a remark that does not doubt it is read
// as before.
func TestStatusMapper_Text_doubt(t *testing.T) {
	m := NewStatusMapper(nil)
	tests := []struct {
		name, in string
		want     model.Status
		ok       bool
	}{
		{"question mark", "Færdig?", model.Unknown, false},
		{"question mark after a space", "Færdig ?", model.Unknown, false},
		{"english question", "Done?", model.Unknown, false},
		{"OK?", "OK?", model.Unknown, false},
		{"closed?", "Lukket?", model.Unknown, false},
		{"cancelled?", "Udgået?", model.Unknown, false},
		{"percent?", "100%?", model.Unknown, false},
		{"cross", "Udført ✗", model.Unknown, false},
		{"red cross", "Færdig ❌", model.Unknown, false},
		{"almost in parentheses", "færdig (næsten)", model.Unknown, false},
		{"not approved in parentheses", "Afsluttet (ikke godkendt)", model.Unknown, false},
		{"question in parentheses", "Færdig (?)", model.Unknown, false},
		{"missing in brackets", "Udført [mangler test]", model.Unknown, false},
		{"english not", "Completed (not signed off)", model.Unknown, false},
		{"negative percent", "-10%", model.Unknown, false},
		{"negative number", "-10", model.Unknown, false},
		{"negative fraction", "- 0,5", model.Unknown, false},
		{"unicode minus", "−10%", model.Unknown, false},
		// Read as before: a remark that does not doubt the word.
		{"remark see note", "Færdig (se note)", model.Done, true},
		{"remark percent", "Afsluttet (100%)", model.Done, true},
		{"remark late", "I gang (forsinket)", model.InProgress, true},
		{"tick", "Færdig ✔", model.Done, true},
		{"exclamation", "Færdig!", model.Done, true},
		{"dash word", "i-gang", model.InProgress, true},
		{"fifty percent", "50%", model.InProgress, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := m.Text(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Text(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestStatusMapper_Number_edges: a fraction a formula left a hair off 1
// (shown as 100 %) is done, not in progress at 1 % or 99.99...%; one a hair
// above 0 is not started; 1.1 (110 % as a fraction, or 1.1 %?) is not
// known, where it was read as 1.1 %, in progress.
func TestStatusMapper_Number_edges(t *testing.T) {
	m := NewStatusMapper(nil)
	tests := []struct {
		name string
		in   float64
		want model.Status
		ok   bool
	}{
		{"a hair under 1", 0.1 + 0.2 + 0.7 - 1e-16, model.Done, true},
		{"0.9999999999999999", 0.9999999999999999, model.Done, true},
		{"1.0000000000000002", 1.0000000000000002, model.Done, true},
		{"a hair above 0", 1e-17, model.NotStarted, true},
		{"a hair under 100", 99.99999999999999, model.Done, true},
		{"110 % as a fraction", 1.1, model.Unknown, false},
		{"150 % as a fraction", 1.5, model.Unknown, false},
		{"a half", 0.5, model.InProgress, true},
		{"0.99 is 99 %", 0.99, model.InProgress, true},
		{"whole 2 %", 2, model.InProgress, true},
		{"12.5 %", 12.5, model.InProgress, true},
		{"one", 1, model.Done, true},
		{"zero", 0, model.NotStarted, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := m.Number(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Number(%v) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzStatusMapper_Text: any text maps without a panic, and a status that
// ends in a question mark ("Færdig?", "50%?") is never read as known.
func FuzzStatusMapper_Text(f *testing.F) {
	for _, s := range []string{"Færdig?", "færdig (næsten)", "-10%", "Udført ✗", "Afsluttet (100%)", "I gang", "0,5", "50 %?", "OK?!", ""} {
		f.Add(s)
	}
	m := NewStatusMapper(nil)
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := m.Text(s)
		if strings.HasSuffix(strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(".:;!*", r) }), "?") && (ok || got != model.Unknown) {
			t.Errorf("Text(%q) = %v, %v; want unknown", s, got, ok)
		}
	})
}
