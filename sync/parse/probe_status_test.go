package parse

import (
	"testing"

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
